"""Opening pyserial URLs and keeping one open in a background thread.

Every port in the hall's settings is a pyserial URL (`/dev/ttyUSB0`, `COM3`, a pty path,
`socket://host:9100`, `loop://`), so one opener serves all devices. A USB adapter that is
pulled shows up as OSError/EIO (pyserial's SerialException is an OSError) or, from termios
calls such as a flush, as termios.error: `PORT_ERRORS` catches both so a pulled cable is a
disconnect, never a crash.
"""

from __future__ import annotations

import errno
import logging
import threading
import time
from collections.abc import Callable

import serial

from devices.events import DeviceConnected, DeviceDisconnected, DeviceFault, EventSink, device_label

try:  # termios exists on POSIX only; on Windows pyserial raises SerialException alone
    import termios

    PORT_ERRORS: tuple[type[BaseException], ...] = (OSError, termios.error)
except ImportError:  # pragma: no cover - Windows
    PORT_ERRORS = (OSError,)

log = logging.getLogger(__name__)

# Short enough that reads return promptly to check deadlines and stop flags.
POLL_TIMEOUT = 0.02


def port_problems(ports: dict[str, object]) -> list[str]:
    """What is wrong with each port URL given (an empty one means no device): each must be a
    pyserial URL (/dev/ttyUSB0, COM3, socket://host:9100, loop://), checked without opening it."""
    problems = []
    for url in (str(v).strip() for v in ports.values()):
        if not url:
            continue
        try:
            serial.serial_for_url(url, do_not_open=True)
        except (ValueError, serial.SerialException) as exc:
            problems.append(f"端口“{url}”无效（{exc}）；可写 /dev/ttyUSB0、COM3、socket://主机:端口 或 loop://")
    return problems


def device_list_problems(devices: object) -> list[str]:
    """What is wrong with a PC's own device list (terminal.toml, the console, `terminal
    devices`): the hall settings' rules for its keys and values, each port a pyserial URL, the
    printer model one the printer driver knows."""
    from kiosk.settings import device_problems
    from printing.profiles import PROFILES

    problems = device_problems(devices)
    if problems:
        return problems
    assert isinstance(devices, dict)  # device_problems refuses anything else
    problems = port_problems({k: v for k, v in devices.items() if k.endswith("_port")})
    if "printer_profile" in devices and devices["printer_profile"] not in PROFILES:
        problems.append(f"打印机型号应为 {'、'.join(PROFILES)} 之一")
    return problems


def open_port(url: str, baud: int, *, write_timeout: float = 2.0) -> serial.SerialBase:
    """Open a pyserial URL with the short read timeout the drivers' loops expect.

    ValueError (a malformed URL) is turned into SerialException so callers handle one kind.
    """
    try:
        port = serial.serial_for_url(url, baudrate=baud, timeout=POLL_TIMEOUT, write_timeout=write_timeout)
    except ValueError as exc:
        raise serial.SerialException(f"端口地址无效：{exc}") from exc
    try:
        port.reset_input_buffer()  # bytes that queued while nobody listened are stale
    except PORT_ERRORS as exc:
        port.close()
        raise serial.SerialException(str(exc)) from exc
    return port


_ERRNO_TEXT = {
    errno.ENOENT: "端口不存在",
    errno.EACCES: "没有权限访问端口（请把运行用户加入 dialout 组）",
    errno.EBUSY: "端口被其他程序占用",
    errno.EIO: "端口已断开",
    errno.ECONNREFUSED: "对方拒绝连接",
    errno.ETIMEDOUT: "连接超时",
    errno.EHOSTUNREACH: "主机不可达",
}


def describe_port_error(exc: BaseException) -> str:
    """A short Chinese reason for a failed open/read/write, for one-line messages."""
    code = getattr(exc, "errno", None)
    if code is None and exc.__cause__ is not None:
        code = getattr(exc.__cause__, "errno", None)
    if code is None and exc.args and isinstance(exc.args[0], int):
        code = exc.args[0]
    if code in _ERRNO_TEXT:
        return _ERRNO_TEXT[code]
    text = str(exc)
    for number, reason in _ERRNO_TEXT.items():
        if f"[Errno {number}]" in text:
            return reason
    return text or type(exc).__name__


def read_some(port: serial.SerialBase) -> bytes:
    """Whatever has arrived, waiting at most POLL_TIMEOUT for the first byte.

    Reading `in_waiting` rather than a fixed size matters for `loop://`, whose read(n) waits
    out the whole timeout when fewer than n bytes are there.
    """
    first = port.read(1)
    if not first:
        return b""
    waiting = port.in_waiting
    return first + port.read(waiting) if waiting else first


def close_quietly(port: serial.SerialBase | None) -> None:
    """Close a port that may already be dead."""
    if port is None:
        return
    try:
        port.close()
    except PORT_ERRORS:
        pass


Session = Callable[[serial.SerialBase, threading.Event], None]


class PortWorker:
    """A background thread that owns one port: open, run a session, reopen after a loss.

    The session runs until the stop flag is set or the port fails with a PORT_ERRORS
    exception; then the worker reports DeviceDisconnected and tries to reopen every
    `retry_interval` seconds, reporting DeviceConnected when the port is back.
    """

    def __init__(
        self,
        *,
        device: str,
        url: str,
        opener: Callable[[], serial.SerialBase],
        session: Session,
        emit: EventSink,
        retry_interval: float = 1.0,
    ) -> None:
        self.device = device
        self.url = url
        self._opener = opener
        self._session = session
        self._emit = emit
        self.retry_interval = retry_interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.device}-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        label = device_label(self.device)
        announced_down = False
        while not self._stop.is_set():
            try:
                port = self._opener()
            except PORT_ERRORS as exc:
                if not announced_down:
                    log.info("%s %s not available: %s", self.device, self.url, exc)
                    self._emit(
                        DeviceDisconnected(
                            message=f"{label}未连接（{self.url}），正在重试",
                            device=self.device,
                            url=self.url,
                        )
                    )
                    announced_down = True
                self._stop.wait(self.retry_interval)
                continue
            self.connected = True
            announced_down = False
            self._emit(DeviceConnected(device=self.device, url=self.url))
            try:
                self._session(port, self._stop)
            except PORT_ERRORS as exc:
                log.info("%s %s lost: %s", self.device, self.url, exc)
                self._emit(
                    DeviceDisconnected(
                        message=f"{label}连接已断开，正在重新连接", device=self.device, url=self.url
                    )
                )
                announced_down = True
            except Exception as exc:  # a driver bug must not silently end the device thread
                log.exception("%s %s session failed", self.device, self.url)
                self._emit(
                    DeviceFault(
                        "internal",
                        f"{label}驱动内部错误（{exc}），正在重新连接",
                        device=self.device,
                        url=self.url,
                    )
                )
            finally:
                self.connected = False
                close_quietly(port)
            if not self._stop.is_set():
                self._stop.wait(self.retry_interval)


def sleep_until(deadline: float) -> None:
    """Sleep until a time.monotonic() deadline (no-op if it has passed)."""
    delay = deadline - time.monotonic()
    if delay > 0:
        time.sleep(delay)


class PolledDevice:
    """A device driven by one PortWorker: the lifecycle every serial device shares.

    Subclasses set `device`, call `_attach_worker(url, baud, retry_interval)` in their
    constructor and implement `_run_session(port, stop)`.
    """

    device = ""
    _worker: PortWorker
    _emit: EventSink

    def _attach_worker(self, url: str, baud: int, retry_interval: float) -> None:
        self._worker = PortWorker(
            device=self.device,
            url=url,
            opener=lambda: open_port(url, baud),
            session=self._run_session,
            emit=self._emit,
            retry_interval=retry_interval,
        )

    def _run_session(self, port: serial.SerialBase, stop: threading.Event) -> None:
        raise NotImplementedError

    def start(self) -> None:
        """Run in a background thread (reports DeviceConnected / DeviceDisconnected)."""
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()

    def __enter__(self):  # noqa: ANN204 - returns the subclass
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._worker.running

    @property
    def connected(self) -> bool:
        return self._worker.connected
