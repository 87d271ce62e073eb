"""The clerk's workbench at one window: queue actions on the left, acceptance on the right.

Every hall call is a short local transaction and runs in the GUI thread; everything slow
(PDFs, files, the printer) goes through the worker pool. Every HallError is shown in the
message line in Chinese; the workbench never lets one escape and close the program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from devices.events import CardRead, CardRejected
from kiosk import idnumber
from kiosk.errors import HallError
from kiosk.events import RESYNC, SERVER_BACK, SERVER_LOST
from kiosk.models import Application, HallEvent, Notice, Staff, Ticket, TicketStatus
from ui import theme
from ui.clerk.acceptance import AcceptancePanel
from ui.clerk.dialogs import CallBackDialog, TransferDialog
from ui.clerk.docbar import DocumentBar
from ui.clerk.draft import DraftStore, default_draft_dir
from ui.clerk.pending import PendingPanel
from ui.clerk.queue_panel import ACTIONS, ActionButtons, CitizenCard, WaitingCounts
from ui.clerk.signin import SignInPage
from ui.context import TerminalContext
from ui.hall_alerts import AlertStrip

SERVER_LOST_TEXT = ("⚠ 与大厅服务器的连接已中断，正在自动重连。已录入的内容保存在本机草稿中，"
                    "连接恢复后可继续办理；叫号、受理等操作暂时无法完成。")
_QUEUE_EVENTS = ("Ticket", "Window", "Clerk", "Service", "Category")
DESK_PT = theme.DESK_PT


def desk_stylesheet() -> str:
    """Tighter than the kiosk theme, and a disabled button must look disabled whatever its role.

    The shared theme colours buttons by role with a selector that outranks :disabled, so a
    disabled 受理 would look live; here every disabled button is grey with a dashed border.
    """
    return f"""
    QPushButton {{ min-height: 32px; padding: 5px 14px; }}
    QPushButton[role="secondary-danger"] {{ background: {theme.CARD}; color: {theme.ACCENT};
        border: 2px solid {theme.ACCENT}; }}
    QPushButton[role="secondary-danger"]:hover {{ background: #fdecee; }}
    QPushButton:disabled, QPushButton[role="ok"]:disabled, QPushButton[role="danger"]:disabled,
    QPushButton[role="secondary"]:disabled, QPushButton[role="secondary-danger"]:disabled {{
        background: #e3e8ee; color: #4f5b69; border: 1px dashed #8895a5;
    }}
    QCheckBox[role="next-step"] {{ background: #fff4e0; color: {theme.WARN}; font-weight: bold;
        border: 2px solid {theme.WARN}; border-radius: 6px; padding: 4px 8px; }}
    QLineEdit, QComboBox {{ min-height: 24px; padding: 3px 6px; }}
    QLabel#title {{ font-size: {DESK_PT + 6}pt; }}
    QGroupBox {{ margin-top: 12px; padding-top: 6px; }}
    QTabBar::tab {{ padding: 6px 16px; min-height: 22px; }}
    QHeaderView::section {{ padding: 4px; }}
    """


class ClerkWorkbench(QMainWindow):
    """One window's desk screen. Public methods mirror the buttons so tests and scripts can drive it."""

    def __init__(self, ctx: TerminalContext, window: int, parent: QWidget | None = None, *,
                 card_reader: bool = False) -> None:
        """`card_reader`: this desk has its own ID card reader on the terminal's device stream
        (not on the demo, where the one simulated reader belongs to the kiosk)."""
        super().__init__(parent)
        self.ctx = ctx
        self.hall = ctx.hall
        self.window_number = window
        self.staff: Staff | None = None
        self.ticket: Ticket | None = None
        self.paused = False
        self.last_message = ""
        self.last_decision: Application | Notice | None = None
        draft_dir = default_draft_dir(self.hall.location())
        self.draft = DraftStore(draft_dir, window)
        self.window_info = next((w for w in self.hall.windows() if w.number == window), None)
        name = self.window_info.name if self.window_info else ""
        self.setWindowTitle(f"窗口工作台 — {window}号窗口 {name}")
        self.resize(1366, 768)
        self.setMinimumSize(1280, 720)
        font = self.font()
        font.setPointSize(DESK_PT)
        self.setFont(font)
        self.setStyleSheet(desk_stylesheet())
        self._build(draft_dir)
        self._bind_shortcuts()
        ctx.hall_events.event.connect(self._on_event)
        if card_reader:
            ctx.device_events.event.connect(self.on_device_event)
        self._show_signed_out()

    # --- layout ---------------------------------------------------------------------------

    def _build(self, draft_dir: Path) -> None:
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(12, 8, 12, 8)
        root.setSpacing(8)

        header = QHBoxLayout()
        w = self.window_info
        self.title = QLabel(f"{self.window_number}号窗口 · {w.name if w else ''}", objectName="title")
        self.title.setProperty("role", "title")
        header.addWidget(self.title)
        self.window_state = QLabel("", objectName="window-state")
        header.addWidget(self.window_state)
        header.addStretch(1)
        self.clerk_label = QLabel("未签到", objectName="clerk")
        self.clerk_label.setStyleSheet("font-weight: bold;")
        header.addWidget(self.clerk_label)
        self.sign_out_btn = QPushButton("签退", objectName="sign-out")
        self.sign_out_btn.setProperty("role", "secondary")
        self.sign_out_btn.clicked.connect(self.sign_out)
        header.addWidget(self.sign_out_btn)
        root.addLayout(header)
        # shown while the hall server cannot be reached: what is typed stays in the local draft
        self.server_banner = QLabel(SERVER_LOST_TEXT, objectName="server-lost")
        self.server_banner.setWordWrap(True)
        self.server_banner.setStyleSheet(f"background: {theme.WARN}; color: white; font-weight: bold; padding: 8px;")
        self.server_banner.hide()
        root.addWidget(self.server_banner)
        self.alerts = AlertStrip(self.hall, lambda: self.staff.login if self.staff else "")
        self.alerts.message.connect(self.show_message)
        root.addWidget(self.alerts)

        self.stack = QStackedWidget()
        self.signin = SignInPage(f"{self.window_number}号窗口 {w.name if w else ''}")
        self.signin.submitted.connect(self._sign_in_submitted)
        self.stack.addWidget(self.signin)

        work = QWidget()
        body = QHBoxLayout(work)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        left = QVBoxLayout()
        left.setSpacing(8)
        self.counts = WaitingCounts()
        self.counts.set_categories(self.hall.categories())
        self.actions = ActionButtons()
        for name, button in self.actions.buttons.items():
            button.clicked.connect(self._action(name))
        self.citizen = CitizenCard()
        left.addWidget(self.counts)
        left.addWidget(self.actions)
        left.addWidget(self.citizen, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setFixedWidth(360)
        body.addWidget(left_box)

        self.tabs = QTabWidget(objectName="tabs")
        accept_page = QWidget()
        accept_lay = QVBoxLayout(accept_page)
        accept_lay.setContentsMargins(0, 0, 0, 8)
        self.acceptance = AcceptancePanel(self.hall, self.window_number)
        self.acceptance.changed.connect(self._save_draft)
        self.acceptance.decided.connect(self._decided)
        self.acceptance.failed.connect(self._show_error)
        self.documents = DocumentBar(self.hall, draft_dir / f"last-documents-window-{self.window_number}.json")
        self.documents.message.connect(self.show_message)
        accept_lay.addWidget(self.acceptance, 1)
        accept_lay.addWidget(self.documents)
        self.tabs.addTab(accept_page, "材料核验与受理")
        self.pending = PendingPanel(self.hall)
        self.pending.message.connect(self.show_message)
        self.tabs.addTab(self.pending, "容缺待补材料")
        self.tabs.currentChanged.connect(self._tab_changed)
        body.addWidget(self.tabs, 1)
        self.stack.addWidget(work)
        root.addWidget(self.stack, 1)

        self.message = QLabel(" ", objectName="message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(30)
        root.addWidget(self.message)
        self.setCentralWidget(central)

    def _bind_shortcuts(self) -> None:
        """F1-F7 work wherever the focus is in this window, and only when their button would."""
        self.shortcuts: dict[str, QShortcut] = {}
        for name, (_label, key) in ACTIONS.items():
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(self._action(name, via_key=True))
            self.shortcuts[name] = sc

    def _action(self, name: str, via_key: bool = False) -> Callable[[], None]:
        def run() -> None:
            if via_key and not self.actions.buttons[name].isEnabled():
                return
            {"call_next": self.call_next, "recall": self.recall, "skip": self.skip, "transfer": self.transfer,
             "pause": self.toggle_pause, "start": self.start, "finish": self.finish,
             "call_back": self.call_back}[name]()
        return run

    # --- messages ---------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        self.last_message = text
        colour = theme.ACCENT if error else theme.TEXT
        self.message.setStyleSheet(f"color: {colour}; font-weight: {'bold' if error else 'normal'};")
        self.message.setText(("⚠ " if error else "ℹ ") + text)

    def on_device_event(self, event: object) -> None:
        """A card laid on the desk reader while a citizen is served fills the applicant, unless
        the clerk has already entered someone: a reader re-reading must not overwrite them."""
        if isinstance(event, CardRead) and self.ticket is not None:
            form = self.acceptance.applicant
            if form.id_number.value() or form.name.text().strip():
                return
            card = event.card
            form.fill_from_card(card.name or card.name_en, card.id_number)
            self.show_message(f"已读取身份证：{idnumber.mask_name(card.name or card.name_en)}"
                              f" {idnumber.mask_id(card.id_number)}")
        elif isinstance(event, CardRejected) and self.ticket is not None:
            self.show_message(event.message, error=True)

    def _show_error(self, text: str) -> None:
        self.show_message(text, error=True)

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.pending.refresh()

    def _guard(self, fn: Callable[[], Any]) -> Any:
        """Run a hall call; a refusal becomes a message, never an exception in the event loop."""
        try:
            return fn()
        except HallError as exc:
            self.show_message(str(exc), error=True)
        except ValueError as exc:  # e.g. an ID number the core refuses
            self.show_message(str(exc), error=True)
        return None

    # --- signing in and out -------------------------------------------------------------------

    def _sign_in_submitted(self, login: str, password: str) -> None:
        self.sign_in(login, password)

    def sign_in(self, login: str, password: str) -> bool:
        try:
            staff = self.hall.sign_in(self.window_number, login, password)
        except HallError as exc:
            self.signin.show_error(str(exc))
            return False
        self.staff = staff
        self.signin.reset()
        self.acceptance.set_clerk(staff.login)
        self.pending.set_clerk(staff.name)
        self.clerk_label.setText(f"受理人：{staff.name}（{staff.login}）")
        self.sign_out_btn.setVisible(True)
        self.stack.setCurrentIndex(1)
        self.show_message(f"{staff.name} 已在{self.window_number}号窗口签到")
        saved = self.draft.load()  # before refresh() writes the freshly loaded ticket over it
        self.refresh(reload_ticket=True)
        self._restore_draft(saved)
        self.documents.restore_last()
        self.pending.refresh()
        self.alerts.refresh()  # the buttons to take a helper call need someone signed in
        return True

    def sign_out(self) -> None:
        if self._guard(lambda: self.hall.sign_out(self.window_number) or True):
            self.staff = None
            self._show_signed_out()
            self.show_message("已签退")

    def _show_signed_out(self) -> None:
        self.stack.setCurrentIndex(0)
        self.clerk_label.setText("未签到")
        self.sign_out_btn.setVisible(False)
        self.window_state.setText("")
        for b in self.actions.buttons.values():
            b.setEnabled(False)

    @property
    def clerk(self) -> str:
        return self.staff.login if self.staff else ""

    # --- queue actions ----------------------------------------------------------------------------

    def call_next(self) -> Ticket | None:
        if self.staff is None:
            return None
        t = self._guard(lambda: self.hall.call_next(self.window_number, self.clerk))
        if t is None:
            if not self.last_message.startswith(("请先", f"{self.window_number}号窗口")):
                self.show_message("暂无等候的号码")
            self.refresh()
            return None
        self.show_message(f"已呼叫 {t.number} 号：请 {t.number} 号 到 {self.window_number} 号窗口 办理")
        self.refresh(reload_ticket=True)
        return t

    def recall(self) -> None:
        if self.ticket is None:
            return
        call = self._guard(lambda: self.hall.recall(self.ticket.id, self.window_number, self.clerk))
        if call is not None:
            self.show_message(f"已重呼：{call.text}")
        self.refresh()

    def skip(self) -> None:
        if self.ticket is None:
            return
        t = self._guard(lambda: self.hall.skip(self.ticket.id, self.window_number, self.clerk))
        if t is not None:
            word = "已作废（过号次数超限）" if t.status is TicketStatus.ABANDONED else "已过号，可稍后过号重呼"
            self.show_message(f"{t.number} 号{word}")
            self._end_ticket()

    def start(self) -> None:
        if self.ticket is None:
            return
        t = self._guard(lambda: self.hall.start_service(self.ticket.id, self.window_number, self.clerk))
        if t is not None:
            self.show_message(f"{t.number} 号开始办理")
        self.refresh()

    def finish(self) -> None:
        if self.ticket is None:
            return
        t = self._guard(lambda: self.hall.finish(self.ticket.id, self.window_number, self.clerk))
        if t is not None:
            self.show_message(f"{t.number} 号办结，请申请人在评价器上评价")
            self._end_ticket()

    def transfer(self, to_category: str = "", to_window: int | None = None) -> Ticket | None:
        """With no target, asks in a dialog; with one (tests, scripts), transfers at once."""
        if self.ticket is None:
            return None
        if not to_category and to_window is None:
            dialog = TransferDialog(self.ticket, self.hall.categories(), self.hall.windows(), self.window_number, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            to_category, to_window = dialog.choice()
        ticket = self.ticket
        t = self._guard(lambda: self.hall.transfer(ticket.id, to_category=to_category, to_window=to_window,
                                                   window=self.window_number, clerk=self.clerk))
        if t is not None:
            where = f"{to_window}号窗口" if to_window is not None else f"“{t.category_name}”"
            self.show_message(f"{t.number} 号已转到{where}，保留原取号时间")
            self._end_ticket()
        return t

    def call_back(self, ticket_id: int | None = None) -> Ticket | None:
        """过号重呼: a skipped citizen has turned up; with no ticket given, asks which one."""
        if self.staff is None:
            return None
        if ticket_id is None:
            skipped = self._guard(lambda: self.hall.tickets(status=TicketStatus.SKIPPED)) or []
            if not skipped:
                self.show_message("今天没有过号的号码")
                return None
            dialog = CallBackDialog(skipped, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            ticket_id = dialog.choice()
            if ticket_id is None:
                return None
        chosen = ticket_id
        t = self._guard(lambda: self.hall.call_back(chosen, self.window_number, self.clerk))
        if t is not None:
            self.show_message(f"已重呼 {t.number} 号到本窗口")
            self.refresh(reload_ticket=True)
        return t

    def toggle_pause(self) -> None:
        if self.staff is None:
            return
        if self.paused:
            ok = self._guard(lambda: self.hall.resume_window(self.window_number, self.clerk) or True)
            if ok:
                self.show_message("已恢复服务")
        else:
            ok = self._guard(lambda: self.hall.pause_window(self.window_number, self.clerk) or True)
            if ok:
                self.show_message("已暂停服务，叫号已停止")
        self.refresh()

    def _end_ticket(self) -> None:
        """The citizen left the window (done, skipped, transferred): their draft and their papers
        go with them, so no key prints a stranger's document for the next citizen."""
        self.draft.delete()
        self.documents.clear()
        self.last_decision = None
        self.refresh(reload_ticket=True)

    # --- refreshing -------------------------------------------------------------------------------

    def refresh(self, reload_ticket: bool = False) -> None:
        status = self._guard(self.hall.queue_status)
        if status is not None:
            self.counts.update_counts(status.waiting)
            mine = next((w for w in status.windows if w.number == self.window_number), None)
            self.paused = bool(mine and mine.paused)
        previous = self.ticket.id if self.ticket else None
        self.ticket = self._guard(lambda: self.hall.current_ticket(self.window_number))
        self.citizen.show_ticket(self.ticket)
        current = self.ticket.id if self.ticket else None
        if reload_ticket and current != previous:
            self.acceptance.load_ticket(self.ticket)
            self._save_draft()
        self._update_buttons()

    def _update_buttons(self) -> None:
        signed = self.staff is not None
        t = self.ticket
        called = t is not None and t.status is TicketStatus.CALLED
        active = t is not None and t.status in (TicketStatus.CALLED, TicketStatus.SERVING)
        enabled = {
            "call_next": signed and not self.paused and not active,
            "recall": signed and called,
            "skip": signed and called,
            "transfer": signed and active,
            "pause": signed and (self.paused or not active),
            "start": signed and called,
            "finish": signed and active,
            "call_back": signed and not self.paused and not active,
        }
        for name, on in enabled.items():
            self.actions.buttons[name].setEnabled(on)
        self.actions.set_paused(self.paused)
        if signed:
            self.window_state.setText("Ⅱ 暂停服务" if self.paused else "● 服务中")
            self.window_state.setStyleSheet(f"color: {theme.WARN if self.paused else theme.OK}; font-weight: bold;")

    def _on_event(self, event: object) -> None:
        self.alerts.on_event(event)
        if isinstance(event, HallEvent) and event.kind in (SERVER_LOST, SERVER_BACK):
            self.set_server_reachable(event.kind == SERVER_BACK)
            return
        if isinstance(event, HallEvent) and event.kind == RESYNC and self.staff is not None:
            self.refresh(reload_ticket=True)
            return
        if not isinstance(event, HallEvent) or self.staff is None:
            return
        if event.kind.startswith(_QUEUE_EVENTS):
            mine = event.window == self.window_number or (self.ticket and event.ticket_id == self.ticket.id)
            self.refresh(reload_ticket=bool(mine))
        if event.kind.startswith(("Pending", "Application", "Notice")) and self.tabs.currentIndex() == 1:
            self.pending.refresh()

    def set_server_reachable(self, reachable: bool) -> None:
        """A banner while the hall server is away; on its return the desk re-reads the window."""
        self.server_banner.setVisible(not reachable)
        if reachable and self.staff is not None:
            self.refresh()

    # --- decisions and drafts -------------------------------------------------------------------

    def _decided(self, record: Application | Notice) -> None:
        self.last_decision = record
        self.draft.delete()
        self.documents.show_decision(record)
        if isinstance(record, Notice):
            self.show_message(f"已出具一次性告知书 {record.number}（共{len(record.items)}项），请打印交申请人签收")
        else:
            extra = f"，{len(record.pending)}项容缺材料待补" if record.pending else ""
            self.show_message(f"已受理，办件编号 {record.number}{extra}；请打印回执")
            if record.pending:
                self.documents.select("rongque")
        self.acceptance.load_ticket(None)

    def _save_draft(self) -> None:
        if self.acceptance.has_work():
            self.draft.save(self.acceptance.state())

    def _restore_draft(self, saved: dict | None) -> None:
        """Put back an interrupted check, if it belongs to the ticket now at this window (or none)."""
        if not saved:
            return
        current = self.ticket.id if self.ticket else None
        if saved.get("ticket_id") not in (None, current):
            return
        self.acceptance.load_ticket(self.ticket, draft=saved)
        self._save_draft()
        self.show_message(f"已恢复未完成的材料核验（{saved.get('ticket_number') or '无号码'}），身份证号码请重新录入")

    def save_pdf(self, path: Path, kind: str | None = None) -> None:
        """Save the last decision's document of `kind` (receipt / rongque / notice) without a dialog."""
        if kind:
            self.documents.select(kind)
        self.documents.save_to(Path(path))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Keep the draft on disk synchronously: the pool may not run again after this."""
        if self.acceptance.has_work():
            self.draft.write_now(self.acceptance.state())
        try:
            self.ctx.hall_events.event.disconnect(self._on_event)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)
