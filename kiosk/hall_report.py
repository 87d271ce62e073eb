"""The hall's figures for a day or a date range.

Closed days are summarised once into day_figures / day_totals, in SQL, and read from there;
today is computed live by the same SQL. A change that touches a closed day (a late on-site supply adding a visit)
drops that day's summary so the next report recomputes it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

from kiosk.errors import ValidationError
from kiosk.hall_base import HallBase
from kiosk.models import EVALUATION_LEVELS, NO_SHOW, Report
from kiosk.report_figures import BUCKET_S, LONGEST_SERVICE_S, Group, GroupKey, group_from_row

if TYPE_CHECKING:
    import sqlite3

SATISFIED_LEVELS = (3, 4, 5)  # 基本满意 and better
_TICKET_COLUMNS = "category, window, clerk, status, issued_at, called_at, started_at, finished_at"
# the reform is judged by this figure, so whoever reads it must be able to see how it was counted
ONE_VISIT_DEFINITIONS = (
    "办件数：已受理的办件（含容缺受理、已办结、因逾期终止的），不含一次性告知后未再申请的；"
    "同一申请人就同一事项在一次性告知或终止后重新申请的，只计最新一件",
    "跑动次数：首次取号算一次，此后同一办件每次再取号（重新申请或现场补交容缺材料）各加一次；"
    "邮寄或网上补交不加次数；一次性告知或终止后重新申请的，沿用此前的跑动次数",
    "一次办结：跑动一次且已达成办理目的的办件（已受理，容缺材料已补齐）；容缺材料尚未补齐的暂不计入，"
    "补齐后计入受理当天；因逾期终止或逾期待补的不算一次办结",
    "转出：在本窗口接待后转往其他窗口或分类的号；这段接待计入本窗口、本人和原分类的平均办理，"
    "该号的取号、办结计在最后办理它的分类和窗口",
)
_TOTALS = ("acceptances", "rongque_acceptances", "notices", "applications", "one_visit", "ratings", "satisfied")


EARLIEST = dt.date(2000, 1, 1)  # no hall of this system kept queues before
MAX_REPORT_DAYS = 3660  # ten years in one report; each day is summarised once


class ReportService(HallBase):
    def report(self, date_from: dt.date, date_to: dt.date | None = None) -> Report:
        date_to = date_to or date_from
        if date_to < date_from:
            raise ValidationError([f"结束日期{date_to}早于开始日期{date_from}"])
        if date_from < EARLIEST or (date_to - date_from).days > MAX_REPORT_DAYS or date_to.year > 2999:
            raise ValidationError([f"统计期间应在{EARLIEST.year}年以后、最长{MAX_REPORT_DAYS // 365}年"])
        self.check_overdue()  # type: ignore[attr-defined]
        today = self.today()
        self.close_days(date_from, min(date_to, today - dt.timedelta(days=1)))
        a, b = date_from.isoformat(), date_to.isoformat()
        groups: dict[GroupKey, Group] = {}
        totals = dict.fromkeys(_TOTALS, 0)
        conn = self.store.conn
        with self.store.read():
            for row in conn.execute("SELECT * FROM day_figures WHERE day BETWEEN ? AND ?", (a, b)):
                key, g = group_from_row(row)
                groups.setdefault(key, Group()).add(g)
            for row in conn.execute(f"SELECT {', '.join(_TOTALS)} FROM day_totals WHERE day BETWEEN ? AND ?", (a, b)):
                for k, v in zip(_TOTALS, row, strict=True):
                    totals[k] += v
            if date_from <= today <= date_to:
                for key, g in self._day_groups(today.isoformat()).items():
                    groups.setdefault(key, Group()).add(g)
                for k, v in self._day_totals(today.isoformat()).items():
                    totals[k] += v
            pending = dict(conn.execute(
                "SELECT status, count(*) FROM pending_items WHERE day BETWEEN ? AND ? GROUP BY status", (a, b)).fetchall())
            open_bad = conn.execute(  # of the period's bad reviews, those not yet rectified
                "SELECT count(*) FROM bad_reviews WHERE status != 'closed' AND substr(opened_at, 1, 10) BETWEEN ? AND ?",
                (a, b)).fetchone()[0]
            cat_names = dict(conn.execute("SELECT prefix, name FROM categories").fetchall())
            win_names = dict(conn.execute("SELECT number, name FROM windows").fetchall())
            staff_names = dict(conn.execute("SELECT login, name FROM staff").fetchall())
        defaulted, definitions = self._unrated_counted(a, b, today)
        totals["ratings"] += defaulted
        if self.settings().unrated_counts_as in SATISFIED_LEVELS:
            totals["satisfied"] += defaulted
        by_cat: dict[str, Group] = {}
        by_win: dict[int, Group] = {}
        by_clerk: dict[str, Group] = {}
        total = Group()
        for (category, window, clerk), g in groups.items():
            total.add(g)
            by_cat.setdefault(category, Group()).add(g)
            if window:
                by_win.setdefault(window, Group()).add(g)
            if clerk:
                by_clerk.setdefault(clerk, Group()).add(g)
        return Report(
            date_from=date_from, date_to=date_to, totals=total.figures("*", "全部"),
            by_category=tuple(g.figures(k, cat_names.get(k, k)) for k, g in sorted(by_cat.items())),
            by_window=tuple(g.figures(str(k), win_names.get(k, f"{k}号窗口")) for k, g in sorted(by_win.items())),
            by_clerk=tuple(g.figures(k, staff_names.get(k, k)) for k, g in sorted(by_clerk.items())),
            acceptances=totals["acceptances"], rongque_acceptances=totals["rongque_acceptances"],
            notices=totals["notices"], pending_open=pending.get("open", 0),
            pending_supplied=pending.get("supplied", 0), pending_overdue=pending.get("overdue", 0),
            applications=totals["applications"], one_visit=totals["one_visit"],
            one_visit_share=totals["one_visit"] / totals["applications"] if totals["applications"] else 0.0,
            ratings=totals["ratings"], satisfied=totals["satisfied"],
            satisfaction=totals["satisfied"] / totals["ratings"] if totals["ratings"] else 0.0,
            open_bad_reviews=open_bad, definitions=ONE_VISIT_DEFINITIONS + definitions, unrated_counted=defaulted,
            **self.helper_figures(date_from, date_to),  # type: ignore[attr-defined, arg-type]
        )

    def _unrated_counted(self, a: str, b: str, today: dt.date) -> tuple[int, tuple[str, ...]]:
        """Served tickets nobody rated that, under the hall's setting, count as a given level once
        the set number of working days has passed (computed live: a closed day stays as it was)."""
        s = self.settings()
        if not s.unrated_counts_as:
            return 0, ("未评价的业务不计入评价数和满意率",)
        level = EVALUATION_LEVELS[s.unrated_counts_as]
        note = f"办结后{s.unrated_after_days}个工作日内未评价的业务视为“{level}”，计入评价数"
        with self.store.read():
            per_day = self.store.conn.execute(
                "SELECT t.day, count(*) FROM tickets t WHERE t.day BETWEEN ? AND ? AND t.status = 'done'"
                f" AND t.finish_reason != '{NO_SHOW}' AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.ticket_id = t.id) GROUP BY t.day",
                (a, b)).fetchall()
        n = 0
        for day, count in per_day:
            if self.deadline(dt.date.fromisoformat(day), s.unrated_after_days).date < today:  # type: ignore[attr-defined]
                n += count
        return n, (note,)

    def close_days(self, first: dt.date, last: dt.date) -> int:
        """Summarise every closed day in [first, last] that has no summary yet; returns how many.
        Today and later are never closed: their figures are still moving.

        In SQL, a week of days per statement and transaction: the figures of a year imported
        without summaries are built in seconds, and no kiosk waits long behind the write lock.
        """
        last = min(last, self.today() - dt.timedelta(days=1))
        first = max(first, EARLIEST, last - dt.timedelta(days=MAX_REPORT_DAYS))
        if last < first:
            return 0
        conn = self.store.conn
        with self.store.read():
            done = {r[0] for r in conn.execute("SELECT day FROM day_totals WHERE day BETWEEN ? AND ?",
                                               (first.isoformat(), last.isoformat()))}
        todo = []
        d = first
        while d <= last:
            if d.isoformat() not in done:
                todo.append(d.isoformat())
            d += dt.timedelta(days=1)
        chunks = [json.dumps(todo[start:start + CLOSE_CHUNK_DAYS]) for start in range(0, len(todo), CLOSE_CHUNK_DAYS)]
        if len(chunks) >= APART_FROM_CHUNKS and self._close_apart(chunks):
            return len(todo)
        for days in chunks:
            with self.store.write():
                conn.execute(_FORGET_DAYS, (days,))
                conn.execute(f"INSERT INTO day_figures {_DAYS_FIGURES}", (days,))
                conn.execute(f"INSERT OR REPLACE INTO day_totals (day, {', '.join(_TOTALS)}) {_TOTALS_SQL}",
                             {"days": days})
        return len(todo)

    def _close_apart(self, chunks: list[str]) -> bool:
        """Summarise many days (a year imported, a hall that ran long without a report) on two
        read-only connections side by side, then store every summary in one transaction: the
        year's figures in about half the time on two cores. False, with nothing stored, when
        the store has no file or anything changed in the hall meanwhile (a late change to one
        of these days): the caller then summarises them one week at a time under the lock."""
        def summarise(conn: sqlite3.Connection, days: str) -> tuple[list[tuple], list[tuple]]:
            return conn.execute(_DAYS_FIGURES, (days,)).fetchall(), conn.execute(_TOTALS_SQL, {"days": days}).fetchall()

        with self.store.read():
            mark = self.store.change_mark()
        done = self.store.read_apart(summarise, chunks)
        if done is None:
            return False
        conn = self.store.conn
        with self.store.write():
            if self.store.change_mark() != mark:
                return False
            for days, (rows, totals) in zip(chunks, done, strict=True):
                conn.execute(_FORGET_DAYS, (days,))
                if rows:
                    conn.executemany(f"INSERT INTO day_figures VALUES ({', '.join('?' * len(rows[0]))})", rows)
                conn.executemany(f"INSERT OR REPLACE INTO day_totals (day, {', '.join(_TOTALS)})"
                                 f" VALUES ({', '.join('?' * (len(_TOTALS) + 1))})", totals)
        return True

    def close_recent_days(self, back: int = 31) -> int:
        """Summarise the days before today that the server's daily job has not (a hall run
        without a server: the first terminal opened each morning does it). Only from the first
        day with tickets, so a file being filled with past activity is not closed as empty."""
        today = self.today()
        with self.store.read():
            row = self.store.conn.execute("SELECT min(day) FROM tickets").fetchone()
        if row[0] is None:
            return 0
        return self.close_days(max(today - dt.timedelta(days=back), dt.date.fromisoformat(row[0])),
                               today - dt.timedelta(days=1))

    def reopen_day(self, day: str) -> None:
        """Forget a closed day's summary after a late change to it (called inside a transaction)."""
        self.store.conn.execute("DELETE FROM day_totals WHERE day = ?", (day,))
        self.store.conn.execute("DELETE FROM day_figures WHERE day = ?", (day,))

    def _day_groups(self, day: str) -> dict[GroupKey, Group]:
        groups: dict[GroupKey, Group] = {}
        for row in self.store.conn.execute(_figures_sql("day = ?1"), (day,)):
            key, g = group_from_row(row)
            groups[key] = g
        return groups

    def _day_totals(self, day: str) -> dict[str, int]:
        row = self.store.conn.execute(_TOTALS_SQL, {"days": json.dumps([day])}).fetchone()
        return dict(zip(_TOTALS, row[1:], strict=True))


CLOSE_CHUNK_DAYS = 7
APART_FROM_CHUNKS = 4  # a month or more to summarise at once: on two connections side by side


def _seconds(a: str, b: str) -> str:
    """SQL for the seconds from stored time a to b ('2026-11-25 09:30:00.000000', hall time),
    exact to the microsecond: whole seconds from unixepoch(), which ignores the fraction, plus
    the difference of the fractions read as numbers ('.250000')."""
    return f"(unixepoch({b}) - unixepoch({a}) + substr({b}, 20) - substr({a}, 20))"


def _figures_sql(where: str) -> str:
    """The day_figures rows of the tickets and service legs matching `where`, whose one parameter
    is written ?1 (the same figures as report_figures.groups_from_tickets, which stays the
    reference for what each one means): per day, category, window and clerk; waits also per
    30-second bucket, merged into a JSON histogram."""
    return f"""
        WITH t AS MATERIALIZED (  -- each wait and service time computed once per ticket or leg
            SELECT day, category, win, clerk, status,
                CASE WHEN status = 'done' AND called IS NOT NULL
                     THEN max(0.0, {_seconds("issued_at", "called")}) END AS w,
                -- a service left open overnight and finished the next day was not measured
                CASE WHEN status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL
                          AND {_seconds("started_at", "finished_at")} <= {LONGEST_SERVICE_S}
                     THEN max(0.0, {_seconds("started_at", "finished_at")}) END AS s
            FROM (SELECT day, category, coalesce(window, 0) AS win, coalesce(clerk, '') AS clerk,
                      -- a ticket finished as 未到场 was never served: it counts as abandoned
                      CASE WHEN status = 'done' AND finish_reason = '{NO_SHOW}' THEN 'abandoned' ELSE status END
                          AS status,
                      issued_at, coalesce(first_called_at, called_at) AS called, started_at, finished_at
                  FROM tickets WHERE {where})
            UNION ALL  -- a stint at a window that ended in a transfer: that window's service too
            SELECT day, category, window, clerk, 'handed_on', NULL,
                CASE WHEN {_seconds("started_at", "ended_at")} <= {LONGEST_SERVICE_S}
                     THEN max(0.0, {_seconds("started_at", "ended_at")}) END
            FROM service_legs WHERE {where}
        ), b AS (
            SELECT day, category, win, clerk, CAST(w / {BUCKET_S} AS INTEGER) AS bucket,
                sum(status != 'handed_on') AS n, sum(status = 'handed_on') AS ho,
                sum(status = 'done') AS served, sum(status = 'skipped') AS skipped,
                sum(status = 'abandoned') AS abandoned, count(w) AS wn, total(w) AS ws, max(w) AS wm,
                count(s) AS sn, total(s) AS ss
            FROM t GROUP BY day, category, win, clerk, bucket
        )
        SELECT day, category, win, clerk, sum(n), sum(served), sum(skipped), sum(abandoned), sum(wn), total(ws),
            coalesce(max(wm), 0.0), sum(sn), total(ss),
            coalesce(json_group_object(bucket, wn) FILTER (WHERE bucket IS NOT NULL), '{{}}'), sum(ho)
        FROM b GROUP BY day, category, win, clerk"""


# day_totals rows for the days in the JSON array :days, days without activity included (as zeros)
# a week of days (a JSON list, the one parameter): its summaries forgotten, its figures computed
_FORGET_DAYS = "DELETE FROM day_figures WHERE day IN (SELECT value FROM json_each(?))"
_DAYS_FIGURES = _figures_sql("day IN (SELECT value FROM json_each(?1))")

_TOTALS_SQL = f"""
    WITH d AS (SELECT value AS day FROM json_each(:days)),
    a AS (SELECT day, count(*) AS n, sum(undertaking != '') AS r, sum(superseded_by = '') AS apps,
          sum(visits = 1 AND state IN ('accepted', 'completed') AND superseded_by = '') AS one
          FROM applications WHERE day IN d AND state != 'not_accepted' GROUP BY day),
    n AS (SELECT day, count(*) AS n FROM notices WHERE day IN d GROUP BY day),
    e AS (SELECT day, count(*) AS n, sum(level IN {SATISFIED_LEVELS}) AS s FROM evaluations WHERE day IN d GROUP BY day)
    SELECT d.day, coalesce(a.n, 0), coalesce(a.r, 0), coalesce(n.n, 0), coalesce(a.apps, 0), coalesce(a.one, 0),
        coalesce(e.n, 0), coalesce(e.s, 0)
    FROM d LEFT JOIN a ON a.day = d.day LEFT JOIN n ON n.day = d.day LEFT JOIN e ON e.day = d.day"""
