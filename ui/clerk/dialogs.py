"""Small dialogs of the workbench: transferring a ticket."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from kiosk.models import Category, Ticket, Window


class TransferDialog(QDialog):
    """Choose another category, another window, or both; the ticket keeps its arrival time."""

    def __init__(self, ticket: Ticket, categories: list[Category], windows: list[Window], own_window: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"转移 {ticket.number} 号")
        self.setMinimumWidth(480)
        form = QFormLayout(self)
        form.addRow(QLabel(f"{ticket.number} 号（{ticket.category_name}）转移后保留原取号时间，按原顺序排队。"))
        self.category = QComboBox(objectName="transfer-category")
        self.category.addItem(f"保持原分类（{ticket.category} {ticket.category_name}）", "")
        for c in categories:
            if c.prefix != ticket.category:
                self.category.addItem(f"{c.prefix} {c.name}", c.prefix)
        self.window = QComboBox(objectName="transfer-window")
        self.window.addItem("不指定窗口（该分类任一窗口）", None)
        for w in windows:
            if w.active and w.number != own_window:
                serves = "全科" if w.general else "、".join(w.categories)
                self.window.addItem(f"{w.number}号 {w.name}（{serves}）", w.number)
        form.addRow("转到分类", self.category)
        form.addRow("转到窗口", self.window)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定转移")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel("")
        form.addRow(self.hint)
        form.addRow(self.buttons)

    def choice(self) -> tuple[str, int | None]:
        return self.category.currentData() or "", self.window.currentData()

    def choose(self, category: str = "", window: int | None = None) -> None:
        """Select by value (tests and keyboard users)."""
        self.category.setCurrentIndex(max(self.category.findData(category), 0) if category else 0)
        self.window.setCurrentIndex(max(self.window.findData(window), 0) if window is not None else 0)

    def _accept(self) -> None:
        cat, win = self.choice()
        if not cat and win is None:
            self.hint.setText("⚠ 请选择转到的分类或窗口")
            return
        self.accept()


class CallBackDialog(QDialog):
    """Today's skipped tickets: the clerk picks the one whose holder has just turned up."""

    def __init__(self, skipped: list[Ticket], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("过号重呼")
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        form.addRow(QLabel("选择已到窗口的过号号码，重新呼叫到本窗口："))
        self.ticket = QComboBox(objectName="callback-ticket")
        for t in skipped:
            self.ticket.addItem(f"{t.number}  {t.category_name}（已过号{t.skips}次）", t.id)
        form.addRow("号码", self.ticket)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("重呼")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> int | None:
        return self.ticket.currentData()
