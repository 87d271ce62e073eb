"""Slow work (printing, reading a card, building a PDF or a report) off the GUI thread.

`run_async(fn, on_done, on_error)` runs `fn` in Qt's thread pool and calls back in the GUI
thread, so the screen never freezes on I/O and callbacks may touch widgets.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what  # the job's name (`jobs_left`), while its callback is still to come


def _name(fn: Callable[..., Any] | None) -> str:
    """`module.qualname` of a job's function or callback: what `jobs_left` calls it."""
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', type(fn).__name__)}"


def _job(number: int, fn: Callable[[], Any], signals: _Signals) -> Callable[[], None]:
    """What the pool thread runs: `fn`, its result or error handed to the GUI thread as a signal.

    A plain function, not a QRunnable subclass: the pool deleting a Python-made QRunnable in
    its own thread left about one wrapper in ten alive, with everything its callbacks held.

    The outcome is handed over only while the job is still wanted (`let_go_of_jobs`): at the
    process's end PySide deletes every QObject Python still owns, this job's signals among them,
    while the pool thread may still be inside `fn`; emitting then raised "Signal source has
    been deleted" in the pool's thread, a traceback printed after a clean Ctrl+C."""

    def run() -> None:
        try:
            outcome: tuple[Any, object] = (signals.done, fn())
        except Exception as exc:  # delivered to the GUI thread as data, never raised there
            outcome = (signals.failed, exc)
        with _handover:
            del _on_pool[number]
            if _jobs.get(number) is signals:
                outcome[0].emit(outcome[1])

    return run


_jobs: dict[int, _Signals] = {}  # started and not yet called back, by job number
# queued or running on a pool thread, by job number: its name. Kept apart from `_jobs` because a
# job let go of (`let_go_of_jobs`) still runs on to its end, and is what `jobs_left` must name
_on_pool: dict[int, str] = {}
_numbers = itertools.count()
# a finished job hands its outcome over, or the job is let go of: never both at once (queued
# signals only post an event, so the lock is held for microseconds); it also guards `_on_pool`,
# which the pool's threads change
_handover = threading.Lock()


def run_async(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[Exception], None] | None = None) -> None:
    number = next(_numbers)
    what = _name(fn) + (f" → {_name(on_done)}" if on_done else "")
    signals = _Signals(what)
    with _handover:
        _jobs[number] = signals
        _on_pool[number] = what

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
    QThreadPool.globalInstance().start(_job(number, fn, signals))


def wait_for_jobs(timeout_ms: int = 5000) -> bool:
    """Block until queued jobs finish; their callbacks are not run (see `drain_jobs`)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def pending_jobs() -> int:
    """Jobs started and not yet finished, their completion callback included."""
    return len(_jobs)


def jobs_left() -> list[str]:
    """The name of every job still queued or running on the pool, or whose callback has not run
    yet (`module.function → module.callback`), oldest first. The name is made when the job is
    started, so asking costs nothing. The tests ask after each one, and fail the one that left
    work behind: a job left running ran into the next test (a desk test's print preview closed
    mid-render still rendered while the next one saved its 承诺书), where nothing named it."""
    with _handover:
        numbers = sorted(set(_on_pool) | set(_jobs))
        return [_on_pool[n] if n in _on_pool else _jobs[n].what for n in numbers]


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


def let_go_of_jobs() -> int:
    """Forget every job still running: it runs on to its end (a pool thread cannot be stopped)
    but hands nothing back, and its callbacks are dropped with whatever they hold. For the
    process's end, when the screens the callbacks would touch and the signals they would come
    through are going away. Returns how many were let go of."""
    with _handover:
        left = list(_jobs.values())
        _jobs.clear()
    for signals in left:
        signals.done.disconnect()
        signals.failed.disconnect()
    return len(left)


def end_jobs(timeout_ms: int = 3000) -> bool:
    """When the screens have stopped and before the hall they use is closed: let the jobs under
    way finish and call back as usual (`drain_jobs`: a printed ticket is still marked printed),
    then let go of any that take longer than `timeout_ms`. True when none had to be let go of."""
    drained = drain_jobs(timeout_ms)
    return let_go_of_jobs() == 0 and drained


# whatever owns the screens, a process that ends with a job under way must not have it emit
# through signals PySide deletes at exit (its clean-up runs after these handlers)
atexit.register(let_go_of_jobs)
