"""The ticket printer driver: ask the printer's status, then send the ticket's bytes.

A thermal printer that runs out of paper goes offline and buffers what it receives, so a
ticket sent blindly would print later, after the citizen has left, or twice. Before every
ticket the driver asks DLE EOT 1-4 and raises PrinterNotReady (nothing sent) unless the
printer is ready; the caller keeps the ticket with a print-failed state and reprints it.
After the ticket it asks again: a roll that ends halfway through a ticket, or a printer
switched off as it was sent, is a PrinterError (the ticket may be incomplete), never a
ticket taken as printed that the citizen never got.
Builders in printing/ make the bytes; this module only moves them.

Safe to call from a worker thread: one lock serialises status() and print(). The port is
kept open between tickets and reopened after a failure; an optional callback hears
DeviceDisconnected / DeviceConnected when that state changes.
"""

from __future__ import annotations

import threading
import time

from devices.events import PRINTER, DeviceConnected, DeviceDisconnected, EventSink, safe_emitter
from devices.ports import PORT_ERRORS, describe_port_error
from devices.printer.status import (
    STATUS_QUERIES,
    PrinterError,
    PrinterNotReady,
    PrinterStatus,
    is_status_byte,
    status_request,
)
from devices.printer.transport import SerialSink, Sink, open_sink

STATUS_ATTEMPTS = 3
NO_ANSWER = object()


class TicketPrinter:
    """An ESC/POS printer at a pyserial URL or a file path (see transport.open_sink)."""

    device = PRINTER

    def __init__(
        self,
        target: str,
        baud: int = 9600,
        *,
        status_timeout: float = 0.5,
        check_status: bool = True,
        on_event: EventSink | None = None,
    ) -> None:
        self.target = target
        self.baud = baud
        self.status_timeout = status_timeout
        self.check_status = check_status
        self._emit = safe_emitter(on_event)
        self._lock = threading.Lock()
        self._sink: Sink | None = None
        self._connected: bool | None = None  # None: not tried yet

    def print(self, data: bytes) -> None:
        """Send one ticket. Raises PrinterNotReady (nothing sent) or PrinterError (cut off)."""
        with self._lock:
            sink = self._open()
            asks = isinstance(sink, SerialSink) and self.check_status
            if asks:
                status = self._query(sink)  # type: ignore[arg-type]
                if not status.ready:
                    raise PrinterNotReady(status)
            try:
                sink.write(data)
                if asks:
                    sink.drain()  # type: ignore[union-attr]
            except PORT_ERRORS as exc:
                self._lost(str(exc))
                raise PrinterError("打印中断：与打印机的连接断开，请检查后重新打印") from None
            if asks and not (after := self._query(sink)).ready:  # type: ignore[arg-type]
                raise PrinterError(f"{after.message}；号票可能未打印完整")

    def status(self) -> PrinterStatus:
        """Ask the printer now; never raises. A file sink is always ready."""
        with self._lock:
            try:
                sink = self._open()
            except PrinterNotReady as exc:
                return exc.status
            if not isinstance(sink, SerialSink):
                return PrinterStatus()  # a file has no paper to run out of
            return self._query(sink)

    def close(self) -> None:
        with self._lock:
            if self._sink is not None:
                self._sink.close()
                self._sink = None

    def __enter__(self) -> TicketPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals (lock held) ------------------------------------------------------

    def _open(self) -> Sink:
        if self._sink is not None:
            return self._sink
        try:
            self._sink = open_sink(self.target, self.baud)
        except PORT_ERRORS as exc:
            self._set_connected(False)
            reason = describe_port_error(exc)
            if self.target.startswith("file:"):
                reason = "所在文件夹不存在" if isinstance(exc, FileNotFoundError) else f"无法写入（{reason}）"
            detail = f"{self.target}：{reason}"
            raise PrinterNotReady(PrinterStatus(connected=False, responding=False, detail=detail)) from exc
        self._set_connected(True)
        return self._sink

    def _query(self, sink: SerialSink) -> PrinterStatus:
        """DLE EOT 1..4, each asked on its own and twice: the two answers must agree.

        Asking all four at once and taking status-shaped bytes in order let one noise byte
        shift the answers, so a cutter error read as ready. Tied to its own question and
        confirmed, an answer a noise byte spoiled is asked again; if no two agree, the printer
        is not taken to be ready.
        """
        try:
            answers: dict[int, int] = {}
            for n in STATUS_QUERIES:
                for _attempt in range(STATUS_ATTEMPTS):
                    first = self._ask(sink, n)
                    if first is NO_ANSWER:
                        return PrinterStatus(responding=False)
                    if first is not None and self._ask(sink, n) == first:
                        answers[n] = first  # type: ignore[assignment]
                        break
                else:
                    return PrinterStatus(responding=False, detail="状态应答受干扰")
        except PORT_ERRORS as exc:
            self._lost(str(exc))
            return PrinterStatus(connected=False, responding=False, detail="连接已断开")
        return PrinterStatus.from_answers(answers)

    def _ask(self, sink: SerialSink, n: int) -> int | None | object:
        """One status byte for DLE EOT n; None when more than one status-shaped byte came (noise),
        NO_ANSWER when nothing did."""
        sink.discard_input()
        sink.write(status_request(n))
        got: list[int] = []
        deadline = time.monotonic() + self.status_timeout
        while not got and time.monotonic() < deadline:
            got = [b for b in sink.read_some() if is_status_byte(b)]
        if not got:
            return NO_ANSWER
        return got[0] if len(got) == 1 else None

    def _lost(self, reason: str) -> None:
        if self._sink is not None:
            self._sink.close()
            self._sink = None
        self._set_connected(False, reason)

    def _set_connected(self, connected: bool, reason: str = "") -> None:
        if connected == self._connected:
            return
        self._connected = connected
        if connected:
            self._emit(DeviceConnected(device=self.device, url=self.target))
        else:
            self._emit(
                DeviceDisconnected(
                    message=f"票据打印机未连接（{self.target}）", device=self.device, url=self.target
                )
            )
