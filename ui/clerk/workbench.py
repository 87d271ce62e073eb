"""The clerk's workbench at one window: queue actions on the left, acceptance on the right.

Every hall call is a short local transaction and runs in the GUI thread; everything slow
(PDFs, files, the printer) goes through the worker pool. Every HallError is shown in the
message line in Chinese; the workbench never lets one escape and close the program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
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
from kiosk.events import RESYNC, SERVER_BACK, SERVER_LOST, refusal
from kiosk.models import FINISH_REASONS, NO_SHOW, Application, HallEvent, Notice, Staff, Ticket, TicketStatus
from ui import theme
from ui.busy import after_wait, at_desk
from ui.clerk import documents as D
from ui.clerk.acceptance import KEYS, AcceptancePanel
from ui.clerk.confirm import FinishDialog
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
SERVER_REFUSED_TEXT = ("⚠ 大厅服务器不再接受本机：{reason}。本机令牌可能已被注销或换发，请大厅管理员在"
                       "管理后台“终端登记”中为本机换发令牌后重新配置；已录入的内容保存在本机草稿中。")
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
        self.result_text = ""  # what the last action did, in the banner until the next citizen
        self.finish_dialog: FinishDialog | None = None
        self.transfer_dialog: TransferDialog | None = None  # while F4 asks where to
        self.callback_dialog: CallBackDialog | None = None  # while F8 asks which ticket
        draft_dir = default_draft_dir(self.hall.location())
        self.documents_dir = D.default_documents_dir(self.hall.location())
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
        self.title = QLabel(f"{self.window_number}号窗口" + (f" · {w.name}" if w else "（大厅中没有这个窗口）"),
                            objectName="title")
        self.title.setProperty("role", "title")
        header.addWidget(self.title)
        self.window_state = QLabel("", objectName="window-state")
        header.addWidget(self.window_state)
        # what just happened and what the next key does, in the header where the eye lands first
        self.banner = QLabel("", objectName="result-banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setMinimumHeight(44)
        self.banner.setMaximumHeight(56)
        self.banner.setStyleSheet(f"QLabel#result-banner {{ background: #eef4fb; border: 1px solid #b9cde4;"
                                  f" border-left: 6px solid {theme.PRIMARY}; padding: 2px 10px; }}")
        header.addWidget(self.banner, 1)
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

        right = QVBoxLayout()
        right.setSpacing(6)
        self.tabs = QTabWidget(objectName="tabs")
        accept_page = QWidget()
        accept_lay = QVBoxLayout(accept_page)
        accept_lay.setContentsMargins(0, 0, 0, 8)
        self.acceptance = AcceptancePanel(self.hall, self.window_number, self.documents_dir)
        self.acceptance.changed.connect(self._save_draft)
        self.acceptance.changed.connect(self._update_banner)
        self.acceptance.decided.connect(self._decided)
        self.acceptance.failed.connect(self._show_error)
        # a decision on its way is on disk before it goes; one the hall may have recorded is asked after
        self.acceptance.sending.connect(lambda: self.draft.write_now(self.acceptance.state()))
        self.acceptance.unsure.connect(self._decision_unsure)
        self.documents = DocumentBar(self.hall, draft_dir / f"last-documents-window-{self.window_number}.json",
                                     self.documents_dir)
        self.documents.message.connect(self.show_message)
        self.acceptance.undertaking_print.connect(self._print_undertaking)
        accept_lay.addWidget(self.acceptance, 1)
        accept_lay.addWidget(self.documents)
        self.tabs.addTab(accept_page, "材料核验与受理")
        self.pending = PendingPanel(self.hall)
        self.pending.message.connect(self.show_message)
        self.tabs.addTab(self.pending, "容缺待补材料")
        self.tabs.currentChanged.connect(self._tab_changed)
        right.addWidget(self.tabs, 1)
        body.addLayout(right, 1)
        self.stack.addWidget(work)
        root.addWidget(self.stack, 1)

        self.message = QLabel(" ", objectName="message")
        self.message.setWordWrap(True)
        self.message.setMinimumHeight(30)
        root.addWidget(self.message)
        self.setCentralWidget(central)

    def _bind_shortcuts(self) -> None:
        """F1-F8 (queue) and F9-F12, Ctrl+P, Ctrl+M, Ctrl+N (acceptance) work wherever the focus is
        in this window; a queue key does nothing when its button is off, an acceptance key says why
        it cannot."""
        self.shortcuts: dict[str, QShortcut] = {}
        for name, (_label, key) in ACTIONS.items():
            self._shortcut(name, key, self._action(name, via_key=True))
        panel = {"all_received": self.mark_all_received, "accept": lambda: self.decide("accept"),
                 "accept_pending": lambda: self.decide("accept_pending"), "refuse": lambda: self.decide("refuse"),
                 "print": self.print_current, "materials": self._focus(self.acceptance.focus_materials),
                 "applicant": self._focus(self.acceptance.focus_applicant)}
        for name, key in KEYS.items():
            self._shortcut(name, key, panel[name])

    def _focus(self, focus: Callable[[], None]) -> Callable[[], None]:
        """A key that moves the focus on the acceptance tab (Ctrl+M, Ctrl+N)."""
        def run() -> None:
            self._to_acceptance()
            focus()
        return run

    def _shortcut(self, name: str, key: str, slot: Callable[[], object]) -> None:
        sc = QShortcut(QKeySequence(key), self)
        sc.setContext(Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(lambda: None if self.staff is None else slot())
        self.shortcuts[name] = sc

    # --- acceptance keys ----------------------------------------------------------------------

    def _to_acceptance(self) -> None:
        self.tabs.setCurrentIndex(0)

    def mark_all_received(self) -> None:
        self._to_acceptance()
        self.acceptance.mark_all_received()

    def decide(self, kind: str) -> None:
        """F10/F11/F12: the same as the button, which asks once before anything is recorded."""
        self._to_acceptance()
        self.acceptance.request(kind)

    def print_current(self) -> None:
        """Ctrl+P: the decision's papers when there are some; before a 容缺 decision, the 承诺书."""
        if self.documents.docs:
            self.documents.ask_print()
        elif self.acceptance.outcome() == "accept_pending":
            self._to_acceptance()
            self.acceptance.print_undertaking()
        else:
            self.show_message("还没有可打印的文书：受理或告知后打印回执、告知书；容缺受理前可打印承诺书", error=True)

    def _print_undertaking(self, doc: D.Document) -> None:
        self.documents.ask_print([doc])

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

    def show_hall_error(self, said: BaseException | str) -> None:
        """What ui.errors shows for an error no action caught: in the desk's own message line."""
        self.show_message(str(said), error=True)

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
        """Run a hall call; a refusal becomes a message, never an exception in the event loop.
        `refused` then says the None came from a refusal (its message shown), not from the hall."""
        self.refused = False
        try:
            return at_desk(self, fn)  # a busy hall file or a stalled server never freezes the desk
        except (HallError, ValueError) as exc:  # Busy too (a second key while the first call
            self.refused = True  # waits); ValueError: e.g. an ID number the core refuses
            self.show_message(str(exc), error=True)
        return None

    refused = False  # whether the last `_guard` call was refused (and said why)

    # --- signing in and out -------------------------------------------------------------------

    def _sign_in_submitted(self, login: str, password: str) -> None:
        self.sign_in(login, password)

    def sign_in(self, login: str, password: str) -> bool:
        try:
            staff = at_desk(self, lambda: self.hall.sign_in(self.window_number, login, password))
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
        # what this desk remembers (an interrupted check, the last decision's papers) is read
        # before refresh() clears the desk for the citizen now at the window, and put back only
        # if it is that citizen's
        saved = self.draft.load()
        papers = self.documents.remembered()
        self.refresh()
        self.documents.restore(papers, self.ticket.id if self.ticket else None)
        self._restore_draft(saved)
        self.pending.refresh()
        self.alerts.refresh()  # the buttons to take a helper call need someone signed in
        return True

    def sign_out(self) -> None:
        if self._guard(lambda: self.hall.sign_out(self.window_number) or True):
            self._drop_clerk()
            self._show_signed_out()
            self.show_message("已签退")

    def _taken_over(self, why: str) -> None:
        """The hall no longer has this desk's clerk at the window (someone signed in there on
        another PC, or the manager disabled the account or reset its password): the desk stops
        acting in their name. Their unfinished check stays in the draft for when they sign in again."""
        if self.acceptance.has_work():
            self.draft.write_now(self.acceptance.state())
        name = self.staff.name if self.staff else ""
        self._drop_clerk()
        self._show_signed_out()
        self.signin.show_error(f"{why}，{name}已在本机退出；如需继续办理，请重新签到")

    def _drop_clerk(self) -> None:
        """Nobody acts here in the name of the clerk who left: every dialog that would record
        something (受理 / 告知 confirmation, 办结, 转移, 过号重呼) is closed unanswered - Enter in
        it would have recorded under a person no longer signed in - and the panels forget them."""
        self.staff = None
        for dialog in (self.acceptance.confirm_dialog, self.finish_dialog, self.transfer_dialog,
                       self.callback_dialog):
            if dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible():
                dialog.reject()
        self.acceptance.set_clerk("")
        self.pending.set_clerk("")

    def _show_signed_out(self) -> None:
        self.stack.setCurrentIndex(0)
        self.banner.hide()
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
            if not self.refused:  # the hall answered: nobody waits for this window
                self.show_message("暂无等候的号码")
            self.refresh()
            return None
        self.show_message(f"已呼叫 {t.number} 号：请 {t.number} 号 到 {self.window_number} 号窗口 办理")
        self.refresh()
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

    def decided_text(self) -> str:
        """What this citizen got at this window, or "" when nothing was recorded for them. What
        the desk does not remember itself (a restart, a decision made on another PC at this
        window) the hall is asked: the records, not the desk's memory, decide whether 办结
        asks why nothing was done."""
        d = self.last_decision
        if isinstance(d, Notice):
            return f"已出具一次性告知书 {d.number}"
        if isinstance(d, Application):
            return _accepted(d)
        if self.ticket is None:
            return ""
        ticket = self.ticket
        apps = self._guard(lambda: self.hall.applications_at(ticket.id)) or []
        return "；".join(_done_at(app, ticket) for app in apps)

    def finish(self) -> FinishDialog | None:
        """F7: asks once; with nothing decided, asks why (未到场, 仅咨询, ...) before finishing."""
        if self.ticket is None:
            return None
        if self.finish_dialog is not None:
            self.finish_dialog.deleteLater()
        dialog = FinishDialog(self.ticket, self.decided_text(), self)
        dialog.accepted.connect(lambda: self.finish_now(dialog.reason()))
        self.finish_dialog = dialog
        dialog.open()
        return dialog

    def finish_now(self, reason: str = "") -> Ticket | None:
        """Record 办结 (with its reason when nothing was decided): the door behind the dialog."""
        if self.ticket is None or self.staff is None:
            return None
        ticket = self.ticket
        t = self._guard(lambda: self.hall.finish(ticket.id, self.window_number, self.clerk, reason=reason))
        if t is not None:
            if reason == NO_SHOW:
                text = f"{t.number} 号已办结：申请人未到场，评价器不请求评价"
            elif reason:
                text = f"{t.number} 号已办结（{FINISH_REASONS[reason]}），请申请人在评价器上评价"
            else:
                text = f"{t.number} 号已办结，请申请人在评价器上评价"
            self.show_message(text)
            self._end_ticket()
            self._set_result("✔ " + text)
        return t

    def transfer(self, to_category: str = "", to_window: int | None = None) -> Ticket | None:
        """With no target, asks in a dialog; with one (tests, scripts), transfers at once."""
        if self.ticket is None:
            return None
        if not to_category and to_window is None:
            found = self._guard(lambda: (self.hall.categories(), self.hall.windows(), self.hall.queue_status()))
            if found is None:
                return None
            categories, windows, status = found
            dialog = TransferDialog(self.ticket, categories, windows, self.window_number, self, status.windows)
            self.transfer_dialog = dialog
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted or self.staff is None or self.ticket is None:
                    return None  # cancelled, or the clerk was signed out meanwhile
            finally:
                self.transfer_dialog = None
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
            found = self._guard(lambda: (self.hall.tickets(status=TicketStatus.SKIPPED), self.hall.windows()))
            if self.refused or found is None:
                return None
            skipped, windows = found
            me = next((w for w in windows if w.number == self.window_number), None)
            skipped = [t for t in skipped if t.target_window == self.window_number or (
                t.target_window is None and (me is None or me.serves(t.category)))]
            if not skipped:
                self.show_message("今天没有过号的号码可由本窗口重呼")
                return None
            dialog = CallBackDialog(skipped, self)
            self.callback_dialog = dialog
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted or self.staff is None:
                    return None  # cancelled, or the clerk was signed out meanwhile
            finally:
                self.callback_dialog = None
            ticket_id = dialog.choice()
            if ticket_id is None:
                return None
        chosen = ticket_id
        t = self._guard(lambda: self.hall.call_back(chosen, self.window_number, self.clerk))
        if t is not None:
            self.show_message(f"已重呼 {t.number} 号到本窗口")
            self.refresh()
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
        """The citizen left the window (done, skipped, transferred): everything of theirs goes
        with them, even if the read after it fails."""
        self._citizen_changed(None)
        self.refresh()

    def _citizen_changed(self, ticket: Ticket | None) -> None:
        """Another citizen at this desk, or none: called, called back, finished or transferred,
        here or from another PC. Nothing of the last one stays - their check and its draft,
        their papers (no key may print a stranger's document), the decision the 办结 would
        name, the 容缺 list as it was filtered for them - and the desk loads the new ticket."""
        self.ticket = ticket
        self.citizen.show_ticket(ticket)
        self.draft.delete()
        self.documents.clear()
        self.last_decision = None
        self.result_text = ""
        self.pending.set_citizen(ticket.id if ticket else None)
        self.acceptance.load_ticket(ticket)
        self._save_draft()

    # --- the banner -------------------------------------------------------------------------------

    def _set_result(self, text: str) -> None:
        self.result_text = text
        self._update_banner()

    def next_step(self) -> str:
        """The one key that moves this desk on, in words."""
        t = self.ticket
        if self.staff is None:
            return ""
        if self.paused:
            return "已暂停服务 · 按 F5 恢复"
        if t is None:
            return "按 F1 叫号（过号的申请人到了按 F8）"
        if self.last_decision is not None or self.documents.docs:
            return "按 F7 办结（Ctrl+P 打印 / 补打）"
        if t.status is TicketStatus.CALLED:
            return f"{t.number} 号到窗后按 F6 开始办理；未到按 F2 重呼、F3 过号"
        panel = self.acceptance
        outcome = panel.outcome()
        if not panel.matter_code():
            return "选择办理事项；不办理的按 F7 办结并选择原因"
        if panel.table.unchecked():
            return f"核验材料：逐项选择收取或缺，或按 {KEYS['all_received']} 全部收取"
        if outcome:
            why = panel.blockers(outcome)
            if why:
                return why[0]
            word = {"accept": "受理", "accept_pending": "容缺受理", "refuse": "出具一次性告知书"}[outcome]
            return f"按 {KEYS[outcome]} {word}（先预览，确认后才记录）"
        return "核验材料，写明缺少或有误的原因"

    def _update_banner(self) -> None:
        if self.staff is None:
            self.banner.hide()
            return
        self.banner.show()
        step = _esc(self.next_step())
        done = (f"<b style='color:{theme.OK}'>{_esc(self.result_text)}</b><br>" if self.result_text else "")
        self.banner.setText(f"{done}<span style='color:{theme.PRIMARY}'><b>下一步：</b>{step}</span>")

    # --- refreshing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue and this window's ticket again; a different ticket is a different
        citizen (see _citizen_changed). Asked for by a hall event while one of the clerk's
        actions still waits for the hall, it runs once that action is done: run now, its reads
        would be refused as a second call. A read that fails changes nothing on the desk."""
        if after_wait(self, self._deferred_refresh):
            return
        status = self._guard(self.hall.queue_status)
        if status is not None:
            self.counts.update_counts(status.waiting)
            mine = next((w for w in status.windows if w.number == self.window_number), None)
            self.paused = bool(mine and mine.paused)
        ticket = self._guard(lambda: self.hall.current_ticket(self.window_number))
        if not self.refused:
            if (ticket.id if ticket else None) != (self.ticket.id if self.ticket else None):
                self._citizen_changed(ticket)
            else:
                self.ticket = ticket  # the same citizen, as the hall has them now
                self.citizen.show_ticket(ticket)
        self._update_buttons()

    def _deferred_refresh(self) -> None:
        if self.staff is not None and self.isVisible():  # not for a desk being closed
            self.refresh()

    def _update_buttons(self) -> None:
        signed = self.staff is not None
        t = self.ticket
        called = t is not None and t.status is TicketStatus.CALLED
        active = t is not None and t.status in (TicketStatus.CALLED, TicketStatus.SERVING)
        # a decision recorded (or its papers restored after a restart): the citizen is here, so no
        # 重呼 or 过号 (the hall refuses a 过号 too)
        decided = self.last_decision is not None or bool(self.documents.docs)
        enabled = {
            "call_next": signed and not self.paused and not active,
            "recall": signed and called and not decided,
            "skip": signed and called and not decided,
            "transfer": signed and active,
            "pause": signed and (self.paused or not active),
            "start": signed and called,
            "finish": signed and active,
            "call_back": signed and not self.paused and not active,
        }
        for name, on in enabled.items():
            self.actions.buttons[name].setEnabled(on)
        self.actions.set_paused(self.paused)
        self._update_banner()
        if signed:
            self.window_state.setText("Ⅱ 暂停服务" if self.paused else "● 服务中")
            self.window_state.setStyleSheet(f"color: {theme.WARN if self.paused else theme.OK}; font-weight: bold;")

    def _on_event(self, event: object) -> None:
        self.alerts.on_event(event)
        if isinstance(event, HallEvent) and event.kind in (SERVER_LOST, SERVER_BACK):
            self.set_server_reachable(event.kind == SERVER_BACK, refusal(event))
            return
        if isinstance(event, HallEvent) and event.kind == RESYNC and self.staff is not None:
            self.refresh()
            return
        if not isinstance(event, HallEvent) or self.staff is None:
            return
        if (event.kind == "ClerkSignedIn" and event.window == self.window_number
                and event.clerk not in ("", self.staff.login)):
            self._taken_over(f"{self.window_number}号窗口已由工作人员 {event.clerk} 在另一台电脑签到")
            return
        if (event.kind == "ClerkSignedOut" and event.window == self.window_number
                and event.clerk == self.staff.login and event.data.get("reason")):
            self._taken_over("管理员已停用本账号或重设了密码" if event.data["reason"] == "disabled"
                             else "管理员重设了本账号的密码")
            return
        if event.kind.startswith(_QUEUE_EVENTS):
            self.refresh()
        if event.kind.startswith(("Pending", "Application", "Notice")) and self.tabs.currentIndex() == 1:
            self.pending.refresh()

    def set_server_reachable(self, reachable: bool, refused: str = "") -> None:
        """A banner while the hall server is away (or refuses this PC: `refused`, its words, and
        then the banner says who can help, as waiting will not); on its return the desk re-reads
        the window."""
        self.server_banner.setText(SERVER_REFUSED_TEXT.format(reason=refused.rstrip("。")) if refused
                                   else SERVER_LOST_TEXT)
        self.server_banner.setVisible(not reachable)
        if reachable and self.staff is not None:
            self.refresh()
            self._recover_decision()  # a decision sent as the server went may have been recorded

    # --- decisions and drafts -------------------------------------------------------------------

    def _decision_unsure(self, kind: str) -> None:
        """The server was lost with decision `kind` on its way: the hall may have recorded it. Ask
        now; if it cannot be asked, the desk asks again when the server is back."""
        if self._recover_decision():
            return
        if self.acceptance.deciding:
            word = {"refuse": "一次性告知"}.get(kind, "受理")
            self.show_message(f"与大厅服务器的连接中断，不能确定刚才的{word}是否已记录：连接恢复后本机自动向大厅核对，"
                              f"请等核对结果，不要重复{word}", error=True)

    def _recover_decision(self) -> bool:
        """Ask the hall whether the decision on this desk was in fact recorded (its answer lost
        with the server, or the desk restarted while it was on its way): an acceptance of the
        draft's matter at this ticket in this visit (the hall refuses a second one anyway), or the
        one-time notice the desk had sent. If so the desk shows it done, as if the answer had
        come: its papers in the 文书 bar, the message, the banner on to 办结. True when shown."""
        panel = self.acceptance
        if (self.staff is None or self.ticket is None or self.last_decision is not None or self.documents.docs
                or not panel.has_work()):
            return False
        if after_wait(self, self._deferred_recover):
            return False
        ticket, matter, sent = self.ticket, panel.matter_code(), panel.deciding
        apps = self._guard(lambda: self.hall.applications_at(ticket.id))
        if self.refused or apps is None:
            return False
        typed = panel.applicant.values()["applicant_id"]
        person = idnumber.mask_id(idnumber.validate(typed)) if idnumber.is_valid(typed) else ""
        found = [a for a in apps if a.matter_code == matter and a.received_at >= ticket.issued_at
                 and (a.accepted_at is not None or (sent == "refuse" and a.notice_number))
                 and (not person or a.applicant_id_masked == person)]
        if not found:
            panel.deciding = ""  # the hall has it not: nothing was recorded, the clerk may decide
            self._save_draft()
            return False
        app = found[-1]
        record: Application | Notice | None = app
        if app.accepted_at is None:
            record = self._guard(lambda: self.hall.get_notice(app.notice_number))
            if record is None:
                return False
        self._decided(record, recovered=True)
        return True

    def _deferred_recover(self) -> None:
        if self.staff is not None and self.isVisible():
            self._recover_decision()

    def _decided(self, record: Application | Notice, recovered: bool = False) -> None:
        """Recorded: the papers go where the confirmation said, and the banner says what happened.
        `recovered`: the hall had recorded it though its answer never reached the desk."""
        self.last_decision = record
        self.draft.delete()
        self.documents.show_decision(record, self.ticket.id if self.ticket else None)
        dest = self.acceptance.destination
        if isinstance(record, Notice):
            what = f"已出具一次性告知书 {record.number}（共{len(record.items)}项）"
            headline = f"已告知 {record.number}"
            papers = "告知书"
        else:
            extra = f"，{len(record.pending)}项容缺材料待补" if record.pending else ""
            what = f"{_accepted(record)}{extra}"
            headline = f"已{'容缺' if record.pending else ''}受理 {record.number}"
            papers = "回执和通知书" if record.pending else "回执"
        if dest is None:
            text = f"{what}；请按 Ctrl+P 打印{papers}"
            short = f"{headline}，{papers}未打印"
        else:
            text = f"{what}；{papers}正在{'保存' if dest.saves else '打印'}…"
            short = f"{headline}，{papers}正在{'保存' if dest.saves else '打印'}…"
            number = record.number

            def delivered(where: str) -> None:
                if not shiboken6.isValid(self):
                    return
                self.show_message(f"{what}；{where}")
                if self.last_decision is not None and self.last_decision.number == number:
                    self._set_result(f"✔ {headline}，{papers}已{'存入文书夹' if dest.saves else '打印'}")

            self.documents.deliver(list(self.documents.docs), dest, delivered)
        self.show_message(("大厅已记录（答复在连接中断时丢失，不再重复办理）：" if recovered else "") + text)
        if isinstance(record, Application) and record.pending:
            self.documents.select("rongque")
        self.acceptance.load_ticket(None)
        self._set_result("✔ " + short)
        self._update_buttons()  # the citizen is served: no 重呼 or 过号 now

    def _save_draft(self) -> None:
        if self.acceptance.has_work():
            self.draft.save(self.acceptance.state())

    def _restore_draft(self, saved: dict | None) -> None:
        """Put back an interrupted check, if it belongs to the ticket now at this window (or none)."""
        if not saved:
            return
        current = self.ticket.id if self.ticket else None
        if saved.get("ticket_id") != current:  # another citizen's (a walk-in's is not this ticket's)
            return
        self.acceptance.load_ticket(self.ticket, draft=saved)
        self._save_draft()
        self.show_message(f"已恢复未完成的材料核验（{saved.get('ticket_number') or '无号码'}），身份证号码请重新录入")
        self._recover_decision()  # unless the hall recorded its decision before the desk stopped

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


def _done_at(app: Application, ticket: Ticket) -> str:
    """What an application linked to `ticket` says was done at it."""
    if app.received_at < ticket.issued_at:  # an earlier application: its 容缺 items came today
        return f"已补交办件 {app.number} 的容缺材料"
    if app.notice_number:
        return f"已出具一次性告知书 {app.notice_number}"
    return _accepted(app)


def _accepted(app: Application) -> str:
    return f"已{'容缺' if app.pending else ''}受理，办件编号 {app.number}"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
