"""The code scanner: line splitting and code shapes as bytes, then the driver on a pty."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from device_testkit import EventLog

from devices.events import CodeScanned, DeviceConnected, DeviceDisconnected
from devices.scanner import (
    APPLICATION,
    APPOINTMENT,
    UNKNOWN,
    CodeScanner,
    LineSplitter,
    classify_code,
    extract_code,
    follow_link,
)
from devices.simulators import ScannerSimulator

pytestmark = pytest.mark.timeout(10)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("YY202611250001", APPOINTMENT),
        ("yy202611250001", APPOINTMENT),
        ("YY202613250001", UNKNOWN),  # month 13
        ("YY20261125001", UNKNOWN),  # sequence too short
        ("YY20261125381604", APPOINTMENT),  # six random digits
        ("YY2026112538160", UNKNOWN),  # five
        ("3301062026112500001", APPLICATION),
        ("33010620261125", APPLICATION),  # 14 digits
        ("330106202611250000123", UNKNOWN),  # 21 digits
        ("3301062026", UNKNOWN),
        ("https://example.gov.cn/q?id=1", UNKNOWN),
    ],
)
def test_codes_are_classified_by_their_documented_shape(code: str, kind: str) -> None:
    assert classify_code(code) == kind


@pytest.mark.parametrize(
    ("line", "code", "kind"),
    [
        ("]Q1YY20261125381604", "YY20261125381604", APPOINTMENT),  # a scanner set to send the AIM prefix
        ("]C03301062026112500001", "3301062026112500001", APPLICATION),
        ("ＹＹ２０２６１１２５３８１６０４", "YY20261125381604", APPOINTMENT),  # full-width, from a phone's screen
        ("https://hall.example.cn/book?code=YY20261125381604", "YY20261125381604", APPOINTMENT),
        ("https://hall.example.cn/book?code=yy202611250001&from=sms", "YY202611250001", APPOINTMENT),
        ("办件编号：3301062026112500001", "3301062026112500001", APPLICATION),
        ("YY20261125381604,YY20261125381605", "YY20261125381604,YY20261125381605", UNKNOWN),  # two: neither
        ("3301062026112500001/3301062026112500002", "3301062026112500001/3301062026112500002", UNKNOWN),
        ("https://hall.example.cn/book?code=YY20261325381604", "https://hall.example.cn/book?code=YY20261325381604",
         UNKNOWN),  # month 13 is no booking code, inside a link or not
        ("XYY20261125381604", "XYY20261125381604", UNKNOWN),  # glued to another word
    ],
)
def test_the_code_inside_a_prefixed_full_width_or_linked_line_is_found_when_it_is_the_only_one(
    line: str, code: str, kind: str
) -> None:
    assert extract_code(line) == code
    assert classify_code(line) == kind


def test_a_receipts_follow_link_is_read_as_its_kind_and_token_not_as_a_code() -> None:
    link = "https://hall.example.cn/a/HlODxL9UvapPBVRL"
    assert follow_link(link) == ("a", "HlODxL9UvapPBVRL")
    assert follow_link("https://hall.example.cn/t/HlODxL9UvapPBVRL/") == ("t", "HlODxL9UvapPBVRL")
    assert extract_code(link) == link and classify_code(link) == UNKNOWN
    assert follow_link("https://hall.example.cn/a/short") is None
    assert follow_link("YY20261125381604") is None


def test_cr_lf_and_crlf_all_end_a_line_and_blank_lines_are_ignored() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"A1\rB2\nC3\r\n\r\n  \nD4") == ["A1", "B2", "C3"]
    assert splitter.feed(b"\r") == ["D4"]


def test_crlf_split_between_reads_does_not_make_an_empty_code() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"YY202611250001\r") == ["YY202611250001"]
    assert splitter.feed(b"\n") == []


def test_non_utf8_bytes_and_control_characters_do_not_break_the_line() -> None:
    splitter = LineSplitter()
    [line] = splitter.feed(b"\xff\xfe\x00\x07AB\r")
    assert line.endswith("AB") and "\x00" not in line and "\x07" not in line
    assert classify_code(line) == UNKNOWN
    assert splitter.feed(b"3301062026112500001\n") == ["3301062026112500001"]


def test_runaway_line_without_terminator_is_cut() -> None:
    splitter = LineSplitter()
    assert len(splitter.feed(b"9" * 600)) == 1


@pytest.fixture
def scanner(scanner_sim: ScannerSimulator, events: EventLog) -> Iterator[CodeScanner]:
    driver = CodeScanner(scanner_sim.url, 115200, on_event=events, retry_interval=0.2, idle_flush=0.2)
    driver.start()
    events.wait_for(DeviceConnected)
    yield driver
    driver.stop()


@pytest.mark.parametrize("ending", ["cr", "lf", "crlf"])
def test_scanned_codes_arrive_as_events_with_any_line_ending(
    scanner_sim: ScannerSimulator, scanner: CodeScanner, events: EventLog, ending: str
) -> None:
    scanner_sim.scan("YY202611250001", ending=ending)
    scanner_sim.scan("3301062026112500001", ending=ending)
    scanner_sim.scan("  ", ending=ending)
    scanner_sim.scan("hello", ending=ending)
    events.wait_for(CodeScanned, lambda e: e.code == "hello")
    time.sleep(0.05)
    assert [(e.code, e.kind) for e in events.of(CodeScanned)] == [
        ("YY202611250001", APPOINTMENT),
        ("3301062026112500001", APPLICATION),
        ("hello", UNKNOWN),
    ]
    assert events.of(CodeScanned)[0].device == "scanner"


def test_garbage_on_the_line_is_survived(
    scanner_sim: ScannerSimulator, scanner: CodeScanner, events: EventLog
) -> None:
    scanner_sim.send_raw(b"\x00\xff\xfe\x80\x13\r\n")
    scanner_sim.scan("YY202611250001")
    event = events.wait_for(CodeScanned, lambda e: e.kind == APPOINTMENT)
    assert event.code == "YY202611250001"
    assert scanner.running


def test_a_scanned_line_arrives_as_the_code_it_carries(
    scanner_sim: ScannerSimulator, scanner: CodeScanner, events: EventLog
) -> None:
    scanner_sim.send_raw("]Q1ＹＹ２０２６１１２５３８１６０４\r".encode())
    event = events.wait_for(CodeScanned)
    assert (event.code, event.kind) == ("YY20261125381604", APPOINTMENT)


def test_a_code_without_line_ending_is_delivered_after_a_pause(
    scanner_sim: ScannerSimulator, scanner: CodeScanner, events: EventLog
) -> None:
    scanner_sim.send_raw(b"3301062026112500001")
    assert events.wait_for(CodeScanned).kind == APPLICATION


def test_unplugged_scanner_is_reported_and_reconnected(
    scanner_sim: ScannerSimulator, scanner: CodeScanner, events: EventLog
) -> None:
    scanner_sim.unplug()
    assert "扫码器" in events.wait_for(DeviceDisconnected).message
    mark = events.mark()
    scanner_sim.replug()
    events.wait_for(DeviceConnected, after=mark)
    scanner_sim.scan("YY202611250001")
    events.wait_for(CodeScanned)


def test_read_codes_collects_a_count_then_returns(scanner_sim: ScannerSimulator) -> None:
    driver = CodeScanner(scanner_sim.url, 115200)
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(driver.read_codes, 2, 3.0)
        time.sleep(0.3)  # let it open the port (opening discards stale input)
        scanner_sim.send_raw(b"A1\rYY202611250001\rextra\r")
        codes = future.result()
    assert [(c.code, c.kind) for c in codes] == [("A1", UNKNOWN), ("YY202611250001", APPOINTMENT)]


def test_read_codes_returns_what_it_got_when_time_runs_out(scanner_sim: ScannerSimulator) -> None:
    started = time.monotonic()
    assert CodeScanner(scanner_sim.url, 115200).read_codes(1, timeout=0.3) == []
    assert time.monotonic() - started < 1.0
