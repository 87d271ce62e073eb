"""Terminals of a hall server say plainly, within 3 s, that the server is gone, and carry on
by themselves when it returns: the kiosk pauses tickets (helper button still there), the clerk
desk and the manager's console show a banner, the hall display and the evaluator a quiet
marker. A PC whose token the server refuses (revoked, or replaced) says that instead: waiting
will not bring it back, staff must register it again."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from console_support import sign_in  # noqa: E402

from commands.demo_hall import DEMO_TERMINALS, DemoHall  # noqa: E402
from hallnet.runner import BackgroundServer  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.terminal import make_context  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402

SCREENS = ("kiosk", "display", "clerk", "evaluator", "admin")


def _terminals(qtbot, demo: DemoHall):
    """Every kind of terminal of the demo hall, each on its own client, shown."""
    from ui.admin.console import AdminConsole
    from ui.clerk import ClerkWorkbench
    from ui.display import HallDisplay
    from ui.evaluator import EvaluatorWindow
    from ui.kiosk import KioskWindow

    contexts = {screen: make_context(demo.client(screen)) for screen in SCREENS}
    manager = sign_in(demo.client("admin"))  # the console's token alone is no manager
    screens = {"kiosk": KioskWindow(contexts["kiosk"], poll_printer=False),
               "display": HallDisplay(contexts["display"]),
               "clerk": ClerkWorkbench(contexts["clerk"], 1),
               "evaluator": EvaluatorWindow(contexts["evaluator"], 1),
               "admin": AdminConsole(contexts["admin"], manager)}
    for w in screens.values():
        qtbot.addWidget(w)
        w.show()
    return contexts, screens


def _markers(screens: dict) -> dict[str, bool]:
    """Whether each terminal says the server is lost to it."""
    return {"kiosk": not screens["kiosk"].hall_reachable, "display": screens["display"].offline_label.isVisible(),
            "clerk": screens["clerk"].server_banner.isVisible(),
            "evaluator": screens["evaluator"].offline_label.isVisible(),
            "admin": screens["admin"].server_banner.isVisible()}


class Lan:
    """The demo hall on a real server on loopback, every kind of terminal on its own client."""

    def __init__(self, qtbot, tmp_path: Path) -> None:
        create_application()
        self.demo = DemoHall.start(tmp_path / "hall.db")
        self.contexts, self.screens = _terminals(qtbot, self.demo)
        self._port = self.demo.server.port
        self._restarted: BackgroundServer | None = None

    def lose_server(self) -> None:
        self.demo.server.stop()

    def restart_server(self) -> None:
        """The same hall served again on the same port, as after a server restart."""
        self._restarted = BackgroundServer(self.demo.hall, port=self._port).start()

    def close(self) -> None:
        drain_jobs()  # the terminals' hall calls end here, not in the next test
        for c in self.contexts.values():
            c.close()
        if self._restarted is not None:
            self._restarted.stop()
        for client in self.demo.clients.values():
            client.close()
        self.demo.hall.close()


@pytest.fixture
def lan(qtbot, tmp_path: Path):
    lan = Lan(qtbot, tmp_path)
    yield lan
    lan.close()


def test_terminals_say_the_server_is_lost_within_3_s_and_recover_without_a_restart(qtbot, lan):
    demo, screens = lan.demo, lan.screens
    kiosk, display, desk, evaluator, console = (screens[s] for s in SCREENS)
    assert desk.sign_in("clerk01", "demo-clerk01")
    home = kiosk.screens["home"]
    assert not home.banner.isVisible() and not any(_markers(screens).values())

    lan.lose_server()
    lost_at = time.monotonic()
    qtbot.waitUntil(lambda: all(_markers(screens).values()), timeout=3000)
    assert time.monotonic() - lost_at < 3.0
    assert home.banner.isVisible() and "暂停取号" in home.banner.text()
    assert kiosk.footer.isVisible()  # the helper button stays within reach
    assert "连接已中断" in desk.server_banner.text()
    assert "连接已中断" in console.server_banner.text() and "重连" in evaluator.offline_label.text()

    lan.restart_server()
    qtbot.waitUntil(lambda: not any(_markers(screens).values()), timeout=10000)
    assert not home.banner.isVisible()
    # and the hall works again from the same clients, without a restart
    ticket = demo.client("kiosk").issue_ticket(category="A")
    assert ticket.number.startswith("A")


def test_a_pc_whose_token_is_revoked_says_staff_must_register_it_again_not_that_it_reconnects(qtbot, lan):
    from kiosk.errors import AccessDenied

    demo, screens = lan.demo, lan.screens
    kiosk, display, desk, evaluator, console = (screens[s] for s in SCREENS)
    for screen in ("kiosk", "display", "clerk", "evaluator"):  # the console cannot revoke itself
        demo.hall.revoke_terminal(DEMO_TERMINALS[screen][0])
    qtbot.waitUntil(lambda: all(v for s, v in _markers(screens).items() if s != "admin"), timeout=5000)
    assert not console.server_banner.isVisible()  # the hall itself is there
    home = kiosk.screens["home"]
    assert "重新设置" in home.banner.text() and "已注销" in home.banner.text()
    assert "呼叫帮办" not in home.banner.text()  # a helper call would be refused too: the desk it is
    assert "换发令牌" in desk.server_banner.text() and "重连" not in desk.server_banner.text()
    assert "未获授权" in display.offline_label.text() and "未获授权" in evaluator.offline_label.text()
    # a call from the revoked PC is refused in the server's words, not as a lost connection
    with pytest.raises(AccessDenied, match="已注销"):
        demo.client("kiosk").issue_ticket(category="A")
    assert demo.client("kiosk").refused and not demo.client("kiosk").connected
    # its helper button promises nothing: it says at once that nobody can be told from here
    kiosk.call_helper()
    assert "暂时无法通知工作人员" in kiosk.notice.title.text() and "服务台" in kiosk.notice.text.text()
    assert kiosk.helper_call_kept is None and demo.hall.helper_calls() == []


def test_checklists_nobody_opened_before_still_show_while_the_server_is_away(qtbot, lan):
    """The kiosk's banner says 查看材料清单不受影响 while tickets pause: it must hold for every
    matter and every answer, not only for those some citizen opened before the server went."""
    demo, screens = lan.demo, lan.screens
    kiosk = screens["kiosk"]
    hall = demo.hall
    matter = next(m for m in hall.matters() if m.conditions)
    lan.lose_server()
    qtbot.waitUntil(lambda: not kiosk.hall_reachable, timeout=3000)
    assert "查看材料清单不受影响" in kiosk.screens["home"].banner.text()

    kiosk.choose_category(matter.category)
    assert matter.code in kiosk.screens["matters"].matter_buttons
    kiosk.choose_matter(matter.code)
    kiosk.answer(matter.conditions[0], True)
    shown = kiosk.screens["checklist"].tick_buttons
    expected = hall.checklist(matter.code, (matter.conditions[0],))  # the hall's own answer, in process
    assert set(shown) == {m.id for m in expected.to_bring}
    assert kiosk.screens["checklist"].title.text() == matter.name

    # a citizen switching to elder mode rebuilds every screen: from the copy, not the server
    kiosk.toggle_elder()
    assert kiosk.look.elder and set(kiosk.screens["checklist"].tick_buttons) == set(shown)
    kiosk.reset_to_home()
    home = kiosk.screens["home"]
    assert set(home.category_buttons) == {c.prefix for c in hall.categories()}
    assert home.popular_buttons and "暂停取号" in home.banner.text()


def test_a_helper_call_made_while_the_server_is_away_reaches_staff_once_when_it_returns(qtbot, lan, speaker):
    demo, screens = lan.demo, lan.screens
    kiosk = screens["kiosk"]
    hall = demo.hall
    lan.lose_server()
    qtbot.waitUntil(lambda: not kiosk.hall_reachable, timeout=3000)
    kiosk.call_helper()  # a first citizen asks, then walks away before the server is back
    assert "已记下您的求助" in kiosk.notice.title.text() and "连接一恢复" in kiosk.notice.text.text()
    kiosk.reset_to_home()
    assert kiosk.helper_call_kept is not None  # promised: it still goes out when the server is back
    kiosk.choose_category("A")
    kiosk.call_helper()  # the next citizen asks and waits: theirs replaces it, staff come to one kiosk
    assert kiosk.helper_call_kept is not None and hall.helper_calls() == []
    assert kiosk.chime.played == 2 and len(speaker.played) == 2  # each call rang on the kiosk's own speaker

    lan.restart_server()
    qtbot.waitUntil(lambda: kiosk.helper_call_id is not None, timeout=10000)
    calls = hall.helper_calls()
    assert len(calls) == 1 and calls[0].reason == "server" and calls[0].id == kiosk.helper_call_id
    assert calls[0].terminal == DEMO_TERMINALS["kiosk"][0]
    assert "已通知帮办人员" in kiosk.notice.title.text() and kiosk.helper_call_kept is None
    assert kiosk.chime.played == 2  # staff hear it now (their desks ring): the kiosk does not ring again
    qtbot.waitUntil(lambda: screens["admin"].board.alerts.chime.played == 1, timeout=5000)  # the console rang


def test_a_rating_given_while_the_server_is_away_is_sent_once_when_it_returns(qtbot, lan):
    demo, screens = lan.demo, lan.screens
    evaluator = screens["evaluator"]
    hall = demo.hall
    hall.sign_in(1, "clerk01", "demo-clerk01")
    ticket = hall.issue_ticket(category="A")
    called = hall.call_next(1)
    assert called is not None and called.id == ticket.id
    hall.finish(ticket.id, 1)
    qtbot.waitUntil(lambda: evaluator.state == "asking" and evaluator.ticket_id == ticket.id, timeout=5000)

    lan.lose_server()
    qtbot.waitUntil(lambda: evaluator.offline_label.isVisible(), timeout=3000)
    evaluator.rate(5)
    assert evaluator.state == "thanks" and len(evaluator.unsent) == 1  # thanked; the word is kept
    assert hall.evaluation_for(ticket.id) is None

    lan.restart_server()
    qtbot.waitUntil(lambda: not evaluator.offline_label.isVisible() and not evaluator.unsent, timeout=10000)
    given = hall.evaluation_for(ticket.id)
    assert given is not None and given.level == 5 and given.window == 1
    assert evaluator.send_unsent() == 0  # sending again stores nothing more: one rating per ticket
    with hall.store.read() as db:
        assert db.conn.execute("SELECT COUNT(*) FROM evaluations WHERE ticket_id = ?", (ticket.id,)).fetchone()[0] == 1


def test_a_rating_kept_while_the_server_was_away_survives_a_restart_of_the_evaluator(qtbot, lan):
    import json

    from ui.evaluator import EvaluatorWindow

    demo, contexts, screens = lan.demo, lan.contexts, lan.screens
    evaluator = screens["evaluator"]
    hall = demo.hall
    hall.sign_in(1, "clerk01", "demo-clerk01")
    ticket = hall.issue_ticket(category="A")
    hall.call_next(1)
    hall.finish(ticket.id, 1)
    qtbot.waitUntil(lambda: evaluator.state == "asking", timeout=5000)
    lan.lose_server()
    qtbot.waitUntil(lambda: evaluator.offline_label.isVisible(), timeout=3000)
    evaluator.rate(1)
    evaluator.reason_buttons["态度"].setChecked(True)
    evaluator.phone.setText("13800138000")
    evaluator.submit_reasons()
    kept = json.loads(evaluator.unsent_file.read_text(encoding="utf-8"))
    (rating,) = kept["ratings"]
    assert kept["hall"] == demo.url and rating[:4] == [ticket.id, 1, ["态度"], "13800138000"]
    assert abs(rating[4] - time.time()) < 5  # when it was given, by this PC's clock
    evaluator.close()  # the evaluator PC is switched off before the server returns (it hears no more)

    lan.restart_server()
    client = demo.client("evaluator")
    qtbot.waitUntil(lambda: client.connected, timeout=10000)
    again = EvaluatorWindow(contexts["evaluator"], 1)  # switched on again
    qtbot.addWidget(again)
    given = hall.evaluation_for(ticket.id)
    assert given is not None and given.level == 1 and given.reasons == ("态度",)
    # stored as given before the restart, not when it reached the server
    assert given.at <= dt.datetime.now() - dt.timedelta(seconds=time.time() - rating[4]) + dt.timedelta(seconds=1)
    assert not again.unsent and not again.unsent_file.exists()
