"""The hall's PCs: register one (its token shown once, as the config file that PC starts from),
move it to another window, say where it stands, revoke it or give it a new token.

A manager does this here rather than with `terminal add` on the server: carrying a file to a new
kiosk is a manager's job, typing a command on the server is not. The token is shown only in the
dialog that follows its making; the hall keeps its hash.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.hall_terminals import ROLE_NAMES, terminal_config
from kiosk.models import Staff, Terminal
from ui.admin.common import AdminTab, action_button, button_row, muted_label, record_table, select_row
from ui.admin.terminal_devices import DeviceFields

COLUMNS = ("名称", "类型", "窗口", "位置", "状态", "最近联系")
WINDOWED = ("clerk", "evaluator")
# what a console that is not itself on a hall server writes as the server's address
NO_SERVER_URL = "https://大厅服务器地址:8470"


class TokenDialog(QDialog):
    """The one time a token is seen: as the PC's whole config file, to save or copy."""

    def __init__(self, terminal: Terminal, token: str, hall_url: str, parent: QWidget | None = None,
                 *, reissued: bool = False) -> None:
        super().__init__(parent)
        self.terminal = terminal
        self.config = terminal_config(terminal, token, hall_url or NO_SERVER_URL)
        self.saved_to: Path | None = None
        self.setWindowTitle("新令牌（只显示这一次）" if reissued else "终端已登记：令牌只显示这一次")
        self.setMinimumWidth(720)
        lay = QVBoxLayout(self)
        where = f"，{terminal.window}号窗口" if terminal.window else ""
        what = "已换发新令牌，旧令牌已失效" if reissued else "已登记"
        lay.addWidget(QLabel(f"终端“{terminal.name}”（{ROLE_NAMES.get(terminal.role, terminal.role)}{where}）{what}。"))
        steps = ("请把下面的配置保存为文件，带到那台电脑，放在用户配置目录"
                 "（~/.config/service-hall-terminal/terminal.toml），或启动时用 --config 指定，"
                 "然后在那台电脑上运行 python main.py run。关闭本窗口后令牌无法再查看；丢失了就为它换发新令牌。")
        if not hall_url:
            steps += "\n本机不是通过大厅服务器运行的：请把 hall 一行改为大厅服务器的地址。"
        lay.addWidget(muted_label(steps))
        self.text = QPlainTextEdit(self.config)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setMinimumHeight(150)
        lay.addWidget(self.text)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        self.save_button = action_button("保存为配置文件…", self.save, "ok")
        lay.addLayout(button_row([action_button("复制到剪贴板", self.copy, "secondary")],
                                 [self.save_button, action_button("关闭", self.accept, "secondary")]))

    def ask_save(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "保存终端配置", "terminal.toml", "终端配置 (*.toml)")
        return path

    def save(self) -> bool:
        path = self.ask_save()
        if not path:
            return False
        try:
            # the token is a password to the hall: readable by the PC's user only
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.config)
        except OSError as exc:
            self.message.setText(f"未保存：文件无法写入（{exc.strerror or exc}）")
            return False
        self.saved_to = Path(path)
        self.message.setText(f"已保存到 {path}")
        return True

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.config)
        self.message.setText("已复制；粘贴后请勿留在聊天记录或邮件里")


class TerminalsTab(AdminTab):
    title = "终端登记"

    def __init__(self, hall: Hall, me: Staff, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.me = me
        self.hall_url = getattr(hall, "url", "") if getattr(hall, "remote", False) else ""
        self._devices_shown: dict | None = None  # the PC's own devices as stored, to tell a change
        self.token_dialog: TokenDialog | None = None
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        body = QHBoxLayout()
        root.addLayout(body, 1)
        left = QVBoxLayout()
        self.table = record_table(COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        left.addWidget(self.table, 1)
        left.addWidget(muted_label("每台电脑（取号机、窗口工作台、评价器、显示屏、管理后台）登记一次，凭令牌连接大厅服务器；"
                                   "电脑丢失或报废时注销它，令牌立即失效。"))
        body.addLayout(left, 3)

        box = QGroupBox("终端")
        form = QFormLayout(box)
        self.f_name = QLineEdit()
        self.f_name.setPlaceholderText("如：大厅取号机A、3号窗口")
        self.f_role = QComboBox()
        for key, label in ROLE_NAMES.items():
            self.f_role.addItem(label, key)
        self.f_role.currentIndexChanged.connect(self._role_changed)
        self.f_role.currentIndexChanged.connect(self._role_picked)
        self.f_window = QComboBox()
        self.f_window.setPlaceholderText("不属于某个窗口（只有窗口工作台和评价器属于窗口）")
        self.f_place = QLineEdit()
        self.f_place.setPlaceholderText("如：一楼东侧入口（帮办呼叫时告诉工作人员去哪里）")
        form.addRow("名称", self.f_name)
        form.addRow("类型", self.f_role)
        form.addRow("窗口", self.f_window)
        form.addRow("位置", self.f_place)
        self.f_devices = DeviceFields()
        form.addRow(self.f_devices)
        self.state = muted_label("")
        form.addRow(self.state)
        self.revoke_button = action_button("注销", self.revoke, "secondary")
        self.reissue_button = action_button("换发令牌", self.reissue, "secondary")
        self.save_button = action_button("登记", self.save, "ok")
        form.addRow(button_row([action_button("新建终端", self.new_terminal, "secondary")],
                               [self.revoke_button, self.reissue_button, self.save_button]))
        body.addWidget(box, 2)
        self.reload()
        self.new_terminal()

    # --- what is shown ---------------------------------------------------------------------

    @property
    def editing(self) -> str:
        """The registered terminal in the form, or "" while a new one is being entered."""
        return self.f_name.text() if self.f_name.isReadOnly() else ""

    def own_name(self) -> str:
        """The console's own registration (on a hall server), which it may not revoke."""
        return str((getattr(self.hall, "me", None) or {}).get("terminal", ""))

    def reload(self) -> None:
        terminals = self.hall.terminals()
        windows = self.hall.windows()
        chosen = self.f_window.currentData()
        self.f_window.blockSignals(True)
        self.f_window.clear()
        for w in windows:
            self.f_window.addItem(f"{w.number}号窗口 {w.name}", w.number)
        if chosen is not None and self.f_window.findData(chosen) >= 0:
            self.f_window.setCurrentIndex(self.f_window.findData(chosen))
        self._role_changed()  # refilled, the list would name a window a kiosk does not have
        self.f_window.blockSignals(False)
        self.table.blockSignals(True)
        self.table.setRowCount(len(terminals))
        for r, t in enumerate(terminals):
            seen = f"{t.last_seen_at:%m-%d %H:%M}" if t.last_seen_at else "从未连接"
            cells = (t.name, ROLE_NAMES.get(t.role, t.role), f"{t.window}号" if t.window else "—", t.place or "—",
                     "已注销" if t.revoked_at else "有效", seen)
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.blockSignals(False)
        if self.editing:
            select_row(self.table, 0, self.editing)
            found = next((t for t in terminals if t.name == self.editing), None)
            if found is not None:
                self._show_state(found)

    def _selected(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.edit_terminal(self.table.item(r, 0).text())

    def edit_terminal(self, name: str) -> None:
        t = next(t for t in self.hall.terminals() if t.name == name)
        select_row(self.table, 0, name)
        self.f_name.setText(t.name)
        self.f_name.setReadOnly(True)
        self.f_role.setCurrentIndex(self.f_role.findData(t.role))
        self.f_role.setEnabled(False)  # a PC that becomes something else is registered anew
        if t.window is not None and self.f_window.findData(t.window) >= 0:
            self.f_window.setCurrentIndex(self.f_window.findData(t.window))
        self._role_changed()
        self.f_place.setText(t.place)
        self.f_devices.show_for(t.role, t.devices, self.hall.settings())
        self._devices_shown = t.devices
        self._show_state(t)
        self.save_button.setText("保存修改")

    def _show_state(self, t: Terminal) -> None:
        registered = f"{t.created_at:%Y-%m-%d} 登记"
        if t.revoked_at:
            self.state.setText(f"{registered}，{t.revoked_at:%Y-%m-%d %H:%M} 已注销：换发令牌可让它重新使用")
        else:
            seen = f"最近联系 {t.last_seen_at:%Y-%m-%d %H:%M}" if t.last_seen_at else "还从未连接"
            self.state.setText(f"{registered}，{seen}")
        self.revoke_button.setEnabled(t.revoked_at is None)
        self.reissue_button.setEnabled(True)

    def new_terminal(self) -> None:
        self.table.clearSelection()
        self.f_name.clear()
        self.f_name.setReadOnly(False)
        self.f_role.setEnabled(True)
        self.f_role.setCurrentIndex(self.f_role.findData("kiosk"))
        self._role_changed()
        self._role_picked()
        self.f_place.clear()
        self.state.setText("登记后会显示它的令牌和配置文件，只显示这一次。")
        self.revoke_button.setEnabled(False)
        self.reissue_button.setEnabled(False)
        self.save_button.setText("登记")

    def _role_picked(self) -> None:
        """A new PC starts on the hall's devices, offering what its kind uses."""
        if not self.editing:
            self.f_devices.show_for(self.f_role.currentData(), None, self.hall.settings())
            self._devices_shown = None

    def _role_changed(self) -> None:
        windowed = self.f_role.currentData() in WINDOWED
        self.f_window.setEnabled(windowed)
        if not windowed:
            self.f_window.setCurrentIndex(-1)  # shows the placeholder: no window is implied
        elif self.f_window.currentIndex() < 0 and self.f_window.count():
            self.f_window.setCurrentIndex(0)

    # --- changes --------------------------------------------------------------------------

    def _window(self) -> int | None:
        return self.f_window.currentData() if self.f_role.currentData() in WINDOWED else None

    def _save_devices(self, name: str) -> None:
        """The PC's own devices, when they changed (it reads them when it starts)."""
        devices = self.f_devices.devices()
        if devices != self._devices_shown:
            self.hall.set_terminal_devices(name, devices, by=self.me.login)
            self._devices_shown = devices

    def save(self) -> bool:
        name, place = self.f_name.text().strip(), self.f_place.text().strip()
        problems = self.f_devices.problems()
        if problems:
            self.message.show_error("；".join(problems))
            return False
        if self.editing:

            def change() -> None:
                self.hall.update_terminal(name, self._window(), place, by=self.me.login)
                self._save_devices(name)

            ok = self.attempt(change, f"已保存终端“{name}”；设备的改动它会立即按新设置重新连接")
            if ok:
                self.reload()
            return ok
        made: list[tuple[Terminal, str]] = []
        own = self.f_devices.devices()
        if not self.attempt(lambda: made.append(self.hall.add_terminal(name, self.f_role.currentData(),
                                                                      self._window(), place, by=self.me.login)),
                            f"已登记终端“{name}”：请保存它的配置文件"):
            return False
        # its devices after its token is safe: a refusal here must not lose the token shown once
        devices_saved = own is None or self.attempt(
            lambda: self.hall.set_terminal_devices(name, own, by=self.me.login),
            f"已登记终端“{name}”和它的设备：请保存它的配置文件")
        terminal, token = made[0]
        self.f_name.setText(terminal.name)
        self.f_name.setReadOnly(True)
        self.reload()
        self.edit_terminal(terminal.name)
        self._show_token(terminal, token, reissued=False)
        return devices_saved

    def _token_change_asked(self, title: str, consequence: str) -> str:
        """The PC in the form, once the manager has confirmed; "" if there is none, it is this
        console itself (it would lock itself out), or the manager said no."""
        name = self.editing
        if not name:
            return ""
        if name == self.own_name():
            self.message.show_error(f"“{name}”是本管理后台自己的登记，{title}后本机的令牌立即失效；"
                                    "请在另一台管理后台或大厅服务器上办理")
            return ""
        return name if self.confirm(title, f"{title}“{name}”：{consequence}\n确定{title}吗？") else ""

    def revoke(self) -> bool:
        name = self._token_change_asked("注销", "它的令牌立即失效，这台电脑将无法连接大厅服务器。")
        if not name:
            return False
        ok = self.attempt(lambda: self.hall.revoke_terminal(name, by=self.me.login),
                          f"已注销终端“{name}”，它的令牌不再有效")
        self.reload()
        return ok

    def reissue(self) -> bool:
        name = self._token_change_asked("换发令牌", "它现在的令牌立即失效，要把新的配置文件带到那台电脑上。")
        if not name:
            return False
        made: list[tuple[Terminal, str]] = []
        if not self.attempt(lambda: made.append(self.hall.reissue_terminal(name, by=self.me.login)),
                            f"已为“{name}”换发新令牌，旧令牌已失效：请保存它的配置文件"):
            return False
        self.reload()
        self._show_token(*made[0], reissued=True)
        return True

    def _show_token(self, terminal: Terminal, token: str, *, reissued: bool) -> None:
        if self.token_dialog is not None:
            self.token_dialog.close()
            self.token_dialog.deleteLater()
        self.token_dialog = TokenDialog(terminal, token, self.hall_url, self, reissued=reissued)
        self.token_dialog.finished.connect(self._token_dialog_closed)
        self.token_dialog.open()  # window-modal, not a nested loop: the console keeps running

    def _token_dialog_closed(self) -> None:
        """Closed: the token leaves the console's memory with the dialog."""
        if self.token_dialog is not None:
            self.token_dialog.deleteLater()
            self.token_dialog = None
