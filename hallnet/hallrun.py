"""Running facade calls for the server's event loop, at the least CPU per call.

A short call (issuing a ticket, a print result, a clerk's call) costs the hall a fraction of a
millisecond of Python; handing it to a worker thread and back cost the server more than the
call itself (two thread wake-ups, the GIL passed to and fro, and worker threads contending for
the store's lock). So such a call runs right on the event loop when the store is free, and
only its disk sync waits elsewhere: the store commits at once and the loop goes on serving,
while one sync thread makes every commit so far durable (`Store.wait_durable`: the store's own
group commit) and the answers wait for it. Nothing is answered before the change
it reports, or anything it read, is on disk, exactly as when the call ran on a thread.

Anything else (a long report, a catalog import, a password check, a call while another thread
holds the store, the day's first change, which runs the daily jobs) goes to a worker thread as
before, so the loop is never held for long.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from kiosk.errors import StorageBusy
from kiosk.hall import Hall
from kiosk.storage import ServerStore

T = TypeVar("T")
LOCK_WAIT = 0.002  # a thread holding the store this long is on a long job: the call goes to a thread

# facade calls short enough to run on the event loop (each a few queries on indexed rows)
INLINE = frozenset({
    "issue_ticket", "mark_printed", "call_next", "recall", "skip", "call_back", "start_service", "finish",
    "transfer", "pause_window", "resume_window", "get_ticket", "ticket_position", "find_ticket",
    "current_ticket", "queue_status", "recent_calls", "windows", "info", "settings", "today", "categories",
    "latest_event_id", "evaluate", "evaluation_for", "helper_call", "call_helper", "report_devices",
    "staff_name", "get_matter", "checklist",
})


class HallRunner:
    """Runs facade calls inline when short and the store is free, else on worker threads."""

    def __init__(self, hall: Hall, workers: int = 16) -> None:
        self.hall = hall
        self.store: ServerStore = hall.store  # the storage-neutral part of a store, nothing more
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="hall")
        self._sync_pool: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._synced = 0  # the highest commit this runner saw synced
        self._waiters: list[tuple[int, asyncio.Future]] = []
        self._syncing = False
        self.inline_calls = 0  # for tests and benchmarks: calls that ran on the loop
        self.thread_calls = 0
        self.busy_retries = 0  # inline calls that met the file busy and went to a thread

    def start(self) -> None:
        """On the event loop: route the store's sync waits for inline calls through the runner."""
        self._loop = asyncio.get_running_loop()
        if self.store.syncs_commits:
            self._sync_pool = ThreadPoolExecutor(1, thread_name_prefix="hall-sync")

    def stop(self) -> None:
        self.pool.shutdown(wait=True)
        if self._sync_pool is not None:
            self._sync_pool.shutdown(wait=True)

    def _may_inline(self) -> bool:
        """Inline once the day's jobs have run (the first change of a day runs them, on a thread)."""
        return self._loop is not None and not self.hall.jobs_due()

    async def run(self, fn: Callable[..., T], *args: Any, inline: bool = False, reads: bool = False) -> T:
        """`fn(*args)`, answered as the store answers on a thread: after the disk flush of its
        own durable commits and, for a read (`reads`), of every commit it could have seen."""
        if inline and self._may_inline() and self.store.lock.acquire(timeout=LOCK_WAIT):
            self.inline_calls += 1
            seen = 0
            retry = False
            try:
                # another program holding the file's write lock must not hold up the loop: on the
                # loop a busy file is refused at once, and the call waits for it on a thread
                with self.store.without_waiting() as untouched, self.store.syncs_owed() as owed:
                    try:
                        result = fn(*args)
                    except StorageBusy:
                        retry = untouched()  # nothing written: safe to make again
                        if not retry:
                            raise
                    finally:
                        seen = max(owed[0], self.store.last_commit() if reads else 0)
            finally:
                self.store.lock.release()
                if seen > self._synced:
                    await self.synced(seen)  # also before a refusal: it may rest on what it read
            if not retry:
                return result
            self.busy_retries += 1
        self.thread_calls += 1
        assert self._loop is not None
        return await self._loop.run_in_executor(self.pool, fn, *args)

    async def outside_changes(self) -> int:
        """`Store.outside_changes`: moves when another program commits to the hall's data. On
        the loop when the store is free, else on a thread."""
        if self.store.lock.acquire(timeout=LOCK_WAIT):
            try:
                return self.store.outside_changes()
            finally:
                self.store.lock.release()
        assert self._loop is not None
        return await self._loop.run_in_executor(self.pool, self.store.outside_changes)

    async def synced(self, upto: int) -> None:
        """Return once commit number `upto` is on disk; one sync serves every caller waiting."""
        assert self._loop is not None
        future = self._loop.create_future()
        self._waiters.append((upto, future))
        if not self._syncing:
            self._kick()
        await future

    def _kick(self) -> None:
        assert self._sync_pool is not None and self._loop is not None
        target = max(u for u, _ in self._waiters)
        self._syncing = True
        loop = self._loop
        done = self._sync_pool.submit(self.store.wait_durable, target)
        done.add_done_callback(lambda f: loop.call_soon_threadsafe(self._finished, target, f))

    def _finished(self, target: int, done: Future) -> None:
        self._syncing = False
        exc = done.exception()
        if exc is None:
            self._synced = max(self._synced, target)
        waiting, self._waiters = self._waiters, []
        for upto, future in waiting:
            if upto > target:
                self._waiters.append((upto, future))
            elif not future.done():
                if exc is None:
                    future.set_result(None)
                else:
                    future.set_exception(exc)
        if self._waiters:
            self._kick()
