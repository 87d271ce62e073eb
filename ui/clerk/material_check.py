"""The material check: one row per material the applicant's situation needs.

Rows are pre-filled from what the citizen ticked at the kiosk (ticked -> received) and from
the checklist (免提交 -> fetched from shared data), so the clerk only corrects what differs.
Everything else starts unchecked, as on the kiosk - not as 缺: a material nobody has looked
at is not known to be missing, and no decision is offered until every row has been looked at
(or 全部收取 has set them). Each result is a word with a symbol, never a colour alone.

By keyboard the table is one stop of the panel's Tab order (Tab goes on to the applicant, never
from cell to cell): ↑↓ choose a material, 1 2 3 4 set 收取 / 缺 / 有误 / 共享, and after 缺 or
有误 the focus is in that row's reason field, where Enter (or Tab, Esc) goes back to the table.
The column headings say so on screen (COLUMNS), with the panel's Ctrl+M that focuses the table.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kiosk.models import Checklist, Material, MaterialCheck, MaterialStatus

STATUS_LABELS: dict[MaterialStatus, str] = {
    MaterialStatus.RECEIVED: "✔ 收取",
    MaterialStatus.MISSING: "✖ 缺",
    MaterialStatus.DEFECTIVE: "！有误",
    MaterialStatus.SHARED: "⇄ 共享",
}
_CHOICES = tuple(STATUS_LABELS)
# the digit keys on a focused row, in the order of the buttons (the column heading says so)
STATUS_KEYS: dict[str, MaterialStatus] = {str(i): st for i, st in enumerate(_CHOICES, 1)}
REASON_MAX = 200  # the longest reason the hall stores (it refuses more): the field stops there


def requirement_text(m: Material) -> str:
    """What kind of material it is, in the words a clerk uses."""
    if m.key:
        text = "主要材料"
    elif m.rongque:
        text = "次要·可容缺"
    else:
        text = "次要材料"
    return text + ("·免提交" if m.shared else "")


UNCHECKED = "unchecked"  # how a row nobody has looked at is kept in the draft


def default_status(m: Material, ticked: set[int]) -> MaterialStatus | None:
    """What the citizen ticked, and a form filled in at the window, are received; what the hall
    fetches is shared; the rest unchecked (None)."""
    if m.id in ticked or (m.on_site and not m.shared):
        return MaterialStatus.RECEIVED
    if m.shared:
        return MaterialStatus.SHARED
    return None


class _StatusCell(QWidget):
    """Four radio buttons for one material; 共享 only where the hall can fetch it."""

    changed = Signal()

    def __init__(self, material: Material, status: MaterialStatus | None) -> None:
        super().__init__()
        self.group = QButtonGroup(self)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(6)
        self.buttons: dict[MaterialStatus, QRadioButton] = {}
        for st in _CHOICES:
            b = QRadioButton(STATUS_LABELS[st])
            b.setObjectName(f"status-{material.id}-{st.value}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # by keyboard: the row's digit keys (KEY_HINT)
            if st is MaterialStatus.SHARED and not material.shared:
                b.setEnabled(False)
                b.setToolTip("该材料不能通过共享数据获取")
            self.group.addButton(b)
            self.buttons[st] = b
            lay.addWidget(b)
        lay.addStretch(1)
        if status is not None:
            self.set_status(status)
        self.group.buttonToggled.connect(self._toggled)

    def _toggled(self, _button: QRadioButton, on: bool) -> None:
        if on:
            self.changed.emit()

    def status(self) -> MaterialStatus | None:
        """The result chosen, or None while nobody has looked at this material."""
        for st, b in self.buttons.items():
            if b.isChecked():
                return st
        return None

    def set_status(self, status: MaterialStatus) -> None:
        button = self.buttons.get(status)
        if button is not None and button.isEnabled():
            button.setChecked(True)


class MaterialCheckTable(QTableWidget):
    """Shows a checklist and gives back MaterialChecks for every material of the matter."""

    changed = Signal()

    # the keys in the headings: 1-4 are the result buttons left to right, Enter leaves a reason
    COLUMNS = ("序号", "材料名称  Ctrl+M  ↑↓", "类别", "核验结果  按键 1 2 3 4", "原因 / 说明  Enter 返回")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("material-table")
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.verticalHeader().setVisible(False)
        # the row the digit keys act on is drawn selected; Tab leaves the table (see the module)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        h = self.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 52)
        self.setColumnWidth(4, 220)
        self._checklist: Checklist | None = None
        self._rows: list[tuple[Material, _StatusCell, QLineEdit]] = []

    # --- filling -----------------------------------------------------------------

    def load(self, checklist: Checklist | None, ticked: tuple[int, ...] = (),
             saved: dict[str, dict] | None = None) -> None:
        """Show the materials this applicant needs; `saved` (from a draft) wins over `ticked`."""
        self._checklist = checklist
        self._rows = []
        self.setRowCount(0)
        if checklist is None:
            return
        needed = [i.material for i in checklist.items if i.needed]
        self.setRowCount(len(needed))
        tick_set = set(ticked)
        for row, m in enumerate(needed):
            prior = (saved or {}).get(str(m.id), {})
            status: MaterialStatus | None
            try:
                status = MaterialStatus(prior["status"]) if "status" in prior else default_status(m, tick_set)
            except ValueError:  # "unchecked", or anything a damaged draft holds
                status = None if prior.get("status") == UNCHECKED else default_status(m, tick_set)
            num = QTableWidgetItem(str(row + 1))
            num.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.setItem(row, 0, num)
            name = f"{m.name}（{m.form}{'×' + str(m.copies) if m.copies > 1 else ''}）"
            if m.condition:
                name += f"\n适用：{m.condition}"
            item = QTableWidgetItem(name)
            item.setToolTip(m.notes or m.name)
            self.setItem(row, 1, item)
            self.setItem(row, 2, QTableWidgetItem(requirement_text(m)))
            cell = _StatusCell(m, status)
            reason = QLineEdit()
            reason.setMaxLength(REASON_MAX)  # before the text: a draft's longer reason is cut too
            reason.setText(str(prior.get("reason", "")))
            reason.setObjectName(f"reason-{m.id}")
            reason.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # reached from its row (2 / 3), not by Tab
            reason.installEventFilter(self)
            reason.setPlaceholderText("缺少或有误时写明原因")
            cell.changed.connect(self._on_change)
            reason.textChanged.connect(self._on_change)
            self.setCellWidget(row, 3, cell)
            self.setCellWidget(row, 4, reason)
            self._rows.append((m, cell, reason))
        self._sync_reasons()
        self.resizeRowsToContents()
        for row in range(self.rowCount()):
            self.setRowHeight(row, max(self.rowHeight(row), 46))

    def _on_change(self) -> None:
        self._sync_reasons()
        self.changed.emit()

    # --- by keyboard --------------------------------------------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusInEvent(event)
        if self.currentRow() < 0 and self.rowCount():
            self.setCurrentCell(0, 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """1-4 set the current row's result (KEY_HINT); Enter goes to its reason when it needs one."""
        row = self.currentRow()
        status = STATUS_KEYS.get(event.text())
        if status is not None and 0 <= row < len(self._rows):
            _m, cell, reason = self._rows[row]
            cell.set_status(status)
            if status in (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE) and cell.status() is status:
                reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and 0 <= row < len(self._rows):
            reason = self._rows[row][2]
            if reason.isEnabled():
                reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """In a reason field: Enter goes back to the table on the next row; Tab or Esc, to its own row."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            row = next((i for i, (_m, _c, r) in enumerate(self._rows) if r is watched), -1)
            if row >= 0 and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab,
                                    Qt.Key.Key_Escape):
                step = 1 if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else 0
                self.setCurrentCell(min(row + step, self.rowCount() - 1), 1)
                self.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _sync_reasons(self) -> None:
        for _m, cell, reason in self._rows:
            status = cell.status()
            needs = status in (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE)
            reason.setEnabled(needs)
            reason.setPlaceholderText("缺少或有误时写明原因" if status is not None else "请先核验：收取 / 缺 / 有误")

    # --- reading and setting -----------------------------------------------------------

    def unchecked(self) -> list[Material]:
        """The materials nobody has looked at yet: no decision until this is empty."""
        return [m for m, cell, _ in self._rows if cell.status() is None]

    def checks(self) -> tuple[MaterialCheck, ...]:
        """Every material of the matter: the shown ones as marked (an unchecked one counts as
        missing, so the verdict shows the worst case), the rest not applicable."""
        if self._checklist is None:
            return ()
        shown = {m.id: (cell.status() or MaterialStatus.MISSING, reason.text().strip())
                 for m, cell, reason in self._rows}
        out = []
        for item in self._checklist.items:
            m = item.material
            status, reason = shown.get(m.id, (MaterialStatus.NOT_APPLICABLE, ""))
            if status not in (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE):
                reason = ""
            out.append(MaterialCheck(material_id=m.id, name=m.name, status=status, reason=reason, form=m.form,
                                     copies=m.copies, key=m.key, rongque=m.rongque))
        return tuple(out)

    def state(self) -> dict[str, dict]:
        """For the draft file: material id -> status and reason."""
        return {str(m.id): {"status": (st.value if (st := cell.status()) else UNCHECKED), "reason": reason.text()}
                for m, cell, reason in self._rows}

    def set_status(self, material_id: int, status: MaterialStatus, reason: str = "") -> None:
        for m, cell, edit in self._rows:
            if m.id == material_id:
                cell.set_status(status)
                if reason:
                    edit.setText(reason)

    def mark_all_received(self) -> None:
        """The common case at a desk: the rest is there. Only rows nobody has answered yet are
        set; a 缺 or 有误 the clerk chose (with its reason), a 共享 or a 收取 stays as it is."""
        for _m, cell, _ in self._rows:
            if cell.status() is None:
                cell.set_status(MaterialStatus.RECEIVED)
