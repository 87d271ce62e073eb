"""ESC/POS ticket printers: status before each ticket, bytes over any pyserial URL or a file."""

from devices.printer.printer import TicketPrinter
from devices.printer.status import PrinterError, PrinterNotReady, PrinterStatus
from devices.printer.transport import FileSink, SerialSink, is_serial_target, open_sink

__all__ = [
    "FileSink",
    "PrinterError",
    "PrinterNotReady",
    "PrinterStatus",
    "SerialSink",
    "TicketPrinter",
    "is_serial_target",
    "open_sink",
]
