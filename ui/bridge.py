"""The one way into widgets from other threads: events queue up and the GUI thread drains them.

Hall events are published by whichever thread committed the change (a print worker, a clerk
action); device events come from device threads. Neither may touch a widget, so both go
into a thread-safe queue, and a queued signal wakes the GUI thread to re-emit them there.
"""

from __future__ import annotations

import queue

from PySide6.QtCore import QObject, Qt, Signal, Slot


class EventBridge(QObject):
    """Call `post(event)` from any thread; connect to `event` in the GUI thread."""

    event = Signal(object)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, item: object) -> None:
        """Thread-safe: never touches a widget."""
        self._queue.put(item)
        self._wake.emit()

    @Slot()
    def _drain(self) -> None:
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            self.event.emit(item)

    def drain_now(self) -> None:
        """Deliver whatever is queued (tests, and before a screenshot)."""
        self._drain()
