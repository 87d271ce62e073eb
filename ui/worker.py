"""Slow work (printing, reading a card, building a PDF or a report) off the GUI thread.

`run_async(fn, on_done, on_error)` runs `fn` in Qt's thread pool and calls back in the GUI
thread, so the screen never freezes on I/O and callbacks may touch widgets.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


def _job(fn: Callable[[], Any], signals: _Signals) -> Callable[[], None]:
    """What the pool thread runs: `fn`, its result or error handed to the GUI thread as a signal.

    A plain function, not a QRunnable subclass: the pool deleting a Python-made QRunnable in
    its own thread left about one wrapper in ten alive, with everything its callbacks held."""

    def run() -> None:
        try:
            result = fn()
        except Exception as exc:  # delivered to the GUI thread as data, never raised there
            signals.failed.emit(exc)
        else:
            signals.done.emit(result)

    return run


_jobs: dict[int, _Signals] = {}  # started and not yet called back, by job number
_numbers = itertools.count()


def run_async(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None) -> None:
    number = next(_numbers)
    signals = _Signals()
    _jobs[number] = signals

    def finished(_: object = None) -> None:
        # Drop the job's signals and cut their connections. A connection held in C++ is a
        # reference Python's collector cannot see: a callback that (through its closure) leads
        # back to the signals would keep them, the callback and all it holds for ever.
        done = _jobs.pop(number, None)
        if done is not None:
            done.done.disconnect()
            done.failed.disconnect()

    if on_done:
        signals.done.connect(on_done)
    if on_error:
        signals.failed.connect(on_error)
    signals.done.connect(finished)
    signals.failed.connect(finished)
    QThreadPool.globalInstance().start(_job(fn, signals))


def wait_for_jobs(timeout_ms: int = 5000) -> bool:
    """Block until queued jobs finish; their callbacks are not run (see `drain_jobs`)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def pending_jobs() -> int:
    """Jobs started and not yet finished, their completion callback included."""
    return len(_jobs)


def drain_jobs(timeout_ms: int = 5000) -> bool:
    """Wait until every job has run AND its on_done / on_error has run in this (GUI) thread.

    `wait_for_jobs` only waits for the thread pool: a finished job's callback is a queued
    signal, delivered by whichever event loop runs next. A test that stopped there left the
    callback to the next test's loop, where it touched a hall already closed (mark_printed
    after a print). A callback may start another job; that one is drained too. True when
    nothing is left within `timeout_ms`. For tests' teardown and shutdown, from the GUI thread.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    pool = QThreadPool.globalInstance()
    while True:
        left_ms = max(0, round((deadline - time.monotonic()) * 1000))
        pool.waitForDone(left_ms)
        QCoreApplication.sendPostedEvents()  # the queued completion callbacks
        if not _jobs:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.001)  # a callback's signal may still be on its way from the pool's thread
