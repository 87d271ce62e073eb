"""A device simulator on a pseudo-terminal, paced at a real baud rate.

The application opens the pty's slave side with pyserial exactly as it would open a USB
adapter, so the drivers under test run their real code. A pty moves 4 KB in a tenth of a
millisecond, which would hide every timing problem, so outgoing bytes are paced: 10 bits
per byte (8N1) at the configured rate, never earlier than a real wire would deliver them.

The port is offered through a stable symlink (like /dev/serial/by-id/...). `unplug()`
removes the link and closes the pty, which the driver sees as EIO, the same as a pulled
USB adapter; `replug()` makes a fresh pty behind the same link path.

All pty I/O happens on the simulator's own thread; other threads post work to it with
`call()`, so no fd is closed under a thread that is still using it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import tempfile
import threading
import time
import tty
from collections.abc import Callable
from pathlib import Path
from typing import Any

BITS_PER_BYTE = 10  # start + 8 data + stop
WRITE_STALL_LIMIT = 1.0  # nobody reading for this long: drop the bytes, as a real wire would


def wire_time(nbytes: int, baud: int) -> float:
    """Seconds that `nbytes` take on an 8N1 line at `baud`."""
    return nbytes * BITS_PER_BYTE / baud


class PtySimulator:
    """Base class: subclasses implement `on_bytes(data, received_at)`."""

    name = "device"

    def __init__(self, *, baud: int = 9600, link: str | Path | None = None) -> None:
        self.baud = baud
        self._own_dir: str | None = None
        if link is None:
            self._own_dir = tempfile.mkdtemp(prefix="kiosk-sim-")
            link = Path(self._own_dir) / self.name
        self.link = Path(link)
        self._master: int | None = None
        self._slave: int | None = None
        self._wake_r, self._wake_w = os.pipe()
        self._tasks: queue.SimpleQueue[tuple[Callable[[], Any], threading.Event | None, list[Any]]] = (
            queue.SimpleQueue()
        )
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._line_free_at = 0.0
        self.bytes_sent = 0
        self.bytes_received = 0

    # -- public ---------------------------------------------------------------------

    @property
    def port(self) -> str:
        """The path the application opens (a stable symlink to the current pty)."""
        return str(self.link)

    @property
    def url(self) -> str:
        return self.port

    @property
    def plugged(self) -> bool:
        return self._master is not None

    def start(self) -> str:
        """Create the pty and serve it from a daemon thread; returns the port path."""
        if self._thread is not None:
            return self.port
        self._plug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.name}", daemon=True)
        self._thread.start()
        return self.port

    def stop(self) -> None:
        """Stop the thread, close the pty and remove the link."""
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(3.0)
            self._thread = None
        self._unplug()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1
        if self._own_dir is not None:
            with contextlib.suppress(OSError):
                os.rmdir(self._own_dir)

    def __enter__(self) -> PtySimulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def run_forever(self, on_ready: Callable[[str], None] | None = None) -> None:
        """Standalone mode: serve until Ctrl-C (or stop() from another thread)."""
        port = self.start()
        if on_ready is not None:
            on_ready(port)
        try:
            while not self._stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def unplug(self) -> None:
        """Pull the cable: the application's port fails with EIO until replug()."""
        self.call(self._unplug)

    def replug(self) -> None:
        """Plug back in: a new pty behind the same path."""
        self.call(self._plug)

    def call(self, fn: Callable[[], Any], *, wait: bool = True) -> Any:
        """Run fn on the simulator thread (or here if it is not running)."""
        if self._thread is None or threading.current_thread() is self._thread:
            return fn()
        done = threading.Event() if wait else None
        result: list[Any] = []
        self._tasks.put((fn, done, result))
        self._wake()
        if done is not None:
            done.wait(10.0)
        return result[0] if result else None

    # -- for subclasses (simulator thread only) --------------------------------------

    def on_bytes(self, data: bytes, received_at: float) -> None:
        """Bytes the application wrote; `received_at` is when they would have arrived."""

    def on_plug(self) -> None:
        """Reset state at power-on (replug)."""

    def tick(self, now: float) -> None:
        """Called about every 0.1 s on the simulator thread, for timed behaviour."""

    def send(self, data: bytes, *, not_before: float = 0.0, pieces: int = 1, gap: float = 0.0) -> None:
        """Write bytes paced at the baud rate; optionally in `pieces` with `gap` pauses."""
        if self._master is None or not data:
            return
        size = max(1, -(-len(data) // pieces))
        for index, start in enumerate(range(0, len(data), size)):
            if index and gap:
                self._line_free_at = max(self._line_free_at, time.monotonic()) + gap
            self._paced_write(data[start : start + size], not_before)

    # -- internals ------------------------------------------------------------------

    def _paced_write(self, data: bytes, not_before: float) -> None:
        begin = max(time.monotonic(), not_before, self._line_free_at)
        per_byte = BITS_PER_BYTE / self.baud
        chunk = max(1, int(0.002 / per_byte))  # about 2 ms of line time per write
        for offset in range(0, len(data), chunk):
            piece = data[offset : offset + chunk]
            done_at = begin + (offset + len(piece)) * per_byte
            delay = done_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            if not self._write_all(piece):
                break
        self._line_free_at = begin + len(data) * per_byte

    def _write_all(self, data: bytes) -> bool:
        view = memoryview(data)
        stalled_since = time.monotonic()
        while view and self._master is not None:
            _, writable, _ = select.select([], [self._master], [], 0.05)
            if not writable:
                if time.monotonic() - stalled_since > WRITE_STALL_LIMIT:
                    return False
                continue
            try:
                written = os.write(self._master, view)
            except BlockingIOError:
                continue
            except OSError:
                return False
            self.bytes_sent += written
            view = view[written:]
            stalled_since = time.monotonic()
        return True

    def _plug(self) -> None:
        if self._master is not None:
            return
        master, slave = os.openpty()
        tty.setraw(slave)  # no echo, no CR/LF translation, no XON/XOFF: bytes stay bytes
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self._line_free_at = 0.0
        tmp = self.link.with_name(self.link.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(os.ttyname(slave), tmp)
        os.replace(tmp, self.link)  # atomic: the path is never half-made
        self.on_plug()

    def _unplug(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.link.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _run_tasks(self) -> None:
        while True:
            try:
                fn, done, result = self._tasks.get_nowait()
            except queue.Empty:
                return
            try:
                result.append(fn())
            finally:
                if done is not None:
                    done.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._run_tasks()
            self.tick(time.monotonic())
            fds = [self._wake_r] + ([self._master] if self._master is not None else [])
            try:
                readable, _, _ = select.select(fds, [], [], 0.1)
            except (OSError, ValueError):
                continue
            if self._wake_r in readable:
                with contextlib.suppress(OSError):
                    os.read(self._wake_r, 4096)
            if self._master is not None and self._master in readable:
                try:
                    data = os.read(self._master, 4096)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    time.sleep(0.01)  # slave side closed everywhere: nothing to read
                    continue
                if data:
                    self.bytes_received += len(data)
                    now = time.monotonic()
                    self.on_bytes(data, now + wire_time(len(data), self.baud))
        self._run_tasks()
