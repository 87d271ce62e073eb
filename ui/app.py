"""Creating the QApplication (the Chinese font from the same file the PDFs use, and the theme)
and ending it cleanly on Ctrl+C or SIGTERM."""

from __future__ import annotations

import signal
import sys

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog

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
    if _signals_caught:  # caught before the application existed (commands.run does so first)
        _keep_python_awake(app)
    return app


_stop_requested = False
_signals_caught = False
_WAKE_MS = 250  # how often Python gets a turn to run a signal handler while Qt waits


def _request_stop(*_: object) -> None:
    """The handler of SIGINT and SIGTERM. `exit` rather than `quit`: the kiosk refuses a close,
    not its operator's signal. `QApplication.exit` ends only the loop of `app.exec()` (and the
    ones turning inside it): it does nothing while a dialog shown before that loop waits in its
    own `exec()` (the manager's sign-in), so such dialogs are rejected as well, from the event
    loop rather than from inside whatever Python code the signal interrupted."""
    global _stop_requested
    _stop_requested = True
    app = QApplication.instance()
    if app is not None:
        app.exit(0)  # no-op before the loop runs; run_until_stopped then looks at the flag
        QTimer.singleShot(0, _reject_dialogs)  # also a dialog shown after the signal, at its first turn


def _reject_dialogs() -> None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


def _keep_python_awake(app: QApplication) -> None:
    """Python runs its signal handlers only when it gets a turn, and a Qt loop that waits for
    events gives it none: without this a dialog's loop (the manager's sign-in, before the
    screens' own loop runs) let Ctrl+C and `kill` go unanswered for ever. A light timer on the
    application wakes Python a few times a second in whichever loop is turning, from the
    moment the signals are caught until the process ends."""
    if app.findChild(QTimer, "wakeForSignals") is not None:
        return
    wake = QTimer(app, objectName="wakeForSignals", interval=_WAKE_MS)
    wake.timeout.connect(lambda: None)
    wake.start()


def catch_stop_signals() -> None:
    """From now on Ctrl+C or SIGTERM asks the screens to stop instead of raising
    KeyboardInterrupt wherever the main thread happens to be. Installed before the hall is
    opened and the screens are built, because a signal during that start-up (the demo's server
    already running, a screen waiting on its first answer) would otherwise tear through a
    network call and print a traceback instead of closing the hall."""
    global _signals_caught
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _request_stop)
    _signals_caught = True
    app = QApplication.instance()
    if isinstance(app, QApplication):
        _keep_python_awake(app)


def exec_unless_stopped(dialog: QDialog) -> bool:
    """Show `dialog` and wait for it, as `dialog.exec()` does, for a dialog that comes before
    the screens' own loop (the manager's sign-in). True when it was accepted. A stop asked for
    before it would show means it is not shown at all; one asked for while it shows rejects it."""
    if _stop_requested:
        return False
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return accepted and not _stop_requested


def run_until_stopped(app: QApplication) -> int:
    """Run the event loop until the screens close or Ctrl+C / SIGTERM asks them to, so the
    caller's cleanup runs (devices stopped, hall closed). A stop asked for before the loop
    started is honoured as its first event."""
    catch_stop_signals()
    QTimer.singleShot(0, lambda: app.exit(0) if _stop_requested else None)
    return app.exec()
