"""The working-day calendar: which years are loaded and from where, and loading a published year.

Every deadline in working days depends on it, so a bad line is refused whole with its line
number, and nothing about the stored year changes until the text is right.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.catalog import decode_text
from kiosk.errors import ValidationError
from ui import theme
from ui.admin.common import AdminTab, muted_label, select_row

HELP = ("放假写：休 2027-01-01 至 2027-01-03 元旦（单日可不写“至”）\n"
        "调休上班的周末写：班 2027-02-07\n"
        "每行一条，# 开头为注释；请按国务院办公厅当年发布的通知逐条录入。")


_SOURCE_LINE = re.compile(r"^# 来源：(.*)$", re.MULTILINE)


def source_words(source: str) -> str:
    """Where a year's calendar came from, in the manager's words (stored as a code)."""
    if source == "manager":
        return "管理员载入"
    if source.startswith("manager:"):
        return f"管理员载入（文件 {source.removeprefix('manager:')}）"
    if source.startswith("chinese_calendar"):  # the package and its version: for a technician, in the tooltip
        return "随软件附带（国务院公布的安排）"
    return source


def source_tip(source: str) -> str:
    """The words, and the stored code where it says more (which release of the packaged data)."""
    words = source_words(source)
    return f"{words}\n软件附带的数据：{source}" if source.startswith("chinese_calendar") else words


def next_year_warning(today: dt.date, years: list[int]) -> str:
    """In December, while next year's schedule is not loaded: what that means and what to do
    (empty otherwise). Deadlines reaching into it count weekends only and are marked 暂定."""
    coming = today.year + 1
    if today.month != 12 or coming in years:
        return ""
    return (f"⚠ {coming}年的节假日安排尚未载入。凡是期限跨入{coming}年的办件（容缺补交、承诺办结、差评回访整改），"
            f"现在只按周末休息计算，标为“暂定”，可能与实际放假不符。\n"
            f"请在国务院办公厅公布{coming}年部分节假日安排的通知后：右侧年份选{coming}，按通知逐条录入"
            f"（或“从文件载入…”），再点“载入此文本”。载入后，已有的暂定期限会自动重新计算。")


class CalendarTab(AdminTab):
    title = "工作日历"

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.available = all(hasattr(hall, n) for n in ("calendar_years", "calendar_text", "load_calendar_year"))
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        # not small grey text: a deadline told to a citizen may be wrong until this is done
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"background: #fff4e0; color: {theme.WARN}; border: 2px solid {theme.WARN};"
                                   f" border-radius: 6px; padding: 8px; font-weight: bold;")
        self.warning.hide()
        root.addWidget(self.warning)
        body = QHBoxLayout()
        root.addLayout(body, 1)

        left = QGroupBox("已载入的年份")
        lv = QVBoxLayout(left)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(("年份", "来源"))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)  # a long source wraps onto a second line instead of ending in …
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.itemSelectionChanged.connect(self._selected)
        lv.addWidget(self.table)
        lv.addWidget(muted_label("未载入的年份按周末休息暂算期限，\n标注“暂定”，载入后自动重算。"))
        body.addWidget(left, 1)

        right = QGroupBox("查看 / 编辑一年的安排")
        rv = QVBoxLayout(right)
        top = QHBoxLayout()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        theme.tidy_spin_box(self.year)
        self.year.setValue(hall.today().year + 1)  # the hall's day, as its deadlines count
        view = QPushButton("显示该年")
        view.setProperty("role", "secondary")
        view.clicked.connect(lambda: self.view_year(self.year.value()))
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addWidget(view)
        top.addStretch(1)
        rv.addLayout(top)
        rv.addWidget(muted_label(HELP))
        self.editor = QPlainTextEdit()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(theme.BASE_PT)  # the system fixed font is small and has no hanzi of its own
        mono.setFamilies([mono.family(), self.font().family()])
        self.editor.setFont(mono)
        self.editor.setPlaceholderText("休 2027-01-01 至 2027-01-03 元旦\n班 2027-02-07")
        rv.addWidget(self.editor, 1)
        row = QHBoxLayout()
        from_file = QPushButton("从文件载入…")
        from_file.setProperty("role", "secondary")
        from_file.clicked.connect(self._file_clicked)
        load = QPushButton("载入此文本")
        load.setProperty("role", "ok")
        load.clicked.connect(lambda: self.load_text(self.year.value(), self.editor.toPlainText()))
        row.addWidget(from_file)
        row.addStretch(1)
        row.addWidget(load)
        rv.addLayout(row)
        body.addWidget(right, 2)
        for w in (view, load, from_file, self.editor):
            w.setEnabled(self.available)
        if not self.available:
            self.message.show_error("本机的大厅服务尚未提供日历功能")
        self.reload()

    def reload(self) -> None:
        if not self.available:
            return
        self.table.setRowCount(0)
        years = self.hall.calendar_years()
        for year, source in years:
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, 0, QTableWidgetItem(str(year)))
            item = QTableWidgetItem(source_words(source))
            item.setToolTip(source_tip(source))
            self.table.setItem(r, 1, item)
        self.table.resizeRowsToContents()
        select_row(self.table, 0, str(self.year.value()))
        warning = next_year_warning(self.hall.today(), [y for y, _ in years])
        self.warning.setText(warning)
        self.warning.setVisible(bool(warning))

    def _selected(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.view_year(int(self.table.item(r, 0).text()))

    def view_year(self, year: int) -> bool:
        self.year.setValue(year)
        text: list[str] = []
        if not self.attempt(lambda: text.append(self.hall.calendar_text(year))):
            return False
        # the year's heading says where it came from in the same words as the list (a comment line:
        # loading the text again reads the same days)
        self.editor.setPlainText(_SOURCE_LINE.sub(lambda m: f"# 来源：{source_words(m.group(1))}", text[0], count=1))
        select_row(self.table, 0, str(year))  # the list shows which year is in the editor
        self.message.clear_message()
        return True

    def load_text(self, year: int, text: str, source: str = "manager") -> bool:
        """Store the year from its text; a bad line is refused with its number and nothing changes."""
        if not self.attempt(lambda: self.hall.load_calendar_year(year, text, source=source),
                            f"已载入{year}年节假日安排，相关暂定期限已重新计算"):
            return False
        self.reload()
        return True

    def load_file(self, year: int, path: Path) -> bool:
        try:
            text = decode_text(Path(path).read_bytes(), Path(path).name)
        except (OSError, ValidationError) as exc:
            self.message.show_error(f"文件无法读取：{exc}")
            return False
        self.editor.setPlainText(text)
        return self.load_text(year, text, source=f"manager:{Path(path).name}")

    def _file_clicked(self) -> None:
        if path := self.ask_open("载入节假日安排", "文本文件 (*.txt);;所有文件 (*)"):
            self.load_file(self.year.value(), Path(path))

