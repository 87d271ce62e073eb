"""Time the hall's reports on a year of synthetic activity (see year_generator.py), today included.

What a manager waits for, whole (opening the hall file, the overdue check and any summarising
done before the figures are in hand):

1. the first report of a month that was never summarised (a year imported, or a hall whose
   days were never closed);
2. the first report of the whole year, never summarised: aim < 5 s (summarising it included);
3. the year's report once the days were closed (the server's daily job), from a freshly
   opened hall, so nothing cached in the process helps: aim < 1 s;
4. today's report (live tickets only): aim < 1 s.

Each round starts by dropping every summary, and measures a floor in turn with the reports:
reading the year's tickets once in SQL (a count over their day index and one column).
Figures: median and max over the rounds.

    .venv/bin/python bench/report_bench.py [--db FILE] [--tickets-per-day 6100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.year_generator import generate  # noqa: E402
from kiosk import open_hall  # noqa: E402


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def forget_summaries(path: Path) -> None:
    """Back to a year nobody summarised (a file imported, or days never closed); straight in
    SQLite, since opening the hall would summarise the last days again."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM day_figures")
        conn.execute("DELETE FROM day_totals")
    conn.close()


def opened_and_reported(path: Path, first: dt.date, last: dt.date) -> float:
    """Seconds from opening the hall file to the report in hand: opening may summarise days
    itself (the first terminal of a morning closes the days before), so it is timed too."""
    t0 = time.perf_counter()
    hall = open_hall(path)
    hall.report(first, last)
    spent = time.perf_counter() - t0
    hall.close()
    return spent


def one_round(path: Path, first: dt.date, today: dt.date, month_first: dt.date,
              month_last: dt.date) -> dict[str, object]:
    """One round: the floor, then each report a manager may ask for, from a year without summaries."""
    out: dict[str, object] = {}
    forget_summaries(path)
    conn = sqlite3.connect(path)
    t0 = time.perf_counter()
    conn.execute("SELECT count(*), count(called_at) FROM tickets WHERE day BETWEEN ? AND ?",
                 (first.isoformat(), today.isoformat())).fetchone()
    out["floor"] = time.perf_counter() - t0
    conn.close()
    out["month"] = opened_and_reported(path, month_first, month_last)
    forget_summaries(path)
    out["year"] = opened_and_reported(path, first, today)
    hall = open_hall(path)  # the days are closed now, as the daily job leaves them
    out["closed"], out["report"] = timed(lambda: hall.report(first, today))
    out["today"] = timed(lambda: hall.report(today, today))[0]
    hall.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing generated file, with today (default: generate one)")
    parser.add_argument("--tickets-per-day", type=int, default=6100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    today = dt.date.today()
    first = today - dt.timedelta(days=365)
    month_last = today.replace(day=1) - dt.timedelta(days=1)
    month_first = month_last.replace(day=1)
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "year.db"
            t0 = time.perf_counter()
            counts = generate(path, today, 366, args.tickets_per_day, last_day_open=True)
            print(f"generated a year and today in {time.perf_counter() - t0:.1f} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        hall = open_hall(path)
        spent, overdue = timed(hall.check_overdue)
        print(f"catching up the overdue check once, before the rounds: {spent * 1000:.0f} ms"
              f" ({len(overdue)} applications)")  # type: ignore[arg-type]
        hall.close()
        figures: dict[str, list[float]] = {"floor": [], "month": [], "year": [], "closed": [], "today": []}
        report = None
        for _ in range(args.rounds):
            for key, spent in one_round(path, first, today, month_first, month_last).items():
                if key == "report":
                    report = spent
                else:
                    figures[key].append(spent)  # type: ignore[arg-type]
        ok = True
        rows = (
            ("floor", "floor: the year's tickets read once in SQL", None),
            ("month", f"first report of a month never summarised ({month_first} .. {month_last})", None),
            ("year", f"first report of the year never summarised ({first} .. {today})", 5.0),
            ("closed", "the year's report, days closed by the daily job, freshly opened hall", 1.0),
            ("today", "today's report (live tickets)", 1.0),
        )
        for key, label, aim in rows:
            values = figures[key]
            line = f"{label}: median {statistics.median(values) * 1000:,.0f} ms, max {max(values) * 1000:,.0f} ms"
            if aim is not None:
                met = max(values) < aim
                ok &= met
                line += f"  (aim < {aim * 1000:,.0f} ms: {'met' if met else 'NOT met'})"
            print(line)
        print(f"({args.rounds} rounds; each drops every summary first)")
        t = report.totals  # type: ignore[union-attr]
        print(f"  tickets issued {t.issued:,}, served {t.served:,}, skipped {t.skipped:,}, abandoned {t.abandoned:,};"
              f" wait avg {t.avg_wait_min} / p90 {t.p90_wait_min} / max {t.max_wait_min} min;"
              f" service avg {t.avg_service_min} min")
        r = report
        print(f"  acceptances {r.acceptances:,} (容缺 {r.rongque_acceptances:,}), notices {r.notices:,},"  # type: ignore
              f" pending open/supplied/overdue {r.pending_open:,}/{r.pending_supplied:,}/"  # type: ignore
              f"{r.pending_overdue:,}, one visit {r.one_visit_share:.1%},"  # type: ignore
              f" satisfaction {r.satisfaction:.1%}, open bad reviews {r.open_bad_reviews}")  # type: ignore
        print("all aims:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
