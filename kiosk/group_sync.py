"""Group commit for a WAL file: one fdatasync makes every commit made before it durable.

With `synchronous=FULL` SQLite syncs the write-ahead log inside every COMMIT while the writer
holds the file's write lock, so a hall server serving a dozen terminals waits for one disk flush
per change, one after another. In WAL mode that sync is the only difference between FULL and
NORMAL (SQLite's documentation: "an additional sync operation of the WAL file happens after
each transaction commit"), and syncing a file flushes everything written to it so far. So the
store commits at NORMAL and, before it answers anybody, waits here until a sync that started
after its commit has finished: threads that committed while a sync was running share the next
one. Nothing is acknowledged before it is on disk, exactly as with FULL.

A flush is two waits: the log's new pages written to the disk, then the disk's cache flushed.
Right after a durable COMMIT the store asks Linux to start writing those pages
(sync_file_range(SYNC_FILE_RANGE_WRITE), which returns at once), so the Python that builds the
answer runs while they travel, and the fdatasync after it finds them written or on their way:
a queue step's flush measured ~40 us shorter on a VM for 30 us of work after the commit. The
fdatasync is still what makes a change durable; starting the write early only moves when it
begins, and a system without the call (Windows, macOS) simply flushes as before.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable

from kiosk.errors import StorageError

SYNC_FILE_RANGE_WRITE = 2  # <linux/fs.h>: start writing the range's dirty pages, do not wait


def _range_writer() -> Callable[[int, int, int, int], int] | None:
    """libc's sync_file_range, or None where there is none (resolved at a durable store's first
    commit: ctypes costs a terminal that stores nothing ~2 ms at start)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        call = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    call.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    call.restype = ctypes.c_int
    return call  # type: ignore[no-any-return]


class GroupSync:
    """Counts commits written to the log and syncs the log for all of them at once."""

    def __init__(self, wal_path: str) -> None:
        self.wal_path = wal_path
        self._cv = threading.Condition()
        self._committed = 0  # commits whose frames are in the log (in the OS, maybe not on disk)
        self._synced = 0  # commits known to be on disk
        self._syncing = False
        self._fd: int | None = None
        self._write_range: Callable[[int, int, int, int], int] | None | bool = False  # False: not looked up yet
        self.syncs = 0  # how many disk flushes were made (for tests and benchmarks)

    def committed(self) -> int:
        """Note one commit; call right after COMMIT returned. Returns its sequence number.

        With no sync under way, the commit's pages start on their way to the disk now (see the
        module's docstring). While one runs, they are left for the next sync to write with
        every other commit made meanwhile: a write started per commit cost a busy hall server
        one more disk request each (~40 us of CPU on a VM, where each request exits to the VM's
        monitor), and ~6% of its tickets per second at 8 and 32 clients."""
        with self._cv:
            self._committed += 1
            number = self._committed
            idle = not self._syncing
        if idle:
            self.start_writing()
        return number

    def start_writing(self) -> None:
        """Ask the OS to start writing the log's dirty pages, without waiting. Only a head start
        for the flush: a failure here is left for the fdatasync to report."""
        write_range = self._write_range
        if write_range is False:
            write_range = self._write_range = _range_writer()
        if write_range:
            try:
                write_range(self._descriptor(), 0, 0, SYNC_FILE_RANGE_WRITE)  # type: ignore[operator]
            except OSError:
                pass

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
        """fdatasync the log through a descriptor opened at the first sync and kept.

        The descriptor names the file SQLite writes for as long as the store's connection is
        open: SQLite deletes a database's log (to make it anew later) only when its last
        connection closes, which it knows by taking the file's exclusive lock that every open
        connection's shared lock refuses; a checkpoint that empties the log truncates the same
        file; and the store closes this descriptor with its connection.

        So the file is not looked at again before each sync. Looking cost far more than the
        look: measured on Linux 6.18 (ext4), a stat() or fstat() of the log between its writes
        makes the next fdatasync write the file's inode too (8 KiB written per one-page commit
        became 12 KiB), ~60 us more for every durable step on a VM, and for the flushes of other
        files made just after it. (Linux 6.13's fine-grained timestamps are the likely cause: a
        query of a file's times marks it, so the next write stamps it anew.)
        """
        fd = self._descriptor()
        os.fdatasync(fd) if hasattr(os, "fdatasync") else os.fsync(fd)
        self.syncs += 1

    def _descriptor(self) -> int:
        if self._fd is None:
            # Linux flushes a file through any descriptor; Windows (_commit) needs one open for writing
            mode = os.O_RDWR if os.name == "nt" else os.O_RDONLY
            self._fd = os.open(self.wal_path, mode | getattr(os, "O_CLOEXEC", 0))
            self._sync_directory()  # a new log file's name must survive a power cut too
        return self._fd

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
