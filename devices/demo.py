"""Simulated devices for the demo hall when no real device is configured.

    from devices.demo import start_demo_devices
    demo = start_demo_devices()
    demo.urls     # {"idcard": "/tmp/kiosk-sim-.../idcard", "printer": ..., "scanner": ...}
    demo.idcard.place(0)      # lay 张明远's card on the reader (or auto_cycle does it)
    demo.scanner.scan("YY20261125381604")
    demo.stop()

Each simulator runs in its own daemon thread on a pty, so the demo exercises the same
driver code as real hardware.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from devices.events import IDCARD, PRINTER, SCANNER
from devices.idcard.records import load_cards
from devices.simulators.idcard import IdCardSimulator
from devices.simulators.printer import PrinterSimulator
from devices.simulators.scanner import ScannerSimulator

DEMO_CARDS = Path(__file__).resolve().parent.parent / "resources" / "devices" / "demo_cards.json"


@dataclass
class DemoDevices:
    idcard: IdCardSimulator
    printer: PrinterSimulator
    scanner: ScannerSimulator

    @property
    def urls(self) -> dict[str, str]:
        """Port URLs keyed by device name, ready for the hall's device settings."""
        return {IDCARD: self.idcard.url, PRINTER: self.printer.url, SCANNER: self.scanner.url}

    def stop(self) -> None:
        for sim in (self.idcard, self.printer, self.scanner):
            sim.stop()


def start_demo_devices(
    *,
    cards: str | Path = DEMO_CARDS,
    printer_out: str | Path | None = None,
    card_cycle: float | None = None,
    idcard_baud: int = 115200,
    printer_baud: int = 9600,
    scanner_baud: int = 9600,
) -> DemoDevices:
    """Start the three simulators in threads and return them (see `.urls`).

    `card_cycle`: if set, a card is laid on the reader at start and the next one that many
    seconds after each read; otherwise the demo places cards with `idcard.place(i)`.
    `printer_out`: a file that receives every printed byte (else memory only).
    """
    idcard = IdCardSimulator(load_cards(cards), baud=idcard_baud, auto_cycle=card_cycle)
    printer = PrinterSimulator(baud=printer_baud, out=printer_out)
    scanner = ScannerSimulator(baud=scanner_baud)
    started = []
    try:
        for sim in (idcard, printer, scanner):
            sim.start()
            started.append(sim)
    except Exception:
        for sim in started:
            sim.stop()
        raise
    return DemoDevices(idcard, printer, scanner)
