"""Telling the hall how a terminal's devices are, whenever their state changes, so the manager's
board shows a kiosk out of paper and the report can count each device's downtime."""

from __future__ import annotations

import logging

from kiosk.errors import HallError
from kiosk.models import DeviceState

log = logging.getLogger(__name__)


def printer_state(ready: bool, message: str) -> str:
    """The board's state for the printer's (ready, message) as the printer driver words it."""
    if ready:
        return "paper_low" if "即将用完" in message else "ok"
    for words, state in (("缺纸", "paper_out"), ("盖", "cover_open"), ("切刀", "cutter_error"),
                         ("未连接", "offline"), ("无响应", "offline")):
        if words in message:
            return state
    return "error"


class DeviceReporter:
    """Keeps the last state of each device and sends the set whenever one changes (off the GUI
    thread); a send that fails is tried again with the next change or `flush()`."""

    def __init__(self, hall: object, run_async) -> None:  # noqa: ANN001 - ui.worker.run_async
        self.hall = hall
        self.run_async = run_async
        self.states: dict[str, DeviceState] = {}
        self._sent: tuple[DeviceState, ...] = ()

    def set(self, device: str, state: str, message: str = "") -> None:
        new = DeviceState(device, state, message[:200])
        if self.states.get(device) == new:
            return
        self.states[device] = new
        self.flush()

    def flush(self) -> None:
        states = tuple(self.states[k] for k in sorted(self.states))
        if not states or states == self._sent:
            return

        def send() -> None:
            self.hall.report_devices(states)  # type: ignore[attr-defined]

        def sent(_: object) -> None:
            self._sent = states

        def failed(exc: Exception) -> None:
            if isinstance(exc, HallError):
                log.info("设备状态未能报告给大厅，稍后再试：%s", exc)
            else:
                log.warning("设备状态报告出错：%r", exc)

        self.run_async(send, sent, failed)
