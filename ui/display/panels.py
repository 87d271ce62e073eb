"""The hall display's parts: the current calls, every window's number, 过号 and the waiting counts.

Every part shows ticket numbers, windows and counts only - never a name, ID or phone - so
nothing personal can reach a public screen however the data underneath changes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.models import Call, Category, WindowState
from ui import theme

PANEL = "#12305c"
PANEL_FLASH = "#2a5ea8"
RECALL_BG = theme.ACCENT


def _num(text: str) -> str:
    return f'<span style="color:{theme.DISPLAY_NUMBER}">{escape(text)}</span>'


class CurrentCalls(QFrame):
    """Several calls at once: each window's latest call, newest first. The newest is the largest
    and flashes; the ones before it stay in sight, so a second call within seconds does not push
    the first off the panel before its citizen has looked up."""

    ROWS = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hero")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 20, 40, 20)
        layout.setSpacing(4)
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
        self.welcome = QLabel()
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.welcome, 1)
        self.rows: list[QLabel] = []
        for i in range(self.ROWS):
            row = QLabel()
            row.setTextFormat(Qt.TextFormat.RichText)
            row.setAlignment(Qt.AlignmentFlag.AlignCenter if i == 0 else Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter)
            if i == 1:
                layout.addSpacing(12)
            layout.addWidget(row, 3 if i == 0 else 1)
            self.rows.append(row)
        self.calls: list[Call] = []
        self.set_flash(False)
        self.show_calls([])

    @property
    def line1(self) -> QLabel:
        """The newest call's line (kept for the screens and tests that read it)."""
        return self.rows[0]

    def show_calls(self, calls: list[Call]) -> None:
        self.calls = calls[:self.ROWS]
        self.welcome.setVisible(not self.calls)
        self.welcome.setText('<div style="font-size:200px; font-weight:bold">欢迎光临</div>'
                             '<div style="font-size:64px">请留意叫号，按号到窗口办理</div>')
        for i, row in enumerate(self.rows):
            call = self.calls[i] if i < len(self.calls) else None
            row.setVisible(call is not None)
            if call is None:
                row.clear()
            elif i == 0:
                row.setText(f'<div style="font-size:170px; font-weight:bold">请 {_num(call.ticket_number)} 号</div>'
                            f'<div style="font-size:100px; font-weight:bold">到 {_num(str(call.window))} 号窗口 办理</div>')
            else:
                row.setText(f'<span style="font-size:76px; font-weight:bold">{_num(call.ticket_number)}</span>'
                            f'<span style="font-size:60px">　请到 {_num(str(call.window))} 号窗口</span>')
        self.recall_badge.setVisible(bool(self.calls) and self.calls[0].recall)

    def set_flash(self, on: bool) -> None:
        self.setStyleSheet(f"#hero {{ background: {PANEL_FLASH if on else PANEL}; border-radius: 24px;"
                           f" border: 6px solid {theme.DISPLAY_NUMBER if on else PANEL}; }}")


def current_calls(calls: list[Call]) -> list[Call]:
    """Each window's latest call, newest first (`calls` newest first)."""
    seen: set[int] = set()
    out = []
    for c in calls:
        if c.window not in seen:
            seen.add(c.window)
            out.append(c)
    return out


class WindowsBoard(QFrame):
    """Every open window and the number it is serving, and today's 过号 numbers, so a citizen
    can find their window and one who missed the call knows to ask."""

    COLUMNS = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("windows")
        self.setStyleSheet(f"#windows {{ background: {PANEL}; border-radius: 24px; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        head = QLabel("窗口服务")
        head.setStyleSheet("font-size: 40px; font-weight: bold;")
        layout.addWidget(head)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(10)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.skipped_label = QLabel()
        self.skipped_label.setTextFormat(Qt.TextFormat.RichText)
        self.skipped_label.setWordWrap(True)
        layout.addWidget(self.skipped_label)
        self.cells: dict[int, QLabel] = {}

    def show_windows(self, windows: tuple[WindowState, ...], skipped: tuple[str, ...]) -> None:
        numbers = [w.number for w in windows]
        if numbers != list(self.cells):
            for cell in self.cells.values():
                cell.deleteLater()
            self.cells = {}
            for i, w in enumerate(windows):
                cell = QLabel()
                cell.setTextFormat(Qt.TextFormat.RichText)
                self.grid.addWidget(cell, i // self.COLUMNS, i % self.COLUMNS)
                self.cells[w.number] = cell
        size = 40 if len(windows) <= 12 else 30
        for w in windows:
            serving = _num(w.current) if w.current else ('暂停' if w.paused else ('—' if w.clerk else '未开放'))
            self.cells[w.number].setText(f'<span style="font-size:{size}px">{w.number}号 </span>'
                                         f'<span style="font-size:{size}px; font-weight:bold">{serving}</span>')
        shown = "　".join(escape(n) for n in skipped[:12])
        self.skipped_label.setText(
            '<div style="font-size:34px; font-weight:bold">过号</div>'
            f'<div style="font-size:40px; color:{theme.DISPLAY_NUMBER}">{shown or "—"}</div>'
            '<div style="font-size:26px">过号请到窗口或服务台说明</div>')


class FitLabel(QLabel):
    """One line of plain text at `max_px`, smaller (down to `min_px`) when its share of the row is
    narrower, and cut with "…" only below that. For the hall's own name in the display's header:
    a full official name (XX市XX区政务服务中心（市民之家）) must not push the clock off the TV."""

    def __init__(self, max_px: int, min_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_px = max_px
        self._min_px = min_px
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._font_at(max_px)

    def _font_at(self, px: int) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(px)
        font.setBold(True)
        return font

    def full_text(self) -> str:
        return self._full

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        self._full = text
        self.updateGeometry()
        self._fit()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = QFontMetrics(self._font_at(self._max_px))
        return QSize(fm.horizontalAdvance(self._full) + 8, fm.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(0, QFontMetrics(self._font_at(self._max_px)).height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.width() - 8
        px = next((px for px in range(self._max_px, self._min_px, -2)
                   if QFontMetrics(self._font_at(px)).horizontalAdvance(self._full) <= width), self._min_px)
        font = self._font_at(px)
        self.setFont(font)
        super().setText(QFontMetrics(font).elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, width)))
        self.setToolTip(self._full)


class WaitingBar(QWidget):
    """Waiting people per category: the letter, the name and the count.

    The tiles share the bar's width whatever their names: a hall's real category names
    (商事登记（企业开办一件事）, 不动产登记与交易税费, ...) are long, and tiles sized to them
    pushed the display past 1920 px, off the TV's right edge. A name is shown as large as fits
    its tile on up to the lines there is room for, the count on one line, never cut."""

    SPACING = 14
    PADDING = 8  # each tile's, inside its rounded panel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(self.SPACING)
        self.tiles: dict[str, QLabel] = {}
        self._shown: list[tuple[str, str, int]] = []  # (prefix, name, waiting) per tile, in order

    def show_counts(self, categories: list[Category], waiting: dict[str, int]) -> None:
        if [c.prefix for c in categories] != list(self.tiles):
            for tile in self.tiles.values():
                tile.deleteLater()
            self.tiles = {}
            for c in categories:
                tile = QLabel()
                tile.setTextFormat(Qt.TextFormat.RichText)
                tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
                tile.setWordWrap(True)
                # the bar's share, not the text's: the name is fitted to the tile, not the other way
                tile.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                tile.setMinimumWidth(0)
                tile.setStyleSheet(f"background: {PANEL}; border-radius: 16px; padding: {self.PADDING}px;")
                self._layout.addWidget(tile, 1)
                self.tiles[c.prefix] = tile
        self._shown = [(c.prefix, c.name, waiting.get(c.prefix, 0)) for c in categories]
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Each tile's text at the largest sizes that fit the tile's share of the bar."""
        if not self._shown:
            return
        n = len(self._shown)
        small = n > 8
        width = (self.width() - self.SPACING * (n - 1)) // n - 2 * self.PADDING - 4  # 4: QLabel's own margins
        height = self.height() - 2 * self.PADDING
        for prefix, name, count in self._shown:
            tile = self.tiles[prefix]
            name_px, count_px = fit_tile(tile.font(), f"{prefix} {name}", f"等候 {count} 人", width, height,
                                         26 if small else 30, 36 if small else 42)
            tile.setText(f'<div style="font-size:{name_px}px">{_num(prefix)} {escape(name)}</div>'
                         f'<div style="font-size:{count_px}px; font-weight:bold">等候 {_num(str(count))} 人</div>')


def fit_tile(base: QFont, name: str, count: str, width: int, height: int, name_max: int,
             count_max: int) -> tuple[int, int]:
    """Pixel sizes for a waiting tile's count (one line, as large as fits the width) and name
    (wrapped, as large as fits the height left). Read from across a hall: the smallest sizes are
    still 18 px; a name that does not fit even so is cut at the tile's edge rather than widen it."""
    width = max(1, width)

    def font(px: int, bold: bool = False) -> QFont:
        f = QFont(base)
        f.setPixelSize(px)
        f.setBold(bold)
        return f

    count_px = next((px for px in range(count_max, 18, -2)
                     if QFontMetrics(font(px, True)).horizontalAdvance(count) <= width), 18)
    left = height - QFontMetrics(font(count_px, True)).lineSpacing()
    flags = int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere)
    name_px = next((px for px in range(name_max, 18, -1)
                    if QFontMetrics(font(px)).boundingRect(QRect(0, 0, width, 10_000), flags, name).height() <= left),
                   18)
    return name_px, count_px
