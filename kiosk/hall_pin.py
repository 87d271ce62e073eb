"""The manager PIN that lets staff leave the kiosk's full screen.

Kept out of the settings (every terminal may read those, and a 4-digit PIN's hash falls in a
second) as a salted hash like passwords, and checked only here: wrong tries are counted in the
hall file per kiosk, so neither cancelling the dialog nor restarting the program resets them,
and each lock-out lasts twice as long as the one before. There is no working default: until
a PIN is set, the kiosk asks for one.
"""

from __future__ import annotations

import datetime as dt
import json

from kiosk.errors import InvalidAction, ValidationError
from kiosk.hall_base import HallBase
from kiosk.models import PinCheck
from kiosk.passwords import hash_password, verify_password
from kiosk.records import parse_ts, ts

PIN_MAX_FAILURES = 5  # wrong tries before a lock-out
PIN_FIRST_LOCK_S = 30  # the first lock-out; each later one doubles
PIN_MAX_LOCK_S = 24 * 3600


def pin_problems(pin: str) -> list[str]:
    if not (isinstance(pin, str) and pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8):
        return ["管理员PIN应为4到8位数字"]
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        return ["管理员PIN不能是相同或连续的数字（如1111、1234）"]
    return []


class PinService(HallBase):
    def manager_pin_is_set(self) -> bool:
        """Whether the hall has a manager PIN yet (the kiosk asks for one on first use if not)."""
        with self.store.read():
            row = self.store.conn.execute("SELECT 1 FROM settings WHERE key = '_manager_pin'").fetchone()
        return row is not None

    def set_first_manager_pin(self, pin: str) -> None:
        """The kiosk's first start: the PIN staff choose there. Refused once one is set."""
        problems = pin_problems(pin)
        if problems:
            raise ValidationError(problems)
        with self._tx():
            if self.store.conn.execute("SELECT 1 FROM settings WHERE key = '_manager_pin'").fetchone():
                raise InvalidAction("管理员PIN已经设置；如需更改，请在管理后台修改")
            self._store_pin(pin)

    def set_manager_pin(self, pin: str) -> None:
        """Change the PIN (the manager's console, behind a staff login)."""
        problems = pin_problems(pin)
        if problems:
            raise ValidationError(problems, "设置")
        with self._tx():
            self._store_pin(pin)
            self.store.conn.execute("DELETE FROM pin_tries")  # a new PIN starts with a clean slate

    def _store_pin(self, pin: str) -> None:
        self.store.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('_manager_pin', ?) ON CONFLICT(key)"
            " DO UPDATE SET value = excluded.value", (json.dumps(hash_password(pin)),))
        self._event("ManagerPinSet")

    def verify_manager_pin(self, pin: str, terminal: str = "") -> PinCheck:
        """Check a PIN typed at a kiosk; every wrong try is counted before the answer is given."""
        now = self.clock()
        with self._tx():
            conn = self.store.conn
            row = conn.execute("SELECT value FROM settings WHERE key = '_manager_pin'").fetchone()
            if row is None:
                return PinCheck(ok=False, unset=True, message="尚未设置管理员PIN：请设置一个4到8位数字的PIN")
            tries = conn.execute("SELECT failures, lockouts, locked_until FROM pin_tries WHERE terminal = ?",
                                 (terminal,)).fetchone()
            failures, lockouts, locked_until = tries if tries else (0, 0, None)
            until = parse_ts(locked_until)
            if until is not None and now < until:
                wait = int((until - now).total_seconds()) + 1
                return PinCheck(ok=False, locked_seconds=wait, message=f"尝试次数过多，请{wait_words(wait)}后再试")
            if verify_password(str(pin)[:16], json.loads(row[0])):
                conn.execute("DELETE FROM pin_tries WHERE terminal = ?", (terminal,))
                self._event("ManagerPinAccepted", terminal=terminal)
                return PinCheck(ok=True, message="")
            failures += 1
            until = None
            if failures >= PIN_MAX_FAILURES:
                lock_s = min(PIN_FIRST_LOCK_S * 2 ** min(lockouts, 20), PIN_MAX_LOCK_S)
                until, failures, lockouts = now + dt.timedelta(seconds=lock_s), 0, lockouts + 1
            conn.execute(
                "INSERT INTO pin_tries (terminal, failures, lockouts, locked_until) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(terminal) DO UPDATE SET failures = excluded.failures, lockouts = excluded.lockouts,"
                " locked_until = excluded.locked_until", (terminal, failures, lockouts, ts(until) if until else None))
            self._event("ManagerPinRefused", terminal=terminal, locked=until is not None)
        if until is not None:
            wait = int((until - now).total_seconds())
            return PinCheck(ok=False, locked_seconds=wait, message=f"PIN不正确；尝试次数过多，请{wait_words(wait)}后再试")
        return PinCheck(ok=False, tries_left=PIN_MAX_FAILURES - failures,
                        message=f"PIN不正确，还可尝试{PIN_MAX_FAILURES - failures}次")

    def _migrate_manager_pin(self) -> None:
        """An older version kept the PIN in plain text among the settings every terminal reads:
        hash it (unless it is the old shipped default, which must not keep working) and drop it."""
        with self.store.read():
            row = self.store.conn.execute("SELECT value FROM settings WHERE key = 'manager_pin'").fetchone()
        if row is None:
            return
        with self._tx():
            old = json.loads(row[0])
            if isinstance(old, str) and not pin_problems(old) and old != "2468" and not self.manager_pin_is_set():
                self._store_pin(old)
            self.store.conn.execute("DELETE FROM settings WHERE key = 'manager_pin'")
            self._bump_config()


def wait_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds}秒"
    if seconds < 7200:
        return f"{(seconds + 59) // 60}分钟"
    return f"{(seconds + 3599) // 3600}小时"
