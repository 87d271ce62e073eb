"""The secret behind the keyed ID-number hashes, kept in its own file and never in the hall file.

A copied `hall.db` (a backup, a stolen laptop, a file shared for support) must not let anyone
turn a masked number plus its hash back into the full ID number: with the key beside the
hashes, the 10^8 candidates behind `330106********1234` fall in well under a second. So the key
lives in a file with owner-only permissions next to the hall file on the PC that owns it (the
hall server, where there is one; terminals never see it), and is backed up separately.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from kiosk.errors import HallError

KEY_BYTES = 32


class KeyFileError(HallError):
    """The key file is missing, unreadable or does not belong to this hall."""


def key_path_for(db_path: str | Path) -> Path:
    """`hall.db` -> `hall.db.key` in the same folder."""
    p = Path(db_path)
    return p.with_name(p.name + ".key")


def fingerprint(key: bytes) -> str:
    """What the hall file may keep to recognise its key: an HMAC output reveals nothing of the key."""
    return hmac.new(key, b"service-hall id-hash key check", hashlib.sha256).hexdigest()[:32]


def read_key(path: Path) -> bytes | None:
    """The key stored at `path`, or None when there is no file; tightens loose permissions."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"无法读取身份证号加密密钥文件 {path}：{exc}") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"身份证号加密密钥文件 {path} 内容不正确，请从备份恢复")
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)  # only the account that runs the hall may read it
    return key


def write_key(path: Path, key: bytes) -> bytes:
    """Create the key file (owner-only, durable); if another process just made one, use that."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        existing = read_key(path)
        if existing is None:
            raise KeyFileError(f"无法创建身份证号加密密钥文件 {path}") from None
        return existing
    except OSError as exc:
        raise KeyFileError(f"无法创建身份证号加密密钥文件 {path}：{exc}") from None
    try:
        os.write(fd, key.hex().encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)
