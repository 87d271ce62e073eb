"""Time the year's report on a year of synthetic activity (see year_generator.py).

First report: closes every day of the year into its summary (what a nightly close does);
then the report as a manager asks for it, from the summaries plus today's live tickets.
Aim: the year's report in under 1 second.

    .venv/bin/python bench/report_bench.py [--db FILE] [--tickets-per-day 6100]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.year_generator import generate  # noqa: E402
from kiosk import open_hall  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing generated file (default: generate one)")
    parser.add_argument("--tickets-per-day", type=int, default=6100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    today = dt.date.today()
    first, last = today - dt.timedelta(days=365), today - dt.timedelta(days=1)
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "year.db"
            t0 = time.perf_counter()
            counts = generate(path, last, 365, args.tickets_per_day)
            print(f"generated a year in {time.perf_counter() - t0:.1f} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
        hall = open_hall(path)
        t0 = time.perf_counter()
        overdue = hall.check_overdue()
        t1 = time.perf_counter()
        closed = hall.close_days(first, last)
        t2 = time.perf_counter()
        # A hall that runs daily pays this a day at a time (the first report or pending list of
        # the day); a generated year pays it all at once, so it is timed apart from the report.
        print(f"catching up a year at once: overdue check {(t1 - t0) * 1000:.0f} ms ({len(overdue)} applications),"
              f" closing {closed} days into summaries {t2 - t1:.2f} s ({(t2 - t1) / max(closed, 1) * 1000:.0f} ms a day)")
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            report = hall.report(first, today)
            times.append(time.perf_counter() - t0)
        print(f"year's report ({first} .. {today}): median {statistics.median(times) * 1000:.0f} ms,"
              f" max {max(times) * 1000:.0f} ms over {args.runs} runs (aim < 1000 ms)")
        t = report.totals
        print(f"  tickets issued {t.issued:,}, served {t.served:,}, skipped {t.skipped:,}, abandoned {t.abandoned:,};"
              f" wait avg {t.avg_wait_min} / p90 {t.p90_wait_min} / max {t.max_wait_min} min;"
              f" service avg {t.avg_service_min} min")
        print(f"  acceptances {report.acceptances:,} (容缺 {report.rongque_acceptances:,}), notices {report.notices:,},"
              f" pending open/supplied/overdue {report.pending_open:,}/{report.pending_supplied:,}/"
              f"{report.pending_overdue:,}, one visit {report.one_visit_share:.1%},"
              f" satisfaction {report.satisfaction:.1%}, open bad reviews {report.open_bad_reviews}")
        hall.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
