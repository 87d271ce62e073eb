"""Colours, sizes and the style sheet shared by every screen.

Contrast of text on its background is at least 4.5:1 (适老化), and meaning is never carried
by colour alone: every coloured state also has a word or symbol.
"""

from __future__ import annotations

BASE_PT = 14
DESK_PT = BASE_PT - 2  # the desk screens (clerk, manager): read at arm's length, not standing
ELDER_SCALE = 1.4  # elder mode: bigger text and targets
MIN_TARGET_PX = 60  # touch targets, normal mode
ELDER_TARGET_PX = 90

# palette (text/background pairs checked for >= 4.5:1)
PRIMARY = "#0b5cad"  # 政务蓝; white text on it: 6.6:1
PRIMARY_DARK = "#08457f"
ACCENT = "#c8102e"  # 中国红; white on it: 5.9:1
OK = "#1e6b30"  # white on it: 6.9:1
WARN = "#8a5300"  # white on it: 5.9:1
BG = "#f3f6fa"
CARD = "#ffffff"
TEXT = "#1a1a1a"
MUTED = "#4a5563"  # on white: 7.5:1
BORDER = "#c9d3df"
DISPLAY_BG = "#0a1f3d"
DISPLAY_TEXT = "#ffffff"
DISPLAY_NUMBER = "#ffd54a"  # on DISPLAY_BG: 11:1


def stylesheet() -> str:
    return f"""
    QWidget {{ color: {TEXT}; }}
    QMainWindow, QDialog {{ background: {BG}; }}
    QPushButton {{
        background: {PRIMARY}; color: white; border: none; border-radius: 8px;
        padding: 8px 18px; min-height: 40px; font-weight: bold;
    }}
    QPushButton:hover {{ background: {PRIMARY_DARK}; }}
    QPushButton:disabled {{ background: #9aa7b5; color: #ffffff; }}
    QPushButton[role="secondary"] {{ background: {CARD}; color: {PRIMARY}; border: 2px solid {PRIMARY}; }}
    QPushButton[role="danger"] {{ background: {ACCENT}; }}
    QPushButton[role="ok"] {{ background: {OK}; }}
    QPushButton[role="helper"] {{ background: {WARN}; }}
    QLineEdit, QComboBox, QSpinBox, QDateEdit, QPlainTextEdit, QTextEdit {{
        background: white; border: 1px solid {BORDER}; border-radius: 6px; padding: 6px; min-height: 32px;
    }}
{field_buttons()}
    QTableWidget, QTableView, QListWidget {{ background: white; border: 1px solid {BORDER}; }}
    QHeaderView::section {{ background: #e4ebf3; padding: 6px; border: none; font-weight: bold; }}
    QGroupBox {{ border: 1px solid {BORDER}; border-radius: 8px; margin-top: 14px; padding-top: 10px;
                 background: {CARD}; }}
    QGroupBox::title {{ subcontrol-origin: margin; left: 12px; padding: 0 6px; color: {PRIMARY}; font-weight: bold; }}
    QLabel[role="title"] {{ font-size: {BASE_PT + 8}pt; font-weight: bold; color: {PRIMARY}; }}
    QLabel[role="muted"] {{ color: {MUTED}; }}
    QTabBar::tab {{ padding: 10px 18px; min-height: 28px; }}
    QTabBar::tab:selected {{ background: white; color: {PRIMARY}; font-weight: bold; }}
    """


FIELD_BUTTON_BG = "#eef2f7"
FIELD_BUTTON_HOVER = "#dbe6f3"
ARROW_OFF = "#9aa7b5"
_SPINS = ("QSpinBox", "QDoubleSpinBox", "QDateEdit", "QTimeEdit", "QDateTimeEdit")
_CLEAR = "rgba(255, 255, 255, 1)"  # not `transparent`: Qt draws a triangle only between two painted edges


def _each(*parts: str) -> str:
    return ", ".join(f"{w}{part}" for part in parts for w in _SPINS)


def _triangle(pointing: str, half: int, depth: int) -> str:
    """An arrow drawn with borders alone (no image file): two clear sides and one inked side."""
    inked = "border-bottom" if pointing == "up" else "border-top"
    return (f"width: 0px; height: 0px; border-left: {half}px solid {_CLEAR};"
            f" border-right: {half}px solid {_CLEAR}; {inked}: {depth}px solid {TEXT};")


def field_buttons() -> str:
    """The up/down buttons of spin boxes and the drop-down of combo boxes, with visible arrows.

    Once a style sheet gives a spin or combo box its own border, Qt stops drawing the native
    buttons properly (a stray corner mark, half an arrow), so they are styled here as well:
    a light button inside the field's border and a solid triangle, grey when unusable.
    """
    button = f"background: {FIELD_BUTTON_BG}; border-left: 1px solid {BORDER};"
    return f"""
    {_each("::up-button")} {{ subcontrol-origin: padding; subcontrol-position: top right; width: 24px;
        {button} border-bottom: 1px solid {BORDER}; border-top-right-radius: 5px; }}
    {_each("::down-button")} {{ subcontrol-origin: padding; subcontrol-position: bottom right; width: 24px;
        {button} border-bottom-right-radius: 5px; }}
    {_each("::up-button:hover", "::down-button:hover")} {{ background: {FIELD_BUTTON_HOVER}; }}
    {_each("::up-arrow")} {{ {_triangle("up", 5, 6)} }}
    {_each("::down-arrow")} {{ {_triangle("down", 5, 6)} }}
    {_each("::up-arrow:disabled", "::up-arrow:off")} {{ border-bottom-color: {ARROW_OFF}; }}
    {_each("::down-arrow:disabled", "::down-arrow:off")} {{ border-top-color: {ARROW_OFF}; }}
    QComboBox::drop-down, QDateEdit::drop-down, QDateTimeEdit::drop-down {{
        subcontrol-origin: padding; subcontrol-position: top right; width: 26px; {button}
        border-top-right-radius: 5px; border-bottom-right-radius: 5px; }}
    QComboBox::drop-down:hover, QDateEdit::drop-down:hover {{ background: {FIELD_BUTTON_HOVER}; }}
    QComboBox::down-arrow, QDateEdit::down-arrow, QDateTimeEdit::down-arrow {{ {_triangle("down", 6, 7)} }}
    QComboBox::down-arrow:disabled, QDateEdit::down-arrow:disabled {{ border-top-color: {ARROW_OFF}; }}
    """


def tidy_spin_box(box) -> None:  # noqa: ANN001 - any QAbstractSpinBox
    """Keep a spin box's text off its left border.

    With a styled border Qt places the embedded line edit at x = 0 whatever the padding, so
    the first digit touches the frame; a text margin puts it where a QLineEdit's would be.
    """
    box.lineEdit().setTextMargins(6, 0, 0, 0)


def set_role(widget, role: str) -> None:  # noqa: ANN001 - any QWidget
    """Change a widget's style role (a property the style sheet selects on) and restyle it."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()
