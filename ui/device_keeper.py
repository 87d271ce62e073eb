"""A running terminal's devices, opened again when what they should be changes.

The manager sets device ports on the console (the hall's 设置, or one PC's own list under
终端登记). A full-screen kiosk restarted for that needs someone to walk to it, unlock it with
the PIN and start it again; instead the terminal hears the change (SettingsChanged naming a
device setting, TerminalChanged naming this PC, or the server back after an absence in which a
change may have been missed), reads what its devices should now be off the GUI thread, and,
if they differ from what is open, closes the old ports and opens the new ones. A PC whose
`terminal.toml` names its devices keeps them: that file is the PC's own word.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject, Signal

from kiosk.events import SERVER_BACK
from kiosk.models import HallEvent
from kiosk.settings import DEVICE_KEYS, HallSettings
from ui.context import TerminalContext
from ui.terminal import ROLE_DEVICES, TerminalDevices, connect_devices, device_settings, own_devices
from ui.worker import run_async

log = logging.getLogger(__name__)


class DeviceKeeper(QObject):
    """Holds `devices` (ui.terminal.TerminalDevices) for the PC's role; `stop()` closes them.
    `reopened_now` is emitted once new devices are open (the kiosk asks its printer at once)."""

    reopened_now = Signal()

    def __init__(self, ctx: TerminalContext, *, role: str, file_devices: dict | None = None,
                 simulate: bool = False, card_cycle: float | None = None, say=None) -> None:  # noqa: ANN001
        super().__init__()
        self.ctx = ctx
        self.wanted = ROLE_DEVICES.get(role, ())
        self.file_devices = file_devices
        self.simulate = simulate
        self.card_cycle = card_cycle
        self.say = say or (lambda line: print(line, file=sys.stderr))
        self.reopened = 0  # how many times the devices were opened again while running
        self._reading = False
        self._again = False
        own, source = own_devices(file_devices, ctx.hall)
        self.devices: TerminalDevices = self._open(own, source)
        self._shown = self._what(self.devices.settings, own)  # from the read the opening made
        if self.wanted and file_devices is None:
            ctx.hall_events.event.connect(self._on_event)

    # --- what the devices should be ---------------------------------------------------------

    def _open(self, own: dict | None, source: str) -> TerminalDevices:
        devices = connect_devices(self.ctx, simulate_missing=self.simulate, card_cycle=self.card_cycle, own=own,
                                  own_from=source, wanted=self.wanted)
        self.say(devices.describe())
        return devices

    def _what(self, s: HallSettings, own: dict | None) -> tuple:
        """Everything of the device settings `s` that the PC's open devices depend on (a window
        PC's reader is not reopened because the kiosks' printer port changed)."""
        return own is not None, tuple(getattr(s, k) for k in DEVICE_KEYS if k.split("_")[0] in self.wanted)

    def _on_event(self, event: object) -> None:
        if not isinstance(event, HallEvent):
            return
        me = (getattr(self.ctx.hall, "me", None) or {}).get("terminal")
        if (event.kind == "SettingsChanged" and set(event.data.get("keys") or ()) & set(DEVICE_KEYS)) \
                or (event.kind == "TerminalChanged" and me and event.data.get("terminal") == me) \
                or event.kind == SERVER_BACK:
            self.check()

    def check(self) -> None:
        """Read what the devices should be now (off the GUI thread) and reopen them if changed."""
        if self._reading:
            self._again = True
            return
        self._reading = True
        hall = self.ctx.hall

        def read() -> tuple[dict | None, str, tuple]:
            if getattr(hall, "remote", False):  # the PC's registration as the server has it now
                hall.ping()  # type: ignore[attr-defined]  # (kept as hall.me)
            own, source = own_devices(None, hall)
            return own, source, self._what(device_settings(hall.settings(), own), own)

        run_async(read, self._read_done, self._read_failed)

    def _read_done(self, result: tuple[dict | None, str, tuple]) -> None:
        own, source, what = result
        if what == self._shown:
            self._read_over()
            return
        old = self.devices
        self._shown = what

        def reopen() -> TerminalDevices:
            old.stop()
            return self._open(own, source)

        def reopened(devices: TerminalDevices) -> None:
            self.devices = devices
            self.reopened += 1
            self.reopened_now.emit()
            self._read_over()

        def failed(exc: Exception) -> None:
            log.warning("设备未能按新设置重新连接：%s", exc)
            self._read_over()

        run_async(reopen, reopened, failed)

    def _read_failed(self, exc: Exception) -> None:
        log.info("未能读取本机的设备设置，下次变动时再试：%s", exc)
        self._read_over()

    def _read_over(self) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.check()

    def stop(self) -> None:
        self.devices.stop()
