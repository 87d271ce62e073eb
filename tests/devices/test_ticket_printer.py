"""The ticket printer driver against the printer simulator on a pty, a file, and loop://."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import serial
from device_testkit import EventLog

from devices.events import DeviceConnected, DeviceDisconnected
from devices.printer import (
    FileSink,
    PrinterError,
    PrinterNotReady,
    PrinterStatus,
    SerialSink,
    TicketPrinter,
    is_serial_target,
    open_sink,
)
from devices.simulators import PrinterSimulator

pytestmark = pytest.mark.timeout(10)

TICKET = b"\x1b@\x1c&A001\n\x1dV\x01"


def printer_for(sim: PrinterSimulator, **options: object) -> TicketPrinter:
    return TicketPrinter(sim.url, 115200, status_timeout=0.3, **options)  # type: ignore[arg-type]


def test_ready_printer_prints_the_ticket_bytes_unchanged(printer_sim: PrinterSimulator) -> None:
    with printer_for(printer_sim) as printer:
        assert printer.status().ready
        printer.print(TICKET)
    assert printer_sim.wait_for_output(len(TICKET)) == TICKET
    assert printer_sim.status_queries >= 8  # DLE EOT 1-4 before status() and before print()


def test_paper_out_refuses_with_the_paper_message_and_sends_nothing(printer_sim: PrinterSimulator) -> None:
    printer_sim.set_paper_out()
    with printer_for(printer_sim) as printer, pytest.raises(PrinterNotReady) as caught:
        printer.print(TICKET)
    status = caught.value.status
    assert status.paper_out and not status.ready
    assert caught.value.message == "打印机缺纸，请装入打印纸"
    assert printer_sim.wait_for_output(1, timeout=0.1) == b""
    assert bytes(printer_sim.held) == b""  # not even buffered for later: nothing was sent


def test_printer_back_with_paper_prints_again(printer_sim: PrinterSimulator) -> None:
    printer_sim.set_paper_out()
    with printer_for(printer_sim) as printer:
        with pytest.raises(PrinterNotReady):
            printer.print(TICKET)
        printer_sim.set_paper_out(False)
        printer.print(TICKET)
    assert printer_sim.wait_for_output(len(TICKET)) == TICKET


@pytest.mark.parametrize(
    ("state", "flag", "message"),
    [
        ("cover_open", "cover_open", "打印机盖未关好，请合上机盖"),
        ("offline", "offline", "打印机脱机，请检查打印机"),
        ("cutter_error", "cutter_error", "打印机切刀故障，请检查切刀"),
    ],
)
def test_each_not_ready_state_has_its_own_message(
    printer_sim: PrinterSimulator, state: str, flag: str, message: str
) -> None:
    printer_sim.set_state(**{state: True})
    with printer_for(printer_sim) as printer, pytest.raises(PrinterNotReady) as caught:
        printer.print(TICKET)
    assert getattr(caught.value.status, flag)
    assert caught.value.message == message
    assert printer_sim.wait_for_output(1, timeout=0.1) == b""


def test_a_roll_that_ends_in_the_middle_of_a_ticket_is_a_failed_print_not_a_printed_one(
    printer_sim: PrinterSimulator,
) -> None:
    """The status was fine before the ticket; the roll ended halfway through it. The kiosk takes
    a returning print() as 号票已打印, so the citizen would hold half a ticket, or none, and the
    ticket would never be offered for reprinting."""
    ticket = TICKET * 20
    printer_sim.set_paper_left(60)
    with printer_for(printer_sim) as printer, pytest.raises(PrinterError) as caught:
        printer.print(ticket)
    assert caught.value.message == "打印机缺纸，请装入打印纸；号票可能未打印完整"
    assert len(printer_sim.output()) == 60 and len(printer_sim.held) == len(ticket) - 60


def test_a_printer_switched_off_as_the_ticket_is_sent_is_a_failed_print(printer_sim: PrinterSimulator) -> None:
    with printer_for(printer_sim) as printer:
        asked = printer._query

        def ready_then_switched_off(sink):
            status = asked(sink)
            printer_sim.set_state(silent=True)  # the power switch, between the question and the ticket
            return status

        printer._query = ready_then_switched_off  # type: ignore[method-assign]
        with pytest.raises(PrinterError, match="号票可能未打印完整"):
            printer.print(TICKET)
    assert printer_sim.output() == b""


def test_paper_near_end_still_prints_but_says_so(printer_sim: PrinterSimulator) -> None:
    printer_sim.set_state(paper_near_end=True)
    with printer_for(printer_sim) as printer:
        status = printer.status()
        printer.print(TICKET)
    assert status.ready and status.paper_near_end and "即将用完" in status.message
    assert printer_sim.wait_for_output(len(TICKET)) == TICKET


def test_printer_that_does_not_answer_is_unresponsive(printer_sim: PrinterSimulator) -> None:
    printer_sim.set_state(silent=True)
    with printer_for(printer_sim) as printer, pytest.raises(PrinterNotReady, match="^打印机无响应$"):
        printer.print(TICKET)


def test_unplugged_printer_reports_disconnected_and_prints_after_replug(
    printer_sim: PrinterSimulator,
) -> None:
    log = EventLog()
    with printer_for(printer_sim, on_event=log) as printer:
        printer.print(TICKET)
        assert printer_sim.wait_for_output(len(TICKET)) == TICKET
        printer_sim.unplug()
        with pytest.raises(PrinterNotReady) as caught:
            printer.print(TICKET)
        assert not caught.value.status.connected
        assert caught.value.message.startswith("打印机未连接")
        printer_sim.replug()
        printer.print(TICKET)
    assert printer_sim.wait_for_output(2 * len(TICKET)) == TICKET * 2
    assert [type(e) for e in log.events] == [DeviceConnected, DeviceDisconnected, DeviceConnected]


def test_missing_port_is_not_ready_with_the_reason(tmp_path: Path) -> None:
    printer = TicketPrinter("/dev/kiosk-no-such-printer", status_timeout=0.2)
    with pytest.raises(PrinterNotReady, match="打印机未连接.*端口不存在"):
        printer.print(TICKET)
    assert printer.status().connected is False


def test_a_printer_link_that_vanishes_is_disconnected_not_a_file(printer_sim, tmp_path: Path) -> None:
    link = tmp_path / "printer"
    link.symlink_to(printer_sim.url)
    printer = TicketPrinter(str(link), 115200, status_timeout=0.5)
    printer.print(TICKET)
    printer_sim.unplug()
    link.unlink()  # the udev link goes with the cable
    for _ in range(2):
        with pytest.raises((PrinterNotReady, PrinterError)):
            printer.print(TICKET)
    assert not printer.status().connected
    assert not link.exists()  # no file was made where the port was


def test_a_file_target_in_a_missing_folder_is_refused_at_once(tmp_path: Path) -> None:
    printer = TicketPrinter(f"file:{tmp_path / 'no-such-dir' / 't.bin'}")
    with pytest.raises(PrinterNotReady, match="所在文件夹不存在"):
        printer.print(TICKET)


def test_file_sink_appends_each_ticket_and_is_always_ready(tmp_path: Path) -> None:
    out = tmp_path / "tickets.bin"
    for target in (f"file:{out}", str(out)):  # once it exists, a bare path to the file will do
        printer = TicketPrinter(target)
        assert printer.status().ready
        printer.print(TICKET)
    assert out.read_bytes() == TICKET * 2


def test_targets_are_told_apart_by_shape(tmp_path: Path, printer_sim: PrinterSimulator) -> None:
    assert is_serial_target("socket://10.0.0.5:9100")
    assert is_serial_target("loop://")
    assert is_serial_target("/dev/ttyUSB0")
    assert is_serial_target("COM3")
    assert is_serial_target(printer_sim.url)  # a symlink to a pty is a character device
    assert is_serial_target(str(tmp_path / "gone"))  # a path that is not there is a missing port
    assert not is_serial_target("file:/dev/null")
    (tmp_path / "x.bin").write_bytes(b"")
    assert not is_serial_target(str(tmp_path / "x.bin"))
    assert isinstance(open_sink(str(tmp_path / "x.bin")), FileSink)
    assert isinstance(open_sink(f"file:{tmp_path / 'new.bin'}"), FileSink)


def test_loop_url_round_trips_bytes() -> None:
    sink = open_sink("loop://", 9600)
    assert isinstance(sink, SerialSink)
    try:
        sink.write(TICKET)
        received = b""
        while len(received) < len(TICKET):
            received += sink.read_some()
        assert received == TICKET
    finally:
        sink.close()


def test_loop_url_echo_is_not_taken_for_a_status_answer() -> None:
    with TicketPrinter("loop://", status_timeout=0.2) as printer:
        assert printer.status().message == "打印机无响应"
    with TicketPrinter("loop://", check_status=False) as printer:
        printer.print(TICKET)  # a sink without status, e.g. a raw network socket


def test_socket_url_to_a_closed_port_is_not_ready() -> None:
    with pytest.raises(PrinterNotReady, match="打印机未连接"):
        TicketPrinter("socket://127.0.0.1:9", status_timeout=0.2).print(TICKET)


def test_status_bytes_decode_per_the_spec_bits() -> None:
    ok = PrinterStatus.from_answers({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12})
    assert ok.ready and ok.message == "打印机就绪"
    paper = PrinterStatus.from_answers({1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72})
    assert paper.paper_out and paper.offline and not paper.ready
    assert paper.message == "打印机缺纸，请装入打印纸"
    assert PrinterStatus.from_answers({1: 0x12, 2: 0x16, 3: 0x12, 4: 0x12}).cover_open
    assert PrinterStatus.from_answers({1: 0x12, 2: 0x12, 3: 0x1A, 4: 0x12}).cutter_error
    assert PrinterStatus.from_answers({1: 0x12, 2: 0x12, 3: 0x32, 4: 0x12}).unrecoverable_error
    assert PrinterStatus.from_answers({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}).paper_near_end


def test_a_cut_off_write_is_a_printer_error_not_a_crash(printer_sim: PrinterSimulator) -> None:
    printer = printer_for(printer_sim, check_status=False)
    printer.print(TICKET)
    printer_sim.wait_for_output(len(TICKET))
    printer_sim.unplug()
    with pytest.raises(PrinterError):
        printer.print(TICKET * 2000)
    printer.close()


def test_paper_sensor_query_is_answered(printer_sim: PrinterSimulator) -> None:
    port = serial.serial_for_url(printer_sim.url, 115200, timeout=1)
    try:
        port.write(b"\x1dr\x01")
        assert port.read(1) == b"\x00"
        printer_sim.set_paper_out()
        port.write(b"\x1dr\x01")
        assert port.read(1) == b"\x0f"
    finally:
        port.close()


def test_bytes_sent_blindly_while_out_of_paper_print_later_which_is_why_status_comes_first(
    printer_sim: PrinterSimulator,
) -> None:
    printer_sim.set_paper_out()
    with printer_for(printer_sim, check_status=False) as printer:
        printer.print(TICKET)
    assert printer_sim.wait_for_output(1, timeout=0.2) == b""
    printer_sim.set_paper_out(False)
    assert printer_sim.wait_for_output(len(TICKET)) == TICKET


class _NetworkPrinter:
    """A raw TCP printer on 127.0.0.1 (port 9100 style): answers DLE EOT n, keeps the rest."""

    def __init__(self, paper_out: bool = False) -> None:
        self.paper_out = paper_out
        self.received = bytearray()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"socket://127.0.0.1:{self.server.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            pending = b""
            while chunk := conn.recv(4096):
                pending += chunk
                while b"\x10\x04" in pending and len(pending) >= pending.index(b"\x10\x04") + 3:
                    at = pending.index(b"\x10\x04")
                    self.received += pending[:at]
                    n = pending[at + 2]
                    out = self.paper_out
                    answer = 0x12 | (0x20 if out and n == 2 else 0) | (0x60 if out and n == 4 else 0)
                    conn.sendall(bytes([answer]))
                    pending = pending[at + 3:]
                if b"\x10" not in pending:
                    self.received += pending
                    pending = b""

    def close(self) -> None:
        self.server.close()


def test_a_network_printer_on_a_socket_url_gets_the_ticket_after_a_status_check() -> None:
    net = _NetworkPrinter()
    try:
        with TicketPrinter(net.url, status_timeout=1.0) as printer:
            printer.print(TICKET)
        deadline = time.monotonic() + 2
        while bytes(net.received) != TICKET and time.monotonic() < deadline:
            time.sleep(0.01)
        assert bytes(net.received) == TICKET
    finally:
        net.close()


def test_a_network_printer_out_of_paper_gets_nothing_and_says_so() -> None:
    net = _NetworkPrinter(paper_out=True)
    try:
        with TicketPrinter(net.url, status_timeout=1.0) as printer, pytest.raises(PrinterNotReady, match="缺纸"):
            printer.print(TICKET)
        assert bytes(net.received) == b""
    finally:
        net.close()
