"""A new day for screens left on overnight.

A hall display, a kiosk or a window PC is often never switched off. Its figures are "today's"
(the calls on the display, the waiting counts, the 过号 list, the board), but nothing is
written at midnight, so nothing tells a screen the day has turned: the display went on showing
yesterday's last call in large type until the morning's first ticket. At the first check after
the date changes the watch posts a Resync on the terminal's event bridge, the event every
screen already answers by reading again what it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from kiosk.events import RESYNC
from kiosk.models import HallEvent
from ui.bridge import EventBridge

CHECK_EVERY_MS = 20_000  # a screen is at most this late into the new day


class DayWatch(QObject):
    def __init__(self, clock: Callable[[], dt.datetime], bridge: EventBridge,
                 interval_ms: int = CHECK_EVERY_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.bridge = bridge
        self.day = clock().date()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> bool:
        """Post a Resync if the date changed since the last check; whether it did."""
        now = self.clock()
        if now.date() == self.day:
            return False
        self.day = now.date()
        self.bridge.post(HallEvent(id=0, kind=RESYNC, at=now.replace(microsecond=0),
                                   data={"reason": "new day", "day": self.day.isoformat()}))
        return True

    def stop(self) -> None:
        self.timer.stop()
