"""Hall calls a person waits for run off the GUI thread; no screen freezes on them.

A hall file locked by another program (a backup, a report, a second terminal's long change)
makes a write wait up to the store's busy timeout, and a hall server that stalls makes a call
wait for its answer. Run on the GUI thread that wait froze the kiosk's touch screen (up to
10 s) or the clerk's desk. `off_gui_thread` runs the call in Qt's thread pool and keeps the
event loop turning meanwhile, showing 请稍候 once it takes noticeably long, and hands back the
call's result (or raises its error) to the caller as if it had been made directly; a second
tap while it waits is refused, not queued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from kiosk.errors import HallError
from ui.worker import run_async

T = TypeVar("T")
SHOW_AFTER_MS = 250  # quicker than this, a "please wait" would only flicker


class Busy(HallError):
    """Another hall call of this screen is still under way (a second tap or key while it waits)."""


class Interrupted(HallError):
    """The wait was ended from outside (the program quitting ends every event loop): the call's
    answer will not be shown here."""


def off_gui_thread(owner: QWidget, fn: Callable[[], T], text: str = "请稍候…", *, point_size: int = 36) -> T:
    """`fn()` on a worker thread, its result or error handed back here; the event loop turns
    meanwhile and `text` covers `owner` once it takes longer than SHOW_AFTER_MS. A second call
    for the same owner while one waits raises Busy."""
    if getattr(owner, "_hall_call_waiting", False):
        raise Busy("上一项操作还在进行，请稍候")
    owner._hall_call_waiting = True  # type: ignore[attr-defined]
    outcome: dict[str, Any] = {}
    # the loop and the timer belong to this call alone, not to the owner: parented to the
    # window they would outlive it, two more objects for every ticket the kiosk ever issued
    loop = QEventLoop()
    overlay = _overlay(owner, text, point_size)
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
        # the window may have been closed and deleted while the loop turned (a program quitting)
        if isValid(overlay):
            overlay.hide()
        if isValid(owner):
            owner._hall_call_waiting = False  # type: ignore[attr-defined]
            for later in owner.__dict__.pop("_after_wait", ()):
                QTimer.singleShot(0, owner, later)
    if "error" in outcome:
        raise outcome["error"]
    if "result" not in outcome:
        raise Interrupted("程序正在关闭，本次操作的结果未能显示")
    return outcome["result"]  # type: ignore[no-any-return]


def after_wait(widget: QWidget, fn: Callable[[], object]) -> bool:
    """If a hall call of this widget's window is under way (`off_gui_thread`, `at_desk`), run
    `fn` once it is done (once, however often asked) and say True; else False: call it now."""
    owner = QWidget.window(widget)
    if not getattr(owner, "_hall_call_waiting", False):
        return False
    later = owner.__dict__.setdefault("_after_wait", [])
    if fn not in later:
        later.append(fn)
    return True


def at_desk(widget: QWidget, fn: Callable[[], T]) -> T:
    """A clerk's hall call from any panel of the desk: off the GUI thread, the desk's own window
    covered with a desk-sized 请稍候 while it waits, one call at a time per desk."""
    # QWidget.window by its class: a panel may keep its own `window` (the desk's window number)
    return off_gui_thread(QWidget.window(widget), fn, "请稍候…", point_size=20)


def _overlay(owner: QWidget, text: str, point_size: int) -> QLabel:
    """The owner's 请稍候 cover, made once and kept: making it (and parsing its style sheet) for
    every ticket cost the touch on 取号 a few milliseconds, and deleting it as many again."""
    label = owner.findChild(QLabel, "hall-busy", Qt.FindChildOption.FindDirectChildrenOnly)
    if label is None:
        label = QLabel(text, owner, objectName="hall-busy")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("QLabel#hall-busy { background: rgba(255, 255, 255, 215); color: #1f2937;"
                            f" font-size: {point_size}pt; font-weight: bold; }}")
    elif label.text() != text:
        label.setText(text)
    label.hide()
    return label
