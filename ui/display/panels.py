"""The hall display's parts: the current call, the recent calls and the waiting counts.

Every part shows ticket numbers, windows and counts only - never a name, ID or phone - so
nothing personal can reach a public screen however the data underneath changes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.models import Call, Category
from ui import theme

PANEL = "#12305c"
PANEL_FLASH = "#2a5ea8"
RECALL_BG = theme.ACCENT


def _num(text: str) -> str:
    return f'<span style="color:{theme.DISPLAY_NUMBER}">{escape(text)}</span>'


class CurrentCall(QFrame):
    """The newest call, as large as the screen allows: 请 A023 号 / 到 3 号窗口 办理."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hero")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        top = QHBoxLayout()
        self.caption = QLabel("正在呼叫")
        self.caption.setStyleSheet("font-size: 40px; font-weight: bold;")
        self.recall_badge = QLabel("重复呼叫")
        self.recall_badge.setStyleSheet(
            f"background: {RECALL_BG}; color: white; font-size: 40px; font-weight: bold;"
            " border-radius: 12px; padding: 4px 22px;")
        self.recall_badge.hide()
        top.addWidget(self.caption)
        top.addStretch(1)
        top.addWidget(self.recall_badge)
        layout.addLayout(top)
        layout.addStretch(1)
        self.line1 = QLabel()
        self.line1.setTextFormat(Qt.TextFormat.RichText)
        self.line1.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.line1.setStyleSheet("font-size: 240px; font-weight: bold;")
        self.line2 = QLabel()
        self.line2.setTextFormat(Qt.TextFormat.RichText)
        self.line2.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.line2.setStyleSheet("font-size: 140px; font-weight: bold;")
        layout.addWidget(self.line1)
        layout.addWidget(self.line2)
        layout.addStretch(1)
        self.set_flash(False)
        self.show_call(None)

    def show_call(self, call: Call | None) -> None:
        if call is None:
            self.line1.setText("欢迎光临")
            self.line2.setText('<span style="font-size:64px">请留意叫号，按号到窗口办理</span>')
            self.recall_badge.hide()
            return
        self.line1.setText(f"请 {_num(call.ticket_number)} 号")
        self.line2.setText(f"到 {_num(str(call.window))} 号窗口 办理")
        self.recall_badge.setVisible(call.recall)

    def set_flash(self, on: bool) -> None:
        self.setStyleSheet(f"#hero {{ background: {PANEL_FLASH if on else PANEL}; border-radius: 24px;"
                           f" border: 6px solid {theme.DISPLAY_NUMBER if on else PANEL}; }}")


class RecentCalls(QFrame):
    """The numbers called before the current one, one line each, so a citizen who missed the
    voice can find theirs. The current call is large beside it and is not repeated here."""

    ROWS = 7

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recent")
        self.setStyleSheet(f"#recent {{ background: {PANEL}; border-radius: 24px; }}")
        layout = QGridLayout(self)
        layout.setContentsMargins(36, 24, 36, 24)
        layout.setVerticalSpacing(6)
        head = QLabel("最近呼叫")
        head.setStyleSheet("font-size: 40px; font-weight: bold;")
        layout.addWidget(head, 0, 0, 1, 2)
        self.number_labels: list[QLabel] = []
        self.window_labels: list[QLabel] = []
        for row in range(self.ROWS):
            n = QLabel()
            n.setStyleSheet(f"font-size: 64px; font-weight: bold; color: {theme.DISPLAY_NUMBER};")
            w = QLabel()
            w.setStyleSheet("font-size: 52px;")
            w.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            layout.addWidget(n, row + 1, 0)
            layout.addWidget(w, row + 1, 1)
            self.number_labels.append(n)
            self.window_labels.append(w)
        layout.setRowStretch(self.ROWS + 1, 1)

    def show_calls(self, calls: list[Call], current: str = "") -> None:
        """Newest first, each number once (a recall does not push others off the list), and
        without `current`, the number on the large panel."""
        seen: set[str] = {current} if current else set()
        unique = []
        for c in calls:
            if c.ticket_number not in seen:
                seen.add(c.ticket_number)
                unique.append(c)
        for i in range(self.ROWS):
            call = unique[i] if i < len(unique) else None
            self.number_labels[i].setText(call.ticket_number if call else "")
            self.window_labels[i].setText(f"{call.window} 号窗口" if call else "")


class WaitingBar(QWidget):
    """Waiting people per category: the letter, the name and the count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(14)
        self.tiles: dict[str, QLabel] = {}

    def show_counts(self, categories: list[Category], waiting: dict[str, int]) -> None:
        if [c.prefix for c in categories] != list(self.tiles):
            for tile in self.tiles.values():
                tile.deleteLater()
            self.tiles = {}
            for c in categories:
                tile = QLabel()
                tile.setTextFormat(Qt.TextFormat.RichText)
                tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
                tile.setStyleSheet(f"background: {PANEL}; border-radius: 16px; padding: 8px;")
                self._layout.addWidget(tile, 1)
                self.tiles[c.prefix] = tile
        small = len(categories) > 8
        for c in categories:
            n = waiting.get(c.prefix, 0)
            self.tiles[c.prefix].setText(
                f'<div style="font-size:{26 if small else 30}px">{_num(c.prefix)} {escape(c.name)}</div>'
                f'<div style="font-size:{36 if small else 42}px; font-weight:bold">等候 {_num(str(n))} 人</div>')
