"""Events the device threads hand to the hall: plain frozen dataclasses, safe to queue.

Device threads never touch widgets. They call one callback with these events; the UI wraps
that callback in a Qt bridge, tests collect them in a list. Every event names its device
(one of the DEVICE_* constants) and the port URL, so one callback can serve all devices.
`device` and `url` are keyword-only so the payload fields read naturally:
`CodeScanned("YY20261125381604", "appointment", device=SCANNER, url=url)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devices.idcard.card import IdCard

log = logging.getLogger(__name__)

IDCARD = "idcard"
PRINTER = "printer"
SCANNER = "scanner"

DEVICE_LABELS = {IDCARD: "身份证读卡器", PRINTER: "票据打印机", SCANNER: "扫码器"}


def device_label(device: str) -> str:
    """The Chinese name shown to staff; unknown devices show their key."""
    return DEVICE_LABELS.get(device, device)


@dataclass(frozen=True)
class DeviceEvent:
    """Base of every device event."""

    _: KW_ONLY
    device: str
    url: str


@dataclass(frozen=True)
class DeviceConnected(DeviceEvent):
    """The port opened (at start, or again after it vanished)."""


@dataclass(frozen=True)
class DeviceDisconnected(DeviceEvent):
    """The port could not be opened or went away; the driver keeps retrying every second."""

    message: str


@dataclass(frozen=True)
class DeviceFault(DeviceEvent):
    """The device is connected but not working: it is silent, garbles, or reports an error.

    Reported once per distinct fault (kind, code) and followed by DeviceRecovered when a
    later exchange succeeds, so a screen can show and clear one banner.
    """

    kind: str  # "no_response", "garbled", "checksum", "status", "format", "internal"
    message: str
    code: int | None = None  # the reader's SW3 byte for kind == "status"


@dataclass(frozen=True)
class DeviceRecovered(DeviceEvent):
    """The fault reported before has cleared."""


@dataclass(frozen=True)
class DeviceWarning(DeviceEvent):
    """Something odd that the driver worked around (e.g. line noise before a frame)."""

    kind: str
    message: str


@dataclass(frozen=True)
class CardRead(DeviceEvent):
    """A valid card was read. Reported once per card until it is lifted."""

    card: IdCard


@dataclass(frozen=True)
class CardRejected(DeviceEvent):
    """A card was read but must not be used (expired, not yet valid, bad check digit)."""

    card: IdCard
    kind: str  # "unreadable", "expired", "not_yet_valid", "bad_id_number"
    message: str


@dataclass(frozen=True)
class CodeScanned(DeviceEvent):
    """One line from the scanner; kind is "appointment", "application" or "unknown"."""

    code: str
    kind: str


EventSink = Callable[[DeviceEvent], None]


def safe_emitter(callback: EventSink | None) -> EventSink:
    """Wrap a callback so a bug in a listener cannot kill a device thread."""

    def emit(event: DeviceEvent) -> None:
        if callback is None:
            return
        try:
            callback(event)
        except Exception:  # a listener bug must not stop the device
            log.exception("device event listener failed on %r", event)

    return emit
