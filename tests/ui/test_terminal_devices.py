"""Which devices a terminal opens: only the ports it was given, the PC's own `[devices]` from
terminal.toml before the hall's settings, and simulators only on the demo or when asked for. A
real kiosk with a device left unconfigured used to start the demo's simulators, and the card
simulator laid a made-up person on the reader every 6 s: tickets under a fictitious ID number."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from support import ROOT  # noqa: E402

from commands.terminal_config import ConfigError, resolve  # noqa: E402
from devices.simulators.printer import PrinterSimulator  # noqa: E402
from kiosk import open_hall  # noqa: E402
from ui.terminal import connect_devices, make_context  # noqa: E402


@pytest.fixture
def ctx(tmp_path: Path):
    hall = open_hall(tmp_path / "hall.db", seed_demo=True)
    ctx = make_context(hall)
    yield ctx
    ctx.close()
    hall.close()


def test_a_real_terminal_with_no_device_configured_opens_none_starts_no_simulator_and_says_so(ctx):
    devices = connect_devices(ctx)
    try:
        assert devices.demo is None and devices.drivers == [] and not devices.simulated
        assert ctx.printer_status() == (False, "本机未连接取号打印机")  # the kiosk pauses tickets, in words
        line = devices.describe()
        assert line.startswith("本机设备（大厅设置）") and "取号打印机 未配置（视为未连接）" in line
        assert "模拟" not in line
    finally:
        devices.stop()


def test_a_pcs_own_devices_replace_the_halls_settings_whole(ctx):
    """The hall's settings name a reader port this PC does not have; its terminal.toml names
    only its printer: the printer is opened, the reader is not connected."""
    hall = ctx.hall
    hall.update_settings(idcard_port="/dev/no-such-reader", printer_port="/dev/no-such-printer")
    printer = PrinterSimulator(baud=19200)
    printer.start()
    devices = connect_devices(ctx, own={"printer_port": printer.url, "printer_baud": 19200})
    try:
        assert devices.urls == {"idcard": "", "printer": printer.url, "scanner": ""}
        assert len(devices.drivers) == 1
        assert ctx.printer_status()[0] is True  # asked over the pty, answered by the simulator's real protocol
        assert devices.describe().startswith("本机设备（terminal.toml）") and "身份证阅读器 未配置" in devices.describe()
    finally:
        devices.stop()
        printer.stop()


def test_each_kind_of_pc_opens_only_the_devices_it_uses(ctx):
    """The hall's ports are its kiosks': a window PC opens only the card reader, and a display
    or an evaluator opens none of them (it once opened the kiosk's printer port too)."""
    from ui.terminal import ROLE_DEVICES

    printer = PrinterSimulator()
    printer.start()
    ctx.hall.update_settings(idcard_port="loop://", printer_port=printer.url)
    try:
        desk = connect_devices(ctx, wanted=ROLE_DEVICES["clerk"])
        try:
            assert desk.urls == {"idcard": "loop://", "printer": "", "scanner": ""} and len(desk.drivers) == 1
            assert "取号打印机" not in desk.describe() and "身份证阅读器 loop://" in desk.describe()
        finally:
            desk.stop()
        for role in ("display", "evaluator", "admin"):
            none = connect_devices(ctx, simulate_missing=True, wanted=ROLE_DEVICES[role])
            assert none.drivers == [] and none.demo is None and none.describe().startswith("本机设备：无")
    finally:
        printer.stop()


def test_simulators_stand_in_only_for_what_is_missing_when_asked_for(ctx):
    printer = PrinterSimulator()
    printer.start()
    devices = connect_devices(ctx, simulate_missing=True, own={"printer_port": printer.url})
    try:
        assert devices.simulated == {"idcard", "scanner"}
        assert "取号打印机 " + printer.url in devices.describe() and "身份证阅读器 模拟设备" in devices.describe()
    finally:
        devices.stop()
        printer.stop()


def _resolve(config: Path) -> object:
    args = argparse.Namespace(config=str(config), role=None, window=None, hall=None, token=None,
                              orientation=None, lang=None)
    return resolve(args)


def test_terminal_toml_takes_the_pcs_devices_checked_by_the_halls_own_rules(tmp_path: Path):
    config = tmp_path / "terminal.toml"
    config.write_text('role = "kiosk"\n[devices]\nprinter_port = "/dev/ttyUSB0"\nprinter_baud = 19200\n',
                      encoding="utf-8")
    assert _resolve(config).devices == {"printer_port": "/dev/ttyUSB0", "printer_baud": 19200}  # type: ignore[attr-defined]
    config.write_text('role = "kiosk"\n', encoding="utf-8")
    assert _resolve(config).devices is None  # type: ignore[attr-defined]
    for body, words in (("printer_baud = 12345", "波特率"), ("printer_port = 3", "printer_port"),
                        ('printer_port = "bogus://x"', "端口“bogus://x”无效"), ('paper = "A4"', "不认识的项：paper"),
                        ('printer_profile = "laser"', "打印机型号")):
        config.write_text(f'role = "kiosk"\n[devices]\n{body}\n', encoding="utf-8")
        with pytest.raises(ConfigError, match=words):
            _resolve(config)


def test_a_kiosk_started_for_a_real_hall_says_which_devices_it_opened_and_simulates_none(tmp_path: Path):
    db = tmp_path / "hall.db"
    hall = open_hall(db, seed_demo=True)  # the sample hall names no device ports
    assert not (hall.settings().idcard_port or hall.settings().printer_port)
    hall.close()
    out = tmp_path / "kiosk.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "main.py", "run", "--role", "kiosk", "--windowed", "--db", str(db)],
                            cwd=ROOT, env=env, stdout=out.open("w"), stderr=subprocess.STDOUT, text=True)
    try:
        give_up = time.monotonic() + 30
        while "本机设备" not in out.read_text(encoding="utf-8"):
            assert proc.poll() is None and time.monotonic() < give_up, out.read_text(encoding="utf-8")
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = out.read_text(encoding="utf-8")
    assert "本机设备（大厅设置）：身份证阅读器 未配置（视为未连接）；取号打印机 未配置（视为未连接）" in text
    assert "模拟设备" not in text and "Traceback" not in text


def test_a_kiosk_reads_the_devices_its_registration_names_from_the_hall_server(tmp_path: Path):
    """Set from the console (here: the facade the console calls), read by the PC when it opens
    the hall; its own terminal.toml [devices], where present, still comes first."""
    from hallnet.runner import BackgroundServer
    from ui.terminal import own_devices

    hall = open_hall(tmp_path / "hall.db", seed_demo=True)
    _, token = hall.add_terminal("二楼取号机", "kiosk")
    printer = PrinterSimulator()
    printer.start()
    hall.set_terminal_devices("二楼取号机", {"printer_port": printer.url, "printer_baud": 9600})
    try:
        with BackgroundServer(hall) as server:
            client = open_hall(server.url, token=token)
            ctx = make_context(client)
            try:
                own, source = own_devices(None, client)
                assert (own, source) == ({"printer_port": printer.url, "printer_baud": 9600}, "终端登记")
                assert own_devices({"printer_port": "/dev/ttyUSB9"}, client)[1] == "terminal.toml"
                devices = connect_devices(ctx, own=own, own_from=source)
                try:
                    assert ctx.printer_status()[0] is True and "身份证阅读器 未配置" in devices.describe()
                    assert devices.describe().startswith("本机设备（终端登记）")
                finally:
                    devices.stop()
            finally:
                ctx.close()
                client.close()
        assert own_devices(None, hall) == (None, "")  # a local hall file: the hall's settings
    finally:
        printer.stop()
        hall.close()


def test_a_running_kiosk_opens_its_devices_again_when_the_console_changes_them(qtbot, ctx):
    """No walk to the kiosk, no PIN, no restart: the hall's device settings change, the kiosk
    hears it and reopens its ports; a change to anything else leaves them alone."""
    from ui.app import create_application
    from ui.device_keeper import DeviceKeeper

    create_application()
    lines: list[str] = []
    keeper = DeviceKeeper(ctx, role="kiosk", say=lines.append)
    told: list[bool] = []
    keeper.reopened_now.connect(lambda: told.append(True))
    printer = PrinterSimulator()
    printer.start()
    try:
        assert ctx.printer_status() == (False, "本机未连接取号打印机") and "取号打印机 未配置" in lines[-1]
        ctx.hall.update_settings(idle_seconds=90)
        ctx.hall.update_settings(printer_port=printer.url)
        qtbot.waitUntil(lambda: keeper.reopened == 1, timeout=5000)
        assert ctx.printer_status()[0] is True and f"取号打印机 {printer.url}" in lines[-1] and told == [True]
        ctx.hall.update_settings(printer_port="")  # the printer taken away again
        qtbot.waitUntil(lambda: keeper.reopened == 2, timeout=5000)
        assert ctx.printer_status() == (False, "本机未连接取号打印机") and keeper.devices.drivers == []
        desk = DeviceKeeper(ctx, role="clerk", say=lines.append)  # a window PC: its reader only
        try:
            ctx.hall.update_settings(printer_port=printer.url)
            qtbot.waitUntil(lambda: keeper.reopened == 3, timeout=5000)
            assert desk.reopened == 0  # the kiosks' printer is none of its business
        finally:
            desk.stop()
    finally:
        keeper.stop()
        printer.stop()


def test_a_running_pc_follows_its_own_registration_but_not_past_its_terminal_toml(qtbot, tmp_path: Path):
    from hallnet.runner import BackgroundServer
    from ui.app import create_application
    from ui.device_keeper import DeviceKeeper
    from ui.worker import drain_jobs

    create_application()
    hall = open_hall(tmp_path / "hall.db", seed_demo=True)
    _, token = hall.add_terminal("二楼取号机", "kiosk")
    printer = PrinterSimulator()
    printer.start()
    try:
        with BackgroundServer(hall) as server:
            client = open_hall(server.url, token=token)
            ctx = make_context(client)
            lines: list[str] = []
            keeper = DeviceKeeper(ctx, role="kiosk", say=lines.append)
            fixed = DeviceKeeper(make_context(client), role="kiosk", file_devices={}, say=lines.append)
            try:
                hall.set_terminal_devices("二楼取号机", {"printer_port": printer.url})  # from the console
                qtbot.waitUntil(lambda: keeper.reopened == 1, timeout=5000)
                assert ctx.printer_status()[0] is True and lines[-1].startswith("本机设备（终端登记）")
                assert fixed.reopened == 0  # its terminal.toml names its devices: the file wins
                # `terminal devices` run on the server's file by another program reaches it too
                done = subprocess.run([sys.executable, "main.py", "terminal", "devices", "二楼取号机", "--printer-port", "",
                                       "--db", str(tmp_path / "hall.db")], cwd=ROOT, capture_output=True, text=True)
                assert done.returncode == 0 and "随即按此重新连接" in done.stdout, done.stderr
                qtbot.waitUntil(lambda: keeper.reopened == 2, timeout=5000)
                assert ctx.printer_status() == (False, "本机未连接取号打印机")  # no printer named any more
            finally:
                drain_jobs()
                keeper.stop()
                fixed.stop()
                fixed.ctx.close()
                ctx.close()
                client.close()
    finally:
        printer.stop()
        hall.close()
