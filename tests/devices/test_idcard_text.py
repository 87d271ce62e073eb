"""The 256-byte card text of all four card types, and whether a read card may be used."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from devices.idcard import (
    CardFormatError,
    CardType,
    IdCard,
    card_problem,
    card_to_dict,
    encode_card_text,
    parse_card_text,
    set_photo_decoder,
)

pytestmark = pytest.mark.timeout(10)

TODAY = dt.date(2026, 11, 25)


def ucs2(text: str, size: int) -> bytes:
    raw = text.encode("utf-16-le")
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def hand_made_resident_text() -> bytes:
    """Laid out field by field from the spec's table, independent of the encoder."""
    text = (
        ucs2("张明远", 30)
        + ucs2("1", 2)
        + ucs2("01", 4)
        + ucs2("19850312", 16)
        + ucs2("浙江省杭州市西湖区文三路478号3幢502室", 70)
        + ucs2("330106198503120415", 36)
        + ucs2("杭州市公安局西湖分局", 30)
        + ucs2("20160520", 16)
        + ucs2("20360520", 16)
        + ucs2("", 36)
    )
    assert len(text) == 256
    return text


def test_resident_card_fields_come_from_the_spec_offsets() -> None:
    card = parse_card_text(hand_made_resident_text(), b"\x01" * 1024)
    assert card.card_type is CardType.RESIDENT
    assert (card.name, card.gender, card.nation) == ("张明远", "男", "汉")
    assert card.birth_date == dt.date(1985, 3, 12)
    assert card.address == "浙江省杭州市西湖区文三路478号3幢502室"
    assert card.id_number == "330106198503120415"
    assert card.authority == "杭州市公安局西湖分局"
    assert (card.valid_from, card.valid_to) == (dt.date(2016, 5, 20), dt.date(2036, 5, 20))
    assert card.photo == b"\x01" * 1024


def test_long_term_card_has_no_end_date() -> None:
    text = bytearray(hand_made_resident_text())
    text[204:220] = ucs2("长期", 16)
    card = parse_card_text(bytes(text))
    assert card.valid_to is None and card.long_term


def test_hmt_residence_permit_has_pass_number_and_issue_count(cards: list[IdCard]) -> None:
    card = parse_card_text(encode_card_text(next(c for c in cards if c.card_type is CardType.HMT_RESIDENCE)))
    assert card.card_type is CardType.HMT_RESIDENCE
    assert (card.pass_number, card.issue_count) == ("H60123457", "01")
    assert card.nation == ""
    assert card.id_number.startswith("810000")


def test_foreigner_card_2017_has_english_name_nationality_and_card_number(cards: list[IdCard]) -> None:
    source = next(c for c in cards if c.card_type is CardType.FOREIGN_PERMANENT_2017)
    text = encode_card_text(source)
    assert text[248:250] == "I".encode("utf-16-le")
    assert text[0:120].decode("utf-16-le").strip() == "SMITH, JOHN ALEXANDER"
    card = parse_card_text(text)
    assert (card.name_en, card.name, card.nationality) == ("SMITH, JOHN ALEXANDER", "史密斯", "CAN")
    assert card.id_number == "CAN330078110201"
    assert card.birth_date == dt.date(1978, 11, 2)
    assert card.gender == "男"


def test_foreigner_card_2023_joins_the_two_parts_of_the_english_name(cards: list[IdCard]) -> None:
    source = next(c for c in cards if c.card_type is CardType.FOREIGN_PERMANENT_2023)
    text = encode_card_text(source)
    assert text[52:122].decode("utf-16-le") == source.name_en[:35]
    assert text[220:242].decode("utf-16-le").strip() == source.name_en[35:]
    card = parse_card_text(text)
    assert card.name_en == "DUBOIS, MARIE CLAIRE ANTOINETTE VALENTINE"
    assert (card.name, card.gender, card.nationality, card.renewal_count) == ("马丽娜", "女", "FRA", "00")


def test_every_demo_card_survives_encode_and_parse(cards: list[IdCard]) -> None:
    assert {c.card_type for c in cards} == set(CardType)
    for card in cards:
        assert parse_card_text(encode_card_text(card), card.photo) == card


def test_unknown_card_type_is_a_format_error() -> None:
    text = bytearray(hand_made_resident_text())
    text[248:250] = "Z".encode("utf-16-le")
    with pytest.raises(CardFormatError, match="不支持的证件类型"):
        parse_card_text(bytes(text))


def test_garbled_date_is_a_format_error_not_a_crash() -> None:
    text = bytearray(hand_made_resident_text())
    text[36:52] = ucs2("1985??12", 16)
    with pytest.raises(CardFormatError, match="出生日期"):
        parse_card_text(bytes(text))


def test_demo_cards_are_usable_except_the_expired_one(cards: list[IdCard]) -> None:
    problems = {c.name: card_problem(c, TODAY) for c in cards}
    assert problems["王建国"] is not None and problems["王建国"].kind == "expired"
    assert "2024年03月10日" in problems["王建国"].message
    assert [name for name, p in problems.items() if p is not None] == ["王建国"]


def test_bad_check_digit_is_rejected_with_the_expected_digit(cards: list[IdCard]) -> None:
    card = dataclasses.replace(cards[0], id_number="330106198503120416")
    problem = card_problem(card, TODAY)
    assert problem is not None and problem.kind == "bad_id_number"
    assert "应为5" in problem.message


def test_card_not_yet_valid_is_rejected(cards: list[IdCard]) -> None:
    card = dataclasses.replace(cards[0], valid_from=TODAY + dt.timedelta(days=1))
    assert card_problem(card, TODAY).kind == "not_yet_valid"  # type: ignore[union-attr]


def test_repr_and_dict_mask_the_number_unless_full(cards: list[IdCard]) -> None:
    card = cards[0]
    assert card.id_number not in repr(card)
    assert card_to_dict(card)["id_number"] == "330106********0415"
    assert card_to_dict(card, full=True)["id_number"] == card.id_number


def test_photo_decoder_is_optional_and_used_when_registered(cards: list[IdCard]) -> None:
    assert cards[0].photo_image() is None
    set_photo_decoder(lambda wlt: ("bitmap", len(wlt)))
    try:
        assert cards[0].photo_image() == ("bitmap", 1024)
    finally:
        set_photo_decoder(None)


@pytest.mark.parametrize("change", [
    {"birth_date": dt.date(1985, 3, 13)},  # the number says 1985-03-12
    {"gender_code": "2"},  # the number's 17th digit is odd: male
    {"name": "张\x07三"},  # a control character in the name
    {"address": "杭州\ufffd"},  # bytes that were not text
    {"id_number": "933250199006150023"},  # a foreigner's number on a resident card
], ids=["birth", "sex", "control", "replacement", "type"])
def test_a_read_that_contradicts_itself_is_refused_as_unreadable(cards: list[IdCard], change) -> None:
    card = dataclasses.replace(cards[0], **change)
    problem = card_problem(card, TODAY)
    assert problem is not None and problem.kind == "unreadable" and "请重新放卡" in problem.message


@pytest.mark.parametrize("change", [
    {"nationality": "USA"},  # the number begins CAN
    {"authority": "4400"},  # the number was issued in Zhejiang: 3300
    {"birth_date": dt.date(1978, 11, 3)},  # the number says (19)78-11-02
    {"birth_date": dt.date(2078, 11, 2)},  # a two-digit year is 1978 or 2078, but 2078 is after the card
], ids=["nationality", "authority", "birth", "century"])
def test_a_2017_card_whose_chip_contradicts_its_number_is_refused_as_unreadable(cards: list[IdCard], change) -> None:
    """The 2017 number has no public check digit: the chip's own fields are what catch a misread."""
    source = next(c for c in cards if c.card_type is CardType.FOREIGN_PERMANENT_2017)
    assert card_problem(source, TODAY) is None
    problem = card_problem(dataclasses.replace(source, **change), TODAY)
    assert problem is not None and problem.kind == "unreadable" and "请重新放卡" in problem.message


def test_both_foreign_permanent_residence_cards_pass_their_own_checks(cards: list[IdCard]) -> None:
    foreign = [c for c in cards if c.card_type.key.startswith("foreign")]
    assert len(foreign) == 2 and all(card_problem(c, TODAY) is None for c in foreign)
