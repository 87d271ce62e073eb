"""A year of synthetic hall activity, written straight into a hall file.

Tickets (about 6,000 a working day in 8 categories, 12 windows, 9 clerks), applications
with their tickets, one-time notices, 容缺 pending items (open, supplied, overdue) and
evaluations, with waits and service times drawn from plausible distributions. It writes
rows in bulk (synchronous off) because a year through the real engine would take hours of
durable commits; the figures the report reads are the same columns the engine writes.

    .venv/bin/python bench/year_generator.py OUT.db [--tickets-per-day 6100] [--days 365]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk import open_hall  # noqa: E402
from kiosk.records import ts  # noqa: E402

# Shares kept under each category's daily cap of 999 even on a busy day (6,100 x 1.15 x 0.14 = 982),
# so the year holds the tickets it was asked for, whatever day it ends on.
CATEGORY_SHARE = {"A": 0.14, "B": 0.14, "C": 0.14, "D": 0.13, "E": 0.12, "F": 0.12, "G": 0.11, "H": 0.10}


def generate(path: Path, end: dt.date, days: int, per_day: int, seed: int = 7,
             last_day_open: bool = False) -> dict[str, int]:
    """Write the activity of `days` days up to `end` (weekdays only; with `last_day_open` the
    last day has tickets whatever its weekday, as a hall open today does)."""
    rng = random.Random(seed)
    hall = open_hall(path, durable=False, seed_demo=True)
    conn = hall.store.conn
    conn.execute("PRAGMA synchronous=OFF")
    matters: dict[str, list[str]] = {}
    for m in hall.matters():
        matters.setdefault(m.category, []).append(m.code)
    windows = [(w.number, w.categories) for w in hall.windows()]
    clerks = [s.login for s in hall.staff() if s.role == "clerk"]
    code = hall.settings().hall_code
    counts = dict.fromkeys(("tickets", "applications", "notices", "pending", "evaluations"), 0)
    cats = list(CATEGORY_SHARE)
    weights = list(CATEGORY_SHARE.values())
    ticket_id = 0
    start = end - dt.timedelta(days=days - 1)
    day = start
    while day <= end:
        if day.weekday() >= 5 and not (last_day_open and day == end):
            day += dt.timedelta(days=1)
            continue
        n = int(per_day * rng.uniform(0.85, 1.15))
        seqs = dict.fromkeys(cats, 0)
        tickets, apps, links, notices, pending, evals = [], [], [], [], [], []
        app_seq = 0
        open_at = dt.datetime.combine(day, dt.time(8, 30))
        for i in range(n):
            cat = rng.choices(cats, weights)[0]
            if seqs[cat] >= 999:
                continue
            seqs[cat] += 1
            ticket_id += 1
            issued = open_at + dt.timedelta(seconds=int(i / n * 8 * 3600))
            r = rng.random()
            status = "done" if r < 0.93 else "skipped" if r < 0.97 else "abandoned"
            window_no, allowed = rng.choice([w for w in windows if not w[1] or cat in w[1]])
            clerk = clerks[window_no % len(clerks)]
            wait = rng.lognormvariate(2.3, 0.6) * 60
            called = issued + dt.timedelta(seconds=wait)
            started = called + dt.timedelta(seconds=rng.uniform(20, 120))
            finished = started + dt.timedelta(seconds=rng.lognormvariate(2.2, 0.4) * 60)
            matter = rng.choice(matters[cat])
            tickets.append((
                ticket_id, day.isoformat(), f"{cat}{seqs[cat]:03d}", cat, matter, "normal", 2, status, ts(issued),
                ts(issued), window_no, clerk, ts(called), ts(started) if status == "done" else None,
                ts(finished) if status == "done" else None, "printed",
            ))
            if status != "done":
                continue
            if rng.random() < 0.4:
                level = rng.choices([5, 4, 3, 2, 1], [70, 20, 6, 3, 1])[0]
                evals.append((ticket_id, level, ts(finished), day.isoformat(), window_no, clerk))
            if rng.random() < 0.6:
                app_seq += 1
                number = f"{code}{day:%Y%m%d}{app_seq:05d}"
                kind = rng.random()
                visits = 1 if rng.random() < 0.9 else 2
                if kind < 0.08:
                    state, undertaking = "not_accepted", ""
                    notices.append((f"GZ{number}", number, matter, "申请人", ts(finished), day.isoformat(), clerk,
                                    window_no, json.dumps([{"name": "材料", "problem": "missing", "reason": "未提供",
                                                            "what_to_bring": "原件1份"}], ensure_ascii=False)))
                elif kind < 0.2:
                    state, undertaking = "pending", "承诺书"
                    deadline = day + dt.timedelta(days=7)
                    status_p = rng.choices(["supplied", "open", "overdue"], [85, 10, 5])[0]
                    if status_p == "overdue":
                        state = "terminated"
                    elif status_p == "supplied":
                        state = "accepted"
                    pending.append((number, 3, "经营场所使用证明", day.isoformat(), 5, deadline.isoformat(), status_p))
                else:
                    state, undertaking = rng.choices(["accepted", "completed"], [30, 70])[0], ""
                apps.append((number, matter, state, "申请人", ts(finished), ts(finished) if state != "not_accepted"
                             else None, day.isoformat(), clerk, window_no, undertaking, visits,
                             f"GZ{number}" if state == "not_accepted" else ""))
                links.append((number, ticket_id))
        with hall.store.write():
            conn.executemany(
                "INSERT INTO tickets (id, day, number, category, matter_code, priority, prank, status, issued_at,"
                " arrival_at, window, clerk, called_at, started_at, finished_at, print_state)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", tickets)
            conn.executemany(
                "INSERT INTO applications (number, matter_code, state, applicant_name, received_at, accepted_at, day,"
                " clerk, window, undertaking, visits, notice_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", apps)
            conn.executemany("INSERT INTO application_tickets VALUES (?, ?)", links)
            conn.executemany(
                "INSERT INTO notices (number, application_number, matter_code, applicant_name, issued_at, day, clerk,"
                " window, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", notices)
            conn.executemany(
                "INSERT INTO pending_items (application_number, material_id, name, day, days, deadline, status)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", pending)
            conn.executemany(
                "INSERT INTO evaluations (ticket_id, level, at, day, window, clerk) VALUES (?, ?, ?, ?, ?, ?)", evals)
            conn.executemany(
                "INSERT INTO bad_reviews (evaluation_id, ticket_id, level, opened_at, callback_due, rectify_due, status)"
                " SELECT id, ticket_id, level, at, day, day, 'closed' FROM evaluations WHERE ticket_id = ? AND level <= 2",
                [(e[0],) for e in evals if e[1] <= 2])
        counts["tickets"] += len(tickets)
        counts["applications"] += len(apps)
        counts["notices"] += len(notices)
        counts["pending"] += len(pending)
        counts["evaluations"] += len(evals)
        day += dt.timedelta(days=1)
    conn.execute("ANALYZE")
    hall.close()
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--tickets-per-day", type=int, default=6100)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date.today() - dt.timedelta(days=1))
    args = parser.parse_args()
    if args.out.exists():
        print(f"{args.out} exists; remove it first", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    counts = generate(args.out, args.end, args.days, args.tickets_per_day)
    print(f"generated in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
