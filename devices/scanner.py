"""A serial code scanner: one code per line, classified for the kiosk.

Scanners in keyboard-less serial mode send each code followed by CR, LF or CRLF (a
setting on the scanner, so all three are accepted). Line noise or a scanner set to another
code page yields bytes that are not UTF-8: they are replaced, never fatal. A scanner set
to no suffix at all still works: a partial line is delivered after `idle_flush` seconds of
silence.

Code shapes (documented here because the hall prints and reads them):
- appointment (预约码): `YY` + the appointment date as YYYYMMDD + six random digits,
  e.g. `YY20261125381604` (16 characters; the date must be a real date); bookings made before
  codes were random carry a 4-digit running number instead (14 characters) and are still read;
- application (办件编号): 14-20 digits, e.g. `3301062026112500001`;
- anything else: unknown.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
import unicodedata

import serial

from devices.events import SCANNER, CodeScanned, EventSink, safe_emitter
from devices.ports import PORT_ERRORS, PolledDevice, close_quietly, open_port, read_some

APPOINTMENT = "appointment"
APPLICATION = "application"
UNKNOWN = "unknown"

_APPOINTMENT = re.compile(r"^YY(\d{8})(\d{6}|\d{4})$", re.ASCII)  # ASCII: no full-width or Arabic-Indic digits
_APPLICATION = re.compile(r"^\d{14,20}$", re.ASCII)
MAX_LINE = 512  # a runaway line without terminator is cut here


def classify_code(code: str) -> str:
    """'appointment', 'application' or 'unknown' (see the module docstring)."""
    match = _APPOINTMENT.match(code.upper())
    if match:
        try:
            dt.datetime.strptime(match.group(1), "%Y%m%d")
        except ValueError:
            return UNKNOWN
        return APPOINTMENT
    if _APPLICATION.match(code):
        return APPLICATION
    return UNKNOWN


def clean_line(raw: bytes) -> str:
    """Decode one line: undecodable bytes become U+FFFD, control characters and blanks go."""
    text = raw.decode("utf-8", errors="replace")
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    return text.strip()


class LineSplitter:
    """Bytes in, cleaned non-empty lines out; CR, LF and CRLF all end a line."""

    def __init__(self) -> None:
        self._buf = bytearray()

    @property
    def pending(self) -> bool:
        return bool(self._buf)

    def feed(self, data: bytes) -> list[str]:
        self._buf += data
        lines: list[str] = []
        while True:
            ends = [i for i in (self._buf.find(b"\r"), self._buf.find(b"\n")) if i >= 0]
            if not ends:
                break
            end = min(ends)
            line, self._buf = bytes(self._buf[:end]), self._buf[end + 1 :]
            lines.append(clean_line(line))
        if len(self._buf) > MAX_LINE:
            lines.append(clean_line(bytes(self._buf)))
            self._buf.clear()
        return [line for line in lines if line]

    def flush(self) -> list[str]:
        line, self._buf = bytes(self._buf), bytearray()
        cleaned = clean_line(line)
        return [cleaned] if cleaned else []


class CodeScanner(PolledDevice):
    """A scanner at a pyserial URL, read in a background thread; events go to `on_event`."""

    device = SCANNER

    def __init__(
        self,
        url: str,
        baud: int = 9600,
        *,
        on_event: EventSink | None = None,
        idle_flush: float = 0.3,
        retry_interval: float = 1.0,
    ) -> None:
        self.url = url
        self.baud = baud
        self.idle_flush = idle_flush
        self._emit = safe_emitter(on_event)
        self._attach_worker(url, baud, retry_interval)


    def _event(self, code: str) -> CodeScanned:
        return CodeScanned(code, classify_code(code), device=self.device, url=self.url)

    def _pump(
        self, port: serial.SerialBase, splitter: LineSplitter, last_byte_at: float
    ) -> tuple[list[str], float]:
        """Read what is there; return finished lines and when the last byte came."""
        data = read_some(port)
        now = time.monotonic()
        if data:
            return splitter.feed(data), now
        if splitter.pending and now - last_byte_at >= self.idle_flush:
            return splitter.flush(), now
        return [], last_byte_at

    def _run_session(self, port: serial.SerialBase, stop: threading.Event) -> None:
        splitter = LineSplitter()
        last = time.monotonic()
        while not stop.is_set():
            lines, last = self._pump(port, splitter, last)
            for line in lines:
                self._emit(self._event(line))

    def read_codes(self, count: int = 1, timeout: float = 10.0) -> list[CodeScanned]:
        """One-shot (diagnostics): open, collect up to `count` codes within `timeout`, close.

        Raises OSError (SerialException) when the port cannot be opened or fails.
        """
        if self.running:
            raise RuntimeError("read_codes cannot run while the scanner thread owns the port")
        port = open_port(self.url, self.baud)
        try:
            splitter = LineSplitter()
            codes: list[CodeScanned] = []
            deadline = time.monotonic() + timeout
            last = time.monotonic()
            while len(codes) < count and time.monotonic() < deadline:
                lines, last = self._pump(port, splitter, last)
                codes.extend(self._event(line) for line in lines)
            return codes[:count]
        finally:
            close_quietly(port)


__all__ = [
    "APPLICATION",
    "APPOINTMENT",
    "PORT_ERRORS",
    "UNKNOWN",
    "CodeScanner",
    "LineSplitter",
    "classify_code",
    "clean_line",
]
