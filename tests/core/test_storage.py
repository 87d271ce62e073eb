import sqlite3

from support import with_a_window

from kiosk import open_hall
from kiosk.migrations import MIGRATIONS
from kiosk.storage import default_db_path


def test_the_file_uses_wal_and_every_answered_change_is_synced_to_disk_first(tmp_path, monkeypatch):
    """What synchronous=FULL promises, kept by the group commit: an answered change's log is on disk."""
    import os

    from support import SMALL_CATALOG

    hall = open_hall(tmp_path / "h.db")
    hall.import_catalog(SMALL_CATALOG, "测试目录")
    with_a_window(hall)
    assert hall.store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    synced: list[tuple[str, int]] = []
    real = os.fdatasync

    def recording(fd: int) -> None:
        real(fd)
        synced.append((os.readlink(f"/proc/self/fd/{fd}"), hall.store.group.latest()))

    monkeypatch.setattr(os, "fdatasync", recording)
    for _ in range(3):
        hall.issue_ticket(category="A")
        made = hall.store.group.latest()
        assert synced and synced[-1] == (str(tmp_path / "h.db-wal"), made)  # on disk before the answer


def test_an_older_schema_migrates_when_opened(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for sql in MIGRATIONS[0][1]:
        conn.execute(sql)
    conn.execute("INSERT INTO categories VALUES ('A', '商事登记', '', 100, 90, 8, 0)")
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    hall = open_hall(path)
    assert hall.store.schema_version == MIGRATIONS[-1][0]
    assert [c.name for c in hall.categories()] == ["商事登记"]


def test_the_default_file_lives_in_the_users_data_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "service-hall-terminal" / "hall.db"


def test_a_ticket_survives_the_process_being_killed_right_after_issue(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from support import ROOT

    path = tmp_path / "h.db"
    hall = open_hall(path)
    hall.import_catalog({"categories": [{"prefix": "A", "name": "商事"}], "matters": []})
    with_a_window(hall)
    hall.close()
    code = (
        "import os, signal, sys; from kiosk import open_hall;"
        f"h = open_hall({str(path)!r}); t = h.issue_ticket(category='A');"
        "print(t.number, flush=True); os.kill(os.getpid(), signal.SIGKILL)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == -signal.SIGKILL and out.stdout.strip() == "A001"
    again = open_hall(path)
    assert again.issue_ticket(category="A").number == "A002"
    assert os.path.exists(path)


def test_kiosk_imports_no_qt_devices_printing_or_ui():
    import ast

    from support import ROOT

    forbidden = {"PySide6", "ui", "devices", "printing", "PyQt5", "PyQt6"}
    offenders = []
    for path in (ROOT / "kiosk").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in forbidden]
    assert offenders == []


def test_a_database_locked_by_another_program_gives_a_message_and_changes_nothing(tmp_path):
    import pytest

    from kiosk.errors import StorageBusy
    from kiosk.hall import Hall
    from kiosk.storage import Store

    path = tmp_path / "h.db"
    first = open_hall(path)
    first.import_catalog({"categories": [{"prefix": "A", "name": "商事"}], "matters": []})
    with_a_window(first)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a backup tool holding the write lock
    hall = Hall(Store(path, busy_timeout_ms=200))
    with pytest.raises(StorageBusy, match="数据库正被其他程序占用"):
        hall.issue_ticket(category="A")
    other.execute("ROLLBACK")
    assert hall.issue_ticket(category="A").number == "A001"  # the failed attempt used no number


def test_settings_and_calendar_changed_by_another_program_are_followed(tmp_path):
    """Each terminal caches its settings and calendar; a manager's change elsewhere still reaches it."""
    import datetime as dt

    path = tmp_path / "hall.db"
    terminal = open_hall(path, seed_demo=True, durable=False)
    console = open_hall(path, durable=False)  # the manager's console, another program on the same file
    assert terminal.settings().priority_policy != "strict"
    before = terminal.deadline(dt.date(2026, 12, 30), 2)
    console.update_settings(priority_policy="strict")
    console.set_rongque_exclusions(["11010519491231002X"])
    console.load_calendar_year(2027, "休 2027-01-01 至 2027-01-03 元旦\n", "国务院办公厅通知")
    assert terminal.settings().priority_policy == "strict"
    assert terminal._excluded("11010519491231002X")
    after = terminal.deadline(dt.date(2026, 12, 30), 2)
    assert (before.date, before.provisional) == (dt.date(2027, 1, 1), True)
    assert (after.date, after.provisional) == (dt.date(2027, 1, 4), False)
    terminal.close()
    console.close()


def _durable_hall_with_a_category(path):
    hall = open_hall(path)  # durable, as a real hall opens its file
    hall.import_catalog({"categories": [{"prefix": "A", "name": "商事登记", "daily_cap": 100}], "matters": []})
    with_a_window(hall)
    return hall


def _count_syncs(monkeypatch) -> list[int]:
    """Every disk flush of the hall's log from now on (the group commit calls os.fdatasync)."""
    import os

    calls: list[int] = []
    real = os.fdatasync

    def counting(fd: int) -> None:
        real(fd)
        calls.append(fd)

    monkeypatch.setattr(os, "fdatasync", counting)
    return calls


def test_a_kiosk_ticket_is_one_durable_commit_and_its_print_result_rides_without_one(tmp_path, monkeypatch):
    hall = _durable_hall_with_a_category(tmp_path / "h.db")
    seen: list[str] = []
    syncs = _count_syncs(monkeypatch)
    hall.store.conn.set_trace_callback(seen.append)
    ticket = hall.issue_ticket(category="A")
    printed = hall.mark_printed(ticket.id, ok=True)
    hall.store.conn.set_trace_callback(None)
    assert printed.print_state.value == "printed" and printed.category_name == "商事登记"
    assert seen.count("COMMIT") == 2 and len(syncs) == 1  # the ticket's commit is synced, the print result's not
    other = sqlite3.connect(tmp_path / "h.db")  # committed, so another program already sees it
    assert other.execute("SELECT print_state FROM tickets WHERE id = ?", (ticket.id,)).fetchone()[0] == "printed"
    other.close()


def test_a_failed_print_is_committed_durably_for_the_reprint_list(tmp_path, monkeypatch):
    hall = _durable_hall_with_a_category(tmp_path / "h.db")
    ticket = hall.issue_ticket(category="A")
    syncs = _count_syncs(monkeypatch)
    hall.mark_printed(ticket.id, ok=False, reason="缺纸")
    assert len(syncs) == 1
    assert [t.number for t in hall.tickets(status="waiting", print_state="failed")] == ["A001"]


def test_through_the_hall_server_a_printed_ticket_also_rides_without_its_own_fsync(tmp_path, monkeypatch):
    from hallnet.runner import BackgroundServer

    hall = _durable_hall_with_a_category(tmp_path / "h.db")
    _, token = hall.add_terminal("取号机", "kiosk")
    with BackgroundServer(hall, daily_jobs=False) as server:
        client = open_hall(server.url, token=token)
        try:
            ticket = client.issue_ticket(category="A")
            syncs = _count_syncs(monkeypatch)
            assert client.mark_printed(ticket.id, ok=True).print_state.value == "printed"
            assert syncs == []
        finally:
            client.close()


def test_tickets_and_events_carry_no_index_that_nothing_reads(tmp_path):
    hall = open_hall(tmp_path / "h.db")
    indexes = {r[0] for r in hall.store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "tickets_holder" not in indexes and "events_ticket" not in indexes
    assert {"tickets_waiting", "tickets_waiting_category"} <= indexes  # the queue's own stay


def test_opening_a_hall_and_reading_what_a_first_screen_shows_does_not_import_sqlite_utils(tmp_path):
    import subprocess
    import sys

    from support import ROOT

    open_hall(tmp_path / "h.db", seed_demo=True).close()
    script = ("import sys; from kiosk import open_hall; h = open_hall(sys.argv[1]);"
              " h.settings(); h.info(); h.categories(); h.matters(); h.queue_status();"
              " print('sqlite_utils' in sys.modules); h.get_matter(h.matters()[0].code);"
              " print('sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "h.db")], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["False", "True"]  # later reads still go through sqlite-utils
