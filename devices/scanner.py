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

What a scanner sends is not always the bare code: full-width characters from a phone's
screen or a scanner set to another code page (ＹＹ２０２６…, read as YY2026… after NFKC), an
AIM symbology prefix such as `]Q1` from a scanner set to send one, or a link with the code
inside it (`https://…/booking?code=YY20261125381604`). `extract_code` finds the code in such
a line when exactly one candidate is there; two different candidates are left as they came
(unknown), since picking one could show a citizen someone else's booking or application.
A receipt's QR with a public address carries `<follow_url>/a/<token>` instead of the number;
`follow_link` reads its kind and token for the hall to resolve.
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

_APPOINTMENT = re.compile(r"^YY(\d{8})(\d{6}|\d{4})$", re.ASCII)  # ASCII: no Arabic-Indic digits
_APPLICATION = re.compile(r"^\d{14,20}$", re.ASCII)
# inside a longer line: not glued to other letters or digits, which would make it part of another word
_APPOINTMENT_IN = re.compile(r"(?<![0-9A-Za-z])YY(?:\d{14}|\d{12})(?![0-9A-Za-z])", re.ASCII | re.IGNORECASE)
_APPLICATION_IN = re.compile(r"(?<![0-9A-Za-z])\d{14,20}(?![0-9A-Za-z])", re.ASCII)
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")  # ]Q1 (QR), ]C0 (Code 128), ]d2 (Data Matrix)…
# the hall's follow links (kiosk.models.HallInfo.follow_payload): <address>/a/<token> or /t/<token>
_FOLLOW_LINK = re.compile(r"^https?://\S+?/([at])/([A-Za-z0-9_-]{16})/?$", re.ASCII)
MAX_LINE = 512  # a runaway line without terminator is cut here


def normalize(text: str) -> str:
    """A line as the codes are written: NFKC (full-width letters and digits become ASCII),
    control characters and surrounding blanks gone, a leading AIM symbology prefix dropped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C")).strip()
    return _AIM_PREFIX.sub("", text, count=1).strip()


def _shape(code: str) -> str:
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


def extract_code(text: str) -> str:
    """The booking code or application number in a scanned line: the line itself when it is
    one, else the only one inside it (a booking code upper-cased); anything else unchanged
    but normalized. A follow link is left whole for `follow_link`."""
    text = normalize(text)
    if _shape(text) != UNKNOWN:
        return text.upper()
    if _FOLLOW_LINK.match(text):
        return text
    bookings = {m.upper() for m in _APPOINTMENT_IN.findall(text) if _shape(m) == APPOINTMENT}
    if bookings:
        return bookings.pop() if len(bookings) == 1 else text
    numbers = set(_APPLICATION_IN.findall(text))
    return numbers.pop() if len(numbers) == 1 else text


def classify_code(code: str) -> str:
    """'appointment', 'application' or 'unknown' (see the module docstring) for what
    `extract_code` finds in the line."""
    return _shape(extract_code(code))


def follow_link(text: str) -> tuple[str, str] | None:
    """("a", token) for an application's follow link, ("t", token) for a ticket's; None when
    the line is not one."""
    match = _FOLLOW_LINK.match(normalize(text))
    return (match.group(1), match.group(2)) if match else None


def clean_line(raw: bytes) -> str:
    """Decode one line: undecodable bytes become U+FFFD, then `normalize` (NFKC, no control
    characters or blanks, no AIM prefix)."""
    return normalize(raw.decode("utf-8", errors="replace"))


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


    def _event(self, line: str) -> CodeScanned:
        code = extract_code(line)
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
    "extract_code",
    "follow_link",
    "normalize",
]
