"""What every admin tab shares: a message line and one way to attempt a change.

A refused change shows the hall's Chinese message in the tab and leaves everything as it was;
no modal dialog, so a tab never blocks (and tests can read `last_message`). One refusal asks for
more: a hall server that no longer takes the console for a manager (`SignInNeeded`) has the
console show its login again (`AdminTab.show_refusal`), as no retry could clear that red line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWidget,
)

from kiosk import Hall
from kiosk.errors import HallError, SignInNeeded
from ui import theme

_MATERIAL_PATH = re.compile(r"\.materials\[(\d+)\]")


_REPEATED_SOURCE = re.compile(r"^(\w{1,8})：(?=\1)")  # "事项：事项“…”" says 事项 once


def readable(message: str) -> str:
    """The facade names a checklist line by its path (.materials[0]); a manager counts from 1.
    A message whose source repeats its first word (事项：事项“…”) says it once."""
    message = _REPEATED_SOURCE.sub("", message)
    return _MATERIAL_PATH.sub(lambda m: f" 第{int(m.group(1)) + 1}项材料", message)


class MessageBar(QLabel):
    """One line (or a few) under a tab's title; errors say 未保存 in words, not only in red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ok = True
        self.clear_message()

    def show_error(self, text: str) -> None:
        self.ok = False
        self.setText(f"未保存：{readable(text)}")
        self.setStyleSheet(f"background: #fdecee; color: {theme.ACCENT}; border: 1px solid {theme.ACCENT};"
                           " border-radius: 6px; padding: 8px; font-weight: bold;")
        self.show()

    def show_ok(self, text: str) -> None:
        self.ok = True
        self.setText(text)
        self.setStyleSheet(f"background: #e8f4ea; color: {theme.OK}; border: 1px solid {theme.OK};"
                           " border-radius: 6px; padding: 8px;")
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


class AdminTab(QWidget):
    """A tab over the hall facade with a message line; subclasses fill `body` and `reload`."""

    title = ""
    # the hall server wants a manager to sign in on this console again (the console shows its
    # login): True when the manager's own action was refused, False for a read the tab made by
    # itself (the board's every few seconds)
    sign_in_needed = Signal(bool)

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = hall
        self.message = MessageBar()

    @property
    def last_message(self) -> str:
        return self.message.text()

    def attempt(self, action: Callable[[], object], done: str | Callable[[], str] = "") -> bool:
        """Run a change; on a refusal show the message and return False (nothing was stored)."""
        try:
            action()
        except HallError as exc:
            self.show_refusal(exc)
            return False
        except (OSError, UnicodeDecodeError) as exc:
            self.message.show_error(f"文件无法读写：{exc}")
            return False
        text = done() if callable(done) else done
        if text:
            self.message.show_ok(text)
        return True

    def show_refusal(self, exc: BaseException | str, prefix: str = "", *, by_manager: bool = True) -> None:
        """A refusal on the message line (`prefix` says what did not happen). One that needs a
        manager to sign in on this console again also asks the console for its login dialog:
        every refusal of a tab comes through here, so that is handled once for all of them.
        A read's refusal may land after its console was closed: then there is nothing to tell."""
        if not shiboken6.isValid(self):
            return
        self.message.show_error(f"{prefix}{exc}")
        if isinstance(exc, SignInNeeded):
            self.sign_in_needed.emit(by_manager)

    def reload(self) -> None:  # pragma: no cover - overridden
        pass

    def confirm(self, title: str, text: str) -> bool:
        """Asked once before a change that cannot be taken back (tests answer it in place)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        yes = box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    def ask_open(self, caption: str, filters: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self, caption, "", filters)
        return path

    def ask_save(self, caption: str, name: str, filters: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, caption, name, filters)
        return path


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "title")
    return label


def muted_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "muted")
    label.setWordWrap(True)
    return label


def action_button(text: str, slot: Callable[[], object], role: str = "") -> QPushButton:
    """A button with its style role and its action, as every tab's forms need them."""
    b = QPushButton(text)
    if role:
        b.setProperty("role", role)
    b.clicked.connect(lambda: slot())
    return b


def button_row(left: list[QPushButton], right: list[QPushButton]) -> QHBoxLayout:
    """Buttons under a list or form: making things on the left, committing them on the right."""
    row = QHBoxLayout()
    for b in left:
        row.addWidget(b)
    row.addStretch(1)
    for b in right:
        row.addWidget(b)
    return row


def new_save_row(new_text: str, on_new: Callable[[], object], save_text: str,
                 on_save: Callable[[], object]) -> QHBoxLayout:
    """The 新建 … / 保存 … pair under an editing form."""
    return button_row([action_button(new_text, on_new, "secondary")], [action_button(save_text, on_save, "ok")])


def record_table(columns: tuple[str, ...]) -> QTableWidget:
    """A read-only table of records, chosen by whole rows (staff, windows, reviews)."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    return table


def select_row(table: QTableWidget, column: int, text: str) -> None:
    """Highlight the row whose `column` reads `text` (the record shown in the form), quietly."""
    for r in range(table.rowCount()):
        item = table.item(r, column)
        if item is not None and item.text() == text:
            if table.currentRow() != r:
                table.blockSignals(True)
                table.selectRow(r)
                table.blockSignals(False)
            return


def options_combo(options: dict[str, str]) -> QComboBox:
    c = QComboBox()
    c.setEditable(False)
    for key, label in options.items():
        c.addItem(label, key)
    return c


def side_by_side(main: QWidget, *rest: QWidget) -> QWidget:
    """A field with its companions (a port and its baud rate) on one form row."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(main, 1)
    for w in rest:
        if not w.toolTip():
            w.setToolTip("波特率")
        row.addWidget(w)
    return box
