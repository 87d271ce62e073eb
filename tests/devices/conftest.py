"""Device fixtures: simulators on real ptys and an event collector (see device_testkit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from device_testkit import EventLog

from devices.idcard import IdCard, load_cards
from devices.simulators import IdCardSimulator, PrinterSimulator, ScannerSimulator

DEMO_CARDS = Path(__file__).resolve().parents[2] / "resources" / "devices" / "demo_cards.json"


@pytest.fixture
def events() -> EventLog:
    return EventLog()


@pytest.fixture(scope="session")
def cards() -> list[IdCard]:
    return load_cards(DEMO_CARDS)


@pytest.fixture
def idcard_sim(cards: list[IdCard]) -> Iterator[IdCardSimulator]:
    sim = IdCardSimulator(cards)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    sim = PrinterSimulator(baud=115200)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def scanner_sim() -> Iterator[ScannerSimulator]:
    sim = ScannerSimulator(baud=115200)
    sim.start()
    yield sim
    sim.stop()
