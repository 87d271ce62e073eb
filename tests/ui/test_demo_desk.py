"""The demo desk: four terminals at their own resolutions, scaled into one screen, still touchable."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGraphicsItem, QPushButton, QWidget

from ui.demo_desk import DemoDesk


def _terminal(text: str) -> QPushButton:
    return QPushButton(text)


def test_a_click_on_a_scaled_terminal_reaches_its_widget_drawn_at_native_resolution(qtbot) -> None:
    kiosk = _terminal("取号")
    desk = DemoDesk(kiosk, QWidget(), QWidget(), QWidget())
    qtbot.addWidget(desk)
    desk.resize(1600, 900)
    desk.show()
    qtbot.waitExposed(desk)
    pane = desk.panes["kiosk"]
    assert pane.transform().m11() < 1  # 1080 x 1920 shrunk into a quarter of the screen
    # painted at 1080 x 1920 and then scaled as a picture, so bold CJK text keeps its shape
    assert pane.proxy.cacheMode() is QGraphicsItem.CacheMode.ItemCoordinateCache
    centre = pane.mapFromScene(pane.proxy.mapToScene(pane.proxy.boundingRect().center()))
    with qtbot.waitSignal(kiosk.clicked, timeout=1000):
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(centre.x(), centre.y()))
