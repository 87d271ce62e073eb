"""Horizontal bar charts drawn with QPainter (QtCharts is not in PySide6-Essentials).

Horizontal, so Chinese category and window names sit level on the left instead of tilted.
Each bar carries its value in digits, so the chart reads without relying on colour or length.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme


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
        self.update()

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
        top, bottom = 46, self.height() - 12
        row_h = min(40.0, (bottom - top) / max(1, len(self.items)))
        font = QFont(self.font())  # shrink the labels rather than let rows overlap on a small screen
        font.setPixelSize(max(9, min(QFontMetrics(self.font()).height() - 2, int(row_h * 0.8))))
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
