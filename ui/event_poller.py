"""Events from other terminals that share the hall file.

A kiosk, a hall display and each clerk may run as separate programs on one hall database.
The in-process bus only carries this process's own changes, so a timer reads the events
table for newer rows and hands on those another process wrote (each event names the hall
object that wrote it). Reading happens off the GUI thread; delivery goes through the same
EventBridge as local events.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from kiosk import Hall
from kiosk.models import HallEvent
from ui.bridge import EventBridge
from ui.worker import run_async

log = logging.getLogger(__name__)


class EventPoller(QObject):
    def __init__(self, hall: Hall, bridge: EventBridge, interval_ms: int = 500) -> None:
        super().__init__()
        self.hall = hall
        self.bridge = bridge
        self._busy = False
        self._stopped = False
        self.last_id = hall.latest_event_id()  # only what happens from now on
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        """Fetch newer events in the worker pool; one poll at a time."""
        if self._busy:
            return
        self._busy = True
        run_async(lambda: self.hall.events_since(self.last_id), self._deliver, self._failed)

    def _deliver(self, events: list[HallEvent]) -> None:
        self._busy = False
        if self._stopped:  # a poll that was running when the terminal closed
            return
        if events:
            self.last_id = max(self.last_id, events[-1].id)
        for event in events:
            if event.data.get("origin") != self.hall.origin:
                self.bridge.post(event)

    def _failed(self, exc: Exception) -> None:
        self._busy = False  # e.g. the file was locked for a moment: the next tick tries again
        log.warning("读取其他终端的事件失败，稍后重试：%s", exc)

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()
