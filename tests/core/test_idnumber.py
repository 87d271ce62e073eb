import pytest

from kiosk import idnumber
from kiosk.idnumber import InvalidIdNumber, check_digit, mask_id, validate
from kiosk.models import MaterialCheck, MaterialStatus


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


def test_the_2017_foreign_permanent_residence_card_number_is_valid_by_its_own_rules():
    assert validate(" can330078110201 ") == "CAN330078110201"
    for bad, why in [("CA1330078110201", "3位字母"), ("CAN990078110201", "省份"), ("CAN330078139901", "出生日期"),
                     ("CAN33007811020", "15位")]:
        with pytest.raises(InvalidIdNumber, match=why):
            validate(bad)


def test_the_2023_foreign_permanent_residence_card_number_is_checked_like_a_resident_number():
    assert validate("933250199006150023") == "933250199006150023"
    with pytest.raises(InvalidIdNumber, match="校验位"):
        validate("933250199006150024")
    with pytest.raises(InvalidIdNumber, match="省份"):
        validate("900250199006150023"[:17] + check_digit("90025019900615002"))


@pytest.mark.parametrize("digits", ["１１０１０５１９４９１２３１００２X", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"])
def test_full_width_or_arabic_indic_digits_are_not_an_id_number(digits):
    with pytest.raises(InvalidIdNumber):
        validate(digits)


@pytest.mark.parametrize("number", ["CAN330078110201", "933250199006150023"])
def test_a_foreign_permanent_residence_card_is_taken_wherever_an_id_is(hall, number):
    ticket = hall.issue_ticket(category="A", holder_name="SMITH", holder_id=number)
    assert ticket.holder_id_masked == mask_id(number) and number not in ticket.holder_id_masked
    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    app = hall.accept(matter_code="A-001", checks=checks, applicant_name="SMITH", applicant_id=number)
    assert app.applicant_id_masked == mask_id(number)


@pytest.mark.parametrize("phone", ["13800001234", "138-0000-1234", "0571-88888888", "057188888888", "010-1234567",
                                   "88888888", "6666666"])
def test_a_mobile_or_fixed_line_number_is_a_phone(phone):
    assert idnumber.phone_problem(phone, "手机号码") is None


@pytest.mark.parametrize("phone", ["00000000000", "12345678901", "11111111111", "12345", "0123456", "1380000123",
                                   "138000012345", "００００", "13800001234x", "0012345678"])
def test_a_number_nobody_could_call_back_is_refused_in_words(phone):
    assert idnumber.phone_problem(phone, "回访电话") == "回访电话不是能拨通的号码：应为11位手机号码，或固定电话（如0571-88888888）"
