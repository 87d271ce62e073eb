"""Hall writes from the kiosk run off the GUI thread; the touch screen never freezes on them.

A hall file locked by another program (a backup, a report, a second terminal's long change)
makes a write wait up to the store's busy timeout. Run on the GUI thread that wait froze the
touch screen for up to 10 s. `off_gui_thread` runs the call in Qt's thread pool and keeps the
event loop turning meanwhile, showing 请稍候 once it takes noticeably long, and hands back the
call's result (or raises its error) to the caller as if it had been made directly; a second
tap while it waits is refused, not queued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ui.worker import run_async

T = TypeVar("T")
SHOW_AFTER_MS = 250  # quicker than this, a "please wait" would only flicker


class Busy(RuntimeError):
    """Another hall write of this screen is still under way."""


def off_gui_thread(owner: QWidget, fn: Callable[[], T], text: str = "请稍候…") -> T:
    if getattr(owner, "_hall_write_busy", False):
        raise Busy(text)
    owner._hall_write_busy = True  # type: ignore[attr-defined]
    outcome: dict[str, Any] = {}
    # the loop and the timer belong to this call alone, not to the owner: parented to the
    # window they would outlive it, two more objects for every ticket the kiosk ever issued
    loop = QEventLoop()
    overlay = _overlay(owner, text)
    shown = QTimer(singleShot=True)
    shown.timeout.connect(lambda: (overlay.resize(owner.size()), overlay.show(), overlay.raise_()))
    shown.start(SHOW_AFTER_MS)

    def done(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: Exception) -> None:
        outcome["error"] = exc
        loop.quit()

    try:
        run_async(fn, done, failed)
        if not outcome:
            loop.exec()  # touches, timers and device events go on while the hall file is busy
    finally:
        shown.stop()
        overlay.hide()
        owner._hall_write_busy = False  # type: ignore[attr-defined]
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]


def _overlay(owner: QWidget, text: str) -> QLabel:
    """The owner's 请稍候 cover, made once and kept: making it (and parsing its style sheet) for
    every ticket cost the touch on 取号 a few milliseconds, and deleting it as many again."""
    label = owner.findChild(QLabel, "hall-busy", Qt.FindChildOption.FindDirectChildrenOnly)
    if label is None:
        label = QLabel(text, owner, objectName="hall-busy")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("QLabel#hall-busy { background: rgba(255, 255, 255, 215); color: #1f2937;"
                            " font-size: 36pt; font-weight: bold; }")
    elif label.text() != text:
        label.setText(text)
    label.hide()
    return label
