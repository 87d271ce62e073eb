"""What the server's cheaper request path must keep: a change is answered only once it is on
disk, a slow disk never holds up other terminals, long jobs stay off the event loop, and every
answer still goes out whole (its head and body together, HEAD without a body)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from server_support import new_key, post
from support import SMALL_CATALOG

from hallnet.runner import BackgroundServer
from kiosk import open_hall
from kiosk.group_sync import GroupSync
from kiosk.models import Window

SLOW_SYNC = 0.4  # seconds one disk flush takes on the slow disk below


@pytest.fixture
def durable_served(tmp_path, monkeypatch):
    """A durable hall (group commit) behind a live server, on a disk whose flush takes SLOW_SYNC."""
    hall = open_hall(tmp_path / "durable.db", durable=True)
    hall.import_catalog(SMALL_CATALOG, "测试目录")
    hall.save_window(Window(1, "综合窗口1", ()))
    token = hall.add_terminal("取号机A", "kiosk")[1]
    real_sync = GroupSync._sync
    flushed: list[float] = []

    def slow_sync(self: GroupSync) -> None:
        time.sleep(SLOW_SYNC)
        real_sync(self)
        flushed.append(time.monotonic())

    monkeypatch.setattr(GroupSync, "_sync", slow_sync)
    server = BackgroundServer(hall, daily_jobs=False).start()
    try:
        yield server, token, flushed
    finally:
        server.stop()
        hall.close()


def test_a_ticket_is_answered_only_after_the_disk_flush_that_holds_it(durable_served):
    server, token, flushed = durable_served
    post(server.url, "info", token)  # the token is known, the day's jobs have run
    sent = time.monotonic()
    answer = post(server.url, "issue_ticket", token, {"category": "A"}, key=new_key())
    answered = time.monotonic()
    assert answer.status_code == 200, answer.text
    assert answered - sent >= SLOW_SYNC
    assert any(sent < at <= answered for at in flushed)  # a flush that began after the commit
    assert server.hall_server.runner.inline_calls > 0  # it ran on the loop, its sync off it


def test_a_slow_disk_flush_does_not_hold_up_another_terminals_ping(durable_served):
    server, token, _ = durable_served
    post(server.url, "info", token)
    result: dict[str, float] = {}

    def issue() -> None:
        post(server.url, "issue_ticket", token, {"category": "A"}, key=new_key())
        result["ticket"] = time.monotonic()

    worker = threading.Thread(target=issue)
    worker.start()
    time.sleep(SLOW_SYNC / 4)  # the ticket is committed and waiting for its flush
    t0 = time.monotonic()
    ping = httpx.get(f"{server.url}/api/ping", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    pinged = time.monotonic()
    worker.join()
    assert ping.status_code == 200
    assert pinged - t0 < SLOW_SYNC / 2
    assert pinged < result["ticket"]


def test_a_long_job_runs_on_a_worker_thread_not_on_the_event_loop(served):
    runner = served.server.hall_server.runner
    before = runner.thread_calls
    assert post(served.url, "report", served.tokens["manager"],
                {"date_from": "2026-11-01", "date_to": "2026-11-30"}).status_code == 200
    assert runner.thread_calls == before + 1


def test_a_fixed_length_answer_goes_out_in_one_write_and_a_streamed_one_as_written(served):
    from types import SimpleNamespace

    from hallnet.runner import _JoinedWrites

    class Transport:
        def __init__(self) -> None:
            self.writes: list[bytes] = []

        def write(self, data: bytes) -> None:
            self.writes.append(data)

    fixed = Transport()
    joined = _JoinedWrites(SimpleNamespace(chunked_encoding=False, scope={"method": "POST"}), fixed)
    joined.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n")
    joined.write(b"{}")
    assert fixed.writes == [b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}"]
    for chunked, method in ((True, "GET"), (False, "HEAD")):  # the event stream; a HEAD answer
        seen = Transport()
        joined = _JoinedWrites(SimpleNamespace(chunked_encoding=chunked, scope={"method": method}), seen)
        joined.write(b"head")
        assert seen.writes == [b"head"]  # out at once: no body may follow for a while, or ever
    # and the server really answers through it: a whole answer on a keep-alive connection
    with httpx.Client(headers={"Authorization": f"Bearer {served.tokens['kiosk']}"}) as http:
        for _ in range(3):
            assert http.get(f"{served.url}/api/ping").json() == {"terminal": "取号机A", "role": "kiosk", "window": None, "devices": None}


def test_a_head_request_to_ping_gets_the_headers_and_no_body(served):
    answer = httpx.head(f"{served.url}/api/ping", headers={"Authorization": f"Bearer {served.tokens['kiosk']}"},
                        timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == b""


def test_another_program_holding_the_hall_file_does_not_stall_the_event_loop(served):
    """A call that meets the file busy waits on a thread, not on the loop: event streams keep
    their heartbeat (a terminal hearing nothing for 3 s would say the server is gone)."""
    import sqlite3

    token = served.tokens["kiosk"]
    assert post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()).status_code == 200
    other = sqlite3.connect(served.hall.location(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a maintenance script writing to the file
    result: dict[str, object] = {}

    def issue() -> None:
        result["answer"] = post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key(), timeout=20)
        result["at"] = time.monotonic()

    worker = threading.Thread(target=issue)
    worker.start()
    time.sleep(0.3)  # the ticket waits for the file
    t0 = time.monotonic()
    health = httpx.get(f"{served.url}/health", timeout=10)
    answered = time.monotonic() - t0
    released = time.monotonic()
    other.execute("COMMIT")
    other.close()
    worker.join(15)
    assert health.status_code == 200
    assert answered < 0.25
    assert result["answer"].status_code == 200, result["answer"].text  # made once the file was free
    assert result["at"] >= released
    assert served.server.hall_server.runner.busy_retries >= 1
