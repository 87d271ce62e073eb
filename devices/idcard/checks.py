"""Whether a card that read fine may be used today: validity dates and the check digit.

A reader happily returns an expired card, and a damaged or forged one can carry a number
whose GB 11643 check digit is wrong; the hall must refuse both with a reason the citizen
understands rather than issue a ticket on them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from devices.idcard.card import CardType, IdCard
from kiosk.idnumber import InvalidIdNumber, birth_dates_of, is_foreign_2017, normalise, sex_of, validate

# Every card type's number is checked by its own rules (kiosk.idnumber.validate): GB 11643 for
# the resident card, the 港澳台居民居住证 (810000/820000/830000 + ...) and the 2023 永居证
# (9 + ...), and the 2017 永居证's 3 letters + 12 digits.
CHECK_DIGIT_TYPES = tuple(CardType)
UNREADABLE = "证件信息读取有误，请重新放卡"


@dataclass(frozen=True)
class CardProblem:
    kind: str  # "unreadable", "expired", "not_yet_valid", "bad_id_number"
    message: str


def _bad_text(value: str) -> bool:
    """Control characters, replacement characters or unassigned code points: a misread, not a name."""
    return any(ch == "\ufffd" or not ch.isprintable() for ch in value)  # controls, odd separators, unassigned


def contradiction(card: IdCard) -> str:
    """Why a read that passed the reader's XOR check still cannot be this card ("" if none).

    The XOR byte catches line noise, not a chip that returned another field's bytes or a
    half-written record; such a read must never be shown as a person.
    """
    for f in dataclasses.fields(card):
        value = getattr(card, f.name)
        if isinstance(value, str) and _bad_text(value):
            return f"{f.name} 含无法识别的字符"
    n = card.id_number
    kind_ok = {
        CardType.RESIDENT: len(n) == 18 and n[:1] in "12345678" and not n.startswith(("81", "82", "83")),
        CardType.HMT_RESIDENCE: len(n) == 18 and n.startswith(("81", "82", "83")),
        CardType.FOREIGN_PERMANENT_2023: len(n) == 18 and n.startswith("9"),
        CardType.FOREIGN_PERMANENT_2017: is_foreign_2017(n),
    }[card.card_type]
    if not kind_ok or n != normalise(n):  # the chip holds upper case without blanks: anything else is a misread
        return "证件号码与证件类型不符"
    if card.card_type is CardType.FOREIGN_PERMANENT_2017 and (
            (card.nationality and card.nationality != n[:3]) or (card.authority and card.authority != n[3:7])):
        return "国籍或受理机关与证件号码不符"
    dates = birth_dates_of(n)
    if dates and card.birth_date not in dates:
        return "出生日期与证件号码不符"
    sex = sex_of(n)
    if sex and card.gender_code != sex:
        return "性别与证件号码不符"
    if card.valid_from < card.birth_date or (card.valid_to is not None and card.valid_to < card.valid_from):
        return "有效期与出生日期矛盾"
    return ""


def card_problem(card: IdCard, today: dt.date) -> CardProblem | None:
    """The first reason not to accept this card today, or None."""
    if card.card_type in CHECK_DIGIT_TYPES:
        try:
            validate(card.id_number)
        except InvalidIdNumber as exc:
            return CardProblem("bad_id_number", f"证件号码无效：{exc}")
    if contradiction(card):
        return CardProblem("unreadable", UNREADABLE)
    if card.valid_to is not None and card.valid_to < today:
        return CardProblem("expired", f"证件已过期（有效期至{card.valid_to:%Y年%m月%d日}），请使用有效证件")
    if card.valid_from > today:
        return CardProblem("not_yet_valid", f"证件尚未生效（自{card.valid_from:%Y年%m月%d日}起有效）")
    return None
