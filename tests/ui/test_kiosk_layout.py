"""The kiosk's screens fit their screen: in portrait and landscape, normal and elder mode, Chinese
and English, every primary action is in view without scrolling the page, only lists scroll
(with the wide bar), the helper's overlay covers the whole window, and no text on a button or
label needs a glyph the kiosk's font (WenQuanYi Micro Hei) does not have."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtGui import QFontMetrics, QRawFont  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget  # noqa: E402

from devices.events import IDCARD, CardRead  # noqa: E402
from devices.idcard.card import CardType, IdCard  # noqa: E402
from kiosk.idnumber import check_digit  # noqa: E402
from kiosk.models import MaterialCheck, MaterialStatus  # noqa: E402
from ui.context import TerminalContext  # noqa: E402
from ui.kiosk import KioskWindow  # noqa: E402
from ui.kiosk.look import LANDSCAPE, PORTRAIT  # noqa: E402
from ui.kiosk.widgets import KioskButton  # noqa: E402

MATTER = "330106-A-001"
ID_NUMBER = "33010619800512123" + check_digit("33010619800512123")
LOOKS = [(o, e, lang) for o in (PORTRAIT, LANDSCAPE) for e in (False, True) for lang in ("zh", "en")]


@pytest.fixture
def ctx(kiosk_ctx):
    return kiosk_ctx


def make_kiosk(qtbot, ctx, orientation: str, elder: bool, lang: str) -> KioskWindow:
    w = KioskWindow(ctx, orientation, lang, elder, poll_printer=False)
    qtbot.addWidget(w)
    w.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.show()
    return w


def card() -> IdCard:
    return IdCard(card_type=CardType.RESIDENT, name="张三丰", gender_code="1", birth_date=dt.date(1980, 5, 12),
                  id_number=ID_NUMBER, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2040, 1, 1))


def _in_list(w: QWidget) -> bool:
    """Inside a list that scrolls on purpose (matters, materials), not the page itself."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.property("list"):
            return True
        parent = parent.parentWidget()
    return False


def problems(w: KioskWindow) -> list[str]:
    """What does not fit on the current screen: a page that scrolls, a button out of view."""
    for _ in range(int(os.environ.get("SETTLE", "3"))):
        QApplication.processEvents()
    found = []
    screen = w.screen()
    bar = screen.page_area.verticalScrollBar()
    if bar.maximum() > 0:
        found.append(f"{w.current}: the page scrolls by {bar.maximum()} px")
    window = QRect(QPoint(0, 0), w.size())
    for b in w.findChildren(QAbstractButton):
        if not b.isVisible() or _in_list(b):
            continue
        rect = QRect(b.mapTo(w, QPoint(0, 0)), b.size())
        if not window.contains(rect):
            found.append(f"{w.current}: {b.text()!r} at {rect.getRect()} is not fully in view")
        if isinstance(b, KioskButton) and b.text():
            need = QFontMetrics(b.font()).size(0, b.shown_text())
            if need.width() > b.text_width() + 8 or need.height() > b.height():
                found.append(f"{w.current}: {b.text()!r} needs {need.width()}x{need.height()} px,"
                             f" the button gives {b.text_width() + 8}x{b.height()}")
    return found


def scenes(w: KioskWindow, ctx: TerminalContext):
    """Each screen in the states a citizen meets, as (name, action)."""
    hall = ctx.hall
    checklist = hall.checklist(MATTER)
    checks = tuple(MaterialCheck(i.material.id, i.material.name, MaterialStatus.RECEIVED) for i in checklist.items)
    application = hall.accept(matter_code=MATTER, checks=checks, applicant_name="张三丰", applicant_id=ID_NUMBER)

    def ticket(failed: bool):
        def act():
            w.choose_matter(MATTER)
            for i in (1, 2, 3):
                w.tick(i, True)
            w.to_identity()
            w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
            t = hall.issue_ticket(matter_code=MATTER)
            w.session.ticket = t
            w.go("ticket", remember=False)
            if failed:
                w.screens["ticket"].show_print_failed(t.number, "打印机缺纸，请装入打印纸")
            else:
                w.screens["ticket"].show_printed()
        return act

    return [
        ("home", lambda: w.reset_to_home()),
        ("home, printer out", lambda: (w.reset_to_home(), w.set_printer_state(False, "打印机缺纸，请装入打印纸"))),
        ("checklist, printer out", lambda: (w.reset_to_home(), w.choose_matter(MATTER),
                                            w.answer("委托代理人办理的", True))),
        ("identity, printer out", lambda: (w.reset_to_home(), w.choose_matter(MATTER), w.to_identity(),
                                           w.screens["identity"]._show_phone(), w.set_green(True))),
        ("printer back", lambda: (w.set_printer_state(True, ""), w.reset_to_home())),
        ("matters", lambda: (w.reset_to_home(), w.choose_category("A"), w.search("GTGS"))),
        ("guide", lambda: (w.reset_to_home(), w.open_guide())),
        ("checklist", lambda: (w.reset_to_home(), w.choose_matter(MATTER), w.tick(1, True))),
        ("checklist, agent", lambda: (w.reset_to_home(), w.choose_matter(MATTER), w.answer("委托代理人办理的", True))),
        ("identity", lambda: (w.reset_to_home(), w.choose_matter(MATTER), w.to_identity(),
                              w.on_device_event(CardRead(card(), device=IDCARD, url="sim://")))),
        ("identity, phone", lambda: (w.reset_to_home(), w.choose_matter(MATTER), w.to_identity(),
                                     w.screens["identity"]._show_phone(), w.set_green(True))),
        ("ticket", ticket(False)),
        ("ticket, print failed", ticket(True)),
        ("checkin, error", lambda: (w.reset_to_home(), w.go("checkin"), w.check_in("YY2026"))),
        ("progress, unknown", lambda: (w.reset_to_home(), w.look_up_progress("330106202611250001"))),
        ("progress, found", lambda: (w.reset_to_home(), w.look_up_progress(application.number))),
    ]


@pytest.mark.parametrize(("orientation", "elder", "lang"), LOOKS)
def test_every_screen_fits_without_scrolling_the_page(qtbot, ctx, orientation, elder, lang):
    w = make_kiosk(qtbot, ctx, orientation, elder, lang)
    found = []
    for name, act in scenes(w, ctx):
        act()
        found += [f"[{name}] {p}" for p in problems(w)]
    assert not found, "\n".join(found)


# --- glyphs ---------------------------------------------------------------------------------


def _font_has():
    """A test for 'the kiosk's font draws this character' (glyph 0 is the font's empty box)."""
    from printing.fonts import cjk_font_path, fallback_font_path

    main = QRawFont(str(cjk_font_path()), 20)
    zen = fallback_font_path()
    fallback = QRawFont(str(zen), 20) if zen else None

    def has(ch: str) -> bool:
        if ch.isspace() or ch == "\u2060":  # the word joiner is never drawn (unbroken() glues with it)
            return True
        if main.glyphIndexesForString(ch)[0] != 0:
            return True
        # a rare hanzi in a catalog name may come from Zen Hei; a symbol the kiosk chose may not
        return "\u3400" <= ch <= "\u9fff" and fallback is not None and fallback.glyphIndexesForString(ch)[0] != 0

    return has


def _shown_texts(w: KioskWindow) -> list[str]:
    texts = [lb.text() for lb in w.findChildren(QLabel) if lb.isVisible()]
    for b in w.findChildren(QAbstractButton):
        if b.isVisible():
            texts.append(b.shown_text() if isinstance(b, KioskButton) else b.text())
    return texts


@pytest.mark.parametrize(("orientation", "elder", "lang"), [(PORTRAIT, True, "zh"), (LANDSCAPE, False, "en")])
def test_no_text_on_screen_needs_a_glyph_the_font_lacks(qtbot, ctx, orientation, elder, lang):
    has = _font_has()
    w = make_kiosk(qtbot, ctx, orientation, elder, lang)
    missing: set[str] = set()
    for _name, act in scenes(w, ctx):
        act()
        for text in _shown_texts(w):
            missing |= {f"U+{ord(ch):04X} {ch} in {text!r}" for ch in text if not has(ch)}
    w.reset_to_home()
    w.call_helper()
    missing |= {f"U+{ord(ch):04X} {ch}" for text in _shown_texts(w) for ch in text if not has(ch)}
    assert not missing, "\n".join(sorted(missing))


def test_every_symbol_in_the_kiosk_source_is_in_the_font():
    """Symbols written into the screens' code (ticks, arrows, warning signs) exist in Micro Hei."""
    has = _font_has()
    root = Path(__file__).resolve().parents[2] / "ui" / "kiosk"
    symbols = {ch for p in root.glob("*.py") for ch in p.read_text(encoding="utf-8")
               if ord(ch) > 0x7F and not ("\u3400" <= ch <= "\u9fff")}
    symbols.discard("⌫")  # the backspace key's internal name, drawn as "← 删除"
    assert not {f"U+{ord(ch):04X} {ch}" for ch in symbols if not has(ch)}


# --- the helper's overlay --------------------------------------------------------------------


@pytest.mark.parametrize("orientation", [PORTRAIT, LANDSCAPE])
def test_the_helper_overlay_covers_the_whole_window_and_follows_a_resize(qtbot, ctx, orientation):
    w = make_kiosk(qtbot, ctx, orientation, True, "zh")
    w.choose_category("A")
    w.reset_to_home()  # a frame just rebuilt, not laid out yet: the case the screenshots met
    w.call_helper()
    QApplication.processEvents()  # the rebuilt frame is shown on the next turn of the event loop
    assert w.notice.isVisible()
    assert w.notice.mapTo(w, QPoint(0, 0)) == QPoint(0, 0) and w.notice.size() == w.size()
    w.resize(1366, 768)
    for _ in range(3):
        QApplication.processEvents()
    assert w.notice.size() == w.size() == w.notice.parentWidget().size()
    box = w.notice.findChild(QWidget, "notice")
    assert QRect(QPoint(0, 0), w.notice.size()).contains(QRect(box.mapTo(w.notice, QPoint(0, 0)), box.size()))
    assert w.notice.text.height() >= w.notice.text.heightForWidth(w.notice.text.width())  # the message is whole


def test_every_card_reader_failure_reads_in_english() -> None:
    from devices.idcard.protocol import SW3_MESSAGES
    from devices.idcard.session import ReaderChecksumError, ReaderTimeout
    from ui.kiosk.strings import say_error

    messages = [*SW3_MESSAGES.values(), str(ReaderChecksumError()), str(ReaderTimeout()), "读卡器应答格式错误"]
    for text in messages:
        english = say_error(text, "en")
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in english), (text, english)


def test_the_matters_facts_break_between_their_parts_never_inside_one(qtbot):
    """承诺1个工作日办结 in a narrow column: lines end at " · ", never between 工作 and 日."""
    from PySide6.QtGui import QFont, QTextLayout, QTextOption

    from ui.kiosk.widgets import unbroken

    parts = ["杭州市西湖区市场监督管理局", "承诺1个工作日办结", "不收费"]
    text = " · ".join(unbroken(p) for p in parts)
    font = QFont()
    font.setPixelSize(36)
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(560)  # narrower than the whole, wider than each part
        lines.append(text[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    assert len(lines) > 1
    words = [w.replace("\u2060", "") for line in lines for w in line.strip(" ·").split(" · ")]
    assert words == parts
