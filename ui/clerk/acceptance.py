"""The acceptance tab: matter and situation, the material check, the live verdict, the decision.

The verdict comes from `hall.assess` on every change, so the clerk sees before committing
whether this is an acceptance, a 容缺 acceptance (and until when) or a one-time notice, in
the same words the citizen will read. The buttons follow the verdict: a key material
missing can never be accepted, and 容缺 waits for the signed undertaking. Only the action the
verdict recommends is drawn strong (filled); the others are outlined, and while a 容缺 waits
for the undertaking the checkbox itself is marked as the next step.

A decision is asked once (ui/clerk/confirm.py): the hall previews it, the clerk sees what will
be recorded and the pages that will print, and only 确认 records it. Why a decision cannot be
made yet (a material not looked at, an ID number that fails its check) is said in words under
the verdict, naming the field, and a key pressed for it says the same instead of doing nothing.
The 承诺书 prints from the preview before anything is recorded, so the citizen signs first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import AlreadyAccepted, HallError, ServerUnavailable
from kiosk.models import Application, Assessment, Checklist, MaterialStatus, Notice, Ticket
from ui import theme
from ui.busy import at_desk
from ui.clerk import documents as D
from ui.clerk.applicant import ApplicantForm
from ui.clerk.confirm import ConfirmDecisionDialog
from ui.clerk.material_check import MaterialCheckTable
from ui.clerk.print_preview import Destination

VERDICT_STYLE = {
    "accept": ("✔ 可以受理", theme.OK),
    "accept_pending": ("◐ 可以容缺受理", theme.WARN),
    "refuse": ("✖ 不能受理 · 出具一次性告知书", theme.ACCENT),
}
# (strong role, quiet role) of each decision button: strong when the verdict recommends it
BUTTON_ROLES = {"accept": ("ok", "secondary"), "accept_pending": ("ok", "secondary"),
                "refuse": ("danger", "secondary-danger")}
# the panel's keys: after the queue's F1-F8, so a clerk's hand never has to leave the F row
KEYS = {"all_received": "F9", "accept": "F10", "accept_pending": "F11", "refuse": "F12", "print": "Ctrl+P",
        "materials": "Ctrl+M", "applicant": "Ctrl+N"}
STALE_UNDERTAKING = ("容缺材料或补齐期限已改变，已取消“承诺书已签署”：申请人签署的承诺书与现在不符，"
                     f"请重新打印承诺书（{KEYS['print']}）由申请人签署新的承诺书后再勾选")
STALE_PRINT = ("打印承诺书后容缺材料或补齐期限已改变，申请人手中的承诺书与现在不符："
               f"请重新打印承诺书（{KEYS['print']}）由申请人签署后再勾选“承诺书已签署”")
NOT_SIGNED_IN = "本窗口已无人签到，未记录：请重新签到后再办理"
LABELS = {"accept": "✔ 受理", "accept_pending": "◐ 容缺受理", "refuse": "✎ 一次性告知"}


class AcceptancePanel(QWidget):
    """Emits `changed` on every edit (for the draft) and `decided` with an Application or Notice."""

    changed = Signal()
    decided = Signal(object)
    failed = Signal(str)

    undertaking_print = Signal(object)  # a Document: the 承诺书 to print before signing
    sending = Signal()  # a decision is about to go to the hall (`deciding` says which): keep the draft now
    unsure = Signal(str)  # the hall was lost with decision `kind` on its way: it may have been recorded

    def __init__(self, hall: Any, window: int, folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = hall
        self.window = window
        self.folder = folder or Path.home()  # the hall's documents folder, for the confirmation's "保存"
        self.clerk = ""
        self.ticket: Ticket | None = None
        self.another = False
        self.assessment: Assessment | None = None
        self.confirm_dialog: ConfirmDecisionDialog | None = None
        self.destination: Destination | None = None  # where the confirmed decision's papers go
        # the decision sent to the hall whose answer has not come back ("accept", "accept_pending",
        # "refuse"), kept in the draft: the desk asks the hall whether it was recorded
        self.deciding = ""
        self._loading = False
        self._shown_matter = ""  # the matter whose situations and checklist the desk shows
        # what the 承诺书 says is owed (see owed()): as last printed, and as ticked 已签署
        self._printed_for: list | None = None
        self._signed_for: list | None = None
        self._build()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(8)

        top = QHBoxLayout()
        top.addWidget(QLabel("办理事项"))
        self.matter = QComboBox(objectName="matter")
        self.matter.setMinimumWidth(360)
        self.matter.addItem("请选择事项", "")
        # switched-off matters last: a booking made before, or a ticket taken before, is still served
        for m in sorted(self.hall.matters(include_inactive=True), key=lambda m: not m.active):
            self.matter.addItem(f"{m.name}（{m.department}）" + ("（已停用）" if not m.active else ""), m.code)
        self.matter.currentIndexChanged.connect(self._matter_changed)
        top.addWidget(self.matter, 1)
        self.all_received = QPushButton(f"全部收取  {KEYS['all_received']}", objectName="all-received")
        self.all_received.setProperty("role", "secondary")
        self.all_received.setToolTip("把尚未核验的材料标为已收取（已选的缺、有误、共享保持不变）")
        self.all_received.clicked.connect(self._mark_all_received)
        top.addWidget(self.all_received)
        lay.addLayout(top)

        self.conditions_box = QGroupBox("申请情形（勾选符合的）")
        self.conditions = QGridLayout(self.conditions_box)
        self.conditions.setContentsMargins(10, 12, 10, 6)
        self.condition_checks: list[QCheckBox] = []
        lay.addWidget(self.conditions_box)

        self.table = MaterialCheckTable()
        self.table.changed.connect(self._on_change)
        lay.addWidget(self.table, 1)

        verdict_row = QHBoxLayout()
        verdict_row.setSpacing(8)
        self.verdict = QLabel("请选择事项并核验材料", objectName="verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.setFrameShape(QFrame.Shape.StyledPanel)
        self.verdict.setMinimumHeight(56)
        verdict_row.addWidget(self.verdict, 1)
        # 容缺 only: how long to supply, the 承诺书 to print and sign, and that it is signed
        self.rongque_box = QWidget(objectName="rongque-box")
        grid = QGridLayout(self.rongque_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.pending_days = QSpinBox(objectName="pending-days")
        self.pending_days.setSuffix(" 个工作日")
        theme.tidy_spin_box(self.pending_days)
        self.pending_days.setToolTip("补齐期限默认按事项设置，可缩短，不能超过承诺时限")
        self.pending_days.valueChanged.connect(self._on_change)
        self._days_matter = ""
        self.deadline = QLabel("", objectName="deadline")
        self.print_undertaking_btn = QPushButton(f"打印承诺书  {KEYS['print']}", objectName="print-undertaking")
        self.print_undertaking_btn.setProperty("role", "secondary")
        self.print_undertaking_btn.setToolTip("先打印《容缺受理承诺书》请申请人签署，签署后再勾选“承诺书已签署”")
        self.print_undertaking_btn.clicked.connect(self._print_undertaking_clicked)
        self.undertaking = QCheckBox("承诺书已签署", objectName="undertaking")
        self.undertaking.setToolTip("容缺受理前，申请人须在《容缺受理承诺书》上签字")
        self.undertaking.toggled.connect(self._undertaking_toggled)
        grid.addWidget(self.pending_days, 0, 0)
        grid.addWidget(self.deadline, 0, 1)
        grid.addWidget(self.print_undertaking_btn, 1, 0)
        grid.addWidget(self.undertaking, 1, 1)
        self.rongque_box.hide()
        verdict_row.addWidget(self.rongque_box)
        lay.addLayout(verdict_row)

        self.applicant = ApplicantForm()
        self.applicant.name_key.setText(KEYS["applicant"])
        self.applicant.changed.connect(self._on_change)
        lay.addWidget(self.applicant)

        row = QHBoxLayout()
        self.blocker = QLabel("", objectName="decision-blocker")
        self.blocker.setWordWrap(True)
        self.blocker.setStyleSheet(f"color: {theme.ACCENT}; font-weight: bold;")
        row.addWidget(self.blocker, 1)
        self.accept_btn = QPushButton(f"{LABELS['accept']}  {KEYS['accept']}", objectName="accept")
        self.rongque_btn = QPushButton(f"{LABELS['accept_pending']}  {KEYS['accept_pending']}",
                                       objectName="accept-rongque")
        self.notice_btn = QPushButton(f"{LABELS['refuse']}  {KEYS['refuse']}", objectName="notice")
        self._buttons = {"accept": self.accept_btn, "accept_pending": self.rongque_btn, "refuse": self.notice_btn}
        for kind, b in self._buttons.items():
            b.setMinimumWidth(128)
            b.setToolTip(f"快捷键 {KEYS[kind]}：先预览要记录和打印的内容，确认后才记录")
            row.addWidget(b)
        self.accept_btn.clicked.connect(self._accept_clicked)
        self.rongque_btn.clicked.connect(self._rongque_clicked)
        self.notice_btn.clicked.connect(self._notice_clicked)
        lay.addLayout(row)
        self._refresh_verdict()

    # Button slots are named methods returning None, so a click never depends on what the
    # action returns (tests and scripts call accept()/give_notice() for the record).

    def focus_materials(self) -> None:
        """Ctrl+M: the material table, on its current row (the digit keys then set it)."""
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_applicant(self) -> None:
        """Ctrl+N: the applicant's name, ready to type."""
        self.applicant.name.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.applicant.name.selectAll()

    def _mark_all_received(self) -> None:
        self.mark_all_received()

    def mark_all_received(self) -> None:
        if self.table.rowCount():
            self.table.mark_all_received()

    def _accept_clicked(self) -> None:
        self.request("accept")

    def _rongque_clicked(self) -> None:
        self.request("accept_pending")

    def _notice_clicked(self) -> None:
        self.request("refuse")

    def _print_undertaking_clicked(self) -> None:
        self.print_undertaking()

    # --- loading -------------------------------------------------------------------------

    def set_clerk(self, login: str) -> None:
        self.clerk = login

    def load_ticket(self, ticket: Ticket | None, draft: dict | None = None) -> None:
        """A new citizen: their matter, situation and ticked materials; or a saved draft of them."""
        self.ticket = ticket
        self.another = False  # a second application of the same matter, confirmed for this citizen
        self._days_matter = ""  # the 容缺 days start from the matter's own default for each citizen
        self._loading = True
        try:
            code = (draft or {}).get("matter_code") or (ticket.matter_code if ticket else "")
            answers = tuple((draft or {}).get("answers", ticket.answers if ticket else ()))
            index = self.matter.findData(code)
            self.matter.setCurrentIndex(max(index, 0))
            self._shown_matter = self.matter_code()
            self._show_conditions(answers)
            self._load_table(saved=(draft or {}).get("checks"))
            self.applicant.clear()
            if draft:
                self.applicant.restore(draft.get("applicant", {}))
                self._restore_days(draft.get("pending_days"))
            self.undertaking.setChecked(bool((draft or {}).get("undertaking", False)))
            self.deciding = str((draft or {}).get("deciding") or "")
            printed = (draft or {}).get("undertaking_printed_for")
            self._printed_for = printed if isinstance(printed, list) else None
        finally:
            self._loading = False
        self._refresh_verdict()
        self._signed_for = self.owed() if self.undertaking.isChecked() else None

    def clear(self) -> None:
        self.load_ticket(None)

    def _restore_days(self, days: object) -> None:
        """The 容缺 days a draft kept (the 承诺书 may have been signed for them), within the matter's."""
        code = self.matter_code()
        if not code or not isinstance(days, int) or isinstance(days, bool):
            return
        matter = self.hall.get_matter(code)
        self._days_matter = code
        self.pending_days.blockSignals(True)
        self.pending_days.setRange(1, max(1, matter.promised_days))
        self.pending_days.setValue(days)
        self.pending_days.blockSignals(False)

    def _matter_changed(self) -> None:
        """Another matter chosen: its situations and checklist. Both are read before anything on
        the desk changes, so a read that fails (the hall server lost) leaves the last matter
        shown whole (the list put back to it) instead of one matter's checklist under another's
        name; the failure goes on to the desk's message line."""
        if self._loading:
            return
        code = self.matter_code()
        try:
            conditions = self.hall.get_matter(code).conditions if code else ()
            checklist = self.hall.checklist(code, ()) if code else None
        except HallError:
            self.matter.blockSignals(True)
            self.matter.setCurrentIndex(max(self.matter.findData(self._shown_matter), 0))
            self.matter.blockSignals(False)
            raise
        self._show_conditions((), conditions)
        self.table.load(checklist, self.ticket.ticked if self.ticket else (), None)
        self._shown_matter = code
        self._on_change()

    def _show_conditions(self, answers: tuple[str, ...], conditions: tuple[str, ...] | None = None) -> None:
        code = self.matter_code()
        if conditions is None:
            conditions = self.hall.get_matter(code).conditions if code else ()
        for cb in self.condition_checks:
            self.conditions.removeWidget(cb)
            cb.hide()
            cb.deleteLater()
        self.condition_checks = []
        before: QWidget = self.all_received
        for i, text in enumerate(conditions):
            cb = QCheckBox(text, objectName=f"condition-{i}")
            cb.setChecked(text in answers)
            cb.toggled.connect(self._conditions_changed)
            self.conditions.addWidget(cb, i // 3, i % 3)
            cb.show()
            QWidget.setTabOrder(before, cb)  # Tab: the situations before the materials, not last
            before = cb
            self.condition_checks.append(cb)
        self.conditions_box.setVisible(bool(conditions))

    def _conditions_changed(self) -> None:
        """A situation ticked: the checklist it brings, keeping what was checked. A checklist that
        cannot be read leaves the tick undone, so the table always matches the situations shown."""
        saved = self.table.state()
        try:
            self._load_table(saved=saved)
        except HallError:
            box = self.sender()
            if isinstance(box, QCheckBox):
                box.blockSignals(True)
                box.setChecked(not box.isChecked())
                box.blockSignals(False)
            raise
        self._on_change()

    def _load_table(self, saved: dict | None = None) -> None:
        code = self.matter_code()
        checklist: Checklist | None = self.hall.checklist(code, self.answers()) if code else None
        self.table.load(checklist, self.ticket.ticked if self.ticket else (), saved)

    # --- reading ---------------------------------------------------------------------------

    def matter_code(self) -> str:
        return self.matter.currentData() or ""

    def answers(self) -> tuple[str, ...]:
        return tuple(cb.text() for cb in self.condition_checks if cb.isChecked())

    def state(self) -> dict:
        """The draft: everything needed to put the screen back as it was, minus the ID number."""
        return {"window": self.window, "ticket_id": self.ticket.id if self.ticket else None,
                "ticket_number": self.ticket.number if self.ticket else "", "matter_code": self.matter_code(),
                "answers": list(self.answers()), "checks": self.table.state(),
                "applicant": self.applicant.state(), "undertaking": self.undertaking.isChecked(),
                "pending_days": self.pending_days.value() if self._days_matter else None,
                "undertaking_printed_for": self._printed_for, "deciding": self.deciding}

    def has_work(self) -> bool:
        """Worth a draft: a matter is chosen."""
        return bool(self.matter_code())

    # --- verdict ---------------------------------------------------------------------------

    def _on_change(self) -> None:
        if self._loading:
            return
        self._refresh_verdict()
        if self.undertaking.isChecked() and self._signed_for is not None and self._signed_for != self.owed():
            self._set_signed(False)
            self._enable_buttons()
            self.failed.emit(STALE_UNDERTAKING)
        self.changed.emit()

    # --- the undertaking -------------------------------------------------------------------

    def owed(self) -> list:
        """What a 承诺书 promises: the matter, the materials owed (缺 or 有误) and the days to
        supply them. One signed for other items or another deadline is not this one."""
        owed = sorted(c.material_id for c in self.table.checks()
                      if c.status in (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE))
        return [self.matter_code(), owed, self.pending_days.value()]

    def _set_signed(self, on: bool) -> None:
        self.undertaking.blockSignals(True)
        self.undertaking.setChecked(on)
        self.undertaking.blockSignals(False)
        self._signed_for = self.owed() if on else None
        theme.set_role(self.undertaking, "next-step" if not on and self.outcome() == "accept_pending" else "")

    def _undertaking_toggled(self, on: bool) -> None:
        """Ticked: signed for what is owed now, unless the 承诺书 printed says something else."""
        if self._loading:
            return
        if on and self._printed_for is not None and self._printed_for != self.owed():
            self._set_signed(False)
            self.failed.emit(STALE_PRINT)
        else:
            self._signed_for = self.owed() if on else None
        self._on_change()

    def _refresh_verdict(self) -> None:
        code = self.matter_code()
        self.assessment = None
        if code and hasattr(self.hall, "assess"):
            valid_id = "" if any("身份证" in p for p in self.applicant.problems()) else self.applicant.values()[
                "applicant_id"]
            try:
                self.assessment = self.hall.assess(code, self.answers(), self.table.checks(), valid_id)
            except HallError as exc:
                self.verdict.setText(f"⚠ {exc}")
        a = self.assessment
        if a is None:
            if not code:
                self.verdict.setText("请选择事项并核验材料")
            elif not hasattr(self.hall, "assess"):
                self.verdict.setText("⚠ 受理功能尚未启用（大厅服务未提供材料核验）")
            self.deadline.setText("")
        elif self.table.unchecked():  # not known to be missing yet: no verdict to show
            unchecked = self.table.unchecked()
            self.verdict.setText(f"<b style='color:{theme.PRIMARY}; font-size:{theme.BASE_PT + 2}pt'>○ 材料待核验</b>"
                                 f"<br>还有{len(unchecked)}项材料未核验：{_esc('、'.join(m.name for m in unchecked))}")
        else:
            head, colour = VERDICT_STYLE.get(a.outcome, ("", theme.TEXT))
            self.verdict.setText(f"<b style='color:{colour}; font-size:{theme.BASE_PT + 2}pt'>{head}</b>"
                                 f"<br>{_esc(_without_repeated_head(a.message))}")
            if a.outcome == "accept_pending" and a.deadline:
                due = self._pending_deadline(code)
                mark = "（暂定）" if due.provisional else ""
                self.deadline.setText(f"补齐至 {due.date:%Y-%m-%d}{mark}")
            else:
                self.deadline.setText("")
        self.rongque_box.setVisible(bool(a and a.outcome == "accept_pending" and not a.unexplained
                                         and not self.table.unchecked()))
        self._enable_buttons()

    def _pending_deadline(self, code: str):  # noqa: ANN202 - kiosk.workdays.Deadline
        """The deadline for the days chosen; a new matter starts from its own default."""
        if code != self._days_matter:
            matter = self.hall.get_matter(code)
            self._days_matter = code
            self.pending_days.blockSignals(True)
            self.pending_days.setRange(1, max(1, matter.promised_days))
            self.pending_days.setValue(matter.rongque_days or matter.promised_days)
            self.pending_days.blockSignals(False)
        return self.hall.deadline(self.hall.today(), self.pending_days.value())

    def outcome(self) -> str:
        """The verdict's outcome, or "" while a defect lacks its reason (nothing can be decided)."""
        a = self.assessment
        return a.outcome if a and not a.unexplained else ""

    def blockers(self, kind: str) -> list[str]:
        """Why decision `kind` cannot be made now, each naming what to fix; empty when it can."""
        if self.ticket is None and not self.matter_code():
            return ["请先叫号或选择办理事项"]
        if not self.matter_code():
            return ["请选择办理事项"]
        out = []
        unchecked = self.table.unchecked()
        if unchecked:
            names = "、".join(f"“{m.name}”" for m in unchecked[:3]) + ("等" if len(unchecked) > 3 else "")
            out.append(f"还有{len(unchecked)}项材料未核验（{names}）：逐项选择收取或缺，或按{KEYS['all_received']}全部收取")
        a = self.assessment
        if a is not None and a.unexplained:
            out.append("材料“缺”或“有误”时请写明原因")
        outcome = self.outcome()
        if outcome and outcome != kind and not (kind == "refuse" and outcome == "accept_pending"):
            head = VERDICT_STYLE.get(outcome, ("", ""))[0].lstrip("✔◐✖ ")
            out.append(f"核验结果为“{head}”，不能{LABELS[kind][2:]}")
        out += [f"申请人信息：{p}" for p in self.applicant.problems()]
        if kind == "accept_pending" and outcome == "accept_pending" and not self.undertaking.isChecked():
            out.append(f"请先打印承诺书（{KEYS['print']}）由申请人签署，并勾选“承诺书已签署”")
        return out

    def _enable_buttons(self) -> None:
        outcome = self.outcome()
        for kind, button in self._buttons.items():
            button.setEnabled(bool(outcome) and not self.blockers(kind))
            strong, quiet = BUTTON_ROLES[kind]
            theme.set_role(button, strong if kind == outcome else quiet)
        looked_at = not self.table.unchecked()
        person_ok = not self.applicant.problems()
        self.undertaking.setEnabled(outcome == "accept_pending")
        self.print_undertaking_btn.setEnabled(outcome == "accept_pending" and looked_at and person_ok)
        next_step = outcome == "accept_pending" and not self.undertaking.isChecked()
        theme.set_role(self.undertaking, "next-step" if next_step else "")
        recommended = outcome if outcome else ""
        why = self.blockers(recommended) if recommended else []
        self.blocker.setText(("⚠ " + why[0]) if why and self.matter_code() else "")
        self.blocker.setToolTip("\n".join(why))
        self.rongque_btn.setToolTip("；".join(self.blockers("accept_pending")) or "容缺受理")

    # --- deciding ------------------------------------------------------------------------

    def _common(self) -> dict:
        return {"matter_code": self.matter_code(), "answers": self.answers(), "checks": self.table.checks(),
                "ticket_id": self.ticket.id if self.ticket else None, "window": self.window, "clerk": self.clerk}

    def _accept_args(self, rongque: bool) -> dict:
        return {**self._common(), **self.applicant.values(),
                "undertaking_signed": rongque and self.undertaking.isChecked(),
                "pending_days": self.pending_days.value() if rongque else None, "another": self.another}

    def ask_another(self, said: str) -> bool:
        """The hall says this citizen's matter was already accepted at this ticket: a lost answer
        retried, or truly a second one (two shops, two flats). The clerk says which, once."""
        box = QMessageBox(QMessageBox.Icon.Question, "已受理过同一事项", said, parent=self)
        again = box.addButton("再受理一件", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("不再受理（补打回执）", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is again

    def _notice_args(self) -> dict:
        values = self.applicant.values()
        return {**self._common(), "applicant_name": values["applicant_name"],
                "applicant_id": values["applicant_id"], "phone": values["phone"]}

    def request(self, kind: str) -> ConfirmDecisionDialog | None:
        """The button or key of decision `kind`: says why not, or asks once with the preview."""
        why = self.blockers(kind)
        if not why and not self._buttons[kind].isEnabled():
            why = ["请先核验材料并写明缺少或有误的原因"]
        if why:
            self.failed.emit(f"不能{LABELS[kind][2:]}：" + "；".join(why))
            return None
        try:
            if kind == "refuse":
                record: Application | Notice = self.hall.preview_notice(**self._notice_args())
                docs = D.documents_for_notice(record, self.hall.info())
            else:
                record = self.hall.preview_accept(**self._accept_args(kind == "accept_pending"))
                docs = D.documents_for_application(record, self.hall.info())
        except AlreadyAccepted as exc:
            if self.another or not self.ask_another(str(exc)):
                self.failed.emit(str(exc))
                return None
            self.another = True
            return self.request(kind)
        except HallError as exc:
            self.failed.emit(str(exc))
            return None
        if self.confirm_dialog is not None:
            self.confirm_dialog.deleteLater()
        dialog = ConfirmDecisionDialog(kind, record, docs, self.folder, self)
        dialog.accepted.connect(lambda: self._confirmed(kind, dialog.destination()))
        self.confirm_dialog = dialog
        dialog.open()
        return dialog

    def _confirmed(self, kind: str, destination: Destination) -> None:
        if not self.clerk:  # signed out (or taken over) while the dialog was open
            self.failed.emit(NOT_SIGNED_IN)
            return
        self.destination = destination
        try:
            if kind == "refuse":
                self.give_notice()
            else:
                self.accept(rongque=kind == "accept_pending")
        finally:
            self.destination = None

    def print_undertaking(self) -> D.Document | None:
        """The 承诺书 from the hall's preview of this 容缺 acceptance, for signing before it is recorded."""
        if self.outcome() != "accept_pending":
            self.failed.emit("只有容缺受理需要承诺书")
            return None
        why = [w for w in self.blockers("accept_pending") if "承诺书" not in w]
        if why:
            self.failed.emit("不能打印承诺书：" + "；".join(why))
            return None
        try:
            preview = self.hall.preview_accept(**{**self._accept_args(True), "undertaking_signed": True})
        except HallError as exc:
            self.failed.emit(str(exc))
            return None
        doc = D.undertaking_document(preview, self.hall.info())
        self._printed_for = self.owed()
        if self.undertaking.isChecked() and self._signed_for != self._printed_for:
            self._set_signed(False)  # a new paper: the citizen signs that one
            self._enable_buttons()
        self.undertaking_print.emit(doc)
        return doc

    def accept(self, rongque: bool = False) -> Application | None:
        """Record the acceptance (the door behind the confirmation; scripts and tests call it)."""
        if not (self.rongque_btn if rongque else self.accept_btn).isEnabled():
            return None
        if not self.clerk:
            self.failed.emit(NOT_SIGNED_IN)
            return None
        args = self._accept_args(rongque)  # read from the widgets here, on the GUI thread
        app = self._send("accept_pending" if rongque else "accept", lambda: self.hall.accept(**args))
        if app is not None:
            self.another = False  # a third one is asked about again
            self.decided.emit(app)
        return app

    def give_notice(self) -> Notice | None:
        """Record the one-time notice (the door behind the confirmation)."""
        if not self.notice_btn.isEnabled():
            return None
        if not self.clerk:
            self.failed.emit(NOT_SIGNED_IN)
            return None
        args = self._notice_args()  # read from the widgets here, on the GUI thread
        notice = self._send("refuse", lambda: self.hall.refuse_with_notice(**args))
        if notice is not None:
            self.decided.emit(notice)
        return notice

    def _send(self, kind: str, call: Callable[[], Any]) -> Any:
        """Record decision `kind`: the draft says it is on its way before it goes (a desk killed
        meanwhile asks the hall when it starts again). A refusal changed nothing; a lost server
        may have recorded it, which `unsure` tells the desk so it asks the hall."""
        self.deciding = kind
        self.sending.emit()
        try:
            record = at_desk(self, call)
        except ServerUnavailable as exc:
            self.failed.emit(str(exc))
            self.unsure.emit(kind)
            return None
        except HallError as exc:
            self.deciding = ""
            self.failed.emit(str(exc))
            return None
        self.deciding = ""
        return record

    def problem_count(self) -> int:
        return sum(c.status in (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE) for c in self.table.checks())


# the hall's message opens with the verdict the heading already shows in colour
_REPEATED_HEADS = ("可以容缺受理：", "不能受理，请出具一次性告知书：")


def _without_repeated_head(message: str) -> str:
    for head in _REPEATED_HEADS:
        if message.startswith(head):
            return message[len(head):]
    return message


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
