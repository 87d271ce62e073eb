"""A connection cut in the middle of a request: the change is made once, the retry gets its answer.

A proxy on loopback stands between the terminal and a real hall server. It forwards the
request, waits until the server's whole answer is in (so the ticket is certainly committed),
and then resets the terminal's connection without relaying it: exactly a LAN cable pulled at
the worst moment. The retry with the same Idempotency-Key must fetch the original answer.
"""

from __future__ import annotations

import httpx
import pytest
from server_support import DroppingProxy, has_chinese, new_key, post

from kiosk import open_hall
from kiosk.errors import ServerUnavailable


def test_a_retry_with_the_same_key_gets_the_lost_answer_not_a_second_ticket(served):
    token, key = served.tokens["kiosk"], new_key()
    with DroppingProxy(served.server.port, drop=1, match=b"/api/issue_ticket") as proxy:
        with pytest.raises(httpx.TransportError):
            post(proxy.url, "issue_ticket", token, {"category": "A"}, key=key)
        assert len(proxy.lost_answers) == 1 and b" 200 " in proxy.lost_answers[0].split(b"\r\n", 1)[0]
        lost = httpx.Response(200, content=proxy.lost_answers[0].partition(b"\r\n\r\n")[2]).json()
        assert [t.id for t in served.hall.tickets()] == [lost["id"]]  # committed, though nobody heard

        retried = post(proxy.url, "issue_ticket", token, {"category": "A"}, key=key)
        assert retried.status_code == 200, retried.text
        assert retried.json() == lost
        assert proxy.relayed == 1

    # asked again (even directly, even much later): still that one answer, still one ticket
    again = post(served.url, "issue_ticket", token, {"category": "A"}, key=key)
    assert again.json() == lost
    tickets = served.hall.tickets()
    assert [(t.id, t.number) for t in tickets] == [(lost["id"], "A001")]
    assert [e.kind for e in served.hall.events_since(0) if e.kind == "TicketIssued"] == ["TicketIssued"]
    # a new key is a new ticket, numbered on from the first
    fresh = post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key())
    assert fresh.json()["number"] == "A002"


def test_a_request_cut_before_it_reached_the_server_is_made_once_by_the_retry(served):
    token, key = served.tokens["kiosk"], new_key()
    with DroppingProxy(served.server.port, drop=1, match=b"/api/issue_ticket", mode="request") as proxy:
        with pytest.raises(httpx.TransportError):
            post(proxy.url, "issue_ticket", token, {"category": "B"}, key=key)
        assert served.hall.tickets() == []
        retried = post(proxy.url, "issue_ticket", token, {"category": "B"}, key=key)
    assert retried.status_code == 200, retried.text
    assert [(t.id, t.number) for t in served.hall.tickets()] == [(retried.json()["id"], "B001")]


def test_the_same_key_from_another_terminal_is_another_request(served):
    _, other = served.hall.add_terminal("取号机B", "kiosk")
    key = new_key()
    first = post(served.url, "issue_ticket", served.tokens["kiosk"], {"category": "A"}, key=key)
    second = post(served.url, "issue_ticket", other, {"category": "A"}, key=key)
    assert (first.json()["number"], second.json()["number"]) == ("A001", "A002")


def test_a_lost_refusal_is_answered_the_same_on_retry(served):
    """A refused change stores nothing: the retry is refused again, in the same words."""
    token, key = served.tokens["kiosk"], new_key()
    with DroppingProxy(served.server.port, drop=1, match=b"/api/issue_ticket") as proxy:
        with pytest.raises(httpx.TransportError):
            post(proxy.url, "issue_ticket", token, {"category": "Z"}, key=key)
        retried = post(proxy.url, "issue_ticket", token, {"category": "Z"}, key=key)
    lost_body = proxy.lost_answers[0].partition(b"\r\n\r\n")[2]
    assert retried.status_code == 404 and retried.content == lost_body
    assert served.hall.tickets() == []


@pytest.mark.parametrize("drops", [1, 3])
def test_the_hall_client_gets_its_ticket_once_through_a_connection_that_loses_answers(served, drops):
    with DroppingProxy(served.server.port, drop=drops, match=b"/api/issue_ticket") as proxy:
        client = open_hall(proxy.url, token=served.tokens["kiosk"])
        try:
            ticket = client.issue_ticket(category="A")
            assert client.connected
        finally:
            client.close()
        assert len(proxy.lost_answers) == drops
        keys = {line for r in proxy.lost_requests for line in r.split(b"\r\n") if line.lower().startswith(b"idem")}
        assert len(keys) == 1  # every attempt carried the same key
    tickets = served.hall.tickets()
    assert [(t.id, t.number) for t in tickets] == [(ticket.id, "A001")]
    assert ticket == tickets[0]


def test_the_hall_client_says_server_unavailable_when_every_answer_is_lost(served):
    """The client retries for `retry_for` seconds, then tells the user; the ticket it could not
    confirm exists once (the next retry of that key would fetch it)."""
    from hallnet.client import HallClient

    with DroppingProxy(served.server.port, drop=1000, match=b"/api/issue_ticket") as proxy:
        client = HallClient(proxy.url, served.tokens["kiosk"], retry_for=1.0)
        try:
            with pytest.raises(ServerUnavailable) as caught:
                client.issue_ticket(category="A")
            assert "连接" in str(caught.value) and not client.connected
        finally:
            client.close()
        assert len(proxy.lost_answers) >= 2
    assert [t.number for t in served.hall.tickets()] == ["A001"]


def test_a_key_reused_for_another_method_does_not_return_the_first_answer(served):
    token, key = served.tokens["kiosk"], new_key()
    issued = post(served.url, "issue_ticket", token, {"category": "A"}, key=key)
    assert issued.status_code == 200
    printed = post(served.url, "mark_printed", token, {"ticket_id": issued.json()["id"], "ok": True}, key=key)
    # either refused as a reused key, or done: never the other method's answer with nothing done
    if printed.status_code == 200:
        assert served.hall.get_ticket(issued.json()["id"]).print_state == "printed"
    else:
        assert printed.status_code in (409, 422) and has_chinese(printed.json()["message"])


def test_a_lost_print_result_is_simply_made_again_and_stores_no_answer(served):
    """A printed ticket's print result changes nothing a second time, so the server keeps no
    answer for it (no row logged and synced per ticket): the retry marks it printed again and
    answers the ticket as it is, with one ticket and no event added."""
    token = served.tokens["kiosk"]
    ticket = post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()).json()
    stored = served.hall.store.conn.execute("SELECT count(*) FROM request_results").fetchone()[0]
    events = len(served.hall.events_since(0))
    key = new_key()
    with DroppingProxy(served.server.port, drop=1, match=b"/api/mark_printed") as proxy:
        with pytest.raises(httpx.TransportError):
            post(proxy.url, "mark_printed", token, {"ticket_id": ticket["id"], "ok": True}, key=key)
        retried = post(proxy.url, "mark_printed", token, {"ticket_id": ticket["id"], "ok": True}, key=key)
    assert retried.status_code == 200, retried.text
    assert (retried.json()["id"], retried.json()["print_state"]) == (ticket["id"], "printed")
    assert [(t.id, t.print_state.value) for t in served.hall.tickets()] == [(ticket["id"], "printed")]
    assert len(served.hall.events_since(0)) == events
    assert served.hall.store.conn.execute("SELECT count(*) FROM request_results").fetchone()[0] == stored


def test_a_lost_print_failure_is_recorded_once(served):
    """A failed print is an event the reprint list rests on: its answer is kept, so a retry
    does not announce the failure twice."""
    token = served.tokens["kiosk"]
    ticket = post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()).json()
    key = new_key()
    body = {"ticket_id": ticket["id"], "ok": False, "reason": "缺纸"}
    with DroppingProxy(served.server.port, drop=1, match=b"/api/mark_printed") as proxy:
        with pytest.raises(httpx.TransportError):
            post(proxy.url, "mark_printed", token, body, key=key)
        retried = post(proxy.url, "mark_printed", token, body, key=key)
    assert retried.status_code == 200 and retried.json()["print_state"] == "failed"
    assert [e.kind for e in served.hall.events_since(0)].count("TicketPrintFailed") == 1


def test_a_key_reused_for_another_request_never_answers_with_the_first_ones_result(served):
    """A terminal that sends a new citizen's ticket under an old key (a bug, a replayed request)
    gets that citizen's own ticket, not the earlier citizen's answer."""
    token, key = served.tokens["kiosk"], new_key()
    first = post(served.url, "issue_ticket", token, {"category": "A", "holder_name": "张三丰"}, key=key)
    second = post(served.url, "issue_ticket", token, {"category": "B", "holder_name": "李四"}, key=key)
    assert first.status_code == second.status_code == 200
    assert (first.json()["number"], second.json()["number"]) == ("A001", "B001")
    assert second.json()["holder_name"] == "李*"
    assert post(served.url, "issue_ticket", token, {"category": "A", "holder_name": "张三丰"}, key=key).json() == first.json()


def test_a_retried_transfer_is_answered_as_made_though_the_ticket_has_left_the_window(served):
    token = served.tokens["clerk1"]
    served.hall.issue_ticket(category="A")
    called = post(served.url, "call_next", token, {"window": 1}, key=new_key()).json()
    key = new_key()
    moved = post(served.url, "transfer", token, {"ticket_id": called["id"], "to_window": 2}, key=key)
    assert moved.status_code == 200, moved.text
    retried = post(served.url, "transfer", token, {"ticket_id": called["id"], "to_window": 2}, key=key)
    assert retried.status_code == 200 and retried.json() == moved.json()
    other = post(served.url, "transfer", token, {"ticket_id": called["id"], "to_window": 2}, key=new_key())
    assert other.status_code == 403 and has_chinese(other.json()["message"])  # a new request is checked
