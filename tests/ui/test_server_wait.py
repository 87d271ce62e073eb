"""A terminal switched on before its hall server answers waits on a screen that says so, tries
again with a growing pause, and opens the moment the server is there; a server that refuses
the PC's token ends the wait with its words (waiting would not change it)."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from hallnet.runner import BackgroundServer, free_port  # noqa: E402
from kiosk import open_hall  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.server_wait import ServerWait, retry_delay  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402


@pytest.fixture
def hall(tmp_path: Path):
    create_application()
    hall = open_hall(tmp_path / "hall.db", seed_demo=True)
    yield hall
    hall.close()


def _wait(qtbot, url: str, token: str, role: str = "clerk") -> ServerWait:
    wait = ServerWait(lambda: open_hall(url, token=token), role=role, url=url)
    qtbot.addWidget(wait)
    wait.show()
    return wait


def test_a_window_pc_switched_on_before_the_server_waits_saying_so_and_opens_when_the_server_starts(qtbot, hall):
    _, token = hall.add_terminal("1号窗口", "clerk", 1)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    wait = _wait(qtbot, url, token)
    wait.start()
    qtbot.waitUntil(lambda: wait.failures >= 1 and not wait.trying, timeout=6000)
    # the clerk is told why, as the client found it: nothing answers at that address and port
    assert f"无法连接 127.0.0.1:{port}：没有应答" in wait.body.text()
    assert "自动打开窗口工作台" in wait.body.text() and "无需重新启动" in wait.body.text()
    assert "第 1 次尝试未连上" in wait.status.text() and "秒后再试" in wait.status.text()
    assert wait.retry_button is not None and wait.exit_button is not None and wait.exit_button.isVisible()
    server = BackgroundServer(hall, port=port).start()
    try:
        with qtbot.waitSignal(wait.opened, timeout=15000) as opened:
            wait.retry_button.click()  # staff need not wait out the pause once the server is up
        client = opened.args[0]
        try:
            assert any(w.number == 1 for w in client.windows())  # the hall the desk will open, reached through the server
        finally:
            client.close()
    finally:
        drain_jobs()
        server.stop()


def test_the_pause_between_tries_grows_to_ten_seconds_and_stays_there():
    assert [retry_delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 10, 10, 10, 10]


def test_a_pc_whose_token_the_server_refuses_says_so_on_screen_and_asks_again_now_and_then(
        qtbot, hall, tmp_path, monkeypatch):
    """Staff must set the PC up again, so the screen says that with the server's words (a PC
    started from a desktop icon that quit would tell nobody; a kiosk would show the desktop).
    It goes on asking, and opens once the server takes the token: here the server had been
    started on the wrong hall file, and is started again on the right one."""
    import ui.server_wait

    monkeypatch.setattr(ui.server_wait, "REFUSED_RETRY_SECONDS", 1)
    _, token = hall.add_terminal("取号机01", "kiosk")
    other = open_hall(tmp_path / "another.db", seed_demo=True)  # a hall that never registered this kiosk
    wrong = BackgroundServer(other).start()
    port = wrong.port
    try:
        wait = _wait(qtbot, wrong.url, token, role="kiosk")
        wait.start()
        qtbot.waitUntil(lambda: bool(wait.refusal) and not wait.trying, timeout=10000)
        assert wait.title.text() == "暂停取号" and wait.body.text() == "本机需要工作人员重新设置。\n请到服务台取号。"
        assert "令牌无效或已注销" in wait.hint.text() and "再问一次" in wait.status.text()
        assert not wait.stopped
    finally:
        drain_jobs()
        wrong.stop()
        other.close()
    right = BackgroundServer(hall, port=port).start()
    try:
        with qtbot.waitSignal(wait.opened, timeout=15000) as opened:
            pass
        opened.args[0].close()
    finally:
        drain_jobs()
        right.stop()


def test_a_public_screen_offers_no_exit_and_tells_the_citizen_where_to_go(qtbot):
    create_application()
    wait = ServerWait(lambda: None, role="kiosk", url="http://192.168.1.10:8470")  # type: ignore[arg-type, return-value]
    qtbot.addWidget(wait)
    assert wait.retry_button is None and wait.exit_button is None
    assert wait.title.text() == "暂停取号" and "服务台" in wait.hint.text()
    assert "192.168" not in wait.body.text()  # an address means nothing to a citizen
    english = ServerWait(lambda: None, role="kiosk", url="x", lang="en")  # type: ignore[arg-type, return-value]
    qtbot.addWidget(english)
    assert english.title.text() == "Tickets paused"


def test_a_wait_given_up_closes_what_a_late_try_opens(qtbot, hall):
    _, token = hall.add_terminal("1号窗口", "clerk", 1)
    with BackgroundServer(hall) as server:
        opened: list = []

        def connect():  # noqa: ANN202
            client = open_hall(server.url, token=token)
            opened.append(client)
            return client

        wait = _wait(qtbot, server.url, token)
        wait._connect = connect  # noqa: SLF001 - record what the try opened
        with qtbot.assertNotEmitted(wait.opened, wait=200):
            wait.start()
            wait.give_up()  # 退出 pressed while the try is on its way
            drain_jobs()
    assert len(opened) == 1 and opened[0]._stop.is_set()  # noqa: SLF001 - the client was closed


def test_an_unexpected_error_while_connecting_is_said_plainly_and_logged_not_shown(qtbot, caplog):
    create_application()

    def broken():  # noqa: ANN202
        raise ZeroDivisionError("division by zero")

    wait = ServerWait(broken, role="clerk", url="http://127.0.0.1:1")
    qtbot.addWidget(wait)
    wait.start()
    qtbot.waitUntil(lambda: bool(wait.refusal), timeout=5000)
    wait.stop()
    drain_jobs()
    assert "意外问题（ZeroDivisionError）" in wait.body.text() and "division by zero" not in wait.body.text()
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)
