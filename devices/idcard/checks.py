"""Whether a card that read fine may be used today: validity dates and the check digit.

A reader happily returns an expired card, and a damaged or forged one can carry a number
whose GB 11643 check digit is wrong; the hall must refuse both with a reason the citizen
understands rather than issue a ticket on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from devices.idcard.card import CardType, IdCard
from kiosk.idnumber import InvalidIdNumber, validate

# Cards whose number is a 公民身份号码 under GB 11643 (港澳台居民居住证 numbers are too:
# 810000/820000/830000 + birth date + sequence + check digit).
CHECK_DIGIT_TYPES = (CardType.RESIDENT, CardType.HMT_RESIDENCE)


@dataclass(frozen=True)
class CardProblem:
    kind: str  # "expired", "not_yet_valid", "bad_id_number"
    message: str


def card_problem(card: IdCard, today: dt.date) -> CardProblem | None:
    """The first reason not to accept this card today, or None."""
    if card.card_type in CHECK_DIGIT_TYPES:
        try:
            validate(card.id_number)
        except InvalidIdNumber as exc:
            return CardProblem("bad_id_number", f"证件号码无效：{exc}")
    if card.valid_to is not None and card.valid_to < today:
        return CardProblem("expired", f"证件已过期（有效期至{card.valid_to:%Y年%m月%d日}），请使用有效证件")
    if card.valid_from > today:
        return CardProblem("not_yet_valid", f"证件尚未生效（自{card.valid_from:%Y年%m月%d日}起有效）")
    return None
