"""A simulated serial code scanner on a pty: sends the codes it is given, one per line.

`scan(code)` sends one code with the configured line ending (CR, LF or CRLF, like the
scanner's suffix setting); `send_raw()` sends any bytes, for noise. Standalone, it can send
a list of codes every `interval` seconds.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from devices.simulators.base import PtySimulator

ENDINGS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n"}


class ScannerSimulator(PtySimulator):
    name = "scanner"

    def __init__(
        self,
        *,
        baud: int = 9600,
        ending: str = "cr",
        codes: list[str] | None = None,
        interval: float | None = None,
        link: str | Path | None = None,
    ) -> None:
        super().__init__(baud=baud, link=link)
        if ending not in ENDINGS:
            raise ValueError(f"unknown line ending {ending!r} (choose {', '.join(ENDINGS)})")
        self.ending = ending
        self.interval = interval
        self._codes = itertools.cycle(codes) if codes else None
        self._next_at = 0.0

    def on_plug(self) -> None:
        self._next_at = time.monotonic() + (self.interval or 0.0)  # give the app time to open

    def scan(self, code: str, ending: str | None = None) -> None:
        """Send one code as if it had been scanned (waits until it is on the wire)."""
        data = code.encode("utf-8") + ENDINGS[ending or self.ending]
        self.call(lambda: self.send(data))

    def send_raw(self, data: bytes) -> None:
        self.call(lambda: self.send(data))

    def tick(self, now: float) -> None:
        if self._codes is None or self.interval is None or now < self._next_at:
            return
        self._next_at = now + self.interval
        self.send(next(self._codes).encode("utf-8") + ENDINGS[self.ending])
