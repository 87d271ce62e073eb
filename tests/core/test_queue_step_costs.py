"""What makes a durable queue step cheaper, and what each shortcut must still give: tickets and
events built without their frozen __init__ equal the ones it builds, a finish logs no window
page and the window is free all the same, the log is flushed through one descriptor that is
never looked at again, and a durable commit starts its pages' write before the answer is built."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import statistics
import threading
import time

import pytest
from support import SMALL_CATALOG

from kiosk import group_sync, keyfile, open_hall
from kiosk.hall_base import new_event
from kiosk.models import HallEvent, PrintState, Priority, Ticket, TicketStatus, Window
from kiosk.records import TICKET_COLUMNS, TICKET_WIDTH, new_ticket


def _hall(path, **kwargs):
    hall = open_hall(path, **kwargs)
    hall.import_catalog(SMALL_CATALOG, "测试目录")
    hall.save_window(Window(1, "综合窗口1", ()))
    hall.save_staff("clerk1", "王晓燕", "clerk", "pass-1111")
    hall.sign_in(1, "clerk1", "pass-1111")
    return hall


def _pages(hall, step) -> float:
    """Pages the step logged (the log's growth over a frame), autocheckpoint off."""
    wal = f"{hall.store.path}-wal"
    frame = hall.store.conn.execute("PRAGMA page_size").fetchone()[0] + 24
    before = os.path.getsize(wal)
    step()
    return (os.path.getsize(wal) - before) / frame


def test_a_ticket_built_without_its_init_is_the_ticket_its_init_builds():
    now = dt.datetime(2026, 11, 25, 9, 30, 0, 123456)
    values = {f.name: f"<{f.name}>" for f in dataclasses.fields(Ticket)}
    values.update(id=7, day=now.date(), priority=Priority.GREEN, status=TicketStatus.CALLED, issued_at=now,
                  arrival_at=now, ahead=3, est_wait_min=12, window=2, target_window=None, called_at=now,
                  started_at=None, finished_at=None, recalls=1, skips=0, print_state=PrintState.PRINTED,
                  ticked=(1, 2), answers=("有",))
    made, fast = Ticket(**values), new_ticket(**values)
    assert fast == made and hash(fast) == hash(made) and repr(fast) == repr(made)
    assert list(vars(fast)) == [f.name for f in dataclasses.fields(Ticket)]  # every field, in order
    assert dataclasses.replace(fast, print_state=PrintState.FAILED).print_state is PrintState.FAILED
    # the positional row has every field but the follow token, which the caller adds
    assert TICKET_WIDTH == len(dataclasses.fields(Ticket)) - 1 == len(TICKET_COLUMNS.split(", tickets.")) + 2


def test_an_event_built_without_its_init_is_the_event_its_init_builds():
    fields = (5, "TicketCalled", dt.datetime(2026, 11, 25, 9), 7, "A007", 2, "clerk1", {"number": "A007"})
    assert new_event(fields) == HallEvent(*fields)
    assert list(vars(new_event(fields))) == [f.name for f in dataclasses.fields(HallEvent)]


def test_every_step_answers_the_ticket_it_stored(tmp_path):
    hall = _hall(tmp_path / "hall.db")
    issued = hall.issue_ticket(matter_code="A-001", holder_name="张伟", holder_id="11010519491231002X",
                               phone="13812345678", ticked=(1, 2), answers=("是",))
    assert issued == hall.get_ticket(issued.id) and issued.matter_name == "个体工商户设立登记"
    printed = hall.mark_printed(issued.id, True)
    assert printed == hall.get_ticket(issued.id) and printed.print_state is PrintState.PRINTED
    called = hall.call_next(window=1)
    assert called == hall.get_ticket(issued.id) and called.status is TicketStatus.CALLED and called.window == 1
    done = hall.finish(called.id, window=1)
    assert done == hall.get_ticket(issued.id) and done.status is TicketStatus.DONE
    assert done.started_at == called.called_at and done.finished_at is not None
    hall.close()


def test_a_finish_logs_no_window_page_and_leaves_the_window_free(tmp_path):
    hall = _hall(tmp_path / "hall.db")
    hall.store.conn.execute("PRAGMA wal_autocheckpoint=0")
    pages = []
    for _ in range(20):
        ticket = hall.issue_ticket(category="B")
        hall.call_next(window=1)
        pages.append(_pages(hall, lambda t=ticket: hall.finish(t.id, window=1)))
    assert statistics.median(pages) <= 3  # the ticket, the category's service time, the event
    # the window still names the ticket it finished, which no reader takes for a current one
    assert hall.store.conn.execute("SELECT current_ticket FROM windows WHERE number = 1").fetchone()[0] == ticket.id
    assert hall.current_ticket(1) is None
    assert next(w for w in hall.queue_status().windows if w.number == 1).current == ""
    hall.pause_window(1)
    hall.resume_window(1)
    nxt = hall.issue_ticket(category="B")
    assert hall.call_next(window=1).id == nxt.id
    hall.finish(nxt.id, window=1)
    hall.sign_out(1)
    hall.close()


def test_the_log_is_flushed_through_one_descriptor_never_looked_at_again(tmp_path, monkeypatch):
    hall = _hall(tmp_path / "hall.db")
    hall.issue_ticket(category="A")  # the descriptor is open now
    wal = f"{hall.store.path}-wal"
    looked: list[object] = []
    real_stat, real_fstat = os.stat, os.fstat
    fd = hall.store.group._fd

    def stat(path, *args, **kwargs):
        if os.fspath(path) == wal:
            looked.append(path)
        return real_stat(path, *args, **kwargs)

    def fstat(descriptor):
        if descriptor == fd:
            looked.append(descriptor)
        return real_fstat(descriptor)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "fstat", fstat)
    for _ in range(3):
        hall.issue_ticket(category="A")
        hall.finish(hall.call_next(window=1).id, window=1)
    hall.store.checkpoint()  # emptying the log truncates the same file
    hall.issue_ticket(category="A")
    assert looked == []
    assert hall.store.group._fd == fd and os.path.samestat(real_fstat(fd), real_stat(wal))
    hall.close()


def test_a_durable_commit_starts_writing_its_pages_before_the_answer_is_built(tmp_path, monkeypatch):
    hall = _hall(tmp_path / "hall.db")
    seen: list[str] = []
    monkeypatch.setattr(hall.store.group, "start_writing", lambda: seen.append("write started"))
    real_sync = hall.store.group._sync
    monkeypatch.setattr(hall.store.group, "_sync", lambda: (seen.append("synced"), real_sync()))
    real_token = hall.follow_token
    monkeypatch.setattr(hall, "follow_token", lambda kind, key: (seen.append("answer"), real_token(kind, key))[1])
    ticket = hall.issue_ticket(category="A")
    assert seen == ["write started", "answer", "synced"]
    seen.clear()
    hall.mark_printed(ticket.id, True)  # rides without a sync: nothing is started for it either
    assert "write started" not in seen and "synced" not in seen
    hall.close()


def test_a_step_inside_an_outer_transaction_still_answers(tmp_path):
    hall = _hall(tmp_path / "hall.db")
    status, body = hall.once("k1", "取号机A", lambda: hall.issue_ticket(category="A"),
                             lambda t: (200, t.number.encode()))
    assert (status, body) == (200, b"A001")
    hall.close()


def test_the_write_is_started_only_where_linux_has_the_call(monkeypatch):
    monkeypatch.setattr(group_sync.sys, "platform", "win32")
    assert group_sync._range_writer() is None
    monkeypatch.setattr(group_sync.sys, "platform", "linux")
    assert group_sync._range_writer() is not None


def test_a_commit_made_while_a_sync_runs_leaves_its_pages_to_the_next_sync(tmp_path, monkeypatch):
    """A busy server's commits share syncs: starting a write per commit would add a disk request
    per commit (each a VM exit) for pages the next sync writes anyway."""
    hall = _hall(tmp_path / "hall.db")
    group = hall.store.group
    started: list[int] = []
    real_start = group.start_writing
    monkeypatch.setattr(group, "start_writing", lambda: (started.append(group._committed), real_start()))
    syncing, release = threading.Event(), threading.Event()
    real_sync = group._sync

    def held() -> None:
        syncing.set()
        release.wait(5)
        real_sync()

    monkeypatch.setattr(group, "_sync", held)
    first = threading.Thread(target=lambda: hall.issue_ticket(category="A"))
    first.start()
    assert syncing.wait(5)
    monkeypatch.setattr(group, "_sync", real_sync)
    second = threading.Thread(target=lambda: hall.issue_ticket(category="A"))
    second.start()
    deadline = time.monotonic() + 5
    while group.latest() == started[0] and time.monotonic() < deadline:  # until the second is committed
        time.sleep(0.001)
    assert group.latest() == started[0] + 1  # committed, and waiting for a sync after the first's
    release.set()
    first.join(5)
    second.join(5)
    assert len(started) == 1  # the first commit's write was started; the second waited for the next sync
    assert [t.number for t in hall.tickets()] == ["A001", "A002"]
    hall.close()


def test_a_missing_key_file_refuses_a_step_before_it_writes(tmp_path):
    """The answer's follow token is made after the commit now: the key it needs is read first."""
    path = tmp_path / "hall.db"
    hall = _hall(path)
    waiting = hall.issue_ticket(category="A")
    hall.close()
    keyfile.key_path_for(str(path)).unlink()
    hall = open_hall(path)
    with pytest.raises(keyfile.KeyFileError):
        hall.issue_ticket(category="A")
    with pytest.raises(keyfile.KeyFileError):
        hall.call_next(window=1)
    assert hall.store.conn.execute("SELECT id, status FROM tickets").fetchall() == [(waiting.id, "waiting")]
    hall.close()


def test_a_change_whose_answer_fails_after_the_commit_is_still_synced_and_announced(tmp_path):
    hall = _hall(tmp_path / "hall.db")
    heard = []
    hall.subscribe(heard.append)

    def broken() -> None:
        raise RuntimeError("answer")

    with pytest.raises(RuntimeError), hall._tx() as tx:
        hall._event("Noted", note="kept")
        tx.answer = broken
    assert [e.kind for e in heard] == ["Noted"]
    assert hall.store.group.latest() == hall.store.group._synced  # on disk before the error came out
    assert not hall.store.conn.in_transaction
    hall.close()


def test_the_named_positions_of_a_ticket_row_are_its_columns(tmp_path):
    from kiosk import records

    hall = _hall(tmp_path / "hall.db")
    hall.issue_ticket(category="A")
    cur = hall.store.conn.execute(f"SELECT {TICKET_COLUMNS} FROM tickets")
    names = [d[0].removeprefix("tickets.") for d in cur.description]
    assert len(names) == TICKET_WIDTH
    for name in ("id", "number", "day", "category", "status", "window", "clerk", "called_at", "started_at",
                 "finished_at", "finish_reason"):
        assert names[getattr(records, f"T_{name.upper()}")] == name
    hall.close()
