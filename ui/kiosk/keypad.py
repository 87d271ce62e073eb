"""On-screen keypads: the kiosk has no physical keyboard, so every entry is typed here.

Letters are in alphabetical order rather than QWERTY: many older citizens have never used a
keyboard, but they know the alphabet from pinyin lessons.
"""

from __future__ import annotations

import string

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.i18n import tr
from ui.kiosk.look import Look
from ui.kiosk.widgets import button, label

DIGITS = "digits"
LETTERS = "letters"
ALNUM = "alnum"
BACKSPACE = "⌫"  # the key's name; it is drawn as "← 删除" (the WenQuanYi fonts have no ⌫ glyph)
CLEAR = "clear"


def _keys(mode: str, columns: int = 3) -> list[str]:
    if mode == DIGITS:
        if columns != 3:  # a wide keypad: the digits in order, then the two editing keys
            return list("1234567890") + [CLEAR, BACKSPACE]
        return list("123456789") + [CLEAR, "0", BACKSPACE]
    if mode == LETTERS:
        return list(string.ascii_uppercase) + [CLEAR, BACKSPACE]
    return list("1234567890") + list(string.ascii_uppercase) + [CLEAR, BACKSPACE]


class Keypad(QWidget):
    """A grid of big keys; `pressed(key)` carries a character, BACKSPACE or CLEAR."""

    pressed = Signal(str)

    def __init__(self, mode: str, look: Look, columns: int | None = None, parent: QWidget | None = None,
                 key_height: int | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        if columns is None:
            columns = 3 if mode == DIGITS else (7 if look.portrait else 10)
        if key_height is None:  # landscape elder: the rows of keys must fit above the footer
            key_height = 64 if look.elder and not look.portrait else 84 if mode == DIGITS else 76
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(round(10 * look.scale))
        self.buttons: dict[str, object] = {}
        keys = _keys(mode, columns)
        for i, key in enumerate(keys):
            text = tr("清空", look.lang) if key == CLEAR else "← " + tr("删除", look.lang) if key == BACKSPACE else key
            role = "secondary" if key in (CLEAR, BACKSPACE) else "toggle"
            b = button(text, look, role=role, size="edit" if key in (CLEAR, BACKSPACE) else "key",
                       height=key_height)
            b.clicked.connect(lambda _=False, k=key: self.pressed.emit(k))
            self.buttons[key] = b
            row, col = divmod(i, columns)
            span = 1
            if key == BACKSPACE and (mode != DIGITS or columns != 3):
                span = max(1, columns - col)  # the last key takes the rest of the row
            grid.addWidget(b, row, col, 1, span)


class KeyEntry(QWidget):
    """An entry line and its keypad. `changed(text)` on every key; `text` is the value.

    `secret` shows dots (the manager's PIN); `max_length` stops typing beyond what is valid.
    """

    changed = Signal(str)

    def __init__(self, mode: str, look: Look, *, placeholder: str = "", max_length: int = 32,
                 secret: bool = False, columns: int | None = None, parent: QWidget | None = None,
                 key_height: int | None = None, display_height: int = 84) -> None:
        super().__init__(parent)
        self.look = look
        self.placeholder = placeholder
        self.max_length = max_length
        self.secret = secret
        self._text = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(round(14 * look.scale))
        self.display: QLabel = label("", "entry", wrap=False)
        self.display.setFixedHeight(look.target(display_height))  # a line of text, however tall its column
        self.display.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.display.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        # the placeholder's quieter look, by a property: a style sheet set on every key (and on
        # every reset) made Qt parse and polish the display afresh each time
        self.display.setStyleSheet('QLabel[placeholder="true"] { color: #4a5563; font-weight: normal; }')
        self.top = QHBoxLayout()  # the display's row: a screen may put its button beside it
        self.top.setSpacing(round(14 * look.scale))
        self.top.addWidget(self.display, 1)
        lay.addLayout(self.top)
        self.keypad = Keypad(mode, look, columns, key_height=key_height)
        self.keypad.pressed.connect(self._key)
        lay.addWidget(self.keypad)
        self._show()

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text[: self.max_length]
        self._show()
        self.changed.emit(self._text)

    def clear(self) -> None:
        self.set_text("")

    def type(self, chars: str) -> None:
        """Press keys one after another, as a finger would (tests and the scanner use it)."""
        for ch in chars:
            self._key(ch.upper())

    def _key(self, key: str) -> None:
        if key == CLEAR:
            self.set_text("")
        elif key == BACKSPACE:
            self.set_text(self._text[:-1])
        elif len(self._text) < self.max_length:
            self.set_text(self._text + key)

    def _show(self) -> None:
        shown = ("●" * len(self._text) if self.secret else self._text) if self._text else self.placeholder
        if self.display.text() != shown:
            self.display.setText(shown)
        placeholder = not self._text
        if self.display.property("placeholder") != placeholder:
            self.display.setProperty("placeholder", placeholder)
            self.display.style().unpolish(self.display)
            self.display.style().polish(self.display)
