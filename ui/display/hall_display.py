"""The hall's TV (1920x1080): who is called to which window, spoken aloud, and who is waiting.

Calls are shown the moment their event arrives (the event carries number and window), so
the screen never waits on the database; the lists around it are re-read in the worker pool,
coalesced so that a burst of tickets costs one read. Reads are numbered: one that lands after
a newer one is dropped (a slow answer must not turn the board back in time), and a call shown
from its event stays until a read started after it has it. A ticket skipped, abandoned or sent
elsewhere leaves the call panel: "请 A001 号 到 1 号窗口" must not stay up for a citizen who is
no longer expected there. Only a live call is spoken and flashed:
the calls a networked display missed while its link was down reach it late, replayed, and
only refresh what it shows (a call made minutes ago, spoken now, sends a citizen to a window
that has long moved on).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.events import RESYNC, SERVER_BACK, SERVER_LOST, refusal, replayed
from kiosk.models import Call, Category, HallEvent, QueueStatus
from ui import theme
from ui.context import TerminalContext
from ui.display.marquee import Marquee
from ui.display.panels import CurrentCalls, FitLabel, WaitingBar, WindowsBoard, current_calls
from ui.voice import Announcer, announcement_text
from ui.worker import run_async

log = logging.getLogger(__name__)

DEFAULT_NOTICE = ("请携带好随身物品，按号到窗口办理；过号请到窗口说明。"
                  "“最多跑一次”：材料不全可当场一次性告知，符合条件的可容缺受理。"
                  "绿色通道服务老年人、残疾人和军人。")
NOTICE_SETTING = "display_notice"  # an extra hall setting, if the hall has one
CALL_EVENTS = ("TicketCalled", "TicketRecalled")
# the ticket is no longer expected at the window it was called to (a finished call may stay)
WITHDRAWN_EVENTS = ("TicketSkipped", "TicketAbandoned", "TicketTransferred")
REFRESH_DELAY_MS = 150
OFFLINE_TEXT = "● 连接中断，正在重连"  # quiet: a hall display must not alarm the hall
FLASH_TOGGLES = 8  # on/off four times
FLASH_MS = 400
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class _Snapshot:
    calls: list[Call]
    status: QueueStatus
    categories: list[Category]
    hall_name: str
    notice: str


class HallDisplay(QWidget):
    """`HallDisplay(ctx)`; `last_announcement` is the text of the newest call, for tests and logs."""

    def __init__(self, ctx: TerminalContext, announcer: Announcer | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.announcer = announcer or Announcer(parent=self)
        self.last_announcement = ""
        self.current: Call | None = None
        self._calls: list[Call] = []  # the last applied read's calls, newest first
        # calls shown from their events, newest first, each with how many reads had started
        # then: a read started later has it, an earlier one may not
        self._event_calls: list[tuple[int, Call]] = []
        self._withdrawn: dict[str, dt.datetime] = {}  # ticket number -> when it left its window
        self._reads_started = 0
        self._read_applied = 0
        self._flash_left = 0
        self._build()
        ctx.hall_events.event.connect(self._on_event)
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._flash_timer = QTimer(self, interval=FLASH_MS)
        self._flash_timer.timeout.connect(self._flash_step)
        self._clock_timer = QTimer(self, interval=1000)
        self._clock_timer.timeout.connect(self._tick_clock)
        self._clock_timer.start()
        self._tick_clock()
        self.refresh()

    # --- layout --------------------------------------------------------------------

    def _build(self) -> None:
        self.setObjectName("hallDisplay")
        self.setWindowTitle("叫号大屏")
        self.resize(1920, 1080)
        self.setStyleSheet(f"#hallDisplay {{ background: {theme.DISPLAY_BG}; }}"
                           f" #hallDisplay QLabel {{ color: {theme.DISPLAY_TEXT}; background: transparent; }}")
        root = QVBoxLayout(self)
        root.setContentsMargins(36, 20, 36, 0)
        root.setSpacing(20)

        header = QHBoxLayout()
        self.hall_label = FitLabel(52, 30)  # a long official name gets smaller, never wider than the TV
        self.clock_label = QLabel()
        self.clock_label.setStyleSheet("font-size: 44px;")
        header.addWidget(self.hall_label, 1)
        # a quiet marker while the hall server is away: the board keeps what it last knew
        self.offline_label = QLabel(OFFLINE_TEXT)
        self.offline_label.setObjectName("offline")
        self.offline_label.setStyleSheet("font-size: 28px; color: #f2c94c;")
        self.offline_label.hide()
        header.addWidget(self.offline_label)
        header.addSpacing(24)
        header.addWidget(self.clock_label)
        root.addLayout(header)

        body = QHBoxLayout()
        body.setSpacing(24)
        self.hero = CurrentCalls()
        self.windows_board = WindowsBoard()
        body.addWidget(self.hero, 64)
        body.addWidget(self.windows_board, 36)
        root.addLayout(body, 1)

        self.waiting = WaitingBar()
        self.waiting.setFixedHeight(140)  # room for a long category name on two lines
        root.addWidget(self.waiting)
        self.marquee = Marquee(DEFAULT_NOTICE, pixel_size=40, color=theme.DISPLAY_TEXT)
        root.addWidget(self.marquee)

    # --- events ----------------------------------------------------------------------

    def _on_event(self, event: object) -> None:
        if not isinstance(event, HallEvent):
            return
        if event.kind in (SERVER_LOST, SERVER_BACK):
            # quiet, as the hall is watching; a refused token names who can help (the manager)
            self.offline_label.setText("● 本屏未获授权，请联系管理员" if refusal(event) else OFFLINE_TEXT)
            self.offline_label.setVisible(event.kind == SERVER_LOST)
        if event.kind in (SERVER_BACK, RESYNC):
            self._refresh_timer.start()
        live = not replayed(event)  # a replayed call is shown by the refresh it starts, unspoken
        if event.kind in CALL_EVENTS and event.ticket_number:
            self._withdrawn.pop(event.ticket_number, None)  # called (back) again: expected there now
        if event.kind in WITHDRAWN_EVENTS and event.ticket_number:
            self._withdrawn[event.ticket_number] = event.at
            self._show_recent()
        if live and event.kind in CALL_EVENTS and event.ticket_number and event.window is not None:
            recall = event.kind == "TicketRecalled" or bool(event.data.get("recall"))
            self.show_call(Call(ticket_number=event.ticket_number, window=event.window, recall=recall,
                                at=event.at, category=str(event.data.get("category", ""))))
        if event.kind.startswith(("Ticket", "Service", "Category", "Catalog", "Window", "Settings")):
            self._refresh_timer.start()

    def show_call(self, call: Call) -> None:
        """Put a call up large, flash it, and speak it (chime first) after any call still playing."""
        self.current = call
        self.last_announcement = announcement_text(call)
        self._withdrawn.pop(call.ticket_number, None)
        self._event_calls.insert(0, (self._reads_started, call))  # the one it replaces stays in sight below it
        self._show_recent()
        self._flash_left = FLASH_TOGGLES
        self._flash_timer.start()
        self._flash_step()
        self.announcer.announce(call)

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def _flash_step(self) -> None:
        if self._flash_left <= 0:
            self._flash_timer.stop()
            self.hero.set_flash(False)
            return
        self.hero.set_flash(self._flash_left % 2 == 0)
        self._flash_left -= 1

    def _tick_clock(self) -> None:
        now = getattr(self.ctx.hall, "clock", dt.datetime.now)()  # the hall's clock: tests can fix it
        self.clock_label.setText(f"{now:%Y年%m月%d日} 星期{_WEEKDAYS[now.weekday()]}  {now:%H:%M:%S}")

    # --- reading the hall ------------------------------------------------------------

    def _read(self) -> _Snapshot:
        hall = self.ctx.hall
        settings = hall.settings()
        notice = settings.display_notice or str(settings.extra.get(NOTICE_SETTING) or DEFAULT_NOTICE)
        return _Snapshot(calls=hall.recent_calls(limit=12), status=hall.queue_status(),
                         categories=hall.categories(), hall_name=settings.hall_name, notice=notice)

    def refresh(self) -> None:
        """Re-read recent calls and waiting counts off the GUI thread."""
        self._reads_started += 1
        number = self._reads_started
        run_async(self._read, lambda snap: self.apply_snapshot(snap, number),
                  lambda exc: log.warning("大屏刷新失败：%s", exc))

    def refresh_now(self) -> None:
        """The same, synchronously (tests and screenshots)."""
        self._reads_started += 1
        number = self._reads_started
        self.apply_snapshot(self._read(), number)

    def apply_snapshot(self, snap: _Snapshot, read: int | None = None) -> None:
        """Show what read number `read` found (a snapshot without a number counts as the newest
        read started). A read that lands after a newer one was applied is dropped: two reads
        overlap when the LAN or the server is slow, and the older answer would put the board,
        the counts and the calls back to how they were. One that lands after the display was
        closed (the program ending while the server was slow) shows nothing."""
        if not shiboken6.isValid(self):
            return
        read = self._reads_started if read is None else read
        if read < self._read_applied:
            log.debug("大屏丢弃较旧的读取结果（第%d次，已显示第%d次）", read, self._read_applied)
            return
        self._read_applied = read
        self.hall_label.setText(snap.hall_name)
        if self.marquee.text() != snap.notice:
            self.marquee.setText(snap.notice)
        self.waiting.show_counts(snap.categories, snap.status.waiting)
        self.windows_board.show_windows(snap.status.windows, snap.status.skipped)
        if self.current is None and snap.calls:  # after a restart: show, but do not re-announce
            self.current = snap.calls[0]
        self._calls = list(snap.calls)  # the hall lists no call whose ticket has left its window since
        # calls shown from events before this read started are in it; later ones stay on top
        self._event_calls = [(started, c) for started, c in self._event_calls if started >= read]
        if snap.calls:  # a withdrawal older than every call read can hide none of them
            oldest = min(c.at for c in snap.calls)
            self._withdrawn = {n: at for n, at in self._withdrawn.items() if at >= oldest}
        else:
            self._withdrawn.clear()
        self._show_recent()

    def _shown_calls(self) -> list[Call]:
        """The calls on the panel's side of things, newest first: each ticket's latest call,
        unless the ticket left that window since (skipped, abandoned or transferred)."""
        merged = sorted([c for _, c in self._event_calls] + self._calls, key=lambda c: c.at, reverse=True)
        seen: set[str] = set()
        out = []
        for c in merged:  # stable: at the same instant, the one from its event (it knows a recall) first
            if c.ticket_number in seen:
                continue  # an earlier call of the same ticket: the newer one stands for it
            seen.add(c.ticket_number)
            left = self._withdrawn.get(c.ticket_number)
            if left is None or c.at > left:
                out.append(c)
        return out

    def _show_recent(self) -> None:
        self.hero.show_calls(current_calls(self._shown_calls()))

    def closeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.announcer.stop()
        super().closeEvent(event)
