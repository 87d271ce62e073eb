"""Signing in at a window: login and password, checked by the hall."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui import theme


class SignInPage(QWidget):
    submitted = Signal(str, str)  # login, password

    def __init__(self, window_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame(objectName="signin-card")
        card.setStyleSheet(f"QFrame#signin-card {{ background: {theme.CARD}; border: 1px solid {theme.BORDER};"
                           " border-radius: 12px; }")
        card.setFixedWidth(520)
        lay = QVBoxLayout(card)
        lay.setContentsMargins(36, 28, 36, 28)
        lay.setSpacing(14)
        title = QLabel("窗口人员签到")
        title.setProperty("role", "title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        where = QLabel(window_title)
        where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        where.setProperty("role", "muted")
        lay.addWidget(title)
        lay.addWidget(where)
        form = QFormLayout()
        form.setSpacing(12)
        self.login = QLineEdit(objectName="signin-login", placeholderText="工号")
        self.password = QLineEdit(objectName="signin-password", placeholderText="密码")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("工号", self.login)
        form.addRow("密码", self.password)
        lay.addLayout(form)
        self.error = QLabel("", objectName="signin-error")
        self.error.setStyleSheet(f"color: {theme.ACCENT};")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        self.button = QPushButton("签到上岗", objectName="signin-button")
        self.button.setMinimumHeight(48)
        lay.addWidget(self.button)
        self.button.clicked.connect(self._submit)
        self.login.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        row = QVBoxLayout()
        row.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(row)
        outer.addStretch(2)

    def _submit(self) -> None:
        self.submitted.emit(self.login.text().strip(), self.password.text())

    def show_error(self, text: str) -> None:
        self.error.setText(f"⚠ {text}" if text else "")
        self.password.clear()
        self.password.setFocus()

    def reset(self) -> None:
        self.error.setText("")
        self.password.clear()
