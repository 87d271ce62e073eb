"""Signing in to the manager console: a staff account with the manager role."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk import Hall
from kiosk.errors import HallError
from kiosk.models import Staff


class ManagerLogin(QDialog):
    def __init__(self, hall: Hall) -> None:
        super().__init__()
        self.hall = hall
        self.staff: Staff | None = None
        self.setWindowTitle("管理后台登录")
        self.setMinimumWidth(420)
        title = QLabel("管理后台登录")
        title.setProperty("role", "title")
        self.login = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("账号", self.login)
        form.addRow("密码", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_login(self) -> None:
        try:
            staff = self.hall.authenticate(self.login.text().strip(), self.password.text())
        except HallError as exc:
            self.message.setText(str(exc))
            return
        if staff.role != "manager":
            self.message.setText("该账号不是管理员，不能进入管理后台")
            return
        self.staff = staff
        self.accept()
