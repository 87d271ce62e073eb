"""Asking once before what cannot be undone: a decision (受理, 容缺受理, 一次性告知) and 办结.

A decision is recorded in the hall's books and printed for the citizen; it cannot be taken
back. So the clerk sees, in one dialog, what will be recorded (in the words the paper uses)
and the very pages that will be printed - built from the hall's own preview of the decision
- and where they will go, then confirms with Enter or goes back with Esc.

办结 of a ticket with nothing decided asks why (未到场, 仅咨询, ...): the figures then tell a
served citizen from one who never came, and the evaluator does not ask a no-show for a rating.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.idnumber import mask_phone
from kiosk.models import FINISH_REASONS, NO_SHOW, Application, MaterialStatus, Notice, Ticket
from ui import theme
from ui.clerk import documents as D
from ui.clerk.print_preview import Destination, PagePreview, PrinterChoice

TITLES = {"accept": "确认受理", "accept_pending": "确认容缺受理", "refuse": "确认出具一次性告知书"}
CONFIRM_WORDS = {"accept": "确认受理", "accept_pending": "确认容缺受理", "refuse": "确认告知"}


def summary_rows(kind: str, record: Application | Notice) -> list[tuple[str, str]]:
    """What will be recorded, field by field, as the paper will say it."""
    if isinstance(record, Notice):
        items = "；".join(f"{i.name}（{i.reason}）" for i in record.items)
        return [
            ("结果", f"不予受理，一次性告知需补正的 {len(record.items)} 项材料"),
            ("事项", f"{record.matter_name}（{record.department}）"),
            ("申请人", f"{record.applicant_name}　{record.applicant_id_masked}"),
            ("需补正", items),
        ]
    rows = [("结果", "容缺受理" if kind == "accept_pending" else "受理")]
    rows.append(("事项", f"{record.matter_name}（{record.department}）"))
    phone = f"　{mask_phone(record.phone)}" if record.phone else ""
    rows.append(("申请人", f"{record.applicant_name}　{record.applicant_id_masked}{phone}"))
    received = [m.name for m in record.materials if m.status in (MaterialStatus.RECEIVED, MaterialStatus.SHARED)]
    rows.append(("已收材料", f"{len(received)} 项：" + "、".join(received)))
    if record.pending:
        owed = "；".join(f"{p.name}，补齐至 {p.deadline:%Y-%m-%d}{'（暂定）' if p.provisional else ''}"
                        for p in record.pending)
        rows.append(("容缺待补", owed))
    if record.promised_date:
        rows.append(("承诺办结", f"{record.promised_date:%Y-%m-%d}{'（暂定）' if record.promised_provisional else ''}"))
    rows.append(("送达方式", "邮寄送达" if record.delivery == "post" else "窗口领取"))
    return rows


class ConfirmDecisionDialog(QDialog):
    """What will be recorded and printed; 确认 (Enter) records and prints, 返回修改 (Esc) changes nothing."""

    def __init__(self, kind: str, record: Application | Notice, docs: list[D.Document], folder: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setObjectName("confirm-decision")
        self.setWindowTitle(TITLES[kind])
        self.resize(1040, 660)
        lay = QHBoxLayout(self)
        left = QVBoxLayout()
        colour = theme.ACCENT if kind == "refuse" else theme.OK
        head = QLabel(f"{TITLES[kind]}？", objectName="confirm-head")
        head.setStyleSheet(f"font-size: {theme.DESK_PT + 4}pt; font-weight: bold; color: {colour};")
        left.addWidget(head)
        self.summary = QLabel(objectName="confirm-summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setText("<table cellspacing=4>" + "".join(
            f"<tr><td style='color:{theme.MUTED}; white-space:nowrap'>{k}：</td><td>{_esc(v)}</td></tr>"
            for k, v in summary_rows(kind, record)) + "</table>")
        left.addWidget(self.summary)
        papers = "、".join(D.TITLES[d.kind] for d in docs)
        self.papers = QLabel(f"确认后将记录在案（不能撤销），并打印：{papers}", objectName="confirm-papers")
        self.papers.setWordWrap(True)
        self.papers.setStyleSheet("font-weight: bold;")
        left.addWidget(self.papers)
        left.addStretch(1)
        left.addWidget(QLabel("打印到"))
        self.printers = PrinterChoice(folder)
        left.addWidget(self.printers)
        buttons = QHBoxLayout()
        self.back_btn = QPushButton("返回修改  Esc", objectName="confirm-back")
        self.back_btn.setProperty("role", "secondary")
        self.back_btn.clicked.connect(self.reject)
        self.ok_btn = QPushButton(f"{CONFIRM_WORDS[kind]}  Enter", objectName="confirm-ok")
        self.ok_btn.setProperty("role", "danger" if kind == "refuse" else "ok")
        self.ok_btn.setDefault(True)
        self.ok_btn.clicked.connect(self.accept)
        buttons.addWidget(self.back_btn)
        buttons.addWidget(self.ok_btn, 1)
        left.addLayout(buttons)
        box = QWidget()
        box.setLayout(left)
        box.setFixedWidth(430)
        lay.addWidget(box)
        self.preview = PagePreview()
        lay.addWidget(self.preview, 1)
        self.preview.show_documents(docs)
        self.ok_btn.setFocus()

    def destination(self) -> Destination:
        return self.printers.destination()


class FinishDialog(QDialog):
    """办结: says what this citizen leaves with; with nothing decided, asks why first."""

    def __init__(self, ticket: Ticket, decided: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirm-finish")
        self.setWindowTitle(f"确认办结 {ticket.number} 号")
        self.setMinimumWidth(560)
        lay = QVBoxLayout(self)
        self.reasons: dict[str, QRadioButton] = {}
        self.group = QButtonGroup(self)
        if decided:
            text = f"{ticket.number} 号 {decided}。\n办结后评价器将请申请人评价。"
        else:
            text = f"{ticket.number} 号没有受理或告知记录。请选择办结原因（按数字键选择）："
        self.text = QLabel(text, objectName="finish-text")
        self.text.setWordWrap(True)
        self.text.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.text)
        if not decided:
            for i, (code, label) in enumerate(FINISH_REASONS.items(), 1):
                b = QRadioButton(f"&{i}  {label}", objectName=f"finish-reason-{code}")
                b.setMinimumHeight(34)
                self.group.addButton(b)
                self.reasons[code] = b
                lay.addWidget(b)
                b.toggled.connect(self._sync)
            note = QLabel("选择“未到场”的，评价器不请求评价。", objectName="finish-note")
            note.setProperty("role", "muted")
            lay.addWidget(note)
        row = QHBoxLayout()
        self.back_btn = QPushButton("返回  Esc", objectName="finish-back")
        self.back_btn.setProperty("role", "secondary")
        self.back_btn.clicked.connect(self.reject)
        self.ok_btn = QPushButton("确认办结  Enter", objectName="finish-ok")
        self.ok_btn.setProperty("role", "ok")
        self.ok_btn.setDefault(True)
        self.ok_btn.clicked.connect(self._ok)
        row.addWidget(self.back_btn)
        row.addWidget(self.ok_btn, 1)
        lay.addLayout(row)
        self.needs_reason = not decided
        self._sync()

    def reason(self) -> str:
        return next((code for code, b in self.reasons.items() if b.isChecked()), "")

    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        """The digit keys choose a reason, as the dialog says (Alt+digit works too)."""
        codes = list(self.reasons)
        digit = event.text()
        if digit.isdigit() and 1 <= int(digit) <= len(codes):
            self.choose(codes[int(digit) - 1])
            self.reasons[codes[int(digit) - 1]].setFocus()
            return
        super().keyPressEvent(event)

    def choose(self, code: str) -> None:
        self.reasons[code].setChecked(True)

    def _sync(self) -> None:
        self.ok_btn.setEnabled(not self.needs_reason or bool(self.reason()))

    def _ok(self) -> None:
        if self.needs_reason and not self.reason():
            return
        self.accept()

    def evaluates(self) -> bool:
        """Whether the evaluator will ask this citizen for a rating."""
        return self.reason() != NO_SHOW


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
