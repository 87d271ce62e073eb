"""Who may look at citizens' records through the hall server, and how fast a terminal may
guess: a window PC only with a person signed in on it, a kiosk no ticket by its number, an
evaluator only its own window's, and no terminal walks through codes that do not exist."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from server_support import has_chinese, new_key, post

from kiosk.models import MaterialCheck, MaterialStatus

ID = "11010519491231002X"


def an_application(hall) -> str:
    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    return hall.accept(matter_code="A-001", checks=checks, applicant_name="张三", applicant_id=ID,
                       phone="13800001234").number


@pytest.mark.parametrize("method,body", [("get_application", "number"), ("applications", None), ("tickets", None),
                                         ("applications_at", "ticket")])
def test_a_window_pc_with_nobody_signed_in_reads_no_citizen_s_record(served, method, body):
    hall = served.hall
    number = an_application(hall)
    ticket = hall.issue_ticket(category="A", holder_id=ID, phone="13800001234")
    args = {"number": number} if body == "number" else {"ticket_id": ticket.id} if body == "ticket" else {}
    assert post(served.url, method, served.tokens["clerk2"], args).status_code == 200  # clerk2 signed in there
    hall.sign_out(2)
    answer = post(served.url, method, served.tokens["clerk2"], args)
    assert answer.status_code == 403 and "请先登录2号窗口" in answer.json()["message"]


def test_a_second_pc_of_a_window_does_not_act_as_the_clerk_signed_in_on_the_first(served):
    hall = served.hall
    spare = hall.add_terminal("1号窗口备用机", "clerk", 1)[1]
    signed = post(served.url, "sign_in", served.tokens["clerk1"], {"window": 1, "login": "clerk1",
                                                                    "password": "pass-1111"}, key=new_key())
    assert signed.status_code == 200
    hall.issue_ticket(category="A")
    answer = post(served.url, "call_next", spare, {"window": 1}, key=new_key())
    assert answer.status_code == 403 and "1号窗口工作台" in answer.json()["message"]
    assert hall.current_ticket(1) is None
    assert post(served.url, "sign_in", spare, {"window": 1, "login": "clerk1", "password": "pass-1111"},
                key=new_key()).status_code == 200  # signing in there moves the session to that PC
    assert post(served.url, "call_next", spare, {"window": 1}, key=new_key()).status_code == 200
    assert post(served.url, "finish", served.tokens["clerk1"], {"ticket_id": hall.current_ticket(1).id, "window": 1},
                key=new_key()).status_code == 403


def test_a_kiosk_reads_no_ticket_by_its_number_and_an_evaluator_only_its_own_window_s(served):
    hall = served.hall
    ticket = hall.issue_ticket(category="A", holder_id=ID, phone="13800001234")
    for method, args in (("get_ticket", {"ticket_id": ticket.id}), ("find_ticket", {"ref": ticket.number})):
        assert post(served.url, method, served.tokens["kiosk"], args).status_code == 403
    hall.call_next(2)
    assert post(served.url, "get_ticket", served.tokens["evaluator1"], {"ticket_id": ticket.id}).status_code == 403
    assert post(served.url, "get_ticket", served.tokens["evaluator2"], {"ticket_id": ticket.id}).status_code == 200


def test_a_kiosk_guessing_booking_codes_waits_after_ten_that_do_not_exist_and_still_issues_tickets(served):
    kiosk = served.tokens["kiosk"]
    day = served.hall.today()
    for i in range(10):
        code = f"{day:%y%m%d}{i:06d}"
        assert post(served.url, "find_appointment", kiosk, {"code": code}).status_code == 404
    answer = post(served.url, "find_appointment", kiosk, {"code": "x"})
    assert answer.status_code == 429 and answer.json()["error"] == "TooManyTries" and has_chinese(answer.json()["message"])
    assert post(served.url, "application_progress", kiosk, {"number": "1"}).status_code == 429
    assert post(served.url, "issue_ticket", kiosk, {"category": "A"}, key=new_key()).status_code == 200
    # the manager's console and other kiosks are not held up by one kiosk's guesses
    assert post(served.url, "find_appointment", served.tokens["manager"], {"code": "x"}).status_code == 404
    other = served.hall.add_terminal("取号机B", "kiosk")[1]
    assert post(served.url, "find_appointment", other, {"code": "x"}).status_code == 404


def test_the_log_keeps_no_phone_link_and_no_refused_value(served, caplog):
    hall = served.hall
    ticket = hall.issue_ticket(category="A")
    import httpx

    with caplog.at_level(logging.INFO, logger="hallnet.server"):
        assert httpx.get(f"{served.url}/t/{ticket.follow_token}", timeout=10).status_code == 200
        post(served.url, "applications", served.tokens["manager"], {"state": ID, "day_from": str(dt.date(2026, 1, 1))})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/t/…" in text and ticket.follow_token not in text
    assert ID not in text


def test_guesses_sent_side_by_side_share_the_same_ten_misses(served):
    from concurrent.futures import ThreadPoolExecutor

    kiosk = served.tokens["kiosk"]
    day = served.hall.today()
    with ThreadPoolExecutor(32) as pool:
        answers = list(pool.map(lambda i: post(served.url, "find_appointment", kiosk,
                                               {"code": f"{day:%y%m%d}{i:06d}"}).status_code, range(64)))
    assert answers.count(404) <= 10 and answers.count(429) >= 54


def test_an_evaluator_reads_the_ticket_at_its_own_window_only_whatever_window_it_names(served):
    hall = served.hall
    ticket = hall.issue_ticket(category="A", holder_id=ID, phone="13800001234")
    hall.call_next(2)
    answer = post(served.url, "current_ticket", served.tokens["evaluator1"], {"window": 2})
    assert answer.status_code == 200 and answer.json() is None  # window 1's: nobody there
    mine = post(served.url, "current_ticket", served.tokens["evaluator2"], {"window": 2}).json()
    assert mine["id"] == ticket.id
