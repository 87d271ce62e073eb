"""Creating the QApplication: the Chinese font from the same file the PDFs use, and the theme."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ui import theme

_app: QApplication | None = None


def load_cjk_font() -> str:
    """Register the packaged CJK font with Qt and return its family name.

    The font file is the one printing uses (printing.fonts), so a machine without any system
    CJK font still shows hanzi instead of boxes.
    """
    from printing.fonts import FALLBACK_FAMILY, FAMILY, cjk_font_path, fallback_font_path

    families: list[str] = []
    for path in (cjk_font_path(), fallback_font_path()):
        if path is None:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    if FAMILY in families:
        return FAMILY
    return families[0] if families else FALLBACK_FAMILY


def _quiet_offscreen_noise(kind: QtMsgType, context: object, message: str) -> None:
    """The offscreen platform warns on every top-level window that it cannot propagate size
    hints; that says nothing about the hall, so it is dropped and everything else printed."""
    if "propagateSizeHints" in message:
        return
    print(message, file=sys.stderr)


def create_application(argv: list[str] | None = None) -> QApplication:
    """One QApplication per process, with the CJK font as default and the hall's style sheet."""
    global _app
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    if _app is None:
        qInstallMessageHandler(_quiet_offscreen_noise)
        family = load_cjk_font()
        font = QFont(family, theme.BASE_PT)
        font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
        app.setFont(font)
        fallback = [family, "WenQuanYi Zen Hei"]
        QFont.insertSubstitutions(family, fallback[1:])
        app.setApplicationName("政务服务大厅终端")
        app.setStyleSheet(theme.stylesheet())
        _app = app
    return app


_stop_requested = False


def _request_stop(*_: object) -> None:
    global _stop_requested
    _stop_requested = True
    app = QApplication.instance()
    if app is not None:
        app.exit(0)  # no-op before the loop runs; run_until_stopped then looks at the flag


def catch_stop_signals() -> None:
    """From now on Ctrl+C or SIGTERM asks the screens to stop instead of raising
    KeyboardInterrupt wherever the main thread happens to be. Installed before the hall is
    opened and the screens are built, because a signal during that start-up (the demo's server
    already running, a screen waiting on its first answer) would otherwise tear through a
    network call and print a traceback instead of closing the hall."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _request_stop)


def run_until_stopped(app: QApplication) -> int:
    """Run the event loop until the screens close or Ctrl+C / SIGTERM asks them to, so the
    caller's cleanup runs (devices stopped, hall closed). Python runs its signal handlers only
    when it gets a turn, and an idle Qt loop gives it none, so a light timer wakes it a few
    times a second. A stop asked for before the loop started is honoured as its first event.
    `exit` rather than `quit`: the kiosk refuses a close, not its operator's signal."""
    catch_stop_signals()
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    QTimer.singleShot(0, lambda: app.exit(0) if _stop_requested else None)
    try:
        return app.exec()
    finally:
        wake.stop()
        wake.deleteLater()
