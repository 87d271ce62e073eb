"""Sizes and the kiosk's own style sheet, derived from one `Look` (language, elder mode, orientation).

A kiosk is read standing, at arm's length, often by someone without their glasses: every
size here is larger than the desk screens' theme, and elder mode scales it again by
ui.theme.ELDER_SCALE. Sizes live in one place so a test can check the targets against them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ui import theme

PORTRAIT = "portrait"
LANDSCAPE = "landscape"
SIZES = {PORTRAIT: (1080, 1920), LANDSCAPE: (1920, 1080)}
ELDER_MIN_PT = 27  # 36 px at 96 dpi: the smallest text elder mode shows
DISABLED_BG = "#d5dbe3"  # a button that cannot be pressed: grey, never a shade of the main action
DISABLED_TEXT = "#2b333d"  # on DISABLED_BG: 9:1
NO_CHOSEN = "#4a5563"  # 没带 once chosen: quiet grey, white text 7.5:1


@dataclass(frozen=True)
class Look:
    """How the kiosk is drawn right now; screens are rebuilt when it changes."""

    lang: str = "zh"
    elder: bool = False
    orientation: str = PORTRAIT

    @property
    def scale(self) -> float:
        return theme.ELDER_SCALE if self.elder else 1.0

    @property
    def portrait(self) -> bool:
        return self.orientation == PORTRAIT

    def pt(self, base: float) -> int:
        """A font size in points; elder mode never goes below ELDER_MIN_PT (36 px at the kiosk's
        96 dpi) for any text on a screen (适老化)."""
        return max(ELDER_MIN_PT if self.elder else 0, round(base * self.scale))

    @property
    def min_target(self) -> int:
        """The smallest touch target allowed on this look."""
        return theme.ELDER_TARGET_PX if self.elder else theme.MIN_TARGET_PX

    def target(self, base: int) -> int:
        """A button height: `base` scaled, never under the minimum for this look."""
        return max(self.min_target, round(base * self.scale))

    @property
    def body_pt(self) -> int:
        return self.pt(18)

    @property
    def margin(self) -> int:
        return round((32 if self.portrait else 40) * self.scale)

    @property
    def gap(self) -> int:
        return round(20 * self.scale)

    @property
    def scrollbar(self) -> int:
        """Width of a list's scroll bar: a touch target like any other, so a finger can drag it."""
        return self.min_target


def stylesheet(look: Look) -> str:
    """The kiosk's style sheet; colours from ui.theme, sizes from the look."""
    p = look.pt

    tone_pad = 10 if look.elder else 14  # elder text is big enough; the height goes to it

    def hp(base: float) -> int:  # the header grows less: the hall name must fit one line at 1080 px
        return round(base * min(look.scale, 1.15))

    return f"""
    QWidget#kioskRoot {{ background: {theme.BG}; }}
    QWidget {{ font-size: {look.body_pt}pt; }}
    QFrame#header {{ background: {theme.PRIMARY}; }}
    QFrame#header QLabel {{ color: white; background: transparent; }}
    QLabel#hallName {{ font-size: {hp(24)}pt; font-weight: bold; }}
    QLabel#clock {{ font-size: {hp(22)}pt; font-weight: bold; }}
    QLabel#date {{ font-size: {hp(15)}pt; }}
    QFrame#footer {{ background: white; border-top: 1px solid {theme.BORDER}; }}
    QFrame[card="true"] {{ background: {theme.CARD}; border: 1px solid {theme.BORDER}; border-radius: 14px; }}
    QFrame[card="true"] QLabel {{ background: transparent; }}
    QLabel[role="h1"] {{ font-size: {p(30)}pt; font-weight: bold; color: {theme.PRIMARY_DARK}; }}
    QLabel[role="h2"] {{ font-size: {p(22)}pt; font-weight: bold; color: {theme.TEXT}; }}
    QLabel[role="body"] {{ font-size: {look.body_pt}pt; color: {theme.TEXT}; }}
    QLabel[role="item"] {{ font-size: {p(20 if look.portrait else 19)}pt; font-weight: bold; color: {theme.TEXT}; }}
    QLabel[role="muted"] {{ font-size: {p(16)}pt; color: {theme.MUTED}; }}
    QLabel[role="number"] {{ font-size: {p(150 if look.portrait else 110)}pt; font-weight: bold; color: {theme.PRIMARY_DARK}; }}
    QLabel[role="entry"] {{ font-size: {p(30)}pt; font-weight: bold; background: white;
        border: 2px solid {theme.PRIMARY}; border-radius: 10px; padding: 8px 16px; color: {theme.TEXT}; }}
    QLabel[tone="ok"] {{ background: #e6f2e8; color: {theme.OK}; border: 2px solid {theme.OK};
        border-radius: 10px; padding: {tone_pad}px; font-weight: bold; }}
    QLabel[tone="warn"] {{ background: #fff4e0; color: {theme.WARN}; border: 2px solid {theme.WARN};
        border-radius: 10px; padding: {tone_pad}px; font-weight: bold; }}
    QLabel[tone="bad"] {{ background: #fdecee; color: {theme.ACCENT}; border: 2px solid {theme.ACCENT};
        border-radius: 10px; padding: {tone_pad}px; font-weight: bold; }}
    QLabel[tone="info"] {{ background: #e8f0fa; color: {theme.PRIMARY_DARK}; border: 2px solid {theme.PRIMARY};
        border-radius: 10px; padding: {tone_pad}px; }}
    QPushButton {{ font-size: {p(22)}pt; border-radius: 12px; padding: 8px 16px; }}
    QPushButton[sizeRole="tile"] {{ font-size: {p(26 if look.portrait and look.lang == "zh" else 22)}pt;
        text-align: center; }}
    QPushButton[sizeRole="key"] {{ font-size: {p(26)}pt; padding: 0; }}
    QPushButton[sizeRole="small"] {{ font-size: {p(18)}pt; }}
    QPushButton[sizeRole="edit"] {{ font-size: {p(17)}pt; padding: 0; }}
    QPushButton[sizeRole="row"] {{ text-align: left; padding: 10px 24px; }}
    QPushButton[sizeRole="row"] QLabel {{ background: transparent; }}
    QLabel[role="rowTitle"] {{ font-size: {p(22)}pt; font-weight: bold; color: {theme.PRIMARY_DARK}; }}
    QLabel[role="rowSub"] {{ font-size: {p(16)}pt; color: {theme.MUTED}; }}
    QLabel[role="rowArrow"] {{ font-size: {p(30)}pt; color: {theme.PRIMARY}; }}
    QLabel[role="ticketState"] {{ font-size: {p(22)}pt; }}
    QLabel[role="tileName"] {{ font-size: {p(28 if look.lang == "zh" else 21)}pt; font-weight: bold; color: white; }}
    QLabel[role="tileSub"] {{ font-size: {p(17)}pt; color: white; }}
    QLabel[role="tileBadge"] {{ font-size: {p(28)}pt; font-weight: bold; }}
    QPushButton[role="secondary"] {{ background: white; color: {theme.PRIMARY}; border: 2px solid {theme.PRIMARY}; }}
    QPushButton[role="secondary"]:checked {{ background: {theme.PRIMARY}; color: white; }}
    QPushButton[role="toggle"] {{ background: white; color: {theme.TEXT}; border: 2px solid {theme.BORDER}; }}
    QPushButton[role="toggle"]:checked {{ background: {theme.OK}; color: white; border: 2px solid {theme.OK}; }}
    QPushButton[role="helper"] {{ background: {theme.WARN}; color: white; }}
    QPushButton[role="ok"] {{ background: {theme.OK}; color: white; }}
    QPushButton[role="danger"] {{ background: {theme.ACCENT}; color: white; }}
    QPushButton[role="toggleNo"] {{ background: white; color: {theme.TEXT}; border: 2px solid {theme.BORDER}; }}
    QPushButton[role="toggleNo"]:checked {{ background: {NO_CHOSEN}; color: white; border: 2px solid {NO_CHOSEN}; }}
    QPushButton:disabled, QPushButton[role="ok"]:disabled, QPushButton[role="secondary"]:disabled,
    QPushButton[role="helper"]:disabled, QPushButton[role="danger"]:disabled, QPushButton[role="toggle"]:disabled,
    QPushButton[role="toggleNo"]:disabled {{ background: {DISABLED_BG}; color: {DISABLED_TEXT};
        border: 2px dashed #8a96a5; }}
    QPushButton#headerToggle {{ background: transparent; color: white; border: 2px solid white;
        font-size: {p(18)}pt; }}
    QScrollArea {{ background: transparent; border: none; }}
    QScrollBar:vertical {{ background: #dfe6ee; width: {look.scrollbar}px; margin: 0; border: none;
        border-radius: {look.scrollbar // 2}px; }}
    QScrollBar::handle:vertical {{ background: {theme.PRIMARY}; min-height: {look.min_target}px;
        border-radius: {look.scrollbar // 2}px; border: 3px solid #dfe6ee; }}
    QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0px; border: none; background: none; }}
    QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
    QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QFrame#notice {{ background: white; border: 4px solid {theme.WARN}; border-radius: 18px; }}
    QFrame#scrim {{ background: rgba(10, 31, 61, 150); }}
    """
