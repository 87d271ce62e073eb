"""Who may do what through the hall server: tokens, roles, a clerk's window and signed-in person.

Every refusal is checked twice: the answer (status, a JSON body with a Chinese message) and the
hall behind the server, which must be exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from server_support import Snapshot, has_chinese, new_key, post

WINDOW_CHANGE = {"window": {"number": 1, "name": "改名窗口", "categories": [], "active": True}}


def refused(answer: httpx.Response, status: int, error: str | None = None) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    body = answer.json()
    assert has_chinese(body["message"]), body
    if error is not None:
        assert body["error"] == error, body
    return body


# --- the token ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"Authorization": ""}, {"Authorization": "Bearer"},
                                     {"Authorization": "Basic a2lvc2s6cGFzcw=="}, {"Authorization": "Token x"}],
                         ids=["absent", "empty", "bearer-nothing", "basic", "other-scheme"])
def test_a_request_without_a_bearer_token_is_401_and_changes_nothing(served, headers):
    before = Snapshot.of(served.hall)
    answer = httpx.post(f"{served.url}/api/issue_ticket", json={"category": "A"},
                        headers={**headers, "Idempotency-Key": new_key()}, timeout=10)
    body = refused(answer, 401, "Unauthorised")
    assert "令牌" in body["message"]
    assert answer.headers.get("www-authenticate") == "Bearer"
    assert Snapshot.of(served.hall) == before


def test_an_unknown_token_is_401_and_changes_nothing(served):
    before = Snapshot.of(served.hall)
    for token in ("not-a-token", served.tokens["kiosk"] + "x", served.tokens["kiosk"].upper(), "x" * 5000):
        refused(post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()), 401, "Unauthorised")
    utf8 = httpx.post(f"{served.url}/api/issue_ticket", json={"category": "A"}, timeout=10,
                      headers={"Authorization": "Bearer 令牌".encode(), "Idempotency-Key": new_key()})
    refused(utf8, 401, "Unauthorised")
    refused(httpx.get(f"{served.url}/api/ping", headers={"Authorization": "Bearer nope"}, timeout=10), 401)
    assert Snapshot.of(served.hall) == before


def test_a_revoked_token_is_refused_on_the_very_next_request(served):
    token = served.tokens["kiosk"]
    for _ in range(3):  # the server now knows the token well
        assert post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()).status_code == 200
    served.hall.revoke_terminal("取号机A")
    before = Snapshot.of(served.hall)
    body = refused(post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()), 401)
    assert "注销" in body["message"]
    refused(httpx.get(f"{served.url}/api/ping", headers={"Authorization": f"Bearer {token}"}, timeout=10), 401)
    assert Snapshot.of(served.hall) == before


def test_a_token_revoked_by_another_program_on_the_hall_file_is_refused_on_the_very_next_request(served):
    from kiosk import open_hall

    token = served.tokens["kiosk"]
    assert post(served.url, "info", token).status_code == 200
    other = open_hall(served.hall.location(), durable=False)  # as `terminal revoke` opens the file
    try:
        other.revoke_terminal("取号机A")
    finally:
        other.close()
    refused(post(served.url, "info", token), 401, "Unauthorised")
    refused(post(served.url, "issue_ticket", token, {"category": "A"}, key=new_key()), 401, "Unauthorised")


def test_a_reissued_terminal_is_known_by_its_new_token_at_once_and_never_by_the_old(served):
    old = served.tokens["kiosk"]
    assert post(served.url, "info", old).status_code == 200
    _, new = served.hall.reissue_terminal("取号机A")
    refused(post(served.url, "info", old), 401, "Unauthorised")
    answer = httpx.get(f"{served.url}/api/ping", headers={"Authorization": f"Bearer {new}"}, timeout=10)
    assert answer.json() == {"terminal": "取号机A", "role": "kiosk", "window": None, "devices": None}


def test_a_terminal_added_by_another_program_is_let_in_at_once(served):
    from kiosk import open_hall

    token = "late-terminal-token"
    refused(httpx.get(f"{served.url}/api/ping", headers={"Authorization": f"Bearer {token}"}, timeout=10), 401)
    other = open_hall(served.hall.location(), durable=False)
    try:
        _, token = other.add_terminal("后来的取号机", "kiosk")
    finally:
        other.close()
    answer = httpx.get(f"{served.url}/api/ping", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert answer.status_code == 200 and answer.json()["terminal"] == "后来的取号机"


@pytest.mark.parametrize("param", ["token", "access_token", "Authorization", "bearer", "key"])
def test_a_token_in_the_query_string_is_never_accepted(served, param):
    token = served.tokens["manager"]
    before = Snapshot.of(served.hall)
    answer = httpx.post(f"{served.url}/api/issue_ticket", params={param: token}, json={"category": "A"},
                        headers={"Idempotency-Key": new_key()}, timeout=10)
    refused(answer, 401, "Unauthorised")
    refused(httpx.get(f"{served.url}/api/ping", params={param: token}, timeout=10), 401)
    refused(httpx.get(f"{served.url}/api/events", params={param: token, "after": "0"}, timeout=10), 401)
    # nor as the Bearer value in the query string's "Authorization" form
    refused(httpx.get(f"{served.url}/api/ping", params={"Authorization": f"Bearer {token}"}, timeout=10), 401)
    assert Snapshot.of(served.hall) == before


# --- the role ---------------------------------------------------------------------------------


def test_a_display_may_not_issue_a_ticket_and_is_told_so_in_chinese(served):
    before = Snapshot.of(served.hall)
    body = refused(post(served.url, "issue_ticket", served.tokens["display"], {"category": "A"}, key=new_key()),
                   403, "AccessDenied")
    assert "大厅显示屏" in body["message"] and "无权" in body["message"]
    assert Snapshot.of(served.hall) == before
    # what it may do, it can
    assert post(served.url, "queue_status", served.tokens["display"]).status_code == 200


@pytest.mark.parametrize("method,body", [
    ("save_window", WINDOW_CHANGE),
    ("update_settings", {"changes": {"max_skips": 5}}),
    ("save_staff", {"login": "intruder", "name": "某人", "role": "manager", "password": "pass-9999"}),
    ("import_catalog", {"document": {"categories": [], "matters": []}, "replace_all": True}),
    ("call_next", {"window": 1}),
    ("purge_personal_data", {}),
    ("terminals", {}),
    ("add_terminal", {"name": "自己登记的管理台", "role": "manager"}),
    ("reissue_terminal", {"name": "取号机A"}),
])
def test_a_kiosk_may_not_use_manager_or_clerk_actions(served, method, body):
    before = Snapshot.of(served.hall)
    message = refused(post(served.url, method, served.tokens["kiosk"], body, key=new_key()), 403, "AccessDenied")
    assert "取号机" in message["message"]
    assert Snapshot.of(served.hall) == before


def test_the_manager_console_may_do_what_the_kiosk_may_not(served):
    answer = post(served.url, "save_window", served.tokens["manager"], WINDOW_CHANGE, key=new_key())
    assert answer.status_code == 200, answer.text
    assert served.hall.windows()[0].name == "改名窗口"


def test_the_manager_console_registers_a_pc_whose_token_works_at_once_and_is_kept_only_hashed(served, tmp_path):
    key = new_key()
    answer = post(served.url, "add_terminal", served.tokens["manager"],
                  {"name": "二楼取号机", "role": "kiosk", "place": "二楼电梯口", "by": "admin"}, key=key)
    assert answer.status_code == 200, answer.text
    terminal, token = answer.json()
    assert terminal["name"] == "二楼取号机" and len(token) >= 40
    assert post(served.url, "ping", token).json() == {"terminal": "二楼取号机", "role": "kiosk", "window": None, "devices": None}
    # the answer was not kept for a retry: the token is nowhere in the hall's files
    served.hall.store.conn.execute("PRAGMA wal_checkpoint(FULL)")
    files = [p for p in Path(served.hall.location()).parent.iterdir() if p.name.startswith("hall.db")]
    assert files and not any(token.encode() in p.read_bytes() for p in files)
    # so a retry of the same key (its answer lost) is made again and refused plainly
    before = Snapshot.of(served.hall)
    again = refused(post(served.url, "add_terminal", served.tokens["manager"],
                         {"name": "二楼取号机", "role": "kiosk", "place": "二楼电梯口", "by": "admin"}, key=key),
                    409, "InvalidAction")
    assert "换发新令牌" in again["message"]
    assert Snapshot.of(served.hall) == before


@pytest.mark.parametrize("method", ["revoke_terminal", "reissue_terminal"])
def test_a_manager_console_may_not_revoke_or_reissue_its_own_registration(served, method):
    before = Snapshot.of(served.hall)
    body = refused(post(served.url, method, served.tokens["manager"], {"name": "管理后台"}, key=new_key()),
                   409, "InvalidAction")
    assert "它自己的令牌" in body["message"]
    assert Snapshot.of(served.hall) == before
    assert post(served.url, "ping", served.tokens["manager"]).status_code == 200


def test_a_pc_revoked_from_the_console_is_refused_on_its_very_next_request(served):
    assert post(served.url, "queue_status", served.tokens["kiosk"]).status_code == 200
    answer = post(served.url, "revoke_terminal", served.tokens["manager"], {"name": "取号机A"}, key=new_key())
    assert answer.status_code == 200 and answer.json()["revoked_at"]
    refused(post(served.url, "queue_status", served.tokens["kiosk"]), 401)


# --- a clerk's window and person -------------------------------------------------------------


def test_a_clerk_terminal_may_not_act_for_another_window(served):
    served.hall.issue_ticket(category="B")
    before = Snapshot.of(served.hall)
    for method, body in (("call_next", {"window": 1}), ("pause_window", {"window": 1}),
                         ("sign_in", {"window": 1, "login": "clerk1", "password": "pass-1111"}),
                         ("sign_out", {"window": 1})):
        message = refused(post(served.url, method, served.tokens["clerk2"], body, key=new_key()), 403)
        assert "2号窗口" in message["message"] and "1号窗口" in message["message"]
    assert Snapshot.of(served.hall) == before


def test_a_clerk_pc_moved_to_another_window_in_the_console_acts_only_there_from_its_next_request(served):
    # known to the server (its token remembered) before the move
    refused(post(served.url, "pause_window", served.tokens["clerk2"], {"window": 1}, key=new_key()), 403)
    moved = post(served.url, "update_terminal", served.tokens["manager"], {"name": "2号窗口工作台", "window": 3},
                 key=new_key())
    assert moved.status_code == 200 and moved.json()["window"] == 3
    message = refused(post(served.url, "pause_window", served.tokens["clerk2"], {"window": 2}, key=new_key()), 403)
    assert "本终端属于3号窗口" in message["message"]


def test_a_clerk_terminal_must_sign_in_before_calling(served):
    served.hall.sign_out(1)  # nobody at window 1, so the server has no session to carry on
    served.hall.issue_ticket(category="B")
    before = Snapshot.of(served.hall)
    message = refused(post(served.url, "call_next", served.tokens["clerk1"], {"window": 1}, key=new_key()), 403)
    assert "请先登录" in message["message"]
    # nor with the window left out, nor by naming a clerk
    refused(post(served.url, "call_next", served.tokens["clerk1"], {"window": 1, "clerk": "clerk1"},
                 key=new_key()), 403)
    assert Snapshot.of(served.hall) == before
    # a wrong password does not open the session either
    refused(post(served.url, "sign_in", served.tokens["clerk1"],
                 {"window": 1, "login": "clerk1", "password": "wrong-pass"}, key=new_key()), 403)
    refused(post(served.url, "call_next", served.tokens["clerk1"], {"window": 1}, key=new_key()), 403)
    assert Snapshot.of(served.hall) == before


def test_after_sign_in_the_recorded_clerk_is_the_signed_in_login_whatever_the_body_claims(served):
    served.hall.sign_out(1)
    ticket = served.hall.issue_ticket(category="B")
    token = served.tokens["clerk1"]
    signed = post(served.url, "sign_in", token, {"window": 1, "login": "clerk1", "password": "pass-1111"},
                  key=new_key())
    assert signed.status_code == 200, signed.text
    before = Snapshot.of(served.hall)
    # claiming to be someone else is refused, and changes nothing
    message = refused(post(served.url, "call_next", token, {"window": 1, "clerk": "clerk3"}, key=new_key()), 403)
    assert "另一位工作人员" in message["message"]
    assert Snapshot.of(served.hall) == before
    # left out: the signed-in login is filled in
    called = post(served.url, "call_next", token, {"window": 1}, key=new_key())
    assert called.status_code == 200, called.text
    assert called.json()["id"] == ticket.id and called.json()["window"] == 1
    assert served.hall.get_ticket(ticket.id).clerk == "clerk1"
    finished = post(served.url, "finish", token, {"ticket_id": ticket.id, "window": 1, "clerk": "clerk1"},
                    key=new_key())
    assert finished.status_code == 200, finished.text
    event = served.hall.events_since(before.latest_event)[-1]
    assert event.kind == "TicketFinished" and event.clerk == "clerk1"


def test_a_window_signed_out_elsewhere_ends_the_clerk_terminal_session(served):
    served.hall.sign_out(1)
    served.hall.issue_ticket(category="B")
    token = served.tokens["clerk1"]
    assert post(served.url, "sign_in", token, {"window": 1, "login": "clerk1", "password": "pass-1111"},
                key=new_key()).status_code == 200
    signed_out = post(served.url, "sign_out", served.tokens["manager"], {"window": 1}, key=new_key())
    assert signed_out.status_code == 200, signed_out.text
    assert next(w for w in served.hall.queue_status().windows if w.number == 1).clerk == ""
    before = Snapshot.of(served.hall)
    answer = post(served.url, "call_next", token, {"window": 1}, key=new_key())
    assert answer.status_code == 403, answer.text
    assert "请先登录" in answer.json()["message"]
    assert Snapshot.of(served.hall) == before


def test_a_clerk_terminal_may_not_transfer_a_ticket_served_at_another_window(served):
    ticket = served.hall.issue_ticket(category="B")
    assert served.hall.call_next(1).id == ticket.id
    served.hall.start_service(ticket.id, 1)
    before = Snapshot.of(served.hall)
    answer = post(served.url, "transfer", served.tokens["clerk2"], {"ticket_id": ticket.id, "to_category": "A"},
                  key=new_key())
    assert answer.status_code == 403, answer.text[:200]
    assert Snapshot.of(served.hall) == before
    assert served.hall.current_ticket(1).id == ticket.id


# --- an evaluator's window ------------------------------------------------------------------


def test_an_evaluator_rates_only_tickets_finished_at_its_own_window(served):
    ticket = served.hall.issue_ticket(category="A")
    called = served.hall.call_next(2)
    assert called is not None and called.id == ticket.id
    served.hall.finish(ticket.id, 2)
    before = Snapshot.of(served.hall)
    message = refused(post(served.url, "evaluate", served.tokens["evaluator1"], {"ticket_id": ticket.id, "level": 5},
                           key=new_key()), 403, "AccessDenied")
    assert "1号窗口" in message["message"]
    assert Snapshot.of(served.hall) == before
    assert served.hall.evaluation_for(ticket.id) is None
    rated = post(served.url, "evaluate", served.tokens["evaluator2"], {"ticket_id": ticket.id, "level": 5},
                 key=new_key())
    assert rated.status_code == 200, rated.text
    assert served.hall.evaluation_for(ticket.id).level == 5


def test_an_evaluator_may_not_issue_tickets_or_call(served):
    before = Snapshot.of(served.hall)
    refused(post(served.url, "issue_ticket", served.tokens["evaluator1"], {"category": "A"}, key=new_key()), 403)
    refused(post(served.url, "call_next", served.tokens["evaluator1"], {"window": 1}, key=new_key()), 403)
    assert Snapshot.of(served.hall) == before


# --- what is published ----------------------------------------------------------------------

INTERNAL = ("hash_key", "close", "location", "once", "terminal_for_token", "mark_terminals_seen", "forget_requests",
            "subscribe", "store", "reopen_day", "work_calendar", "record_access",
            # the server's own book of who signed in on which console
            "open_console_session", "console_session")


def test_the_openapi_document_lists_no_internal_method(served):
    answer = httpx.get(f"{served.url}/openapi.json", timeout=10)
    assert answer.status_code == 200
    doc = answer.json()
    assert doc["openapi"].startswith("3.1")
    operations = {op["operationId"] for path in doc["paths"].values() for op in path.values()}
    assert "issue_ticket" in operations and "call_next" in operations
    for name in INTERNAL:
        assert name not in operations
        assert f"/api/{name}" not in doc["paths"]
    assert not any(p.startswith("/api/_") for p in doc["paths"])


@pytest.mark.parametrize("name", INTERNAL + ("_tx", "__init__", "__class__", "_event"))
def test_an_internal_method_cannot_be_called_even_by_the_manager(served, name):
    before = Snapshot.of(served.hall)
    body = refused(post(served.url, name, served.tokens["manager"], {"name": "x", "role": "manager"},
                        key=new_key()), 404, "NotFound")
    assert "没有" in body["message"]
    assert Snapshot.of(served.hall) == before


@pytest.mark.parametrize("change", [{"active": False}, {"password": "reset-by-manager"}])
def test_a_clerk_whose_account_the_manager_disables_or_resets_acts_at_no_window_any_longer(served, change):
    clerk1 = served.tokens["clerk1"]
    served.hall.issue_ticket(category="A")
    assert post(served.url, "call_next", clerk1, {"window": 1}, key=new_key()).status_code == 200
    body = {"login": "clerk1", "name": "王晓燕", "role": "clerk", "active": True, **change}
    assert post(served.url, "save_staff", served.tokens["manager"], body, key=new_key()).status_code == 200
    refused = post(served.url, "recall", clerk1, {"ticket_id": served.hall.current_ticket(1).id, "window": 1},
                   key=new_key())
    assert refused.status_code == 403 and "请先登录" in refused.json()["message"]
    assert next(w for w in served.hall.queue_status().windows if w.number == 1).clerk == ""


def test_a_kiosk_lists_only_the_tickets_it_must_reprint_never_everyones_follow_links(served):
    kiosk = served.tokens["kiosk"]
    printed = served.hall.issue_ticket(category="A")
    served.hall.mark_printed(printed.id, True)
    lost = served.hall.issue_ticket(category="A")
    served.hall.mark_printed(lost.id, False, "缺纸")
    asked = post(served.url, "tickets", kiosk, {}, key=new_key())
    assert asked.status_code == 200 and [t["id"] for t in asked.json()] == [lost.id]
    wider = post(served.url, "tickets", kiosk, {"status": "done"}, key=new_key())
    assert [t["id"] for t in wider.json()] == [lost.id]
    manager = post(served.url, "tickets", served.tokens["manager"], {}, key=new_key())
    assert len(manager.json()) == 2  # staff see the day as it is
