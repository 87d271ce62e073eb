"""Figures as plain functions: one day's ticket rows into group rows, group rows into a report.

A closed day's group rows are stored (day_figures), so a year's report merges a few
thousand small rows instead of rereading millions of tickets. Waits are kept as a histogram
of 30-second buckets per group, which gives the 90th percentile to within half a minute.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kiosk.models import NO_SHOW, GroupFigures
from kiosk.records import parse_ts

BUCKET_S = 30
# a service "lasting" longer than a working day was left open (overnight, over a weekend), not measured
LONGEST_SERVICE_S = 8 * 3600


@dataclass
class Group:
    """Running totals for one (category, window, clerk) on one day, or for a merge of them."""

    issued: int = 0
    served: int = 0
    skipped: int = 0
    abandoned: int = 0
    wait_n: int = 0
    wait_sum: float = 0.0
    wait_max: float = 0.0
    service_n: int = 0
    service_sum: float = 0.0
    hist: Counter = field(default_factory=Counter)
    handed_on: int = 0  # stints at this window that ended in a transfer (their service is counted)

    def add(self, other: Group) -> None:
        self.issued += other.issued
        self.served += other.served
        self.skipped += other.skipped
        self.abandoned += other.abandoned
        self.wait_n += other.wait_n
        self.wait_sum += other.wait_sum
        self.wait_max = max(self.wait_max, other.wait_max)
        self.service_n += other.service_n
        self.service_sum += other.service_sum
        self.hist.update(other.hist)
        self.handed_on += other.handed_on

    def p90_s(self) -> float:
        if not self.wait_n:
            return 0.0
        target = 0.9 * self.wait_n
        seen = 0
        for bucket in sorted(self.hist):
            seen += self.hist[bucket]
            if seen >= target:
                return min((bucket + 1) * BUCKET_S, self.wait_max)
        return self.wait_max

    def figures(self, key: str, label: str) -> GroupFigures:
        return GroupFigures(
            key=key, label=label, issued=self.issued, served=self.served, skipped=self.skipped,
            abandoned=self.abandoned,
            avg_wait_min=round(self.wait_sum / self.wait_n / 60, 1) if self.wait_n else 0.0,
            p90_wait_min=round(self.p90_s() / 60, 1), max_wait_min=round(self.wait_max / 60, 1),
            avg_service_min=round(self.service_sum / self.service_n / 60, 1) if self.service_n else 0.0,
            handed_on=self.handed_on,
        )


GroupKey = tuple[str, int, str]  # category, window (0: never called), clerk


def groups_from_tickets(rows: Iterable[tuple], legs: Iterable[tuple] = ()) -> dict[GroupKey, Group]:
    """Rows of (category, window, clerk, status, issued_at, called_at, started_at, finished_at,
    finish_reason, first_called_at), and the day's service legs: (category, window, clerk,
    started_at, ended_at) of each stint at a window that ended in a transfer.

    A ticket finished as 未到场 was never served: it counts as abandoned. The wait is the time
    to the first call: a 过号 call-back or a transfer calls again later, and the time between
    was not spent waiting on the hall. A service left open at a window overnight (the clerk went
    home without 办结, and finished it the next morning) has no service time: the night was not
    service, and counting it made one ticket pull the day's average service up by hours. Its
    mark is a length no service has (`LONGEST_SERVICE_S`), not the date: a ticket served from
    23:58 to 00:03 took five minutes.

    A transferred ticket counts once, issued and served (or not) where it ended; each stint it
    had before at another window is that window's and clerk's service too: one handed on, with
    its service time in their average (before, the first window's work counted for nobody)."""
    out: dict[GroupKey, Group] = {}
    for category, window, clerk, status, issued_at, called_at, started_at, finished_at, reason, first_called in rows:
        g = out.setdefault((category, window or 0, clerk or ""), Group())
        g.issued += 1
        if status == "done" and reason == NO_SHOW:
            status = "abandoned"
        if status == "done":
            g.served += 1
            issued, called = parse_ts(issued_at), parse_ts(first_called or called_at)
            if issued and called:
                w = max(0.0, (called - issued).total_seconds())
                g.wait_n += 1
                g.wait_sum += w
                g.wait_max = max(g.wait_max, w)
                g.hist[int(w // BUCKET_S)] += 1
            started, finished = parse_ts(started_at), parse_ts(finished_at)
            took = (finished - started).total_seconds() if started and finished else None
            if took is not None and took <= LONGEST_SERVICE_S:
                g.service_n += 1
                g.service_sum += max(0.0, took)
        elif status == "skipped":
            g.skipped += 1
        elif status == "abandoned":
            g.abandoned += 1
    for category, window, clerk, started_at, ended_at in legs:
        g = out.setdefault((category, window or 0, clerk or ""), Group())
        g.handed_on += 1
        started, ended = parse_ts(started_at), parse_ts(ended_at)
        took = (ended - started).total_seconds() if started and ended else None
        if took is not None and took <= LONGEST_SERVICE_S:
            g.service_n += 1
            g.service_sum += max(0.0, took)
    return out


def group_to_row(day: str, key: GroupKey, g: Group) -> tuple:
    return (day, key[0], key[1], key[2], g.issued, g.served, g.skipped, g.abandoned, g.wait_n, g.wait_sum,
            g.wait_max, g.service_n, g.service_sum, json.dumps(dict(g.hist), separators=(",", ":")), g.handed_on)


def group_from_row(r: tuple) -> tuple[GroupKey, Group]:
    _day, category, window, clerk, issued, served, skipped, abandoned, wn, ws, wm, sn, ss, hist, handed_on = r
    g = Group(issued, served, skipped, abandoned, wn, ws, wm, sn, ss,
              Counter({int(k): v for k, v in json.loads(hist).items()}), handed_on)
    return (category, window, clerk), g
