"""What the clerk types is held to the hall's own rules at the desk: no field takes more than the
hall stores (a 5,000-character name once printed a nine-page receipt), and the phone is checked
by the hall's one rule, so the desk neither blocks a number the hall takes nor offers 受理 for
one the hall then refuses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_clerk_workbench import MATTER, fill_applicant, open_workbench

from kiosk import idnumber
from kiosk.models import MaterialStatus


def _serving(qtbot, demo_ctx, wb) -> None:  # noqa: F811 - demo_ctx is the fixture's value
    demo_ctx.hall.issue_ticket(matter_code=MATTER, holder_name="张伟")
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    qtbot.keyClick(wb, Qt.Key.Key_F6)


def test_the_desk_fields_take_no_more_than_the_hall_stores(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    _serving(qtbot, demo_ctx, wb)
    form = wb.acceptance.applicant
    form.name.setFocus()
    qtbot.keyClicks(form.name, "x" * 130)  # typed, as a clerk (or a stuck key) would
    assert form.name.text() == "x" * 100
    form.phone.setText("0" * 50)
    assert len(form.phone.text()) == 20
    table = wb.acceptance.table
    place = next(m for m, _c, _r in table._rows if m.rongque)
    table.set_status(place.id, MaterialStatus.MISSING, "未带" * 150)
    reason = next(r for m, _c, r in table._rows if m.id == place.id)
    assert len(reason.text()) == 200
    assert wb.pending.by.maxLength() == 100

    # a name as long as the field allows is one the hall records
    qtbot.keyClick(wb, Qt.Key.Key_F9)
    table.set_status(place.id, MaterialStatus.RECEIVED)
    fill_applicant(wb, name="张" * 5000)
    assert form.name.text() == "张" * 100
    app = wb.acceptance.accept()
    assert app is not None and wb.last_decision is app


def test_the_desk_checks_the_phone_by_the_halls_rule(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    _serving(qtbot, demo_ctx, wb)
    qtbot.keyClick(wb, Qt.Key.Key_F9)
    for phone in ("0571 88888888", "0571-88888888", "13857112345", "12345678901", "00000000", "12345"):
        fill_applicant(wb, phone=phone)
        hall_says = idnumber.phone_problem(phone, "联系电话")
        desk_says = [p for p in wb.acceptance.applicant.problems() if "电话" in p]
        assert desk_says == ([hall_says] if hall_says else []), phone
        if hall_says:  # the banner says what to fix, never 按 F10 受理
            assert "F10" not in wb.next_step() and "联系电话" in wb.next_step()
        else:
            assert "F10" in wb.next_step()
