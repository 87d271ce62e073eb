"""Group commit: changes made while the log is being synced share the next sync, and nothing is
answered, or shown to a reader, before the sync covering it has finished."""

from __future__ import annotations

import os
import threading
import time

from support import with_a_window

from kiosk import open_hall


def durable_hall(tmp_path):
    """A hall as the server runs it: durable commits on a real file."""
    hall = open_hall(tmp_path / "h.db")
    hall.import_catalog({"categories": [{"prefix": "A", "name": "商事登记", "daily_cap": 100}], "matters": []})
    with_a_window(hall)
    return hall


def slow_disk(monkeypatch, seconds: float) -> list[int]:
    """Every fdatasync takes `seconds` (a slow disk); returns the list its calls are counted in."""
    calls: list[int] = []
    real = os.fdatasync

    def slow(fd: int) -> None:
        time.sleep(seconds)
        real(fd)
        calls.append(fd)

    monkeypatch.setattr(os, "fdatasync", slow)
    return calls


def test_changes_from_many_threads_share_syncs_and_every_number_is_issued_once(tmp_path, monkeypatch):
    hall = durable_hall(tmp_path)
    calls = slow_disk(monkeypatch, 0.01)
    numbers: list[str] = []

    def kiosk() -> None:
        for _ in range(10):
            numbers.append(hall.issue_ticket(category="A").number)

    threads = [threading.Thread(target=kiosk) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 80 and len(set(numbers)) == 80
    assert 0 < len(calls) < 40  # one sync per commit would be 80
    hall.close()


def test_a_change_is_answered_only_after_the_sync_that_covers_it(tmp_path, monkeypatch):
    hall = durable_hall(tmp_path)
    release = threading.Event()
    real = os.fdatasync

    def held(fd: int) -> None:
        release.wait(5)
        real(fd)

    monkeypatch.setattr(os, "fdatasync", held)
    answered: list[str] = []
    writer = threading.Thread(target=lambda: answered.append(hall.issue_ticket(category="A").number))
    writer.start()
    time.sleep(0.2)
    assert answered == []  # committed, but its log is not on disk yet: no answer
    release.set()
    writer.join(5)
    assert answered == ["A001"]
    hall.close()


def test_a_reader_is_not_shown_a_change_before_it_is_on_disk(tmp_path, monkeypatch):
    hall = durable_hall(tmp_path)
    release = threading.Event()
    syncing = threading.Event()
    real = os.fdatasync

    def held(fd: int) -> None:
        syncing.set()
        release.wait(5)
        real(fd)

    monkeypatch.setattr(os, "fdatasync", held)
    writer = threading.Thread(target=lambda: hall.issue_ticket(category="A"))
    writer.start()
    assert syncing.wait(5)
    seen: list[int] = []
    reader = threading.Thread(target=lambda: seen.append(len(hall.queue_status().waiting)))
    reader.start()
    reader.join(0.2)
    assert seen == []  # the ticket is committed but not yet durable: the read waits
    release.set()
    reader.join(5)
    writer.join(5)
    assert seen == [1]
    hall.close()


def test_a_print_result_rides_on_the_next_sync_instead_of_its_own(tmp_path, monkeypatch):
    hall = durable_hall(tmp_path)
    ticket = hall.issue_ticket(category="A")
    calls = slow_disk(monkeypatch, 0.0)
    hall.mark_printed(ticket.id, True)
    assert calls == []
    hall.issue_ticket(category="A")
    assert len(calls) == 1  # the next durable change syncs both
    hall.close()
