"""Simulated devices on pseudo-terminals, speaking the real protocols at real baud rates.

    from devices.simulators import IdCardSimulator
    sim = IdCardSimulator(load_cards("resources/devices/demo_cards.json"))
    url = sim.start()          # a path pyserial opens like any serial port
    sim.place(0); sim.set_fault("41"); sim.unplug(); sim.replug(); sim.stop()

Standalone: `python main.py simulate idcard|printer|scanner ...`.
"""

from devices.simulators.base import PtySimulator, wire_time
from devices.simulators.idcard import FAULTS as IDCARD_FAULTS
from devices.simulators.idcard import IdCardSimulator
from devices.simulators.printer import PrinterSimulator
from devices.simulators.scanner import ScannerSimulator

__all__ = [
    "IDCARD_FAULTS",
    "IdCardSimulator",
    "PrinterSimulator",
    "PtySimulator",
    "ScannerSimulator",
    "wire_time",
]
