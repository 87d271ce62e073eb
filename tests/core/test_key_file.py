"""The ID-hash secret lives in a key file beside the hall file, never in it."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat

import pytest

from kiosk import open_hall
from kiosk.idnumber import keyed_hash
from kiosk.keyfile import KeyFileError, key_path_for

ID = "11010519491231002X"


def _id_hashes(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT holder_id_hash FROM tickets WHERE holder_id_hash != ''")}


def test_with_only_a_copy_of_the_hall_file_no_id_number_can_be_recovered(hall, backing, tmp_path):
    hall.issue_ticket(category="A", holder_name="张三", holder_id=ID)
    key = backing.hash_key()
    db = tmp_path / "hall.db"
    backing.store.checkpoint()
    copy = tmp_path / "copy" / "hall.db"
    copy.parent.mkdir()
    shutil.copy(db, copy)
    data = copy.read_bytes()
    assert key not in data and key.hex().encode() not in data
    (stored,) = _id_hashes(copy)
    # the attack: every candidate behind the masked number, hashed with whatever key the file holds
    with sqlite3.connect(copy) as conn:
        values = [json.loads(v) for (v,) in conn.execute("SELECT value FROM settings")]
    candidates = [bytes.fromhex(v) for v in values if isinstance(v, str) and len(v) == 64]
    assert not any(keyed_hash(ID, k) == stored for k in candidates)
    assert keyed_hash(ID, key) == stored  # the key file itself does recover it: hence it stays apart
    assert stat.S_IMODE(key_path_for(db).stat().st_mode) == 0o600


def test_a_hall_that_kept_its_key_inside_migrates_it_out_and_keeps_linking(tmp_path, clock):
    db = tmp_path / "old.db"
    h = open_hall(db, clock=clock, durable=False)
    key = h.hash_key()
    h.close()
    # as an older version left it: the key in the settings table, no key file
    key_path_for(db).unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM settings WHERE key = '_hash_key_check'")
        conn.execute("INSERT INTO settings (key, value) VALUES ('_hash_key', ?)", (json.dumps(key.hex()),))
    h = open_hall(db, clock=clock, durable=False)
    try:
        assert h.hash_key() == key and key_path_for(db).exists()
        assert key.hex().encode() not in db.read_bytes()
        assert h.store.conn.execute("SELECT 1 FROM settings WHERE key = '_hash_key'").fetchone() is None
    finally:
        h.close()


def test_a_lost_key_file_is_said_plainly_instead_of_silently_unlinking_every_applicant(tmp_path, clock):
    db = tmp_path / "hall.db"
    h = open_hall(db, clock=clock, durable=False)
    h.hash_key()
    h.close()
    key_path_for(db).unlink()
    h = open_hall(db, clock=clock, durable=False)
    try:
        with pytest.raises(KeyFileError, match="密钥文件"):
            h.hash_key()
    finally:
        h.close()
