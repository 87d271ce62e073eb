"""Today's figures as bar charts, and the report for a date range with CSV and PDF export.

Reading figures and building the PDF run in the worker pool; the `*_now` methods do the
same synchronously for tests and screenshots.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.models import Report
from kiosk.report_table import summary_rows, to_csv
from ui import theme
from ui.admin.charts import BarChart
from ui.admin.common import AdminTab
from ui.worker import run_async

log = logging.getLogger(__name__)
TABLE_HEAD = ("名称", "取号", "办结", "过号", "放弃", "转出", "平均等候", "90%等候", "最长等候", "平均办理")


# a transferred ticket keeps its number (A003) but is counted where it went: the chart says so
ISSUED_TITLE = "今日取号（按分类；转办的号计入转入的分类）"
ISSUED_TIP = "转办到其他分类的号，计入转入的分类（号码字母不变）；图表、报表和导出的 CSV 都按这一口径。"


def issued_by_category(report: Report, names: dict[str, str]) -> list[tuple[str, float]]:
    """Tickets per category as the report's category rows count them (a transferred ticket under
    the category it went to), every catalog category listed, a category no longer in the
    catalog after them: the chart and the table below it cannot disagree."""
    counted = {g.key: g for g in report.by_category}
    rows = [(label, float(counted[p].issued if p in counted else 0)) for p, label in names.items()]
    rows += [(g.label or g.key, float(g.issued)) for key, g in counted.items() if key not in names]
    return rows


@dataclass(frozen=True)
class Today:
    issued: list[tuple[str, float]]
    waiting: list[tuple[str, float]]
    window_waits: list[tuple[str, float]] | None  # None when the hall has no report yet
    report: Report | None


class ReportTab(AdminTab):
    title = "统计报表"

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.report: Report | None = None
        self.has_report = hasattr(hall, "report")
        root = QVBoxLayout(self)
        root.addWidget(self.message)

        today = QGroupBox("今日概况")
        tv = QVBoxLayout(today)
        self.today_line = QLabel()
        self.today_line.setStyleSheet(f"font-size: {theme.DESK_PT + 2}pt; font-weight: bold;")
        tv.addWidget(self.today_line)
        charts = QHBoxLayout()
        self.chart_issued = BarChart(ISSUED_TITLE, "个")
        self.chart_issued.setToolTip(ISSUED_TIP)
        self.chart_waits = BarChart("各窗口平均等候", "分钟", color=theme.WARN)
        charts.addWidget(self.chart_issued)
        charts.addWidget(self.chart_waits)
        tv.addLayout(charts, 1)
        root.addWidget(today)

        box = self.report_box = QGroupBox("报表")
        bv = QVBoxLayout(box)
        row = QHBoxLayout()
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setDate(QDate(hall.today()))
        make = QPushButton("生成报表")
        make.clicked.connect(self._make_clicked)
        self.csv_button = QPushButton("导出 CSV")
        self.pdf_button = QPushButton("导出 PDF")
        for b, slot in ((self.csv_button, self._csv_clicked), (self.pdf_button, self._pdf_clicked)):
            b.setProperty("role", "secondary")
            b.setEnabled(False)
            b.clicked.connect(slot)
        for w in (QLabel("从"), self.date_from, QLabel("至"), self.date_to, make):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.csv_button)
        row.addWidget(self.pdf_button)
        bv.addLayout(row)
        body = QHBoxLayout()
        self.table = QTableWidget(0, len(TABLE_HEAD))
        # a four-character heading over a column of short figures takes two lines, leaving the
        # width to the names (不动产登记, 社保医保) at 1366 px
        self.table.setHorizontalHeaderLabels([h if len(h) <= 2 else f"{h[:-2]}\n{h[-2:]}" for h in TABLE_HEAD])
        self.table.horizontalHeaderItem(TABLE_HEAD.index("取号")).setToolTip(ISSUED_TIP)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        body.addWidget(self.table, 5)
        self.summary_box = QGroupBox("受理与“最多跑一次”")
        self.summary_grid = QGridLayout(self.summary_box)
        body.addWidget(self.summary_box, 3)
        bv.addLayout(body, 1)
        root.addWidget(box, 1)
        if not self.has_report:
            make.setEnabled(False)
            self.message.show_error("本机的大厅服务尚未提供报表功能；下方仅显示今日排队数")
        self.refresh_today()

    # --- today -------------------------------------------------------------------------

    def _read_today(self) -> Today:
        hall = self.hall
        names = {c.prefix: f"{c.prefix} {c.name}" for c in hall.categories()}
        status = hall.queue_status()
        waiting = [(names[p], float(status.waiting.get(p, 0))) for p in names]
        report = None
        waits = None
        if self.has_report:
            day = hall.today()
            report = hall.report(day, day)
            waits = [(g.label or f"{g.key}号窗口", g.avg_wait_min) for g in report.by_window]
            issued = issued_by_category(report, names)
        else:  # no report to agree with: the queue's own count, by the ticket number's letter
            issued = [(names[p], float(status.issued.get(p, 0))) for p in names]
        return Today(issued=issued, waiting=waiting, window_waits=waits, report=report)

    def refresh_today(self) -> None:
        run_async(self._read_today, self.show_today, lambda exc: self.show_refusal(exc, "今日数据读取失败："))

    def refresh_today_now(self) -> None:
        self.show_today(self._read_today())

    def show_today(self, t: Today) -> None:
        self.chart_issued.set_data(t.issued)
        if t.window_waits is None:
            self.chart_waits.set_data(t.waiting, "当前等候人数（按分类）")
            self.chart_waits.unit = "人"
        else:
            self.chart_waits.set_data(t.window_waits)
        waiting = int(sum(v for _, v in t.waiting))
        line = f"今日取号 {int(sum(v for _, v in t.issued))} 个，正在等候 {waiting} 人"
        if t.report:
            g = t.report.totals
            line += f"，已办结 {g.served} 个，平均等候 {g.avg_wait_min:.1f} 分钟，平均办理 {g.avg_service_min:.1f} 分钟"
        self.today_line.setText(line)

    # --- the report --------------------------------------------------------------------

    def _range(self) -> tuple[dt.date, dt.date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()  # type: ignore[return-value]

    def _make_clicked(self) -> None:
        d1, d2 = self._range()
        if d2 < d1:
            self.message.show_error("结束日期不能早于开始日期")
            return
        self.message.show_ok("正在统计…")
        run_async(lambda: self.hall.report(d1, d2), self.show_report, self.show_refusal)

    def make_report_now(self, d1: dt.date, d2: dt.date) -> Report | None:
        got: list[Report] = []
        if not self.attempt(lambda: got.append(self.hall.report(d1, d2))):
            return None
        self.show_report(got[0])
        return got[0]

    def show_report(self, report: Report) -> None:
        self.report = report
        one_day = report.date_from == report.date_to
        # the box says which days it shows; the "working…" line goes, leaving the room to the figures
        self.report_box.setTitle(f"报表：{report.date_from}" + ("" if one_day else f" 至 {report.date_to}"))
        self.message.clear_message()
        rows = [*report.by_category, report.totals]
        self.table.setRowCount(0)
        for g in rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            values = ("合计" if g is report.totals else (g.label or g.key), g.issued, g.served, g.skipped,
                      g.abandoned, g.handed_on, f"{g.avg_wait_min:.1f}", f"{g.p90_wait_min:.1f}", f"{g.max_wait_min:.1f}",
                      f"{g.avg_service_min:.1f}")
            for c, v in enumerate(values):
                item = QTableWidgetItem(str(v))
                if c:  # figures line up on their last digit
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if g is report.totals:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        while self.summary_grid.count():
            item = self.summary_grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for i, (label, value) in enumerate(summary_rows(report)):  # two pairs a row, to fit 768 px
            name = QLabel(label)
            v = QLabel(value)
            if label.startswith("一次办结"):  # how the reform's figure is counted, on the figure itself
                for w in (name, v):
                    w.setToolTip("\n".join(report.definitions))
            self.summary_grid.addWidget(name, i // 2, 2 * (i % 2))
            v.setStyleSheet("font-weight: bold;")
            self.summary_grid.addWidget(v, i // 2, 2 * (i % 2) + 1)
        self.csv_button.setEnabled(True)
        self.pdf_button.setEnabled(True)

    def export_csv(self, path: Path) -> bool:
        if self.report is None:
            self.message.show_error("请先生成报表")
            return False
        text = to_csv(self.report)
        return self.attempt(lambda: Path(path).write_text(text, encoding="utf-8-sig", newline=""), f"报表已导出到 {path}")

    def export_pdf(self, path: Path) -> bool:
        """Blocking (reportlab); the button runs it in the worker pool."""
        if self.report is None:
            self.message.show_error("请先生成报表")
            return False
        from printing.pdf_report import build_report_pdf

        report, info = self.report, self.hall.info()
        return self.attempt(lambda: Path(path).write_bytes(build_report_pdf(report, info)),
                            f"报表 PDF 已导出到 {path}")

    def _csv_clicked(self) -> None:
        if path := self.ask_save("导出报表", "report.csv", "CSV (*.csv)"):
            self.export_csv(Path(path))

    def _pdf_clicked(self) -> None:
        if self.report is None:
            return
        if not (path := self.ask_save("导出报表", "report.pdf", "PDF (*.pdf)")):
            return
        from printing.pdf_report import build_report_pdf

        report, info = self.report, self.hall.info()
        self.message.show_ok("正在生成 PDF…")
        run_async(lambda: Path(path).write_bytes(build_report_pdf(report, info)),
                  lambda _n: self.message.show_ok(f"报表 PDF 已导出到 {path}"),
                  lambda exc: self.message.show_error(f"PDF 生成失败：{exc}"))

