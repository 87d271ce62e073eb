"""查阅记录: who looked at or changed a citizen's data, from which PC, and which record.

The hall server writes these as it answers (kiosk.hall_access); a hall run on one PC without a
server has no one to tell apart, and the tab says so instead of showing an empty list as if
nobody had looked.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.models import AccessRecord
from ui.admin.common import AdminTab, action_button, muted_label, record_table

HEADERS = ("时间", "终端", "工作人员", "操作", "涉及的记录")
SHOWN = 500  # the newest this many; a narrower filter finds older ones


class AccessTab(AdminTab):
    title = "查阅记录"

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.records: list[AccessRecord] = []
        self.names: dict[str, str] = {}  # login -> name, to say who in words
        self.remote = bool(getattr(hall, "remote", False))
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        root.addWidget(muted_label(
            "谁在哪台电脑上查看或修改了群众的个人信息（办件、告知书、差评回访电话、预约名单等），由大厅服务器逐次记录。"
            if self.remote else
            "本大厅在一台电脑上单机运行，没有大厅服务器来分辨各终端和登录人员，因此不记录查阅。"
            "联网运行（main.py serve）后，每次查看或修改群众个人信息都会记录在这里。"))
        row = QHBoxLayout()
        today = QDate(hall.today())
        self.date_from, self.date_to = QDateEdit(today.addDays(-6)), QDateEdit(today)
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.subject = QLineEdit()
        self.subject.setPlaceholderText("办件编号、号票等（可只填一部分）")
        self.staff = QLineEdit()
        self.staff.setPlaceholderText("工作人员登录名")
        self.search = action_button("查询", self.reload, "ok")
        self.subject.returnPressed.connect(self.reload)
        self.staff.returnPressed.connect(self.reload)
        for w in (QLabel("从"), self.date_from, QLabel("至"), self.date_to, QLabel("记录"), self.subject,
                  QLabel("人员"), self.staff, self.search):
            row.addWidget(w)
        root.addLayout(row)
        self.table = record_table(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        root.addWidget(self.table, 1)
        self.count = muted_label("")
        root.addWidget(self.count)
        if self.remote:
            self.reload()
        else:  # nothing to search: no filters, no empty table that would read as "nobody looked"
            for w in (*(row.itemAt(i).widget() for i in range(row.count())), self.table, self.count):
                w.hide()
            root.addStretch(1)

    def reload(self) -> None:
        if not self.remote:
            return
        start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
        if start > end:
            self.message.show_error("开始日期晚于结束日期，请重新选择")
            return

        def run() -> None:
            self.records = self.hall.access_records(start, end, self.subject.text(), self.staff.text(), SHOWN)
            self.names = {s.login: s.name for s in self.hall.staff()}

        if self.attempt(run):
            self.show_records(start, end)

    def show_records(self, start: dt.date, end: dt.date) -> None:
        self.table.setRowCount(len(self.records))
        for r, rec in enumerate(self.records):
            who = f"{self.names[rec.staff]}（{rec.staff}）" if rec.staff in self.names else rec.staff or "—"
            for c, text in enumerate((f"{rec.at:%Y-%m-%d %H:%M:%S}", rec.terminal, who, rec.action, rec.subject)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        more = "（只列出最新的500条，请缩小范围）" if len(self.records) >= SHOWN else ""
        self.count.setText(f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d} 共 {len(self.records)} 条{more}")
