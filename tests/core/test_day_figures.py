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


def _many_days(tmp_path, name: str, days: int):
    """A hall file whose `days` days before DAY hold the random tickets of test day 5."""
    from support import FakeClock

    hall = open_hall(tmp_path / name, clock=FakeClock(dt.datetime.combine(DAY, dt.time(9))), durable=False)
    rng = random.Random(7)
    rows = []
    for back in range(1, days + 1):
        day = (DAY - dt.timedelta(days=back)).isoformat()
        rows += [(day, f"{r[1]}-{back}", *r[2:]) for r in _tickets(rng, 40)]
    with hall.store.write() as db:
        db.conn.executemany(
            "INSERT INTO tickets (day, number, category, priority, prank, status, issued_at, arrival_at, window,"
            " clerk, called_at, started_at, finished_at, finish_reason, first_called_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.conn.execute("DELETE FROM day_figures")
        db.conn.execute("DELETE FROM day_totals")
    return hall


def _summaries(hall) -> tuple[list, list]:
    conn = hall.store.conn
    return (sorted(conn.execute("SELECT * FROM day_figures").fetchall()),
            sorted(conn.execute("SELECT * FROM day_totals").fetchall()))


def test_many_days_summarised_side_by_side_match_the_days_summarised_one_at_a_time(tmp_path):
    """A year imported without summaries is summarised on two connections at once: the figures
    are the very ones the day-by-day way stores."""
    apart, one_by_one = _many_days(tmp_path, "a.db", 40), _many_days(tmp_path, "b.db", 40)
    used = []
    read_apart = apart.store.read_apart
    apart.store.read_apart = lambda fn, items: used.append(len(items)) or read_apart(fn, items)
    assert apart.close_days(DAY - dt.timedelta(days=40), DAY) == 40
    for back in range(40, 0, -1):
        day = DAY - dt.timedelta(days=back)
        assert one_by_one.close_days(day, day) == 1
    assert used == [6]  # six weeks' statements, side by side
    figures, totals = _summaries(apart)
    assert len(totals) == 40 and len(figures) > 40
    assert (figures, totals) == _summaries(one_by_one)
    apart.close()
    one_by_one.close()


def test_a_change_made_while_many_days_are_summarised_is_in_their_figures(tmp_path):
    """A clerk finishes a ticket of one of those days (left at a window overnight) while the
    summaries are being computed apart: they are not stored stale, the days are summarised again."""
    import sqlite3

    hall = _many_days(tmp_path, "a.db", 30)
    day = (DAY - dt.timedelta(days=3)).isoformat()
    waiting = hall.store.conn.execute("SELECT id FROM tickets WHERE day = ? AND status = 'waiting'", (day,)).fetchone()[0]
    read_apart = hall.store.read_apart

    def with_a_late_change(fn, items):
        done = read_apart(fn, items)
        other = sqlite3.connect(hall.store.path)  # another program's commit, after the reads
        with other:
            other.execute("UPDATE tickets SET status = 'skipped' WHERE id = ?", (waiting,))
        other.close()
        return done

    hall.store.read_apart = with_a_late_change
    assert hall.close_days(DAY - dt.timedelta(days=30), DAY) == 30
    skipped = hall.store.conn.execute("SELECT count(*) FROM tickets WHERE day = ? AND status = 'skipped'", (day,))
    summarised = hall.store.conn.execute("SELECT sum(skipped) FROM day_figures WHERE day = ?", (day,))
    assert summarised.fetchone()[0] == skipped.fetchone()[0]
    hall.close()
