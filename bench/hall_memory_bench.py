"""Where a kiosk's memory goes as the day fills: malloc in use while tickets are issued on a
local hall file, with SQLite's default page cache beside the same run with a small one.

`ui_bench.py` sees a kiosk on a local hall grow in malloc (not in Python objects) by about
0.1 MiB per 100 visits. Each visit issues a ticket, and SQLite keeps the day's new pages in its
page cache, which stops at `cache_size` (default -2000: about 2 MiB per connection). If the
default run grows and the small-cache run stays flat after its first pages, that growth is the
bounded cache, not a leak; a kiosk talking to a hall server has no SQLite cache at all.

Each variant runs in a fresh process, one after the other, `--runs` times alternately.
Aim: with the small cache, the hall's own work is flat once settled: under 0.2 MiB per 1,000
tickets after the first 300 (a leak of even 200 bytes a ticket fails it).

    .venv/bin/python bench/hall_memory_bench.py [--tickets 900] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ui_bench import malloc_in_use_mb  # noqa: E402

SMALL_CACHE_PAGES = 50
AIM_SETTLED_MIB_PER_1000 = 0.2


def measure(tickets: int, cache_pages: int | None) -> list[tuple[int, float]]:
    """Issue `tickets` kiosk tickets (matter, then print result) round the categories; malloc
    in use after a full collection every 300 tickets and at the end."""
    from kiosk import open_hall
    from kiosk.errors import QueueFull
    from kiosk.models import PrintState

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hall.db"
        open_hall(db, seed_demo=True).close()
        hall = open_hall(db)
        try:
            if cache_pages is not None:
                hall.store.conn.execute(f"PRAGMA cache_size={int(cache_pages)}")
            cats = [c.prefix for c in hall.categories()]
            first = {c: hall.matters(c)[0].code for c in cats if hall.matters(c)}
            points: list[tuple[int, float]] = []
            issued = 0
            for i in range(tickets + 1):
                if i % 300 == 0 or i == tickets:
                    gc.collect()
                    points.append((issued, malloc_in_use_mb()))
                if i == tickets:
                    break
                c = cats[i % len(cats)]
                if c not in first:
                    continue
                try:
                    t = hall.issue_ticket(matter_code=first[c])
                except QueueFull:  # a category's daily cap: the day is as full as it gets there
                    continue
                hall.mark_printed(t.id, PrintState.PRINTED)
                issued += 1
            return points
        finally:
            hall.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tickets", type=int, default=900)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--child", choices=("default", "small"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(measure(args.tickets, None if args.child == "default" else SMALL_CACHE_PAGES)))
        return 0
    growth: dict[str, list[float]] = {"default": [], "small": []}
    settled: list[float] = []  # small cache, MiB per 1,000 tickets after the first point past 0
    for run in range(1, args.runs + 1):
        for variant in ("default", "small"):
            out = subprocess.run([sys.executable, __file__, "--tickets", str(args.tickets), "--child", variant],
                                 capture_output=True, text=True, check=True).stdout
            points = json.loads(out)
            growth[variant].append(points[-1][1] - points[0][1])
            if variant == "small" and len(points) > 2 and points[-1][0] > points[1][0]:
                settled.append((points[-1][1] - points[1][1]) * 1000 / (points[-1][0] - points[1][0]))
            curve = "  ".join(f"{n}: {mb:.2f}" for n, mb in points)
            print(f"run {run}  {variant:7} cache  malloc in use (MiB) by tickets issued  {curve}")
    d, s = statistics.median(growth["default"]), statistics.median(growth["small"])
    print(f"growth over {args.tickets} tickets, median (max): default cache {d:.2f} ({max(growth['default']):.2f}) MiB, "
          f"{SMALL_CACHE_PAGES}-page cache {s:.2f} ({max(growth['small']):.2f}) MiB; "
          f"the page cache's part ~{d - s:.2f} MiB")
    rate = max(settled) if settled else float("nan")
    print(f"aim: settled growth without the cache under {AIM_SETTLED_MIB_PER_1000} MiB per 1,000 tickets: "
          f"worst run {rate:.3f} MiB: {'met' if rate < AIM_SETTLED_MIB_PER_1000 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
