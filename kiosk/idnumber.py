"""Resident ID numbers (GB 11643) and the masking rules for screens and paper.

The check digit catches most mistyped or misread numbers before they reach a record; masking
keeps the full number off every public screen and every ticket (居民身份证法 Art. 13).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import operator
import re

from kiosk.errors import HallError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# re.ASCII: `\d` would otherwise let full-width or Arabic-Indic digits through as a number
_SHAPE = re.compile(r"^\d{17}[\dX]$", re.ASCII)
# 2017 外国人永久居留身份证: 3-letter nationality + 4-digit receiving authority (province + 00)
# + birth date YYMMDD + 2 digits, e.g. CAN330078110201. The National Immigration Administration's
# rules for the 2023 card describe the 2017 number as "3 位拉丁字母 + 12 位数字" and give a check
# digit (MOD 11-2) only to the new 18-digit number, so nothing public defines a check over the
# last two digits: their shape is checked, and a misread card is caught by the reader's frame check
# and by the chip's own fields (nationality, receiving authority, birth date) contradicting the
# number (devices.idcard.checks), never by a guessed rule that would turn a lawful card away
# (ICAO's 7-3-1 over the first 14 characters rejects the example).
_FOREIGN_2017 = re.compile(r"^[A-Z]{3}\d{12}$", re.ASCII)
# GB/T 2260 province-level codes; a 2023 永居证 carries one as its 2nd and 3rd digits
PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
})
LENGTH_MESSAGE = "证件号码应为18位（居民身份证、港澳台居民居住证、2023版外国人永久居留身份证）或15位（2017版外国人永久居留身份证）"


class InvalidIdNumber(HallError, ValueError):
    """Raised with a message a clerk or citizen can read."""


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17:
        raise ValueError("check_digit needs the first 17 digits")
    return _CHECK[sum(map(operator.mul, map(int, first17), _WEIGHTS)) % 11]


def normalise(number: str) -> str:
    """Strip blanks and upper-case the final x (or a 2017 card's letters), as readers and typists vary."""
    return number.strip().replace(" ", "").upper()


def is_foreign_2017(number: str) -> bool:
    return len(number) == 15 and not number[:1].isdigit()


def birth_date_of(number: str) -> dt.date | None:
    """The birth date an 18-digit number carries; None when the number does not say it for sure
    (a 2017 card's two-digit year: see `birth_dates_of`)."""
    dates = birth_dates_of(number)
    return dates[0] if len(dates) == 1 else None


def birth_dates_of(number: str) -> tuple[dt.date, ...]:
    """Every birth date the number can stand for: one for 18 digits, up to two (19YY, 20YY) for a
    2017 card, whose number has a two-digit year."""
    n = normalise(number)
    out: list[dt.date] = []
    if len(n) == 18:
        candidates = [(n[6:10], n[10:12], n[12:14])]
    elif is_foreign_2017(n):
        candidates = [(c + n[7:9], n[9:11], n[11:13]) for c in ("19", "20")]
    else:
        return ()
    for y, m, d in candidates:
        try:
            out.append(dt.date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return tuple(out)


def sex_of(number: str) -> str:
    """"1" (male) or "2" (female) from the 17th digit of an 18-digit number; "" where the number
    does not say (a 2017 foreigner card)."""
    n = normalise(number)
    if len(n) == 18 and n[16].isascii() and n[16].isdigit():
        return "1" if int(n[16]) % 2 else "2"
    return ""


def validate(number: str) -> str:
    """Return the normalised number, or raise InvalidIdNumber saying what is wrong.

    Takes every lawful card: the resident ID card and the 港澳台居民居住证 (GB 11643, 18
    characters), the 2023 外国人永久居留身份证 (18 digits beginning with 9, the same check
    digit) and the 2017 one (15 characters, 3 letters and 12 digits), each by its own rules.
    """
    n = normalise(number)
    if len(n) == 15 and n[:1].isascii() and n[:1].isalpha():
        return _validate_foreign_2017(n)
    if len(n) != 18:
        raise InvalidIdNumber(f"{LENGTH_MESSAGE}，当前为{len(n)}位")
    if not _SHAPE.match(n):
        raise InvalidIdNumber("身份证号码前17位应为数字，最后一位为数字或X")
    if n[0] == "9" and n[1:3] not in PROVINCES:
        raise InvalidIdNumber(f"外国人永久居留身份证号码第2、3位应为受理地省份代码，实际为{n[1:3]}")
    try:
        dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(f"身份证号码中的出生日期{n[6:14]}不是有效日期") from exc
    expected = check_digit(n[:17])
    if n[17] != expected:
        raise InvalidIdNumber(f"身份证号码校验位错误：最后一位应为{expected}，请核对号码")
    return n


def _validate_foreign_2017(n: str) -> str:
    if not _FOREIGN_2017.match(n):
        raise InvalidIdNumber("2017版外国人永久居留身份证号码应为3位字母（国籍）加12位数字")
    if n[3:5] not in PROVINCES:
        raise InvalidIdNumber(f"外国人永久居留身份证号码第4、5位应为受理地省份代码，实际为{n[3:5]}")
    if not birth_dates_of(n):
        raise InvalidIdNumber(f"外国人永久居留身份证号码中的出生日期{n[7:13]}不是有效日期")
    return n


def is_valid(number: str) -> bool:
    try:
        validate(number)
    except InvalidIdNumber:
        return False
    return True


def mask_id(number: str) -> str:
    """First 6 and last 4 shown: 330106********1234. Short inputs are fully hidden."""
    n = normalise(number)
    if len(n) <= 10:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_name(name: str) -> str:
    """Surname kept, the rest starred: 张三 -> 张*, 欧阳娜娜 -> 欧***. Latin names keep the first letter."""
    name = name.strip()
    if not name:
        return ""
    if len(name) == 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def phone_problem(phone: str, what: str) -> str | None:
    """Why `phone` is not a number anyone could call back in China, or None.

    A mobile number is 11 digits from 13 to 19; a fixed line is 7 or 8 digits, or those after an
    area code that starts with 0 (0571-88888888). Hyphens and spaces between groups are allowed.
    "00000000000" or "12345" is not taken: a kiosk typing anything 7 to 12 digits long let one
    number take a whole category's tickets, and a bad review's callback number must be callable."""
    digits = phone.replace("-", "").replace(" ", "")
    ok = digits.isascii() and digits.isdigit() and (
        (len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789")
        or (len(digits) in (7, 8) and digits[0] not in "01")
        or (10 <= len(digits) <= 12 and digits[0] == "0" and digits[1] != "0"))
    return None if ok else f"{what}不是能拨通的号码：应为11位手机号码，或固定电话（如0571-88888888）"


def mask_phone(phone: str) -> str:
    """138****5678 for an 11-digit mobile; other numbers keep only their last 4."""
    p = phone.strip()
    if len(p) == 11 and p.isdigit():
        return p[:3] + "****" + p[-4:]
    if len(p) <= 4:
        return p
    return "*" * (len(p) - 4) + p[-4:]


def keyed_hash(number: str, key: bytes) -> str:
    """A keyed hash that links a citizen's applications without storing the number itself."""
    return hmac.new(key, normalise(number).encode("ascii"), hashlib.sha256).hexdigest()
