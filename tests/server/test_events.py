"""Server-sent events: replay from Last-Event-ID exactly once and in order, a Resync for a terminal
away too long, and the client's ServerLost / ServerBack announcements around a server restart."""

from __future__ import annotations

import gc
import threading
import time

import pytest
from server_support import SseReader, new_key, post, wait_until

import hallnet.events
from hallnet.client import SERVER_BACK, SERVER_LOST
from hallnet.runner import BackgroundServer
from kiosk import open_hall


def make_events(hall, tickets: int) -> int:
    """Issue tickets in process (each commits one or more events); the newest event id after."""
    for i in range(tickets):
        hall.issue_ticket(category="AB"[i % 2] if i < 16 else "B")
    return hall.latest_event_id()


def stored_ids(hall, after: int) -> list[int]:
    return [e.id for e in hall.events_since(after, 100_000)]


@pytest.mark.parametrize("keep,since_start", [(20_000, False), (3, False), (20_000, True)],
                         ids=["buffered", "buffer-trimmed", "from-before-the-server-started"])
def test_a_returning_subscriber_gets_every_missed_event_once_in_order_then_the_live_ones(
        served, monkeypatch, keep, since_start):
    """Missed events come from storage (before the server started, or trimmed from its buffer),
    then from the hub's buffer, then live: one seamless, gap-free, duplicate-free run of ids."""
    monkeypatch.setattr(hallnet.events, "KEEP", keep)
    hall = served.hall
    seen_until = 0 if since_start else hall.latest_event_id()  # the fixture's setup events, or not
    assert hall.latest_event_id() > 0
    make_events(hall, 12)
    assert wait_until(lambda: served.server.hall_server.hub.last_id == hall.latest_event_id(), 5)
    missed = stored_ids(hall, seen_until)
    assert len(missed) >= 12
    with SseReader(served.url, served.tokens["display"], last_event_id=seen_until) as reader:
        assert reader.status == 200
        assert reader.wait_for_id(missed[-1]), reader.ids
        assert reader.ids == missed
        # then live, from both the server's own requests and the in-process hall
        for i in range(6):
            assert post(served.url, "issue_ticket", served.tokens["kiosk"], {"category": "B"},
                        key=new_key()).status_code == 200
            if i % 2:
                hall.issue_ticket(category="B")
        latest = hall.latest_event_id()
        assert reader.wait_for_id(latest), reader.ids
        time.sleep(0.3)  # nothing more may arrive: no duplicates after the last one
        assert reader.ids == stored_ids(hall, seen_until)
    assert reader.error is None
    kinds = {kind for _, kind, _ in reader.events}
    assert "TicketIssued" in kinds and hallnet.events.RESYNC not in kinds
    for event_id, kind, data in reader.events:
        assert data["id"] == event_id and data["kind"] == kind


def test_the_hubs_buffer_holds_each_event_once_as_sent_and_nothing_the_collector_walks(served):
    """A busy day fills the buffer with tens of thousands of events: kept as the bytes a stream
    sends, they cost a full collection (which stops the server's loop) nothing, and an event
    pushed to many terminals is encoded once."""
    hall = served.hall
    hub = served.server.hall_server.hub
    latest = make_events(hall, 20)
    assert wait_until(lambda: hub.last_id == latest, 5)
    newest, items = hub.after(latest - 5)
    assert newest == latest and len(items) == 5
    assert not any(gc.is_tracked(item) for item in hub.data)
    with SseReader(served.url, served.tokens["display"], last_event_id=latest - 5) as reader:
        assert reader.wait_for_id(latest), reader.ids
    assert reader.ids == stored_ids(hall, latest - 5)
    assert items[-1].decode().startswith(f"id: {latest}\r\nevent: ")


def test_a_subscriber_without_last_event_id_gets_only_what_happens_after_it_connected(served):
    make_events(served.hall, 3)
    with SseReader(served.url, served.tokens["display"]) as reader:
        time.sleep(0.2)
        assert reader.ids == []
        before = served.hall.latest_event_id()
        make_events(served.hall, 2)
        latest = served.hall.latest_event_id()
        assert reader.wait_for_id(latest)
        assert reader.ids == stored_ids(served.hall, before)


def test_a_subscriber_away_longer_than_the_replay_limit_gets_one_resync(served, monkeypatch):
    monkeypatch.setattr(hallnet.events, "MAX_REPLAY", 5)
    hall = served.hall
    away_from = hall.latest_event_id()
    latest = make_events(hall, 10)
    assert latest - away_from > 5
    assert wait_until(lambda: served.server.hall_server.hub.last_id == latest, 5)
    with SseReader(served.url, served.tokens["display"], last_event_id=away_from) as reader:
        assert reader.wait_for_id(latest)
        time.sleep(0.3)
        assert [(i, kind) for i, kind, _ in reader.events] == [(latest, hallnet.events.RESYNC)]
        hall.issue_ticket(category="B")
        assert reader.wait_for_id(hall.latest_event_id())
        assert reader.ids == [latest, *stored_ids(hall, latest)]
        assert [k for _, k, _ in reader.events].count(hallnet.events.RESYNC) == 1


def test_a_subscriber_just_within_the_replay_limit_gets_a_replay_not_a_resync(served, monkeypatch):
    monkeypatch.setattr(hallnet.events, "MAX_REPLAY", 5)
    hall = served.hall
    latest = make_events(hall, 3)
    assert wait_until(lambda: served.server.hall_server.hub.last_id == latest, 5)
    with SseReader(served.url, served.tokens["display"], last_event_id=latest - 5) as reader:
        assert reader.wait_for_id(latest)
        time.sleep(0.2)
    assert reader.ids == list(range(latest - 4, latest + 1))


def test_a_last_event_id_from_another_hall_file_gets_a_resync(served):
    latest = served.hall.latest_event_id()
    with SseReader(served.url, served.tokens["display"], last_event_id=latest + 1000) as reader:
        assert reader.wait_for_id(latest)
        time.sleep(0.2)
        assert [(i, k) for i, k, _ in reader.events] == [(latest, hallnet.events.RESYNC)]


@pytest.mark.parametrize("raw", ["abc", "1.5", "-"])
def test_a_malformed_last_event_id_is_a_422_in_chinese(served, raw):
    import httpx

    answer = httpx.get(f"{served.url}/api/events", timeout=5,
                       headers={"Authorization": f"Bearer {served.tokens['display']}", "Last-Event-ID": raw})
    assert answer.status_code == 422
    assert "事件编号" in answer.json()["message"]


def test_an_event_stream_needs_a_valid_token(served):
    with SseReader(served.url, "wrong-token", last_event_id=0) as reader:
        pass
    assert reader.status == 401 and reader.events == []


# --- the client: pushed events, ServerLost, ServerBack ---------------------------------------


class Listener:
    def __init__(self) -> None:
        self.events: list[tuple[float, int, str]] = []
        self.lock = threading.Lock()

    def __call__(self, event) -> None:
        with self.lock:
            self.events.append((time.monotonic(), event.id, event.kind))

    def kinds(self) -> list[str]:
        with self.lock:
            return [k for _, _, k in self.events]

    def first(self, kind: str) -> float | None:
        with self.lock:
            return next((at for at, _, k in self.events if k == kind), None)

    def ids(self) -> list[int]:
        with self.lock:
            return [i for _, i, _ in self.events if i]


def test_client_listeners_get_changes_pushed_and_are_told_of_losing_and_regaining_the_server(served):
    hall = served.hall
    client = open_hall(served.url, token=served.tokens["display"])
    heard = Listener()
    server2 = None
    try:
        client.subscribe(heard)
        start = hall.latest_event_id()
        hall.issue_ticket(category="A")  # a change in process
        post(served.url, "issue_ticket", served.tokens["kiosk"], {"category": "B"}, key=new_key())  # over the LAN
        assert wait_until(lambda: heard.ids() and heard.ids()[-1] == hall.latest_event_id(), 5), heard.events
        assert heard.ids() == stored_ids(hall, start)
        assert SERVER_LOST not in heard.kinds()

        stopped_at = time.monotonic()
        served.server.stop()
        assert wait_until(lambda: heard.first(SERVER_LOST) is not None, 3.5), heard.events
        assert heard.first(SERVER_LOST) - stopped_at <= 3.0
        assert not client.connected
        assert heard.kinds().count(SERVER_LOST) == 1

        hall.issue_ticket(category="A")  # committed while the terminal could not hear
        missed = hall.latest_event_id()
        server2 = BackgroundServer(hall, port=served.server.port, daily_jobs=False).start()
        restarted_at = time.monotonic()
        assert wait_until(lambda: heard.first(SERVER_BACK) is not None, 8), heard.events
        assert client.connected
        assert wait_until(lambda: missed in heard.ids(), 5), heard.events
        hall.issue_ticket(category="B")
        assert wait_until(lambda: heard.ids()[-1] == hall.latest_event_id(), 5)
        assert heard.ids() == stored_ids(hall, start)  # nothing lost, nothing twice across the restart
        kinds = heard.kinds()
        assert kinds.count(SERVER_LOST) == 1 and kinds.count(SERVER_BACK) == 1
        assert kinds.index(SERVER_LOST) < kinds.index(SERVER_BACK)
        print(f"ServerLost after {heard.first(SERVER_LOST) - stopped_at:.2f}s, "
              f"ServerBack {heard.first(SERVER_BACK) - restarted_at:.2f}s after the restart")
        # and the terminal works again
        assert client.queue_status().waiting
    finally:
        client.close()
        if server2 is not None:
            server2.stop()


def test_a_client_call_while_the_server_is_down_says_so_in_chinese(served):
    from hallnet.client import HallClient
    from kiosk.errors import ServerUnavailable

    client = HallClient(served.url, served.tokens["kiosk"], retry_for=0.5)
    heard = Listener()
    try:
        client.bus.subscribe(heard)
        served.server.stop()
        with pytest.raises(ServerUnavailable) as caught:
            client.issue_ticket(category="A")
        assert "连接" in str(caught.value)
        assert heard.kinds() == [SERVER_LOST]
    finally:
        client.close()
    assert served.hall.tickets() == []


def test_a_terminal_that_knows_the_server_gone_answers_at_once_until_its_stream_finds_it_back(served):
    """An unplugged LAN: a connect waits out its timeout (2 s), and on a desk whose reads run as
    the clerk ticks, that was 2 s frozen per tick. Once the event stream has found the server gone
    (and keeps trying on its own), calls are refused at once with the same words; when the
    stream finds the server back, they work again."""
    import socket

    from hallnet.client import LOST_MESSAGE
    from kiosk.errors import ServerUnavailable

    hall = served.hall
    client = open_hall(served.url, token=served.tokens["display"])
    heard = Listener()
    server2 = None
    blackhole = socket.socket()
    try:
        client.subscribe(heard)
        assert client.queue_status() is not None and client.connected
        port = served.server.port
        served.server.stop()
        assert wait_until(lambda: heard.first(SERVER_LOST) is not None, 3.5), heard.events
        # the port now takes no connection at all: a socket that never accepts, its queue full
        blackhole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blackhole.bind(("127.0.0.1", port))
        blackhole.listen(0)
        fillers = []
        while len(fillers) < 4:  # connect until one hangs: from then on every connect waits
            try:
                fillers.append(socket.create_connection(("127.0.0.1", port), timeout=0.2))
            except TimeoutError:
                break
        else:
            pytest.fail("the blackhole socket kept accepting")
        for _ in range(3):
            started = time.monotonic()
            with pytest.raises(ServerUnavailable) as caught:
                client.queue_status()
            assert time.monotonic() - started < 0.2  # not a connect timeout
            assert str(caught.value) == LOST_MESSAGE
        for f in fillers:
            f.close()
        blackhole.close()
        server2 = BackgroundServer(hall, port=port, daily_jobs=False).start()
        assert wait_until(lambda: heard.first(SERVER_BACK) is not None, 8), heard.events
        assert client.queue_status() is not None
    finally:
        blackhole.close()
        client.close()
        if server2 is not None:
            server2.stop()


@pytest.mark.parametrize("by_another_program", [False, True], ids=["console", "terminal-command"])
def test_a_revoked_terminal_hears_nothing_more_on_its_open_event_stream(served, by_another_program):
    """Revoking a stolen PC must stop it hearing the hall at once, not when it next reconnects:
    its open stream ends before anything committed after the revocation is sent, and opening a
    new one is refused."""
    hall = served.hall
    with SseReader(served.url, served.tokens["kiosk"], last_event_id=hall.latest_event_id()) as kiosk, \
            SseReader(served.url, served.tokens["display"], last_event_id=hall.latest_event_id()) as display:
        hall.issue_ticket(category="A")
        before = hall.latest_event_id()
        assert kiosk.wait_for_id(before) and display.wait_for_id(before)
        if by_another_program:  # `main.py terminal revoke` on the hall file: the server hears it from the file
            other = open_hall(hall.location(), durable=False)
            try:
                other.revoke_terminal("取号机A")
            finally:
                other.close()
        else:
            hall.revoke_terminal("取号机A")
        revoked = hall.latest_event_id()
        assert wait_until(lambda: not kiosk._thread.is_alive(), 5), "the revoked kiosk's stream stayed open"
        hall.issue_ticket(category="B")
        after = hall.latest_event_id()
        assert display.wait_for_id(after)  # everyone else hears on
        assert max(kiosk.ids) < revoked and after not in kiosk.ids
        assert kiosk.error is None
    with SseReader(served.url, served.tokens["kiosk"], last_event_id=0) as again:
        pass
    assert again.status == 401 and again.events == []


def test_events_missed_while_the_server_was_away_reach_the_client_marked_replayed_and_live_ones_do_not(served):
    """A display must not announce a call made while it could not hear, minutes late: the client
    marks what the server replays on its return, so screens refresh from it and act only on news."""
    from kiosk.events import replayed

    hall = served.hall
    client = open_hall(served.url, token=served.tokens["display"])
    heard: list = []
    server2 = None
    try:
        client.subscribe(heard.append)
        start = hall.latest_event_id()
        hall.issue_ticket(category="A")  # live, on the first connection
        first = hall.latest_event_id()
        assert wait_until(lambda: any(e.id == first for e in heard), 5)
        served.server.stop()
        assert wait_until(lambda: not client.connected, 3.5)
        hall.issue_ticket(category="A")  # committed while the terminal could not hear
        hall.call_next(1)
        missed = hall.latest_event_id()
        server2 = BackgroundServer(hall, port=served.server.port, daily_jobs=False).start()
        assert wait_until(lambda: any(e.id == missed for e in heard), 8), [(e.id, e.kind) for e in heard]
        hall.call_next(2)  # live again
        live = hall.latest_event_id()
        assert wait_until(lambda: any(e.id == live for e in heard), 5)
        assert [e.id for e in heard if e.id] == stored_ids(hall, start)  # each once, in order
        marked = sorted(e.id for e in heard if replayed(e))
        assert marked == [i for i in stored_ids(hall, first) if i <= missed]  # exactly the missed ones
        assert "TicketCalled" in {e.kind for e in heard if replayed(e)}
        assert not any(replayed(e) for e in heard if e.id > missed or e.id <= first)
        assert not any(replayed(e) for e in heard if e.kind in (SERVER_LOST, SERVER_BACK))
    finally:
        client.close()
        if server2 is not None:
            server2.stop()
