"""ESC/POS real-time status (DLE EOT n) decoded into one record with a Chinese message.

Each answer is one byte whose fixed bits are 1 and 4 set, 0 and 7 clear (0x12 when all is
well); a byte without that shape is not a status answer (an echo, a loopback, noise) and is
ignored. Bits used (spec/devices.md):
n=1 bit 3 offline; n=2 bit 2 cover open, bit 5 stopped by paper end, bit 6 error;
n=3 bit 3 cutter error, bit 5 unrecoverable error, bit 6 auto-recoverable error;
n=4 bits 2-3 paper near end, bits 5-6 paper end.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS_QUERIES = (1, 2, 3, 4)
FIXED_MASK = 0x93
FIXED_BITS = 0x12


def status_request(n: int) -> bytes:
    """DLE EOT n."""
    return bytes([0x10, 0x04, n])


def is_status_byte(byte: int) -> bool:
    return byte & FIXED_MASK == FIXED_BITS


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said about itself; `ready` means a ticket may be sent now."""

    responding: bool = True
    connected: bool = True
    offline: bool = False
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    cutter_error: bool = False
    unrecoverable_error: bool = False
    recoverable_error: bool = False
    detail: str = ""  # e.g. why the port could not be opened

    @property
    def ready(self) -> bool:
        return (
            self.connected
            and self.responding
            and not (
                self.offline
                or self.cover_open
                or self.paper_out
                or self.cutter_error
                or self.unrecoverable_error
                or self.recoverable_error
            )
        )

    @property
    def message(self) -> str:
        """One line for the clerk or the hall manager: the most specific problems first."""
        if not self.connected:
            return "打印机未连接" + (f"（{self.detail}）" if self.detail else "")
        if not self.responding:
            return "打印机无响应"
        problems = []
        if self.paper_out:
            problems.append("打印机缺纸，请装入打印纸")
        if self.cover_open:
            problems.append("打印机盖未关好，请合上机盖")
        if self.cutter_error:
            problems.append("打印机切刀故障，请检查切刀")
        if self.unrecoverable_error:
            problems.append("打印机发生不可恢复的故障，请联系维修")
        if self.recoverable_error and not (self.cutter_error or self.cover_open):
            problems.append("打印机出错，请检查后重试")
        if self.offline and not problems:
            problems.append("打印机脱机，请检查打印机")
        if problems:
            return "；".join(problems)
        if self.paper_near_end:
            return "打印机就绪（打印纸即将用完）"
        return "打印机就绪"

    @classmethod
    def from_answers(cls, answers: dict[int, int]) -> PrinterStatus:
        """Decode {n: status byte} for n in STATUS_QUERIES."""
        s1, s2, s3, s4 = (answers.get(n, FIXED_BITS) for n in STATUS_QUERIES)
        return cls(
            offline=bool(s1 & 0x08),
            cover_open=bool(s2 & 0x04),
            paper_out=bool(s2 & 0x20) or bool(s4 & 0x60),
            recoverable_error=bool(s2 & 0x40) or bool(s3 & 0x40),
            cutter_error=bool(s3 & 0x08),
            unrecoverable_error=bool(s3 & 0x20),
            paper_near_end=bool(s4 & 0x0C),
        )


class PrinterError(Exception):
    """Printing failed; the message is for staff. The ticket should be kept for a reprint."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PrinterNotReady(PrinterError):
    """The printer refused before any byte was sent: nothing of the ticket was printed."""

    def __init__(self, status: PrinterStatus) -> None:
        super().__init__(status.message)
        self.status = status
