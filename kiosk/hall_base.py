"""What every part of the facade shares: the store, the clock, settings and event publishing."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable
from typing import Any

from kiosk import keyfile
from kiosk.events import EventBus, Listener
from kiosk.models import HallEvent, HallInfo
from kiosk.records import parse_ts, ts
from kiosk.settings import HallSettings, hall_info, settings_from_values, settings_to_values
from kiosk.storage import Store

Clock = Callable[[], dt.datetime]
# one encoder for every event (json.dumps with options builds a new one per call)
_event_json = json.JSONEncoder(ensure_ascii=False, default=str).encode


class _Transaction:
    """`HallBase._tx()`: a plain class rather than a generator, because every queue step opens
    one and a generator-based context manager costs the step several microseconds each way.

    A step may leave its answer to be built after the commit (`answer`, a function of no
    arguments; what it returns is `made`): a durable commit has then started the log's pages on
    their way to the disk (kiosk.group_sync), and the answer and the events' records are built
    while they travel instead of before, with nothing read or written meanwhile. Inside an outer
    transaction the answer is built when this one ends, as before."""

    __slots__ = ("answer", "durable", "hall", "made", "outer")

    def __init__(self, hall: HallBase, durable: bool) -> None:
        self.hall = hall
        self.durable = durable
        self.outer = False
        self.answer: Callable[[], Any] | None = None
        self.made: Any = None

    def __enter__(self) -> _Transaction:
        hall = self.hall
        hall._before_change()  # skips itself when this thread is already inside the store
        store = hall.store
        store.lock.acquire()
        try:
            self.outer = store.conn.in_transaction
            if not self.outer:
                store.begin()
        except BaseException:
            store.lock.release()
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        hall, store = self.hall, self.hall.store
        if self.outer:  # the outer transaction commits, and publishes these events with its own
            store.lock.release()
            if exc is None and self.answer is not None:
                self.made = self.answer()
            return
        try:
            if exc is not None:
                hall._pending = []  # rolled back: these events never happened
                store.rollback(exc)
                return
            try:
                store.commit(durable=self.durable)
            finally:
                pending, hall._pending = hall._pending, []
        finally:
            store.lock.release()
        events = [new_event(p) for p in pending]
        try:
            if self.answer is not None:
                self.made = self.answer()
        finally:
            store.settle()  # answered, and announced, only once it is on disk (a failed sync: neither)
            if events:  # committed and on disk: announced even if building the answer failed
                hall.bus.publish(events)


_EVENT_FIELDS = ("id", "kind", "at", "ticket_id", "ticket_number", "window", "clerk", "data")


def new_event(fields: tuple) -> HallEvent:
    """HallEvent(*fields) without its frozen __init__ (one object.__setattr__ per field), as
    kiosk.records.new_ticket builds a Ticket: every queue step announces one. tests/core checks
    that the two agree."""
    event = object.__new__(HallEvent)
    event.__dict__.update(zip(_EVENT_FIELDS, fields, strict=True))
    return event


class HallBase:
    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or dt.datetime.now
        self.bus = EventBus()
        self._pending: list[tuple] = []  # the events of the open transaction, as HallEvent's fields
        self._settings: HallSettings | None = None
        self._hash_key: bytes | None = None
        self._config_rev: str | None = None
        # marks this process's events in the shared table, so terminals polling it skip their own
        self.origin = secrets.token_hex(4)

    # --- transactions and events ---------------------------------------------------

    def _tx(self, *, durable: bool = True) -> _Transaction:
        """One transaction; its events are published only after it has committed. `durable=False`
        lets it commit without its own fsync (Store.write); inside an outer transaction the
        outer one decides.

        Whether this is nested is decided while holding the store's lock: another thread's read
        runs inside a savepoint, so looking before would take its transaction for ours and leave
        this one's events unpublished. A transaction that fails publishes nothing, ever. The
        day's first change runs the daily sweep first."""
        return _Transaction(self, durable)

    def _event(self, kind: str, *, ticket_id: int | None = None, ticket_number: str = "",
               window: int | None = None, clerk: str = "", at: dt.datetime | None = None, **data: object) -> None:
        """Store an event inside the current transaction and queue it for publishing."""
        at = at or self.clock()
        payload = {"number": ticket_number, **data} if ticket_number else data
        payload["origin"] = self.origin
        event_id = self.store.conn.execute(
            "INSERT INTO events (at, kind, ticket_id, window, clerk, data) VALUES (?, ?, ?, ?, ?, ?)",
            (ts(at), kind, ticket_id, window, clerk, _event_json(payload)),
        ).lastrowid
        # the HallEvent itself is made after the commit (_Transaction), while the log is written
        self._pending.append((event_id or 0, kind, at, ticket_id, ticket_number, window, clerk, payload))

    def _before_change(self) -> None:
        """Hook run before each outermost transaction (the daily jobs use it)."""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Be told of each committed change in this process; returns the unsubscribe function."""
        return self.bus.subscribe(listener)

    def latest_event_id(self) -> int:
        """The newest stored event's id: where a poller in another process starts from."""
        with self.store.read():
            row = self.store.conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
        return int(row[0])

    def location(self) -> str:
        """Where the hall file lives (empty for an in-memory hall), so a terminal can keep its
        crash-safe drafts beside it."""
        return "" if self.store.path == ":memory:" else self.store.path

    def events_since(self, last_id: int, limit: int = 500) -> list[HallEvent]:
        """Events after `last_id`, for a screen in another process that polls the shared file."""
        with self.store.read() as db:
            rows = list(db.query("SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", [last_id, limit]))
        out = []
        for r in rows:
            data = json.loads(r["data"])
            out.append(HallEvent(id=r["id"], kind=r["kind"], at=parse_ts(r["at"]),  # type: ignore[arg-type]
                                 ticket_id=r["ticket_id"], ticket_number=data.get("number", ""),
                                 window=r["window"], clerk=r["clerk"], data=data))
        return out

    # --- settings ----------------------------------------------------------------------

    # --- configuration that other programs on the same file may change ----------------

    def _refresh_config(self) -> None:
        """Drop cached settings (and the calendar) when the stored configuration revision moved:
        a manager's console in another program changed them, and every terminal must follow."""
        with self.store.read():
            row = self.store.conn.execute("SELECT value FROM settings WHERE key = '_config_rev'").fetchone()
        rev = str(row[0]) if row else "0"
        if rev != self._config_rev:
            self._config_rev = rev
            self._forget_config()

    def _forget_config(self) -> None:
        self._settings = None

    def _bump_config(self) -> None:
        """Inside the transaction that changes settings or the calendar."""
        self.store.conn.execute(
            "INSERT INTO settings (key, value) VALUES ('_config_rev', '1')"
            " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def settings(self) -> HallSettings:
        # one lock over the check and the rebuild: a worker thread must not store an old copy
        # after another thread has seen the revision move
        with self.store.read() as db:
            self._refresh_config()
            if self._settings is None:
                values = {r["key"]: json.loads(r["value"]) for r in db.rows("SELECT key, value FROM settings WHERE substr(key, 1, 1) != '_'")}
                self._settings = settings_from_values(values)
            return self._settings

    def _settings_at(self, config_rev: object) -> HallSettings:
        """The settings, for a caller that read the configuration's revision (`config_rev`, the
        stored `_config_rev` or None) inside its own transaction: the cached copy while that
        revision is the one it was built at, without a read of its own."""
        settings = self._settings
        if settings is not None and ("0" if config_rev is None else str(config_rev)) == self._config_rev:
            return settings
        return self.settings()

    def _write_settings(self, settings: HallSettings) -> None:
        for key, value in settings_to_values(settings).items():
            self.store.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )
        self._bump_config()
        self._settings = None

    def info(self) -> HallInfo:
        return hall_info(self.settings())

    def hash_key(self) -> bytes:
        """The secret behind keyed hashes of ID numbers: kept in a key file beside the hall file
        (kiosk.keyfile), never in it; made once per hall, never shown."""
        if self._hash_key is None:
            self._hash_key = self._load_hash_key()
        return self._hash_key

    def _load_hash_key(self) -> bytes:
        path = None if self.store.path == ":memory:" else keyfile.key_path_for(self.store.path)
        conn = self.store.conn
        migrated = False
        with self._tx():
            old = conn.execute("SELECT value FROM settings WHERE key = '_hash_key'").fetchone()
            check = conn.execute("SELECT value FROM settings WHERE key = '_hash_key_check'").fetchone()
            key = keyfile.read_key(path) if path else None
            if key is None:
                if old is not None:  # a hall from before the key file: move its key out
                    key = bytes.fromhex(json.loads(old[0]))
                elif check is not None:
                    raise keyfile.KeyFileError(
                        f"找不到本大厅的身份证号加密密钥文件 {path}：请从备份恢复该文件（没有它，已有办件无法按申请人关联）")
                else:
                    key = keyfile.new_key()
                if path:
                    key = keyfile.write_key(path, key)
            elif old is not None and bytes.fromhex(json.loads(old[0])) != key:
                raise keyfile.KeyFileError(f"密钥文件 {path} 与本大厅文件中的旧密钥不符，请核对后再打开")
            mark = keyfile.fingerprint(key)
            if check is not None and json.loads(check[0]) != mark:
                raise keyfile.KeyFileError(f"密钥文件 {path} 不属于本大厅，请换回本大厅的密钥文件")
            conn.execute("INSERT INTO settings (key, value) VALUES ('_hash_key_check', ?) ON CONFLICT(key)"
                         " DO UPDATE SET value = excluded.value", (json.dumps(mark),))
            if old is not None:
                conn.execute("DELETE FROM settings WHERE key = '_hash_key'")  # secure_delete zeroes it
                migrated = True
        if migrated and path:
            self.store.checkpoint()  # the old page must not linger in the write-ahead log either
        return key

    def migrate_hash_key(self) -> None:
        """Move a key kept in the hall file by an older version out to its key file, now."""
        with self.store.read():
            row = self.store.conn.execute("SELECT 1 FROM settings WHERE key = '_hash_key'").fetchone()
        if row is not None:
            self._hash_key = None
            self.hash_key()

    def today(self) -> dt.date:
        return self.clock().date()

    def close(self) -> None:
        self.store.close()
