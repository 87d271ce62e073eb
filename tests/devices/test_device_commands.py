"""`main.py device ...` and `main.py simulate ...`: one line of output, a clear exit status."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import main
from devices.demo import start_demo_devices
from devices.events import CardRead
from devices.idcard import IdCard, IdCardReader
from devices.printer import TicketPrinter
from devices.scanner import CodeScanner
from devices.simulators import IdCardSimulator, PrinterSimulator, ScannerSimulator

pytestmark = pytest.mark.timeout(15)

ROOT = Path(__file__).resolve().parents[2]


def test_read_id_prints_the_card_with_the_number_masked(
    idcard_sim: IdCardSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    idcard_sim.place(0)
    assert main.main(["device", "read-id", "--port", idcard_sim.url, "--timeout", "2"]) == 0
    out = capsys.readouterr().out
    assert "姓名：张明远" in out and "证件号码：330106********0415" in out
    assert "330106198503120415" not in out


def test_read_id_full_json_shows_the_whole_number(
    idcard_sim: IdCardSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    idcard_sim.place(0)
    assert main.main(["device", "read-id", "--port", idcard_sim.url, "--json", "--full"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id_number"] == "330106198503120415" and record["problem"] is None


def test_read_id_of_an_expired_card_reads_but_warns(
    idcard_sim: IdCardSimulator, cards: list[IdCard], capsys: pytest.CaptureFixture[str]
) -> None:
    idcard_sim.place(2)
    assert main.main(["device", "read-id", "--port", idcard_sim.url]) == 0
    assert "证件已过期" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("fault", "message"),
    [("silent", "错误：读卡器无响应"), ("41", "错误：读取证件失败，请重新放置证件")],
)
def test_read_id_failure_is_one_chinese_line_and_exit_1(
    idcard_sim: IdCardSimulator, capsys: pytest.CaptureFixture[str], fault: str, message: str
) -> None:
    idcard_sim.place(0)
    idcard_sim.set_fault(fault)
    assert main.main(["device", "read-id", "--port", idcard_sim.url, "--timeout", "0.5"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == message


def test_read_id_on_a_missing_port_fails_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["device", "read-id", "--port", str(tmp_path / "none"), "--timeout", "0.2"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "端口不存在" in err


def test_printer_status_ready_and_paper_out(
    printer_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["device", "printer-status", "--port", printer_sim.url, "--baud", "115200"]
    assert main.main(args) == 0
    assert capsys.readouterr().out.strip() == "打印机就绪"
    printer_sim.set_paper_out()
    assert main.main(args) == 1
    assert capsys.readouterr().err.strip() == "错误：打印机缺纸，请装入打印纸"
    assert main.main([*args, "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["paper_out"] is True


def test_test_print_sends_the_printing_test_page(
    printer_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    from printing.escpos_ticket import build_test_page

    assert main.main(["device", "test-print", "--port", printer_sim.url, "--baud", "115200"]) == 0
    assert "测试页已发送" in capsys.readouterr().out
    page = build_test_page()
    assert printer_sim.wait_for_output(len(page)) == page
    printer_sim.set_cover_open()
    assert main.main(["device", "test-print", "--port", printer_sim.url, "--baud", "115200"]) == 1
    assert capsys.readouterr().err.strip() == "错误：打印机盖未关好，请合上机盖"


def test_scan_prints_codes_with_their_kind(
    scanner_sim: ScannerSimulator, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["device", "scan", "--port", scanner_sim.url, "--baud", "115200", "--timeout", "0.3"]
    assert main.main(args) == 1
    assert capsys.readouterr().err.strip() == "错误：0.3 秒内只收到 0 个条码（要求 1 个）"


def test_simulate_prints_its_port_first_and_stops_on_sigterm(tmp_path: Path) -> None:
    link = tmp_path / "ttyPRN"
    out = tmp_path / "printed.bin"
    proc = subprocess.Popen(
        [sys.executable, "main.py", "simulate", "printer", "--link", str(link), "--out", str(out)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == str(link)
        with TicketPrinter(str(link), status_timeout=1.0) as printer:
            printer.print(b"hello")
        deadline = time.monotonic() + 3
        while not (out.exists() and out.read_bytes()) and time.monotonic() < deadline:
            time.sleep(0.01)  # the pty hands the bytes over a moment after write() returns
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(5) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert out.read_bytes() == b"hello"
    assert not link.exists()


def test_demo_devices_serve_all_three_drivers(tmp_path: Path) -> None:
    demo = start_demo_devices(printer_out=tmp_path / "demo.bin", idcard_baud=115200)
    try:
        assert set(demo.urls) == {"idcard", "printer", "scanner"}
        demo.idcard.place(0)
        card = IdCardReader(demo.urls["idcard"]).read_once(timeout=2)
        assert card.name == "张明远"
        TicketPrinter(demo.urls["printer"]).print(b"ticket")
        assert demo.printer.wait_for_output(6) == b"ticket"
        assert (tmp_path / "demo.bin").read_bytes() == b"ticket"
        with ThreadPoolExecutor(1) as pool:
            future = pool.submit(CodeScanner(demo.urls["scanner"]).read_codes, 1, 3.0)
            time.sleep(0.3)
            demo.scanner.scan("YY202611250001")
            assert [c.kind for c in future.result()] == ["appointment"]
    finally:
        demo.stop()


def test_demo_reader_can_lay_cards_by_itself(tmp_path: Path) -> None:
    demo = start_demo_devices(card_cycle=0.2)
    got: list[CardRead] = []
    reader = IdCardReader(
        demo.urls["idcard"], on_event=lambda e: got.append(e) if isinstance(e, CardRead) else None
    )
    try:
        reader.start()
        deadline = time.monotonic() + 5
        while len(got) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [e.card.name for e in got[:2]] == ["张明远", "雷春花"]
    finally:
        reader.stop()
        demo.stop()
