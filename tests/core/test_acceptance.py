import datetime as dt

import pytest

from kiosk.errors import AlreadyAccepted, HallError, InvalidAction, ValidationError
from kiosk.models import ApplicationState, MaterialCheck, MaterialStatus, PendingStatus

ID = "11010519491231002X"
OTHER_ID = "33010619900101123X"


def checks(**statuses):
    """MaterialCheck per material id of A-001; default: received."""
    names = {1: "个体工商户设立登记申请书", 2: "经营者身份证明", 3: "经营场所使用证明", 4: "委托书及代理人身份证明"}
    out = []
    for mid, name in names.items():
        status = statuses.get(f"m{mid}", MaterialStatus.RECEIVED)
        reason = "复印件不清晰" if status is MaterialStatus.DEFECTIVE else ""
        out.append(MaterialCheck(material_id=mid, name=name, status=status, reason=reason))
    return tuple(out)


def accept(hall, **kw):
    args = dict(matter_code="A-001", checks=checks(), applicant_name="张三", applicant_id=ID, phone="13800001234",
                window=2, clerk="clerk2")
    args.update(kw)
    return hall.accept(**args)


def refuse(hall, **kw):
    args = dict(matter_code="A-001", checks=checks(m2=MaterialStatus.MISSING), applicant_name="张三",
                applicant_id=ID, window=2, clerk="clerk2")
    args.update(kw)
    return hall.refuse_with_notice(**args)


def test_all_materials_fine_is_accepted_with_the_shared_one_fetched(hall):
    assert hall.assess("A-001", (), checks()).outcome == "accept"
    app = accept(hall)
    assert app.state is ApplicationState.ACCEPTED
    statuses = {c.name: c.status for c in app.materials}
    assert statuses["营业执照（已有的）"] is MaterialStatus.SHARED
    assert statuses["委托书及代理人身份证明"] is MaterialStatus.NOT_APPLICABLE
    assert app.promised_date == dt.date(2026, 11, 30)  # 3 working days after Wed 25 Nov
    assert app.applicant_id_masked == "110105********002X"


def test_the_progress_anyone_can_look_up_tells_where_it_stands_and_nothing_personal(hall):
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    for seen in (hall.application_progress(app.number), hall.application_for_link(app.follow_token)):
        assert (seen.number, seen.state, seen.applicant_name, seen.matter_name) == (
            app.number, app.state, "张*", app.matter_name)
        assert [p.name for p in seen.pending] == ["经营场所使用证明"] and seen.promised_date == app.promised_date
        assert (seen.applicant_id_masked, seen.phone, seen.clerk, seen.clerk_name, seen.undertaking,
                seen.follow_token, seen.materials) == ("", "", "", "", "", "", ())
    assert hall.application_for_link("0" * 16) is None


def test_missing_secondary_rongque_material_is_accepted_with_a_pending_item_and_deadline(hall):
    a = hall.assess("A-001", (), checks(m3=MaterialStatus.MISSING))
    assert a.outcome == "accept_pending" and [c.name for c in a.pending] == ["经营场所使用证明"]
    with pytest.raises(InvalidAction, match="承诺书"):
        accept(hall, checks=checks(m3=MaterialStatus.MISSING))
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    assert app.state is ApplicationState.PENDING and app.undertaking
    (item,) = app.pending
    assert item.deadline == dt.date(2026, 11, 30) and item.status is PendingStatus.OPEN


def test_pending_deadline_may_not_exceed_the_promised_time(hall):
    with pytest.raises(ValidationError, match="不超过承诺时限"):
        accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=4)
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    assert app.pending[0].deadline == dt.date(2026, 11, 26)


def test_a_key_material_can_never_be_rongque(hall):
    with pytest.raises(InvalidAction, match="主要材料“经营者身份证明”缺失或有误，主要材料不允许容缺"):
        accept(hall, checks=checks(m2=MaterialStatus.DEFECTIVE), undertaking_signed=True)
    assert hall.applications() == []


def test_an_applicant_on_the_exclusion_list_gets_a_notice_instead_of_rongque(hall):
    hall.set_rongque_exclusions([ID])
    a = hall.assess("A-001", (), checks(m3=MaterialStatus.MISSING), applicant_id=ID)
    assert a.outcome == "refuse" and a.excluded and "排除名单" in a.message
    assert hall.assess("A-001", (), checks(m3=MaterialStatus.MISSING), applicant_id=OTHER_ID).outcome == "accept_pending"
    assert all(ID not in v for v in hall.settings().rongque_excluded)


def test_the_one_time_notice_lists_every_problem_and_can_be_reprinted(hall):
    notice = refuse(hall, checks=checks(m2=MaterialStatus.MISSING, m3=MaterialStatus.DEFECTIVE))
    assert [(i.name, i.problem) for i in notice.items] == [("经营者身份证明", "missing"), ("经营场所使用证明", "defective")]
    assert "复印件不清晰" in notice.items[1].reason
    assert "原件和复印件1份" in notice.items[0].what_to_bring
    assert hall.get_notice(notice.number) == notice
    app = hall.get_application(notice.application_number)
    assert app.state is ApplicationState.NOT_ACCEPTED and app.notice_number == notice.number


def test_a_defective_material_needs_its_reason_before_anything_is_decided(hall):
    bare = tuple(c if c.material_id != 3 else MaterialCheck(material_id=3, name=c.name, status=MaterialStatus.DEFECTIVE)
                 for c in checks())
    assessment = hall.assess("A-001", (), bare, ID)
    assert assessment.unexplained and "请写明有误的原因" in assessment.message
    with pytest.raises(ValidationError, match="经营场所使用证明.*请写明有误的原因"):
        refuse(hall, checks=bare)
    with pytest.raises(ValidationError, match="请写明有误的原因"):
        accept(hall, checks=bare, undertaking_signed=True)
    assert hall.applications() == []


def test_conditional_materials_join_the_check_when_the_condition_holds(hall):
    a = hall.assess("A-001", ("委托代理人办理的",), checks(m4=MaterialStatus.MISSING))
    assert a.outcome == "accept_pending" and a.pending[0].name == "委托书及代理人身份证明"


def test_application_numbers_follow_the_pattern_and_never_repeat(hall):
    first = accept(hall).number
    second = accept(hall).number
    assert first == "33010620261125" + "00001" and second.endswith("00002")
    hall.update_settings(application_pattern="ZJ{date:%Y%m%d}{seq:04d}")
    assert accept(hall).number == "ZJ202611250003"


def test_applications_are_linked_by_a_keyed_hash_not_the_id_number(hall, backing):
    app = accept(hall)
    row = backing.store.conn.execute("SELECT * FROM applications WHERE number = ?", (app.number,)).fetchone()
    assert ID not in " ".join(str(v) for v in row)


def test_supplying_the_last_pending_item_completes_the_materials(hall):
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    item = hall.supply_pending(app.pending[0].id, how="post", by="张三")
    assert item.status is PendingStatus.SUPPLIED and item.supplied_how == "post"
    assert hall.get_application(app.number).state is ApplicationState.ACCEPTED
    with pytest.raises(InvalidAction, match="已经补交"):
        hall.supply_pending(item.id)


def test_overdue_items_terminate_the_application_in_working_days(hall, clock):
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    clock.advance(days=1)  # Thursday 26th: the deadline day itself is not overdue
    assert hall.pending_items(PendingStatus.OVERDUE) == []
    clock.advance(days=1)
    assert [p.application_number for p in hall.pending_items(PendingStatus.OVERDUE)] == [app.number]
    assert hall.get_application(app.number).state is ApplicationState.TERMINATED
    assert any(e.kind == "ApplicationTerminated" for e in hall.events_since(0))
    with pytest.raises(InvalidAction, match="终止"):
        hall.supply_pending(app.pending[0].id)


def test_overdue_under_the_mark_policy_keeps_the_application_open(hall, clock):
    hall.update_settings(pending_overdue_policy="mark")
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    clock.advance(days=2)
    hall.check_overdue()
    assert hall.get_application(app.number).state is ApplicationState.PENDING_OVERDUE


def test_a_later_ticket_after_a_notice_counts_as_a_second_visit(hall, clock):
    t1 = hall.issue_ticket(matter_code="A-001")
    notice = refuse(hall, ticket_id=t1.id)
    assert hall.get_application(notice.application_number).visits == 1
    clock.advance(days=1)
    t2 = hall.issue_ticket(matter_code="A-001")
    app = accept(hall, ticket_id=t2.id)
    assert app.visits == 2 and set(app.ticket_ids) == {t1.id, t2.id}
    other = accept(hall, applicant_id=OTHER_ID)
    assert other.visits == 1


def test_a_deadline_into_an_unloaded_year_is_provisional_until_the_year_is_loaded(hall, clock):
    clock.now = dt.datetime(2026, 12, 29, 10, 0)
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    item = app.pending[0]
    assert item.provisional and item.deadline == dt.date(2027, 1, 1)  # weekends only: Wed, Thu, Fri
    hall.load_calendar_year(2027, "休 2027-01-01 至 2027-01-03 元旦\n", "国务院办公厅通知")
    again = hall.get_application(app.number).pending[0]
    assert not again.provisional and again.deadline == dt.date(2027, 1, 4)


def test_a_bad_calendar_text_names_the_line(hall):
    with pytest.raises(ValidationError, match="第2行"):
        hall.load_calendar_year(2027, "休 2027-01-01\n休 2027-02-30\n")
    assert 2027 not in [y for y, _ in hall.calendar_years()]


def test_a_pending_item_supplied_a_week_late_is_refused_under_terminate(hall, backing, clock):
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    clock.advance(days=7)  # nobody opened a list in between
    with pytest.raises(InvalidAction, match="逾期|终止"):
        hall.supply_pending(app.pending[0].id, how="post")
    assert backing.get_application(app.number).state is ApplicationState.TERMINATED


def test_a_late_supply_dated_after_the_deadline_is_refused_even_before_any_sweep(backing, clock):
    app = accept(backing, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    backing.check_overdue = lambda: []  # as if no sweep had run: the action must check the date itself
    clock.advance(days=7)
    with pytest.raises(InvalidAction, match="逾期"):
        backing.supply_pending(app.pending[0].id, how="post", on=clock().date())
    assert backing.get_application(app.number).pending[0].status is PendingStatus.OPEN


def test_the_overdue_sweep_runs_at_the_start_of_the_day_without_anyone_opening_a_list(hall, backing, clock):
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    clock.advance(days=2)
    hall.issue_ticket(matter_code="A-001")  # the day's first change, at the kiosk
    with backing.store.read():  # under the store's lock: the server's threads share this connection
        row = backing.store.conn.execute("SELECT state FROM applications WHERE number = ?", (app.number,)).fetchone()
    assert row[0] == ApplicationState.TERMINATED.value


def test_a_pending_item_supplied_late_under_the_mark_policy_still_completes(hall, clock):
    hall.update_settings(pending_overdue_policy="mark")
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, pending_days=1)
    clock.advance(days=7)
    hall.supply_pending(app.pending[0].id, how="post")
    assert hall.get_application(app.number).state is ApplicationState.ACCEPTED


def test_a_previewed_decision_is_what_would_be_recorded_and_records_nothing(hall):
    before = hall.latest_event_id()
    app = hall.preview_accept(matter_code="A-001", checks=checks(m3=MaterialStatus.MISSING), applicant_name="张三",
                              applicant_id=ID, phone="13800001234", window=2, clerk="clerk2", undertaking_signed=True)
    assert app.state is ApplicationState.PENDING and [p.name for p in app.pending] == ["经营场所使用证明"]
    assert app.number == "（确认后生成）" and app.applicant_id_masked.endswith("002X")
    notice = hall.preview_notice(matter_code="A-001", checks=checks(m2=MaterialStatus.MISSING),
                                 applicant_name="张三", applicant_id=ID)
    assert [i.name for i in notice.items] == ["经营者身份证明"]
    assert hall.applications() == [] and hall.latest_event_id() == before  # nothing stored, nothing told
    recorded = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    assert recorded.pending[0].deadline == app.pending[0].deadline


def test_a_preview_refuses_what_the_decision_would_refuse(hall):
    with pytest.raises(HallError, match="校验位"):
        hall.preview_accept(matter_code="A-001", checks=checks(), applicant_name="张三",
                            applicant_id=ID[:-1] + "3")
    with pytest.raises(InvalidAction, match="承诺书"):
        hall.preview_accept(matter_code="A-001", checks=checks(m3=MaterialStatus.MISSING), applicant_name="张三",
                            applicant_id=ID)
    assert hall.applications() == []


def test_a_preview_inside_another_transaction_undoes_only_itself(backing):
    """The hall server answers a request inside a transaction: the dry run must not leak into it."""
    hall = backing
    with hall._tx():
        t = hall.issue_ticket(category="A")
        hall.preview_accept(matter_code="A-001", checks=checks(), applicant_name="张三", applicant_id=ID)
    assert hall.applications() == [] and hall.get_ticket(t.id).number == t.number
    assert [e.kind for e in hall.events_since(0)][-1] == "TicketIssued"


# --- a citizen who was served is never recorded as one who did not come -----------------------


def test_a_ticket_with_a_decision_cannot_be_skipped_nor_finished_as_a_no_show(hall):
    t = hall.issue_ticket(matter_code="A-001")
    hall.call_next(2)
    app = accept(hall, ticket_id=t.id)
    with pytest.raises(InvalidAction, match="不能过号"):
        hall.skip(t.id, 2)
    with pytest.raises(InvalidAction, match="未到场"):
        hall.finish(t.id, 2, reason="no_show")
    assert hall.get_ticket(t.id).status.value == "called"  # both refusals changed nothing
    assert [a.number for a in hall.applications_at(t.id)] == [app.number]
    done = hall.finish(t.id, 2)
    assert done.status.value == "done" and done.finish_reason == ""


def test_a_ticket_at_which_a_rongque_item_was_handed_in_knows_its_application(hall):
    first = hall.issue_ticket(matter_code="A-001")
    hall.call_next(2)
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True, ticket_id=first.id)
    hall.finish(first.id, 2)
    later = hall.issue_ticket(matter_code="A-001")
    hall.call_next(2)
    assert hall.applications_at(later.id) == []  # nothing done for this citizen yet
    hall.supply_pending(app.pending[0].id, how="on_site", ticket_id=later.id)
    (linked,) = hall.applications_at(later.id)
    assert linked.number == app.number and linked.visits == 2 and linked.ticket_ids == (first.id, later.id)
    with pytest.raises(InvalidAction, match="未到场"):
        hall.finish(later.id, 2, reason="no_show")


def test_a_second_acceptance_of_the_same_matter_for_the_same_person_at_the_same_ticket_is_refused(hall):
    """What a desk does when the answer to its 受理 was lost and the clerk presses it again."""
    ticket = hall.issue_ticket(category="A")
    hall.call_next(2)
    first = accept(hall, ticket_id=ticket.id)
    with pytest.raises(AlreadyAccepted, match="不再重复受理") as refused:
        accept(hall, ticket_id=ticket.id)
    assert first.number in str(refused.value)
    assert [a.number for a in hall.applications()] == [first.number]
    other = accept(hall, ticket_id=ticket.id, applicant_name="李四", applicant_id=OTHER_ID)  # a second person
    assert other.number != first.number
    # two shops of one person: the clerk confirms a second application and it is recorded
    second = accept(hall, ticket_id=ticket.id, another=True)
    assert second.number not in (first.number, other.number) and len(hall.applications()) == 3


def test_a_rongque_material_handed_in_at_a_ticket_does_not_stop_a_new_application_there(hall, clock):
    earlier = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    clock.advance(days=1)
    ticket = hall.issue_ticket(category="A")
    hall.call_next(2)
    (item,) = earlier.pending
    hall.supply_pending(item.id, by="clerk2", ticket_id=ticket.id)
    again = accept(hall, ticket_id=ticket.id)  # the same matter, applied for anew at this visit
    assert again.number != earlier.number


@pytest.mark.parametrize("name", ["张" * 101, "张三\n李四"])
def test_an_applicant_name_too_long_or_unprintable_is_refused_for_any_decision(hall, name):
    for decide in (accept, refuse):
        with pytest.raises(ValidationError, match="申请人姓名应为不超过100个可见字符"):
            decide(hall, applicant_name=name)
    assert hall.applications() == []


def test_a_reason_too_long_for_the_notice_is_refused(hall):
    long = tuple(replace_reason(c, "复印件" * 100) if c.material_id == 2 else c
                 for c in checks(m2=MaterialStatus.DEFECTIVE))
    with pytest.raises(ValidationError, match="说明过长"):
        refuse(hall, checks=long)
    assert hall.applications() == []


def replace_reason(check: MaterialCheck, reason: str) -> MaterialCheck:
    import dataclasses

    return dataclasses.replace(check, reason=reason)


def test_a_rongque_material_cannot_be_dated_before_its_application(hall):
    app = accept(hall, checks=checks(m3=MaterialStatus.MISSING), undertaking_signed=True)
    (item,) = app.pending
    with pytest.raises(ValidationError, match="早于办件受理日期"):
        hall.supply_pending(item.id, how="post", by="clerk2", on=dt.date(2000, 1, 1))
    assert hall.get_application(app.number).pending[0].status is PendingStatus.OPEN
