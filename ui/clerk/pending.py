"""The 容缺 pending-items tab: what citizens still owe, and recording what they brought.

Overdue items are listed first by the hall (it brings them up to date on every read), and the
state is a word with a symbol so it reads the same in black and white.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import HallError
from kiosk.models import PendingItem, PendingStatus
from ui.busy import at_desk

STATUS = {PendingStatus.OPEN: "○ 待补齐", PendingStatus.SUPPLIED: "✔ 已补齐", PendingStatus.OVERDUE: "✖ 已逾期"}
HOW = (("on_site", "现场补交"), ("post", "邮寄补交"), ("online", "网上补交"))
BY_MAX = 100  # the longest 经办人 the hall stores (it refuses more)
FILTERS = (("", "全部"), ("open", "待补齐"), ("overdue", "已逾期"), ("supplied", "已补齐"))


class PendingPanel(QWidget):
    message = Signal(str, bool)  # text, is_error

    COLUMNS = ("办件编号", "容缺材料", "补齐期限", "状态", "补齐日期", "方式", "经办人")

    def __init__(self, hall: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = hall
        self.clerk_name = ""
        self.ticket_id: int | None = None
        self.items: list[PendingItem] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("状态"))
        self.filter = QComboBox(objectName="pending-filter")
        for value, label in FILTERS:
            self.filter.addItem(label, value)
        self.filter.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.filter)
        bar.addWidget(QLabel("办件编号"))
        self.number = QLineEdit(objectName="pending-number", placeholderText="输入办件编号筛选（可留空）")
        self.number.returnPressed.connect(self.refresh)
        bar.addWidget(self.number, 1)
        refresh = QPushButton("刷新", objectName="pending-refresh")
        refresh.setProperty("role", "secondary")
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        lay.addLayout(bar)

        self.table = QTableWidget(0, len(self.COLUMNS), objectName="pending-table")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        lay.addWidget(self.table, 1)

        supply = QHBoxLayout()
        supply.addWidget(QLabel("补交方式"))
        self.how = QComboBox(objectName="supply-how")
        for value, label in HOW:
            self.how.addItem(label, value)
        supply.addWidget(self.how)
        supply.addWidget(QLabel("经办人"))
        self.by = QLineEdit(objectName="supply-by", maxLength=BY_MAX)
        self.by.setMaximumWidth(220)
        supply.addWidget(self.by)
        supply.addStretch(1)
        self.supply_btn = QPushButton("✔ 登记已补齐", objectName="supply")
        self.supply_btn.setProperty("role", "ok")
        self.supply_btn.setEnabled(False)
        self.supply_btn.clicked.connect(self._supply_clicked)
        supply.addWidget(self.supply_btn)
        lay.addLayout(supply)

    def set_clerk(self, name: str) -> None:
        self.clerk_name = name
        self.by.setText(name)

    def set_citizen(self, ticket_id: int | None) -> None:
        """The citizen now at the window (their ticket, for the visit a supply on site counts):
        the list starts unfiltered and unselected, never as it was left for the last citizen."""
        self.ticket_id = ticket_id
        for box, index in ((self.filter, 0), (self.how, 0)):
            box.blockSignals(True)
            box.setCurrentIndex(index)
            box.blockSignals(False)
        self.number.clear()
        self.table.clearSelection()
        self.by.setText(self.clerk_name)
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not hasattr(self.hall, "pending_items"):
            return
        try:
            self.items = self.hall.pending_items(status=self.filter.currentData() or None,
                                                 application_number=self.number.text().strip() or None)
        except HallError as exc:
            self.message.emit(str(exc), True)
            return
        order = {PendingStatus.OVERDUE: 0, PendingStatus.OPEN: 1, PendingStatus.SUPPLIED: 2}
        self.items.sort(key=lambda p: (order.get(p.status, 3), p.deadline, p.id))
        self.table.setRowCount(len(self.items))
        for row, p in enumerate(self.items):
            values = (p.application_number, p.name,
                      f"{p.deadline:%Y-%m-%d}" + ("（暂定）" if p.provisional else ""),
                      STATUS.get(p.status, p.status.value),
                      f"{p.supplied_on:%Y-%m-%d}" if p.supplied_on else "—",
                      dict(HOW).get(p.supplied_how, p.supplied_how or "—"), p.supplied_by or "—")
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                if col >= 2:  # the short values sit centred under their headings
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self._selection_changed()

    def selected(self) -> PendingItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        p = self.selected()
        self.supply_btn.setEnabled(p is not None and p.status is not PendingStatus.SUPPLIED)
        self.supply_btn.setToolTip("登记所选材料已补齐" if p is not None else "请先在表中选择一条待补材料")

    def _supply_clicked(self) -> None:
        self.supply_selected()

    def supply_selected(self) -> PendingItem | None:
        p = self.selected()
        if p is None or not self.clerk_name:  # nobody signed in: nothing is recorded in their name
            return None
        try:
            how, by = self.how.currentData(), self.by.text().strip()
            done = at_desk(self, lambda: self.hall.supply_pending(p.id, how=how, by=by, ticket_id=self.ticket_id))
        except HallError as exc:
            self.message.emit(str(exc), True)
            return None
        self.message.emit(f"已登记：办件 {done.application_number} 的“{done.name}”已补齐", False)
        self.refresh()
        return done
