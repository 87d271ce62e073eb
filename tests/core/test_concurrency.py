"""Two windows calling at the same instant, from separate processes on one file."""

import json
import subprocess
import sys
from collections import Counter

from support import ROOT

from kiosk import open_hall
from kiosk.models import Window

WORKER = r"""
import json, os, sys, time
from kiosk import open_hall
from kiosk.errors import StorageBusy
path, window, rounds, start_flag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
hall = open_hall(path)
while not os.path.exists(start_flag):
    time.sleep(0.001)
called = []
issued = []
for i in range(rounds):
    issued.append(hall.issue_ticket(category="ABCD"[(window + i) % 4]).id)
    t = hall.call_next(window=window, clerk=f"c{window}")
    if t is not None:
        called.append(t.id)
        hall.finish(t.id, window=window)
while (t := hall.call_next(window=window, clerk=f"c{window}")) is not None:
    called.append(t.id)
    hall.finish(t.id, window=window)
print(json.dumps({"called": called, "issued": issued}))
"""

PROCESSES = 6
ROUNDS = 200  # 1,200 tickets in all


def test_no_ticket_goes_to_two_windows_and_no_number_is_issued_twice(tmp_path):
    path = tmp_path / "hall.db"
    hall = open_hall(path)
    hall.import_catalog({"categories": [{"prefix": p, "name": f"分类{p}"} for p in "ABCD"], "matters": []})
    for w in range(1, PROCESSES + 1):
        hall.save_window(Window(w, f"{w}号窗口", ()))
    flag = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(w), str(ROUNDS), str(flag)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for w in range(1, PROCESSES + 1)
    ]
    flag.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        results.append(json.loads(out))

    called = [t for r in results for t in r["called"]]
    issued = [t for r in results for t in r["issued"]]
    assert len(issued) == PROCESSES * ROUNDS
    assert len(called) == len(set(called)), "a ticket was called by two windows"
    assert sorted(called) == sorted(issued), "every ticket was served exactly once"

    rows = list(hall.store.db.query("SELECT day, number FROM tickets"))
    assert len(rows) == PROCESSES * ROUNDS
    assert len({(r["day"], r["number"]) for r in rows}) == len(rows), "a number was issued twice"
    calls = Counter(e.ticket_id for e in hall.events_since(0, limit=100_000) if e.kind == "TicketCalled")
    assert set(calls.values()) == {1}
    per_category = Counter(r["number"][0] for r in rows)
    assert per_category == {p: PROCESSES * ROUNDS // 4 for p in "ABCD"}
    for prefix in "ABCD":  # and numbered 1, 2, 3, ... in each: no number skipped either
        numbers = sorted(int(r["number"][1:]) for r in rows if r["number"][0] == prefix)
        assert numbers == list(range(1, PROCESSES * ROUNDS // 4 + 1))
