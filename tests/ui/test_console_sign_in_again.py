"""A console the hall server no longer takes for a manager (a new day, the account's password
changed, the PC re-registered) shows its login again, instead of a tab's red 未保存 line that no
retry could clear; after the login the manager carries on. Closing the console signs it out."""

from __future__ import annotations

import pytest
from console_support import sign_in
from lan_link import Link

from ui.admin.console import LOGIN_AGAIN, SIGNED_IN_AGAIN
from ui.worker import drain_jobs

CONSOLE = "管理后台"
BOSS = ("boss", "boss-pass-1")


@pytest.fixture
def link(qtbot, hall):
    hall.save_staff(BOSS[0], "周主任", "manager", BOSS[1])
    link = Link(hall, CONSOLE, "manager")
    yield link
    link.close()


@pytest.fixture
def console(qtbot, link):
    from ui.admin import AdminConsole

    console = AdminConsole(link.ctx, sign_in(link.client, *BOSS))
    qtbot.addWidget(console)
    console.show()
    console.tabs.setCurrentWidget(console.windows)
    return console


def _rename(console, name: str) -> bool:
    tab = console.windows
    tab.edit_window(1)
    tab.f_name.setText(name)
    return tab.save_window()


def _log_in(dialog, login: str, password: str) -> None:
    dialog.login.setText(login)
    dialog.password.setText(password)
    dialog.try_login()


def test_a_refused_save_shows_the_login_and_the_manager_carries_on_after_it(qtbot, link, console):
    assert _rename(console, "改名一次")
    link.hall.save_staff(BOSS[0], "周主任", "manager", "reset-by-other")  # another manager reset it
    assert not _rename(console, "改名两次")
    dialog = console.login_again
    assert dialog is not None and dialog.isVisible() and dialog.message.text() == LOGIN_AGAIN
    assert link.hall.windows()[0].name == "改名一次"
    _log_in(dialog, "clerk1", "pass-1111")  # a clerk's account opens no console
    assert "不是管理员" in dialog.message.text() and console.login_again is dialog
    _log_in(dialog, BOSS[0], "reset-by-other")
    assert console.login_again is None and console.windows.last_message == SIGNED_IN_AGAIN
    assert _rename(console, "改名两次")
    assert link.hall.windows()[0].name == "改名两次"


def test_a_console_left_signed_in_overnight_asks_again_in_the_morning(qtbot, link, console, clock):
    clock.advance(days=1)
    console.board.reload()  # its own read every few seconds: nobody pressed anything
    qtbot.waitUntil(lambda: console.login_again is not None, timeout=5000)
    # the board's line is set by its own read's callback, which may come after the dialog
    qtbot.waitUntil(lambda: "请先在本机登录管理后台" in console.board.last_message, timeout=5000)
    # another manager comes in the morning: what the console records is done by them
    link.hall.save_staff("early", "吴早班", "manager", "early-pass-1")
    _log_in(console.login_again, "early", "early-pass-1")
    assert console.staff.login == "early" and "吴早班" in console.who.text()
    assert console.terminals.me.login == "early"
    assert link.hall.console_session(CONSOLE) == "early"


def test_a_cancelled_login_asks_again_at_the_manager_s_next_action_not_at_every_read(qtbot, link, console):
    link.hall.save_staff(BOSS[0], "周主任", "manager", active=False)
    link.hall.save_staff(BOSS[0], "周主任", "manager", active=True)  # back, but signed out everywhere
    console.board.reload()
    qtbot.waitUntil(lambda: console.login_again is not None, timeout=5000)
    console.login_again.reject()
    assert console.login_again is None
    console.board.reload()
    drain_jobs()
    assert console.login_again is None  # the board's reads only say so on their line
    assert not _rename(console, "改名")
    assert console.login_again is not None and "请先在本机登录管理后台" in console.windows.last_message
    _log_in(console.login_again, *BOSS)
    assert _rename(console, "改名")


def test_closing_the_console_signs_its_manager_out(qtbot, link, console):
    assert link.hall.console_session(CONSOLE) == BOSS[0]
    console.close()
    assert link.hall.console_session(CONSOLE) == ""


def test_a_console_on_this_pc_is_never_asked_again(qtbot, demo_ctx):
    from console_support import open_console

    console = open_console(qtbot, demo_ctx, "windows")
    demo_ctx.hall.save_staff("admin", "陈建华", "manager", "changed-pass")
    assert _rename(console, "本机再改名") and console.login_again is None
    console.close()
