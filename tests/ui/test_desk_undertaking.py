"""The 承诺书 the citizen signed is for one set of 容缺 items and one deadline: when the clerk then
changes what is owed (another item missing, one brought after all, fewer days), 承诺书已签署 is
unticked and the desk says the citizen must sign the new one; F11 cannot record an undertaking
nobody signed. A restart keeps the days and the signature together."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_clerk_workbench import fill_applicant, open_workbench

from kiosk.models import MaterialStatus

MATTER2 = "330106-F-002"  # 个人住房公积金贷款: two materials that may be 容缺


def _owing_one(qtbot, demo_ctx, wb):  # noqa: F811 - demo_ctx is the fixture's value
    demo_ctx.hall.issue_ticket(matter_code=MATTER2, holder_name="张伟")
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    qtbot.keyClick(wb, Qt.Key.Key_F6)
    qtbot.keyClick(wb, Qt.Key.Key_F9)
    fill_applicant(wb)
    table = wb.acceptance.table
    rq = [m for m, _c, _r in table._rows if m.rongque]
    assert len(rq) >= 2
    table.set_status(rq[0].id, MaterialStatus.MISSING, "未带")
    assert wb.acceptance.outcome() == "accept_pending"
    return rq


def _signed(qtbot, wb) -> None:
    panel = wb.acceptance
    assert panel.print_undertaking() is not None  # Ctrl+P: printed, and the citizen signs it
    wb.documents.preview_dialog.reject()
    panel.undertaking.setChecked(True)
    assert panel.rongque_btn.isEnabled()


def test_a_signed_undertaking_is_unticked_when_what_is_owed_changes(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    rq = _owing_one(qtbot, demo_ctx, wb)
    panel, table = wb.acceptance, wb.acceptance.table

    _signed(qtbot, wb)
    table.set_status(rq[1].id, MaterialStatus.MISSING, "未带")  # a second item owed now
    assert not panel.undertaking.isChecked() and not panel.rongque_btn.isEnabled()
    assert "承诺书" in wb.last_message and "重新打印" in wb.last_message
    assert panel.accept(rongque=True) is None
    qtbot.keyClick(wb, Qt.Key.Key_F11)
    assert panel.confirm_dialog is None and "承诺书" in wb.last_message

    _signed(qtbot, wb)  # the new 承诺书, for both items
    panel.pending_days.setValue(max(1, panel.pending_days.value() - 1))  # a shorter deadline
    assert not panel.undertaking.isChecked() and "补齐期限" in wb.last_message

    _signed(qtbot, wb)
    table.set_status(rq[1].id, MaterialStatus.RECEIVED)  # brought after all
    assert not panel.undertaking.isChecked()

    # ticking 已签署 on a paper printed for what was owed before is refused too
    _signed(qtbot, wb)
    panel.undertaking.setChecked(False)
    table.set_status(rq[1].id, MaterialStatus.MISSING, "未带")
    panel.undertaking.setChecked(True)
    assert not panel.undertaking.isChecked() and "重新打印" in wb.last_message

    # what is finally recorded is what the citizen signed
    _signed(qtbot, wb)
    signed = demo_ctx.hall.preview_accept(**{**panel._accept_args(True), "undertaking_signed": True})
    app = panel.accept(rongque=True)
    assert app is not None
    assert [(p.name, p.deadline) for p in app.pending] == [(p.name, p.deadline) for p in signed.pending]


def test_a_restarted_desk_keeps_the_signature_with_its_days(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    _owing_one(qtbot, demo_ctx, wb)
    panel = wb.acceptance
    panel.pending_days.setValue(2)
    _signed(qtbot, wb)
    wb.close()  # the draft is written as the desk closes

    wb2 = open_workbench(qtbot, demo_ctx)
    panel2 = wb2.acceptance
    fill_applicant(wb2)  # the ID number is typed again, as the desk asks
    assert panel2.pending_days.value() == 2 and panel2.undertaking.isChecked()
    panel2.pending_days.setValue(3)
    assert not panel2.undertaking.isChecked()
