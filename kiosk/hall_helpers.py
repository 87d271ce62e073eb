"""Helper calls from the floor, the devices each terminal reports, and the hall board.

A kiosk's 呼叫帮办 used to write a log line; now it is a stored call that reaches every signed-in
clerk and the manager, is taken by one person (everyone else sees who), and is raised again
and marked late when nobody takes it in the hall's set time. Terminals report their devices
whenever a state changes, so the manager sees a kiosk out of paper, and the report can say how
long each device was out of order.
"""

from __future__ import annotations

import datetime as dt
import statistics

from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.hall_base import HallBase
from kiosk.models import (
    DEVICE_NAMES,
    DEVICE_STATES,
    HELPER_REASONS,
    Alarm,
    BoardWindow,
    DeviceState,
    DowntimeFigure,
    HallBoard,
    HelperCall,
    TerminalStatus,
)
from kiosk.records import parse_ts, ts

LOCAL_TERMINAL = "本机"  # a single-PC hall's own kiosk, which has no registered name
ONLINE_SECONDS = 60  # a terminal not heard from for longer is shown offline (and raises an alarm)


def _call_from_row(r: dict, names: dict[str, str]) -> HelperCall:
    return HelperCall(id=r["id"], terminal=r["terminal"], place=r["place"], screen=r["screen"],
                      matter_code=r["matter_code"], matter_name=r["matter_name"], reason=r["reason"],
                      at=parse_ts(r["at"]), taken_by=r["taken_by"],  # type: ignore[arg-type]
                      taken_by_name=names.get(r["taken_by"], r["taken_by"]), taken_at=parse_ts(r["taken_at"]),
                      closed_at=parse_ts(r["closed_at"]), late=bool(r["late"]))


class HelperService(HallBase):
    # --- helper calls ----------------------------------------------------------------------

    def call_helper(self, *, reason: str = "asked", screen: str = "", matter_code: str = "",
                    terminal: str = "", place: str = "", update_call: int | None = None) -> HelperCall:
        """A citizen asks for a person. Over the network the server names the kiosk and its place.

        `update_call`: this citizen's call, still open, that learns a new reason instead of a
        second call (the checklist would not print after she had already pressed 呼叫帮办): it
        rings again with the new reason, so whoever is on the way knows to bring the one-time
        notice. A plain press (`asked`) keeps the reason already known; a call already closed,
        or another kiosk's, is not touched and a new call is made. Each citizen's call stays
        their own (the report counts and times them)."""
        if reason not in HELPER_REASONS:
            raise ValidationError([f"呼叫原因应为 {'、'.join(HELPER_REASONS)} 之一"], "呼叫帮办")
        terminal = (terminal or LOCAL_TERMINAL)[:64]
        with self._tx():
            conn = self.store.conn
            matter_name = ""
            if matter_code:
                row = conn.execute("SELECT name FROM matters WHERE code = ?", (matter_code,)).fetchone()
                matter_name = row[0] if row else ""
            if not place:
                row = conn.execute("SELECT place FROM terminals WHERE name = ?", (terminal,)).fetchone()
                place = row[0] if row else ""
            now = self.clock()
            open_call = None if update_call is None else conn.execute(
                "SELECT id, reason FROM helper_calls WHERE id = ? AND terminal = ? AND closed_at IS NULL",
                (update_call, terminal)).fetchone()
            if open_call is None:
                cur = conn.execute(
                    "INSERT INTO helper_calls (terminal, place, screen, matter_code, matter_name, reason, at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (terminal, place[:64], screen[:32], matter_code[:64], matter_name, reason, ts(now)))
                call_id = cur.lastrowid or 0
            else:
                call_id = open_call[0]
                if reason == "asked":
                    reason = open_call[1]
                else:
                    conn.execute("UPDATE helper_calls SET reason = ?, screen = ?, matter_code = ?, matter_name = ?"
                                 " WHERE id = ?", (reason, screen[:32], matter_code[:64], matter_name, call_id))
            self._event("HelperCalled", at=now, call=call_id, terminal=terminal, place=place,
                        reason=reason, label=HELPER_REASONS[reason], matter=matter_name, again=open_call is not None)
        return self.helper_call(call_id)

    def helper_call(self, call_id: int) -> HelperCall:
        with self.store.read() as db:
            rows = list(db.query("SELECT * FROM helper_calls WHERE id = ?", [call_id]))
            if not rows:
                raise NotFound(f"没有编号为{call_id}的帮办呼叫")
            return _call_from_row(rows[0], self._staff_names())

    def helper_calls(self, open_only: bool = True) -> list[HelperCall]:
        """Open calls (not closed yet), oldest first; or today's calls, all of them."""
        with self.store.read() as db:
            if open_only:
                rows = db.query("SELECT * FROM helper_calls WHERE closed_at IS NULL ORDER BY at")
            else:
                rows = db.query("SELECT * FROM helper_calls WHERE at >= ? ORDER BY at",
                                [self.today().isoformat()])
            names = self._staff_names()
            return [_call_from_row(r, names) for r in rows]

    def take_helper_call(self, call_id: int, staff: str) -> HelperCall:
        """One staff member goes ("我去处理"); a second one is told who already went."""
        if not staff:
            raise ValidationError(["请先登录，再接手帮办呼叫"], "帮办")
        with self._tx():
            row = self.store.conn.execute("SELECT taken_by, closed_at, terminal FROM helper_calls WHERE id = ?",
                                          (call_id,)).fetchone()
            if row is None:
                raise NotFound(f"没有编号为{call_id}的帮办呼叫")
            if row[1]:
                raise InvalidAction("这次呼叫已处理完毕")
            if row[0] and row[0] != staff:
                raise InvalidAction(f"{self._staff_names().get(row[0], row[0])} 已前往处理这次呼叫")
            if not row[0]:
                now = self.clock()
                self.store.conn.execute("UPDATE helper_calls SET taken_by = ?, taken_at = ? WHERE id = ?",
                                        (staff, ts(now), call_id))
                name = self._staff_names().get(staff, staff)
                self._event("HelperCallTaken", at=now, clerk=staff, call=call_id, terminal=row[2], staff_name=name)
        return self.helper_call(call_id)

    def close_helper_call(self, call_id: int, staff: str = "") -> HelperCall:
        with self._tx():
            row = self.store.conn.execute("SELECT closed_at, terminal, taken_by FROM helper_calls WHERE id = ?",
                                          (call_id,)).fetchone()
            if row is None:
                raise NotFound(f"没有编号为{call_id}的帮办呼叫")
            if not row[0]:
                now = self.clock()
                self.store.conn.execute(
                    "UPDATE helper_calls SET closed_at = ?, taken_by = CASE WHEN taken_by = '' THEN ? ELSE taken_by END,"
                    " taken_at = coalesce(taken_at, ?) WHERE id = ?", (ts(now), staff, ts(now), call_id))
                self._event("HelperCallClosed", at=now, clerk=staff, call=call_id, terminal=row[1])
        return self.helper_call(call_id)

    def escalate_helper_calls(self) -> list[HelperCall]:
        """Raise again every call nobody took within the hall's set time (the server runs this
        every few seconds; on a single PC the clerk desks do). Each is marked late once."""
        limit = self.settings().helper_response_seconds
        cutoff = self.clock() - dt.timedelta(seconds=limit)
        with self._tx():
            rows = list(self.store.conn.execute(
                "SELECT id, terminal FROM helper_calls WHERE closed_at IS NULL AND taken_at IS NULL AND late = 0"
                " AND at <= ?", (ts(cutoff),)))
            for call_id, terminal in rows:
                self.store.conn.execute("UPDATE helper_calls SET late = 1 WHERE id = ?", (call_id,))
                self._event("HelperCallLate", call=call_id, terminal=terminal,
                            message=f"{terminal} 的帮办呼叫已超过{limit}秒无人接手")
        return [self.helper_call(r[0]) for r in rows]

    def _staff_names(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.store.conn.execute("SELECT login, name FROM staff")}

    # --- devices -------------------------------------------------------------------------------

    def report_devices(self, states: tuple[DeviceState, ...], terminal: str = "") -> None:
        """A terminal says how its devices are; only changes are stored (and open or close a
        stretch of downtime), so reporting the same state again costs a read, not a write."""
        problems = [f"设备应为 {'、'.join(DEVICE_NAMES)} 之一" for s in states if s.device not in DEVICE_NAMES]
        problems += [f"设备状态应为 {'、'.join(DEVICE_STATES)} 之一" for s in states if s.state not in DEVICE_STATES]
        devices = [s.device for s in states]
        # one state per device and report: two would be judged against the same stored state, and
        # an "offline, then ok" pair left a stretch of downtime open that never ends
        problems += [f"设备“{d}”在一次报告中出现了多次" for d in devices if devices.count(d) > 1]
        if problems:
            raise ValidationError(sorted(set(problems)), "设备状态")
        terminal = (terminal or LOCAL_TERMINAL)[:64]
        with self.store.read():
            known = {r[0]: (r[1], r[2]) for r in self.store.conn.execute(
                "SELECT device, state, message FROM device_states WHERE terminal = ?", (terminal,))}
        changed = [s for s in states if known.get(s.device) != (s.state, s.message[:200])]
        if not changed:
            return
        with self._tx():
            now = self.clock()
            for s in changed:
                before = known.get(s.device, ("ok", ""))[0]
                self.store.conn.execute(
                    "INSERT INTO device_states (terminal, device, state, message, since) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT(terminal, device) DO UPDATE SET state = excluded.state, message = excluded.message,"
                    " since = CASE WHEN device_states.state = excluded.state THEN device_states.since"
                    " ELSE excluded.since END",
                    (terminal, s.device, s.state, s.message[:200], ts(now)))
                was_ok, is_ok = before in ("ok", "paper_low"), s.ok
                if was_ok and not is_ok:
                    self.store.conn.execute(
                        "INSERT INTO device_downtime (terminal, device, state, started) VALUES (?, ?, ?, ?)",
                        (terminal, s.device, s.state, ts(now)))
                elif not was_ok and is_ok:
                    self.store.conn.execute(
                        "UPDATE device_downtime SET ended = ? WHERE terminal = ? AND device = ? AND ended IS NULL",
                        (ts(now), terminal, s.device))
                self._event("DeviceStateChanged", at=now, terminal=terminal, device=s.device, state=s.state,
                            message=s.message[:200])

    def device_states(self) -> dict[str, tuple[DeviceState, ...]]:
        with self.store.read() as db:
            out: dict[str, list[DeviceState]] = {}
            for r in db.query("SELECT * FROM device_states ORDER BY terminal, device"):
                out.setdefault(r["terminal"], []).append(
                    DeviceState(r["device"], r["state"], r["message"], parse_ts(r["since"])))
        return {k: tuple(v) for k, v in out.items()}

    # --- the board -------------------------------------------------------------------------------

    def hall_board(self) -> HallBoard:
        """Every terminal online or not, each device, every window, the queue and open calls,
        and the alarms that stay until someone deals with them."""
        now = self.clock()
        status = self.queue_status()  # type: ignore[attr-defined]
        devices = self.device_states()
        calls = self.helper_calls()
        with self.store.read() as db:
            names = self._staff_names()
            terminal_rows = list(db.query("SELECT * FROM terminals WHERE revoked_at IS NULL ORDER BY name"))
            window_rows = {r["number"]: r for r in db.query("SELECT number, active FROM windows")}
        terminals = []
        alarms: list[Alarm] = []
        for r in terminal_rows:
            seen = parse_ts(r["last_seen_at"])
            online = seen is not None and (now - seen).total_seconds() <= ONLINE_SECONDS
            terminals.append(TerminalStatus(r["name"], r["role"], r["window"], r["place"], online, seen,
                                            devices.get(r["name"], ())))
            if seen is not None and not online:
                alarms.append(Alarm("offline", f"{r['name']} 已离线（最近在线 {seen:%H:%M}）", seen, r["name"]))
        for name in sorted(set(devices) - {r["name"] for r in terminal_rows}):  # the local kiosk, unregistered
            terminals.append(TerminalStatus(name, "kiosk", None, "", True, None, devices[name]))
        for t in terminals:
            for d in t.devices:
                if not d.ok:
                    kind = "paper_out" if d.state == "paper_out" else "device"
                    alarms.append(Alarm(kind, f"{t.name}：{DEVICE_NAMES.get(d.device, d.device)}"
                                              f"{DEVICE_STATES.get(d.state, d.state)}", d.since, t.name))
        for c in calls:
            if not c.taken_at:
                late = "（已超时）" if c.late else ""
                alarms.append(Alarm("helper", f"{c.terminal}{('·' + c.place) if c.place else ''} 呼叫帮办："
                                              f"{c.reason_label}{late}", c.at, c.terminal))
        windows = tuple(BoardWindow(w.number, w.name, w.clerk, names.get(w.clerk, w.clerk), w.current, w.paused,
                                    bool(window_rows.get(w.number, {"active": 1})["active"]))
                        for w in status.windows)
        return HallBoard(at=now, terminals=tuple(terminals), windows=windows, waiting=dict(status.waiting),
                         helper_calls=tuple(calls), alarms=tuple(alarms))

    # --- figures -------------------------------------------------------------------------------

    def helper_figures(self, date_from: dt.date, date_to: dt.date) -> dict[str, object]:
        """Helper calls and device downtime over the days, for the report."""
        a, b = date_from.isoformat(), (date_to + dt.timedelta(days=1)).isoformat()
        with self.store.read() as db:
            calls = list(db.query("SELECT at, taken_at, late FROM helper_calls WHERE at >= ? AND at < ?", [a, b]))
            stretches = list(db.query(
                "SELECT terminal, device, started, ended FROM device_downtime WHERE started < ?"
                " AND (ended IS NULL OR ended >= ?)", [b, a]))
        waits = [(parse_ts(c["taken_at"]) - parse_ts(c["at"])).total_seconds()  # type: ignore[operator]
                 for c in calls if c["taken_at"]]
        start, end = dt.datetime.fromisoformat(a), min(dt.datetime.fromisoformat(b), self.clock())
        totals: dict[tuple[str, str], list[float]] = {}
        for s in stretches:
            began = max(parse_ts(s["started"]), start)  # type: ignore[type-var]
            ended = min(parse_ts(s["ended"]) or end, end)  # type: ignore[type-var]
            totals.setdefault((s["terminal"], s["device"]), []).append(max(0.0, (ended - began).total_seconds()))
        return {
            "helper_calls": len(calls),
            "helper_calls_late": sum(1 for c in calls if c["late"]),
            "helper_take_median_s": round(statistics.median(waits), 1) if waits else 0.0,
            "helper_take_longest_s": round(max(waits), 1) if waits else 0.0,
            "device_downtime": tuple(DowntimeFigure(t, d, round(sum(v), 1), len(v))
                                     for (t, d), v in sorted(totals.items())),
        }
