"""Small dialogs of the workbench: transferring a ticket."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from kiosk.models import Category, Ticket, Window, WindowState


class TransferDialog(QDialog):
    """Choose another category, another window, or both; the ticket keeps its arrival time.

    Only windows in use are offered: a closed one is left out, and one nobody is signed in at is
    shown but cannot be chosen (nobody would call the citizen there; the hall refuses it too).
    A paused window is marked 暂停: it takes the citizen, but calls nobody until it resumes."""

    def __init__(self, ticket: Ticket, categories: list[Category], windows: list[Window], own_window: int,
                 parent: QWidget | None = None, states: tuple[WindowState, ...] | None = None) -> None:
        """`states`: what each window is doing (queue_status().windows); None: not known, every
        open window offered as before."""
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
        doing = {s.number: s for s in states} if states is not None else None
        for w in windows:
            if not w.active or w.number == own_window:
                continue
            serves = "全科" if w.general else "、".join(w.categories)
            state = doing.get(w.number) if doing is not None else None
            staffed = doing is None or bool(state and state.clerk)
            mark = "" if staffed else " · 无人登录，不可转入"
            if staffed and state is not None and state.paused:
                mark = " · 暂停"
            self.window.addItem(f"{w.number}号 {w.name}（{serves}）{mark}", w.number)
            if not staffed:
                item = self._window_items().item(self.window.count() - 1)
                item.setEnabled(False)  # shown, so the clerk sees why it is not there to choose
                item.setToolTip("该窗口现在无人登录，转过去将无人叫号")
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

    def _window_items(self) -> QStandardItemModel:
        model = self.window.model()
        assert isinstance(model, QStandardItemModel)
        return model

    def selectable_windows(self) -> list[int]:
        """The windows the clerk can choose (tests, and what the list offers)."""
        model = self._window_items()
        return [self.window.itemData(i) for i in range(1, self.window.count())
                if model.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]

    def choice(self) -> tuple[str, int | None]:
        return self.category.currentData() or "", self.window.currentData()

    def choose(self, category: str = "", window: int | None = None) -> None:
        """Select by value (tests and keyboard users)."""
        self.category.setCurrentIndex(max(self.category.findData(category), 0) if category else 0)
        index = self.window.findData(window) if window is not None else 0
        if window is not None and window not in self.selectable_windows():
            index = 0  # a window the list does not offer cannot be chosen from it either
        self.window.setCurrentIndex(max(index, 0))

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
