"""Who looked at or changed a person's data is recorded by the hall server (the spec: "record
who looked at or changed what"): which terminal, signed in as whom, did what to which record;
the manager reads the records, nobody else does, and the queue's own traffic adds none."""

from __future__ import annotations

import datetime as dt

from server_support import new_key, post, wait_until

from kiosk.models import MaterialCheck, MaterialStatus

ID = "11010519491231002X"


def an_application(hall) -> str:
    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    return hall.accept(matter_code="A-001", checks=checks, applicant_name="张三", applicant_id=ID,
                       phone="13800001234").number


def test_a_clerk_looking_at_an_application_is_recorded_with_the_window_s_clerk_and_the_number(served):
    number = an_application(served.hall)
    answer = post(served.url, "get_application", served.tokens["clerk1"], {"number": number})
    assert answer.status_code == 200 and answer.json()["phone"] == "13800001234"
    assert wait_until(lambda: served.hall.access_records(), timeout=5)
    (record,) = served.hall.access_records()
    assert (record.terminal, record.staff, record.action, record.subject) == (
        "1号窗口工作台", "clerk1", "查看办件", number)
    assert record.at.date() == served.hall.today()


def test_the_manager_s_reading_of_callback_phones_names_the_manager_who_signed_in_at_the_console(served):
    hall = served.hall
    hall.save_staff("boss", "周主任", "manager", "boss-pass-1")
    manager = served.tokens["manager"]
    assert post(served.url, "authenticate", manager, {"login": "boss", "password": "boss-pass-1"}).status_code == 200
    assert post(served.url, "bad_reviews", manager, {}).status_code == 200
    assert post(served.url, "applications", manager, {"day_from": "2026-11-01"}).status_code == 200
    assert wait_until(lambda: len(hall.access_records()) == 2, timeout=5)
    assert [(r.terminal, r.staff, r.action, r.subject) for r in hall.access_records()] == [
        ("管理后台", "boss", "查询办件列表", "2026-11-01"), ("管理后台", "boss", "查看差评及回访电话", "全部")]
    # the records of one person's work, and of one record, as the console filters them
    assert len(hall.access_records(staff="boss")) == 2 and hall.access_records(staff="clerk1") == []
    assert [r.action for r in hall.access_records(subject="11-01")] == ["查询办件列表"]


def test_the_queue_s_own_traffic_and_a_refused_request_leave_no_record(served):
    hall = served.hall
    kiosk, clerk2 = served.tokens["kiosk"], served.tokens["clerk2"]
    ticket = post(served.url, "issue_ticket", kiosk, {"category": "A", "holder_id": ID}, key=new_key()).json()
    assert post(served.url, "application_progress", kiosk, {"number": "X"}).status_code == 404
    number = an_application(hall)
    assert post(served.url, "get_application", served.tokens["display"], {"number": number}).status_code == 403
    hall.sign_out(2)
    assert post(served.url, "call_next", clerk2, {"window": 2}, key=new_key()).status_code == 403
    served.server.hall_server._flush_accessed()
    assert hall.access_records() == [] and ticket["number"] == "A001"


def test_only_the_manager_reads_the_records(served):
    hall = served.hall
    post(served.url, "get_application", served.tokens["clerk1"], {"number": an_application(hall)})
    assert wait_until(lambda: hall.access_records(), timeout=5)
    for role in ("clerk1", "kiosk", "display", "evaluator1"):
        assert post(served.url, "access_records", served.tokens[role], {}).status_code == 403
    answer = post(served.url, "access_records", served.tokens["manager"],
                  {"day_from": hall.today().isoformat(), "day_to": (hall.today() + dt.timedelta(days=1)).isoformat()})
    assert answer.status_code == 200 and [r["action"] for r in answer.json()] == ["查看办件"]
