"""Where ticket bytes go: a pyserial URL, or a plain file (for tests, logs and demos).

`open_sink(target)`:
- `file:PATH` -> append to PATH (created if need be);
- anything with `://` (`socket://host:9100`, `loop://`, `rfc2217://`) -> pyserial URL;
- an existing regular file -> append to it;
- anything else (`/dev/ttyUSB0`, a pty or a link to one, `COMn`, a path that does not exist)
  -> serial port.

A bare path that does not exist is a port that is not there, never a new file: a printer link
that vanished when its cable was pulled must read as "disconnected", not quietly turn into a
file the tickets disappear into. To write tickets to a new file, say `file:PATH`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import serial

from devices.ports import PORT_ERRORS, close_quietly, open_port, read_some

_COM = re.compile(r"^COM\d+$", re.IGNORECASE)


def is_serial_target(target: str) -> bool:
    """True when `target` names a serial port or pyserial URL rather than a file."""
    if target.startswith("file:"):
        return False
    if "://" in target or _COM.match(target) or target.startswith("/dev/"):
        return True
    try:
        return not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:
        return True


class FileSink:
    """Appends each ticket to a file; a file has no paper to run out of, so it is always ready."""

    always_ready = True

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        with open(self.path, "ab"):  # a missing folder or no permission is reported now, not mid-ticket
            pass

    def write(self, data: bytes) -> None:
        with open(self.path, "ab") as fh:
            fh.write(data)

    def close(self) -> None:
        pass


class SerialSink:
    """A serial port (or pyserial URL) that can also answer status queries."""

    always_ready = False

    def __init__(self, url: str, baud: int, *, write_timeout: float = 10.0) -> None:
        self.url = url
        self.port: serial.SerialBase = open_port(url, baud, write_timeout=write_timeout)

    def write(self, data: bytes) -> None:
        self.port.write(data)

    def read_some(self) -> bytes:
        return read_some(self.port)

    def drain(self) -> None:
        """Wait until what was written has left this PC (tcdrain), so a status question asked
        next reaches the printer after the whole ticket."""
        self.port.flush()

    def discard_input(self) -> None:
        self.port.reset_input_buffer()

    def close(self) -> None:
        close_quietly(self.port)


Sink = FileSink | SerialSink


def open_sink(target: str, baud: int = 9600) -> Sink:
    """Open a target as described in the module docstring. Serial errors raise OSError."""
    if not is_serial_target(target):
        return FileSink(target.removeprefix("file:"))
    return SerialSink(target, baud)


__all__ = ["PORT_ERRORS", "FileSink", "SerialSink", "Sink", "is_serial_target", "open_sink"]
