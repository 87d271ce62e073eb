"""Two background watchers: nobody-is-touching (idle reset) and is-the-printer-ready.

Idle: an application-wide event filter sees every touch, click and key, so any input on any
widget (keypads, dialogs) keeps the citizen's session alive; silence for the hall's
idle_seconds (doubled in elder mode: generous time, 适老化) resets the kiosk, after a
countdown the citizen can stop. Devices are not people: a card on the reader or a scanned
code reaches the window as a device event, never through this filter.
Printer: its status is a blocking serial exchange, so it is asked through run_async and the
GUI thread only ever sees the answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QApplication, QWidget

from ui.worker import run_async

INPUT_EVENTS = frozenset({  # a person at the screen (a finger resting or moving is not counted)
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
    QEvent.Type.KeyPress, QEvent.Type.Wheel,
})
LIFT_EVENTS = frozenset({QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.KeyPress,
                         QEvent.Type.Wheel})
WARN_SECONDS = 15  # the countdown before the reset: time to read it and touch 继续使用
PRINTER_POLL_MS = 4000
# posted to the watcher when it looks away; below the low priority of Qt's own layout and
# paint requests, so it arrives once the touch's screen has been laid out and painted
LOOK_AGAIN = QEvent.Type(QEvent.registerEventType())
LOOK_AGAIN_PRIORITY = Qt.EventPriority.LowEventPriority.value - 1
# Qt delivers in one turn only what was posted before it began: a touch's layout and paint take
# three turns (the screen; the layouts of the parents it resized; a scroll bar shown after them)
LOOK_AWAY_TURNS = 3


class IdleWatcher(QObject):
    """Counts the time nobody touches the screen, warns before the end, then says `idle`.

    After `interval_ms - warn_ms` of silence it emits `warning(seconds_left)` and counts down,
    emitting `countdown(seconds_left)` each second; a touch during the countdown emits
    `resumed` and starts the count again from the full interval; silence to the end emits
    `idle` once. The warning is the last WARN_SECONDS of the interval (half of it, when the
    interval is shorter than twice that), so the total time before a reset stays the hall's
    idle time (doubled in elder mode by the window).

    During the countdown a press alone does not resume: the touch is taken when the finger
    lifts, after the button under it has had its click, so 返回首页 on the warning still works.
    With a `scope` widget only input to it (or to a widget or dialog inside it) counts: on the
    demo desk the clerk's workbench shares the application, and a click there is nobody at
    the kiosk.

    The watcher is an application-wide event filter, so every event of every widget crosses
    into Python to be looked at, and a touch that changes the screen causes hundreds (a show,
    a move, a paint for each widget): about a tenth of the GUI thread's work on that touch. So
    once it has seen a touch (or `look_away()` is called: the kiosk's own redraw) it stops
    looking for the few turns of the event loop that lay out and paint what the touch changed,
    and the count starts from that moment. A second touch within those milliseconds goes
    unseen, which moves the reset by as much, of a minute or more. During the countdown it
    never looks away: a touch there must resume the visit.
    """

    warning = Signal(int)
    countdown = Signal(int)
    resumed = Signal()
    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None, *, warn_ms: int | None = None,
                 scope: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scope = scope
        self._away = 0  # while looking away: the turns of the event loop left before looking again
        self._stopped = False
        self.interval_ms = interval_ms
        self.warn_ms = 0
        self.quiet = QTimer(self)  # the silence before the warning
        self.quiet.setSingleShot(True)
        # precise: a coarse timer may move its deadline by 5% (6 s of a 2-minute idle time), so
        # the countdown would start at a different moment each visit and a poke could look lost
        self.quiet.setTimerType(Qt.TimerType.PreciseTimer)
        self.quiet.timeout.connect(self._warn)
        self.deadline = QTimer(self)  # the countdown's end
        self.deadline.setSingleShot(True)
        self.deadline.timeout.connect(self.expire)
        self.ticker = QTimer(self)  # the number on the warning, once a second
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_interval_ms(interval_ms, warn_ms)

    @property
    def counting(self) -> bool:
        """Whether the warning's countdown is running."""
        return self.deadline.isActive()

    def set_interval_ms(self, ms: int, warn_ms: int | None = None) -> None:
        """The whole idle time (warning included), and the warning's length if not the default."""
        self.interval_ms = max(1, ms)
        self.warn_ms = min(WARN_SECONDS * 1000, self.interval_ms // 2) if warn_ms is None else \
            max(0, min(warn_ms, self.interval_ms))
        self.poke()

    def poke(self) -> None:
        """Someone is here: start counting again from the whole idle time."""
        was_counting = self.counting
        self.deadline.stop()
        self.ticker.stop()
        self.quiet.start(self.interval_ms - self.warn_ms)
        if was_counting:
            self.resumed.emit()

    def seconds_left(self) -> int:
        """Whole seconds to the reset while counting down (rounded up); 0 otherwise."""
        if not self.counting:
            return 0
        return max(1, math.ceil(self.deadline.remainingTime() / 1000))

    def expire(self) -> None:
        """The time is up (or staff made it so): stop counting and emit `idle`."""
        self.quiet.stop()
        self.deadline.stop()
        self.ticker.stop()
        self.idle.emit()

    def stop(self) -> None:
        self._stopped = True
        self.quiet.stop()
        self.deadline.stop()
        self.ticker.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def look_away(self) -> None:
        """Someone is here (the count starts again, as on a touch), and what the event loop
        delivers in its next LOOK_AWAY_TURNS turns is the kiosk's own doing (the layout and
        paint of what the touch changed): not looked at. Does nothing during the countdown."""
        if self.counting:
            return
        self.quiet.start(self.interval_ms - self.warn_ms)
        app = QApplication.instance()
        if app is None or self._away or self._stopped:
            return
        self._away = LOOK_AWAY_TURNS
        app.removeEventFilter(self)
        QCoreApplication.postEvent(self, QEvent(LOOK_AGAIN), LOOK_AGAIN_PRIORITY)

    def _look_again(self) -> None:
        if self._away:
            self._away = 0
            app = QApplication.instance()
            if app is not None and not self._stopped:
                app.installEventFilter(self)

    def event(self, e: QEvent) -> bool:
        if e.type() == LOOK_AGAIN:
            if self._away > 1:  # what this turn posted (a parent's layout, a scroll bar) comes next turn
                self._away -= 1
                QCoreApplication.postEvent(self, QEvent(LOOK_AGAIN), LOOK_AGAIN_PRIORITY)
            else:
                self._look_again()
            return True
        return super().event(e)

    def _warn(self) -> None:
        self._look_again()  # the countdown must see every touch
        if self.warn_ms <= 0:
            self.expire()
            return
        self.deadline.start(self.warn_ms)
        self.ticker.start()
        self.warning.emit(self.seconds_left())

    def _tick(self) -> None:
        if self.counting:
            self.countdown.emit(self.seconds_left())

    def _resume_if_counting(self) -> None:
        if self.counting:
            self.poke()

    def _in_scope(self, watched: QObject) -> bool:
        if self.scope is None:
            return True
        w = watched if isinstance(watched, QWidget) else None
        while w is not None:
            if w is self.scope:
                return True
            w = w.parentWidget()
        return False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not isinstance(event, QInputEvent):  # most events are not: this check is the cheap one
            return False
        kind = event.type()
        if kind not in INPUT_EVENTS or not self._in_scope(watched):
            return False
        if not self.counting:
            self.look_away()  # the count starts again; what the touch leads to is not looked at
        elif kind in LIFT_EVENTS:  # after the click under the finger (继续使用, 返回首页) has run
            QTimer.singleShot(0, self, self._resume_if_counting)
        return False


class PrinterWatcher(QObject):
    """Asks `status()` every few seconds off the GUI thread; emits `changed(ready, message)`."""

    changed = Signal(bool, str)

    def __init__(self, status: Callable[[], tuple[bool, str]], interval_ms: int = PRINTER_POLL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status = status
        self._busy = False
        self.ready: bool | None = None
        self.message = ""
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        """One status request, unless the last one is still on the wire."""
        if self._busy:
            return
        self._busy = True
        run_async(self._status, self._done, self._failed)

    def _done(self, result: tuple[bool, str]) -> None:
        self._busy = False
        ready, message = result
        self._set(bool(ready), str(message))

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self._set(False, str(exc) or "打印机无响应")

    def _set(self, ready: bool, message: str) -> None:
        if ready != self.ready or message != self.message:
            self.ready, self.message = ready, message
            self.changed.emit(ready, message)
