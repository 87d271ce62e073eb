"""Helper calls reach a person, devices report their state, the board shows the hall, and the
figures count both; every ticket and application is followed by an unguessable token."""

from __future__ import annotations

import pytest
from support import settle

from kiosk.errors import InvalidAction, ValidationError
from kiosk.models import DeviceState


def test_a_helper_call_is_taken_by_one_person_and_everyone_sees_who(hall, clock):
    seen = []
    hall.subscribe(seen.append)
    call = hall.call_helper(reason="missing_material", screen="checklist", matter_code="A-001")
    assert call.status == "open" and call.matter_name == "个体工商户设立登记"
    assert "缺少材料" in call.reason_label
    clock.advance(seconds=40)
    taken = hall.take_helper_call(call.id, "clerk1")
    assert taken.status == "taken" and taken.taken_by_name == "王晓燕"
    with pytest.raises(InvalidAction, match="王晓燕 已前往处理"):
        hall.take_helper_call(call.id, "clerk2")
    settle(hall)
    kinds = [e.kind for e in seen]
    assert "HelperCalled" in kinds and "HelperCallTaken" in kinds
    taken_event = next(e for e in seen if e.kind == "HelperCallTaken")
    assert taken_event.data["staff_name"] == "王晓燕" and taken_event.data["call"] == call.id
    assert hall.close_helper_call(call.id, "clerk1").status == "closed"
    assert hall.helper_calls() == []


def test_a_new_reason_for_a_kiosk_s_open_call_rings_the_same_call_again_with_it(hall):
    """The checklist would not print after the citizen had already pressed 呼叫帮办: whoever is
    on the way must learn to bring the one-time notice, without a second call for one citizen."""
    seen = []
    hall.subscribe(seen.append)
    call = hall.call_helper(reason="asked", screen="checklist", matter_code="A-001")
    hall.take_helper_call(call.id, "clerk1")
    again = hall.call_helper(reason="missing_material", screen="checklist", matter_code="A-001", update_call=call.id)
    assert (again.id, again.reason, again.status, again.taken_by) == (call.id, "missing_material", "taken", "clerk1")
    assert hall.call_helper(reason="asked", update_call=call.id).reason == "missing_material"  # nothing new
    assert [c.id for c in hall.helper_calls()] == [call.id]
    settle(hall)
    rung = [e.data for e in seen if e.kind == "HelperCalled"]
    assert [(d["call"], d["again"]) for d in rung] == [(call.id, False), (call.id, True), (call.id, True)]
    assert rung[1]["label"] == "缺少材料，需打印一次性告知单"


def test_a_new_reason_for_a_closed_call_or_another_kiosk_s_is_a_call_of_its_own(hall):
    other = hall.call_helper(reason="asked", terminal="二楼取号机")
    assert hall.call_helper(reason="printer", terminal="一楼取号机", update_call=other.id).id != other.id
    assert hall.helper_call(other.id).reason == "asked"  # another kiosk's call is not touched
    hall.close_helper_call(other.id, "clerk1")
    new = hall.call_helper(reason="missing_material", terminal="二楼取号机", update_call=other.id)
    assert new.id != other.id and new.status == "open"  # help already gone: she needs it again


def test_a_call_nobody_takes_in_time_is_raised_again_once_and_marked_late(hall, clock):
    hall.update_settings(helper_response_seconds=60)
    call = hall.call_helper(reason="asked")
    clock.advance(seconds=30)
    assert hall.escalate_helper_calls() == []
    clock.advance(seconds=31)
    (late,) = hall.escalate_helper_calls()
    assert late.id == call.id and late.late
    assert hall.escalate_helper_calls() == []  # raised once, not on every sweep


def test_an_unknown_reason_is_refused_and_nothing_is_stored(hall):
    with pytest.raises(ValidationError, match="呼叫原因"):
        hall.call_helper(reason="whatever")
    assert hall.helper_calls() == []


def test_devices_report_changes_and_downtime_is_counted_per_terminal(hall, clock):
    hall.report_devices((DeviceState("printer", "ok"), DeviceState("idcard", "ok")), terminal="取号机A")
    clock.advance(minutes=5)
    hall.report_devices((DeviceState("printer", "paper_out", "缺纸"),), terminal="取号机A")
    board = hall.hall_board()
    assert any(a.kind == "paper_out" and "取号机A" in a.text for a in board.alarms)
    clock.advance(minutes=12)
    hall.report_devices((DeviceState("printer", "ok"),), terminal="取号机A")
    assert not any(a.kind == "paper_out" for a in hall.hall_board().alarms)
    report = hall.report(clock.now.date())
    (down,) = report.device_downtime
    assert (down.terminal, down.device, down.seconds, down.episodes) == ("取号机A", "printer", 720.0, 1)


def test_the_board_shows_windows_waiting_and_open_calls(hall, clock):
    hall.issue_ticket(category="A")
    hall.issue_ticket(category="A")
    hall.call_next(1, "clerk1")
    hall.call_helper(reason="reprint", terminal="取号机B", place="一楼东侧")
    board = hall.hall_board()
    assert board.waiting["A"] == 1
    window = next(w for w in board.windows if w.number == 1)
    assert window.current == "A001" and window.clerk_name == "王晓燕"
    (call,) = board.helper_calls
    assert call.place == "一楼东侧"
    assert any(a.kind == "helper" and "一楼东侧" in a.text for a in board.alarms)


def test_the_report_gives_helper_call_counts_and_times_to_take(hall, clock):
    for wait in (20, 60, 200):
        call = hall.call_helper(reason="asked")
        clock.advance(seconds=wait)
        hall.take_helper_call(call.id, "clerk1")
    report = hall.report(clock.now.date())
    assert report.helper_calls == 3
    assert report.helper_take_median_s == 60.0 and report.helper_take_longest_s == 200.0


def test_follow_tokens_are_unguessable_and_lead_back_to_their_ticket(hall, backing):
    first = hall.issue_ticket(category="A")
    second = hall.issue_ticket(category="A")
    assert len(first.follow_token) == 16 and first.follow_token != second.follow_token
    assert first.number not in first.follow_token  # a keyed hash: nothing of the number shows
    assert hall.get_ticket(first.id).follow_token == first.follow_token
    # only the hall (the server, where there is one) turns a token back into its ticket
    assert backing.ticket_for_link(second.follow_token).id == second.id
    assert backing.ticket_for_link("A" * 16) is None
    assert not hasattr(hall, "ticket_for_link") or hall is backing


def test_the_follow_tokens_kept_in_memory_stay_few_however_many_tickets_and_never_change(backing):
    """A terminal left running for months must not hold a token per ticket it ever saw."""
    from kiosk.hall_links import _TOKENS_KEPT

    first = backing.follow_token("t", 1)
    for ticket_id in range(2, 5 * _TOKENS_KEPT):
        backing.follow_token("t", ticket_id)
        assert len(backing._follow_tokens) <= _TOKENS_KEPT
    assert _TOKENS_KEPT <= 1000 and backing.follow_token("t", 1) == first


def test_a_report_naming_one_device_twice_is_refused_and_leaves_no_open_downtime(hall, clock):
    with pytest.raises(ValidationError, match="多次"):
        hall.report_devices((DeviceState("printer", "offline"), DeviceState("printer", "ok")), terminal="取号机A")
    clock.advance(minutes=30)
    assert hall.report(clock.now.date()).device_downtime == ()
    assert not any("取号机A" in a.text for a in hall.hall_board().alarms)
