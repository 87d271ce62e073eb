"""The ID card reader driver: polls find -> select -> read in a background thread.

Every outcome becomes an event (devices.events) for the hall's callback: a card read or
rejected, a fault with its Chinese message (reported once, then DeviceRecovered when it
clears), a disconnect and reconnect. The thread keeps polling through every fault, so a
flaky reader or a pulled cable never crashes or hangs the kiosk.

Same card twice: after a good read the spec's reader answers "no card" (80) until the card
is lifted and laid down again. A card whose 8-byte serial equals the last one reported is
therefore read again only after find has answered 80 for `lift_after` seconds in a row
(it was lifted), or after `forget_card()` (a new citizen session). A different serial is
always read.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

import serial

from devices.events import (
    IDCARD,
    CardRead,
    CardRejected,
    DeviceFault,
    DeviceRecovered,
    DeviceWarning,
    EventSink,
    safe_emitter,
)
from devices.idcard.card import IdCard
from devices.idcard.checks import card_problem
from devices.idcard.session import (
    NoCard,
    ReaderError,
    ReaderGarbled,
    ReaderSession,
    ReaderTimeout,
)
from devices.ports import PORT_ERRORS, PolledDevice, close_quietly, describe_port_error, open_port

NOISE_REPORT_INTERVAL = 30.0  # seconds between two "line noise" warnings


class IdCardReader(PolledDevice):
    """A serial ID card reader at a pyserial URL.

    `baud` is the rate the reader is at when the port opens (115200 out of the box);
    `switch_baud`, if given, is sent with command 0x60 after each open so the link runs at
    that rate. `on_event` receives devices.events objects from the reader's thread.
    """

    device = IDCARD

    def __init__(
        self,
        url: str,
        baud: int = 115200,
        *,
        on_event: EventSink | None = None,
        switch_baud: int | None = None,
        # a card laid just after a poll found none waits this long for the next: with the poll's
        # own find and the thread hand-off on top, 80 ms keeps a read within wire time + 100 ms
        # (bench/idcard_bench.py; at 100 ms the worst read was wire + 104 ms)
        poll_interval: float = 0.08,
        response_timeout: float = 1.0,
        read_timeout: float = 3.0,
        lift_after: float = 1.0,
        retry_interval: float = 1.0,
        fault_retry_interval: float = 0.5,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.url = url
        self.baud = baud
        self.switch_baud = switch_baud
        self.poll_interval = poll_interval
        self.response_timeout = response_timeout
        self.read_timeout = read_timeout
        self.lift_after = lift_after
        self.fault_retry_interval = fault_retry_interval
        self._today = today
        self._emit = safe_emitter(on_event)
        self._lock = threading.Lock()
        self._last_serial: bytes | None = None
        self._absent_since: float | None = None
        self._fault: tuple[str, int | None] | None = None
        self._last_noise_report = -NOISE_REPORT_INTERVAL
        self._attach_worker(url, baud, retry_interval)

    # -- lifecycle (start, stop, running, connected: PolledDevice) ----------------------

    def forget_card(self) -> None:
        """Let the card that was just read be read again without lifting it."""
        with self._lock:
            self._last_serial = None

    # -- one-shot read (diagnostics) ------------------------------------------------------

    def read_once(self, timeout: float = 5.0) -> IdCard:
        """Open the port, read one card, close. Raises ReaderError with a Chinese message.

        Transient failures (checksum, a card error, silence) are retried until `timeout`;
        the last one is raised then, or NoCard if the reader simply saw no card.
        """
        if self.running:
            raise RuntimeError("read_once cannot run while the polling thread owns the port")
        try:
            port = open_port(self.url, self.baud)
        except PORT_ERRORS as exc:
            raise ReaderError(f"无法打开读卡器端口 {self.url}：{describe_port_error(exc)}") from None
        deadline = time.monotonic() + timeout
        last_error: ReaderError = NoCard()
        try:
            session = self._session(port)
            session.response_timeout = min(self.response_timeout, timeout)  # a silent reader: say so in time
            self._prepare(session)
            while time.monotonic() < deadline:
                try:
                    found = session.read_card_now()
                except ReaderError as exc:
                    last_error = exc
                    time.sleep(min(self.fault_retry_interval, max(0.0, deadline - time.monotonic())))
                    continue
                if found is not None:
                    return found[1]
                last_error = NoCard()
                time.sleep(self.poll_interval)
            raise last_error
        except PORT_ERRORS as exc:
            raise ReaderError(f"读卡器连接已断开：{describe_port_error(exc)}") from None
        finally:
            close_quietly(port)

    # -- the polling thread -------------------------------------------------------------

    def _session(self, port: serial.SerialBase) -> ReaderSession:
        return ReaderSession(
            port,
            response_timeout=self.response_timeout,
            read_timeout=self.read_timeout,
            on_noise=self._noise,
        )

    def _prepare(self, session: ReaderSession) -> None:
        """Switch the link rate if configured; a reader that is already there stays silent."""
        if self.switch_baud is None:
            return
        try:
            session.switch_baud(self.switch_baud)
        except (ReaderTimeout, ReaderGarbled):
            session.port.baudrate = self.switch_baud  # it kept the rate from before

    def _run_session(self, port: serial.SerialBase, stop: threading.Event) -> None:
        session = self._session(port)
        try:
            self._prepare(session)
        except ReaderError as exc:
            self._report_fault(exc)
        while not stop.is_set():
            try:
                delay = self._poll(session)
            except ReaderError as exc:
                self._report_fault(exc)
                delay = self.fault_retry_interval
            stop.wait(delay)

    def _poll(self, session: ReaderSession) -> float:
        """One find -> select -> read round; returns how long to wait before the next."""
        now = time.monotonic()
        if not session.find():
            self._clear_fault()
            with self._lock:
                if self._absent_since is None:
                    self._absent_since = now
            return self.poll_interval
        serial_no = session.select()
        with self._lock:
            lifted = self._absent_since is not None and now - self._absent_since >= self.lift_after
            same = serial_no == self._last_serial and not lifted
            self._absent_since = None
        if same:
            return self.poll_interval
        card = session.read()
        self._clear_fault()
        with self._lock:
            self._last_serial = serial_no
        problem = card_problem(card, self._today())
        if problem is None:
            self._emit(CardRead(card, device=self.device, url=self.url))
        else:
            self._emit(CardRejected(card, problem.kind, problem.message, device=self.device, url=self.url))
        return self.poll_interval

    # -- fault bookkeeping --------------------------------------------------------------

    def _report_fault(self, exc: ReaderError) -> None:
        key = (exc.kind, exc.code)
        if key == self._fault:
            return
        self._fault = key
        self._emit(DeviceFault(exc.kind, exc.message, exc.code, device=self.device, url=self.url))

    def _clear_fault(self) -> None:
        if self._fault is not None:
            self._fault = None
            self._emit(DeviceRecovered(device=self.device, url=self.url))

    def _noise(self, skipped: int) -> None:
        now = time.monotonic()
        if now - self._last_noise_report < NOISE_REPORT_INTERVAL:
            return
        self._last_noise_report = now
        self._emit(
            DeviceWarning(
                "garbage",
                f"读卡器线路上有{skipped}字节无法识别的数据，已跳过（请检查连接线）",
                device=self.device,
                url=self.url,
            )
        )
