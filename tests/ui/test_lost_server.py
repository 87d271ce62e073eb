"""Terminals of a hall server say plainly, within 3 s, that the server is gone, and carry on
by themselves when it returns: the kiosk pauses tickets (helper button still there), the clerk
desk shows a banner, the hall display a quiet marker."""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from commands.demo_hall import DemoHall  # noqa: E402
from hallnet.runner import BackgroundServer  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.terminal import make_context  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402


def test_terminals_say_the_server_is_lost_within_3_s_and_recover_without_a_restart(qtbot, tmp_path: Path):
    from ui.clerk import ClerkWorkbench
    from ui.display import HallDisplay
    from ui.kiosk import KioskWindow

    create_application()
    demo = DemoHall.start(tmp_path / "hall.db")
    contexts = [make_context(demo.client(screen)) for screen in ("kiosk", "display", "clerk")]
    restarted = None
    try:
        kiosk = KioskWindow(contexts[0], poll_printer=False)
        display = HallDisplay(contexts[1])
        desk = ClerkWorkbench(contexts[2], 1)
        for w in (kiosk, display, desk):
            qtbot.addWidget(w)
            w.show()
        assert desk.sign_in("clerk01", "demo-clerk01")
        home = kiosk.screens["home"]
        assert not home.banner.isVisible() and not desk.server_banner.isVisible()

        port = demo.server.port
        demo.server.stop()
        lost_at = time.monotonic()
        qtbot.waitUntil(lambda: not kiosk.hall_reachable and desk.server_banner.isVisible()
                        and display.offline_label.isVisible(), timeout=3000)
        assert time.monotonic() - lost_at < 3.0
        assert home.banner.isVisible() and "暂停取号" in home.banner.text()
        assert kiosk.footer.isVisible()  # the helper button stays within reach
        assert "连接已中断" in desk.server_banner.text()

        restarted = BackgroundServer(demo.hall, port=port).start()
        qtbot.waitUntil(lambda: kiosk.hall_reachable and not desk.server_banner.isVisible()
                        and not display.offline_label.isVisible(), timeout=10000)
        assert not home.banner.isVisible()
        # and the hall works again from the same clients, without a restart
        ticket = demo.client("kiosk").issue_ticket(category="A")
        assert ticket.number.startswith("A")
    finally:
        drain_jobs()  # the terminals' hall calls end here, not in the next test
        for c in contexts:
            c.close()
        if restarted is not None:
            restarted.stop()
        for client in demo.clients.values():
            client.close()
        demo.hall.close()
