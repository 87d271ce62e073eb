"""What a screen is given: the hall facade and the terminal's devices, as plain callables.

Screens never open ports or files themselves; `commands/demo.py` (or a real terminal's set-up)
builds this from the hall's device settings, with the simulators standing in on the demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk import Hall
from ui.bridge import EventBridge


def no_printer(_: bytes) -> None:
    raise RuntimeError("本机未连接取号打印机")


def no_printer_status() -> tuple[bool, str]:
    return False, "本机未连接取号打印机"


@dataclass
class TerminalContext:
    hall: Hall
    hall_events: EventBridge = field(default_factory=EventBridge)  # HallEvent, in the GUI thread
    device_events: EventBridge = field(default_factory=EventBridge)  # devices.events.*, in the GUI thread
    # Sends ESC/POS bytes to the ticket printer. Blocking: call it through ui.worker.run_async.
    # Raises an exception whose str() is a Chinese message (paper out, cover open, offline...).
    send_ticket: Callable[[bytes], None] = no_printer
    # (ready, message) from the printer's real-time status. Blocking as well.
    printer_status: Callable[[], tuple[bool, str]] = no_printer_status
    printer_profile: str = "generic-80"
    _unsubscribe: Callable[[], None] | None = None
    _poller: object | None = None
    _day_watch: object | None = None

    def __post_init__(self) -> None:
        self._unsubscribe = self.hall.subscribe(self.hall_events.post)

    def follow_other_terminals(self, interval_ms: int = 500) -> None:
        """Also deliver events written by other programs on the same hall file. A terminal of a
        hall server needs none: the server pushes every terminal's events."""
        from ui.event_poller import EventPoller

        if self._poller is None and not getattr(self.hall, "remote", False):
            self._poller = EventPoller(self.hall, self.hall_events, interval_ms)

    def follow_the_day(self) -> None:
        """Read everything again when the date changes (ui/day_watch.py): a screen left on
        overnight would otherwise show yesterday's calls and counts until the first event."""
        from ui.day_watch import DayWatch

        if self._day_watch is None:
            self._day_watch = DayWatch(getattr(self.hall, "clock", dt.datetime.now), self.hall_events)

    def close(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
            self._unsubscribe = None
        if self._poller is not None:
            self._poller.stop()  # type: ignore[attr-defined]
            self._poller = None
        if self._day_watch is not None:
            self._day_watch.stop()  # type: ignore[attr-defined]
            self._day_watch = None
