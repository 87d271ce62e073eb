"""Terminals registered with the hall server, and changes that must happen only once.

The server keeps these in the hall's own storage (one more table each), so registering a PC,
revoking it and remembering a request's answer share the durability of every other change,
and the server layer itself never writes SQL: the storage seam stays here in the core.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable
from typing import TypeVar

from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.hall_base import HallBase
from kiosk.models import TERMINAL_ROLES, Terminal
from kiosk.records import parse_ts, ts
from kiosk.settings import device_problems

T = TypeVar("T")
ROLE_NAMES = {"kiosk": "取号机", "display": "大厅显示屏", "evaluator": "评价器", "clerk": "窗口工作台",
              "manager": "管理后台"}


def run_role(role: str) -> str:
    """The `run --role` name of a registered terminal role (the manager's console runs as `admin`)."""
    return "admin" if role == "manager" else role


def role_name(role: str) -> str:
    """A terminal's kind in words, from its registered role or its `run --role` name."""
    return ROLE_NAMES.get("manager" if role == "admin" else role, role)


def token_problem(token: str) -> str:
    """Why `token` cannot be a terminal token as pasted, or "": tokens are URL-safe ASCII
    (`secrets.token_urlsafe`), and one with a hanzi, a full-width letter or a space in it was
    mis-copied (it would not even fit in an HTTP header)."""
    token = token.strip()
    if token and token.isascii() and token.isprintable() and " " not in token:
        return ""
    return ("本终端的令牌有误：令牌只含英文字母、数字和 - _，其中混入了中文、全角字符或空格；"
            "请把 terminal add 输出的最后一行原样复制过来")


def token_hash(token: str) -> str:
    """Tokens are 256-bit random strings, so a plain SHA-256 is enough to keep them unusable
    from a copy of the file (no salt or stretching needed, unlike a person's password)."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _terminal_from_row(r: dict) -> Terminal:
    devices = r.get("devices") or ""
    return Terminal(name=r["name"], role=r["role"], window=r["window"],
                    created_at=parse_ts(r["created_at"]),  # type: ignore[arg-type]
                    revoked_at=parse_ts(r["revoked_at"]), last_seen_at=parse_ts(r["last_seen_at"]),
                    place=r.get("place") or "", devices=json.loads(devices) if devices else None)


def _terminal_problems(name: str, role: str, window: int | None, place: str) -> list[str]:
    problems = []
    if not name or len(name) > 64 or any(not c.isprintable() for c in name):
        problems.append("终端名称应为1到64个可见字符")
    if role not in TERMINAL_ROLES:
        problems.append(f"终端角色应为 {'、'.join(TERMINAL_ROLES)} 之一")
    if role in ("clerk", "evaluator") and (window is None or window < 1):
        problems.append("窗口工作台和评价器须指定窗口号")
    if role not in ("clerk", "evaluator") and window is not None:
        problems.append("只有窗口工作台和评价器属于某个窗口")
    if len(place) > 64 or any(not c.isprintable() for c in place):
        problems.append("位置说明最多64个可见字符")
    return problems


def terminal_config(terminal: Terminal, token: str, hall_url: str) -> str:
    """The `terminal.toml` a newly registered PC starts from (see `commands/terminal_config.py`):
    written by the console so the manager carries a file to the PC, not a token to retype."""
    lines = [f"# {terminal.name}（{role_name(terminal.role)}）的终端配置",
             f"hall = {json.dumps(hall_url, ensure_ascii=False)}", f'token = "{token}"',
             f'role = "{run_role(terminal.role)}"']
    if terminal.window is not None:
        lines.append(f"window = {terminal.window}")
    return "\n".join(lines) + "\n"


class TerminalService(HallBase):
    def add_terminal(self, name: str, role: str, window: int | None = None, place: str = "",
                     by: str = "") -> tuple[Terminal, str]:
        """Register a PC; returns it and its token, which is shown this once and stored only hashed.
        `by` is the manager who did it (the console's signed-in login), kept with the event."""
        name = name.strip()
        problems = _terminal_problems(name, role, window, place)
        if problems:
            raise ValidationError(problems, f"终端“{name}”")
        token = secrets.token_urlsafe(32)
        with self._tx():
            self._check_window(window)
            if self.store.conn.execute("SELECT 1 FROM terminals WHERE name = ?", (name,)).fetchone():
                raise InvalidAction(f"终端“{name}”已登记；它的令牌丢失或要换新时，请为它换发新令牌")
            now = self.clock()
            self.store.conn.execute(
                "INSERT INTO terminals (name, role, window, token_hash, created_at, place) VALUES (?, ?, ?, ?, ?, ?)",
                (name, role, window, token_hash(token), ts(now), place.strip()))
            self._event("TerminalAdded", window=window, clerk=by, terminal=name, role=role)
        return Terminal(name, role, window, now, place=place.strip()), token

    def update_terminal(self, name: str, window: int | None = None, place: str = "", by: str = "") -> Terminal:
        """Move a registered PC to another window or say where it now stands; its token stays.
        Its role stays too: a PC that changes what it is gets registered anew."""
        with self._tx():
            row = self.store.conn.execute("SELECT role FROM terminals WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFound(f"没有名为“{name}”的终端")
            problems = _terminal_problems(name, row[0], window, place)
            if problems:
                raise ValidationError(problems, f"终端“{name}”")
            self._check_window(window)
            self.store.conn.execute("UPDATE terminals SET window = ?, place = ? WHERE name = ?",
                                    (window, place.strip(), name))
            self._event("TerminalChanged", window=window, clerk=by, terminal=name)
        return self._terminal(name)

    def set_terminal_devices(self, name: str, devices: dict[str, str | int] | None, by: str = "") -> Terminal:
        """Give a registered PC its own devices (its whole list: a port it does not name is not
        connected), or None to have it use the hall's device settings again. The PC reads them
        when it starts; a console changes them without anyone editing a file on that PC."""
        if devices is not None:
            problems = device_problems(devices)
            if problems:
                raise ValidationError(problems, f"终端“{name}”的设备")
            devices = {k: v.strip() if isinstance(v, str) else v for k, v in devices.items()}
        with self._tx():
            if self.store.conn.execute("SELECT 1 FROM terminals WHERE name = ?", (name,)).fetchone() is None:
                raise NotFound(f"没有名为“{name}”的终端")
            stored = "" if devices is None else json.dumps(devices, ensure_ascii=False, sort_keys=True)
            self.store.conn.execute("UPDATE terminals SET devices = ? WHERE name = ?", (stored, name))
            self._event("TerminalChanged", clerk=by, terminal=name)
        return self._terminal(name)

    def _check_window(self, window: int | None) -> None:
        if window is not None and self.store.conn.execute(
                "SELECT 1 FROM windows WHERE number = ?", (window,)).fetchone() is None:
            raise NotFound(f"{window}号窗口不存在，请先添加该窗口（管理后台“窗口”页，或命令 window add）")

    def _terminal(self, name: str) -> Terminal:
        return next(t for t in self.terminals() if t.name == name)

    def terminals(self) -> list[Terminal]:
        with self.store.read() as db:
            return [_terminal_from_row(r) for r in db.query("SELECT * FROM terminals ORDER BY name")]

    def revoke_terminal(self, name: str, by: str = "") -> Terminal:
        """Stop a PC's token at once (lost, stolen or retired); `reissue_terminal` brings it back."""
        with self._tx():
            row = self.store.conn.execute("SELECT revoked_at FROM terminals WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFound(f"没有名为“{name}”的终端")
            if row[0] is None:
                self.store.conn.execute("UPDATE terminals SET revoked_at = ? WHERE name = ?", (ts(self.clock()), name))
                self._event("TerminalRevoked", clerk=by, terminal=name)
            # a lost console's manager is nobody's now
            self.store.conn.execute("DELETE FROM console_sessions WHERE terminal = ?", (name,))
        return self._terminal(name)

    def reissue_terminal(self, name: str, by: str = "") -> tuple[Terminal, str]:
        """A new token for a registered terminal (lost, or revoked and coming back); the old one dies."""
        token = secrets.token_urlsafe(32)
        with self._tx():
            if self.store.conn.execute("SELECT 1 FROM terminals WHERE name = ?", (name,)).fetchone() is None:
                raise NotFound(f"没有名为“{name}”的终端")
            self.store.conn.execute("UPDATE terminals SET token_hash = ?, revoked_at = NULL WHERE name = ?",
                                    (token_hash(token), name))
            # whoever holds the new token (a new stick, a reinstalled PC) signs in for themselves
            self.store.conn.execute("DELETE FROM console_sessions WHERE terminal = ?", (name,))
            self._event("TerminalReissued", clerk=by, terminal=name)
        return self._terminal(name), token

    def terminal_for_token(self, token: str) -> Terminal | None:
        """The active terminal holding this token, or None (unknown or revoked)."""
        digest = token_hash(token)
        with self.store.read() as db:
            rows = list(db.query("SELECT * FROM terminals WHERE token_hash = ?", [digest]))
        if not rows or rows[0]["revoked_at"]:  # found by its hash: nothing left to compare
            return None
        return _terminal_from_row(rows[0])

    def mark_terminals_seen(self, names: dict[str, dt.datetime]) -> None:
        """Record when each terminal was last heard from (batched by the server, not per request)."""
        if not names:
            return
        with self._tx():
            self.store.conn.executemany("UPDATE terminals SET last_seen_at = ? WHERE name = ?",
                                        [(ts(at), n) for n, at in names.items()])

    # --- the manager signed in on each console -------------------------------------------
    #
    # A console's token travels on a USB stick (the 终端登记 tab writes its terminal.toml), so
    # the token alone must not be a manager: like a window PC, whose token acts only while a clerk
    # is signed in at its window, a console acts as a manager only while one has signed in on it.
    # None of these is a remote method but `end_console_session`, which the server calls with the
    # calling console's own name: sessions are opened and read by the server alone.

    def open_console_session(self, terminal: str, login: str) -> None:
        """The manager `login` signed in on the console `terminal` (the server, after that
        manager's `authenticate` there succeeded). Kept in the file, so a restart of the server
        signs nobody out; a later sign-in on the same console replaces it."""
        with self._tx():
            self.store.conn.execute(
                "INSERT INTO console_sessions (terminal, login, opened_at) VALUES (?, ?, ?) ON CONFLICT(terminal)"
                " DO UPDATE SET login = excluded.login, opened_at = excluded.opened_at",
                (terminal, login, ts(self.clock())))

    def console_session(self, terminal: str) -> str:
        """The manager signed in on the console `terminal`, or "" for nobody. A session opened on
        another day than today is not honoured (a console left signed in overnight asks again in
        the morning), nor one whose account is no longer an active manager's."""
        with self.store.read():
            row = self.store.conn.execute(
                "SELECT s.login, s.opened_at FROM console_sessions s JOIN staff a ON a.login = s.login"
                " WHERE s.terminal = ? AND a.role = 'manager' AND a.active = 1", (terminal,)).fetchone()
        if row is None:
            return ""
        opened = parse_ts(row[1])
        return row[0] if opened is not None and opened.date() == self.today() else ""

    def end_console_session(self, terminal: str = "") -> None:
        """The console `terminal` signs out (its manager pressed 退出 or closed the console). On
        the hall server `terminal` is always the calling console's own name, whatever it sends."""
        with self._tx():
            self.store.conn.execute("DELETE FROM console_sessions WHERE terminal = ?", (terminal,))

    # --- changes that happen once ----------------------------------------------------------

    def once(self, key: str, terminal: str, action: Callable[[], T],
             encode: Callable[[T], tuple[int, bytes]], *, durable: bool = True) -> tuple[int, bytes]:
        """Run `action` unless a change with this key was already made; either way return the
        stored answer. The answer is stored in the change's own transaction, so after a crash
        either both are there or neither: a retry never doubles a ticket or an acceptance.
        `durable=False` for a change that may ride without its own fsync (QueueService.light_commit):
        a lost answer then goes with its lost change, and the retry makes it again."""
        scoped = f"{terminal}\x1f{key}"
        with self._tx(durable=durable):
            row = self.store.conn.execute("SELECT status, body FROM request_results WHERE key = ?",
                                          (scoped,)).fetchone()
            if row is not None:
                return int(row[0]), bytes(row[1])
            status, body = encode(action())
            self.store.conn.execute(
                "INSERT INTO request_results (key, terminal, at, status, body) VALUES (?, ?, ?, ?, ?)",
                (scoped, terminal, ts(self.clock()), status, body))
        return status, body

    def forget_requests(self, before: dt.datetime) -> int:
        """Drop remembered answers older than any retry can be (the server's daily job)."""
        with self._tx():
            return self.store.conn.execute("DELETE FROM request_results WHERE at < ?", (ts(before),)).rowcount
