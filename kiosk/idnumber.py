"""Resident ID numbers (GB 11643) and the masking rules for screens and paper.

The check digit catches most mistyped or misread numbers before they reach a record; masking
keeps the full number off every public screen and every ticket (居民身份证法 Art. 13).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from kiosk.errors import HallError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(HallError, ValueError):
    """Raised with a message a clerk or citizen can read."""


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalise(number: str) -> str:
    """Strip blanks and upper-case the final x, as readers and typists vary."""
    return number.strip().replace(" ", "").upper()


def validate(number: str) -> str:
    """Return the normalised number, or raise InvalidIdNumber saying what is wrong."""
    n = normalise(number)
    if len(n) != 18:
        raise InvalidIdNumber(f"身份证号码应为18位，当前为{len(n)}位")
    if not _SHAPE.match(n):
        raise InvalidIdNumber("身份证号码前17位应为数字，最后一位为数字或X")
    try:
        dt.date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(f"身份证号码中的出生日期{n[6:14]}不是有效日期") from exc
    expected = check_digit(n[:17])
    if n[17] != expected:
        raise InvalidIdNumber(f"身份证号码校验位错误：最后一位应为{expected}，请核对号码")
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
