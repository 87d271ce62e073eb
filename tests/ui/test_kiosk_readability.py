"""适老化 on every kiosk screen in every mode (portrait/landscape × normal/elder × zh/en): each
text a citizen sees keeps a contrast of at least 4.5:1 against what is behind it, each button a
finger can press is at least 60 px (90 px in elder mode), elder text is at least 36 px, and a
list's scroll bar is a touch target too.

Colours are read from each widget's palette after the style sheet has polished it; a checked
button's colours come from the style sheet's :checked rule, which the palette does not carry, so
those are measured on the button as drawn. Counts are printed (`pytest -s`) for the report.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QFontInfo, QPalette  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollBar, QWidget  # noqa: E402
from test_kiosk_layout import LOOKS, MATTER, ctx, make_kiosk, scenes  # noqa: E402, F401

from ui.kiosk import KioskWindow  # noqa: E402
from ui.kiosk.widgets import KioskButton  # noqa: E402

MIN_CONTRAST = 4.5
ELDER_MIN_PX = 36
COUNTS: dict[str, Counter] = {}


def luminance(c: QColor) -> float:
    """WCAG 2.x relative luminance."""
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _group(w: QWidget) -> QPalette.ColorGroup:
    return QPalette.ColorGroup.Active if w.isEnabled() else QPalette.ColorGroup.Disabled


def _over(top: QColor, under: QColor) -> QColor:
    a = top.alphaF()
    return QColor(*(round(getattr(top, ch)() * a + getattr(under, ch)() * (1 - a)) for ch in ("red", "green", "blue")))


def background(w: QWidget) -> QColor:
    """What is drawn behind `w`: its own style-sheet background, else the nearest ancestor's."""
    node: QWidget | None = w
    pending: list[QColor] = []  # translucent layers (the scrim) over what lies below
    while node is not None:
        c = QColor(0, 0, 0, 0)
        brush = None
        if isinstance(node, QAbstractButton):
            brush = node.palette().brush(_group(node), QPalette.ColorRole.Button)
        elif node.testAttribute(Qt.WidgetAttribute.WA_StyledBackground) or node.autoFillBackground() \
                or node.isWindow():  # a window is always filled with its palette's background
            brush = node.palette().brush(_group(node), node.backgroundRole())
        if brush is not None and brush.style() != Qt.BrushStyle.NoBrush:  # "transparent" is no brush
            c = brush.color()
        if c.alpha() == 255:
            for layer in reversed(pending):
                c = _over(layer, c)
            return c
        if c.alpha() > 0:
            pending.append(c)
        node = node.parentWidget()
    return QColor("white")


def drawn_colours(b: QAbstractButton) -> tuple[QColor, QColor]:
    """(text, background) of a button as drawn: the background just inside its border, the text
    the pixel of the middle band that stands out most from it (a glyph's solid stroke)."""
    img = b.grab().toImage()
    h, w = img.height(), img.width()
    bg = img.pixelColor(max(4, min(8, w // 10)), h // 2)
    best, best_ratio = bg, 1.0
    for y in range(h // 4, 3 * h // 4, 2):
        for x in range(8, w - 8, 2):
            c = img.pixelColor(x, y)
            r = contrast(c, bg)
            if r > best_ratio:
                best, best_ratio = c, r
    return best, bg


def check_screen(w: KioskWindow, where: str, counts: Counter) -> list[str]:
    """Every visible text and button of what the citizen sees now (the kiosk and its dialogs)."""
    roots = [w] + [d for d in (w.pin_dialog, w.reprint_dialog) if d is not None and d.isVisible()]
    return check_tree(roots, where, counts, w.look.min_target, w.look.elder)


def check_tree(roots: list[QWidget], where: str, counts: Counter, minimum: int | None,
               elder: bool = False) -> list[str]:
    """Every visible text under `roots` keeps MIN_CONTRAST; every enabled button (and a list's
    scroll bar) is at least `minimum` px (None: a desk screen worked with a mouse, no size rule);
    in elder mode every text outside the header is at least ELDER_MIN_PX."""
    for _ in range(3):
        QApplication.processEvents()
    found: list[str] = []
    for root in roots:
        widgets = [root, *root.findChildren(QWidget)]
        for x in widgets:
            if not x.isVisible():
                continue
            x.ensurePolished()
            in_header = any(p.objectName() == "header" for p in _ancestors(x))
            if minimum and isinstance(x, QScrollBar) and x.orientation() == Qt.Orientation.Vertical \
                    and x.maximum() > 0:
                counts["scroll bars"] += 1
                if x.width() < minimum:
                    found.append(f"{where}: a scroll bar {x.width()} px wide (< {minimum})")
            text = x.shown_text() if isinstance(x, KioskButton) else x.text() if isinstance(x, QLabel | QAbstractButton) \
                else ""
            if minimum and isinstance(x, QAbstractButton) and x.isEnabled():
                counts["buttons"] += 1
                if min(x.width(), x.height()) < minimum:
                    found.append(f"{where}: button {text!r} is {x.width()}x{x.height()} (< {minimum})")
            if not text.strip() or not isinstance(x, QLabel | QAbstractButton):
                continue
            counts["texts"] += 1
            if isinstance(x, QAbstractButton) and x.isChecked():
                fg, bg = drawn_colours(x)
            else:
                fg, bg = x.palette().color(_group(x), x.foregroundRole()), background(x)
            ratio = contrast(fg, bg)
            if ratio < MIN_CONTRAST:
                found.append(f"{where}: {text[:30]!r} {fg.name()} on {bg.name()} is {ratio:.2f}:1")
            if elder and not in_header:
                px = QFontInfo(x.font()).pixelSize()
                if px < ELDER_MIN_PX:
                    found.append(f"{where}: {text[:30]!r} is {px} px (< {ELDER_MIN_PX})")
    return found


def _ancestors(w: QWidget):
    p = w.parentWidget()
    while p is not None:
        yield p
        p = p.parentWidget()


def more_scenes(w: KioskWindow, ctx):  # noqa: F811 - the fixture's value
    """The states the layout test does not visit: answers given, the letter keys asked for, a
    booking found, the helper's notice and the manager's PIN."""
    hall = ctx.hall
    to_bring = hall.checklist(MATTER).to_bring

    def answered() -> None:
        w.reset_to_home()
        w.choose_matter(MATTER)
        for m in to_bring:
            w.tick(m.id, m.id != to_bring[0].id)

    def keys() -> None:
        w.reset_to_home()
        w.choose_category("A")
        if w.screens["matters"].pinyin_button is not None:
            w.screens["matters"].toggle_keyboard()

    def pin() -> None:
        w.reset_to_home()
        w.request_exit()

    def close_pin() -> None:
        if w.pin_dialog is not None:
            w.pin_dialog.reject()

    return [("checklist, answered", answered), ("matters, keys", keys),
            ("helper", lambda: (w.reset_to_home(), w.call_helper())),
            ("pin", pin), ("after pin", close_pin)]


@pytest.mark.parametrize(("orientation", "elder", "lang"), LOOKS)
def test_every_text_is_legible_and_every_button_big_enough(qtbot, ctx, orientation, elder, lang):  # noqa: F811
    w = make_kiosk(qtbot, ctx, orientation, elder, lang)
    counts: Counter = Counter()
    found: list[str] = []
    for name, act in [*scenes(w, ctx), *more_scenes(w, ctx)]:
        act()
        found += check_screen(w, name, counts)
        counts["screens"] += 1
    mode = f"{orientation}/{'elder' if elder else 'normal'}/{lang}"
    print(f"\n{mode}: {counts['screens']} screens, {counts['texts']} texts checked for contrast, "
          f"{counts['buttons']} buttons checked for size, {counts['scroll bars']} scroll bars")
    assert counts["texts"] > 200 and counts["buttons"] > 100
    assert not found, "\n".join(dict.fromkeys(found))


def test_a_disabled_button_is_grey_not_a_shade_of_the_main_action(qtbot, ctx):  # noqa: F811
    from ui import theme
    from ui.kiosk.look import DISABLED_BG

    w = make_kiosk(qtbot, ctx, "portrait", False, "zh")
    w.choose_matter(MATTER)
    w.set_printer_state(False, "打印机缺纸")
    take = w.screens["checklist"].take_button
    take.ensurePolished()
    assert not take.isEnabled()
    assert background(take).name() == DISABLED_BG
    assert contrast(take.palette().color(QPalette.ColorGroup.Disabled, take.foregroundRole()), background(take)) >= 4.5
    w.set_printer_state(True, "")
    assert take.isEnabled() and background(take).name() == theme.OK
