"""A kiosk's helper call rings and shows on every signed-in clerk desk; one clerk takes it, the
others see who went, and the kiosk shows who is coming; a kiosk out of paper shows as an alarm."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel  # noqa: E402

from commands.demo_hall import DemoHall  # noqa: E402
from kiosk.models import DeviceState  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.terminal import make_context  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402


def test_a_kiosk_call_reaches_every_desk_one_clerk_takes_it_and_the_kiosk_says_who(qtbot, tmp_path: Path, speaker):
    from ui.clerk import ClerkWorkbench
    from ui.kiosk import KioskWindow

    create_application()
    demo = DemoHall.start(tmp_path / "hall.db")
    _, token2 = demo.hall.add_terminal("演示2号窗口", "clerk", 2)
    demo.tokens["clerk2"] = token2
    kiosk_ctx = make_context(demo.client("kiosk"))
    desk_ctxs = [make_context(demo.client("clerk")), make_context(demo.client("clerk2"))]
    try:
        kiosk = KioskWindow(kiosk_ctx, poll_printer=False)
        desks = [ClerkWorkbench(desk_ctxs[0], 1), ClerkWorkbench(desk_ctxs[1], 2)]
        for w in (kiosk, *desks):
            qtbot.addWidget(w)
            w.show()
        assert desks[0].sign_in("clerk01", "demo-clerk01") and desks[1].sign_in("clerk02", "demo-clerk02")
        assert not desks[0].alerts.isVisible()

        kiosk.call_helper()
        for desk in desks:
            qtbot.waitUntil(lambda d=desk: d.alerts.isVisible() and d.alerts.findChild(object, "take-1") is not None,
                            timeout=5000)
            assert desk.alerts.rang == 1 and desk.alerts.chime.played == 1
        # each desk's speaker was given the chime (it was built and never played before)
        assert len(speaker.played) == 2 and all(wav[:4] == b"RIFF" and len(wav) > 10_000 for wav in speaker.played)
        text = strip_text(desks[1])
        assert "演示取号机" in text and "呼叫帮办" in text

        qtbot.mouseClick(desks[0].alerts.findChild(object, "take-1"), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "王晓燕 正在赶来" in kiosk.notice.text.text(), timeout=5000)
        qtbot.waitUntil(lambda: "王晓燕 已前往" in strip_text(desks[1]), timeout=5000)
        assert desks[1].alerts.findChild(object, "take-1") is None  # nobody else goes
        # the call is recorded as taken by the clerk signed in at window 1, whoever the body named
        (call,) = demo.hall.helper_calls()
        assert call.taken_by == "clerk01" and call.terminal == "演示取号机"

        demo.hall.report_devices((DeviceState("printer", "paper_out", "打印机缺纸，请装入打印纸"),),
                                 terminal="演示取号机")
        qtbot.waitUntil(lambda: "演示取号机：取号打印机缺纸" in strip_text(desks[1]), timeout=5000)
    finally:
        drain_jobs()  # the kiosk's and the desks' hall calls end here, not in the next test
        for c in (kiosk_ctx, *desk_ctxs):
            c.close()
        demo.stop()


def strip_text(desk) -> str:
    return " ".join(label.text() for label in desk.alerts.findChildren(QLabel))


def desk_on_a_lan(qtbot, hall):
    """Window 1's desk on a hall server, clerk1 signed in there, its alert strip empty."""
    from lan_link import Link

    from ui.clerk import ClerkWorkbench

    link = Link(hall, "1号窗口电脑", "clerk", 1)
    desk = ClerkWorkbench(link.ctx, 1)
    qtbot.addWidget(desk)
    desk.show()
    assert desk.sign_in("clerk1", "pass-1111")
    return link, desk


def kiosk_call_while_the_desk_is_away(qtbot, link, desk) -> int:
    link.lose()
    qtbot.waitUntil(lambda: desk.server_banner.isVisible(), timeout=4000)
    return link.hall.call_helper(terminal="1号取号机").id


def test_a_helper_call_taken_while_a_desk_was_away_does_not_ring_there_when_it_hears_of_it_late(qtbot, hall, speaker):
    link, desk = desk_on_a_lan(qtbot, hall)
    try:
        call = kiosk_call_while_the_desk_is_away(qtbot, link, desk)
        hall.take_helper_call(call, "clerk2")  # window 2 went
        link.restore()
        qtbot.waitUntil(lambda: "李建国 已前往" in strip_text(desk), timeout=10000)
        qtbot.wait(200)  # the replayed HelperCallTaken and its board read, too
        assert desk.alerts.rang == 0 and desk.alerts.chime.played == 0
    finally:
        link.close()


def test_a_helper_call_still_open_when_a_desk_comes_back_rings_there_once(qtbot, hall, speaker):
    link, desk = desk_on_a_lan(qtbot, hall)
    try:
        kiosk_call_while_the_desk_is_away(qtbot, link, desk)
        link.restore()
        qtbot.waitUntil(lambda: desk.alerts.rang == 1, timeout=10000)
        assert "呼叫帮办" in strip_text(desk)
        qtbot.wait(200)
        assert desk.alerts.rang == 1
    finally:
        link.close()
