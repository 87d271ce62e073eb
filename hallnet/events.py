"""Pushing committed changes to every subscribed terminal, as server-sent events.

Each event carries the hall-wide id of the events table. A terminal that reconnects sends the
last id it saw (`Last-Event-ID`) and receives every later event exactly once, in id order:
first replayed from storage, then from the hub's recent buffer, then live. The stream's
`X-Hall-Replay-Until` header says where the replay ends, so the terminal can tell what it
missed from what happens now. A terminal away for longer than `MAX_REPLAY` events gets one
`Resync` event instead: its screens reload whole.

The hub reads new events once for all subscribers. It is woken by the facade's own bus right
after a commit, and also looks once a second, so changes made by another program on the hall
file (the `terminal` command, a maintenance script) reach the terminals too.
"""

from __future__ import annotations

import asyncio
import bisect
import collections
import contextlib
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import anyio.to_thread
import msgspec
from sse_starlette.event import ServerSentEvent
from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request

from hallnet.hallrun import HallRunner
from kiosk.errors import HallError
from kiosk.events import RESYNC
from kiosk.hall import Hall
from kiosk.models import HallEvent

log = logging.getLogger("hallnet.events")
KEEP = 20_000  # events kept in memory for reconnecting terminals
MAX_REPLAY = 5_000  # further behind than this: a Resync instead of a replay
PING_SECONDS = 1  # a terminal that hears nothing for 3 s knows the server is gone
# a stream's header: the newest event the hub had read when the stream opened. Every event up to
# it was committed before the terminal (re)connected, so it is a replay of what it missed, not
# news: a display refreshes from it but does not announce a call made minutes ago
REPLAY_UNTIL_HEADER = "X-Hall-Replay-Until"
# a terminal registered, revoked, re-tokened or moved (here or by `terminal` on the hall file)
TERMINAL_EVENTS = frozenset({"TerminalAdded", "TerminalRevoked", "TerminalReissued", "TerminalChanged"})


def encode_event(event: HallEvent) -> str:
    return msgspec.json.encode(event).decode()


def wire_event(event: HallEvent) -> bytes:
    """The event as it goes out on every stream (`id:`, `event:`, `data:` lines), made once.

    The hub keeps the recent events in this form: bytes are not objects Python's collector
    walks, so a full buffer (tens of thousands of events by the afternoon of a busy day) adds
    nothing to the collections that stop the server's loop, and an event pushed to forty
    terminals is encoded once, not forty times."""
    return ServerSentEvent(data=encode_event(event), id=str(event.id), event=event.kind).encode()


class EventHub:
    def __init__(self, hall: Hall, runner: HallRunner | None = None) -> None:
        self.hall = hall
        self.runner = runner
        self.ids: list[int] = []
        self.data: list[bytes] = []  # wire_event of each id in `ids`
        self.last_id = 0
        self.cond: asyncio.Condition | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._unsubscribe = None
        self.stopped = False
        self.listening: collections.Counter[str] = collections.Counter()  # terminal -> open streams
        # moves with every terminal event read, including one another program wrote on the file:
        # each stream then asks again whether its own token still holds
        self.terminal_changes = 0

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.cond = asyncio.Condition()
        self._wake = asyncio.Event()
        self.last_id = await anyio.to_thread.run_sync(self.hall.latest_event_id)
        self._unsubscribe = self.hall.subscribe(self._committed)
        self._task = asyncio.create_task(self._pump())

    async def stop(self) -> None:
        self.stopped = True
        if self._unsubscribe:
            self._unsubscribe()
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.cond:
            async with self.cond:
                self.cond.notify_all()

    @property
    def loop(self) -> asyncio.AbstractEventLoop | None:
        return self._loop

    def _committed(self, event: HallEvent) -> None:
        """Called by whichever thread committed; only wakes the pump on the event loop."""
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

    async def _pump(self) -> None:
        assert self._wake is not None and self.cond is not None
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)
            self._wake.clear()
            try:
                while True:
                    batch = await self._read(self.last_id, 1000)
                    if not batch:
                        break
                    for event in batch:
                        self.ids.append(event.id)
                        self.data.append(wire_event(event))
                        if event.kind in TERMINAL_EVENTS:
                            self.terminal_changes += 1
                    self.last_id = batch[-1].id
                    if len(self.ids) > 2 * KEEP:
                        del self.ids[:-KEEP], self.data[:-KEEP]
                    async with self.cond:
                        self.cond.notify_all()
                    if len(batch) < 1000:
                        break
            except HallError as exc:  # the file was busy: the next round catches up
                log.warning("读取事件失败，稍后重试：%s", exc)

    async def _read(self, after: int, limit: int) -> list[HallEvent]:
        if self.runner is not None:
            return await self.runner.run(self.hall.events_since, after, limit, inline=True, reads=True)
        return await anyio.to_thread.run_sync(self.hall.events_since, after, limit)

    def after(self, last: int) -> tuple[int, list[bytes]] | None:
        """The newest buffered id and the buffered events after `last` (as sent), or None when
        `last` is older than the buffer."""
        if self.ids and last < self.ids[0] - 1:
            return None
        if not self.ids and last < self.last_id:
            return None
        start = bisect.bisect_right(self.ids, last)
        return (self.ids[-1] if start < len(self.ids) else last), self.data[start:]


async def event_stream(hub: EventHub, request: Request, after: int | None, terminal: str = "",
                       still_allowed: Callable[[], Awaitable[bool]] | None = None) -> EventSourceResponse:
    """The hall's events from `after` on. `still_allowed` is asked again whenever a terminal has
    been revoked, re-tokened or changed: a stream whose token no longer holds ends there, before
    anything further is sent (a revoked PC would otherwise hear the hall for as long as it stayed
    connected); its reconnect is then refused like any request with that token."""
    hall = hub.hall

    async def events():
        hub.listening[terminal] += 1
        try:
            async for item in _events():
                yield item
        finally:
            hub.listening[terminal] -= 1
            if hub.listening[terminal] <= 0:
                del hub.listening[terminal]

    async def _events():
        checked = hub.terminal_changes
        last = hub.last_id if after is None else after
        if hub.last_id - last > MAX_REPLAY or last > hub.last_id:
            # away too long (or from another hall file): start again from a fresh snapshot
            last = hub.last_id
            resync = HallEvent(id=last, kind=RESYNC, at=dt.datetime.now().replace(microsecond=0))
            yield ServerSentEvent(data=encode_event(resync), id=str(last), event=RESYNC)
        while not hub.stopped:
            if checked != hub.terminal_changes and still_allowed is not None:
                changes = hub.terminal_changes
                try:
                    if not await still_allowed():
                        log.info("终端“%s”的令牌已失效，结束其事件推送", terminal)
                        return
                    checked = changes
                except HallError as exc:  # the file busy: asked again at the next wake
                    log.warning("无法核对终端“%s”的令牌，稍后再核对：%s", terminal, exc)
            buffered = hub.after(last)
            if buffered is None:  # replay from storage, then the buffer takes over
                for event in await anyio.to_thread.run_sync(hall.events_since, last, 500):
                    last = event.id
                    yield wire_event(event)
                continue
            newest, items = buffered
            if items:
                for item in items:
                    yield item
                last = newest
                continue
            assert hub.cond is not None
            async with hub.cond:
                if hub.last_id <= last and not hub.stopped:
                    await hub.cond.wait()

    # read now, before the stream's first event: what was committed up to here is the replay
    headers = {"X-Accel-Buffering": "no", REPLAY_UNTIL_HEADER: str(hub.last_id)}
    return EventSourceResponse(events(), ping=PING_SECONDS, headers=headers)
