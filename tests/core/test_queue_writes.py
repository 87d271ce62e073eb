"""What a queue step writes (and the answer stored with it) and reads inside its one transaction: the number without a counter
row, the settings without a read of their own, and a commit that fails leaving nothing open."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import statistics
import uuid

import pytest
from support import SMALL_CATALOG

from kiosk import open_hall
from kiosk.errors import ValidationError
from kiosk.migrations import MIGRATIONS
from kiosk.models import Window


def _hall(path, **kwargs):
    hall = open_hall(path, **kwargs)
    hall.import_catalog(SMALL_CATALOG, "测试目录")
    hall.save_window(Window(1, "综合窗口1", ()))
    hall.save_staff("clerk1", "王晓燕", "clerk", "pass-1111")
    hall.sign_in(1, "clerk1", "pass-1111")
    return hall


# what each later version added, taken away again to put a file back as an older version left it
_UNDO = {15: ["ALTER TABLE matters DROP COLUMN aliases_en"], 16: ["ALTER TABLE terminals DROP COLUMN devices"],
         17: ["ALTER TABLE tickets DROP COLUMN first_called_at"], 18: ["DROP TABLE access_log"],
         19: ["ALTER TABLE matters DROP COLUMN active"],
         22: ["DROP TABLE service_legs", "ALTER TABLE day_figures DROP COLUMN handed_on"]}


def _reopened_from(path, version: int, *statements: str):
    """The closed hall file put back as schema `version` left it (`statements`, and what later
    versions added taken away), then opened by this program, which must migrate it to the newest
    version."""
    conn = sqlite3.connect(path)
    for sql in [u for v, undo in _UNDO.items() if v > version for u in undo] + list(statements):
        conn.execute(sql)
    conn.execute(f"PRAGMA user_version={version}")
    conn.commit()
    conn.close()
    hall = open_hall(path)
    assert hall.store.schema_version == MIGRATIONS[-1][0]
    return hall


def test_a_hall_from_before_version_13_numbers_on_after_the_days_tickets(tmp_path):
    path = tmp_path / "hall.db"
    hall = _hall(path)
    issued = [hall.issue_ticket(category="A").number for _ in range(3)]
    hall.close()
    # the file as version 12 left it: a counter row per category and day beside the tickets
    hall = _reopened_from(path, 12, "CREATE TABLE ticket_counters (day TEXT NOT NULL, category TEXT NOT NULL,"
                          " last INTEGER NOT NULL, PRIMARY KEY (day, category))",
                          "INSERT INTO ticket_counters SELECT day, category, count(*) FROM tickets GROUP BY day, category")
    assert hall.store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ticket_counters'").fetchone() is None
    assert issued == ["A001", "A002", "A003"]
    assert [hall.issue_ticket(category="A").number, hall.issue_ticket(category="B").number] == ["A004", "B001"]
    assert hall.queue_status().issued == {"A": 4, "B": 1}
    hall.close()


def test_a_transferred_ticket_keeps_counting_for_the_category_that_issued_it(tmp_path):
    hall = _hall(tmp_path / "hall.db", durable=False)
    first = hall.issue_ticket(category="A")
    hall.transfer(first.id, to_category="B")
    assert [hall.issue_ticket(category="A").number, hall.issue_ticket(category="B").number] == ["A002", "B001"]
    assert hall.queue_status().issued == {"A": 2, "B": 1}
    hall.close()


def test_a_ticket_is_logged_in_five_pages_with_no_counter_row(tmp_path):
    """Each page a step changes is written to the log and synced: the ticket's row, its three
    indexes and its event, and nothing else."""
    hall = _hall(tmp_path / "hall.db")
    hall.store.conn.execute("PRAGMA wal_autocheckpoint=0")
    frame = hall.store.conn.execute("PRAGMA page_size").fetchone()[0] + 24
    wal = f"{hall.store.path}-wal"
    pages = []
    for _ in range(40):
        before = os.path.getsize(wal)
        hall.issue_ticket(category="B")
        pages.append((os.path.getsize(wal) - before) / frame)
    assert statistics.median(pages) <= 5
    hall.close()


def test_a_stored_answer_is_logged_in_two_pages(tmp_path):
    """The hall server stores the answer to every change a terminal sends, in the change's own
    transaction: its row and its key's index on top of the change's own pages, no index on
    the time."""
    hall = _hall(tmp_path / "hall.db")
    hall.store.conn.execute("PRAGMA wal_autocheckpoint=0")
    frame = hall.store.conn.execute("PRAGMA page_size").fetchone()[0] + 24
    wal = f"{hall.store.path}-wal"
    bare, answered = [], []
    for _ in range(40):
        before = os.path.getsize(wal)
        hall.issue_ticket(category="B")
        bare.append((os.path.getsize(wal) - before) / frame)
        before = os.path.getsize(wal)
        hall.once(uuid.uuid4().hex, "取号机A", lambda: hall.issue_ticket(category="B"), lambda t: (200, b"x" * 700))
        answered.append((os.path.getsize(wal) - before) / frame)
    assert statistics.median(answered) - statistics.median(bare) <= 2
    hall.close()


def test_a_hall_from_before_version_14_keeps_its_stored_answers(tmp_path):
    path = tmp_path / "hall.db"
    hall = _hall(path)
    answer = hall.once("k1", "取号机A", lambda: hall.issue_ticket(category="A"), lambda t: (200, t.number.encode()))
    hall.close()
    # the answers as version 13 kept them: with an index on the time
    hall = _reopened_from(path, 13, "CREATE INDEX request_results_at ON request_results (at)")
    assert hall.store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'request_results_at'").fetchone() is None
    assert hall.once("k1", "取号机A", lambda: hall.issue_ticket(category="A"), lambda t: (200, b"")) == answer
    assert [t.number for t in hall.tickets()] == ["A001"]
    assert hall.forget_requests(hall.clock() + dt.timedelta(seconds=1)) == 1
    hall.close()


def test_calling_follows_a_policy_another_program_changed_on_the_same_file(tmp_path, clock):
    path = tmp_path / "hall.db"
    window = _hall(path, clock=clock)
    manager = open_hall(path, clock=clock)
    normals = [window.issue_ticket(category="A") for _ in range(3)]
    clock.advance(minutes=1)
    green = window.issue_ticket(category="A", priority="green")
    first = window.call_next(window=1)  # strict: the green ticket first, and the settings now cached
    window.finish(first.id, window=1)
    assert first.id == green.id

    manager.update_settings(priority_policy="ratio", priority_ratio=2)
    clock.advance(minutes=1)
    late_green = window.issue_ticket(category="A", priority="green")
    order = []
    for _ in range(4):
        t = window.call_next(window=1)
        order.append(t.id)
        window.finish(t.id, window=1)
    # the window's streak was reset by the green call: two normal tickets, then the priority one
    assert order == [normals[0].id, normals[1].id, late_green.id, normals[2].id]
    manager.close()
    window.close()


def test_a_commit_that_fails_leaves_no_transaction_open_and_announces_nothing(tmp_path):
    hall = _hall(tmp_path / "hall.db", durable=False)
    events = []
    hall.subscribe(events.append)
    conn = hall.store.conn
    with pytest.raises(sqlite3.IntegrityError), hall._tx():
        conn.execute("PRAGMA defer_foreign_keys=ON")  # the broken reference is found by COMMIT itself
        conn.execute("INSERT INTO matters (code, name, department, category, promised_days, statutory_days)"
                     " VALUES ('X-1', '无此分类的事项', '测试局', 'Z', 1, 1)")
        hall._event("MatterAdded", code="X-1")
    assert not conn.in_transaction
    assert events == []
    assert conn.execute("SELECT count(*) FROM matters WHERE code = 'X-1'").fetchone()[0] == 0
    assert hall.issue_ticket(category="A").number == "A001"  # the store goes on as before
    assert [e.kind for e in events] == ["TicketIssued"]
    hall.close()


def test_an_unknown_print_state_or_priority_is_refused_in_words(tmp_path):
    hall = _hall(tmp_path / "hall.db", durable=False)
    with pytest.raises(ValidationError, match="打印状态"):
        hall.issue_ticket(category="A", print_state="burnt")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="优先级"):
        hall.issue_ticket(category="A", priority="vip")
    assert hall.queue_status().issued == {}
    hall.close()


def test_a_hall_from_before_version_16_keeps_its_terminals_which_use_the_halls_devices(tmp_path):
    path = tmp_path / "hall.db"
    hall = _hall(path)
    hall.add_terminal("取号机A", "kiosk", place="一楼")
    hall.close()
    hall = _reopened_from(path, 15)
    try:
        (kiosk,) = hall.terminals()
        assert (kiosk.name, kiosk.place, kiosk.devices) == ("取号机A", "一楼", None)
        assert hall.set_terminal_devices("取号机A", {"printer_port": "COM3"}).devices == {"printer_port": "COM3"}
    finally:
        hall.close()


def test_a_hall_from_before_version_15_keeps_its_matters_and_takes_english_common_words(tmp_path):
    path = tmp_path / "hall.db"
    _hall(path).close()
    hall = _reopened_from(path, 14)
    before = hall.matters()
    assert before and all(m.aliases_en == () for m in before)
    hall.import_catalog({"categories": [{"prefix": "A", "name": "商事登记"}], "matters": [
        {"code": "M1", "name": "个体工商户变更登记", "department": "市场监管局", "category": "A",
         "promised_days": 1, "statutory_days": 15, "aliases_en": ["Small shop", "Sole trader"],
         "materials": [{"name": "申请书"}]}]})
    assert hall.get_matter("M1").aliases_en == ("Small shop", "Sole trader")
    assert [m.code for m in hall.search_matters("sole TRADER")] == ["M1"]


def test_a_hall_from_before_version_17_waits_from_the_first_call_and_summarises_its_days_again(tmp_path):
    import datetime as dt

    from support import FakeClock

    path = tmp_path / "hall.db"
    clock = FakeClock(dt.datetime(2026, 11, 25, 9))
    hall = _hall(path, clock=clock)
    t = hall.issue_ticket(category="A")
    clock.advance(minutes=4)
    hall.call_next(window=1)
    hall.finish(t.id, window=1, reason="no_show")  # summarised before version 17 as served
    hall.close()
    clock.advance(days=1)
    hall = _reopened_from(path, 16, "INSERT INTO day_totals VALUES ('2026-11-25', 0, 0, 0, 0, 0, 0, 0)",
                          "INSERT INTO day_figures VALUES ('2026-11-25', 'A', 1, 'clerk1', 1, 1, 0, 0, 1, 240.0,"
                          " 240.0, 1, 0.0, '{}')")
    assert hall.get_ticket(t.id).called_at is not None
    assert hall.store.conn.execute("SELECT first_called_at FROM tickets").fetchone()[0] is not None
    hall.close()
    hall = open_hall(path, clock=clock)
    totals = hall.report(dt.date(2026, 11, 25)).totals
    assert (totals.issued, totals.served, totals.abandoned) == (1, 0, 1)  # built again: a no-show is not served
    hall.close()


def test_a_hall_from_before_version_19_offers_every_matter_it_had(tmp_path):
    path = tmp_path / "hall.db"
    before = [m.code for m in _hall(path).matters()]
    hall = _reopened_from(path, 18)
    assert before and [m.code for m in hall.matters()] == before and all(m.active for m in hall.matters())
    hall.close()
