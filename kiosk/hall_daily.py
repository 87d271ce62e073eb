"""The hall's daily jobs, run by the core itself rather than by whoever happens to open a list.

A deadline that passed overnight must take effect at the start of the next day even when no
one looks at the pending items: a hall server runs these jobs at start and after midnight,
and an in-process hall (a single-PC hall on its own file) runs them when it is opened and
before its first change of each day.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from kiosk.errors import HallError
from kiosk.hall_base import HallBase

log = logging.getLogger("kiosk.daily")


@dataclass(frozen=True)
class DailyJobs:
    """What one run of the daily jobs did (for the server's log line)."""

    day: dt.date
    overdue: tuple[str, ...]
    purged: int
    forgotten: int


class DailyService(HallBase):
    _jobs_done: dt.date | None = None  # the day whose jobs have run to the end
    _jobs_running = False

    def _jobs_guard(self) -> threading.RLock:
        """One run at a time per hall; a change on another thread waits for a run under way, so
        nothing is decided on a day whose deadlines have not taken effect yet."""
        lock = self.__dict__.get("_jobs_rlock")
        if lock is None:
            lock = self.__dict__.setdefault("_jobs_rlock", threading.RLock())
        return lock

    def run_daily_jobs(self, force: bool = False) -> DailyJobs | None:
        """Once per day: mark overdue 容缺 items (terminating their applications under the hall's
        policy), purge personal data past retention, forget answers kept for retries."""
        with self._jobs_guard():
            today = self.today()
            if self._jobs_running or (self._jobs_done == today and not force):
                return None  # done already, or these are the jobs' own changes
            self._jobs_running = True
            try:
                overdue = self.check_overdue()  # type: ignore[attr-defined]
                purged = self.purge_personal_data()  # type: ignore[attr-defined]
                forgotten = self.forget_requests(self.clock() - dt.timedelta(days=2))  # type: ignore[attr-defined]
            finally:
                self._jobs_running = False
            self._jobs_done = today
        return DailyJobs(today, tuple(overdue), purged, forgotten)

    def jobs_due(self) -> bool:
        """Whether today's jobs have still to run (the next change will run them first)."""
        return self._jobs_done != self.today()

    def _before_change(self) -> None:
        """Before each outermost transaction: the first change of a new day runs the day's jobs,
        so a deadline that passed overnight has taken effect before anything else is decided."""
        if not self.jobs_due():
            return
        if self.store.holds_lock():  # inside a read of this thread: waiting here could deadlock
            return
        try:
            self.run_daily_jobs()
        except HallError as exc:  # e.g. the file is busy: the change itself will say so if it fails too
            log.warning("每日任务未完成，下次操作时重试：%s", exc)
