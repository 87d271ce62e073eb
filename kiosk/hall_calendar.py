"""The hall's working-day calendar: packaged years, overlaid by what the manager loaded."""

from __future__ import annotations

import datetime as dt
import json

from kiosk.errors import ValidationError
from kiosk.hall_base import HallBase
from kiosk.records import ts
from kiosk.workdays import (
    CalendarFormatError,
    CalendarMissing,
    Deadline,
    WorkCalendar,
    YearSchedule,
    format_year,
    packaged_year,
    parse_year,
    schedule_from_dict,
    schedule_to_dict,
)


class CalendarService(HallBase):
    _calendar_cache: WorkCalendar | None = None

    def _forget_config(self) -> None:
        super()._forget_config()
        self._calendar_cache = None

    def work_calendar(self) -> WorkCalendar:
        """Packaged years around today (last, this, next where the package knows them), then the
        manager's stored years on top: a loaded or edited year always wins."""
        with self.store.read():  # one lock over the check and the rebuild (see settings())
            self._refresh_config()
            if self._calendar_cache is None:
                year = self.today().year
                schedules: dict[int, YearSchedule] = {}
                for y in (year - 1, year, year + 1):
                    try:
                        schedules[y] = packaged_year(y)
                    except CalendarMissing:
                        pass
                with self.store.read() as db:
                    for r in db.query("SELECT data FROM calendar_years"):
                        s = schedule_from_dict(json.loads(r["data"]))
                        schedules[s.year] = s
                self._calendar_cache = WorkCalendar(schedules)
            return self._calendar_cache

    def calendar_years(self) -> list[tuple[int, str]]:
        cal = self.work_calendar()
        return [(y, cal.schedule(y).source) for y in cal.years()]

    def calendar_text(self, year: int) -> str:
        """The year in the editable text format (休 / 班 lines); raises if it is not loaded."""
        try:
            return format_year(self.work_calendar().schedule(year))
        except CalendarMissing as exc:
            raise ValidationError([str(exc)]) from exc

    def load_calendar_year(self, year: int, text: str, source: str = "manager") -> YearSchedule:
        """Store a published (or corrected) year, then recompute deadlines that were provisional."""
        try:
            schedule = parse_year(text, year, source)
        except CalendarFormatError as exc:
            raise ValidationError([str(exc)], f"{year}年日历") from exc
        with self._tx():
            self.store.conn.execute(
                "INSERT INTO calendar_years (year, data, source, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(year) DO UPDATE SET data = excluded.data, source = excluded.source,"
                " updated_at = excluded.updated_at",
                (year, json.dumps(schedule_to_dict(schedule), ensure_ascii=False), source, ts(self.clock())),
            )
            self._bump_config()
            self._calendar_cache = None
            changed = self._recompute_provisional()
            self._event("CalendarLoaded", year=year, source=source, recomputed=changed)
        return schedule

    def deadline(self, start: dt.date, working_days: int) -> Deadline:
        return self.work_calendar().add_working_days(start, working_days)

    def _recompute_provisional(self) -> int:
        """Deadlines counted through an unknown year are recomputed once that year is known."""
        conn = self.store.conn
        n = 0
        for item_id, day, days in conn.execute(
            "SELECT id, day, days FROM pending_items WHERE provisional = 1").fetchall():
            d = self.deadline(dt.date.fromisoformat(day), days)
            conn.execute("UPDATE pending_items SET deadline = ?, provisional = ? WHERE id = ?",
                         (d.date.isoformat(), int(d.provisional), item_id))
            n += 1
        rows = conn.execute(
            "SELECT a.number, a.day, m.promised_days FROM applications a JOIN matters m ON m.code = a.matter_code"
            " WHERE a.promised_provisional = 1").fetchall()
        for number, day, days in rows:
            d = self.deadline(dt.date.fromisoformat(day), days)
            conn.execute("UPDATE applications SET promised_date = ?, promised_provisional = ? WHERE number = ?",
                         (d.date.isoformat(), int(d.provisional), number))
            n += 1
        rows = conn.execute(
            "SELECT id, opened_at, callback_days, rectify_days FROM bad_reviews WHERE provisional = 1").fetchall()
        for review_id, opened_at, callback_days, rectify_days in rows:
            opened = dt.date.fromisoformat(opened_at[:10])
            callback, rectify = self.deadline(opened, callback_days), self.deadline(opened, rectify_days)
            conn.execute("UPDATE bad_reviews SET callback_due = ?, rectify_due = ?, provisional = ? WHERE id = ?",
                         (callback.date.isoformat(), rectify.date.isoformat(),
                          int(callback.provisional or rectify.provisional), review_id))
            n += 1
        return n
