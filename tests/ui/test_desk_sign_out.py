"""A clerk signed out, disabled by the manager or taken over at another PC leaves no dialog behind
that would record in their name: the 受理 confirmation, the 办结 reasons and the F4 transfer close
unanswered, and Enter in them (or the panel's own door) records nothing."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from test_clerk_workbench import LOGIN, MATTER, WINDOW, fill_applicant, open_workbench, pump

from kiosk.models import TicketStatus


def _ready_to_accept(qtbot, demo_ctx, wb):  # noqa: F811 - demo_ctx is the fixture's value
    t = demo_ctx.hall.issue_ticket(matter_code=MATTER, holder_name="张伟")
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    qtbot.keyClick(wb, Qt.Key.Key_F6)
    qtbot.keyClick(wb, Qt.Key.Key_F9)
    fill_applicant(wb)
    return t


def test_a_disabled_clerks_confirmation_closes_and_records_nothing(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    t = _ready_to_accept(qtbot, demo_ctx, wb)
    qtbot.keyClick(wb, Qt.Key.Key_F10)
    dlg = wb.acceptance.confirm_dialog
    assert dlg is not None and dlg.isVisible()
    demo_ctx.hall.save_staff(LOGIN, "王晓燕", "clerk", active=False)  # the manager disables the account
    pump(demo_ctx)
    assert wb.staff is None and wb.stack.currentIndex() == 0
    assert not dlg.isVisible()
    qtbot.keyClick(dlg, Qt.Key.Key_Return)
    dlg.accept()  # even the dialog's own door
    assert wb.acceptance.accept() is None and wb.acceptance.give_notice() is None
    assert demo_ctx.hall.applications_at(t.id) == []
    assert wb.acceptance.clerk == "" and wb.pending.clerk_name == ""


def test_a_clerk_taken_over_cannot_finish_or_transfer_from_the_open_dialog(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    t = _ready_to_accept(qtbot, demo_ctx, wb)
    qtbot.keyClick(wb, Qt.Key.Key_F7)  # 办结, nothing decided: the reasons dialog
    finish = wb.finish_dialog
    assert finish is not None and finish.isVisible()
    finish.choose(next(iter(finish.reasons)))

    def take_over() -> None:  # another clerk signs in at this window on another PC
        demo_ctx.hall.sign_in(WINDOW, "clerk02", "demo-clerk02")
        pump(demo_ctx)

    take_over()
    assert wb.staff is None and not finish.isVisible()
    qtbot.keyClick(finish, Qt.Key.Key_Return)
    finish.accept()
    assert wb.finish_now("consult") is None
    assert demo_ctx.hall.get_ticket(t.id).status is not TicketStatus.DONE

    # F4's dialog runs its own loop: taken over while it is open, it closes and moves nothing
    demo_ctx.hall.sign_in(WINDOW, LOGIN, "demo-clerk01")
    assert wb.sign_in(LOGIN, "demo-clerk01")
    wb.activateWindow()
    qtbot.waitUntil(wb.isActiveWindow)
    demo_ctx.hall.sign_in(2, "clerk03", "demo-clerk03")
    seen = {}
    give_up = time.monotonic() + 10

    def while_open() -> None:
        # the dialog opens once its lists are read: on a slow machine later than any fixed delay,
        # and a take-over before it opens would leave it waiting for ever (the suite hung there)
        dialog = wb.transfer_dialog
        seen["open"] = dialog is not None and dialog.isVisible()
        if not seen["open"] and time.monotonic() < give_up:
            QTimer.singleShot(20, while_open)
            return
        if dialog is not None:
            dialog.choose(window=2)
        take_over()

    QTimer.singleShot(0, while_open)
    assert wb.transfer() is None
    assert seen["open"] and wb.staff is None and wb.transfer_dialog is None
    assert demo_ctx.hall.get_ticket(t.id).target_window is None
