"""A server that stops answering with a read in flight: the terminal is released when its event
stream finds the server gone, not when the read's own (long) timeout runs out; a server that is
alive but slow to answer one read is waited for."""

from __future__ import annotations

import os
import signal
import time

import pytest
from server_support import ServeProcess, add_terminal_cli, wait_until

from hallnet.client import LOST_AFTER, LOST_MESSAGE, SERVER_BACK, SERVER_LOST
from hallnet.runner import free_port
from kiosk import open_hall
from kiosk.errors import ServerUnavailable


def test_a_read_in_flight_when_the_server_stalls_is_released_once_the_stream_finds_it_gone(tmp_path):
    """SIGSTOP: the server's socket stays open and accepts nothing further, as a hung machine or a
    pulled cable looks from a desk. The read must not wait out its 20 s timeout."""
    db = tmp_path / "hall.db"
    token = add_terminal_cli(db, "display", "大厅显示屏")
    server = ServeProcess(db, free_port(), tmp_path / "serve.log", demo=True)
    heard: list[str] = []
    client = None
    try:
        server.start()
        client = open_hall(server.url, token=token)
        client.subscribe(lambda event: heard.append(event.kind))
        assert client.queue_status() is not None and client.connected

        os.kill(server.proc.pid, signal.SIGSTOP)
        stalled_at = time.monotonic()
        with pytest.raises(ServerUnavailable) as caught:
            client.queue_status()
        waited = time.monotonic() - stalled_at
        assert str(caught.value) == LOST_MESSAGE
        assert waited <= LOST_AFTER + 1.0, f"the read held its caller {waited:.1f} s"
        assert SERVER_LOST in heard and not client.connected
        # the next read is refused at once while the stream keeps trying on its own
        started = time.monotonic()
        with pytest.raises(ServerUnavailable):
            client.catalog()
        assert time.monotonic() - started < 0.2

        os.kill(server.proc.pid, signal.SIGCONT)
        assert wait_until(lambda: SERVER_BACK in heard, 10), heard
        assert client.queue_status() is not None  # carries on by itself, no restart
        print(f"read released {waited:.2f} s after the server stalled")
    finally:
        if server.proc is not None and server.proc.poll() is None:
            os.kill(server.proc.pid, signal.SIGCONT)
        if client is not None:
            client.close()
        server.stop()


def test_a_read_the_server_is_slow_to_answer_is_waited_for_while_the_server_is_heard(served, monkeypatch):
    """A long read (as a first report of an unsummarised year) keeps its caller until the answer
    comes, well past the time after which a silent server would be called lost."""
    hall = served.hall
    real_search = hall.search_matters

    def slow_search(*args, **kwargs):
        time.sleep(LOST_AFTER + 1.5)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(hall, "search_matters", slow_search)
    client = open_hall(served.url, token=served.tokens["kiosk"])
    heard: list[str] = []
    try:
        client.subscribe(lambda event: heard.append(event.kind))
        started = time.monotonic()
        found = client.search_matters("身份证")
        assert time.monotonic() - started >= LOST_AFTER + 1.5
        assert found == real_search("身份证")
        assert SERVER_LOST not in heard and client.connected
    finally:
        client.close()
