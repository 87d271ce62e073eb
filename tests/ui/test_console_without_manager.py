"""A hall without a manager account: the console's sign-in says so and names the command that
makes the first one, instead of refusing every try as a wrong password. Over the network it
learns this from a yes-or-no question that names no account."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import httpx  # noqa: E402
import pytest  # noqa: E402

from kiosk import open_hall  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.login import ManagerLogin  # noqa: E402

NO_MANAGER = "还没有管理员账号"
FIRST_MANAGER_COMMAND = "python main.py staff add --db 大厅数据库 --role manager --login 登录名 --name 姓名"


def _login(qtbot, hall) -> ManagerLogin:
    create_application()
    dialog = ManagerLogin(hall)
    qtbot.addWidget(dialog)
    return dialog


def _try(dialog: ManagerLogin, login: str, password: str) -> None:
    dialog.login.setText(login)
    dialog.password.setText(password)
    dialog.try_login()


@pytest.fixture
def fresh(tmp_path: Path):
    hall = open_hall(tmp_path / "fresh.db", durable=False)
    yield hall
    hall.close()


@pytest.fixture
def seeded(tmp_path: Path):
    hall = open_hall(tmp_path / "demo.db", seed_demo=True, durable=False)
    yield hall
    hall.close()


def test_a_fresh_hall_says_it_has_no_manager_and_how_to_make_one(qtbot, fresh):
    dialog = _login(qtbot, fresh)
    text = dialog.message.text()
    assert NO_MANAGER in text and FIRST_MANAGER_COMMAND in text and "本机" in text
    assert str(Path(fresh.store.path)) in text  # which file --db means on this PC
    _try(dialog, "admin", "whatever1")
    assert NO_MANAGER in dialog.message.text() and "账号或密码不正确" not in dialog.message.text()
    assert dialog.staff is None and dialog.result() == 0


def test_a_manager_made_while_the_dialog_is_open_signs_in(qtbot, fresh):
    dialog = _login(qtbot, fresh)
    assert dialog.no_manager
    fresh.save_staff("boss", "王主任", "manager", password="first-pass", new=True)
    _try(dialog, "boss", "wrong-pass")
    assert dialog.message.text() == "账号或密码不正确" and not dialog.no_manager
    _try(dialog, "boss", "first-pass")
    assert dialog.staff is not None and dialog.staff.login == "boss"


def test_a_clerk_account_on_a_hall_without_manager_is_told_both(qtbot, fresh):
    fresh.save_staff("clerk9", "李四", "clerk", password="clerk-pass", new=True)
    dialog = _login(qtbot, fresh)
    _try(dialog, "clerk9", "clerk-pass")
    assert "该账号不是管理员" in dialog.message.text() and FIRST_MANAGER_COMMAND in dialog.message.text()
    assert dialog.staff is None


def test_a_disabled_only_manager_counts_as_none(qtbot, seeded):
    assert seeded.has_manager_account()
    seeded.save_staff("admin", "陈建华", "manager", active=False)
    assert not seeded.has_manager_account()
    assert NO_MANAGER in _login(qtbot, seeded).message.text()


def test_a_seeded_hall_signs_in_as_before(qtbot, seeded):
    dialog = _login(qtbot, seeded)
    assert dialog.message.text() == "" and not dialog.no_manager
    _try(dialog, "admin", "wrong-pass")
    assert dialog.message.text() == "账号或密码不正确"
    _try(dialog, "admin", "demo-admin")
    assert dialog.staff is not None and dialog.staff.login == "admin" and dialog.result() == 1


def test_over_the_network_the_console_learns_it_before_sign_in_without_any_account_names(qtbot, fresh):
    from hallnet.client import HallClient
    from hallnet.runner import BackgroundServer

    _, console = fresh.add_terminal("管理后台", "manager")
    _, kiosk = fresh.add_terminal("取号机01", "kiosk")
    fresh.save_staff("clerk9", "李四", "clerk", password="clerk-pass", new=True)
    with BackgroundServer(fresh, daily_jobs=False) as server:
        client = HallClient(server.url, console)
        try:
            dialog = _login(qtbot, client)
            text = dialog.message.text()
            assert NO_MANAGER in text and "大厅服务器" in text and FIRST_MANAGER_COMMAND in text
            _try(dialog, "admin", "whatever1")
            assert NO_MANAGER in dialog.message.text()
        finally:
            client.close()

        def ask(token: str | None) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return httpx.post(f"{server.url}/api/has_manager_account", json={}, headers=headers, timeout=10)

        answer = ask(console)
        assert answer.status_code == 200 and answer.json() is False  # yes or no, never whose account
        assert "clerk9" not in answer.text and "李四" not in answer.text
        assert ask(None).status_code == 401
        assert ask(kiosk).status_code == 403  # a public terminal has no business knowing
        fresh.save_staff("boss", "王主任", "manager", password="first-pass", new=True)
        assert ask(console).json() is True
