"""`kill -9` of the hall server under load, then a restart on the same file and port.

Eight kiosk threads take numbers as fast as the server answers, each request with its own
Idempotency-Key, retrying the same key after any broken connection until it is answered. Mid-
load the server process is killed outright (no shutdown, no flush) and started again. When
every thread has its quota, the hall file must hold exactly the acknowledged tickets: each
(id, number) a client was told, no number twice or skipped per category and day, and one
ticket per key.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import httpx
from server_support import ServeProcess, add_terminal_cli, new_key

from hallnet.runner import free_port
from kiosk import open_hall

THREADS = 8
LONG = os.environ.get("HALL_SERVER_LONG_TESTS") == "1"
# tickets per thread: 480 in all (120 per category, well under the demo caps of 200..300); the
# long run takes 720 and kills the server four times
QUOTA = 90 if LONG else 60
KILL_AFTER = (150, 300, 450, 600) if LONG else (200,)  # acknowledged tickets before each kill
CATEGORIES = ("A", "C", "D", "B")
MATTERS = {"A": "330106-A-001", "C": "330106-C-002", "D": "330106-D-001", "B": "330106-B-003"}
REQUEST_GIVE_UP = 45.0  # one request may wait this long for the server to come back
RETRYABLE = (503,)  # StorageBusy / unavailable: the same key is sent again


@dataclass
class Ack:
    key: str
    terminal: str
    id: int
    number: str
    day: str
    category: str
    attempts: int
    first_sent: float
    answered_at: float


@dataclass
class Kill:
    at: float
    acknowledged: int
    committed: set[int] = field(default_factory=set)
    restarted_at: float = 0.0
    serving_again: float = 0.0


@dataclass
class Load:
    acks: list[Ack] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    broken: int = 0  # connection errors seen (each followed by a retry of the same key)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.acks)


def kiosk_thread(url: str, token: str, terminal: str, index: int, load: Load, stop: threading.Event) -> None:
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                      timeout=httpx.Timeout(10.0, connect=2.0)) as http:
        for n in range(QUOTA):
            category = CATEGORIES[(index + n) % len(CATEGORIES)]
            body = {"matter_code": MATTERS[category]} if n % 3 == 0 else {"category": category}
            key = new_key()
            attempts = 0
            first_sent = time.monotonic()
            give_up = time.monotonic() + REQUEST_GIVE_UP
            while True:
                if stop.is_set() or time.monotonic() > give_up or attempts > 5000:
                    with load.lock:
                        load.failures.append(f"{terminal}#{index} gave up on key {key} after {attempts} attempts")
                    return
                attempts += 1
                try:
                    answer = http.post("/api/issue_ticket", json=body, headers={"Idempotency-Key": key})
                except httpx.TransportError:
                    with load.lock:
                        load.broken += 1
                    time.sleep(0.02 if attempts < 10 else 0.1)
                    continue
                if answer.status_code in RETRYABLE:
                    time.sleep(0.05)
                    continue
                if answer.status_code != 200:
                    with load.lock:
                        load.failures.append(f"{key}: HTTP {answer.status_code} {answer.text[:300]}")
                    return
                ticket = answer.json()
                with load.lock:
                    load.acks.append(Ack(key, terminal, ticket["id"], ticket["number"], ticket["day"],
                                         ticket["category"], attempts, first_sent, time.monotonic()))
                break


def test_every_acknowledged_ticket_survives_kill_9_and_numbers_stay_gap_free(tmp_path, record_property):
    db = tmp_path / "hall.db"
    tokens = {name: add_terminal_cli(db, "kiosk", name) for name in ("取号机1", "取号机2")}
    server = ServeProcess(db, free_port(), tmp_path / "serve.log", demo=True)
    load, stop = Load(), threading.Event()
    threads = [
        threading.Thread(target=kiosk_thread, args=(server.url, tokens[name], name, i, load, stop), daemon=True)
        for i, name in enumerate(sorted(tokens) * (THREADS // 2))
    ]
    kills: list[Kill] = []
    try:
        server.start()
        started = time.monotonic()
        for t in threads:
            t.start()
        for kill_after in KILL_AFTER:
            give_up = time.monotonic() + 20
            while load.count() < kill_after and time.monotonic() < give_up and not load.failures:
                time.sleep(0.002)
            assert not load.failures, load.failures[:5]
            assert load.count() >= kill_after, f"only {load.count()} tickets in 20 s"

            server.kill9()
            kill = Kill(at=time.monotonic(), acknowledged=load.count())
            time.sleep(0.3)  # every client now meets a refused connection and keeps retrying its key
            dead = open_hall(db)  # what the killed server left on disk (committed, answered or not)
            try:
                kill.committed = {t.id for t in dead.tickets()}
            finally:
                dead.close()
            kill.restarted_at = time.monotonic()  # from here the server may answer again
            server.start()  # same file, same port
            kill.serving_again = time.monotonic()
            kills.append(kill)
        for t in threads:
            t.join(timeout=max(1.0, 45 - (time.monotonic() - started)))
        stop.set()
        assert not any(t.is_alive() for t in threads), "a client thread did not finish its quota in time"
        assert not load.failures, load.failures[:5]
    finally:
        stop.set()
        server.stop()
    finished_at = time.monotonic()

    hall = open_hall(db)
    try:
        days = sorted({a.day for a in load.acks})
        stored = [t for day in days for t in hall.tickets(day=dt.date.fromisoformat(day))]
    finally:
        hall.close()

    acks = load.acks
    keys = Counter(a.key for a in acks)
    assert len(acks) == THREADS * QUOTA and max(keys.values()) == 1  # one answer per key, every key answered
    # every acknowledged ticket is in the hall, with the number the kiosk printed
    by_id = {t.id: t for t in stored}
    missing = [a for a in acks if a.id not in by_id or by_id[a.id].number != a.number]
    assert not missing, f"acknowledged but not (so) in the hall: {missing[:5]}"
    # one ticket per acknowledged key, and nothing else
    assert len(stored) == len(keys) == len({a.id for a in acks})
    assert {t.id for t in stored} == {a.id for a in acks}
    # per category and day: A001, A002, ... with no number twice and none skipped
    numbers: dict[tuple[str, str], list[str]] = defaultdict(list)
    for t in stored:
        numbers[(t.day.isoformat(), t.category)].append(t.number)
    for (day, category), got in numbers.items():
        assert sorted(got) == [f"{category}{seq:03d}" for seq in range(1, len(got) + 1)], (day, category)

    per_kill = []
    for kill in kills:
        # requests in flight across the kill: sent before it, answered only after the restart
        resumed = [a for a in acks if a.first_sent < kill.at and a.answered_at >= kill.restarted_at]
        # nothing is answered while the server is down: what was committed at the kill but not
        # heard before the restart must have been answered after it, from its key's stored result
        lost_answers = kill.committed - {a.id for a in acks if a.answered_at < kill.restarted_at}
        recovered = {a.id for a in resumed if a.id in kill.committed}
        assert recovered == lost_answers, "a swallowed answer was not fetched by its retry"
        assert len(resumed) >= 1, "the kill did not happen mid-load"
        per_kill.append({"acknowledged_before": kill.acknowledged, "committed_at_kill": len(kill.committed),
                         "committed_but_unanswered": len(lost_answers), "resumed_after_restart": len(resumed),
                         "answered_from_stored_result": len(recovered),
                         "down_seconds": round(kill.serving_again - kill.at, 2)})
    counts = {
        "acknowledged": len(acks),
        "distinct_keys": len(keys),
        "retried_requests": sum(1 for a in acks if a.attempts > 1),
        "retries": sum(a.attempts - 1 for a in acks),
        "connection_errors": load.broken,
        "kills": per_kill,
        "tickets_per_category": {c: sum(1 for a in acks if a.category == c) for c in CATEGORIES},
        "seconds": round(finished_at - started, 2),
    }
    record_property("kill_restart_counts", json.dumps(counts, ensure_ascii=False))
    print("\nkill -9 and restart:", json.dumps(counts, ensure_ascii=False))
    assert load.broken >= len(kills)
