"""The figures a hall publishes count what happened to citizens: a no-show was not served, a
wait ends when the hall first called, a citizen sent home with a spoken list came twice, a day
closed at midnight is counted again when its last tickets end, and a 容缺 application is done
when its materials are in, not before."""

import datetime as dt

import pytest

from kiosk.errors import InvalidAction
from kiosk.models import MaterialCheck, MaterialStatus

ID = "11010519491231002X"


def _checks(missing=()):
    return tuple(MaterialCheck(material_id=i, name=str(i),
                               status=MaterialStatus.MISSING if i in missing else MaterialStatus.RECEIVED)
                 for i in (1, 2, 3))


def _call(hall, clock, minutes, window=2, category="A", **ticket):
    t = hall.issue_ticket(category=category, **ticket) if not ticket else hall.issue_ticket(**ticket)
    clock.advance(minutes=minutes)
    assert hall.call_next(window=window).id == t.id
    return t


def test_a_no_show_is_not_served_nor_timed_nor_counted_as_an_unrated_service(hall, clock):
    hall.update_settings(unrated_counts_as=5, unrated_after_days=1)
    served = _call(hall, clock, 4)
    hall.start_service(served.id, window=2)
    clock.advance(minutes=10)
    hall.finish(served.id, window=2)
    gone = _call(hall, clock, 30)
    clock.advance(minutes=2)
    hall.finish(gone.id, window=2, reason="no_show")
    clock.advance(days=3)
    totals = hall.report(dt.date(2026, 11, 25))
    t = totals.totals
    assert (t.issued, t.served, t.abandoned) == (2, 1, 1)
    assert (t.avg_wait_min, t.max_wait_min, t.avg_service_min) == (4.0, 4.0, 10.0)
    assert totals.unrated_counted == 1  # only the one served: a no-show is never asked


def test_a_no_show_does_not_make_the_next_citizens_wait_estimate_longer(hall, clock, backing):
    gone = _call(hall, clock, 1)
    clock.advance(minutes=40)  # nobody came; the clerk gives up after a long while
    hall.finish(gone.id, window=2, reason="no_show")
    assert backing.store.conn.execute("SELECT count(*) FROM service_stats").fetchone()[0] == 0


def test_the_wait_ends_at_the_first_call_whatever_came_after(hall, clock):
    """A 过号 call-back an hour later, or a transfer to another window, calls again: the time
    between was the citizen away or being served, not waiting on the hall."""
    skipped = _call(hall, clock, 5)
    clock.advance(minutes=2)
    hall.skip(skipped.id, window=2)
    clock.advance(minutes=43)
    hall.call_back(skipped.id, window=2)
    hall.finish(skipped.id, window=2)
    moved = _call(hall, clock, 7)
    hall.start_service(moved.id, window=2)
    clock.advance(minutes=20)
    hall.transfer(moved.id, to_category="B", window=2)
    clock.advance(minutes=2)
    assert hall.call_next(window=3).id == moved.id
    hall.finish(moved.id, window=3)
    t = hall.report(dt.date(2026, 11, 25)).totals
    assert (t.served, t.max_wait_min, t.avg_wait_min) == (2, 7.0, 6.0)


def test_the_first_window_of_a_transferred_ticket_is_credited_with_its_service(hall, clock):
    """The citizen was served at window 2 for 10 minutes, sent on to the 不动产 window and served
    there for 20: window 2 and its clerk handed one on and served 10 minutes of it, the ticket
    counts once, issued and served where it ended; today's live figures and the closed day's
    summary say the same."""
    moved = _call(hall, clock, 3)
    hall.start_service(moved.id, window=2)
    clock.advance(minutes=10)
    hall.transfer(moved.id, to_category="B", window=2, clerk="clerk2")
    clock.advance(minutes=5)
    assert hall.call_next(window=3).id == moved.id
    clock.advance(minutes=20)
    hall.finish(moved.id, window=3)
    waiting = _call(hall, clock, 1)  # called, then sent on before any service began
    hall.transfer(waiting.id, to_window=1, window=2)
    day = dt.date(2026, 11, 25)
    live = hall.report(day)
    clock.advance(days=1)
    closed = hall.report(day)
    for r in (live, closed):
        windows = {g.key: g for g in r.by_window}
        clerks = {g.key: g for g in r.by_clerk}
        first, last = windows["2"], windows["3"]
        assert (first.issued, first.served, first.handed_on, first.avg_service_min) == (0, 0, 2, 5.0)
        assert (last.issued, last.served, last.handed_on, last.avg_service_min) == (1, 1, 0, 20.0)
        assert (clerks["clerk2"].handed_on, clerks["clerk2"].avg_service_min) == (2, 5.0)
        assert (clerks["clerk3"].served, clerks["clerk3"].avg_service_min) == (1, 20.0)
        cats = {g.key: g for g in r.by_category}
        assert (cats["A"].handed_on, cats["B"].served, cats["B"].avg_service_min) == (2, 1, 20.0)
        t = r.totals
        # per stint at a window: (10 + 0 + 20) / 3; the wait ended at the first call, 3 minutes
        assert (t.issued, t.served, t.handed_on, t.avg_service_min, t.avg_wait_min) == (2, 1, 2, 10.0, 3.0)


def test_a_stint_handed_on_counts_in_the_wait_estimates_of_the_category_it_was_served_in(hall, clock, backing):
    """Window 2 was busy for 12 minutes with the citizen it then sent to 不动产: the next 商事登记
    citizens wait behind such stints too."""
    moved = _call(hall, clock, 1)
    hall.start_service(moved.id, window=2)
    clock.advance(minutes=12)
    hall.transfer(moved.id, to_category="B", window=2)
    stats = backing.store.conn.execute("SELECT category, avg_service_s, samples FROM service_stats").fetchall()
    assert [tuple(r) for r in stats] == [("A", 720.0, 1)]


def test_a_ticket_still_at_a_window_at_midnight_is_counted_on_its_day_when_it_ends(hall, clock, backing):
    clock.now = dt.datetime(2026, 11, 25, 23, 56)
    t = _call(hall, clock, 2)
    hall.start_service(t.id, window=2)
    clock.now = dt.datetime(2026, 11, 26, 0, 0, 30)
    before = hall.report(dt.date(2026, 11, 25)).totals  # the day is closed while the ticket is served
    assert (before.issued, before.served) == (1, 0)
    clock.now = dt.datetime(2026, 11, 26, 0, 3)
    hall.finish(t.id, window=2)
    after = hall.report(dt.date(2026, 11, 25)).totals
    assert (after.issued, after.served, after.avg_wait_min, after.avg_service_min) == (1, 1, 2.0, 5.0)
    # and its night at the window feeds no wait estimate of the new day
    assert backing.store.conn.execute("SELECT count(*) FROM service_stats").fetchone()[0] == 0


def test_a_citizen_sent_home_with_a_spoken_list_came_twice_when_accepted_next_day(hall, clock):
    first = _call(hall, clock, 3, matter_code="A-001", holder_id=ID, holder_name="张三")
    hall.finish(first.id, window=2, reason="told_missing")
    clock.advance(days=1)
    second = _call(hall, clock, 3, matter_code="A-001", holder_id=ID, holder_name="张三")
    app = hall.accept(matter_code="A-001", checks=_checks(), applicant_name="张三", applicant_id=ID,
                      ticket_id=second.id, window=2)
    assert app.visits == 2
    r = hall.report(dt.date(2026, 11, 25), dt.date(2026, 11, 26))
    assert (r.applications, r.one_visit) == (1, 0)


def test_a_notice_written_without_the_id_number_still_carries_its_visit_to_the_next_application(hall, clock):
    first = _call(hall, clock, 3, matter_code="A-001", holder_id=ID, holder_name="张三")
    hall.refuse_with_notice(matter_code="A-001", checks=_checks(missing=(2,)), applicant_name="张三",
                            ticket_id=first.id, window=2)  # the clerk typed no ID number
    hall.finish(first.id, window=2)
    clock.advance(days=1)
    second = _call(hall, clock, 3, matter_code="A-001", holder_id=ID, holder_name="张三")
    app = hall.accept(matter_code="A-001", checks=_checks(), applicant_name="张三", applicant_id=ID,
                      ticket_id=second.id, window=2)
    assert app.visits == 2


def test_a_no_show_or_another_matter_adds_no_visit(hall, clock):
    gone = _call(hall, clock, 3, matter_code="A-001", holder_id=ID, holder_name="张三")
    hall.finish(gone.id, window=2, reason="no_show")
    other = _call(hall, clock, 3, window=3, matter_code="B-001", holder_id=ID, holder_name="张三")
    hall.finish(other.id, window=3, reason="consult")
    t = _call(hall, clock, 3, matter_code="A-001", holder_id=ID, holder_name="张三")
    assert hall.accept(matter_code="A-001", checks=_checks(), applicant_name="张三", applicant_id=ID,
                       ticket_id=t.id, window=2).visits == 1


def _rongque(hall, days=1):
    return hall.accept(checks=_checks(missing=(3,)), undertaking_signed=True, pending_days=days,
                       matter_code="A-001", applicant_name="张三", applicant_id=ID)


def test_a_material_posted_on_time_and_registered_after_the_midnight_sweep_revives_the_application(hall, clock):
    app = _rongque(hall)  # due on 26 Nov
    clock.advance(days=2)
    hall.check_overdue()  # the midnight sweep
    assert hall.get_application(app.number).state.value == "terminated"
    (item,) = hall.pending_items(application_number=app.number)
    hall.supply_pending(item.id, how="post", on=dt.date(2026, 11, 26))
    assert hall.get_application(app.number).state.value == "accepted"
    r = hall.report(dt.date(2026, 11, 25))
    assert (r.applications, r.one_visit) == (1, 1)


def test_a_material_posted_after_its_deadline_still_finds_the_application_terminated(hall, clock):
    app = _rongque(hall)
    clock.advance(days=2)
    (item,) = hall.pending_items(application_number=app.number)
    with pytest.raises(InvalidAction, match="终止"):
        hall.supply_pending(item.id, how="post", on=dt.date(2026, 11, 27))
    assert hall.get_application(app.number).state.value == "terminated"


def test_a_late_supply_under_the_mark_policy_counts_the_closed_day_again(hall, clock):
    hall.update_settings(pending_overdue_policy="mark")
    app = _rongque(hall)
    clock.advance(days=2)
    assert hall.report(dt.date(2026, 11, 25)).one_visit == 0  # overdue: not done
    (item,) = hall.pending_items(application_number=app.number)
    hall.supply_pending(item.id, how="post")
    assert hall.get_application(app.number).state.value == "accepted"
    assert hall.report(dt.date(2026, 11, 25)).one_visit == 1  # the closed day counted again


def test_open_bad_reviews_are_those_of_the_period(hall, clock):
    t = _call(hall, clock, 1)
    hall.finish(t.id, window=2)
    hall.evaluate(t.id, 1, reasons=("态度",))
    assert hall.report(dt.date(2026, 11, 25)).open_bad_reviews == 1
    assert hall.report(dt.date(2026, 6, 1), dt.date(2026, 6, 30)).open_bad_reviews == 0
