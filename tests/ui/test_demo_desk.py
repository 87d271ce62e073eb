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


def test_esc_typed_at_the_demo_workbench_opens_no_kiosk_pin_dialog_but_esc_at_the_kiosk_still_does(
        qtbot, tmp_path) -> None:
    """Every pane's scene used to treat its terminal as the active window, so the kiosk's Esc
    (manager PIN) fired while the clerk typed in the workbench beside it."""
    from kiosk import open_hall
    from ui.app import create_application
    from ui.clerk import ClerkWorkbench
    from ui.context import TerminalContext
    from ui.kiosk import KioskWindow
    from ui.worker import drain_jobs

    create_application()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    ctx = TerminalContext(hall)
    try:
        kiosk = KioskWindow(ctx, poll_printer=False)
        workbench = ClerkWorkbench(ctx, 1)
        desk = DemoDesk(kiosk, QWidget(), workbench, QWidget())
        qtbot.addWidget(desk)
        desk.resize(1600, 900)
        desk.show()
        qtbot.waitExposed(desk)
        desk.activateWindow()
        qtbot.waitUntil(desk.isActiveWindow)
        assert workbench.sign_in("clerk01", "demo-clerk01")

        pane = desk.panes["workbench"]
        field = workbench.acceptance.applicant.name
        at = pane.mapFromScene(pane.proxy.mapToScene(field.mapTo(workbench, field.rect().center())))
        qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(at.x(), at.y()))
        qtbot.waitUntil(pane.hasFocus)
        qtbot.keyClick(field, Qt.Key.Key_Escape)
        assert kiosk.pin_dialog is None
        qtbot.keyClick(workbench, Qt.Key.Key_F1)  # the workbench's own keys still work there
        assert "暂无" in workbench.last_message or workbench.ticket is not None

        kiosk_pane = desk.panes["kiosk"]
        kiosk_pane.setFocus()
        qtbot.waitUntil(kiosk_pane.hasFocus)
        qtbot.keyClick(kiosk_pane.viewport(), Qt.Key.Key_Escape)
        assert kiosk.pin_dialog is not None  # the kiosk's Esc is where it belongs
        kiosk.pin_dialog.reject()
    finally:
        drain_jobs()  # the kiosk's and the desk's reads call back before the hall closes
        ctx.close()
        hall.close()


def test_esc_on_a_workbench_of_its_own_opens_nothing(qtbot, tmp_path) -> None:
    from kiosk import open_hall
    from ui.app import create_application
    from ui.clerk import ClerkWorkbench
    from ui.context import TerminalContext
    from ui.worker import drain_jobs

    create_application()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    ctx = TerminalContext(hall)
    try:
        wb = ClerkWorkbench(ctx, 1)
        qtbot.addWidget(wb)
        wb.show()
        qtbot.waitExposed(wb)
        assert wb.sign_in("clerk01", "demo-clerk01")
        qtbot.keyClick(wb, Qt.Key.Key_Escape)
        assert [w for w in wb.findChildren(QWidget) if w.isWindow() and w.isVisible()] == []
        wb.close()
    finally:
        drain_jobs()  # the desk's alert strip was still reading the board when it closed
        ctx.close()
        hall.close()
