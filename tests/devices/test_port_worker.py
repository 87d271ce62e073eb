"""The thread that owns a port survives driver bugs and listener bugs."""

from __future__ import annotations

import threading

import pytest
import serial
from device_testkit import EventLog

from devices.events import CardRead, DeviceConnected, DeviceFault, safe_emitter
from devices.idcard import IdCardReader
from devices.ports import PortWorker
from devices.simulators import IdCardSimulator

pytestmark = pytest.mark.timeout(10)


def test_a_session_bug_is_reported_and_the_port_reopened(events: EventLog) -> None:
    calls = []

    def session(port: serial.SerialBase, stop: threading.Event) -> None:
        calls.append(port)
        if len(calls) == 1:
            raise RuntimeError("boom")
        stop.wait()

    worker = PortWorker(
        device="scanner",
        url="loop://",
        opener=lambda: serial.serial_for_url("loop://", timeout=0.02),
        session=session,
        emit=events,
        retry_interval=0.05,
    )
    worker.start()
    try:
        fault = events.wait_for(DeviceFault)
        assert fault.kind == "internal" and "boom" in fault.message
        events.wait_for(DeviceConnected, after=events.mark())
        assert len(calls) >= 1
    finally:
        worker.stop()


def test_a_listener_that_raises_does_not_stop_the_reader(idcard_sim: IdCardSimulator) -> None:
    seen: list[object] = []
    card_read = threading.Event()

    def listener(event: object) -> None:
        seen.append(event)
        if isinstance(event, CardRead):
            card_read.set()
        raise ValueError("listener bug")  # raised on DeviceConnected first, then on every event

    reader = IdCardReader(idcard_sim.url, on_event=listener, poll_interval=0.02)
    reader.start()
    try:
        idcard_sim.place(0)
        assert card_read.wait(3)
        assert isinstance(seen[0], DeviceConnected)
        assert reader.running
    finally:
        reader.stop()


def test_a_listener_bug_is_logged_and_does_not_reach_the_device_thread(caplog) -> None:
    seen = []

    def bad(event: object) -> None:
        seen.append(event)
        raise RuntimeError("bug")

    event = DeviceConnected(device="printer", url="loop://")
    with caplog.at_level("ERROR"):
        assert safe_emitter(bad)(event) is None  # returns instead of raising into the device thread
    assert seen == [event]
    assert "listener failed" in caplog.text and "RuntimeError: bug" in caplog.text
    assert safe_emitter(None)(event) is None  # no listener at all is fine too
