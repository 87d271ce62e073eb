"""Horizontal bar charts drawn with QPainter (QtCharts is not in PySide6-Essentials).

Horizontal, so Chinese category and window names sit level on the left instead of tilted.
Each bar carries its value in digits, so the chart reads without relying on colour or length.
Labels never shrink below LABEL_MIN_PX: the chart asks for the height its rows need instead.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme

LABEL_MIN_PX = 14  # readable at a desk
ROW_MIN_PX = 22  # a row for such a label and its bar
TOP_PX, BOTTOM_PX = 40, 10  # the title above the rows, a margin below


class BarChart(QWidget):
    def __init__(self, title: str = "", unit: str = "", color: str = theme.PRIMARY,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.unit = unit
        self.color = QColor(color)
        self.items: list[tuple[str, float]] = []
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, items: list[tuple[str, float]], title: str | None = None) -> None:
        self.items = list(items)
        if title is not None:
            self.title = title
        self.setMinimumHeight(max(150, TOP_PX + BOTTOM_PX + ROW_MIN_PX * len(self.items)))
        self.update()

    def label_font(self) -> QFont:
        """The font of the labels and values: the widget's own, smaller only if rows are tight."""
        row_h = min(40.0, (self.height() - TOP_PX - BOTTOM_PX) / max(1, len(self.items)))
        font = QFont(self.font())
        natural = QFontMetrics(self.font()).height() - 2
        font.setPixelSize(max(LABEL_MIN_PX, min(natural, int(row_h * 0.8))))
        return font

    @staticmethod
    def _fmt(value: float) -> str:
        return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(theme.CARD))
        p.setPen(QColor(theme.BORDER))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor(theme.PRIMARY))
        p.drawText(QRectF(14, 8, self.width() - 28, 30), Qt.AlignmentFlag.AlignLeft, self.title)
        top, bottom = TOP_PX, self.height() - BOTTOM_PX
        row_h = min(40.0, (bottom - top) / max(1, len(self.items)))
        font = self.label_font()
        p.setFont(font)
        fm = QFontMetrics(font)
        if not self.items:
            p.setPen(QColor(theme.MUTED))
            p.drawText(QRectF(0, top, self.width(), bottom - top), Qt.AlignmentFlag.AlignCenter, "暂无数据")
            p.end()
            return
        label_w = min(max(fm.horizontalAdvance(label) for label, _ in self.items) + 16, self.width() // 3)
        value_w = fm.horizontalAdvance("0000.0 " + self.unit) + 10
        bar_x, bar_max = 14 + label_w, max(10, self.width() - 14 - label_w - value_w - 14)
        peak = max((v for _, v in self.items), default=0) or 1
        for i, (label, value) in enumerate(self.items):
            y = top + i * row_h
            p.setPen(QColor(theme.TEXT))
            p.drawText(QRectF(14, y, label_w - 10, row_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 10))
            w = bar_max * (value / peak)
            p.fillRect(QRectF(bar_x, y + row_h * 0.18, max(w, 2), row_h * 0.64), self.color)
            p.drawText(QRectF(bar_x + w + 8, y, value_w, row_h), Qt.AlignmentFlag.AlignVCenter,
                       f"{self._fmt(value)} {self.unit}".strip())
        p.end()
