"""Closed days are summarised in SQL; report_figures.groups_from_tickets is the reference for
what each figure means, so the SQL must give the same numbers ticket for ticket."""

from __future__ import annotations

import datetime as dt
import random

from support import with_a_window

from kiosk import open_hall
from kiosk.records import ts
from kiosk.report_figures import group_from_row, groups_from_tickets

DAY = dt.date(2026, 11, 25)


def _tickets(rng: random.Random, n: int) -> list[tuple]:
    """Tickets with every awkward case: exact 30-second boundaries, microseconds, a wait into
    the next day, a service that 'ends' before it starts or the next morning, missing times,
    every status."""
    rows = []
    base = dt.datetime.combine(DAY, dt.time(8, 30))
    for i in range(n):
        issued = base + dt.timedelta(seconds=rng.randrange(0, 9 * 3600), microseconds=rng.randrange(0, 10**6))
        wait = rng.choice([0, 30, 60, 89.999999, 90, rng.uniform(0, 3600), 16 * 3600])
        called = issued + dt.timedelta(seconds=wait)
        started = called + dt.timedelta(seconds=rng.uniform(-30, 120))
        finished = started + dt.timedelta(seconds=rng.choice([-5, 0, rng.uniform(0, 1800), 15 * 3600]))
        status = rng.choice(["done", "done", "done", "skipped", "abandoned", "waiting", "called"])
        category = rng.choice("AB")
        window = rng.choice([None, 1, 2])
        clerk = rng.choice(["", "clerk1", "clerk2"]) if window else ""
        # a call-back or a transfer called again later: the wait ends at the first call
        first = called - dt.timedelta(seconds=rng.uniform(0, 900)) if rng.random() < 0.2 else called
        reason = rng.choice(["", "", "no_show", "consult"]) if status == "done" else ""
        has_call = status != "waiting" and rng.random() > 0.05
        rows.append((DAY.isoformat(), f"{category}{i:03d}", category, "normal", 2, status, ts(issued), ts(issued),
                     window, clerk, ts(called) if has_call else None,
                     ts(started) if status == "done" and rng.random() > 0.05 else None,
                     ts(finished) if status == "done" else None, reason,
                     ts(max(first, issued)) if has_call and rng.random() > 0.05 else None))
    return rows


def _legs(rng: random.Random, n: int) -> list[tuple]:
    """Stints that ended in a transfer, with the same awkward lengths, some at a window and
    clerk no ticket of the day ended at."""
    base = dt.datetime.combine(DAY, dt.time(8, 30))
    rows = []
    for i in range(n):
        started = base + dt.timedelta(seconds=rng.randrange(0, 9 * 3600), microseconds=rng.randrange(0, 10**6))
        ended = started + dt.timedelta(seconds=rng.choice([-5, 0, 29.999999, rng.uniform(0, 1800), 15 * 3600]))
        rows.append((DAY.isoformat(), i + 1, rng.choice("ABC"), rng.choice([1, 2, 4]),
                     rng.choice(["", "clerk1", "clerk4"]), ts(started), ts(ended)))
    return rows


def test_a_day_summarised_in_sql_has_the_reference_figures_ticket_for_ticket(tmp_path):
    hall = open_hall(tmp_path / "h.db", durable=False)
    rng = random.Random(5)
    rows, legs = _tickets(rng, 600), _legs(rng, 150)
    with hall.store.write() as db:
        db.conn.executemany(
            "INSERT INTO tickets (day, number, category, priority, prank, status, issued_at, arrival_at, window,"
            " clerk, called_at, started_at, finished_at, finish_reason, first_called_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.conn.executemany(
            "INSERT INTO service_legs (day, ticket_id, category, window, clerk, started_at, ended_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", legs)
    reference = groups_from_tickets(
        ((r[2], r[8], r[9], r[5], r[6], r[10], r[11], r[12], r[13], r[14]) for r in rows),
        ((leg[2], leg[3], leg[4], leg[5], leg[6]) for leg in legs))
    assert hall.close_days(DAY, DAY) == 1
    stored = dict(group_from_row(r) for r in hall.store.conn.execute("SELECT * FROM day_figures"))
    assert stored.keys() == reference.keys()
    for key, want in reference.items():
        got = stored[key]
        assert (got.issued, got.served, got.skipped, got.abandoned, got.handed_on, got.wait_n, got.service_n,
                dict(got.hist)) == (want.issued, want.served, want.skipped, want.abandoned, want.handed_on,
                                    want.wait_n, want.service_n, dict(want.hist)), key
        assert abs(got.wait_sum - want.wait_sum) < 1e-3 and abs(got.service_sum - want.service_sum) < 1e-3
        assert abs(got.wait_max - want.wait_max) < 1e-6


def test_a_terminal_opened_the_next_morning_closes_the_days_before(tmp_path):
    from support import FakeClock

    clock = FakeClock(dt.datetime.combine(DAY, dt.time(9)))
    hall = open_hall(tmp_path / "h.db", clock=clock, durable=False)
    hall.import_catalog({"categories": [{"prefix": "A", "name": "商事登记", "daily_cap": 100}], "matters": []})
    with_a_window(hall)
    hall.issue_ticket(category="A")
    hall.close()
    clock.advance(days=1)
    hall = open_hall(tmp_path / "h.db", clock=clock, durable=False)
    closed = dict(hall.store.conn.execute("SELECT day, 1 FROM day_totals").fetchall())
    assert DAY.isoformat() in closed and (DAY + dt.timedelta(days=1)).isoformat() not in closed
    assert hall.store.conn.execute("SELECT sum(issued) FROM day_figures").fetchone()[0] == 1
