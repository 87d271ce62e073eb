"""Issue 9.10: the hall server's layer says nothing SQLite-specific; what it needs of a store
besides the facade is `kiosk.storage.ServerStore`, which a store over another database can keep."""

from __future__ import annotations

import ast
import re
import sqlite3
import time

import pytest
from support import with_a_window

from kiosk import open_hall
from kiosk.errors import StorageBusy
from kiosk.hall import Hall
from kiosk.storage import ServerStore, Store

# SQL as it is written in this project's code (upper case), never the words in prose
SQL = re.compile(r"\b(PRAGMA|SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|BEGIN|COMMIT|ROLLBACK)\b")


def test_the_server_layer_names_no_sqlite_and_runs_no_sql():
    from support import ROOT

    offenders = []
    for path in sorted((ROOT / "hallnet").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Import):
                offenders += [f"{where} import {a.name}" for a in node.names if "sqlite" in a.name]
            elif isinstance(node, ast.ImportFrom) and node.module and "sqlite" in node.module:
                offenders.append(f"{where} from {node.module}")
            elif isinstance(node, ast.Attribute) and node.attr in {"conn", "execute", "executemany", "group", "db"}:
                offenders.append(f"{where} .{node.attr}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                offenders += [f"{where} {m.group()!r}" for m in SQL.finditer(node.value)]
    assert offenders == []


def test_a_hall_store_keeps_what_the_server_needs(tmp_path):
    hall = open_hall(tmp_path / "h.db")
    try:
        assert isinstance(hall.store, ServerStore)
        assert hall.store.syncs_commits
        before = hall.store.last_commit()
        hall.import_catalog({"categories": [{"prefix": "A", "name": "商事"}], "matters": []})
        with_a_window(hall)
        made = hall.store.last_commit()
        assert made > before
        hall.store.wait_durable(made)  # already on disk: returns at once
    finally:
        hall.close()


def test_outside_changes_move_for_another_programs_commit_and_not_for_our_own(tmp_path):
    path = tmp_path / "h.db"
    hall = open_hall(path)
    try:
        hall.import_catalog({"categories": [{"prefix": "A", "name": "商事"}], "matters": []})
        with_a_window(hall)
        seen = hall.store.outside_changes()
        hall.issue_ticket(category="A")
        assert hall.store.outside_changes() == seen
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("UPDATE categories SET name = '商事登记' WHERE prefix = 'A'")
        other.close()
        assert hall.store.outside_changes() != seen
    finally:
        hall.close()


def test_without_waiting_a_busy_file_is_refused_at_once_untouched_and_waiting_comes_back(tmp_path):
    path = tmp_path / "h.db"
    with_a_window(open_hall(path)).import_catalog({"categories": [{"prefix": "A", "name": "商事"}], "matters": []})
    hall = Hall(Store(path, busy_timeout_ms=400))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a backup tool holding the write lock
    try:
        with hall.store.lock, hall.store.without_waiting() as untouched:
            start = time.perf_counter()
            with pytest.raises(StorageBusy):
                hall.issue_ticket(category="A")
            assert time.perf_counter() - start < 0.2  # refused at once, not after the 400 ms wait
            assert untouched()  # nothing written: the call may be made again elsewhere
        start = time.perf_counter()
        with pytest.raises(StorageBusy):
            hall.issue_ticket(category="A")
        assert time.perf_counter() - start >= 0.35  # outside the block the store waits again
    finally:
        other.execute("ROLLBACK")
        other.close()
        hall.close()
    assert open_hall(path).issue_ticket(category="A").number == "A001"
