"""Colours, sizes and the style sheet shared by every screen.

Contrast of text on its background is at least 4.5:1 (适老化), and meaning is never carried
by colour alone: every coloured state also has a word or symbol.
"""

from __future__ import annotations

BASE_PT = 14
ELDER_SCALE = 1.4  # elder mode: bigger text and targets
MIN_TARGET_PX = 60  # touch targets, normal mode
ELDER_TARGET_PX = 88

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
