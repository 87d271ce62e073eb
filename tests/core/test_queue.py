import pytest
from support import settle

from kiosk.errors import InvalidAction, QueueFull
from kiosk.models import Priority, TicketStatus


def test_numbers_count_per_category_and_start_again_each_day(hall, clock):
    assert hall.issue_ticket(category="A").number == "A001"
    assert hall.issue_ticket(category="A").number == "A002"
    assert hall.issue_ticket(category="B").number == "B001"
    clock.advance(days=1)
    assert hall.issue_ticket(category="A").number == "A001"


def test_a_matter_ticket_takes_its_category_and_names(hall):
    t = hall.issue_ticket(matter_code="A-001")
    assert (t.number, t.category_name, t.matter_name) == ("A001", "商事登记", "个体工商户设立登记")
    assert t.ref.endswith("-A001")


def test_the_daily_cap_refuses_and_a_warning_comes_before_it(hall):
    events = []
    hall.subscribe(events.append)
    for _ in range(10):
        hall.issue_ticket(category="A")
    with pytest.raises(QueueFull, match="今日号源已取完"):
        hall.issue_ticket(category="A")
    settle(hall)
    warnings = [e for e in events if e.kind == "CategoryNearCap"]
    assert [e.data["issued"] for e in warnings] == [8, 9, 10]
    # the refused attempt used no number
    assert hall.queue_status().issued["A"] == 10


def test_strict_policy_calls_green_then_appointment_then_normal(hall, clock):
    normal = hall.issue_ticket(category="A")
    clock.advance(minutes=1)
    appt = hall.issue_ticket(category="A", priority=Priority.APPOINTMENT)
    clock.advance(minutes=1)
    green = hall.issue_ticket(category="A", priority=Priority.GREEN)
    order = []
    for _ in range(3):
        t = hall.call_next(window=2)
        order.append(t.id)
        hall.finish(t.id, window=2)
    assert order == [green.id, appt.id, normal.id]


def test_ratio_policy_calls_one_priority_after_n_normal(hall, clock):
    hall.update_settings(priority_policy="ratio", priority_ratio=2)
    normals = [hall.issue_ticket(category="A") for _ in range(4)]
    clock.advance(minutes=1)
    green = hall.issue_ticket(category="A", priority="green")
    order = []
    for _ in range(5):
        t = hall.call_next(window=2)
        order.append(t.id)
        hall.finish(t.id, window=2)
    assert order == [normals[0].id, normals[1].id, green.id, normals[2].id, normals[3].id]


def test_a_specialised_window_serves_only_its_categories_and_a_general_one_all(hall):
    b = hall.issue_ticket(category="B")
    assert hall.call_next(window=2) is None
    assert hall.call_next(window=1).id == b.id


def test_recall_repeats_the_announcement_and_is_counted(hall):
    t = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    call = hall.recall(t.id, window=2)
    assert call.recall and call.text == "请 A001 号 到 2 号窗口 办理"
    hall.recall(t.id, window=2)
    assert hall.get_ticket(t.id).recalls == 2
    assert [c.recall for c in hall.recent_calls()] == [True, True, False]


def test_a_call_whose_ticket_left_the_window_is_no_longer_listed_for_the_display(hall):
    skipped, moved, served = (hall.issue_ticket(category="A") for _ in range(3))
    hall.call_next(window=2)
    hall.skip(skipped.id, window=2)
    hall.call_next(window=2)
    hall.transfer(moved.id, to_window=1, window=2)
    hall.call_next(window=2)
    hall.finish(served.id, window=2)
    assert [(c.ticket_number, c.window) for c in hall.recent_calls()] == [("A003", 2)]
    assert hall.call_next(window=1).id == moved.id
    assert [(c.ticket_number, c.window) for c in hall.recent_calls()] == [("A002", 1), ("A003", 2)]


def test_a_ticket_left_at_a_window_overnight_is_not_shown_on_the_morning_board_but_stays_on_the_desk(hall, clock):
    """The clerk went home without 办结: the next morning the hall display must not send anybody
    to window 2 for yesterday's number, while the clerk's desk still holds it so it can be ended
    and counted on its own day."""
    left = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    hall.start_service(left.id, window=2)
    clock.advance(hours=15)
    board = {w.number: w.current for w in hall.queue_status().windows}
    assert board[2] == ""
    assert hall.current_ticket(2).id == left.id
    hall.finish(left.id, window=2)
    today = hall.issue_ticket(category="A")
    assert hall.call_next(window=2).id == today.id
    assert {w.number: w.current for w in hall.queue_status().windows}[2] == today.number


def test_a_call_back_is_listed_for_the_display_as_a_repeated_call(hall):
    t = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    hall.skip(t.id, window=2)
    hall.call_back(t.id, window=2)
    assert [(c.ticket_number, c.recall) for c in hall.recent_calls()] == [("A001", True), ("A001", False)]


def test_a_skipped_ticket_can_be_called_back_until_the_limit_then_is_abandoned(hall):
    hall.update_settings(max_skips=1)
    t = hall.issue_ticket(category="A")
    hall.call_next(window=2)
    assert hall.skip(t.id, window=2).status is TicketStatus.SKIPPED
    assert hall.call_back(t.id, window=2).status is TicketStatus.CALLED
    assert hall.skip(t.id, window=2).status is TicketStatus.ABANDONED
    with pytest.raises(InvalidAction):
        hall.call_back(t.id, window=2)


def test_transfer_keeps_the_original_arrival_time(hall, clock):
    first = hall.issue_ticket(category="A")
    clock.advance(minutes=10)
    hall.issue_ticket(category="B")
    hall.call_next(window=2)
    moved = hall.transfer(first.id, to_category="B", window=2, clerk="clerk2")
    assert moved.status is TicketStatus.WAITING and moved.category == "B"
    assert moved.arrival_at == first.arrival_at
    assert hall.call_next(window=3).id == first.id  # ahead of the B ticket issued later


def test_transfer_to_a_window_only_that_window_may_call_it(hall):
    t = hall.issue_ticket(category="A")
    hall.transfer(t.id, to_window=2)
    assert hall.call_next(window=1) is None
    assert hall.call_next(window=2).id == t.id


def test_a_ticket_is_not_sent_to_a_window_nobody_calls_from(hall):
    """Pinned to a window with nobody signed in (or switched off), the citizen would wait for ever."""
    from kiosk.models import Window

    t = hall.issue_ticket(category="A")
    hall.sign_out(2)
    hall.save_window(Window(4, "停用窗口", (), active=False))
    for window, why in ((2, "现在无人登录"), (4, "已停用")):
        with pytest.raises(InvalidAction, match=why):
            hall.transfer(t.id, to_window=window)
    assert hall.get_ticket(t.id).target_window is None
    assert hall.transfer(t.id, to_window=1).target_window == 1


def test_a_paused_window_cannot_call_until_resumed(hall):
    hall.issue_ticket(category="A")
    hall.pause_window(2)
    with pytest.raises(InvalidAction, match="暂停"):
        hall.call_next(window=2)
    hall.resume_window(2)
    assert hall.call_next(window=2) is not None


def test_a_window_must_finish_its_ticket_before_calling_the_next(hall):
    hall.issue_ticket(category="A")
    hall.issue_ticket(category="A")
    hall.call_next(window=2)
    with pytest.raises(InvalidAction, match="请先办结"):
        hall.call_next(window=2)


def test_every_state_change_is_stored_with_time_window_and_clerk(hall, clock):
    t = hall.issue_ticket(category="A")
    clock.advance(minutes=5)
    hall.call_next(window=2)
    clock.advance(minutes=1)
    hall.start_service(t.id, window=2)
    clock.advance(minutes=7)
    done = hall.finish(t.id, window=2)
    events = [e for e in hall.events_since(0) if e.ticket_id == t.id]
    assert [e.kind for e in events] == ["TicketIssued", "TicketCalled", "ServiceStarted", "TicketFinished"]
    assert all(e.window == 2 and e.clerk == "clerk2" for e in events[1:])
    assert (done.called_at - done.issued_at).seconds == 300  # waiting
    assert (done.started_at - done.called_at).seconds == 60  # walking
    assert (done.finished_at - done.started_at).seconds == 420  # service


def test_people_ahead_and_the_wait_follow_recent_service_times(hall, clock):
    # window 2 serves A; window 1 (general) too: two windows share the A queue
    for _ in range(4):
        hall.issue_ticket(category="A")
    t = hall.issue_ticket(category="A")
    assert t.ahead == 4
    assert t.est_wait_min == 20  # 4 people x 10 default minutes / 2 windows
    served = hall.call_next(window=2)
    clock.advance(minutes=4)
    hall.finish(served.id, window=2)
    ahead, minutes = hall.ticket_position(t.id)
    assert (ahead, minutes) == (3, 6)  # 3 x 4 min / 2 windows


def test_a_green_ticket_is_told_only_about_priority_tickets_ahead(hall):
    for _ in range(3):
        hall.issue_ticket(category="A")
    assert hall.issue_ticket(category="A", priority="green").ahead == 0


def test_a_holder_is_stored_masked_and_a_bad_id_is_refused(hall):
    from kiosk.idnumber import InvalidIdNumber

    t = hall.issue_ticket(category="A", holder_name="张三", holder_id="11010519491231002X", phone="13800001234")
    assert (t.holder_name, t.holder_id_masked, t.phone_masked) == ("张*", "110105********002X", "138****1234")
    with pytest.raises(InvalidIdNumber):
        hall.issue_ticket(category="A", holder_id="110105194912310021")
    assert hall.queue_status().issued["A"] == 1


def test_events_are_published_only_after_the_change_is_committed(hall):
    seen = []

    def listener(event):
        # the listener can already read what the event speaks of
        seen.append(hall.get_ticket(event.ticket_id).number)

    hall.subscribe(listener)
    hall.issue_ticket(category="A")
    settle(hall)
    assert seen == ["A001"]


def test_a_failed_print_keeps_the_ticket_for_a_reprint(hall):
    t = hall.issue_ticket(category="A")
    failed = hall.mark_printed(t.id, ok=False, reason="缺纸")
    assert failed.print_state.value == "failed" and failed.status is TicketStatus.WAITING
    assert hall.mark_printed(t.id, ok=True).print_state.value == "printed"


def test_a_print_failure_is_announced_and_a_success_only_recorded(hall):
    events = []
    hall.subscribe(events.append)
    first, second = hall.issue_ticket(category="A"), hall.issue_ticket(matter_code="A-001")
    assert hall.mark_printed(first.id, ok=False, reason="缺纸").print_state.value == "failed"
    printed = hall.mark_printed(second.id, ok=True)
    assert (printed.print_state.value, printed.matter_name) == ("printed", "个体工商户设立登记")
    settle(hall)
    assert [e.kind for e in events if e.kind.startswith("TicketPrint")] == ["TicketPrintFailed"]


def test_finishing_a_ticket_not_at_the_window_is_refused_by_number(hall):
    t = hall.issue_ticket(category="A")
    with pytest.raises(InvalidAction, match="A001号不在1号窗口办理中"):
        hall.finish(t.id, window=1)


def test_a_skipped_ticket_is_called_back_only_to_a_window_that_serves_it(hall):
    t = hall.issue_ticket(category="B")
    hall.call_next(3)  # the B-only window
    hall.skip(t.id, 3)
    with pytest.raises(InvalidAction, match="不由2号窗口办理"):
        hall.call_back(t.id, 2)  # the A-only window
    assert hall.get_ticket(t.id).status is TicketStatus.SKIPPED and hall.current_ticket(2) is None
    assert hall.call_back(t.id, 1).window == 1  # the general window may


def test_a_window_in_use_cannot_be_disabled_and_a_disabled_window_cannot_call(hall):
    from kiosk.errors import ValidationError
    from kiosk.models import Window

    t = hall.issue_ticket(category="A")
    hall.call_next(2)
    with pytest.raises(ValidationError, match="正在办理A001号"):
        hall.save_window(Window(2, "商事窗口", ("A",), active=False))
    hall.transfer(t.id, to_window=2, window=2)  # sent back to wait for window 2 alone
    with pytest.raises(ValidationError, match="转到了2号窗口"):
        hall.save_window(Window(2, "商事窗口", ("A",), active=False))
    assert next(w for w in hall.windows() if w.number == 2).active
    hall.save_window(Window(3, "不动产窗口", ("B",), active=False))  # nobody there: it may go
    hall.issue_ticket(category="B")
    with pytest.raises(InvalidAction, match="已停用"):
        hall.call_next(3)


def test_a_window_change_that_would_leave_waiting_citizens_without_any_window_is_refused(hall):
    """B is served by window 3 and the general window 1: switching both off strands B's queue."""
    from kiosk.errors import ValidationError
    from kiosk.models import Window

    waiting = hall.issue_ticket(category="B")
    hall.save_window(Window(1, "综合窗口1", ("A",)))  # window 3 still serves B
    with pytest.raises(ValidationError, match=f"{waiting.number}.*没有窗口能叫他们的号"):
        hall.save_window(Window(3, "不动产窗口", ("B",), active=False))
    with pytest.raises(ValidationError, match="没有窗口能叫他们的号"):
        hall.save_window(Window(3, "不动产窗口", ("A",)))  # B unticked
    assert {w.number: (w.categories, w.active) for w in hall.windows()}[3] == (("B",), True)
    assert hall.call_next(window=3).id == waiting.id


@pytest.mark.parametrize("name,why", [("商事窗口", "已被2号窗口使用"), ("窗" * 51, "不超过50个可见字符"),
                                      ("综合\n窗口", "不超过50个可见字符")])
def test_a_window_name_that_is_taken_too_long_or_unprintable_is_refused(hall, name, why):
    from kiosk.errors import ValidationError
    from kiosk.models import Window

    with pytest.raises(ValidationError, match=why):
        hall.save_window(Window(4, name, ()), new=True)
    assert [w.number for w in hall.windows()] == [1, 2, 3]


@pytest.mark.parametrize("login,name", [("clerk 9", "赵六"), ("clerk\x019", "赵六"), ("c" * 33, "赵六"),
                                        ("clerk9", "赵" * 51)])
def test_a_login_nobody_can_type_or_a_name_too_long_is_refused(hall, login, name):
    from kiosk.errors import ValidationError

    before = hall.staff()
    with pytest.raises(ValidationError):
        hall.save_staff(login, name, "clerk", "pass-9999", new=True)
    assert "clerk9" not in {s.login for s in hall.staff()} and hall.staff() == before


def test_no_number_is_issued_for_a_category_no_window_serves(hall):
    """A new category before any window takes it on: a number nobody would ever call."""
    from kiosk.errors import InvalidAction
    from kiosk.models import Category, Window

    hall.save_category(Category("C", "公积金", 999, 900, 10.0))
    hall.save_window(Window(1, "综合窗口1", ("A", "B")))  # the general window no longer serves everything
    with pytest.raises(InvalidAction, match="“公积金”暂无窗口办理"):
        hall.issue_ticket(category="C")
    assert hall.tickets() == []
    hall.save_window(Window(3, "不动产窗口", ("B", "C")))
    assert hall.issue_ticket(category="C").number == "C001"


def test_a_ticket_is_not_transferred_to_a_category_no_window_serves_and_old_strands_block_no_edit(hall, backing):
    from kiosk.errors import InvalidAction, ValidationError
    from kiosk.models import Category, Window

    hall.save_category(Category("C", "公积金", 999, 900, 10.0))
    hall.save_window(Window(1, "综合窗口1", ("A", "B")))
    t = hall.issue_ticket(category="A")
    with pytest.raises(InvalidAction, match="转入的分类暂无窗口办理"):
        hall.transfer(t.id, to_category="C")
    assert hall.get_ticket(t.id).category == "A"
    hall.save_window(Window(3, "不动产窗口", ("B", "C")))
    hall.transfer(t.id, to_category="C")
    # window 3 goes; the C ticket would be stranded: refused, in words that keep number and count apart
    with pytest.raises(ValidationError, match="A001共1人在等候"):
        hall.save_window(Window(3, "不动产窗口", ("B",)))
    # stranded by another program's edit of the file: later edits that strand nobody new still go through
    with backing.store.write() as db:
        db.conn.execute("UPDATE windows SET categories = '[\"B\"]' WHERE number = 3")
    hall.save_window(Window(2, "商事登记窗口", ("A",)))
    assert {w.number: w.name for w in hall.windows()}[2] == "商事登记窗口"
