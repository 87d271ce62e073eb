"""The hall live: every terminal online or not and its devices, every window with its clerk and
current number, who waits in each category, the open helper calls, and the alarms that stay
until someone deals with them. It follows the hall's events and looks again every few seconds."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.hall_terminals import ROLE_NAMES
from kiosk.models import DEVICE_NAMES, DEVICE_STATES, HallBoard, HallEvent
from ui import theme
from ui.admin.common import AdminTab, muted_label, record_table
from ui.hall_alerts import AlertStrip, read_board
from ui.worker import run_async

REFRESH_MS = 5_000


class BoardTab(AdminTab):
    title = "大厅看板"

    def __init__(self, hall: Hall, login: str, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.board: HallBoard | None = None
        self._busy = False
        self._category_names: dict[str, str] = {}  # prefix -> name, read with each board
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        self.alerts = AlertStrip(hall, lambda: login, max_rows=8, reload=self.reload)
        self.alerts.message.connect(self.message.show_ok)
        root.addWidget(self.alerts)
        grid = QGridLayout()
        root.addLayout(grid, 1)

        terminals = QGroupBox("终端与设备")
        lay = QVBoxLayout(terminals)
        self.terminals = record_table(("终端", "类型", "位置", "在线", "身份证阅读器", "打印机", "扫码器"))
        header = self.terminals.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.terminals)
        self.empty_terminals = muted_label("还没有登记终端：在“终端登记”页登记各台电脑。")
        lay.addWidget(self.empty_terminals)
        grid.addWidget(terminals, 0, 0, 2, 1)

        windows = QGroupBox("窗口")
        lay = QVBoxLayout(windows)
        self.windows = record_table(("窗口", "工作人员", "当前号", "状态"))
        self.windows.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.windows)
        grid.addWidget(windows, 0, 1)

        waiting = QGroupBox("等候人数")
        lay = QVBoxLayout(waiting)
        self.waiting = QLabel("—")
        self.waiting.setWordWrap(True)
        self.waiting.setStyleSheet("font-size: 16pt;")
        lay.addWidget(self.waiting)
        grid.addWidget(waiting, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.updated = muted_label("")
        root.addWidget(self.updated)

        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self.timer.start()

    def on_event(self, event: object) -> None:
        if not isinstance(event, HallEvent):
            return
        if event.kind.startswith(("Helper", "Device", "Terminal", "Server", "Resync")):
            self.alerts.on_event(event)  # rings if need be, and asks this tab for one read
        elif event.kind.startswith(("Ticket", "Window", "Clerk")):
            self.reload()

    def reload(self) -> None:
        if self._busy:
            return
        self._busy = True
        run_async(self._read, self._came, self._failed)

    def reload_now(self) -> None:
        self._came(self._read())

    def _read(self) -> tuple[HallBoard, dict[str, str]]:
        """The board and the categories' names, read together off the GUI thread: the server
        may be away, and the names read on the GUI thread would then hold it."""
        return read_board(self.hall), {c.prefix: c.name for c in self.hall.categories()}

    def _came(self, read: tuple[HallBoard, dict[str, str]]) -> None:
        board, self._category_names = read
        self.show_board(board)

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self.show_refusal(exc, "看板未能刷新：", by_manager=False)

    def show_board(self, board: HallBoard) -> None:
        self._busy = False
        self.board = board
        self.alerts.show_board(board)
        t = self.terminals
        t.setRowCount(len(board.terminals))
        for row, term in enumerate(board.terminals):
            devices = {d.device: d for d in term.devices}
            seen = "在线" if term.online else (f"离线（{term.last_seen:%H:%M}）" if term.last_seen else "从未连接")
            cells = [term.name, ROLE_NAMES.get(term.role, term.role) + (f" {term.window}号" if term.window else ""),
                     term.place or "—", seen]
            cells += [DEVICE_STATES.get(devices[k].state, devices[k].state) if k in devices else "—"
                      for k in DEVICE_NAMES]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                bad = (col == 3 and not term.online) or (col >= 4 and text not in ("—", "正常", "纸将用完"))
                if bad:
                    item.setForeground(QColor(theme.ACCENT))
                t.setItem(row, col, item)
        self.empty_terminals.setVisible(not board.terminals)
        w = self.windows
        w.setRowCount(len(board.windows))
        for row, win in enumerate(board.windows):
            state = "暂停" if win.paused else ("服务中" if win.clerk else "未签到")
            for col, text in enumerate((f"{win.number} {win.name}", win.clerk_name or "—", win.current or "—", state)):
                w.setItem(row, col, QTableWidgetItem(text))
        names = self._category_names
        self.waiting.setText("　".join(f"{names.get(k, k)} {n}人" for k, n in sorted(board.waiting.items()))
                             or "现在没有人等候")
        self.updated.setText(f"更新于 {board.at:%H:%M:%S}")
