"""One SQLite file through sqlite-utils: WAL, durable commits, numbered migrations.

Every change runs inside `write()`, one `BEGIN IMMEDIATE` transaction: taking the write lock
up front is what makes call-next atomic across processes sharing the file. A durable store
answers a change only once its log is synced to disk, so a committed ticket survives a power
cut before it is printed; the sync is shared by every commit made while the last one ran
(`kiosk.group_sync`), which is what lets one server take a whole hall's changes.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from kiosk.errors import StorageBusy, StorageError, ValidationError
from kiosk.group_sync import GroupSync
from kiosk.migrations import MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")
R = TypeVar("R")
_ADD_COLUMN = re.compile(r"\s*ALTER TABLE (\w+) ADD COLUMN (\w+)", re.IGNORECASE)
TOO_LARGE = "数值过大，超出允许范围（请检查编号或数量）"


def default_db_path() -> Path:
    """The demo hall's file in the user's data directory (XDG on Linux)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("service-hall-terminal", appauthor=False)) / "hall.db"


@runtime_checkable
class ServerStore(Protocol):
    """What the hall server's layer (hallnet) may use of a store besides the facade: a lock, the
    group commit's numbers and waits, a no-wait mode and a count of other programs' changes.
    Nothing here names SQLite, so a store over another database can stand behind the same server."""

    @property
    def lock(self) -> threading.RLock: ...
    @property
    def syncs_commits(self) -> bool: ...
    def without_waiting(self) -> contextlib.AbstractContextManager[Callable[[], bool]]: ...
    def syncs_owed(self) -> contextlib.AbstractContextManager[list[int]]: ...
    def outside_changes(self) -> int: ...
    def last_commit(self) -> int: ...
    def wait_durable(self, upto: int) -> None: ...


class Store:
    """Owns the connection. Used by one process; a lock serialises its threads."""

    def __init__(self, path: str | Path, *, durable: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self._local = threading.local()  # this thread's last commit not yet known to be on disk
        self.durable = durable
        # durable commits are synced by GroupSync, at NORMAL SQLite's WAL sync per commit is all FULL adds
        self.group: GroupSync | None = GroupSync(self.path + "-wal") if durable and self.path != ":memory:" else None
        if self.path != ":memory:":
            p = Path(self.path)
            if p.is_dir():
                raise StorageError(f"{self.path} 是一个文件夹，不是大厅数据库文件")
            try:
                p.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"无法创建大厅数据库所在的文件夹 {p.parent}（{exc.strerror or exc}）") from None
        try:
            conn = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StorageError(f"无法打开大厅数据库 {self.path}（{exc}）") from None
        self._conn = conn
        try:
            conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            self._refuse_foreign_file()
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={'FULL' if durable and self.group is None else 'NORMAL'}")
            conn.execute("PRAGMA foreign_keys=ON")
            # sorts and materialised subqueries (closing a week of figures) stay in memory, not temp files
            conn.execute("PRAGMA temp_store=MEMORY")
            # deleted or overwritten personal data (and an old in-file key) is zeroed, not left in free pages
            conn.execute("PRAGMA secure_delete=ON")
            self.migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise StorageBusy("数据库正被其他程序占用，请稍后重试") from None
            raise StorageError(f"{self.path} 不是大厅数据库文件，或文件已损坏（{exc}）") from None
        except StorageError:
            conn.close()
            raise

    def _refuse_foreign_file(self) -> None:
        """An SQLite file of some other program must not be "migrated" into a hall."""
        version = self.schema_version
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > MIGRATIONS[-1][0]:
            raise StorageError(f"{self.path} 由更新版本的程序创建（结构版本{version}），请升级本程序后再打开")
        if version == 0 and tables:
            raise StorageError(f"{self.path} 是其他程序的数据库，不是大厅数据库文件")

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the connection, made on first use: importing it costs a terminal's
        cold start ~50 ms (dateutil, click, pluggy), and the first screen reads without it."""
        import sqlite_utils

        return sqlite_utils.Database(self._conn, execute_plugins=False)

    def query(self, sql: str, params: Any = None) -> Iterator[dict]:
        """Rows as dicts, by sqlite-utils (what `read()` and `write()` yield is this store)."""
        return self.db.query(sql, params)

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> None:
        """Bring an older file up to the newest schema, one numbered step per transaction."""
        for version, statements in MIGRATIONS:
            if version <= self.schema_version:
                continue
            with self.write():
                if self.schema_version >= version:  # another process got there first
                    continue
                for sql in statements:
                    if not self._column_already_added(sql):
                        self.conn.execute(sql)
                self.conn.execute(f"PRAGMA user_version={version}")

    def _column_already_added(self, sql: str) -> bool:
        """A step may run again on a file that already has it (a file whose version was set back
        by hand or by a tool that copied an older header); every other statement is written to be
        run twice (IF NOT EXISTS), and SQLite has no ADD COLUMN IF NOT EXISTS."""
        m = _ADD_COLUMN.match(sql)
        if m is None:
            return False
        table, column = m.groups()
        return any(row[1] == column for row in self.conn.execute(f"PRAGMA table_info({table})"))

    @contextlib.contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Store]:
        """One transaction holding the write lock from the start; rolled back on any error.

        On a durable store the change is answered (this returns, once no caller holds the
        store's lock any more) only after the log holding it is on disk. `durable=False` lets a
        change whose loss in a power cut costs the hall nothing (a printed ticket's print state)
        return at once: it is written and atomic, and becomes durable with the next sync.
        """
        with self._lock:
            if self._conn.in_transaction:  # nested: the outer transaction commits
                yield self
                return
            self.begin()
            try:
                yield self
            except BaseException as exc:
                self.rollback(exc)
                raise
            self.commit(durable=durable)
        if not self.holds_lock():
            self.settle()

    # The three steps of `write()`, for a caller that wraps them in its own context manager
    # (the facade's transactions, on every queue step): each is called holding `lock`.

    def begin(self) -> None:
        """BEGIN IMMEDIATE: take the file's write lock now, or say the file is busy."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StorageBusy("数据库正被其他程序占用，请稍后重试；您的操作没有丢失也没有生效") from exc
            raise

    def commit(self, *, durable: bool = True) -> None:
        """COMMIT, and note it for the sync `settle()` waits for; a commit that fails is undone,
        so the connection is never left inside a half-made transaction."""
        try:
            self._conn.execute("COMMIT")
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise
        if durable and self.group is not None:
            self._local.unsynced = self.group.committed()

    def rollback(self, exc: BaseException | None = None) -> None:
        """ROLLBACK the change that failed with `exc`. An integer past SQLite's 64 bits, from any
        caller, is refused, not a crash: this raises the ValidationError that says so instead."""
        self._conn.execute("ROLLBACK")
        if isinstance(exc, OverflowError):
            raise ValidationError([TOO_LARGE]) from None

    def settle(self) -> None:
        """Wait until this thread's last durable commit is on disk. `write()` does it itself
        when it releases the lock; a caller that held the lock around it calls this after."""
        upto = getattr(self._local, "unsynced", 0)
        if upto and self.group is not None:
            self._local.unsynced = 0
            self._wait_for_sync(upto)

    def _wait_for_sync(self, upto: int) -> None:
        owed = getattr(self._local, "owed", None)
        if owed is None:
            self.group.wait(upto)  # type: ignore[union-attr]
        else:  # inside syncs_owed(): the caller waits for it itself
            owed[0] = max(owed[0], upto)

    @contextlib.contextmanager
    def syncs_owed(self) -> Iterator[list[int]]:
        """Within this block, this thread's durable commits and reads do not wait for the disk
        sync they need; `owed[0]` is the commit number to wait for (`group.wait`) before the
        answer goes out. For a caller that must not block there, as the hall server's event loop."""
        owed = [0]
        self._local.owed = owed
        try:
            yield owed
        finally:
            self._local.owed = None

    @property
    def lock(self) -> threading.RLock:
        """The lock every read and write of this connection takes (re-entrant, per process)."""
        return self._lock  # type: ignore[return-value]

    @contextlib.contextmanager
    def read(self) -> Iterator[Store]:
        """Reads share the connection, so they take the same thread lock. A read answers only
        with what is on disk: if another thread's commit is still being synced, it waits for
        that sync (at most one disk flush), so no terminal is shown a ticket a power cut could
        take back."""
        with self._lock:
            try:
                yield self
            except OverflowError:
                raise ValidationError([TOO_LARGE]) from None
            seen = self.group.latest() if self.group is not None else 0
        if seen and not self.holds_lock():
            self._wait_for_sync(seen)

    # What the hall server needs of a store, in words any storage can keep (a SQLite file here,
    # a database server for a city's halls later): the server layer says nothing SQLite-specific.

    @contextlib.contextmanager
    def without_waiting(self) -> Iterator[Callable[[], bool]]:
        """Within this block (holding `lock`), a hall file another program holds is refused at
        once with StorageBusy instead of waited for: the server's event loop must never sit in a
        lock wait. Yields `untouched()`: whether nothing was written and no transaction is left
        open since the block began, so a refused call can safely be made again on a thread."""
        conn = self._conn
        before = conn.total_changes
        conn.execute("PRAGMA busy_timeout=0")
        try:
            yield lambda: conn.total_changes == before and not conn.in_transaction
        finally:
            conn.execute(f"PRAGMA busy_timeout={self.busy_timeout_ms}")

    def outside_changes(self) -> int:
        """A number that moves whenever another program commits to the hall's data (never for
        this store's own commits): how a server notices a terminal added or revoked from the
        command line. Takes `lock`."""
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    @property
    def syncs_commits(self) -> bool:
        """Whether a commit waits for a disk flush of its own (`last_commit`, `wait_durable`)."""
        return self.group is not None

    def last_commit(self) -> int:
        """The number of the newest commit of this store, durable or not yet (0: none to wait for)."""
        return self.group.latest() if self.group is not None else 0

    def wait_durable(self, upto: int) -> None:
        """Return once commit number `upto`, and every one before it, is on disk."""
        if self.group is not None:
            self.group.wait(upto)

    def holds_lock(self) -> bool:
        """Whether the calling thread is inside a read or write of this store."""
        return bool(self._lock._is_owned())  # type: ignore[attr-defined]

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the file and empty it, so old pages live nowhere else."""
        if self.path == ":memory:":
            return
        with self._lock:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """Rows as dicts straight from the connection, for the reads a terminal's first screen
        makes (settings, catalog, queue), so they do not wait for sqlite-utils to import."""
        cur = self._conn.execute(sql, params)
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def change_mark(self) -> tuple[int, int]:
        """A pair that moves with every change to the file: this connection's (any thread of
        this process) and any other program's. Take `lock` to read it."""
        return self._conn.total_changes, int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def read_apart(self, fn: Callable[[sqlite3.Connection, T], R], items: list[T], workers: int = 2) -> list[R] | None:
        """`fn(connection, item)` for every item, in order, on `workers` read-only connections of
        the same file running side by side (SQLite computes without the GIL, and none of them
        holds this store's lock, so terminals are served meanwhile). For long summaries over
        many days; None for a store without a file, which then does the work itself."""
        if self.path == ":memory:" or workers < 2 or len(items) < 2:
            return None
        import concurrent.futures

        uri = Path(self.path).resolve().as_uri() + "?mode=ro"
        opened: list[sqlite3.Connection] = []
        local = threading.local()

        def run(item: T) -> R:
            conn = getattr(local, "conn", None)
            if conn is None:
                # temp_store stays at its default here: two connections sorting in memory side by
                # side contend for SQLite's allocator (a year took 5.2 s that way, 4.0 s with files)
                conn = local.conn = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout_ms / 1000,
                                                    check_same_thread=False)
                opened.append(conn)
            return fn(conn, item)

        try:
            with concurrent.futures.ThreadPoolExecutor(workers, thread_name_prefix="hall-read") as pool:
                return list(pool.map(run, items))
        except sqlite3.Error as exc:
            raise StorageError(f"读取大厅数据库 {self.path} 时出错（{exc}）") from None
        finally:
            for conn in opened:
                conn.close()

    def close(self) -> None:
        with self._lock:
            self.conn.close()
            if self.group is not None:
                self.group.close()
