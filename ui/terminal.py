"""Building a terminal: the hall, its devices from the hall's settings (or the simulators on
the demo), and the TerminalContext every screen is given.

Device threads post their events into ctx.device_events; printing goes through the printer
driver, whose blocking call the screens run off the GUI thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import Hall
from ui.context import TerminalContext

log = logging.getLogger(__name__)


@dataclass
class TerminalDevices:
    """The running drivers (and simulators, on the demo); `stop()` ends their threads."""

    drivers: list = field(default_factory=list)
    demo: object | None = None

    def stop(self) -> None:
        for d in self.drivers:
            try:
                d.stop() if hasattr(d, "stop") else d.close()
            except Exception:  # shutting down: one stuck device must not block the others
                log.exception("stopping %s", d)
        if self.demo is not None:
            self.demo.stop()  # type: ignore[attr-defined]


def connect_devices(ctx: TerminalContext, *, simulate_missing: bool = True, printer_out: Path | None = None,
                    card_cycle: float | None = None) -> TerminalDevices:
    """Open the reader, printer and scanner named in the hall's settings; where none is
    configured and `simulate_missing`, start a simulator on a pty and use that instead."""
    from devices.idcard.reader import IdCardReader
    from devices.printer.printer import TicketPrinter
    from devices.scanner import CodeScanner

    s = ctx.hall.settings()
    urls = {"idcard": s.idcard_port, "printer": s.printer_port, "scanner": s.scanner_port}
    out = TerminalDevices()
    if simulate_missing and not all(urls.values()):
        from devices.demo import start_demo_devices

        demo = start_demo_devices(printer_out=printer_out, card_cycle=card_cycle, idcard_baud=s.idcard_baud,
                                  printer_baud=s.printer_baud, scanner_baud=s.scanner_baud)
        out.demo = demo
        for key, url in demo.urls.items():
            urls[key] = urls[key] or url
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
