"""The strip of what needs a person on the floor, on every clerk desk and the manager's console:
open helper calls (with "我去处理" for whoever goes, and who went for everyone else), kiosks out
of paper, devices out of order, terminals gone offline. It stays until someone deals with it,
and a new call rings once. A call the desk hears late (replayed after its link to the hall server
came back) rings only if the board read after it still shows it open and untaken: one taken or
closed meanwhile needs nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.errors import HallError
from kiosk.events import replayed
from kiosk.models import HallBoard, HallEvent, HelperCall
from ui import theme
from ui.chime import Chime
from ui.worker import run_async

log = logging.getLogger(__name__)
WATCHED = ("HelperCalled", "HelperCallTaken", "HelperCallLate", "HelperCallClosed", "DeviceStateChanged",
           "TerminalAdded", "TerminalRevoked", "ServerBack", "Resync")
RING = ("HelperCalled", "HelperCallLate")
MAX_ROWS = 3
REFRESH_MS = 15_000  # offline terminals are noticed without any event


def read_board(hall: object) -> HallBoard:
    """The board, after raising late helper calls where no server does it (a single-PC hall)."""
    if not getattr(hall, "remote", False):
        hall.escalate_helper_calls()  # type: ignore[attr-defined]
    return hall.hall_board()  # type: ignore[attr-defined]


class AlertStrip(QFrame):
    """Hidden while the floor needs nobody. `login()` names who would go ("" when signed out).

    It reads the board itself every few seconds, unless `reload` is given: then whoever owns
    that reads it (the console's board tab, which shows the same read) and calls `show`."""

    message = Signal(str)

    def __init__(self, hall: object, login: Callable[[], str], *, ring: bool = True, max_rows: int = MAX_ROWS,
                 reload: Callable[[], None] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = hall
        self._reload = reload
        self.max_rows = max_rows
        self.login = login
        self.ring_enabled = ring
        self.board: HallBoard | None = None
        self.rang = 0
        self._ring_if_open: set[int] = set()  # replayed calls: rung only if the next board shows them open
        self._busy = False
        self._again = False
        self.chime = Chime(self)
        self.setObjectName("alerts")
        self.setStyleSheet(f"#alerts {{ background: #fff4d6; border: 2px solid {theme.WARN}; border-radius: 6px; }}"
                           " #alerts QLabel { color: #5a3b00; }")
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(10, 6, 10, 6)
        self.rows.setSpacing(4)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        if reload is None:
            self.timer.start()
        self.hide()

    # --- reading ---------------------------------------------------------------------------

    def on_event(self, event: object) -> None:
        if not isinstance(event, HallEvent) or event.kind not in WATCHED:
            return
        if event.kind in RING and self.ring_enabled and self.login():
            if replayed(event):
                self._ring_if_open.add(event.data.get("call"))
            else:
                self._ring()
        self.refresh()

    def _ring(self) -> None:
        self.rang += 1
        self.chime.ring()

    def refresh(self) -> None:
        if self._reload is not None:
            self._reload()
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        run_async(lambda: read_board(self.hall), self._shown, self._failed)

    def refresh_now(self) -> None:
        """Synchronously (tests and screenshots)."""
        self.show_board(self.hall.hall_board())  # type: ignore[attr-defined]

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        log.info("大厅提醒未能刷新：%s", exc)

    def _shown(self, board: HallBoard) -> None:
        self._busy = False
        self.show_board(board)
        if self._again:
            self._again = False
            self.refresh()

    def show_board(self, board: HallBoard) -> None:
        self.board = board
        if self._ring_if_open:
            if any(c.id in self._ring_if_open and not c.taken_at for c in board.helper_calls):
                self._ring()
            self._ring_if_open.clear()
        while self.rows.count():
            item = self.rows.takeAt(0)
            old = item.widget()
            if old is not None:  # gone at once, not only when the event loop gets round to it
                old.hide()
                old.setParent(None)
                old.deleteLater()
        calls = list(board.helper_calls)
        others = [a for a in board.alarms if a.kind != "helper"]
        for call in calls[:self.max_rows]:
            self.rows.addWidget(self._call_row(call))
        for alarm in others[:max(0, self.max_rows - len(calls))]:
            text = QLabel("⚠ " + alarm.text)
            text.setStyleSheet("font-weight: bold;")
            self.rows.addWidget(text)
        hidden = len(calls) + len(others) - self.max_rows
        if hidden > 0:
            self.rows.addWidget(QLabel(f"另有 {hidden} 项提醒，见管理后台的大厅看板"))
        self.setVisible(bool(calls or others))

    def _call_row(self, call: HelperCall) -> QWidget:
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        where = call.terminal + (f"（{call.place}）" if call.place else "")
        what = call.reason_label + (f"：{call.matter_name}" if call.matter_name else "")
        late = "【超时】" if call.late and not call.taken_at else ""
        text = QLabel(f"☎ {late}{where} {call.at:%H:%M} 呼叫帮办 — {what}")
        text.setStyleSheet("font-weight: bold;" + (f" color: {theme.ACCENT};" if late else ""))
        text.setWordWrap(True)
        lay.addWidget(text, 1)
        me = self.login()
        if not call.taken_at:
            go = QPushButton("我去处理")
            go.setObjectName(f"take-{call.id}")
            go.setEnabled(bool(me))
            go.setToolTip("" if me else "登录后可接手")
            go.clicked.connect(lambda _=False, c=call.id: self.take(c))
            lay.addWidget(go)
        else:
            lay.addWidget(QLabel(f"{call.taken_by_name} 已前往"))
            if call.taken_by == me:
                done = QPushButton("处理完毕")
                done.setObjectName(f"close-{call.id}")
                done.clicked.connect(lambda _=False, c=call.id: self.close_call(c))
                lay.addWidget(done)
        return row

    # --- acting ------------------------------------------------------------------------------

    def take(self, call_id: int) -> None:
        me = self.login()
        run_async(lambda: self.hall.take_helper_call(call_id, me),  # type: ignore[attr-defined]
                  lambda call: self._acted(f"已接手：请前往 {call.terminal}{('（' + call.place + '）') if call.place else ''}"),
                  self._refused)

    def close_call(self, call_id: int) -> None:
        me = self.login()
        run_async(lambda: self.hall.close_helper_call(call_id, me),  # type: ignore[attr-defined]
                  lambda _: self._acted("帮办呼叫已处理完毕"), self._refused)

    def _acted(self, text: str) -> None:
        self.message.emit(text)
        self.refresh()

    def _refused(self, exc: Exception) -> None:
        self.message.emit(str(exc) if isinstance(exc, HallError) else "操作未完成，请重试")
        self.refresh()
