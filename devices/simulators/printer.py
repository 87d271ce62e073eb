"""A simulated ESC/POS ticket printer on a pty.

It answers the real-time status queries DLE EOT n (n = 1..4) and the paper sensor query
GS r 1 (00 paper / 0F no paper, like the cheap printers the spec mentions), and "prints"
every other byte: to `printed` in memory and, if given, appended to an output file.

Like a real printer, while it is out of paper, open or offline it still answers status but
holds what it receives and prints it once it is back, which is exactly why the driver must
ask before each ticket. `silent` models a printer that is switched off (no answers, bytes
lost); `unplug()` makes the port vanish.
"""

from __future__ import annotations

import time
from pathlib import Path

from devices.simulators.base import PtySimulator

DLE, EOT, GS = 0x10, 0x04, 0x1D
HOLD_PARTIAL = 0.05  # a lone DLE/GS at the end of a write is printed after this long


class PrinterSimulator(PtySimulator):
    name = "printer"

    def __init__(self, *, baud: int = 9600, out: str | Path | None = None, link: str | None = None) -> None:
        super().__init__(baud=baud, link=link)
        self.out = Path(out) if out else None
        self.printed = bytearray()
        self.held = bytearray()
        self.paper_out = False
        self.paper_near_end = False
        self.cover_open = False
        self.offline = False
        self.cutter_error = False
        self.silent = False
        self.paper_left: int | None = None  # bytes the roll still holds; None: endless
        self.status_queries = 0
        self._partial = bytearray()
        self._partial_since = 0.0

    # -- control (any thread) ----------------------------------------------------------

    def set_state(self, **flags: bool) -> None:
        """Change paper_out, paper_near_end, cover_open, offline, cutter_error, silent."""

        def apply() -> None:
            for name, value in flags.items():
                if name not in (
                    "paper_out",
                    "paper_near_end",
                    "cover_open",
                    "offline",
                    "cutter_error",
                    "silent",
                ):
                    raise ValueError(f"unknown printer state {name!r}")
                setattr(self, name, bool(value))
            if self._can_print():
                held, self.held = bytes(self.held), bytearray()
                self._print(held)

        self.call(apply)

    def set_paper_left(self, nbytes: int | None) -> None:
        """The roll ends after `nbytes` more printed bytes (None: a roll that never ends): the
        paper runs out in the middle of a ticket, and the rest is held as a real printer does."""
        self.call(lambda: setattr(self, "paper_left", nbytes))

    def set_paper_out(self, out: bool = True) -> None:
        self.set_state(paper_out=out)

    def set_cover_open(self, open_: bool = True) -> None:
        self.set_state(cover_open=open_)

    def set_offline(self, offline: bool = True) -> None:
        self.set_state(offline=offline)

    def output(self) -> bytes:
        """Everything printed so far."""
        return self.call(lambda: bytes(self.printed))

    def wait_for_output(self, nbytes: int, timeout: float = 2.0) -> bytes:
        """Everything printed, once at least `nbytes` are (a pty hands bytes over a moment later)."""
        deadline = time.monotonic() + timeout
        while True:
            printed = self.output()
            if len(printed) >= nbytes or time.monotonic() >= deadline:
                return printed
            time.sleep(0.005)

    # -- the protocol (simulator thread) ---------------------------------------------

    def _can_print(self) -> bool:
        return not (self.paper_out or self.cover_open or self.offline or self.cutter_error or self.silent)

    def status_byte(self, n: int) -> int:
        """The DLE EOT n answer for the current state."""
        value = 0x12
        if n == 1 and (self.offline or self.paper_out or self.cover_open or self.cutter_error):
            value |= 0x08
        elif n == 2:
            value |= (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
            value |= 0x40 if self.cutter_error else 0
        elif n == 3:
            value |= 0x08 if self.cutter_error else 0
        elif n == 4:
            value |= (0x0C if self.paper_near_end else 0) | (0x60 if self.paper_out else 0)
        return value

    def on_bytes(self, data: bytes, received_at: float) -> None:
        buf = self._partial + data
        self._partial = bytearray()
        text = bytearray()
        i = 0
        while i < len(buf):
            byte = buf[i]
            if byte in (DLE, GS):
                if len(buf) - i < 3:
                    self._partial = bytearray(buf[i:])
                    self._partial_since = time.monotonic()
                    break
                if byte == DLE and buf[i + 1] == EOT and buf[i + 2] in (1, 2, 3, 4):
                    self._print(bytes(text))
                    text.clear()
                    self.status_queries += 1
                    if not self.silent:
                        self.send(bytes([self.status_byte(buf[i + 2])]), not_before=received_at)
                    i += 3
                    continue
                if byte == GS and buf[i + 1] == 0x72 and buf[i + 2] in (0x01, 0x31):
                    self._print(bytes(text))
                    text.clear()
                    if not self.silent:
                        self.send(b"\x0f" if self.paper_out else b"\x00", not_before=received_at)
                    i += 3
                    continue
            text.append(byte)
            i += 1
        self._print(bytes(text))

    def tick(self, now: float) -> None:
        if self._partial and now - self._partial_since > HOLD_PARTIAL:
            partial, self._partial = bytes(self._partial), bytearray()
            self._print(partial)

    def _print(self, data: bytes) -> None:
        if not data or self.silent:
            return
        if not self._can_print():
            self.held += data
            return
        if self.paper_left is not None and len(data) > self.paper_left:
            room, self.paper_left = self.paper_left, None
            self.paper_out = True
            self.held += data[room:]
            data = data[:room]
        elif self.paper_left is not None:
            self.paper_left -= len(data)
        self.printed += data
        if self.out is not None:
            with open(self.out, "ab") as fh:
                fh.write(data)
