import datetime as dt

import pytest

from kiosk.errors import InvalidAction, ValidationError
from kiosk.models import MaterialCheck, MaterialStatus

ID = "11010519491231002X"


def serve(hall, clock, window=2, category="A", wait_min=5, service_min=10, matter=""):
    t = hall.issue_ticket(category=category) if not matter else hall.issue_ticket(matter_code=matter)
    clock.advance(minutes=wait_min)
    called = hall.call_next(window=window)
    assert called.id == t.id
    hall.start_service(t.id, window=window)
    clock.advance(minutes=service_min)
    return hall.finish(t.id, window=window)


def test_a_rating_is_stored_once_per_served_ticket(hall, clock):
    t = serve(hall, clock)
    e = hall.evaluate(t.id, 5)
    assert (e.level, e.window, e.clerk) == (5, 2, "clerk2")
    with pytest.raises(InvalidAction, match="已经评价"):
        hall.evaluate(t.id, 4)
    waiting = hall.issue_ticket(category="A")
    with pytest.raises(InvalidAction, match="尚未办结"):
        hall.evaluate(waiting.id, 5)


def test_a_bad_rating_opens_a_review_with_callback_and_rectification_deadlines(hall, clock):
    t = serve(hall, clock)
    hall.evaluate(t.id, 2, "等太久")
    (review,) = hall.bad_reviews("open")
    assert review.callback_due == dt.date(2026, 11, 26)  # 1 working day
    assert review.rectify_due == dt.date(2026, 12, 16)  # 15 working days
    hall.record_callback(review.id, "已电话回访，致歉")
    with pytest.raises(InvalidAction):
        hall.follow_up_rating(review.id, 4)  # only after rectification
    closed = hall.close_bad_review(review.id, "增开商事窗口一个")
    assert closed.status == "closed"
    assert hall.follow_up_rating(review.id, 4).follow_up_level == 4
    with pytest.raises(InvalidAction, match="只能进行一次"):
        hall.follow_up_rating(review.id, 5)


def test_bad_review_deadlines_are_configurable(hall, clock):
    hall.update_settings(bad_review_callback_days=2, bad_review_rectify_days=5)
    hall.evaluate(serve(hall, clock).id, 1, reasons=("等候太久",))
    review = hall.bad_reviews()[0]
    assert (review.callback_due, review.rectify_due) == (dt.date(2026, 11, 27), dt.date(2026, 12, 2))


def test_bad_review_deadlines_into_an_unloaded_year_are_provisional_until_it_is_loaded(hall, clock):
    clock.now = dt.datetime(2026, 12, 15, 9, 0)
    hall.evaluate(serve(hall, clock).id, 1, reasons=("等候太久",))
    review = hall.bad_reviews()[0]
    assert review.provisional and review.rectify_due == dt.date(2027, 1, 5)  # weekends only in 2027
    hall.load_calendar_year(2027, "休 2027-01-01 至 2027-01-03 元旦\n", "国务院办公厅通知")
    review = hall.bad_reviews()[0]
    assert not review.provisional and review.rectify_due == dt.date(2027, 1, 6)
    assert review.callback_due == dt.date(2026, 12, 16)


def test_the_report_counts_tickets_waits_and_services_by_category_window_and_clerk(hall, clock):
    serve(hall, clock, wait_min=4, service_min=10)
    serve(hall, clock, wait_min=10, service_min=20)
    serve(hall, clock, window=3, category="B", wait_min=1, service_min=6)
    skipped = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    hall.skip(skipped.id, window=2)
    hall.issue_ticket(category="B")
    r = hall.report(clock.now.date())
    assert (r.totals.issued, r.totals.served, r.totals.skipped) == (5, 3, 1)
    assert r.totals.max_wait_min == 10.0 and r.totals.avg_wait_min == 5.0
    assert r.totals.avg_service_min == 12.0
    a = next(g for g in r.by_category if g.key == "A")
    assert (a.label, a.issued, a.served, a.avg_wait_min, a.p90_wait_min) == ("商事登记", 3, 2, 7.0, 10.0)
    assert [g.label for g in r.by_clerk] == ["李建国", "陈静"]
    assert [g.key for g in r.by_window] == ["2", "3"]


def test_a_service_left_open_overnight_counts_as_served_but_not_in_the_average_service_time(hall, clock):
    """The clerk went home without 办结 and finished the ticket the next morning: the night was
    not service (one such ticket made the day's average service hours long)."""
    day = clock.now.date()
    serve(hall, clock, service_min=10)
    t = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    hall.start_service(t.id, window=2)
    clock.advance(hours=16)
    hall.finish(t.id, window=2)
    r = hall.report(day)
    assert (r.totals.issued, r.totals.served, r.totals.avg_service_min) == (2, 2, 10.0)


def test_the_report_gives_acceptances_notices_pending_and_the_one_visit_share(hall, clock):
    def checks(missing=()):
        return tuple(MaterialCheck(material_id=i, name=str(i),
                                   status=MaterialStatus.MISSING if i in missing else MaterialStatus.RECEIVED)
                     for i in (1, 2, 3))

    common = dict(matter_code="A-001", applicant_name="张三", applicant_id=ID)
    t1 = serve(hall, clock, matter="A-001")
    hall.refuse_with_notice(checks=checks(missing=(2,)), ticket_id=t1.id, **common)
    clock.advance(days=1)
    t2 = serve(hall, clock, matter="A-001")
    hall.accept(checks=checks(), ticket_id=t2.id, **common)  # second visit
    hall.accept(checks=checks(missing=(3,)), undertaking_signed=True, matter_code="A-001", applicant_name="李四",
                applicant_id="33010619900101123X")
    t = serve(hall, clock)
    hall.evaluate(t.id, 5)
    t = serve(hall, clock)
    hall.evaluate(t.id, 1, reasons=("态度",))
    r = hall.report(dt.date(2026, 11, 25), dt.date(2026, 11, 26))
    assert (r.acceptances, r.rongque_acceptances, r.notices) == (2, 1, 1)
    assert (r.pending_open, r.pending_supplied, r.pending_overdue) == (1, 0, 0)
    # 张三 came twice; 李四's 容缺 material has not come yet: not done (yet) in one visit
    assert (r.applications, r.one_visit, r.one_visit_share) == (2, 0, 0.0)
    assert (r.ratings, r.satisfied, r.satisfaction, r.open_bad_reviews) == (2, 1, 0.5, 1)
    (item,) = hall.pending_items()
    hall.supply_pending(item.id, how="post")
    r = hall.report(dt.date(2026, 11, 25), dt.date(2026, 11, 26))
    assert (r.applications, r.one_visit, r.one_visit_share) == (2, 1, 0.5)  # by post: still one visit


def test_a_closed_day_reads_the_same_from_its_summary(hall, backing, clock):
    serve(hall, clock, wait_min=3, service_min=7)
    serve(hall, clock, wait_min=9, service_min=5)
    live = hall.report(clock.now.date())
    clock.advance(days=1)
    closed = hall.report(clock.now.date() - dt.timedelta(days=1))
    assert closed == live
    assert backing.store.conn.execute("SELECT count(*) FROM day_totals").fetchone()[0] == 1


def test_a_rating_kept_overnight_counts_on_the_day_it_was_given_and_its_callback_runs_from_then(hall, backing, clock):
    """An evaluator that lost the server keeps a rating and sends it when the server is back,
    perhaps the next morning: it says how long ago it was given, and the rating is the given
    day's (already summarised: summarised again), its bad review's callback due from then."""
    t = serve(hall, clock)  # finished on Wednesday 2026-11-25
    given_day = clock.now.date()
    assert hall.report(given_day).ratings == 0
    clock.advance(hours=20)  # the next morning the server is back
    assert hall.report(given_day).ratings == 0  # the day is closed and summarised meanwhile
    assert backing.store.conn.execute("SELECT count(*) FROM day_totals WHERE day = ?",
                                      (given_day.isoformat(),)).fetchone()[0] == 1
    e = hall.evaluate(t.id, 1, reasons=("等候太久",), given_seconds_ago=20 * 3600 - 60)
    assert e.at.date() == given_day and abs((clock.now - e.at) - dt.timedelta(hours=20, minutes=-1)) < dt.timedelta(seconds=1)
    (review,) = hall.bad_reviews("open")
    assert review.callback_due == dt.date(2026, 11, 26)  # 1 working day after the day it was given
    yesterday, today = hall.report(given_day), hall.report(clock.now.date())
    assert (yesterday.ratings, yesterday.satisfied) == (1, 0) and today.ratings == 0


def test_a_rating_is_never_dated_before_its_service_ended_nor_given_a_negative_age(hall, clock):
    t = serve(hall, clock)
    finished = hall.get_ticket(t.id).finished_at
    clock.advance(minutes=5)
    with pytest.raises(ValidationError, match="评价时间"):
        hall.evaluate(t.id, 5, given_seconds_ago=-30)
    e = hall.evaluate(t.id, 5, given_seconds_ago=10 ** 12)  # a PC claiming a rating from long before
    assert e.at == finished


def test_a_service_finished_long_before_cannot_be_rated_on_site(hall, clock):
    """一次一评 at the window: the rating belongs to the service just finished; a script on an
    evaluator PC could otherwise back-fill a clerk's unrated services of any earlier day."""
    t = serve(hall, clock)
    clock.advance(days=1)
    with pytest.raises(InvalidAction, match="当场"):
        hall.evaluate(t.id, 5)
    assert hall.evaluation_for(t.id) is None
    late = serve(hall, clock)
    clock.advance(minutes=29)
    assert hall.evaluate(late.id, 4).level == 4  # a citizen who lingered is still heard


def test_a_report_range_ending_before_it_starts_is_refused(hall):
    from kiosk.errors import ValidationError

    with pytest.raises(ValidationError, match="早于"):
        hall.report(dt.date(2026, 11, 25), dt.date(2026, 11, 1))


def _checks(missing=()):
    return tuple(MaterialCheck(material_id=i, name=str(i),
                               status=MaterialStatus.MISSING if i in missing else MaterialStatus.RECEIVED)
                 for i in (1, 2, 3))


def test_an_application_terminated_for_its_missing_items_is_not_done_in_one_visit(hall, clock):
    day = clock.now.date()
    hall.accept(checks=_checks(missing=(3,)), undertaking_signed=True, pending_days=1, matter_code="A-001",
                applicant_name="张三", applicant_id=ID)
    clock.advance(days=1)  # the day is closed into its summary while the item may still come
    assert (hall.report(day).applications, hall.report(day).one_visit) == (1, 0)  # not done until it comes
    clock.advance(days=1)  # the deadline passed: terminated, and the closed day is counted again
    r = hall.report(day)
    assert (r.applications, r.one_visit, r.one_visit_share) == (1, 0, 0.0)


def test_a_new_application_after_a_termination_carries_the_visits_on(hall, clock):
    common = dict(matter_code="A-001", applicant_name="张三", applicant_id=ID)
    first = hall.accept(checks=_checks(missing=(3,)), undertaking_signed=True, pending_days=1,
                        ticket_id=hall.issue_ticket(matter_code="A-001").id, **common)
    clock.advance(days=2)
    again = hall.accept(checks=_checks(), ticket_id=hall.issue_ticket(matter_code="A-001").id, **common)
    assert again.visits == 2
    r = hall.report(first.received_at.date(), clock.now.date())
    assert (r.applications, r.one_visit) == (1, 0)  # one person, one matter, two visits: counted once


def test_the_report_states_how_one_visit_is_counted_beside_the_figure(hall):
    from kiosk.report_table import to_csv, to_text

    r = hall.report(dt.date(2026, 11, 25))
    assert any("终止" in d for d in r.definitions) and any("沿用" in d for d in r.definitions)
    assert all(d in to_csv(r) and d in to_text(r) for d in r.definitions)


def test_a_bad_rating_asks_for_its_reasons_and_keeps_the_callback_number(hall, clock):
    t = serve(hall, clock)
    with pytest.raises(ValidationError, match="原因"):
        hall.evaluate(t.id, 2)
    with pytest.raises(ValidationError, match="原因"):
        hall.evaluate(t.id, 2, reasons=("态度", "天气"))
    with pytest.raises(ValidationError, match="回访电话"):
        hall.evaluate(t.id, 1, reasons=("态度",), phone="１３８００００１２３４")
    assert hall.evaluation_for(t.id) is None  # every refusal changed nothing
    e = hall.evaluate(t.id, 1, reasons=("态度", "等候太久"), phone="13800001234")
    assert e.reasons == ("态度", "等候太久") and e.phone_masked == "138****1234"
    (review,) = hall.bad_reviews()
    assert review.reasons == e.reasons and review.phone == "13800001234" and review.clerk == "clerk2"


def test_a_good_rating_takes_no_reasons(hall, clock):
    with pytest.raises(ValidationError, match="只有"):
        hall.evaluate(serve(hall, clock).id, 5, reasons=("态度",))


def test_ratings_export_in_the_fields_provinces_collect(hall, clock):
    t = serve(hall, clock, matter="A-001")
    hall.accept(matter_code="A-001", checks=tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3)),
                applicant_name="张三", applicant_id=ID, ticket_id=t.id, window=2, clerk="clerk2")
    hall.evaluate(t.id, 2, reasons=("效率", "其他"))
    day = clock.now.date()
    text = hall.export_ratings(day, day, "csv")
    head, row = text.lstrip("\ufeff").splitlines()
    assert head.split(",") == ["评价渠道", "办件编号", "事项编码", "事项名称", "实施部门", "窗口", "工号", "工作人员",
                               "评价等级", "评价等级名称", "差评原因", "评价时间"]
    assert row.startswith("评价器,") and "A-001,个体工商户设立登记,区市场监督管理局,2,clerk2,李建国,2,不满意,效率、其他" in row
    import json

    (record,) = json.loads(hall.export_ratings(day, day, "json"))["ratings"]
    assert record["channel"] == "评价器" and record["application_number"] and record["reasons"] == ["效率", "其他"]


def test_what_an_unrated_service_counts_as_is_a_hall_setting_in_working_days(hall, clock):
    serve(hall, clock)
    day = clock.now.date()  # Wednesday 25 November 2026
    assert hall.report(day).ratings == 0
    hall.update_settings(unrated_counts_as=5, unrated_after_days=2)
    clock.advance(days=2)  # Friday: two working days have not yet passed
    assert hall.report(day).ratings == 0
    clock.advance(days=3)  # Monday
    r = hall.report(day)
    assert (r.ratings, r.satisfied, r.unrated_counted) == (1, 1, 1) and any("视为" in d for d in r.definitions)


def test_a_ticket_finished_without_a_decision_keeps_why_and_a_no_show_is_not_rated(hall, clock):
    t = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    done = hall.finish(t.id, window=2, reason="no_show")
    assert done.finish_reason == "no_show"
    assert hall.get_ticket(t.id).finish_reason == "no_show"
    finished = [e for e in hall.events_since(0) if e.kind == "TicketFinished"]
    assert finished[-1].data["reason"] == "no_show"  # what the evaluator reads to stay quiet
    with pytest.raises(InvalidAction, match="未到场.*不能评价"):
        hall.evaluate(t.id, 5)
    assert hall.evaluation_for(t.id) is None
    consulted = serve(hall, clock)  # finished with no reason: rated as before
    assert consulted.finish_reason == ""
    assert hall.evaluate(consulted.id, 4).level == 4


def test_an_unknown_finish_reason_is_refused_in_chinese_and_the_ticket_stays_at_the_window(hall):
    t = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    with pytest.raises(ValidationError, match="办结原因应为"):
        hall.finish(t.id, window=2, reason="bored")
    assert hall.get_ticket(t.id).status.value == "called"
