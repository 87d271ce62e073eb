"""Categories, matters and their checklists; catalog JSON and materials CSV in and out.

Edits go through the facade's validators (save_category, save_matter), so the rules a file
import obeys - a key material can never be 容缺, a promise never beyond the statutory time -
hold for hand edits too, and a refusal leaves the stored catalog exactly as it was.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.catalog import FORMS, decode_text, split_words, to_json
from kiosk.errors import ValidationError
from kiosk.models import Catalog, Category, Material, Matter
from ui import theme
from ui.admin.common import AdminTab, action_button, button_row, muted_label

CAT_COLUMNS = ("前缀", "名称", "日上限", "预警", "办理分钟", "英文名称")
MAT_COLUMNS = ("材料名称", "形式", "份数", "必需", "适用条件", "主要", "可容缺", "免提交", "备注")
_CHECKS = {3: "required", 5: "key", 6: "rongque", 7: "shared"}
# The tables have no width to spare for English: a category's rides in a hidden column, a
# material's on its name cell; each is edited in a field under its table for the selected row
CAT_EN = 5
MAT_EN_ROLE = Qt.ItemDataRole.UserRole + 1
MAT_CONDITION_EN_ROLE = Qt.ItemDataRole.UserRole + 2


def _check_item(on: bool) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
    return item


def _cell_text(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


class _WrapDelegate(QStyledItemDelegate):
    """Row heights for wrapped text: measured a little narrower than the cell, as it is
    painted, and with some air, so the last line of a wrapped text is never cut off."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        narrower = QStyleOptionViewItem(option)
        narrower.rect = option.rect.adjusted(0, 0, -12, 0)
        return super().sizeHint(narrower, index) + QSize(0, 8)  # air above and below the lines


def _text_tooltip(item: QTableWidgetItem) -> None:
    """A text cell's whole text on hover, in case a long one is still cut."""
    if item.data(Qt.ItemDataRole.CheckStateRole) is not None or item.toolTip() == item.text():  # a tick box
        return
    item.setToolTip(item.text())


def _int_cell(text: str, what: str, problems: list[str]) -> int:
    try:
        return int(text.strip())
    except ValueError:
        problems.append(f"{what}应为整数，实际为“{text}”")
        return 0


class CatalogTab(AdminTab):
    title = "事项目录"

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.matter: Matter | None = None  # the matter in the form, as stored
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        for text, slot in (("导入目录（JSON）", self._import_catalog_clicked),
                           ("导出目录（JSON）", self._export_catalog_clicked),
                           ("导入材料表（CSV）", self._import_csv_clicked),
                           ("导出材料表（CSV）", self._export_csv_clicked)):
            b = QPushButton(text)
            b.setProperty("role", "secondary")
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        root.addLayout(bar)
        root.addWidget(self.message)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_left())
        split.addWidget(self._build_matter_form())
        split.setStretchFactor(0, 0)  # a wider window widens the checklist
        split.setStretchFactor(1, 1)
        split.setSizes([360, 1000])
        root.addWidget(split, 1)
        self.reload()

    # --- building ----------------------------------------------------------------------

    def _build_left(self) -> QWidget:
        left = QWidget()
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("分类（每日上限按分类计）")
        v = QVBoxLayout(box)
        self.cat_table = QTableWidget(0, len(CAT_COLUMNS))
        self.cat_table.setHorizontalHeaderLabels(CAT_COLUMNS)
        self.cat_table.verticalHeader().hide()
        header = self.cat_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # numbers: as wide as their heading
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.cat_table.verticalHeader().setDefaultSectionSize(28)
        self.cat_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cat_table.itemSelectionChanged.connect(self._category_selected)
        self.cat_table.setColumnHidden(CAT_EN, True)
        v.addWidget(self.cat_table)
        en_row = QHBoxLayout()
        en_row.addWidget(QLabel("所选分类英文名称"))
        self.f_cat_name_en = QLineEdit(placeholderText="如 Business Registration")
        self.f_cat_name_en.textEdited.connect(lambda text: self._set_cell(self.cat_table, self.cat_table.currentRow(),
                                                                         CAT_EN, text))
        en_row.addWidget(self.f_cat_name_en, 1)
        v.addLayout(en_row)
        v.addLayout(button_row([action_button("新增分类", self.add_category_row, "secondary")],
                               [action_button("保存分类", self.save_categories)]))
        col.addWidget(box)

        mbox = QGroupBox("事项")
        mv = QVBoxLayout(mbox)
        self.matter_list = QListWidget()
        self.matter_list.setWordWrap(True)  # a long matter name takes a second line, not a scroll bar
        self.matter_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matter_list.currentItemChanged.connect(self._matter_selected)
        self.matter_list.installEventFilter(self)  # kept in sight when a message shortens the list
        mv.addWidget(self.matter_list)
        mv.addLayout(button_row([action_button("新建事项", self.new_matter, "secondary")],
                                [action_button("删除事项", self.delete_matter, "danger")]))
        col.addWidget(mbox, 1)
        return left

    def _build_matter_form(self) -> QWidget:
        box = QGroupBox("事项详情与材料清单")
        v = QVBoxLayout(box)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        self.f_code, self.f_name, self.f_dept = QLineEdit(), QLineEdit(), QLineEdit()
        self.f_name_en = QLineEdit(placeholderText="自助机英文界面显示；不填则显示中文名称")
        self.f_dept_en = QLineEdit(placeholderText="选填")
        self.f_type, self.f_fee = QLineEdit(), QLineEdit()
        # the words citizens use for the matter (the kiosk's search and its touch-to-search chips)
        self.f_aliases = QLineEdit(placeholderText="如 开店、营业执照（用顿号或逗号隔开）")
        self.f_aliases_en = QLineEdit(placeholderText="e.g. shop, business licence")
        self.f_category = QComboBox()
        self.f_promised, self.f_statutory, self.f_rongque_days = QSpinBox(), QSpinBox(), QSpinBox()
        for s in (self.f_promised, self.f_statutory, self.f_rongque_days):
            s.setRange(0, 365)
            s.setSuffix(" 个工作日")
            theme.tidy_spin_box(s)
        self.f_online = QCheckBox("可网上办理")
        self.f_inactive = QCheckBox("停用（取号机不再显示，记录保留）")
        # three label/field pairs a row (the checklist needs the height); the name and the
        # department are the long ones, so they span two pairs and are never cut
        rows = [[("事项名称", self.f_name, 3), ("事项编码", self.f_code, 1)],
                [("英文名称", self.f_name_en, 3), ("分类", self.f_category, 1)],
                [("实施部门", self.f_dept, 3), ("收费", self.f_fee, 1)],
                [("部门英文", self.f_dept_en, 3), ("事项类型", self.f_type, 1)],
                [("常用词", self.f_aliases, 1), ("英文常用词", self.f_aliases_en, 3)],
                [("承诺时限", self.f_promised, 1), ("法定时限", self.f_statutory, 1),
                 ("容缺补正期限", self.f_rongque_days, 1)]]
        for r, pairs in enumerate(rows):
            col = 0
            for label, w, span in pairs:
                grid.addWidget(QLabel(label), r, col)
                grid.addWidget(w, r, col + 1, 1, span)
                col += span + 1
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)
        # the one-line texts of a matter (a long one shows its beginning and, on hover, all of it)
        self.text_fields = (self.f_code, self.f_name, self.f_dept, self.f_type, self.f_fee, self.f_name_en,
                            self.f_dept_en, self.f_aliases, self.f_aliases_en)
        for field in self.text_fields:
            field.textChanged.connect(lambda text, f=field: f.setToolTip(text))  # the whole text on hover
        v.addLayout(grid)
        note = QHBoxLayout()  # the online tick beside the rules: the grid's rows hold the names and their English
        note.addWidget(self.f_online)
        note.addWidget(self.f_inactive)
        note.addWidget(muted_label("容缺补正期限填 0 表示按承诺时限；主要材料不允许容缺；非必需材料须写明适用条件。"), 1)
        v.addLayout(note)
        self.mat_table = QTableWidget(0, len(MAT_COLUMNS))
        self.mat_table.setHorizontalHeaderLabels(MAT_COLUMNS)
        self.mat_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.mat_table.horizontalHeader()
        # the name carries the meaning: it takes the room; the flags are as wide as their
        # heading, the form as its longest choice; long text wraps onto more lines
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (4, 8):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.mat_table.setColumnWidth(col, 120)
        self.mat_table.setWordWrap(True)
        self.mat_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.mat_table.verticalHeader().setMinimumSectionSize(34)
        self.mat_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.mat_table.itemChanged.connect(_text_tooltip)
        self.mat_table.setItemDelegate(_WrapDelegate(self.mat_table))
        self.mat_table.currentCellChanged.connect(self._show_material_english)
        v.addWidget(self.mat_table, 1)
        en_row = QHBoxLayout()
        en_row.addWidget(QLabel("所选材料英文名称"))
        self.f_mat_name_en = QLineEdit(placeholderText="选填")
        self.f_mat_name_en.textEdited.connect(self._material_name_en_edited)
        en_row.addWidget(self.f_mat_name_en, 3)
        en_row.addWidget(QLabel("适用条件英文"))
        self.f_mat_condition_en = QLineEdit(placeholderText="有适用条件时选填")
        self.f_mat_condition_en.textEdited.connect(self._material_condition_en_edited)
        en_row.addWidget(self.f_mat_condition_en, 2)
        v.addLayout(en_row)
        self._show_material_english(-1)
        row = QHBoxLayout()
        add = QPushButton("添加材料")
        add.setProperty("role", "secondary")
        add.clicked.connect(lambda: self.add_material_row(Material(name="")))
        remove = QPushButton("删除所选材料")
        remove.setProperty("role", "secondary")
        remove.clicked.connect(self.remove_selected_material)
        save = QPushButton("保存事项")
        save.setProperty("role", "ok")
        save.clicked.connect(self.save_matter)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        row.addWidget(save)
        v.addLayout(row)
        return box

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.matter_list and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self._show_current_matter)  # once the list has laid itself out again
        return super().eventFilter(watched, event)

    def _show_current_matter(self) -> None:
        item = self.matter_list.currentItem()
        if item is not None:
            self.matter_list.scrollToItem(item)

    # --- categories ----------------------------------------------------------------------

    def reload(self) -> None:
        cats = self.hall.categories()
        self.cat_table.blockSignals(True)
        self.cat_table.setRowCount(0)
        for c in cats:
            self._put_category_row(c)
        self.cat_table.blockSignals(False)
        self._fit_categories()
        current = self.f_category.currentData()
        self.f_category.clear()
        for c in cats:
            self.f_category.addItem(f"{c.prefix} {c.name}", c.prefix)
        if current:
            self.f_category.setCurrentIndex(max(0, self.f_category.findData(current)))
        self._fill_matter_list(self.matter.code if self.matter else None)

    def _fit_categories(self) -> None:
        """The category table as tall as its rows (a hall has a handful), none of them cut."""
        t = self.cat_table
        rows = sum(t.rowHeight(r) for r in range(t.rowCount())) or t.verticalHeader().defaultSectionSize()
        t.setFixedHeight(t.horizontalHeader().sizeHint().height() + rows + 2 * t.frameWidth())

    def _put_category_row(self, c: Category) -> None:
        r = self.cat_table.rowCount()
        self.cat_table.insertRow(r)
        for col, value in enumerate((c.prefix, c.name, c.daily_cap, c.warn_at, c.default_service_minutes, c.name_en)):
            item = QTableWidgetItem(_cell_text(value))
            if col == 0 and c.prefix:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # the prefix is the key
            self.cat_table.setItem(r, col, item)

    def add_category_row(self) -> None:
        self._put_category_row(Category(prefix="", name="", daily_cap=200, warn_at=180))
        self._fit_categories()
        self.cat_table.setCurrentCell(self.cat_table.rowCount() - 1, 0)

    def _category_from_row(self, r: int, problems: list[str]) -> Category:
        def text(c: int) -> str:
            item = self.cat_table.item(r, c)
            return item.text().strip() if item else ""

        prefix = text(0).upper()
        try:
            minutes = float(text(4))
        except ValueError:
            problems.append(f"分类“{prefix}”：平均办理分钟应为数字")
            minutes = 0.0
        existing = {c.prefix: c for c in self.hall.categories()}.get(prefix)
        return Category(prefix=prefix, name=text(1), daily_cap=_int_cell(text(2), f"分类“{prefix}”每日上限", problems),
                        warn_at=_int_cell(text(3), f"分类“{prefix}”预警数", problems),
                        default_service_minutes=minutes, sort_order=existing.sort_order if existing else r + 1,
                        name_en=text(CAT_EN))

    def save_categories(self) -> bool:
        """Save every category row; all are checked first, so one bad row stores none."""
        problems: list[str] = []
        cats = [self._category_from_row(r, problems) for r in range(self.cat_table.rowCount())]
        prefixes = [c.prefix for c in cats]
        problems += [f"前缀“{p}”已有分类，新增的分类请换一个前缀" for p in sorted({p for p in prefixes
                                                                       if p and prefixes.count(p) > 1})]
        stored = {c.prefix: c for c in self.hall.categories()}
        changed = [c for c in cats if stored.get(c.prefix) != c]

        def save() -> None:
            if problems:
                raise ValidationError(problems, "分类")
            if changed:  # the hall checks them all and stores all or none
                self.hall.save_categories(changed)

        if not self.attempt(save, f"已保存 {len(changed)} 个分类"):
            return False
        self.reload()
        return True

    def _category_selected(self) -> None:
        r = self.cat_table.currentRow()
        english = self.cat_table.item(r, CAT_EN) if r >= 0 else None
        self.f_cat_name_en.setText(english.text() if english else "")
        self.f_cat_name_en.setEnabled(r >= 0)
        item = self.cat_table.item(r, 0) if r >= 0 else None
        if item and item.text():
            self._fill_matter_list(None, item.text())

    # --- matters -------------------------------------------------------------------------

    def _fill_matter_list(self, select: str | None, category: str | None = None) -> None:
        category = category or (self.matter.category if self.matter else None)
        self.matter_list.blockSignals(True)
        self.matter_list.clear()
        for m in self.hall.matters(category, include_inactive=True):
            item = QListWidgetItem(f"{m.code}  {m.name}" + ("（已停用）" if not m.active else ""))
            item.setToolTip(f"{m.name}（{m.department}）")
            item.setData(Qt.ItemDataRole.UserRole, m.code)
            self.matter_list.addItem(item)
            if m.code == select:
                self.matter_list.setCurrentItem(item)
        self.matter_list.blockSignals(False)
        if self.matter_list.currentItem() is not None:
            self.matter_list.scrollToItem(self.matter_list.currentItem())  # the matter in the form is in sight

    def _matter_selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            return
        if not self.may_leave_matter():
            self._fill_matter_list(self.matter.code if self.matter else None)  # the list points back
            return
        self.select_matter(item.data(Qt.ItemDataRole.UserRole))

    def unsaved(self) -> bool:
        """Whether the form holds edits not yet saved (against what it showed when loaded)."""
        return self._shown is not None and self.matter_from_form([]) != self._shown

    def may_leave_matter(self) -> bool:
        """Unsaved edits are dropped only when the manager says so."""
        name = self.f_name.text().strip() or "新事项"
        return not self.unsaved() or self.confirm(
            "放弃修改", f"事项“{name}”有未保存的修改，继续将丢失这些修改。\n放弃修改吗？（要保留请先点“保存事项”）")

    _shown: Matter | None = None  # the form as loaded, to tell the manager's edits from it

    def select_matter(self, code: str) -> None:
        """Load a stored matter into the form (what the list does on a click)."""
        self.show_matter(self.hall.get_matter(code))

    def show_matter(self, m: Matter) -> None:
        self.matter = m
        for i in range(self.matter_list.count()):  # the list shows which matter is in the form
            item = self.matter_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == m.code and m.code:
                self.matter_list.blockSignals(True)
                self.matter_list.setCurrentItem(item)
                self.matter_list.blockSignals(False)
                self.matter_list.scrollToItem(item)
                break
        self.f_code.setText(m.code)
        self.f_code.setReadOnly(bool(m.code))
        self.f_name.setText(m.name)
        self.f_dept.setText(m.department)
        self.f_name_en.setText(m.name_en)
        self.f_dept_en.setText(m.department_en)
        self.f_aliases.setText("、".join(m.aliases))
        self.f_aliases_en.setText(", ".join(m.aliases_en))
        self.f_category.setCurrentIndex(max(0, self.f_category.findData(m.category)))
        self.f_type.setText(m.type)
        self.f_fee.setText(m.fee)
        self.f_promised.setValue(m.promised_days)
        self.f_statutory.setValue(m.statutory_days)
        self.f_rongque_days.setValue(m.rongque_days)
        self.f_online.setChecked(m.online)
        self.f_inactive.setChecked(not m.active)
        for field in self.text_fields:
            field.setCursorPosition(0)  # a long name shows its beginning, not its end
        self.mat_table.setRowCount(0)
        for mat in m.materials:
            self.add_material_row(mat)
        self._show_material_english(self.mat_table.currentRow())
        self._shown = self.matter_from_form([])

    def new_matter(self) -> None:
        category = self.f_category.currentData() or ""
        self.show_matter(Matter(code="", name="", department="", category=category, promised_days=1,
                                statutory_days=1))
        self.matter = None

    def add_material_row(self, m: Material) -> None:
        t = self.mat_table
        r = t.rowCount()
        t.insertRow(r)
        t.setItem(r, 0, QTableWidgetItem(m.name))
        form = QComboBox()
        form.addItems(FORMS)
        form.setCurrentText(m.form)
        t.setCellWidget(r, 1, form)
        t.setItem(r, 2, QTableWidgetItem(str(m.copies)))
        t.setItem(r, 3, _check_item(m.required))
        t.setItem(r, 4, QTableWidgetItem(m.condition))
        t.setItem(r, 5, _check_item(m.key))
        t.setItem(r, 6, _check_item(m.rongque))
        t.setItem(r, 7, _check_item(m.shared))
        t.setItem(r, 8, QTableWidgetItem(m.notes))
        t.item(r, 0).setData(MAT_EN_ROLE, m.name_en)
        t.item(r, 0).setData(MAT_CONDITION_EN_ROLE, m.condition_en)
        t.item(r, 0).setData(Qt.ItemDataRole.UserRole, m.id)
        for col in (0, 4, 8):
            _text_tooltip(t.item(r, col))

    @staticmethod
    def _set_cell(table: QTableWidget, row: int, col: int, text: str) -> None:
        if row >= 0:
            table.setItem(row, col, QTableWidgetItem(text))

    def _show_material_english(self, row: int, *_: int) -> None:
        """The selected material's English name and its condition's English, in the fields under the table."""
        t = self.mat_table
        name = t.item(row, 0) if 0 <= row < t.rowCount() else None
        self.f_mat_name_en.setText((name.data(MAT_EN_ROLE) or "") if name else "")
        self.f_mat_name_en.setEnabled(name is not None)
        conditional = name is not None and bool(t.item(row, 4).text().strip())
        self.f_mat_condition_en.setText((name.data(MAT_CONDITION_EN_ROLE) or "") if conditional else "")
        self.f_mat_condition_en.setEnabled(conditional)
        for field in (self.f_mat_name_en, self.f_mat_condition_en):
            field.setCursorPosition(0)  # a long name shows its beginning

    def _material_name_en_edited(self, text: str) -> None:
        name = self.mat_table.item(self.mat_table.currentRow(), 0)
        if name is not None:
            name.setData(MAT_EN_ROLE, text)

    def _material_condition_en_edited(self, text: str) -> None:
        """A condition is answered once, so its English goes to every material that has it."""
        t = self.mat_table
        row = t.currentRow()
        if row < 0:
            return
        condition = t.item(row, 4).text().strip()
        for r in range(t.rowCount()):
            if t.item(r, 4).text().strip() == condition:
                t.item(r, 0).setData(MAT_CONDITION_EN_ROLE, text)

    def set_material_flag(self, row: int, flag: str, on: bool) -> None:
        """Tick or untick required / key / rongque / shared on a material row (as a click would)."""
        col = {v: k for k, v in _CHECKS.items()}[flag]
        self.mat_table.item(row, col).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def remove_selected_material(self) -> None:
        rows = sorted({i.row() for i in self.mat_table.selectedIndexes()}, reverse=True)
        for r in rows:
            self.mat_table.removeRow(r)

    def _materials_from_table(self, problems: list[str]) -> tuple[Material, ...]:
        t = self.mat_table
        used = {t.item(r, 0).data(Qt.ItemDataRole.UserRole) or 0 for r in range(t.rowCount())}
        next_id = max(used | {0}) + 1
        out = []
        for r in range(t.rowCount()):
            mid = t.item(r, 0).data(Qt.ItemDataRole.UserRole) or 0
            if not mid:
                mid, next_id = next_id, next_id + 1
            flags = {name: t.item(r, col).checkState() == Qt.CheckState.Checked for col, name in _CHECKS.items()}
            form = t.cellWidget(r, 1)
            out.append(Material(
                id=mid, name=t.item(r, 0).text().strip(), form=form.currentText() if form else "原件",
                copies=_int_cell(t.item(r, 2).text(), f"第{r + 1}行份数", problems),
                condition=t.item(r, 4).text().strip(), notes=t.item(r, 8).text().strip(),
                name_en=(t.item(r, 0).data(MAT_EN_ROLE) or "").strip(),
                # a condition deleted in the table takes its English with it
                condition_en=(t.item(r, 0).data(MAT_CONDITION_EN_ROLE) or "").strip() if t.item(r, 4).text().strip()
                else "",
                **flags))
        return tuple(out)

    def matter_from_form(self, problems: list[str]) -> Matter:
        base = self.matter or Matter(code="", name="", department="", category="", promised_days=0,
                                     statutory_days=0)
        return replace(
            base, code=self.f_code.text().strip(), name=self.f_name.text().strip(),
            department=self.f_dept.text().strip(), category=self.f_category.currentData() or "",
            name_en=self.f_name_en.text().strip(), department_en=self.f_dept_en.text().strip(),
            type=self.f_type.text().strip(), fee=self.f_fee.text().strip() or "不收费",
            promised_days=self.f_promised.value(), statutory_days=self.f_statutory.value(),
            rongque_days=self.f_rongque_days.value(), online=self.f_online.isChecked(),
            active=not self.f_inactive.isChecked(), aliases=split_words(self.f_aliases.text()), aliases_en=split_words(self.f_aliases_en.text()),
            initials="" if self.matter is None or self.matter.name != self.f_name.text().strip() else base.initials,
            materials=self._materials_from_table(problems))

    def save_matter(self) -> bool:
        """Store the form; a refusal shows every problem and stores nothing."""
        problems: list[str] = []
        matter = self.matter_from_form(problems)

        def save() -> None:
            if problems:
                raise ValidationError(problems, "事项")
            if self.matter is None and matter.code in {m.code for m in self.hall.matters(include_inactive=True)}:
                raise ValidationError([f"事项编码“{matter.code}”已存在"], "事项")
            self.hall.save_matter(matter)

        if not self.attempt(save, f"已保存事项“{matter.name}”"):
            return False
        self.show_matter(self.hall.get_matter(matter.code))
        self._fill_matter_list(matter.code, matter.category)
        return True

    def delete_matter(self) -> bool:
        if self.matter is None:
            self.message.show_error("请先在列表中选择一个事项")
            return False
        code, name = self.matter.code, self.matter.name
        if not self.confirm("删除事项", f"删除事项“{name}”（{code}）及其材料清单？\n删除后取号机不再提供该事项，不能恢复。"):
            return False
        if not self.attempt(lambda: self.hall.delete_matter(code), f"已删除事项“{name}”"):
            return False
        self.matter = None
        self.new_matter()
        self._fill_matter_list(None)
        return True

    # --- files (methods take paths; the buttons only ask for them) ----------------------

    def import_catalog_file(self, path: Path) -> bool:
        got: list[Catalog] = []

        def run() -> None:
            got.append(self.hall.import_catalog(decode_text(Path(path).read_bytes(), Path(path).name), source=Path(path).name))

        if not self.may_leave_matter() or not self.attempt(
                run, lambda: f"已导入 {len(got[0].categories)} 个分类、{len(got[0].matters)} 个事项"):
            return False
        self.reload()
        self._show_stored_matter()
        return True

    def export_catalog_file(self, path: Path) -> bool:
        text = to_json(self.hall.catalog())
        return self.attempt(lambda: Path(path).write_text(text, encoding="utf-8"), f"目录已导出到 {path}")

    def import_materials_file(self, path: Path) -> bool:
        got: list[int] = []

        def run() -> None:
            got.append(self.hall.import_materials_csv(decode_text(Path(path).read_bytes(), Path(path).name),
                                                      source=Path(path).name))

        if not self.may_leave_matter() or not self.attempt(run, lambda: f"已导入材料 {got[0]} 条"):
            return False
        self._show_stored_matter()
        return True

    def _show_stored_matter(self) -> None:
        """After an import: the matter in the form as the hall now has it (a stale form saved
        later would undo the import), or a blank form if the import removed it."""
        code = self.matter.code if self.matter else ""
        if code and code in {m.code for m in self.hall.matters(include_inactive=True)}:
            self.select_matter(code)
        else:
            self.new_matter()

    def export_materials_file(self, path: Path) -> bool:
        text = self.hall.export_materials_csv()
        # with a BOM, so Excel on a hall PC opens the Chinese columns correctly
        return self.attempt(lambda: Path(path).write_text(text, encoding="utf-8-sig", newline=""), f"材料表已导出到 {path}")

    def _import_catalog_clicked(self) -> None:
        if path := self.ask_open("导入目录", "目录文件 (*.json)"):
            self.import_catalog_file(Path(path))

    def _export_catalog_clicked(self) -> None:
        if path := self.ask_save("导出目录", "catalog.json", "目录文件 (*.json)"):
            self.export_catalog_file(Path(path))

    def _import_csv_clicked(self) -> None:
        if path := self.ask_open("导入材料表", "材料表 (*.csv)"):
            self.import_materials_file(Path(path))

    def _export_csv_clicked(self) -> None:
        if path := self.ask_save("导出材料表", "materials.csv", "材料表 (*.csv)"):
            self.export_materials_file(Path(path))
