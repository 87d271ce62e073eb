"""The console's 终端登记: a manager registers, moves, revokes and re-tokens the hall's PCs without
a command line; the token is shown once, as the config file the PC starts from."""

from __future__ import annotations

import stat
import tomllib

import pytest
from console_support import sign_in
from test_admin import MANAGER

from commands.terminal_config import load_file
from ui.admin import AdminConsole
from ui.admin.terminals_tab import NO_SERVER_URL, TerminalsTab
from ui.context import TerminalContext
from ui.worker import drain_jobs


def register(tab: TerminalsTab, name: str, role: str, window: int | None = None, place: str = "") -> str:
    """Fill the form as a manager would and register; the token, read from the dialog shown."""
    tab.new_terminal()
    tab.f_name.setText(name)
    tab.f_role.setCurrentIndex(tab.f_role.findData(role))
    if window is not None:
        tab.f_window.setCurrentIndex(tab.f_window.findData(window))
    tab.f_place.setText(place)
    assert tab.save(), tab.last_message
    assert tab.token_dialog is not None and tab.token_dialog.isVisible()
    return tomllib.loads(tab.token_dialog.config)["token"]


def test_a_pc_registered_in_the_console_gets_a_config_file_whose_token_lets_it_in(console, demo_ctx, tmp_path,
                                                                                 monkeypatch) -> None:
    tab = console.terminals
    token = register(tab, "1号窗口工作台", "clerk", window=1, place="一楼1号窗口")
    dialog = tab.token_dialog
    config = tomllib.loads(dialog.config)
    assert config == {"hall": NO_SERVER_URL, "token": token, "role": "clerk", "window": 1}
    assert "hall 一行改为" in " ".join(label.text() for label in dialog.findChildren(type(tab.state)))
    found = demo_ctx.hall.terminal_for_token(token)
    assert found is not None and (found.name, found.role, found.window, found.place) == (
        "1号窗口工作台", "clerk", 1, "一楼1号窗口")

    target = tmp_path / "terminal.toml"
    monkeypatch.setattr(dialog, "ask_save", lambda: str(target))
    assert dialog.save()
    assert target.read_text(encoding="utf-8") == dialog.config
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a password to the hall: the PC's user only
    assert load_file(target, required=True)["token"] == token  # what `main.py run --config` reads

    rows = {tab.table.item(r, 0).text(): tab.table.item(r, 4).text() for r in range(tab.table.rowCount())}
    assert rows == {"1号窗口工作台": "有效"}
    assert "已登记终端“1号窗口工作台”" in tab.last_message
    dialog.accept()
    assert tab.token_dialog is None  # closed: the token leaves the console with it
    assert tab.editing == "1号窗口工作台" and tab.save_button.text() == "保存修改"


def test_a_kiosk_in_the_form_names_no_window_even_after_the_list_is_read_again(console) -> None:
    tab = console.terminals
    register(tab, "大厅取号机A", "kiosk")
    tab.token_dialog.accept()
    tab.reload()  # as when the tab is shown again
    assert tab.f_window.currentIndex() == -1 and not tab.f_window.isEnabled()
    assert "不属于某个窗口" in tab.f_window.placeholderText()


def test_a_refused_registration_says_why_and_registers_nothing(console, demo_ctx) -> None:
    tab = console.terminals
    tab.new_terminal()
    tab.f_name.setText("   ")
    assert not tab.save()
    assert tab.last_message.startswith("未保存：") and "终端名称" in tab.last_message
    assert tab.token_dialog is None and demo_ctx.hall.terminals() == []
    register(tab, "大厅取号机A", "kiosk")
    tab.token_dialog.accept()
    tab.new_terminal()
    tab.f_name.setText("大厅取号机A")
    assert not tab.save()
    assert "已登记" in tab.last_message and "换发新令牌" in tab.last_message
    assert [t.name for t in demo_ctx.hall.terminals()] == ["大厅取号机A"]


def test_revoking_asks_first_then_the_token_dies_at_once(console, demo_ctx, monkeypatch) -> None:
    tab = console.terminals
    token = register(tab, "大厅取号机A", "kiosk", place="一楼入口")
    tab.token_dialog.accept()
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or False)
    assert not tab.revoke()
    assert demo_ctx.hall.terminal_for_token(token) is not None  # said no: nothing changed
    assert "立即失效" in asked[0]
    monkeypatch.setattr(tab, "confirm", lambda title, text: True)
    assert tab.revoke()
    assert demo_ctx.hall.terminal_for_token(token) is None
    assert tab.table.item(0, 4).text() == "已注销" and not tab.revoke_button.isEnabled()
    assert "已注销" in tab.state.text()
    event = demo_ctx.hall.events_since(0, 1000)[-1]
    assert (event.kind, event.clerk, event.data["terminal"]) == ("TerminalRevoked", MANAGER.login, "大厅取号机A")


def test_a_new_token_voids_the_old_one_and_brings_a_revoked_pc_back(console, demo_ctx, monkeypatch) -> None:
    tab = console.terminals
    old = register(tab, "大厅显示屏", "display")
    tab.token_dialog.accept()
    monkeypatch.setattr(tab, "confirm", lambda title, text: True)
    assert tab.revoke()
    assert tab.reissue()
    dialog = tab.token_dialog
    new = tomllib.loads(dialog.config)["token"]
    assert new != old and "旧令牌已失效" in dialog.windowTitle() + " ".join(
        label.text() for label in dialog.findChildren(type(tab.state)))
    assert demo_ctx.hall.terminal_for_token(old) is None
    assert demo_ctx.hall.terminal_for_token(new).name == "大厅显示屏"
    assert tab.table.item(0, 4).text() == "有效"
    dialog.accept()


def test_moving_a_clerk_pc_to_another_window_keeps_its_token_and_its_role(console, demo_ctx) -> None:
    tab = console.terminals
    token = register(tab, "窗口电脑07", "clerk", window=1)
    tab.token_dialog.accept()
    tab.edit_terminal("窗口电脑07")
    assert not tab.f_role.isEnabled()  # a PC that becomes something else is registered anew
    tab.f_window.setCurrentIndex(tab.f_window.findData(2))
    tab.f_place.setText("二楼2号窗口")
    assert tab.save(), tab.last_message
    moved = demo_ctx.hall.terminal_for_token(token)
    assert (moved.window, moved.place, moved.role) == (2, "二楼2号窗口", "clerk")
    assert tab.table.item(0, 2).text() == "2号"


def test_a_console_on_the_hall_server_registers_pcs_for_that_server_and_cannot_revoke_itself(qtbot, demo_ctx,
                                                                                            monkeypatch) -> None:
    import httpx

    from hallnet.runner import BackgroundServer
    from kiosk import open_hall
    from ui.app import create_application

    create_application()
    _, manager_token = demo_ctx.hall.add_terminal("管理后台", "manager")
    with BackgroundServer(demo_ctx.hall, daily_jobs=False) as server:
        client = open_hall(server.url, token=manager_token)
        remote = TerminalContext(client)
        try:
            c = AdminConsole(remote, sign_in(client))
            qtbot.addWidget(c)
            tab = c.terminals
            token = register(tab, "二楼取号机", "kiosk")
            assert tomllib.loads(tab.token_dialog.config)["hall"] == server.url
            tab.token_dialog.accept()
            answer = httpx.post(f"{server.url}/api/ping", headers={"Authorization": f"Bearer {token}"}, timeout=5)
            assert answer.status_code == 200 and answer.json()["terminal"] == "二楼取号机"

            monkeypatch.setattr(tab, "confirm", lambda title, text: pytest.fail("asked to revoke itself"))
            tab.edit_terminal("管理后台")
            assert not tab.revoke() and not tab.reissue()
            assert "本管理后台自己的登记" in tab.last_message
            assert demo_ctx.hall.terminal_for_token(manager_token) is not None
            drain_jobs()  # its reads land while it is open, not after its closing signed it out
            c.close()
        finally:
            drain_jobs()  # nothing the console started outlives its server
            remote.close()
            client.close()


def test_the_console_has_the_tab_beside_the_staff_accounts(console) -> None:
    titles = [console.tabs.tabText(i) for i in range(console.tabs.count())]
    assert titles.index("终端登记") == titles.index("人员账号") + 1



def test_a_kiosk_whose_printer_differs_gets_its_own_devices_from_the_console(console, demo_ctx) -> None:
    """Set on the console, read by the PC from the hall server when it starts: nobody edits a
    file on that PC. Only the devices its kind uses are offered; a bad port changes nothing."""
    tab = console.terminals
    register(tab, "二楼取号机", "kiosk", place="二楼电梯口")
    tab.token_dialog.accept()
    fields = tab.f_devices
    assert not fields.own.isChecked() and not fields.ports["printer"].isEnabled()  # the hall's settings
    fields.own.setChecked(True)
    fields.ports["printer"].setText("bogus://printer")
    assert not tab.save() and "端口“bogus://printer”无效" in tab.last_message
    assert next(t for t in demo_ctx.hall.terminals() if t.name == "二楼取号机").devices is None
    fields.ports["printer"].setText("/dev/ttyUSB1")
    fields.bauds["printer"].setCurrentIndex(fields.bauds["printer"].findData("19200"))
    fields.ports["scanner"].clear()  # this kiosk has no scanner
    assert tab.save(), tab.last_message
    stored = next(t for t in demo_ctx.hall.terminals() if t.name == "二楼取号机").devices
    assert stored is not None and stored["printer_port"] == "/dev/ttyUSB1" and stored["printer_baud"] == 19200
    assert stored["scanner_port"] == "" and "重新连接" in tab.last_message

    tab.edit_terminal("二楼取号机")  # shown again as stored
    assert fields.own.isChecked() and fields.ports["printer"].text() == "/dev/ttyUSB1"
    fields.own.setChecked(False)  # back to the hall's settings
    assert tab.save()
    assert next(t for t in demo_ctx.hall.terminals() if t.name == "二楼取号机").devices is None

    tab.new_terminal()
    tab.f_role.setCurrentIndex(tab.f_role.findData("display"))
    assert fields.own.isHidden() and "不用读卡器" in fields.note.text()  # (hidden: not merely off screen)
    tab.f_role.setCurrentIndex(tab.f_role.findData("clerk"))
    shown = {key: not row.isHidden() for key, (row, *_) in fields.rows.items()}
    assert not fields.own.isHidden() and shown == {"idcard": True, "printer": False, "scanner": False}
