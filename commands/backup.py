"""`backup --out FOLDER [--keep N]`: a consistent copy of the hall file, safe while it is in use.

A hall's whole record (catalog, queue, applications, figures, accounts, terminal registrations)
is one SQLite file, and a plain file copy taken while the server writes can be torn. This takes
SQLite's online backup (the server and the terminals go on working), checks the copy's
integrity before calling it a backup, and keeps the newest N copies, so a daily scheduled run
(cron, Windows Task Scheduler) needs nothing else. The ID-hash key is deliberately not copied:
with the key beside the data a masked ID number can be recovered, so it is kept once, elsewhere.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from commands._common import friendly_errors

NAME = "backup"
HELP = "备份大厅数据库（服务器运行中也可备份，检查完整性，保留最近若干份；可每天定时运行）"
PREFIX = "hall-"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, metavar="FOLDER", help="备份存放的文件夹（最好在另一块磁盘或另一台机器上）")
    parser.add_argument("--keep", type=int, default=30, metavar="N", help="保留最近 N 份备份，更早的删除（默认30）")


@friendly_errors
def run(args: argparse.Namespace) -> int:
    from kiosk.keyfile import key_path_for
    from kiosk.storage import default_db_path

    source = Path(args.db) if args.db else default_db_path()
    if not 1 <= args.keep <= 10_000:
        return _refuse(f"--keep 应在 1 到 10000 之间，实际为 {args.keep}")
    if not source.is_file():
        return _refuse(f"找不到大厅数据库文件 {source}")
    if args.out.exists() and not args.out.is_dir():
        return _refuse(f"{args.out} 是一个文件，不是文件夹")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return _refuse(f"无法创建备份文件夹 {args.out}（{exc.strerror or exc}）")
    stamp = f"{PREFIX}{dt.datetime.now():%Y%m%d-%H%M%S}"
    target = args.out / f"{stamp}.db"
    for n in range(2, 100):  # a second run within the same second keeps the first copy
        if not target.exists():
            break
        target = args.out / f"{stamp}-{n}.db"
    part = target.with_name(target.name + ".part")
    try:
        problem = _copy(source, part)
    except sqlite3.OperationalError as exc:
        problem = (f"大厅数据库 {source} 正忙，10秒内未能读取，请稍后再试" if "locked" in str(exc)
                   else f"无法读取大厅数据库 {source}（SQLite：{exc}）")
    except sqlite3.DatabaseError:
        problem = f"{source} 不是大厅数据库文件，或已损坏"
    except OSError as exc:
        problem = f"无法写入 {part}（{exc.strerror or exc}）"
    if problem:
        part.unlink(missing_ok=True)
        return _refuse(problem)
    part.replace(target)  # a copy under its final name is always a whole, checked one
    removed = _prune(args.out, args.keep)
    size = target.stat().st_size / 1_048_576
    print(f"已备份到 {target}（{size:.1f} MB，完整性检查通过）" + (f"；删除了{removed}份较早的备份" if removed else ""))
    key = key_path_for(source)
    if key.exists():
        print(f"注意：身份证号密钥 {key} 不在备份中（有意如此）；请另行保存一份，且不要与这些备份放在同一介质上")
    return 0


def _copy(source: Path, part: Path) -> str:
    """Copy `source` into `part` by SQLite's online backup; the reason it is not a good copy, or ""."""
    with closing(sqlite3.connect(source, timeout=10)) as src:
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"tickets", "settings", "matters"} <= tables:
            return f"{source} 不是大厅数据库文件"
        with closing(sqlite3.connect(part)) as dest:
            src.backup(dest)  # one step: a consistent snapshot even while the server commits
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            verdict = dest.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                return f"备份副本的完整性检查未通过（{verdict}），原文件可能已损坏，请尽快联系维护人员"
    with open(part, "rb+") as f:  # on disk before it takes its final name
        os.fsync(f.fileno())
    return ""


def _prune(folder: Path, keep: int) -> int:
    """Delete all but the newest `keep` backups this command made (by name: they sort by time)."""
    made = sorted((p for p in folder.glob(f"{PREFIX}*.db") if p.name[len(PREFIX):-3].replace("-", "").isdigit()),
                  key=lambda p: p.stat().st_mtime_ns)
    old = made[:-keep]
    for p in old:
        p.unlink(missing_ok=True)
    return len(old)


def _refuse(text: str) -> int:
    print(f"错误：{text}，没有做任何备份", file=sys.stderr)
    return 1
