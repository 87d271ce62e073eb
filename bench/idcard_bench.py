"""How long one ID card read takes against the reader simulator, next to its wire time.

The simulator paces its bytes at the baud rate (a pty alone would not), so the wire time is
a floor no driver can beat: find, select and read-text+photo, requests and answers, 10 bits
per byte. The aim is a measured read within wire + 100 ms: everything above the wire time
is the driver's own overhead (polling granularity, parsing, thread hand-offs).

    .venv/bin/python bench/idcard_bench.py [--baud 115200] [--reads 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.demo import DEMO_CARDS  # noqa: E402
from devices.events import CardRead, CardRejected  # noqa: E402
from devices.idcard import IdCardReader, load_cards  # noqa: E402
from devices.idcard.protocol import (  # noqa: E402
    FIND_CARD,
    READ_TEXT_PHOTO,
    SELECT_CARD,
    build_card_data,
    build_request,
    build_response,
)
from devices.simulators import IdCardSimulator, wire_time  # noqa: E402

BUDGET = 0.100  # seconds above wire time
POLL = 0.1  # the reader's default poll interval


def wire_bytes() -> int:
    """Bytes on the wire, both directions, for find -> select -> read."""
    requests = sum(len(build_request(*cmd)) for cmd in (FIND_CARD, SELECT_CARD, READ_TEXT_PHOTO))
    answers = (
        len(build_response(0x9F, bytes(4)))
        + len(build_response(0x90, bytes(8)))
        + len(build_response(0x90, build_card_data(bytes(256), bytes(1024))))
    )
    return requests + answers


def polling_latency(sim: IdCardSimulator, cards: list, reads: int) -> list[float]:
    """Seconds from laying a card to the background reader's CardRead (or CardRejected) event."""
    arrived = threading.Event()
    reader = IdCardReader(
        sim.url, sim.baud, poll_interval=POLL, lift_after=0.0,
        on_event=lambda e: arrived.set() if isinstance(e, (CardRead, CardRejected)) else None,
    )  # fmt: skip
    reader.start()
    times = []
    try:
        for i in range(reads):
            time.sleep(POLL * (i % 3) / 3)  # land at different points of the poll cycle
            arrived.clear()
            started = time.perf_counter()
            sim.place(i % len(cards))
            if not arrived.wait(5):
                raise SystemExit("the polling reader reported no card within 5 s")
            times.append(time.perf_counter() - started)
    finally:
        reader.stop()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baud", type=int, default=115200)
    parser.add_argument("--reads", type=int, default=10)
    args = parser.parse_args(argv)

    cards = load_cards(DEMO_CARDS)
    nbytes = wire_bytes()
    wire = wire_time(nbytes, args.baud)
    times: list[float] = []
    with IdCardSimulator(cards, baud=args.baud) as sim:
        reader = IdCardReader(sim.url, args.baud)
        for i in range(args.reads):
            sim.place(i % len(cards))
            started = time.perf_counter()
            reader.read_once(timeout=5)
            times.append(time.perf_counter() - started)
        time.sleep(0.05)  # let the simulator thread settle its counters
        measured_bytes = sim.bytes_sent + sim.bytes_received
        polled = polling_latency(sim, cards, args.reads)
    median, worst = statistics.median(times), max(times)
    print(f"ID card read at {args.baud} baud, {args.reads} reads (open port + find + select + read + close)")
    print(f"wire bytes      : {nbytes} ({measured_bytes / args.reads:.0f} per read counted by the simulator)")
    print(f"wire time       : {wire * 1000:7.1f} ms")
    print(f"measured median : {median * 1000:7.1f} ms  (wire + {(median - wire) * 1000:.1f} ms)")
    print(f"measured max    : {worst * 1000:7.1f} ms  (wire + {(worst - wire) * 1000:.1f} ms)")
    print(
        f"polling thread  : card laid -> CardRead median {statistics.median(polled) * 1000:.1f} ms, "
        f"max {max(polled) * 1000:.1f} ms (includes up to one poll interval, {POLL * 1000:.0f} ms)"
    )
    ok = worst <= wire + BUDGET
    print(f"aim max <= wire + {BUDGET * 1000:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
