"""A decision the hall recorded though the desk never heard the answer (the cable pulled right
after the server committed 受理, or the desk killed while it was on its way) is shown done as soon
as the desk can ask the hall: its papers in the 文书 bar for a reprint, the message saying what
happened, the banner on to 办结. Before, the desk said 本次操作未完成 and offered F10 again, and
the clerk accepted the citizen twice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_clerk_workbench import LOGIN, MATTER, PASSWORD, WINDOW, fill_applicant

from hallnet.client import LOST_MESSAGE
from kiosk.errors import ServerUnavailable


def _open(qtbot, context):
    from ui.clerk import ClerkWorkbench

    wb = ClerkWorkbench(context, WINDOW)
    qtbot.addWidget(wb)
    wb.show()
    qtbot.waitExposed(wb)
    wb.activateWindow()
    qtbot.waitUntil(wb.isActiveWindow)
    assert wb.sign_in(LOGIN, PASSWORD)
    return wb


def _ready(qtbot, hall, wb):
    t = hall.issue_ticket(matter_code=MATTER, holder_name="张伟")
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: wb.ticket is not None and wb.ticket.id == t.id, timeout=5000)
    qtbot.keyClick(wb, Qt.Key.Key_F6)
    qtbot.keyClick(wb, Qt.Key.Key_F9)
    fill_applicant(wb)
    return t


def _shown_done(wb, number: str) -> None:
    assert wb.last_decision is not None and wb.last_decision.number == number
    assert wb.documents.docs and wb.documents.print_btn.isEnabled()  # the receipt, for a reprint
    assert number in wb.last_message and "受理" in wb.last_message
    assert "F10" not in wb.next_step() and "F7" in wb.next_step()
    assert "F7" in wb.banner.text() and number in wb.banner.text()


def test_an_acceptance_whose_answer_was_lost_is_shown_done_when_the_server_is_back(qtbot, tmp_path, monkeypatch):
    from lan_link import Link

    from kiosk import open_hall

    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    link = Link(hall, "3号窗口", "clerk", WINDOW)
    try:
        wb = _open(qtbot, link.ctx)
        t = _ready(qtbot, hall, wb)
        real = link.client.accept

        def recorded_then_cable_pulled(**kwargs):
            real(**kwargs)  # the hall records it ...
            link.lose()  # ... and the server is gone before the desk hears the answer
            raise ServerUnavailable(LOST_MESSAGE)

        monkeypatch.setattr(link.client, "accept", recorded_then_cable_pulled)
        assert wb.acceptance.accept() is None
        (app,) = hall.applications_at(t.id)
        assert wb.last_decision is None
        assert "不能确定" in wb.last_message and "不要重复" in wb.last_message  # not "try again"
        assert wb.draft.load()["deciding"] == "accept"  # a restart now would ask the hall too

        link.restore()
        qtbot.waitUntil(lambda: wb.last_decision is not None, timeout=15000)
        _shown_done(wb, app.number)
        assert "已记录" in wb.last_message
        qtbot.keyClick(wb, Qt.Key.Key_F10)  # the key offers nothing to record twice
        assert wb.acceptance.confirm_dialog is None
        assert [a.number for a in hall.applications_at(t.id)] == [app.number]
    finally:
        link.close()
        hall.close()


def test_a_restarted_desk_shows_the_acceptance_the_hall_recorded_before_it_stopped(qtbot, demo_ctx):  # noqa: F811
    hall = demo_ctx.hall
    wb = _open(qtbot, demo_ctx)
    t = _ready(qtbot, hall, wb)
    app = hall.accept(**wb.acceptance._accept_args(False))  # the hall took the request ...
    wb.close()  # ... and the desk was killed before the answer: its draft is on disk

    wb2 = _open(qtbot, demo_ctx)
    assert wb2.ticket is not None and wb2.ticket.id == t.id
    _shown_done(wb2, app.number)
    assert wb2.acceptance.matter_code() == ""  # not the check again
    assert [a.number for a in hall.applications_at(t.id)] == [app.number]


def test_a_restarted_desk_whose_decision_never_reached_the_hall_puts_the_check_back(qtbot, demo_ctx):  # noqa: F811
    hall = demo_ctx.hall
    wb = _open(qtbot, demo_ctx)
    t = _ready(qtbot, hall, wb)
    wb.close()

    wb2 = _open(qtbot, demo_ctx)
    assert wb2.last_decision is None and wb2.acceptance.matter_code() == MATTER
    assert "已恢复" in wb2.last_message
    fill_applicant(wb2)
    assert "F10" in wb2.next_step()
    app = wb2.acceptance.accept()
    assert app is not None and [a.number for a in hall.applications_at(t.id)] == [app.number]
