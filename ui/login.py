"""Signing in to the manager console: a staff account with the manager role.

A hall file starts without any account, and its first manager account is made on the command
line (`staff add`), never here. On such a hall every try used to be refused as a wrong
password, which sent the manager looking for a password that does not exist; the dialog says
instead that there is no manager account yet and which command makes one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk import Hall
from kiosk.errors import AuthError, HallError
from kiosk.models import Staff

FIRST_MANAGER_COMMAND = "python main.py staff add --db 大厅数据库 --role manager --login 登录名 --name 姓名"


def no_manager_words(hall: Hall) -> str:
    """What the dialog says on a hall without a manager account: where to run the command that
    makes the first one (the hall server's PC for a networked console, since the file is there)."""
    if getattr(hall, "remote", False):
        where = "大厅服务器上还没有管理员账号，暂时无法登录。\n请在大厅服务器所在的电脑上运行下面的命令"
        path = ""
    else:
        where = "本大厅还没有管理员账号，暂时无法登录。\n请在本机的命令行中运行下面的命令"
        path = f"\n本机的大厅数据库：{hall.location()}" if hall.location() else ""
    return (f"{where}，创建第一个管理员账号（运行时会询问密码），然后在这里用它登录：\n"
            f"{FIRST_MANAGER_COMMAND}{path}")


class ManagerLogin(QDialog):
    """The manager's login: before the console opens, and on the open console again when the hall
    server no longer takes it for a manager (`parent` is then the console)."""

    def __init__(self, hall: Hall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        # the command is copied from here into a command line
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
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
        self.no_manager = False
        if self._hall_has_no_manager():
            self.message.setText(no_manager_words(hall))
            # wide enough for the command on one line: broken after a "--" it reads as two
            command_px = self.message.fontMetrics().horizontalAdvance(FIRST_MANAGER_COMMAND)
            self.setMinimumWidth(max(self.minimumWidth(), command_px + 48))

    def _hall_has_no_manager(self) -> bool:
        """Whether the hall has no active manager account now. Asked when the dialog opens and again after a refused try, so an account made
        meanwhile (the dialog left open while someone runs the command) is signed in to without
        opening the console again."""
        try:
            self.no_manager = not self.hall.has_manager_account()
        except HallError:  # the server gone for a moment: a try says what is wrong in its own words
            self.no_manager = False
        return self.no_manager

    def try_login(self) -> None:
        try:
            staff = self.hall.authenticate(self.login.text().strip(), self.password.text())
        except HallError as exc:
            no_manager = isinstance(exc, AuthError) and self._hall_has_no_manager()
            self.message.setText(no_manager_words(self.hall) if no_manager else str(exc))
            return
        if staff.role != "manager":
            refusal = "该账号不是管理员，不能进入管理后台"
            if self._hall_has_no_manager():
                refusal += "。\n" + no_manager_words(self.hall)
            self.message.setText(refusal)
            return
        self.staff = staff
        self.accept()
