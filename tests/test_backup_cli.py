"""`main.py backup`: a whole, checked copy of the hall file, taken while the hall keeps working."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

import main
from kiosk import open_hall


@pytest.fixture
def hall_file(tmp_path: Path) -> Path:
    db = tmp_path / "hall.db"
    hall = open_hall(db, seed_demo=True)
    for _ in range(5):
        hall.issue_ticket(category="A")
    hall.close()
    return db


def test_a_backup_taken_while_tickets_are_issued_opens_as_a_whole_hall(hall_file, tmp_path, capsys):
    hall = open_hall(hall_file)
    stop = threading.Event()

    def issue() -> None:
        while not stop.is_set():
            hall.issue_ticket(category="A")

    writer = threading.Thread(target=issue)
    writer.start()
    try:
        assert main.main(["backup", "--db", str(hall_file), "--out", str(tmp_path / "bk")]) == 0
    finally:
        stop.set()
        writer.join()
        hall.close()
    out = capsys.readouterr().out
    assert "完整性检查通过" in out and "密钥" in out  # the key is named as kept elsewhere, not copied
    [copy] = (tmp_path / "bk").glob("hall-*.db")
    assert not list((tmp_path / "bk").glob("*.key")) and not list((tmp_path / "bk").glob("*-wal"))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        numbers = [r[0] for r in conn.execute("SELECT number FROM tickets WHERE category = 'A' ORDER BY id")]
    assert len(numbers) >= 5 and len(numbers) == len(set(numbers))
    assert numbers == [f"A{i:03d}" for i in range(1, len(numbers) + 1)]  # a snapshot: no gap, nothing torn


def test_only_the_newest_backups_are_kept(hall_file, tmp_path, capsys):
    out_dir = tmp_path / "bk"
    for _ in range(4):
        assert main.main(["backup", "--db", str(hall_file), "--out", str(out_dir), "--keep", "2"]) == 0
    kept = sorted(out_dir.glob("hall-*.db"))
    assert len(kept) == 2
    (out_dir / "notes.db").write_text("not ours", encoding="utf-8")  # a file it did not make stays
    assert main.main(["backup", "--db", str(hall_file), "--out", str(out_dir), "--keep", "1"]) == 0
    assert (out_dir / "notes.db").exists() and len(list(out_dir.glob("hall-*.db"))) == 1


@pytest.mark.parametrize("case", ["missing", "not_sqlite", "other_sqlite", "out_is_a_file", "keep_zero"])
def test_a_backup_that_cannot_be_made_says_why_in_one_line_and_leaves_nothing(case, hall_file, tmp_path, capsys):
    out_dir = tmp_path / "bk"
    db = hall_file
    extra: list[str] = []
    if case == "missing":
        db = tmp_path / "none.db"
    elif case == "not_sqlite":
        db = tmp_path / "text.db"
        db.write_text("not a hall", encoding="utf-8")
    elif case == "other_sqlite":
        db = tmp_path / "other.db"
        with sqlite3.connect(db) as conn:
            conn.execute("CREATE TABLE notes (x)")
    elif case == "out_is_a_file":
        out_dir = tmp_path / "file"
        out_dir.write_text("", encoding="utf-8")
    else:
        extra = ["--keep", "0"]
    assert main.main(["backup", "--db", str(db), "--out", str(out_dir), *extra]) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1 and "没有做任何备份" in err
    assert not (out_dir.is_dir() and list(out_dir.iterdir()))
