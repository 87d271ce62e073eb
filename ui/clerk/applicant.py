"""Who is applying: name, ID number (checked as typed), phone and how the result is delivered.

The ID number is checked against GB 11643 on every keystroke, so a misread digit is caught
at the desk, not when the certificate is printed with the wrong number. The field shows it
masked (330106********1234) whenever the clerk is not editing it: the screen faces the
counter, and the rule is that screens show ID numbers masked. The full number stays in the
field and is what goes to the hall.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from kiosk import idnumber

DELIVERY = (("pickup", "窗口领取"), ("post", "邮寄送达"))
# the longest the hall stores (it refuses more): the field stops the clerk there, not the receipt
NAME_MAX = 100
PHONE_MAX = 20  # an area code, a number and an extension with its hyphens and spaces


class IdNumberEdit(QLineEdit):
    """An ID number field that keeps the full number but shows it masked unless being edited.

    `value()` is the full number; `text()` is what is on the screen. Filling the field from a
    program (a card, a test) shows the masked form even if the field has the focus; clicking
    into it, or typing, brings the full number back so a misread digit can be corrected.
    While masked the field is read-only, so nothing can be typed or pasted into the stars.
    """

    value_changed = Signal(str)
    MASKED_TIP = "证件号码已隐藏中间位；点击此栏可查看或修改完整号码"

    def __init__(self, parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        self._full = ""
        self._masked = False
        self.textEdited.connect(self._edited)

    # --- the value ---------------------------------------------------------------------------

    def value(self) -> str:
        return self._full

    def setText(self, text: str | None) -> None:  # noqa: N802 (Qt's name)
        """A number from a card, a draft or a script: kept in full, shown masked."""
        self._full = (text or "").strip()
        self._show(masked=True)
        self.value_changed.emit(self._full)

    def clear(self) -> None:
        self.setText("")

    def is_masked(self) -> bool:
        return self._masked

    def _edited(self, text: str) -> None:
        if not self._masked:
            self._full = text.strip()
            self.value_changed.emit(self._full)

    def _show(self, masked: bool) -> None:
        """Masked only when there is something worth hiding (a short partial entry is shown as typed)."""
        masked = masked and len(idnumber.normalise(self._full)) > 10
        self._masked = masked
        self.blockSignals(True)  # the value did not change, only how it is shown
        try:
            super().setText(idnumber.mask_id(self._full) if masked else self._full)
        finally:
            self.blockSignals(False)
        self.setReadOnly(masked)
        self.setToolTip(self.MASKED_TIP if masked else "")
        self.update()

    def reveal(self) -> None:
        """The clerk is about to edit: the full number, cursor at the end."""
        if self._masked:
            self._show(masked=False)
            self.setCursorPosition(len(self._full))

    # --- when the clerk edits -----------------------------------------------------------------

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        self.reveal()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt's name)
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # its own context menu is still editing
            self._show(masked=True)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        self.reveal()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        self.reveal()
        super().keyPressEvent(event)


class ApplicantForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.name = QLineEdit(objectName="applicant-name", placeholderText="申请人姓名或单位名称", maxLength=NAME_MAX)
        self.id_number = IdNumberEdit(objectName="applicant-id", placeholderText="身份证或永居证号码", maxLength=18)
        self.phone = QLineEdit(objectName="applicant-phone", placeholderText="手机或固定电话", maxLength=PHONE_MAX)
        self.delivery = QComboBox(objectName="applicant-delivery")
        for value, label in DELIVERY:
            self.delivery.addItem(label, value)
        self.id_hint = QLabel(" ", objectName="id-hint")
        self.id_hint.setProperty("role", "muted")
        self.name_label = QLabel("申请人", objectName="applicant-name-label")
        self.name_label.setBuddy(self.name)
        grid.addWidget(self.name_label, 0, 0)
        self.name_key = QLabel("", objectName="applicant-name-key")  # the key that focuses the name
        self.name_key.setProperty("role", "muted")
        grid.addWidget(self.name_key, 1, 0)
        grid.addWidget(self.name, 0, 1)
        grid.addWidget(QLabel("身份证号"), 0, 2)
        grid.addWidget(self.id_number, 0, 3)
        grid.addWidget(QLabel("联系电话"), 0, 4)
        grid.addWidget(self.phone, 0, 5)
        grid.addWidget(QLabel("送达方式"), 0, 6)
        grid.addWidget(self.delivery, 0, 7)
        grid.addWidget(self.id_hint, 1, 1, 1, 7)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 3)
        grid.setColumnStretch(5, 2)
        for w in (self.name, self.phone):
            w.textChanged.connect(self._on_change)
        self.id_number.value_changed.connect(self._on_change)
        self.delivery.currentIndexChanged.connect(self._on_change)

    def _on_change(self) -> None:
        self.id_hint.setText(self._hint())
        self.changed.emit()

    def _hint(self) -> str:
        problems = self.problems()
        if not problems:
            return "✔ 身份证号码校验通过"
        return "⚠ " + "；".join(problems)

    def problems(self) -> list[str]:
        """Every reason the applicant's data cannot be stored yet, not only the first."""
        out = []
        if not self.name.text().strip():
            out.append("请填写申请人姓名")
        raw = self.id_number.value()
        if not raw:
            out.append("请填写身份证号码")
        else:
            try:
                idnumber.validate(raw)
            except idnumber.InvalidIdNumber as exc:
                out.append(str(exc))
        phone = self.phone.text().strip()
        if phone and (wrong := idnumber.phone_problem(phone, "联系电话")):  # the hall's own rule, word for word
            out.append(wrong)
        if self.delivery.currentData() == "post" and not phone:
            out.append("邮寄送达须留联系电话")
        return out

    def values(self) -> dict[str, str]:
        return {"applicant_name": self.name.text().strip(),
                "applicant_id": idnumber.normalise(self.id_number.value()),
                "phone": self.phone.text().strip(), "delivery": self.delivery.currentData()}

    def state(self) -> dict[str, str]:
        """What the draft keeps: not the ID number (see ui/clerk/draft.py)."""
        return {"name": self.name.text(), "phone": self.phone.text(), "delivery": self.delivery.currentData()}

    def restore(self, state: dict) -> None:
        self.name.setText(state.get("name", ""))
        self.phone.setText(state.get("phone", ""))
        index = self.delivery.findData(state.get("delivery", "pickup"))
        self.delivery.setCurrentIndex(max(index, 0))

    def fill_from_card(self, name: str, id_number: str) -> None:
        """What a desk card reader read: the name, and the number (shown masked)."""
        self.name.setText(name)
        self.id_number.setText(id_number)

    def clear(self) -> None:
        for w in (self.name, self.id_number, self.phone):
            w.clear()
        self.delivery.setCurrentIndex(0)
        self.id_hint.setText(" ")
