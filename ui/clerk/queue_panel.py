"""The left column of the workbench: waiting counts, the queue buttons, the current citizen.

Every button shows its function key (叫号 F1 ...) because clerks learn the keys from the
buttons; the keys themselves are bound by the workbench so they work wherever focus is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.models import Category, Ticket, TicketStatus
from ui import theme

# action name -> (label, key); the order is the order on screen
ACTIONS: dict[str, tuple[str, str]] = {
    "call_next": ("叫号", "F1"),
    "recall": ("重呼", "F2"),
    "skip": ("过号", "F3"),
    "transfer": ("转移", "F4"),
    "pause": ("暂停", "F5"),
    "start": ("开始办理", "F6"),
    "finish": ("办结", "F7"),
    "call_back": ("过号重呼", "F8"),
}
STATUS_TEXT = {
    TicketStatus.CALLED: "◉ 已呼叫，等待到窗",
    TicketStatus.SERVING: "▶ 办理中",
    TicketStatus.WAITING: "… 等候中",
    TicketStatus.SKIPPED: "⏭ 已过号",
    TicketStatus.DONE: "✔ 已办结",
    TicketStatus.ABANDONED: "✖ 已作废",
}


class WaitingCounts(QGroupBox):
    """People waiting per category, two categories to a row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("排队等候", parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(10, 14, 10, 8)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)
        self.labels: dict[str, QLabel] = {}

    def set_categories(self, categories: list[Category]) -> None:
        for i, c in enumerate(categories):
            name = QLabel(f"{c.prefix} {c.name}")
            count = QLabel("0 人", objectName=f"waiting-{c.prefix}")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            count.setStyleSheet("font-weight: bold;")
            row, col = divmod(i, 2)
            self.grid.addWidget(name, row, col * 2)
            self.grid.addWidget(count, row, col * 2 + 1)
            self.labels[c.prefix] = count
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(2, 1)

    def update_counts(self, waiting: dict[str, int]) -> None:
        for prefix, label in self.labels.items():
            label.setText(f"{waiting.get(prefix, 0)} 人")

    def count(self, prefix: str) -> int:
        return int(self.labels[prefix].text().split()[0])


class ActionButtons(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("叫号操作", parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 14, 10, 10)
        grid.setSpacing(8)
        self.buttons: dict[str, QPushButton] = {}
        for name, (label, key) in ACTIONS.items():
            b = QPushButton(f"{label}  {key}", objectName=f"action-{name}")
            b.setToolTip(f"快捷键 {key}")
            b.setMinimumHeight(40)
            if name == "call_next":
                b.setProperty("role", "ok")
            elif name in ("skip", "transfer", "pause", "call_back"):
                b.setProperty("role", "secondary")
            self.buttons[name] = b
        # the two ways a citizen comes to the window side by side, the rest in pairs below
        order = ["call_next", "call_back", *(n for n in ACTIONS if n not in ("call_next", "call_back"))]
        for i, name in enumerate(order):
            row, col = divmod(i, 2)
            grid.addWidget(self.buttons[name], row, col)

    def set_paused(self, paused: bool) -> None:
        self.buttons["pause"].setText("恢复  F5" if paused else "暂停  F5")


class CitizenCard(QGroupBox):
    """The citizen at (or walking to) the window, as masked as on the ticket."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("当前办理", parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 14, 12, 10)
        lay.setSpacing(4)
        self.number = QLabel("—", objectName="current-number")
        self.number.setStyleSheet(f"font-size: {theme.BASE_PT + 8}pt; font-weight: bold; color: {theme.PRIMARY};")
        self.status = QLabel("", objectName="current-status")
        self.status.setWordWrap(True)
        self.details = QLabel("", objectName="current-details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        head = QHBoxLayout()
        head.addWidget(self.number)
        head.addWidget(self.status, 1)
        lay.addLayout(head)
        lay.addWidget(self.details)
        lay.addStretch(1)

    def show_ticket(self, t: Ticket | None) -> None:
        if t is None:
            self.number.setText("—")
            self.status.setText("暂无办理中的号码，按 F1 叫号")
            self.details.setText("")
            return
        self.number.setText(t.number)
        extra = f"（{t.priority.label}）" if t.priority.rank < 2 else ""
        self.status.setText(STATUS_TEXT.get(t.status, t.status.value) + extra)
        rows = [
            ("事项", t.matter_name or f"{t.category_name}（未选事项）"),
            ("申请人", t.holder_name or "未登记"),
            ("证件", t.holder_id_masked or "—"),
            ("电话", t.phone_masked or "—"),
            ("自助勾选", f"{len(t.ticked)} 项材料" if t.ticked else "未勾选"),
        ]
        if t.answers:
            rows.append(("情形", "；".join(t.answers)))
        if t.recalls or t.skips:
            rows.append(("记录", f"重呼{t.recalls}次 过号{t.skips}次"))
        self.details.setText("<table cellspacing=2>" + "".join(
            f"<tr><td style='color:{theme.MUTED}'>{k}：</td><td>{_esc(v)}</td></tr>" for k, v in rows) + "</table>")


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
