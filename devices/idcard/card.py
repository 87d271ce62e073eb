"""The card a reader hands over: one typed, frozen record for all four card types.

The hall works with `IdCard` only and never with the reader's byte layout (see text.py).
Its repr masks the number and leaves out the photo, so a card in a log line does not leak
what 居民身份证法 Art. 13 asks us to protect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from devices.idcard.nations import gender_label, nation_label
from kiosk.idnumber import mask_id


class CardType(StrEnum):
    """The type character at offset 248 of the card text."""

    RESIDENT = " "  # 居民身份证
    HMT_RESIDENCE = "J"  # 港澳台居民居住证
    FOREIGN_PERMANENT_2017 = "I"  # 外国人永久居留身份证（2017版）
    FOREIGN_PERMANENT_2023 = "Y"  # 外国人永久居留身份证（2023版）

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def key(self) -> str:
        """A name safe for JSON and command lines (the resident type's value is a space)."""
        return _TYPE_KEYS[self]

    @classmethod
    def from_key(cls, key: str) -> CardType:
        for member, name in _TYPE_KEYS.items():
            if key in (name, member.value):
                return member
        raise ValueError(f"未知证件类型：{key!r}")


_TYPE_LABELS = {
    CardType.RESIDENT: "居民身份证",
    CardType.HMT_RESIDENCE: "港澳台居民居住证",
    CardType.FOREIGN_PERMANENT_2017: "外国人永久居留身份证（2017版）",
    CardType.FOREIGN_PERMANENT_2023: "外国人永久居留身份证（2023版）",
}
_TYPE_KEYS = {
    CardType.RESIDENT: "resident",
    CardType.HMT_RESIDENCE: "hmt_residence",
    CardType.FOREIGN_PERMANENT_2017: "foreign_permanent_2017",
    CardType.FOREIGN_PERMANENT_2023: "foreign_permanent_2023",
}


PhotoDecoder = Callable[[bytes], Any]
_photo_decoder: PhotoDecoder | None = None


def set_photo_decoder(decoder: PhotoDecoder | None) -> None:
    """Register the hall's licensed WLT decoder (bytes -> image); None removes it.

    Only a vendor's licensed library turns the 1024 WLT bytes into a 102x126 bitmap, so the
    hall may or may not have one; nothing in the device layer requires it.
    """
    global _photo_decoder
    _photo_decoder = decoder


@dataclass(frozen=True, repr=False)
class IdCard:
    """One card as read. `id_number` is the ID number, or the card number on 永居证.

    `name` is the Chinese name (may be blank on a 2017 foreigner card); `name_en` is the
    English name of foreigner cards. `valid_to` is None for 长期 (long-term) cards.
    """

    card_type: CardType
    name: str
    gender_code: str
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_to: dt.date | None
    nation_code: str = ""
    address: str = ""
    authority: str = ""  # issuing authority; the authority code on 2017 foreigner cards
    name_en: str = ""
    nationality: str = ""  # ISO 3166 alpha-3 code on foreigner cards
    pass_number: str = ""  # 港澳台居民居住证: the travel permit number
    issue_count: str = ""  # 港澳台居民居住证: 签发次数
    renewal_count: str = ""  # 2023 foreigner card: 换证次数
    card_version: str = ""  # 2017 foreigner card
    photo: bytes = field(default=b"", compare=False)

    @property
    def gender(self) -> str:
        """男 / 女 / 未知 / 未说明."""
        return gender_label(self.gender_code)

    @property
    def nation(self) -> str:
        """The nation label via GB 3304 ('汉'); '' where the card has none."""
        return nation_label(self.nation_code)

    @property
    def type_label(self) -> str:
        return self.card_type.label

    @property
    def long_term(self) -> bool:
        return self.valid_to is None

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def photo_image(self) -> Any | None:
        """The decoded photo if the hall registered a decoder, else None."""
        if _photo_decoder is None or not self.photo:
            return None
        return _photo_decoder(self.photo)

    def __repr__(self) -> str:
        return (
            f"IdCard({self.card_type.key}, name={self.name or self.name_en!r}, "
            f"id_number={self.masked_id!r}, valid_to={self.valid_to})"
        )
