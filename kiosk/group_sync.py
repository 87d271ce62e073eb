"""Group commit for a WAL file: one fdatasync makes every commit made before it durable.

With `synchronous=FULL` SQLite syncs the write-ahead log inside every COMMIT while the writer
holds the file's write lock, so a hall server serving a dozen terminals waits for one disk flush
per change, one after another. In WAL mode that sync is the only difference between FULL and
NORMAL (SQLite's documentation: "an additional sync operation of the WAL file happens after
each transaction commit"), and syncing a file flushes everything written to it so far. So the
store commits at NORMAL and, before it answers anybody, waits here until a sync that started
after its commit has finished: threads that committed while a sync was running share the next
one. Nothing is acknowledged before it is on disk, exactly as with FULL.
"""

from __future__ import annotations

import os
import threading

from kiosk.errors import StorageError


class GroupSync:
    """Counts commits written to the log and syncs the log for all of them at once."""

    def __init__(self, wal_path: str) -> None:
        self.wal_path = wal_path
        self._cv = threading.Condition()
        self._committed = 0  # commits whose frames are in the log (in the OS, maybe not on disk)
        self._synced = 0  # commits known to be on disk
        self._syncing = False
        self._fd: int | None = None
        self._ino: int | None = None
        self.syncs = 0  # how many disk flushes were made (for tests and benchmarks)

    def committed(self) -> int:
        """Note one commit; call right after COMMIT returned. Returns its sequence number."""
        with self._cv:
            self._committed += 1
            return self._committed

    def latest(self) -> int:
        with self._cv:
            return self._committed

    def wait(self, upto: int) -> None:
        """Return once commit number `upto` (and all before it) is on disk; one waiting thread
        does the sync for everyone committed by the time it starts."""
        with self._cv:
            while self._synced < upto:
                if self._syncing:
                    self._cv.wait()
                    continue
                self._syncing = True
                target = self._committed
                self._cv.release()
                try:
                    self._sync()
                except OSError as exc:
                    raise StorageError(f"大厅数据写入磁盘失败（{exc.strerror or exc}），请检查磁盘后重试") from None
                finally:
                    self._cv.acquire()
                    self._syncing = False
                    self._cv.notify_all()
                self._synced = max(self._synced, target)

    def _sync(self) -> None:
        """fdatasync the log, through a descriptor that still names the file SQLite writes."""
        ino = os.stat(self.wal_path).st_ino
        if self._fd is None or self._ino != ino:
            self.close()
            # Linux flushes a file through any descriptor; Windows (_commit) needs one open for writing
            mode = os.O_RDWR if os.name == "nt" else os.O_RDONLY
            self._fd = os.open(self.wal_path, mode | getattr(os, "O_CLOEXEC", 0))
            self._ino = ino
            self._sync_directory()  # a new log file's name must survive a power cut too
        os.fdatasync(self._fd) if hasattr(os, "fdatasync") else os.fsync(self._fd)
        self.syncs += 1

    def _sync_directory(self) -> None:
        if not hasattr(os, "O_DIRECTORY"):
            return  # Windows: NTFS journals the directory entry itself
        fd = os.open(os.path.dirname(os.path.abspath(self.wal_path)), os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
