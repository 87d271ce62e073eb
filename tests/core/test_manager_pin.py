"""The manager PIN: hashed, never among the settings, tries counted by the hall with growing lock-outs."""

from __future__ import annotations

import json

import pytest

from kiosk import open_hall
from kiosk.errors import InvalidAction, ValidationError


def test_there_is_no_working_default_pin_and_the_first_one_is_set_once(hall):
    assert not hall.manager_pin_is_set()
    for guess in ("2468", "0000", "1234"):
        check = hall.verify_manager_pin(guess)
        assert not check.ok and check.unset
    with pytest.raises(ValidationError):
        hall.set_first_manager_pin("1111")
    hall.set_first_manager_pin("4826")
    with pytest.raises(InvalidAction):
        hall.set_first_manager_pin("9517")
    assert hall.verify_manager_pin("4826").ok


def test_the_pin_is_stored_as_a_salted_hash_and_no_terminal_can_read_it(hall, backing):
    hall.set_first_manager_pin("4826")
    assert not hasattr(hall.settings(), "manager_pin") and "manager_pin" not in hall.settings().extra
    (stored,) = backing.store.conn.execute("SELECT value FROM settings WHERE key = '_manager_pin'").fetchone()
    algorithm, _rounds, salt, digest = json.loads(stored).split("$")
    # the PIN is in none of the fields; its four digits may of course turn up inside the hex of a
    # random salt or digest (about one run in a thousand), which says nothing about the PIN
    assert algorithm == "pbkdf2_sha256" and "4826" not in (salt, digest) and len(digest) == 64


def test_wrong_tries_lock_out_for_longer_each_time_and_survive_a_restart(hall, backing, clock, tmp_path):
    hall.set_first_manager_pin("4826")
    for _ in range(4):
        assert hall.verify_manager_pin("0000").tries_left > 0
    first = hall.verify_manager_pin("0000")
    assert first.locked_seconds == 30
    assert hall.verify_manager_pin("4826").locked_seconds > 0  # locked: even the right PIN waits
    clock.advance(seconds=31)
    for _ in range(5):
        last = hall.verify_manager_pin("0000")
    assert last.locked_seconds == 60
    clock.advance(seconds=61)
    assert hall.verify_manager_pin("4826").ok


def test_a_restarted_kiosk_program_still_counts_its_wrong_tries(tmp_path, clock):
    first = open_hall(tmp_path / "k.db", clock=clock, durable=False)
    first.set_first_manager_pin("4826")
    for _ in range(5):
        first.verify_manager_pin("0000", terminal="取号机A")
    first.close()
    again = open_hall(tmp_path / "k.db", clock=clock, durable=False)  # the program started anew
    try:
        assert again.verify_manager_pin("4826", terminal="取号机A").locked_seconds > 0
        assert again.verify_manager_pin("4826", terminal="取号机B").ok  # another kiosk is not locked
    finally:
        again.close()


def test_brute_forcing_four_digits_takes_days_not_seconds(backing, clock):
    backing.set_first_manager_pin("8253")
    start = clock.now
    tried = 0
    for guess in range(10_000):
        check = backing.verify_manager_pin(f"{guess:04d}")
        tried += 1
        if check.ok or tried >= 60:
            break
        if check.locked_seconds:
            clock.advance(seconds=check.locked_seconds + 1)
    assert not check.ok and tried == 60
    assert (clock.now - start).total_seconds() > 30 * (2**11 - 1)  # 60 guesses of 10,000 took 17 hours


def test_an_old_plain_text_pin_is_hashed_away_and_the_old_default_stops_working(tmp_path, clock):
    for old, works in (("7391", True), ("2468", False)):
        db = tmp_path / f"{old}.db"
        h = open_hall(db, clock=clock, durable=False)
        with h.store.write():
            h.store.conn.execute("INSERT INTO settings (key, value) VALUES ('manager_pin', ?)", (json.dumps(old),))
        h.close()
        h = open_hall(db, clock=clock, durable=False)
        try:
            assert "manager_pin" not in h.settings().extra
            assert h.verify_manager_pin(old).ok is works
        finally:
            h.close()
