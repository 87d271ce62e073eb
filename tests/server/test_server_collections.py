"""A serving hall server keeps its start-up objects out of Python's full collections: a full
pass stops the event loop, and over everything the process held it took 12-26 ms under load,
added to every request in flight."""

from __future__ import annotations

import subprocess
import sys

from support import ROOT

SCRIPT = """
import gc, sys, tempfile, time
from kiosk import open_hall
from hallnet.runner import BackgroundServer
hall = open_hall(tempfile.mkdtemp() + "/hall.db")
freeze = sys.argv[1] == "serve"
with BackgroundServer(hall, freeze_at_start=freeze, daily_jobs=False):
    frozen = gc.get_freeze_count()
    tracked = len(gc.get_objects())
hall.close()
print(frozen, tracked)
"""


def _frozen_and_tracked(mode: str) -> tuple[int, int]:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, check=True)
    frozen, tracked = out.stdout.split()
    return int(frozen), int(tracked)


def test_a_serving_server_freezes_what_it_holds_at_start_so_full_collections_walk_only_what_came_since():
    frozen, tracked = _frozen_and_tracked("serve")
    assert frozen > 20_000  # the modules, the hall, uvicorn, the pools
    assert tracked < frozen / 4  # what a full collection still walks


def test_a_server_inside_another_program_leaves_its_objects_collectable():
    frozen, _ = _frozen_and_tracked("embedded")
    assert frozen == 0
