"""The manager's console: one tab per thing a hall manager looks after.

Only a manager gets the tabs; anyone else sees why not. Tabs re-read the hall when shown, so
a change made at another terminal (a clerk's sign-in, a new window) is there without a restart.
On a networked hall a banner says when the hall server is away (or refuses this PC's token), as
every save would fail meanwhile; it goes when the server is back, and the open tab reads again.

On a hall server the console acts as a manager only while one is signed in on it: the server
asks again (`SignInNeeded`) on a new day, once the account is disabled or its password changed,
or once the PC is re-registered. The console then shows its login again, and signs its manager
out when it closes, so the PC left behind is nobody's.
"""

from __future__ import annotations

import contextlib

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from kiosk.errors import HallError
from kiosk.events import SERVER_BACK, SERVER_LOST, refusal
from kiosk.models import HallEvent, Staff
from ui import theme
from ui.admin.access_tab import AccessTab
from ui.admin.board_tab import BoardTab
from ui.admin.calendar_tab import CalendarTab
from ui.admin.catalog_tab import CatalogTab
from ui.admin.common import AdminTab, title_label
from ui.admin.report_tab import ReportTab
from ui.admin.reviews_tab import ReviewsTab
from ui.admin.settings_tab import SettingsTab
from ui.admin.staff_tab import StaffTab
from ui.admin.terminals_tab import TerminalsTab
from ui.admin.windows_tab import WindowsTab
from ui.context import TerminalContext
from ui.login import ManagerLogin

SIGNED_IN_AGAIN = "已重新登录，请再操作一次"
LOGIN_AGAIN = "本机的管理员登录已失效（已过一天、账号被停用或改了密码，或本机令牌被换发），请重新登录"


class AdminConsole(QWidget):
    """`AdminConsole(ctx, staff)`; the tabs are attributes (catalog, windows, staff_tab, ...)."""

    def __init__(self, ctx: TerminalContext, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.staff = staff
        self.login_again: ManagerLogin | None = None  # the login shown again, while it is open
        self._declined = False  # the manager cancelled it: only their own next action asks again
        self._signed_out = False
        self.setWindowTitle("大厅管理")
        self.resize(1366, 768)
        # a desk screen for one manager: denser text and fields than the touch screens, so a
        # matter's checklist fits at 1366 x 768 (a style sheet, as the application's own one
        # would otherwise keep every child at the kiosk's size)
        self.setStyleSheet(f"QWidget {{ font-size: {theme.DESK_PT}pt; }}"
                           f" QLabel[role=\"title\"] {{ font-size: {theme.DESK_PT + 6}pt; }}"
                           " QLineEdit, QComboBox, QSpinBox, QDateEdit { min-height: 22px; padding: 3px 6px; }"
                           f" QLineEdit:read-only {{ background: {theme.BG}; color: {theme.MUTED}; }}"
                           " QPushButton { min-height: 30px; padding: 4px 14px; }"
                           " QTableWidget QComboBox { min-height: 0; padding: 0 4px; border: none; }")
        root = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(title_label(f"{ctx.hall.settings().hall_name} · 大厅管理"))
        head.addStretch(1)
        self.who = QLabel(f"当前管理员：{staff.name}（{staff.login}）")
        head.addWidget(self.who)
        root.addLayout(head)
        self.server_banner = QLabel("", objectName="server-lost")
        self.server_banner.setWordWrap(True)
        self.server_banner.setStyleSheet(f"background: {theme.WARN}; color: white; font-weight: bold; padding: 8px;")
        self.server_banner.hide()
        root.addWidget(self.server_banner)
        ctx.hall_events.event.connect(self._on_event)
        self.tabs = QTabWidget()
        root.addWidget(self.tabs, 1)
        if staff.role != "manager" or not staff.active:
            refusal = QLabel("大厅管理仅限管理员账号使用。请用管理员账号登录。")
            refusal.setProperty("role", "title")
            self.tabs.addTab(refusal, "无权限")
            return
        hall = ctx.hall
        self.board = BoardTab(hall, staff.login)
        ctx.hall_events.event.connect(self.board.on_event)
        self.catalog = CatalogTab(hall)
        self.windows = WindowsTab(hall)
        self.staff_tab = StaffTab(hall, staff)
        self.terminals = TerminalsTab(hall, staff)
        self.settings = SettingsTab(hall)
        self.calendar = CalendarTab(hall)
        self.reports = ReportTab(hall)
        self.reviews = ReviewsTab(hall, staff.login)
        self.access = AccessTab(hall)
        for tab in self.all_tabs():
            self.tabs.addTab(tab, tab.title)
            tab.sign_in_needed.connect(self.sign_in_again)
        self.tabs.currentChanged.connect(self._tab_shown)

    def all_tabs(self) -> list[AdminTab]:
        return [self.board, self.catalog, self.windows, self.staff_tab, self.terminals, self.settings, self.calendar,
                self.reports, self.reviews, self.access]

    def show_hall_error(self, said: BaseException | str) -> None:
        """What ui.errors shows for an error no button caught: on the open tab's message line."""
        tab = self.tabs.currentWidget()
        if isinstance(tab, AdminTab):
            tab.show_refusal(said)
        else:
            QMessageBox.warning(self, "操作未完成", str(said))

    def sign_in_again(self, by_manager: bool = True) -> None:
        """The hall server no longer takes this console for a manager: its login again, instead
        of a red 未保存 line no retry can clear. One at a time; once the manager has cancelled it,
        only their own next refused action asks again, not the board's reads every few seconds."""
        if self.login_again is not None or (self._declined and not by_manager):
            return
        dialog = ManagerLogin(self.ctx.hall, parent=self)
        if not dialog.message.text():  # (else it says the hall has no manager account at all)
            dialog.message.setText(LOGIN_AGAIN)
        dialog.finished.connect(lambda _result: self._login_closed(dialog))
        self.login_again = dialog
        dialog.open()  # modal to the console, without a loop of its own: the tabs' jobs carry on

    def _login_closed(self, dialog: ManagerLogin) -> None:
        self.login_again = None
        dialog.deleteLater()
        if dialog.staff is None:
            self._declined = True
            return
        self._declined = False
        self.set_manager(dialog.staff)
        tab = self.tabs.currentWidget()
        if isinstance(tab, AdminTab):
            tab.message.show_ok(SIGNED_IN_AGAIN)  # the refused action is the manager's to do again

    def set_manager(self, staff: Staff) -> None:
        """Who the console acts for from now on: another manager may sign in the next morning,
        and what the tabs record as done `by` is theirs."""
        self.staff = staff
        self.who.setText(f"当前管理员：{staff.name}（{staff.login}）")
        if self.tabs.count() and isinstance(self.tabs.widget(0), AdminTab):
            self.staff_tab.me = staff
            self.terminals.me = staff
            self.board.alerts.login = lambda: staff.login

    def sign_out(self) -> None:
        """End this console's session on the hall server (its window closes, or the program
        stops): the PC left behind is no manager's. A hall on this PC keeps no sessions, and a
        server that is away is not waited for (the session ends with the day in any case)."""
        hall = self.ctx.hall
        if self._signed_out or not getattr(hall, "remote", False) or not getattr(hall, "connected", True):
            return
        self._signed_out = True
        with contextlib.suppress(HallError):
            hall.end_console_session()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.sign_out()
        super().closeEvent(event)

    def _on_event(self, event: object) -> None:
        if not isinstance(event, HallEvent) or event.kind not in (SERVER_LOST, SERVER_BACK):
            return
        refused = refusal(event)
        self.server_banner.setText(
            f"⚠ 大厅服务器不再接受本机：{refused.rstrip('。')}。请在大厅服务器上用 terminal 命令为本机换发令牌。"
            if refused else "⚠ 与大厅服务器的连接已中断，正在自动重连；此时的修改无法保存，连接恢复后请重试。")
        self.server_banner.setVisible(event.kind == SERVER_LOST)
        if event.kind == SERVER_BACK and self.tabs.count():
            self._tab_shown(self.tabs.currentIndex())  # what changed meanwhile

    def _tab_shown(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, ReportTab):
            tab.refresh_today()
        elif isinstance(tab, AdminTab) and not isinstance(tab, SettingsTab | CatalogTab):
            tab.reload()  # settings and catalog keep unsaved edits when the manager looks elsewhere
