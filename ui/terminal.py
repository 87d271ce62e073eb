"""Building a terminal: the hall, its devices from the hall's settings (or the simulators on
the demo), and the TerminalContext every screen is given.

Device threads post their events into ctx.device_events; printing goes through the printer
driver, whose blocking call the screens run off the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk import Hall
from kiosk.settings import DEVICE_NAMES, HallSettings
from ui.context import TerminalContext, no_printer, no_printer_status

log = logging.getLogger(__name__)
# what each kind of PC uses: a window PC reads cards (never prints tickets), a display or an
# evaluator has none, so the hall's kiosk ports are never opened on them
ROLE_DEVICES = {"demo": ("idcard", "printer", "scanner"), "kiosk": ("idcard", "printer", "scanner"),
                "clerk": ("idcard",), "display": (), "evaluator": (), "admin": ()}


@dataclass
class TerminalDevices:
    """The running drivers (and simulators, on the demo); `stop()` ends their threads."""

    drivers: list = field(default_factory=list)
    demo: object | None = None
    source: str = "大厅设置"  # where the ports came from: the hall's settings, terminal.toml, 终端登记
    urls: dict[str, str] = field(default_factory=dict)  # the configured ports, by device
    simulated: set[str] = field(default_factory=set)  # devices a simulator stands in for
    wanted: tuple[str, ...] = ()  # the devices this kind of PC uses
    settings: HallSettings | None = None  # the device settings they were opened with

    def describe(self) -> str:
        """One line for the terminal's log, so whoever sets up the PC sees what it opened."""
        if not self.wanted:
            return "本机设备：无（此类终端不用读卡器、打印机或扫码器）"
        parts = []
        for key, name in DEVICE_NAMES.items():
            if key not in self.wanted:
                continue
            shown = "模拟设备" if key in self.simulated else (self.urls.get(key) or "未配置（视为未连接）")
            parts.append(f"{name} {shown}")
        return f"本机设备（{self.source}）：" + "；".join(parts)

    def stop(self) -> None:
        for d in self.drivers:
            try:
                d.stop() if hasattr(d, "stop") else d.close()
            except Exception:  # shutting down: one stuck device must not block the others
                log.exception("stopping %s", d)
        if self.demo is not None:
            self.demo.stop()  # type: ignore[attr-defined]


def device_settings(hall_settings: HallSettings, own: dict | None) -> HallSettings:
    """The devices this PC uses: its own `[devices]` from terminal.toml when it has them (the
    whole list: a port it does not name is not connected), else the hall's settings, which
    suit a hall whose kiosks are all alike."""
    if own is None:
        return hall_settings
    return replace(hall_settings, **{"idcard_port": "", "printer_port": "", "scanner_port": "", **own})


def own_devices(from_file: dict | None, hall: object) -> tuple[dict | None, str]:
    """The PC's own device list and where it came from: its terminal.toml first (set up on the
    PC), then what its registration on the hall server names (set from the console); (None, "")
    when it has none and the hall's device settings apply."""
    if from_file is not None:
        return from_file, "terminal.toml"
    registered = (getattr(hall, "me", None) or {}).get("devices")
    return (registered, "终端登记") if registered is not None else (None, "")


def connect_devices(ctx: TerminalContext, *, simulate_missing: bool = False, printer_out: Path | None = None,
                    card_cycle: float | None = None, own: dict | None = None, own_from: str = "terminal.toml",
                    wanted: tuple[str, ...] = ROLE_DEVICES["kiosk"]) -> TerminalDevices:
    """Open the reader, printer and scanner this PC has (`device_settings`). A device with no
    port is not connected, and the screens say so; only when `simulate_missing` (the demo, or
    a trial asked for with `run --simulators`) a simulator on a pty stands in for it. A real
    kiosk must never take a simulated card's made-up person, nor print into nothing."""
    from devices.idcard.reader import IdCardReader
    from devices.printer.printer import TicketPrinter
    from devices.scanner import CodeScanner

    ctx.send_ticket, ctx.printer_status = no_printer, no_printer_status  # until a printer is opened below
    s = device_settings(ctx.hall.settings(), own)
    ports = {"idcard": s.idcard_port, "printer": s.printer_port, "scanner": s.scanner_port}
    urls = {key: ports[key] if key in wanted else "" for key in DEVICE_NAMES}
    out = TerminalDevices(source=own_from if own is not None else "大厅设置", wanted=wanted, settings=s)
    out.urls = dict(urls)
    if not wanted:
        return out
    if simulate_missing and not all(urls[key] for key in wanted):
        from devices.demo import start_demo_devices

        demo = start_demo_devices(printer_out=printer_out, card_cycle=card_cycle, idcard_baud=s.idcard_baud,
                                  printer_baud=s.printer_baud, scanner_baud=s.scanner_baud)
        out.demo = demo
        for key, url in demo.urls.items():
            if key in wanted and not urls[key]:
                urls[key] = url
                out.simulated.add(key)
    post = ctx.device_events.post
    if urls["idcard"]:
        reader = IdCardReader(urls["idcard"], s.idcard_baud, on_event=post)
        reader.start()
        out.drivers.append(reader)
    if urls["scanner"]:
        scanner = CodeScanner(urls["scanner"], s.scanner_baud, on_event=post)
        scanner.start()
        out.drivers.append(scanner)
    if urls["printer"]:
        printer = TicketPrinter(urls["printer"], s.printer_baud, on_event=post)
        out.drivers.append(printer)
        ctx.send_ticket = printer.print

        def status() -> tuple[bool, str]:
            st = printer.status()
            return st.ready, st.message

        ctx.printer_status = status
    ctx.printer_profile = s.printer_profile
    return out


def make_context(hall: Hall) -> TerminalContext:
    return TerminalContext(hall=hall, printer_profile=hall.settings().printer_profile)
