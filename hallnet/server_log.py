"""The hall server's log: one line per request, at a cost the request hardly notices.

Written as the standard handler writes it (a flush, so a write() to stderr, per line, and a
walk up the call stack per record to name the source line), the per-request line cost the
server about a third of its throughput at 8 clients (`bench/server_bench.py --quick`: 1,250
whole tickets/s with it, 1,760 without). And where stderr is a file on the hall file's disk,
each line's append is data the next commit's disk flush has to write too (ext4 orders file
data before the journal).

So the server's records skip what Python's logging HOWTO lists as optional (the caller's
source line, thread, process); the request line itself is formatted here, in the records'
format, without a LogRecord (its timestamp text made once a second); and lines are written in
batches: every FLUSH_EVERY seconds, at
once for a warning or an error (which also writes out the lines before it, in order), and when
the server stops. A server killed outright loses at most the last FLUSH_EVERY seconds of request
lines; nothing of the hall's data depends on them.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
import time

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
FLUSH_EVERY = 0.5  # seconds


class BatchedStderr(logging.StreamHandler):
    """A StreamHandler on a buffered copy of stderr, flushed by a timer rather than per line."""

    def __init__(self, every: float = FLUSH_EVERY) -> None:
        fd = os.dup(sys.stderr.fileno())
        stream = io.TextIOWrapper(io.BufferedWriter(io.FileIO(fd, "w"), buffer_size=64 * 1024),
                                  encoding="utf-8", errors="backslashreplace")
        super().__init__(stream)
        self._second = -1  # the second `_stamp` spells, for `line`
        self._stamp = ""
        self._stop = threading.Event()
        self._every = every
        self._timer = threading.Thread(target=self._flush_now_and_then, name="log-flush", daemon=True)
        self._timer.start()

    def flush(self) -> None:
        """Called by `emit` after every record: the lines wait for the timer instead."""

    def line(self, name: str, message: str) -> None:
        """An INFO line as the formatter writes a record, for the one line every request logs."""
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        text = f"{self._stamp},{int((now - second) * 1000):03d} INFO {name} {message}\n"
        with self.lock:  # type: ignore[union-attr]
            self.stream.write(text)

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if record.levelno >= logging.WARNING:
            self.write_out()

    def write_out(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            if not self.stream.closed:
                self.stream.flush()

    def _flush_now_and_then(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self.write_out()
            except (OSError, ValueError):  # stderr gone (a closed pipe): nothing to write to
                return

    def close(self) -> None:
        self._stop.set()
        try:
            self.write_out()
            self.stream.close()
        except (OSError, ValueError):
            pass
        super().close()


_handler: BatchedStderr | None = None


def request_line(logger: logging.Logger, message: str) -> None:
    """One request's line: through the batched handler once `configure` ran and INFO is on,
    else as an ordinary record (a server run inside another program, as the demo's)."""
    if _handler is not None and logger.isEnabledFor(logging.INFO):
        _handler.line(logger.name, message)
    else:
        logger.info(message)


def configure(level: int = logging.INFO) -> None:
    """The server process's logging: batched lines on stderr, no per-record caller lookup."""
    global _handler
    logging._srcfile = None  # type: ignore[attr-defined]  # the logging HOWTO's "Optimization"
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = BatchedStderr()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _handler = handler
    logging.getLogger("httpx").setLevel(logging.WARNING)
