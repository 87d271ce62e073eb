import pytest

from kiosk import idnumber


def test_a_number_with_the_right_check_digit_is_accepted():
    assert idnumber.validate("11010519491231002X") == "11010519491231002X"
    assert idnumber.validate(" 11010519491231002x ") == "11010519491231002X"


def test_a_wrong_check_digit_names_the_expected_one():
    with pytest.raises(idnumber.InvalidIdNumber, match="最后一位应为X"):
        idnumber.validate("110105194912310021")


@pytest.mark.parametrize(
    ("number", "message"),
    [("1101051949123100", "18位"), ("11010519491231002A", "数字"), ("110105194902300028", "出生日期")],
)
def test_malformed_numbers_say_what_is_wrong(number, message):
    with pytest.raises(idnumber.InvalidIdNumber, match=message):
        idnumber.validate(number)


def test_screens_and_paper_show_only_the_first_six_and_last_four_digits():
    assert idnumber.mask_id("330106199001011234") == "330106********1234"


def test_names_keep_only_the_surname_character():
    assert idnumber.mask_name("张三") == "张*"
    assert idnumber.mask_name("欧阳娜娜") == "欧***"


def test_keyed_hash_links_the_same_person_without_the_number():
    key = b"k" * 32
    a = idnumber.keyed_hash("11010519491231002x", key)
    assert a == idnumber.keyed_hash("11010519491231002X", key)
    assert "110105" not in a
    assert a != idnumber.keyed_hash("11010519491231002X", b"other-key-000000")
