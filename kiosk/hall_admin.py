"""Windows, staff accounts, signing in at a window, and the hall's settings."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from dataclasses import replace

from kiosk.errors import AuthError, InvalidAction, NotFound, ValidationError
from kiosk.hall_base import HallBase
from kiosk.hall_pin import wait_words
from kiosk.models import Staff, Window
from kiosk.passwords import dummy_hash, hash_password, verify_password
from kiosk.records import serves, window_from_row
from kiosk.settings import HallSettings

LOGIN_MAX_FAILURES = 5  # wrong passwords in a row before a login is locked at the windows
LOGIN_FIRST_LOCK_S = 30  # the first lock-out; each later one doubles
LOGIN_MAX_LOCK_S = 15 * 60
LOGIN = re.compile(r"[A-Za-z0-9_.\-]{1,32}")  # typed at every sign-in: no space, nothing invisible
MAX_NAME = 50  # a window's or a person's name, on the display, the desk and the papers


def name_problems(name: str, what: str) -> list[str]:
    """A name a screen can show: not empty, printable, not a paragraph (a 5,000-character window
    name was stored)."""
    if not name.strip():
        return [f"{what}不能为空"]
    if len(name.strip()) > MAX_NAME or not name.isprintable():
        return [f"{what}应为不超过{MAX_NAME}个可见字符"]
    return []


class AdminService(HallBase):
    def _login_tries_lock(self) -> threading.Lock:
        lock = self.__dict__.get("_login_lock")
        if lock is None:  # as DailyService._jobs_guard: made once per hall, on first use
            lock = self.__dict__.setdefault("_login_lock", threading.Lock())
        return lock

    # --- windows -----------------------------------------------------------------------

    def windows(self) -> list[Window]:
        # straight from the connection: the kiosk's first screen reads them (`Store.rows`)
        with self.store.read() as db:
            return [window_from_row(r) for r in db.rows("SELECT * FROM windows ORDER BY number")]

    def save_window(self, window: Window, new: bool = False) -> None:
        """Create (`new`: refused if the number is taken, never overwriting that window) or change a window."""
        problems = []
        if window.number < 1:
            problems.append("窗口号应为正整数")
        problems += name_problems(window.name, "窗口名称")
        with self._tx():
            conn = self.store.conn
            known = {r[0] for r in conn.execute("SELECT prefix FROM categories")}
            problems += [f"分类“{c}”不存在" for c in window.categories if c not in known]
            same = conn.execute("SELECT number FROM windows WHERE name = ? AND number != ?",
                                (window.name.strip(), window.number)).fetchone()
            if same:  # the display and the tickets say the name: two alike send citizens to the wrong one
                problems.append(f"窗口名称“{window.name.strip()}”已被{same[0]}号窗口使用")
            if new:
                taken = conn.execute("SELECT name FROM windows WHERE number = ?", (window.number,)).fetchone()
                if taken:
                    problems.append(f"{window.number}号窗口已存在（{taken[0]}），请换一个窗口号，或在列表中选中它修改")
            elif not window.active:
                problems += self._still_needed(window.number)
            if problems:
                raise ValidationError(problems, f"{window.number}号窗口")
            stranded_before = set(self._stranded_tickets())
            conn.execute(
                "INSERT INTO windows (number, name, categories, active) VALUES (?, ?, ?, ?) ON CONFLICT(number)"
                " DO UPDATE SET name = excluded.name, categories = excluded.categories, active = excluded.active",
                (window.number, window.name.strip(), json.dumps(list(window.categories)), int(window.active)),
            )
            if stranded := [line for line in self._stranded_tickets() if line not in stranded_before]:
                raise ValidationError(stranded, f"{window.number}号窗口")  # the change is rolled back
            self._event("WindowSaved", window=window.number)

    def _stranded_tickets(self) -> list[str]:
        """Today's waiting tickets that no active window serves (a category's only window
        switched off, or its category unticked): they would wait all day. One line per
        category; a change is refused for the lines it adds, not for ones that were there."""
        rows = self.store.conn.execute(
            "SELECT t.category, c.name, count(*), min(t.number) FROM tickets t JOIN categories c ON c.prefix = t.category"
            " WHERE t.day = ? AND t.status IN ('waiting', 'skipped') AND t.target_window IS NULL AND NOT EXISTS"
            f" (SELECT 1 FROM windows WHERE active = 1 AND {serves('t.category')})"
            " GROUP BY t.category ORDER BY t.category", (self.today().isoformat(),)).fetchall()
        return [f"“{name}”还有{first}{'等' if n > 1 else ''}共{n}人在等候，这样保存后没有窗口能叫他们的号；"
                "请先让别的窗口办理该分类，或等他们办完" for _, name, n, first in rows]

    def _still_needed(self, number: int) -> list[str]:
        """Why window `number` cannot be disabled now: a citizen at it, or tickets sent to it alone
        (nobody else may call those; disabled, they would wait all day)."""
        conn = self.store.conn
        problems = []
        current = conn.execute("SELECT t.number FROM windows w JOIN tickets t ON t.id = w.current_ticket"
                               " WHERE w.number = ? AND t.status IN ('called', 'serving')", (number,)).fetchone()
        if current:
            problems.append(f"{number}号窗口正在办理{current[0]}号，请先办结或转移后再停用")
        sent = [r[0] for r in conn.execute("SELECT number FROM tickets WHERE day = ? AND status = 'waiting'"
                                           " AND target_window = ? ORDER BY id", (self.today().isoformat(), number))]
        if sent:
            problems.append(f"{'、'.join(sent[:5])}{'等' if len(sent) > 5 else ''}{len(sent)}个号转到了{number}号窗口"
                            "等候，请先转给其他窗口后再停用")
        return problems

    # --- staff -------------------------------------------------------------------------

    def staff(self) -> list[Staff]:
        with self.store.read() as db:
            return [Staff(login=r["login"], name=r["name"], role=r["role"], active=bool(r["active"]))
                    for r in db.query("SELECT * FROM staff ORDER BY role DESC, login")]

    def save_staff(self, login: str, name: str, role: str, password: str | None = None, active: bool = True,
                   new: bool = False) -> Staff:
        """Create (`new`: refused if the login is taken, never taking that account over) or change an
        account; the password is stored only as a salted hash."""
        problems = []
        if not LOGIN.fullmatch(login):
            problems.append("登录名应为1到32个英文字母、数字或 _ - .（不含空格）")
        problems += name_problems(name, "姓名")
        if role not in ("manager", "clerk"):
            problems.append("角色应为 manager（管理员）或 clerk（窗口人员）")
        if password is not None and len(password) < 6:
            problems.append("密码至少6位")
        with self._tx():
            exists = self.store.conn.execute("SELECT 1 FROM staff WHERE login = ?", (login,)).fetchone()
            if not exists and password is None:
                problems.append("新账号须设置密码")
            if exists and new:
                problems.append(f"登录名“{login}”已被使用，请换一个登录名，或在列表中选中该账号修改")
            if problems:
                raise ValidationError(problems, f"账号“{login}”")
            if exists:
                self.store.conn.execute("UPDATE staff SET name = ?, role = ?, active = ? WHERE login = ?",
                                        (name, role, int(active), login))
                if password is not None:
                    self.store.conn.execute("UPDATE staff SET password_hash = ? WHERE login = ?",
                                            (hash_password(password), login))
                if not active or password is not None:
                    # a disabled account, or one whose password the manager reset (it may be known to
                    # someone else), acts at no window any longer: whoever uses it signs in again
                    for (window,) in self.store.conn.execute(
                            "UPDATE windows SET clerk = '' WHERE clerk = ? RETURNING number", (login,)).fetchall():
                        self._event("ClerkSignedOut", window=window, clerk=login,
                                    reason="disabled" if not active else "password")
                if not active or password is not None or role != "manager":
                    # and on no manager's console: whoever holds such a console signs in again
                    self.store.conn.execute("DELETE FROM console_sessions WHERE login = ?", (login,))
            else:
                self.store.conn.execute(
                    "INSERT INTO staff (login, name, role, password_hash, active) VALUES (?, ?, ?, ?, ?)",
                    (login, name, role, hash_password(password or ""), int(active)),
                )
            self._event("StaffSaved", clerk=login, role=role)
        return Staff(login=login, name=name, role=role, active=active)

    def has_manager_account(self) -> bool:
        """Whether the hall has an active manager account. The console's sign-in asks it before
        anyone has signed in, to say how the first one is made instead of refusing every try as
        a wrong password; so it answers yes or no and names nobody."""
        with self.store.read():
            row = self.store.conn.execute(
                "SELECT 1 FROM staff WHERE role = 'manager' AND active = 1 LIMIT 1").fetchone()
        return row is not None

    def _check_password(self, login: str, password: str) -> Staff:
        """The account behind a login and password, uncounted: `authenticate` counts the tries."""
        with self.store.read():
            row = self.store.conn.execute(
                "SELECT login, name, role, password_hash, active FROM staff WHERE login = ?", (login,)).fetchone()
        # an unknown or disabled account costs the same hashing as a known one: the time taken
        # must not tell an attacker which logins exist
        ok = verify_password(password, row[3] if row is not None else dummy_hash())
        if row is None or not row[4] or not ok:
            raise AuthError("账号或密码不正确")
        return Staff(login=row[0], name=row[1], role=row[2], active=True)

    def staff_name(self, login: str) -> str:
        with self.store.read():
            row = self.store.conn.execute("SELECT name FROM staff WHERE login = ?", (login,)).fetchone()
        return row[0] if row else login

    def _sign_in_tries(self) -> dict[str, tuple[int, int, dt.datetime | None]]:
        """Wrong passwords per login, wherever they were typed: (failures, lock-outs, locked until)."""
        return self.__dict__.setdefault("_login_tries", {})

    def authenticate(self, login: str, password: str) -> Staff:
        """The account behind a login and password, wherever a person signs in (a window, the
        manager's console).

        Wrong passwords are counted per login, as the kiosk's PIN tries are per kiosk: after
        five in a row the login is locked for 30 s, each later lock-out twice as
        long (at most 15 minutes, so a stranger cannot shut a clerk out for the day). Without it a
        window PC, or a console whose token was copied, could try passwords for the manager's
        login as fast as the server answers. A try is counted before its password is checked, so
        tries sent side by side (the server checks them on parallel threads) share the same five
        instead of each seeing the count before. The counts live in the hall's process (the hall
        server), not in the file: a restart of the server starts them again."""
        now = self.clock()
        key = login[:64]
        with self._login_tries_lock():  # each try is counted before its password is checked
            tries = self._sign_in_tries()
            failures, lockouts, until = tries.get(key, (0, 0, None))
            if until is not None and now < until:
                raise AuthError(f"该账号密码错误次数过多，请{wait_words(int((until - now).total_seconds()) + 1)}后再试")
            if until is not None:  # the lock-out is over: five more tries
                failures, until = 0, None
            if failures >= LOGIN_MAX_FAILURES:  # tries still being checked have used the allowance
                raise AuthError("该账号正在核对密码，请稍后再试")
            tries[key] = (failures + 1, lockouts, None)
        try:
            staff = self._check_password(login, password)
        except AuthError:
            with self._login_tries_lock():
                tries = self._sign_in_tries()
                failures, lockouts, until = tries.get(key, (1, 0, None))
                if failures >= LOGIN_MAX_FAILURES and until is None:
                    lock_s = min(LOGIN_FIRST_LOCK_S * 2 ** min(lockouts, 10), LOGIN_MAX_LOCK_S)
                    tries[key] = (failures, lockouts + 1, now + dt.timedelta(seconds=lock_s))
                    raise AuthError(f"账号或密码不正确；错误次数过多，请{wait_words(lock_s)}后再试") from None
            raise
        except BaseException:  # not a wrong password (the file busy, say): the try is given back
            with self._login_tries_lock():
                failures, lockouts, until = self._sign_in_tries().get(key, (1, 0, None))
                self._sign_in_tries()[key] = (max(0, failures - 1), lockouts, until)
            raise
        with self._login_tries_lock():
            self._sign_in_tries().pop(key, None)
        return staff

    def sign_in(self, window: int, login: str, password: str) -> Staff:
        """A clerk takes a window; the window starts counting in wait estimates. The password's
        tries are counted by `authenticate`."""
        staff = self.authenticate(login, password)
        with self._tx():
            row = self.store.conn.execute("SELECT clerk, active FROM windows WHERE number = ?", (window,)).fetchone()
            if row is None:  # a window PC set up before its window, or a typo in its config
                raise NotFound(f"没有{window}号窗口：请管理员先在管理后台“窗口”页添加它")
            if not row[1]:
                raise InvalidAction(f"{window}号窗口已停用")
            self.store.conn.execute("UPDATE windows SET clerk = ?, paused = 0 WHERE number = ?", (login, window))
            self._event("ClerkSignedIn", window=window, clerk=login)
        return staff

    def sign_out(self, window: int) -> None:
        with self._tx():
            row = self.store.conn.execute(
                "SELECT clerk, current_ticket FROM windows WHERE number = ?", (window,)).fetchone()
            if row is None:
                raise NotFound(f"没有{window}号窗口")
            if row[1] is not None:
                status = self.store.conn.execute("SELECT status FROM tickets WHERE id = ?", (row[1],)).fetchone()
                if status and status[0] in ("called", "serving"):
                    raise InvalidAction(f"{window}号窗口仍有正在办理的号码，请先办结或转移")
            self.store.conn.execute("UPDATE windows SET clerk = '' WHERE number = ?", (window,))
            self._event("ClerkSignedOut", window=window, clerk=row[0])

    # --- settings ----------------------------------------------------------------------

    def update_settings(self, **changes: object) -> HallSettings:
        """Change some settings; all are validated together and stored in one transaction."""
        current = self.settings()
        unknown = [k for k in changes if not hasattr(current, k) or k == "extra"]
        if unknown:
            raise ValidationError([f"未知的设置项：{k}" for k in unknown])
        changed = replace(current, **{k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()})
        problems = changed.validate()
        if problems:
            raise ValidationError(problems, "设置")
        with self._tx():
            self._write_settings(changed)
            self._event("SettingsChanged", keys=sorted(changes))
        return changed

    def reload_settings(self) -> HallSettings:
        """Read the settings afresh (normally not needed: a change anywhere moves the stored
        revision, and every read checks it)."""
        self._forget_config()
        return self.settings()
