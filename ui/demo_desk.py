"""The demo on one screen: each terminal drawn at its own resolution, scaled into a quarter.

A kiosk is 1080x1920 and a hall display 1920x1080; shrinking their layouts would show a
newcomer screens no hall has. Instead each terminal lives in a QGraphicsView at its native
size and the view scales it to fit, still fully touchable with the mouse.

Keys belong to the terminal being used. A terminal's window shortcuts (the kiosk's Esc that
asks for the manager PIN, the workbench's F-keys) count as "in the active window" when their
scene's active window is their proxy, and every scene of an active desk activates its proxy -
so Esc typed in the workbench opened the kiosk's PIN dialog. Each pane therefore keeps its
scene's window active only while the pane has the keyboard focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFocusEvent, QPainter
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui import theme


class ScaledPane(QGraphicsView):
    """One terminal at its native size, scaled to the pane keeping its aspect ratio."""

    def __init__(self, widget: QWidget, native: QSize) -> None:
        super().__init__()
        self.setScene(QGraphicsScene(self))
        widget.resize(native)
        widget.setMinimumSize(native)
        widget.setMaximumSize(native)
        # a (frameless) window in its scene, so that its scene can tell whether it is the active one
        self.proxy = self.scene().addWidget(widget, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        # draw the terminal at its own resolution, then scale the picture: text drawn straight
        # into a scaled view smears its synthesised bold (the CJK font has no bold face) on X11
        self.proxy.setCacheMode(QGraphicsItem.CacheMode.ItemCoordinateCache)
        self.terminal = widget
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor("#2b3440"))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.fitInView(self.proxy, Qt.AspectRatioMode.KeepAspectRatio)

    # --- keys reach only the terminal in use ------------------------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self._take_keys(True)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # its own menu or combo list is still it
            self._take_keys(False)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.WindowActivate:  # the scene just re-activated its proxy
            self._take_keys(self.hasFocus())
        return handled

    def _take_keys(self, on: bool) -> None:
        scene = self.scene()
        if scene is not None and scene.isActive():
            scene.setActiveWindow(self.proxy if on else None)


class DemoDesk(QWidget):
    """Kiosk on the left; the hall display, the clerk's workbench and the evaluator beside it."""

    def __init__(self, kiosk: QWidget, display: QWidget, workbench: QWidget, evaluator: QWidget) -> None:
        super().__init__()
        self.setWindowTitle("政务服务大厅终端 · 演示")
        self.setStyleSheet(f"background: {theme.DISPLAY_BG};")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 6, 6, 6)
        grid.setSpacing(6)
        self.panes = {
            "kiosk": ScaledPane(kiosk, QSize(1080, 1920)),
            "display": ScaledPane(display, QSize(1920, 1080)),
            "workbench": ScaledPane(workbench, QSize(1366, 768)),
            "evaluator": ScaledPane(evaluator, QSize(1280, 800)),
        }
        grid.addWidget(self._titled("取号机（触摸屏）", self.panes["kiosk"]), 0, 0, 2, 1)
        grid.addWidget(self._titled("大厅显示屏", self.panes["display"]), 0, 1, 1, 2)
        grid.addWidget(self._titled("1号窗口 · 工作台", self.panes["workbench"]), 1, 1)
        grid.addWidget(self._titled("1号窗口 · 评价器", self.panes["evaluator"]), 1, 2)
        grid.setColumnStretch(0, 9)
        grid.setColumnStretch(1, 14)
        grid.setColumnStretch(2, 9)

    @staticmethod
    def _titled(title: str, pane: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        label = QLabel(title)
        label.setStyleSheet("color: white; font-weight: bold;")
        layout.addWidget(label)
        layout.addWidget(pane, 1)
        return box
