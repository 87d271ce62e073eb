"""The kiosk's cold start: a new Python process from exec to its home screen painted, offscreen.

Every run is a fresh process (nothing imported, nothing cached in it), as a kiosk PC that was
just switched on. Runs take turns with a floor: a fresh process that creates a bare
QApplication and paints one empty window, what no Qt program here can beat. Figures: median
and max over the runs, each with the floor measured beside it.

Aim: the kiosk's home screen in under 600 ms, in every run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/start_bench.py [--runs 7]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
AIM = 0.600

sys.path.insert(0, str(ROOT))

# the same script as ui_bench's cold start: a fresh process until the home screen is painted
from bench.ui_bench import COLD_START as KIOSK  # noqa: E402

FLOOR = """
import sys, time
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
window = QWidget()
window.resize(1080, 1920)
window.show()
app.processEvents()
window.grab()
print(time.time(), flush=True)
"""


PACKAGES = ("kiosk", "ui", "printing", "devices", "hallnet", "commands")  # the Makefile's SOURCES


def bytecode_state() -> tuple[int, int]:
    """(the project's modules with bytecode on disk at least as new as their source, all of
    them). `make setup` compiles them; without it, and with PYTHONDONTWRITEBYTECODE set, every
    start compiles the missing ones from source again, which the figure then includes."""
    current = total = 0
    for package in PACKAGES:
        for source in (ROOT / package).rglob("*.py"):
            total += 1
            cached = Path(importlib.util.cache_from_source(str(source)))
            current += cached.exists() and cached.stat().st_mtime >= source.stat().st_mtime
    return current, total


def fresh_process(script: str, db: Path) -> float:
    start = time.time()
    out = subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1]) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kiosk import open_hall

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "hall.db"
        open_hall(db, seed_demo=True).close()
        fresh_process(KIOSK, db)  # warms the OS's file cache (and writes .pyc files where Python may)
        kiosk, floor = [], []
        for _ in range(args.runs):
            floor.append(fresh_process(FLOOR, db))
            kiosk.append(fresh_process(KIOSK, db))
    ok = max(kiosk) < AIM
    current, total = bytecode_state()
    print(f"project bytecode: {current} of {total} modules compiled ahead"
          f" (PYTHONDONTWRITEBYTECODE {'set' if sys.dont_write_bytecode else 'not set'}; `make setup` compiles them)")
    print(f"floor (bare QApplication, one empty window painted): median {statistics.median(floor) * 1000:.0f} ms,"
          f" max {max(floor) * 1000:.0f} ms")
    print(f"kiosk home screen painted from exec: median {statistics.median(kiosk) * 1000:.0f} ms,"
          f" max {max(kiosk) * 1000:.0f} ms over {args.runs} fresh processes"
          f" (runs: {', '.join(f'{k * 1000:.0f}' for k in kiosk)} ms)")
    print(f"aim: < {AIM * 1000:.0f} ms in every run: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
