"""IdCard <-> plain dicts: the simulator's JSON card files and the diagnostics' --json output.

A card file lists cards with readable values (labels like "男"/"汉", ISO dates, "长期"),
so a tester can write one by hand; the photo is derived from the number unless given as
hex, because real WLT bytes cannot be made without a vendor's tools.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from devices.idcard.card import CardType, IdCard
from devices.idcard.nations import gender_code, nation_code
from devices.idcard.protocol import PHOTO_LENGTH

_TEXT_FIELDS = (
    "name", "id_number", "address", "authority", "name_en", "nationality",
    "pass_number", "issue_count", "renewal_count", "card_version",
)  # fmt: skip


def placeholder_photo(seed: str) -> bytes:
    """1024 deterministic bytes standing in for a WLT photo in simulated cards."""
    out = bytearray()
    counter = 0
    while len(out) < PHOTO_LENGTH:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return bytes(out[:PHOTO_LENGTH])


def _date(value: str | None) -> dt.date | None:
    if value in (None, "", "长期"):
        return None
    return dt.date.fromisoformat(value)


def card_from_dict(data: dict[str, Any]) -> IdCard:
    """Build a card from a JSON record (see resources/devices/demo_cards.json)."""
    birth = _date(data["birth_date"])
    valid_from = _date(data["valid_from"])
    if birth is None or valid_from is None:
        raise ValueError("birth_date and valid_from are required")
    photo_hex = data.get("photo_hex")
    return IdCard(
        card_type=CardType.from_key(data.get("type", "resident")),
        gender_code=gender_code(str(data.get("gender", "1"))),
        nation_code=nation_code(str(data.get("nation", ""))),
        birth_date=birth,
        valid_from=valid_from,
        valid_to=_date(data.get("valid_to")),
        photo=bytes.fromhex(photo_hex) if photo_hex else placeholder_photo(data["id_number"]),
        **{name: str(data.get(name, "")) for name in _TEXT_FIELDS},
    )


def card_to_dict(card: IdCard, *, full: bool = False) -> dict[str, Any]:
    """A JSON-ready dict; the number is masked unless `full` (diagnostics --full)."""
    out: dict[str, Any] = {
        "type": card.card_type.key,
        "type_label": card.type_label,
        "name": card.name,
        "gender": card.gender,
        "nation": card.nation,
        "birth_date": card.birth_date.isoformat(),
        "address": card.address,
        "id_number": card.id_number if full else card.masked_id,
        "authority": card.authority,
        "valid_from": card.valid_from.isoformat(),
        "valid_to": card.valid_to.isoformat() if card.valid_to else "长期",
        "photo_bytes": len(card.photo),
    }
    for name in ("name_en", "nationality", "pass_number", "issue_count", "renewal_count", "card_version"):
        if getattr(card, name):
            out[name] = getattr(card, name)
    return out


def load_cards(path: str | Path) -> list[IdCard]:
    """Read a JSON card file: a list of records, or {"cards": [...]}."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    records = raw["cards"] if isinstance(raw, dict) else raw
    return [card_from_dict(r) for r in records]


def card_serial(card: IdCard) -> bytes:
    """A stable 8-byte card serial for a simulated card (a real card carries its own)."""
    return hashlib.sha256(card.id_number.encode()).digest()[:8]
