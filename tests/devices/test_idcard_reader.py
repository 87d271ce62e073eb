"""The reader driver against the reader simulator on a real pty, fault by fault."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from device_testkit import EventLog, card_named

from devices.events import (
    CardRead,
    CardRejected,
    DeviceConnected,
    DeviceDisconnected,
    DeviceFault,
    DeviceRecovered,
    DeviceWarning,
)
from devices.idcard import CardType, IdCard, IdCardReader, NoCard, ReaderError, ReaderTimeout
from devices.idcard.protocol import SET_BAUD, SW3_MESSAGES
from devices.simulators import IdCardSimulator, wire_time

pytestmark = pytest.mark.timeout(15)

TODAY = dt.date(2026, 11, 25)
FAST = dict(
    poll_interval=0.02,
    response_timeout=0.3,
    retry_interval=0.2,
    fault_retry_interval=0.05,
    lift_after=0.3,
    today=lambda: TODAY,
)

StartReader = Callable[..., IdCardReader]


@pytest.fixture
def start_reader(events: EventLog) -> Iterator[StartReader]:
    readers: list[IdCardReader] = []

    def start(url: str, **overrides: object) -> IdCardReader:
        options: dict = {**FAST, "on_event": events, **overrides}
        reader = IdCardReader(url, **options)
        reader.start()
        readers.append(reader)
        return reader

    yield start
    for reader in readers:
        reader.stop()


def quick_reader(url: str, **overrides: object) -> IdCardReader:
    return IdCardReader(url, **{**FAST, **overrides})  # type: ignore[arg-type]


# -- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["张明远", "陈家豪", "史密斯", "马丽娜"])
def test_each_card_type_is_read_over_a_pty(
    idcard_sim: IdCardSimulator, cards: list[IdCard], name: str
) -> None:
    idcard_sim.place(card_named(cards, name))
    card = quick_reader(idcard_sim.url).read_once(timeout=2)
    assert card == card_named(cards, name)
    assert len(card.photo) == 1024


def test_a_card_read_takes_at_least_its_wire_time(idcard_sim: IdCardSimulator) -> None:
    idcard_sim.place(0)
    started = time.monotonic()
    quick_reader(idcard_sim.url).read_once(timeout=2)
    elapsed = time.monotonic() - started
    # find 10+15, select 10+19, read 10+1295 bytes at 115200 baud: the pty is paced
    assert elapsed >= wire_time(1359, 115200) * 0.95


def test_polling_reports_a_laid_card_once(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog, cards: list[IdCard]
) -> None:
    start_reader(idcard_sim.url)
    idcard_sim.place(0)
    read = events.wait_for(CardRead)
    assert read.card == cards[0] and read.device == "idcard" and read.url == idcard_sim.url
    time.sleep(0.5)
    assert len(events.of(CardRead)) == 1


def test_same_serial_is_not_read_twice_by_a_reader_that_keeps_finding_it(
    cards: list[IdCard], start_reader: StartReader, events: EventLog
) -> None:
    with IdCardSimulator(cards, refind_after_read=True) as sim:
        reader = start_reader(sim.url)
        sim.place(0)
        events.wait_for(CardRead)
        time.sleep(0.5)
        assert len(events.of(CardRead)) == 1
        assert sim.reads == 1  # not even read again: the serial from select was enough
        reader.forget_card()
        events.wait_for(CardRead, after=events.mark())
        assert len(events.of(CardRead)) == 2
        reader.stop()


def test_same_card_is_read_again_after_it_was_lifted(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    start_reader(idcard_sim.url)
    idcard_sim.place(0)
    events.wait_for(CardRead)
    idcard_sim.lift()
    time.sleep(0.5)  # longer than lift_after
    mark = events.mark()
    idcard_sim.place(0)
    events.wait_for(CardRead, after=mark)
    assert len(events.of(CardRead)) == 2


def test_same_card_laid_again_at_once_is_not_read_twice(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    start_reader(idcard_sim.url, lift_after=5.0)
    idcard_sim.place(0)
    events.wait_for(CardRead)
    idcard_sim.place(0)  # lifted and laid down within lift_after
    time.sleep(0.5)
    assert len(events.of(CardRead)) == 1


def test_a_different_card_is_read_at_once(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog, cards: list[IdCard]
) -> None:
    start_reader(idcard_sim.url, lift_after=5.0)
    idcard_sim.place(0)
    events.wait_for(CardRead)
    idcard_sim.place(1)
    second = events.wait_for(CardRead, lambda e: e.card == cards[1])
    assert second.card.name == "雷春花"


def test_expired_card_is_rejected_with_its_end_date(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog, cards: list[IdCard]
) -> None:
    start_reader(idcard_sim.url)
    idcard_sim.place(card_named(cards, "王建国"))
    rejected = events.wait_for(CardRejected)
    assert rejected.kind == "expired"
    assert rejected.message == "证件已过期（有效期至2024年03月10日），请使用有效证件"
    assert events.of(CardRead) == []


def test_bad_check_digit_is_rejected(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog, cards: list[IdCard]
) -> None:
    start_reader(idcard_sim.url)
    idcard_sim.place(dataclasses.replace(cards[0], id_number="330106198503120416"))
    rejected = events.wait_for(CardRejected)
    assert rejected.kind == "bad_id_number"
    assert "校验位错误" in rejected.message


def test_baud_switch_is_sent_and_followed(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    reader = start_reader(idcard_sim.url, switch_baud=57600)
    idcard_sim.place(0)
    events.wait_for(CardRead)
    assert idcard_sim.baud == 57600
    assert any(r.cmd == SET_BAUD and r.para == 0x01 for r in idcard_sim.requests)
    assert reader.connected


# -- every SW3 failure code, on one reader that keeps running ------------------------------

SW3_ON_DRIVER = sorted(code for code in SW3_MESSAGES if code != 0x80)


@pytest.fixture(scope="module")
def sw3_rig(cards: list[IdCard]) -> Iterator[tuple[IdCardSimulator, IdCardReader, EventLog]]:
    log = EventLog()
    sim = IdCardSimulator(cards)
    sim.start()
    sim.place(0)
    reader = IdCardReader(sim.url, on_event=log, **FAST)  # type: ignore[arg-type]
    reader.start()
    yield sim, reader, log
    reader.stop()
    sim.stop()


@pytest.mark.parametrize("code", SW3_ON_DRIVER, ids=lambda c: f"SW3_{c:02X}")
def test_every_sw3_failure_becomes_a_fault_with_its_message(
    sw3_rig: tuple[IdCardSimulator, IdCardReader, EventLog], code: int
) -> None:
    sim, reader, log = sw3_rig
    mark = log.mark()
    sim.set_fault(code)
    fault = log.wait_for(DeviceFault, lambda e: e.code == code, after=mark)
    assert fault.kind == "status"
    assert fault.message == SW3_MESSAGES[code]
    assert reader.running


def test_no_card_status_80_is_not_a_fault_but_read_once_says_so(idcard_sim: IdCardSimulator) -> None:
    idcard_sim.place(0)
    idcard_sim.set_fault("80")
    with pytest.raises(NoCard) as caught:
        quick_reader(idcard_sim.url).read_once(timeout=0.3)
    assert caught.value.message == SW3_MESSAGES[0x80]


def test_sw3_fault_clears_and_the_card_is_then_read(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    idcard_sim.set_fault("41")
    idcard_sim.place(0)
    start_reader(idcard_sim.url)
    events.wait_for(DeviceFault, lambda e: e.code == 0x41)
    time.sleep(0.3)
    assert len(events.of(DeviceFault)) == 1  # reported once, not on every retry
    idcard_sim.set_fault(None)
    events.wait_for(DeviceRecovered)
    events.wait_for(CardRead)


# -- line faults -----------------------------------------------------------------------------


def test_checksum_error_is_a_fault_and_the_read_succeeds_once_it_stops(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    idcard_sim.set_fault("checksum")
    idcard_sim.place(0)
    start_reader(idcard_sim.url)
    fault = events.wait_for(DeviceFault)
    assert (fault.kind, fault.message) == ("checksum", "读卡器数据校验错误（线路干扰或波特率不符），请重新放置证件")
    idcard_sim.set_fault(None)
    events.wait_for(CardRead)


def test_garbage_before_the_frame_is_skipped_and_warned_about(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog, cards: list[IdCard]
) -> None:
    idcard_sim.set_fault("garbage")
    idcard_sim.place(0)
    start_reader(idcard_sim.url)
    assert events.wait_for(CardRead).card == cards[0]
    warning = events.wait_for(DeviceWarning)
    assert warning.kind == "garbage" and "无法识别" in warning.message
    assert events.of(DeviceFault) == []


def test_split_frames_are_joined(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog, cards: list[IdCard]
) -> None:
    idcard_sim.set_fault("split")
    idcard_sim.place(3)
    start_reader(idcard_sim.url)
    assert events.wait_for(CardRead).card == cards[3]
    assert events.of(DeviceFault) == []


def test_silent_reader_is_reported_and_retried_until_it_answers(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    idcard_sim.set_fault("silent")
    reader = start_reader(idcard_sim.url)
    fault = events.wait_for(DeviceFault)
    assert (fault.kind, fault.message) == ("no_response", "读卡器无响应")
    idcard_sim.set_fault(None)
    idcard_sim.place(0)
    events.wait_for(DeviceRecovered)
    events.wait_for(CardRead)
    assert reader.running


def test_read_once_on_a_silent_reader_says_so_within_its_timeout(idcard_sim: IdCardSimulator) -> None:
    idcard_sim.set_fault("silent")
    started = time.monotonic()
    with pytest.raises(ReaderTimeout, match="读卡器无响应"):
        quick_reader(idcard_sim.url).read_once(timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_unplug_then_replug_reports_disconnected_then_connected(
    idcard_sim: IdCardSimulator, start_reader: StartReader, events: EventLog
) -> None:
    reader = start_reader(idcard_sim.url)
    events.wait_for(DeviceConnected)
    idcard_sim.set_fault("unplug")
    gone = events.wait_for(DeviceDisconnected)
    assert gone.message == "身份证读卡器连接已断开，正在重新连接"
    assert not reader.connected
    time.sleep(0.5)  # several reopen attempts while it is away: one event only
    assert len(events.of(DeviceDisconnected)) == 1
    mark = events.mark()
    idcard_sim.set_fault(None)
    events.wait_for(DeviceConnected, after=mark)
    idcard_sim.place(0)
    events.wait_for(CardRead)


def test_missing_port_at_start_is_retried_until_it_appears(
    tmp_path: Path, cards: list[IdCard], start_reader: StartReader, events: EventLog
) -> None:
    link = tmp_path / "ttyID"
    start_reader(str(link))
    missing = events.wait_for(DeviceDisconnected)
    assert "未连接" in missing.message
    with IdCardSimulator(cards, link=str(link)) as sim:
        events.wait_for(DeviceConnected)
        sim.place(0)
        events.wait_for(CardRead)
        for reader_event in events.of(DeviceConnected):
            assert reader_event.url == str(link)


def test_read_once_on_a_missing_port_says_which_port(tmp_path: Path) -> None:
    with pytest.raises(ReaderError, match="无法打开读卡器端口.*端口不存在"):
        quick_reader(str(tmp_path / "nothing")).read_once(timeout=0.2)


def test_card_types_arrive_typed(idcard_sim: IdCardSimulator, cards: list[IdCard]) -> None:
    reader = quick_reader(idcard_sim.url)
    seen = set()
    for index in range(len(cards)):
        idcard_sim.place(index)
        seen.add(reader.read_once(timeout=2).card_type)
    assert seen == set(CardType)
