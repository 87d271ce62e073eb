"""A notice line that scrolls right to left, like the LED strip over a hall's windows."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

STEP_PX = 3
TICK_MS = 30  # ~100 px/s: readable from across the hall, not jittery


class Marquee(QWidget):
    def __init__(self, text: str = "", *, pixel_size: int = 40, color: str = "#ffffff",
                 background: str = "#08172e", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = text
        self._offset = 0
        self._color = QColor(color)
        self._background = QColor(background)
        font = QFont(self.font())
        font.setPixelSize(pixel_size)
        self.setFont(font)
        self.setFixedHeight(int(pixel_size * 1.8))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(TICK_MS)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming, like QLabel
        self._text = text
        self._offset = 0
        self.update()

    def _tick(self) -> None:
        width = QFontMetrics(self.font()).horizontalAdvance(self._text) + self.width() // 3
        self._offset = (self._offset + STEP_PX) % max(1, width)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        p = QPainter(self)
        p.fillRect(self.rect(), self._background)
        p.setPen(self._color)
        p.setFont(self.font())
        fm = QFontMetrics(self.font())
        gap = self.width() // 3
        run = fm.horizontalAdvance(self._text) + gap
        y = (self.height() + fm.ascent() - fm.descent()) // 2
        x = 40 - self._offset  # starts readable, so a screenshot shows the notice's beginning
        while x < self.width():
            p.drawText(x, y, self._text)
            x += run
        p.end()
