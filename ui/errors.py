"""The last safety net: an error no screen caught becomes a plain message on the screen, never a
traceback and never silence.

Every screen catches the hall's refusals where it makes a call. But a hall server can go away in
the middle of any read (a LAN cable pulled while the clerk ticks a material), and a defect can
raise anywhere; Qt hands such an error to `sys.excepthook`, whose default prints a traceback to
the program's log and leaves the person at the screen with a button that did nothing. Installed
by the launcher, this hook shows the hall's own Chinese message for a HallError (a server gone,
a busy file, a refusal) and a plain apology for anything else, on the window in front, and
writes the traceback to the log for the technician.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from kiosk.errors import HallError
from ui import theme

log = logging.getLogger(__name__)
INTERNAL = "操作未完成：程序内部出错，已记录在日志中。请重试，如再次出现请联系管理员"
SHOW_MS = 8000


def install() -> None:
    """Make `report` the process's hook for errors nothing caught (Qt's slots and event handlers)."""
    sys.excepthook = report


def report(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, (KeyboardInterrupt, SystemExit)):
        sys.__excepthook__(kind, error, tb)
        return
    if isinstance(error, HallError):
        log.warning("操作未完成（%s）：%s", kind.__name__, error)
        said: BaseException | str = error
    else:
        log.error("未处理的程序错误", exc_info=(kind, error, tb))
        said = INTERNAL
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return  # only the GUI thread may touch a window (device threads never do): the log has it
    try:
        show(said)
    except Exception:  # the net itself must never raise: the log has the error already
        log.exception("无法在屏幕上显示错误信息")


def front_window() -> QWidget | None:
    """The window the person is using: the active one, else the last visible top-level window."""
    active = QApplication.activeWindow()
    if active is not None:
        return active
    # a tooltip is a top-level label of its own, never the window someone is using
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, QLabel)]
    return shown[-1] if shown else None


def show(said: BaseException | str) -> None:
    """What went wrong (a HallError, whose message is the hall's own words, or a text) on the
    window in front: through its own message line where it has one (`show_hall_error`, which
    may say it in the screen's language), else as a banner along its bottom edge for a while."""
    window = front_window()
    if window is None:
        return
    own = getattr(window, "show_hall_error", None)
    if callable(own):
        own(said)
        return
    message = str(said)
    banner = window.findChild(QLabel, "hallErrorBanner", Qt.FindChildOption.FindDirectChildrenOnly)
    if banner is None:
        banner = QLabel(window, objectName="hallErrorBanner")
        banner.setWordWrap(True)
        banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        banner.setStyleSheet(f"background: #fdecee; color: {theme.ACCENT}; border: 3px solid {theme.ACCENT};"
                             f" border-radius: 10px; padding: 12px; font-size: {theme.BASE_PT + 4}pt;"
                             " font-weight: bold;")
        timer = QTimer(banner, singleShot=True, objectName="hallErrorBannerTimer")
        timer.timeout.connect(banner.hide)
    banner.setText("⚠ " + message)
    width = max(200, window.width() - 80)
    banner.setFixedWidth(width)
    banner.adjustSize()
    banner.move((window.width() - width) // 2, max(0, window.height() - banner.height() - 40))
    banner.show()
    banner.raise_()
    banner.findChild(QTimer, "hallErrorBannerTimer").start(SHOW_MS)
