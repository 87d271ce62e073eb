"""Staff passwords, stored only as salted PBKDF2 hashes (stdlib hashlib, no extra dependency)."""

from __future__ import annotations

import hashlib
import hmac
import os

_ITERATIONS = 200_000


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, _ITERATIONS)
    return f"pbkdf2_sha256${_ITERATIONS}${salt.hex()}${digest.hex()}"


_DUMMY: dict[int, str] = {}


def dummy_hash() -> str:
    """A hash of nothing anyone knows, with today's cost: checked against when there is no
    account, so an unknown login takes as long to refuse as a wrong password."""
    if _ITERATIONS not in _DUMMY:
        _DUMMY[_ITERATIONS] = hash_password(os.urandom(16).hex())
    return _DUMMY[_ITERATIONS]


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), int(iterations))
    return hmac.compare_digest(candidate.hex(), digest)
