"""差评整改: every bad review with its callback and rectification deadlines, and the actions
that close it - the callback made, what was rectified, and the citizen's one further rating."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.models import EVALUATION_LEVELS, BadReview
from ui import theme
from ui.admin.common import AdminTab, action_button, muted_label, record_table

STATUS = {"open": "待回访", "called_back": "已回访·待整改", "closed": "已整改"}
HEADERS = ("编号", "号票", "评价", "申请人意见", "收到时间", "回访期限", "整改期限", "状态", "回访情况", "整改情况",
           "再评价")
# the action each state waits for: that button is the strong one
NEXT_ACTION = {"open": "callback", "called_back": "close", "closed": "follow_up"}


class ReviewsTab(AdminTab):
    title = "差评整改"

    def __init__(self, hall: Hall, me: str, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.me = me  # the manager signed in: who called back or closed a review, in its events
        self.reviews: list[BadReview] = []
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        root.addWidget(muted_label("不满意、非常不满意的评价自动生成差评；逾期未回访或未整改的以“逾期”标出。"))
        self.table = record_table(HEADERS)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        root.addWidget(self.table, 1)

        box = QGroupBox("处理所选差评")
        form = QFormLayout(box)
        self.note = QLineEdit()
        self.note.setPlaceholderText("回访情况，如：已电话联系，说明原因并致歉")
        self.resolution = QLineEdit()
        self.resolution.setPlaceholderText("整改措施，如：高峰时段增开商事窗口")
        self.follow_up = QComboBox()
        for level, text in EVALUATION_LEVELS.items():
            self.follow_up.addItem(text, level)
        row = QHBoxLayout()
        self.actions = {"callback": action_button("记录回访", self.record_callback, "secondary"),
                        "close": action_button("整改完成", self.close_review, "secondary"),
                        "follow_up": action_button("记录再评价", self.record_follow_up, "secondary")}
        row.addWidget(self.actions["callback"])
        row.addWidget(self.actions["close"])
        row.addStretch(1)
        row.addWidget(QLabel("整改后再评价"))
        row.addWidget(self.follow_up)
        row.addWidget(self.actions["follow_up"])
        self.actions["export"] = action_button("导出近30天评价", self._export_clicked, "secondary")
        row.addWidget(self.actions["export"])
        form.addRow("回访情况", self.note)
        form.addRow("整改情况", self.resolution)
        form.addRow(row)
        root.addWidget(box)
        self.table.itemSelectionChanged.connect(self._emphasise)
        self.reload()

    def reload(self) -> None:
        self.reviews = self.hall.bad_reviews()
        today = self.hall.today()
        self.table.setRowCount(len(self.reviews))
        for r, review in enumerate(self.reviews):
            status = STATUS.get(review.status, review.status)
            late = (review.status == "open" and today > review.callback_due) or (
                review.status != "closed" and today > review.rectify_due)
            ticket = self.hall.get_ticket(review.ticket_id)
            evaluation = self.hall.evaluation_for(review.ticket_id)
            cells = (str(review.id), f"{ticket.number}（{ticket.day:%m-%d}，{ticket.window or '-'}号窗口）",
                     EVALUATION_LEVELS[review.level], _opinion(review, evaluation.comment if evaluation else ""),
                     f"{review.opened_at:%Y-%m-%d %H:%M}", _due(review.callback_due, review.provisional),
                     _due(review.rectify_due, review.provisional),
                     status + ("（逾期）" if late else ""), _callback(review), review.resolution,
                     EVALUATION_LEVELS.get(review.follow_up_level or 0, ""))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for c in (HEADERS.index("申请人意见"), HEADERS.index("回访情况"), HEADERS.index("整改情况")):  # the free text shares the room
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
        self._emphasise()

    def _emphasise(self) -> None:
        review = self._selected()
        strong = NEXT_ACTION.get(review.status, "") if review else ""
        for name, button in self.actions.items():
            theme.set_role(button, "ok" if name == strong else "secondary")

    def select(self, review_id: int) -> None:
        for r, review in enumerate(self.reviews):
            if review.id == review_id:
                self.table.selectRow(r)

    def _selected(self) -> BadReview | None:
        rows = self.table.selectionModel().selectedRows()
        return self.reviews[rows[0].row()] if rows else None

    def _act(self, action, done: str) -> bool:
        review = self._selected()
        if review is None:
            self.message.show_error("请先在表中选择一条差评")
            return False

        def run() -> None:
            action(review)
            self.reload()
            self.select(review.id)

        return self.attempt(run, done)

    def export_ratings(self, path: Path, days: int = 30) -> bool:
        """The last `days` days' ratings in the provinces' fields: CSV, or JSON for a .json file."""
        today = self.hall.today()

        def run() -> None:
            text = self.hall.export_ratings(today - dt.timedelta(days=days - 1), today,
                                            "json" if path.suffix.lower() == ".json" else "csv")
            path.write_text(text, encoding="utf-8", newline="")  # the CSV has its own line ends

        return self.attempt(run, f"评价已导出到 {path}")

    def _export_clicked(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self, "导出评价", "评价.csv", "CSV (*.csv);;JSON (*.json)")
        if name:
            self.export_ratings(Path(name))

    def record_callback(self) -> bool:
        return self._act(lambda r: self.hall.record_callback(r.id, self.note.text(), clerk=self.me), "已记录回访")

    def close_review(self) -> bool:
        return self._act(lambda r: self.hall.close_bad_review(r.id, self.resolution.text(), clerk=self.me), "差评已整改办结")

    def record_follow_up(self) -> bool:
        return self._act(lambda r: self.hall.follow_up_rating(r.id, int(self.follow_up.currentData())),
                         "已记录整改后的再评价")


def _opinion(review: BadReview, comment: str) -> str:
    """Why the citizen was unhappy and where to call them back, for whoever makes the call."""
    parts = ["、".join(review.reasons), comment]
    if review.phone:
        parts.append(f"回访电话 {review.phone}")
    return "；".join(p for p in parts if p)


def _callback(review: BadReview) -> str:
    """What the callback found and when, so whoever rectifies reads what the citizen said."""
    if review.called_back_at is None:
        return ""
    return f"{review.called_back_at:%m-%d %H:%M} {review.callback_note}".strip()


def _due(day: dt.date, provisional: bool) -> str:
    return f"{day}（暂定）" if provisional else str(day)
