"""The 256-byte card text (UCS-2 little-endian, space padded) <-> IdCard.

One table of (offset, size) per card type mirrors spec/devices.md, so the parser and the
encoder (used by the simulator and the tests) cannot disagree about where a field sits.
"""

from __future__ import annotations

import datetime as dt

from devices.idcard.card import CardType, IdCard
from devices.idcard.protocol import TEXT_LENGTH

TYPE_OFFSET = 248

Field = tuple[int, int]  # byte offset, byte size

_RESIDENT: dict[str, Field] = {
    "name": (0, 30),
    "gender_code": (30, 2),
    "nation_code": (32, 4),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
}

LAYOUTS: dict[CardType, dict[str, Field]] = {
    CardType.RESIDENT: _RESIDENT,
    CardType.HMT_RESIDENCE: {**_RESIDENT, "pass_number": (220, 18), "issue_count": (238, 4)},
    CardType.FOREIGN_PERMANENT_2017: {
        "name_en": (0, 120),
        "gender_code": (120, 2),
        "id_number": (122, 30),
        "nationality": (152, 6),
        "name": (158, 30),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "birth_date": (220, 16),
        "card_version": (236, 4),
        "authority": (240, 8),
    },
    CardType.FOREIGN_PERMANENT_2023: {
        "name": (0, 30),
        "gender_code": (30, 2),
        "renewal_count": (32, 4),
        "birth_date": (36, 16),
        "name_en": (52, 70),  # part 1; part 2 is at NAME_EN_PART2
        "id_number": (122, 36),
        "valid_from": (188, 16),
        "valid_to": (204, 16),
        "nationality": (242, 6),
    },
}
NAME_EN_PART2: Field = (220, 22)  # 2023 foreigner card: English name, part 2

LONG_TERM = "长期"

_DATE_FIELDS = ("birth_date", "valid_from", "valid_to")


class CardFormatError(ValueError):
    """The text does not hold a card we understand; the message is for staff."""


def _get(text: bytes, spot: Field) -> str:
    offset, size = spot
    return text[offset : offset + size].decode("utf-16-le", errors="replace")


def _date(value: str, what: str, *, long_term_ok: bool = False) -> dt.date | None:
    value = value.strip()
    if long_term_ok and value == LONG_TERM:
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise CardFormatError(f"证件{what}无法识别：{value!r}") from None


def card_type_of(text: bytes) -> CardType:
    """The type character at offset 248 (a space on resident ID cards)."""
    char = _get(text, (TYPE_OFFSET, 2))
    try:
        return CardType(char)
    except ValueError:
        raise CardFormatError(f"不支持的证件类型：{char!r}") from None


def parse_card_text(text: bytes, photo: bytes = b"") -> IdCard:
    """Turn the reader's 256-byte text (and the 1024-byte WLT photo) into an IdCard."""
    if len(text) != TEXT_LENGTH:
        raise CardFormatError(f"证件文字信息应为{TEXT_LENGTH}字节，收到{len(text)}字节")
    card_type = card_type_of(text)
    layout = LAYOUTS[card_type]
    values: dict[str, str] = {name: _get(text, spot) for name, spot in layout.items()}
    if card_type is CardType.FOREIGN_PERMANENT_2023:
        values["name_en"] = values["name_en"] + _get(text, NAME_EN_PART2)
    fields: dict[str, object] = {name: value.strip() for name, value in values.items()}
    fields["birth_date"] = _date(values["birth_date"], "出生日期")
    fields["valid_from"] = _date(values["valid_from"], "有效期起始日期")
    fields["valid_to"] = _date(values["valid_to"], "有效期截止日期", long_term_ok=True)
    return IdCard(card_type=card_type, photo=bytes(photo), **fields)  # type: ignore[arg-type]


def _put(buf: bytearray, spot: Field, value: str) -> None:
    offset, size = spot
    raw = value.encode("utf-16-le")[:size]
    buf[offset : offset + len(raw)] = raw


def encode_card_text(card: IdCard) -> bytes:
    """The reader's 256-byte text for a card: the simulator's side of parse_card_text."""
    buf = bytearray(" ".encode("utf-16-le") * (TEXT_LENGTH // 2))
    layout = LAYOUTS[card.card_type]
    for name, spot in layout.items():
        value = getattr(card, name)
        if name in _DATE_FIELDS:
            value = LONG_TERM if value is None else value.strftime("%Y%m%d")
        if name == "name_en" and card.card_type is CardType.FOREIGN_PERMANENT_2023:
            first = spot[1] // 2
            _put(buf, NAME_EN_PART2, value[first:])
            value = value[:first]
        _put(buf, spot, value)
    _put(buf, (TYPE_OFFSET, 2), card.card_type.value)
    return bytes(buf)
