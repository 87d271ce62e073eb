"""Two background watchers: nobody-is-touching (idle reset) and is-the-printer-ready.

Idle: an application-wide event filter sees every touch, click and key, so any input on any
widget (keypads, dialogs) keeps the citizen's session alive; silence for the hall's
idle_seconds (doubled in elder mode: generous time, 适老化) resets the kiosk.
Printer: its status is a blocking serial exchange, so it is asked through run_async and the
GUI thread only ever sees the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from ui.worker import run_async

INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress, QEvent.Type.Wheel,
})
PRINTER_POLL_MS = 4000


class IdleWatcher(QObject):
    """Emits `idle` once after `interval_ms` of no input; any input restarts the count."""

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.timer.start()

    def set_interval_ms(self, ms: int) -> None:
        self.timer.setInterval(ms)
        self.timer.start()

    def poke(self) -> None:
        """Someone is here: start counting again."""
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in INPUT_EVENTS and event.type() != QEvent.Type.MouseMove:
            self.timer.start()
        return False


class PrinterWatcher(QObject):
    """Asks `status()` every few seconds off the GUI thread; emits `changed(ready, message)`."""

    changed = Signal(bool, str)

    def __init__(self, status: Callable[[], tuple[bool, str]], interval_ms: int = PRINTER_POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = status
        self._busy = False
        self.ready: bool | None = None
        self.message = ""
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        """One status request, unless the last one is still on the wire."""
        if self._busy:
            return
        self._busy = True
        run_async(self._status, self._done, self._failed)

    def _done(self, result: tuple[bool, str]) -> None:
        self._busy = False
        ready, message = result
        self._set(bool(ready), str(message))

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self._set(False, str(exc) or "打印机无响应")

    def _set(self, ready: bool, message: str) -> None:
        if ready != self.ready or message != self.message:
            self.ready, self.message = ready, message
            self.changed.emit(ready, message)
