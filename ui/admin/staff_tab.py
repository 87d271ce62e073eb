"""Staff accounts: manager or clerk, active or not, and a new password when one is typed.

Passwords are only ever typed, never shown: the table has no password column, the field is
masked and emptied after every save, and the facade stores a salted hash.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk import Hall
from kiosk.errors import ValidationError
from kiosk.models import Staff
from ui.admin.common import AdminTab, muted_label, new_save_row, record_table, select_row

ROLES = {"manager": "管理员", "clerk": "窗口人员"}
COLUMNS = ("登录名", "姓名", "角色", "状态")


class StaffTab(AdminTab):
    title = "人员账号"

    def __init__(self, hall: Hall, me: Staff, parent: QWidget | None = None) -> None:
        super().__init__(hall, parent)
        self.me = me
        root = QVBoxLayout(self)
        root.addWidget(self.message)
        body = QHBoxLayout()
        root.addLayout(body, 1)
        self.table = record_table(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        body.addWidget(self.table, 3)

        box = QGroupBox("账号")
        form = QFormLayout(box)
        self.f_login, self.f_name = QLineEdit(), QLineEdit()
        self.f_role = QComboBox()
        for key, label in ROLES.items():
            self.f_role.addItem(label, key)
        self.f_password = QLineEdit()
        self.f_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.f_password.setPlaceholderText("新账号必填；已有账号留空则不修改")
        self.f_active = QCheckBox("启用")
        form.addRow("登录名", self.f_login)
        form.addRow("姓名", self.f_name)
        form.addRow("角色", self.f_role)
        form.addRow("新密码", self.f_password)
        form.addRow("", self.f_active)
        form.addRow(muted_label("密码至少6位，只保存加盐散列，任何界面都不显示密码。"))
        form.addRow(new_save_row("新建账号", self.new_account, "保存账号", self.save_account))
        body.addWidget(box, 2)
        self.reload()
        self.new_account()

    def reload(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        for s in self.hall.staff():
            r = self.table.rowCount()
            self.table.insertRow(r)
            for col, text in enumerate((s.login, s.name, ROLES.get(s.role, s.role), "启用" if s.active else "停用")):
                self.table.setItem(r, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        if self.f_login.isReadOnly():  # an account is in the form: keep it highlighted
            select_row(self.table, 0, self.f_login.text())

    def _selected(self) -> None:
        r = self.table.currentRow()
        if r >= 0:
            self.edit_account(self.table.item(r, 0).text())

    def edit_account(self, login: str) -> None:
        s = next(s for s in self.hall.staff() if s.login == login)
        select_row(self.table, 0, login)
        self.f_login.setText(s.login)
        self.f_login.setReadOnly(True)
        self.f_name.setText(s.name)
        self.f_role.setCurrentIndex(self.f_role.findData(s.role))
        self.f_active.setChecked(s.active)
        self.f_password.clear()

    def new_account(self) -> None:
        self.f_login.clear()
        self.f_login.setReadOnly(False)
        self.f_name.clear()
        self.f_role.setCurrentIndex(self.f_role.findData("clerk"))
        self.f_active.setChecked(True)
        self.f_password.clear()

    def save_account(self) -> bool:
        login, name = self.f_login.text().strip(), self.f_name.text().strip()
        role, active = self.f_role.currentData(), self.f_active.isChecked()
        password = self.f_password.text() or None
        new = not self.f_login.isReadOnly()  # 新建账号: a login in use is refused, never taken over

        def save() -> None:
            if login == self.me.login and (role != "manager" or not active):
                raise ValidationError(["不能停用自己的账号或取消自己的管理员角色"], f"账号“{login}”")
            self.hall.save_staff(login, name, role, password, active, new=new)

        self.f_password.clear()  # typed once, never kept in the form, whatever the outcome
        if not self.attempt(save, f"已保存账号“{login}”" + ("，密码已更新" if password else "")):
            return False
        self.reload()
        self.f_login.setReadOnly(True)
        return True
