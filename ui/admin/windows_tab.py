"""Windows and the categories each serves; a window that serves none is 全科 (serves all).

一窗受理 is the default the reform wants, so an empty tick list is said in words (全科) rather
than looking like a mistake.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.models import Window
from ui import theme
from ui.admin.common import AdminTab, muted_label, new_save_row, record_table, select_row

COLUMNS = ("窗口号", "名称", "服务分类", "状态")


class WindowsTab(AdminTab):
    title = "窗口"

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.category_boxes: dict[str, QCheckBox] = {}
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        body = QHBoxLayout()
        root.addLayout(body, 1)
        self.table = record_table(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        body.addWidget(self.table, 3)

        box = QGroupBox("窗口设置")
        form = QFormLayout(box)
        self.f_number = QSpinBox()
        self.f_number.setRange(0, 999)
        self.f_number.setMaximumWidth(140)  # a number of up to three digits, not a line of text
        theme.tidy_spin_box(self.f_number)
        self.f_name = QLineEdit()
        self.f_active = QCheckBox("启用")
        form.addRow("窗口号", self.f_number)
        form.addRow("名称", self.f_name)
        form.addRow("", self.f_active)
        self.cats_box = QGroupBox("服务分类")
        self.cats_layout = QVBoxLayout(self.cats_box)
        form.addRow(self.cats_box)
        form.addRow(muted_label("不勾选任何分类即为全科窗口：无差别受理所有分类。"))
        form.addRow(new_save_row("新建窗口", self.new_window, "保存窗口", self.save_window))
        body.addWidget(box, 2)
        self.reload()
        self.new_window()

    def reload(self) -> None:
        cats = self.hall.categories()
        names = {c.prefix: c.name for c in cats}
        if list(self.category_boxes) != list(names):
            for b in self.category_boxes.values():
                b.deleteLater()
            self.category_boxes = {}
            for c in cats:
                b = QCheckBox(f"{c.prefix}  {c.name}")
                self.cats_layout.addWidget(b)
                self.category_boxes[c.prefix] = b
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for w in self.hall.windows():
            r = self.table.rowCount()
            self.table.insertRow(r)
            serves = "全科（所有分类）" if w.general else "、".join(f"{p} {names.get(p, p)}" for p in w.categories)
            for col, text in enumerate((str(w.number), w.name, serves, "启用" if w.active else "停用")):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        select_row(self.table, 0, str(self.f_number.value()))  # the window in the form, if it is stored

    def _selected(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.edit_window(int(self.table.item(r, 0).text()))

    def edit_window(self, number: int) -> None:
        w = next(w for w in self.hall.windows() if w.number == number)
        select_row(self.table, 0, str(number))  # the table shows which window is in the form
        self.f_number.setValue(w.number)
        self.f_number.setReadOnly(True)  # a window is renumbered by creating the new one, never over another
        self.f_name.setText(w.name)
        self.f_active.setChecked(w.active)
        for prefix, box in self.category_boxes.items():
            box.setChecked(prefix in w.categories)

    def new_window(self) -> None:
        self.f_number.setValue(max((w.number for w in self.hall.windows()), default=0) + 1)
        self.f_number.setReadOnly(False)
        self.f_name.setText("")
        self.f_active.setChecked(True)
        for box in self.category_boxes.values():
            box.setChecked(False)

    def form_window(self) -> Window:
        return Window(number=self.f_number.value(), name=self.f_name.text().strip(),
                      categories=tuple(p for p, b in self.category_boxes.items() if b.isChecked()),
                      active=self.f_active.isChecked())

    def set_categories(self, prefixes: list[str]) -> None:
        for p, b in self.category_boxes.items():
            b.setChecked(p in prefixes)

    def save_window(self) -> bool:
        w = self.form_window()
        kind = "全科" if w.general else "、".join(w.categories)
        new = not self.f_number.isReadOnly()  # 新建窗口: a number in use is refused, never overwritten
        if not self.attempt(lambda: self.hall.save_window(w, new=new), f"已保存{w.number}号窗口（{kind}）"):
            return False
        self.reload()
        return True
