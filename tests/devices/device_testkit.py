"""Helpers for the device tests (a plain module: test files import it by this unique name)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from devices.events import DeviceEvent
from devices.idcard import IdCard


class EventLog:
    """Collects events from a driver thread; `wait_for` blocks until one matches."""

    def __init__(self) -> None:
        self.events: list[DeviceEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: DeviceEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind: type) -> list:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait_for(
        self,
        kind: type,
        where: Callable[[object], bool] = lambda e: True,
        timeout: float = 3.0,
        after: int = 0,
    ):
        """The first event of `kind` (from index `after`) that satisfies `where`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events[after:]:
                    if isinstance(event, kind) and where(event):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    names = [type(e).__name__ for e in self.events]
                    raise AssertionError(f"no {kind.__name__} within {timeout}s; got {names}")
                self._cond.wait(remaining)

    def mark(self) -> int:
        with self._cond:
            return len(self.events)


def card_named(cards: list[IdCard], name: str) -> IdCard:
    return next(c for c in cards if c.name == name)
