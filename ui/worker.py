"""Slow work (printing, reading a card, building a PDF or a report) off the GUI thread.

`run_async(fn, on_done, on_error)` runs `fn` in Qt's thread pool and calls back in the GUI
thread, so the screen never freezes on I/O and callbacks may touch widgets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the GUI thread as data, never raised there
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_jobs: set[_Job] = set()


def run_async(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None) -> None:
    job = _Job(fn)
    _jobs.add(job)

    def finished(_: object = None) -> None:
        _jobs.discard(job)

    if on_done:
        job.signals.done.connect(on_done)
    if on_error:
        job.signals.failed.connect(on_error)
    job.signals.done.connect(finished)
    job.signals.failed.connect(finished)
    QThreadPool.globalInstance().start(job)


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
