"""What the kiosk does to keep its GUI thread's work per touch small must not change what it shows
or how it behaves: labels answer from what they remember exactly as Qt would answer afresh,
buttons keep their touch height once the style sheet has had its say, small buttons drawn from
their kept bevel look as Qt draws them, the idle watcher looks away from the events a touch
leads to but sees the next touch (and every touch during the countdown), and the window paints
no background of its own under the kiosk's frame."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel  # noqa: E402
from test_kiosk_layout import LOOKS, card, make_kiosk, scenes  # noqa: E402  (the layout tests' looks and screens)

from devices.events import IDCARD, CardRead  # noqa: E402
from ui.kiosk import widgets  # noqa: E402
from ui.kiosk.look import LANDSCAPE, PORTRAIT  # noqa: E402
from ui.kiosk.watchers import IdleWatcher  # noqa: E402
from ui.kiosk.widgets import KioskButton, KioskLabel, set_tone  # noqa: E402

MATTER = "330106-A-001"


@pytest.fixture
def ctx(kiosk_ctx):
    return kiosk_ctx


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def size_mismatches(w) -> list[str]:
    """Each label whose remembered answer differs from QLabel's own, asked afresh."""
    found = []
    for lb in w.findChildren(KioskLabel):
        said = lb.text()[:20]
        if lb.sizeHint() != QLabel.sizeHint(lb):
            found.append(f"{said!r}: size hint {lb.sizeHint()} != {QLabel.sizeHint(lb)}")
        if lb.minimumSizeHint() != QLabel.minimumSizeHint(lb):
            found.append(f"{said!r}: minimum {lb.minimumSizeHint()} != {QLabel.minimumSizeHint(lb)}")
        if lb.hasHeightForWidth():
            for width in {lb.width(), 240, 600}:
                if lb.heightForWidth(width) != QLabel.heightForWidth(lb, width):
                    found.append(f"{said!r}: height for {width} {lb.heightForWidth(width)}"
                                 f" != {QLabel.heightForWidth(lb, width)}")
    return found


@pytest.mark.parametrize(("orientation", "elder", "lang"), [(PORTRAIT, False, "zh"), (LANDSCAPE, True, "en")])
def test_labels_answer_from_memory_what_qt_would_work_out_afresh(qtbot, ctx, orientation, elder, lang):
    w = make_kiosk(qtbot, ctx, orientation, elder, lang)
    for _ in range(2):  # the second time round every text is one a label has shown before
        for name, act in scenes(w, ctx):
            act()
            settle()
            assert size_mismatches(w) == [], name


def test_a_tone_or_a_wrap_changed_is_measured_anew(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, PORTRAIT, False, "zh")
    w.choose_matter(MATTER)
    settle()
    verdict = w.screens["checklist"].verdict_label
    for tone in ("bad", "info", "ok"):  # the box's padding and border differ by tone
        set_tone(verdict, tone)
        settle()
        assert size_mismatches(w) == []
    verdict.setWordWrap(False)
    assert verdict.sizeHint() == QLabel.sizeHint(verdict)
    verdict.setWordWrap(True)
    assert verdict.heightForWidth(300) == QLabel.heightForWidth(verdict, 300)


@pytest.mark.parametrize(("orientation", "elder", "lang"), LOOKS)
def test_every_button_keeps_its_touch_height_once_styled(qtbot, ctx, orientation, elder, lang):
    """The application's style sheet gives buttons a smaller minimum when it polishes them; the
    kiosk's buttons take their touch height back on the font and palette the polish sets."""
    w = make_kiosk(qtbot, ctx, orientation, elder, lang)
    for name, act in scenes(w, ctx):
        act()
        settle()
        short = [f"{b.text()!r} {b.minimumHeight()} < {b.touch_height}" for b in w.findChildren(KioskButton)
                 if b.isVisible() and b.minimumHeight() < b.touch_height]
        assert short == [], name


class Counter(QObject):
    """Counts the events the application delivers (an application filter of the test's own)."""

    def __init__(self) -> None:
        super().__init__()
        self.events = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        self.events += 1
        return False


def test_the_idle_watcher_looks_away_from_what_a_touch_leads_to_then_sees_the_next_touch(
        qtbot, ctx, monkeypatch):
    looked_at = []
    looked = IdleWatcher.eventFilter

    def counting(self, watched, event):
        looked_at.append(event.type())
        return looked(self, watched, event)

    monkeypatch.setattr(IdleWatcher, "eventFilter", counting)
    w = make_kiosk(qtbot, ctx, PORTRAIT, False, "zh")
    w.idle.set_interval_ms(10_000, warn_ms=5_000)
    settle()
    every = Counter()
    QApplication.instance().installEventFilter(every)
    try:
        looked_at.clear()
        qtbot.mouseClick(w.screens["home"].category_buttons["A"], Qt.MouseButton.LeftButton)
        assert w.idle._away  # the touch was seen; the screen it leads to is not looked at
        settle()
        assert w.current == "matters" and not w.idle._away  # delivered and painted: looking again
    finally:
        QApplication.instance().removeEventFilter(every)
    assert every.events > 200  # a new screen: hundreds of shows, moves and paints
    assert len(looked_at) < 10, looked_at  # of which the watcher looked at the touch and little else

    qtbot.wait(1000)
    before = w.idle.quiet.remainingTime()
    qtbot.mouseClick(w.screens["matters"].entry.keypad.buttons["G"], Qt.MouseButton.LeftButton)
    assert w.idle.quiet.remainingTime() > before + 200  # the next touch starts the count again


def test_the_countdown_sees_every_touch(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, PORTRAIT, False, "zh")
    w.choose_category("A")
    w.idle.set_interval_ms(2000, warn_ms=1500)
    qtbot.waitUntil(w.countdown.isVisible, timeout=3000)
    assert not w.idle._away  # the countdown started with the watcher looking
    w.idle.look_away()  # the kiosk's own redraw does not blind it now
    assert not w.idle._away and w.idle.counting
    qtbot.mouseClick(w.countdown.keep_button, Qt.MouseButton.LeftButton)
    assert not w.countdown.isVisible() and not w.idle.counting


def test_an_idle_reset_and_a_ticket_screen_count_as_someone_here(qtbot, ctx):
    """look_away starts the count again, as the reset always did: the reset is no touch, and
    the time before the next one is the hall's whole idle time; a ticket just taken means the
    citizen is at the kiosk."""
    w = make_kiosk(qtbot, ctx, PORTRAIT, False, "zh")
    w.idle.set_interval_ms(10_000, warn_ms=5_000)
    w.choose_matter(MATTER)
    w.to_identity()
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    qtbot.wait(1000)
    assert w.take_ticket() is not None
    assert w.current == "ticket" and w.idle.quiet.remainingTime() > 4_800 and w.idle._away
    settle()
    assert not w.idle._away
    qtbot.wait(1000)
    w.reset_to_home()
    assert w.idle.quiet.remainingTime() > 4_800 and w.idle._away
    settle()
    assert not w.idle._away


def button_images(w, names: list[str]) -> dict[str, QImage]:
    images = {}
    for name, b in w.screens["matters"].entry.keypad.buttons.items():
        if name in names:
            images[name] = b.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return images


def test_a_small_button_drawn_from_its_kept_bevel_looks_as_qt_draws_it(qtbot, ctx, monkeypatch):
    w = make_kiosk(qtbot, ctx, PORTRAIT, False, "zh")
    w.choose_category("A")
    settle()
    keys = ["A", "B", "G"]
    kept = button_images(w, keys)
    monkeypatch.setattr(widgets, "BEVEL_KEPT_AREA", 0)  # every button drawn by Qt itself
    drawn = button_images(w, keys)
    for name in keys:
        a, b = kept[name], drawn[name]
        assert a.size() == b.size()
        worst = max(abs(x - y) for x, y in zip(bytes(a.constBits()), bytes(b.constBits()), strict=True))
        assert worst <= 2, f"key {name}: a channel differs by {worst}"  # anti-aliasing's rounding at most


def test_buttons_drawn_alike_share_one_bevel_and_a_pressed_one_keeps_none(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, PORTRAIT, False, "zh")
    w.choose_category("A")
    settle()
    keypad = w.screens["matters"].entry.keypad.buttons
    bevels = [b.__dict__.get("_bevels") for b in keypad.values()]
    assert all(bevels)  # every key small enough keeps its bevel
    by_size: dict[tuple[int, int], set[int]] = {}
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        bevel = next(iter(keypad[c].__dict__["_bevels"].values()))
        by_size.setdefault((keypad[c].width(), keypad[c].height()), set()).add(id(bevel))
    assert all(len(ids) == 1 for ids in by_size.values()), by_size  # one pixmap for the keys drawn alike
    key = keypad["G"]
    key.setDown(True)
    key.repaint()
    assert len(key.__dict__["_bevels"]) == 1  # the pressed look lasts a moment: not kept
    key.setDown(False)


@pytest.mark.parametrize("orientation", [PORTRAIT, LANDSCAPE])
def test_the_frame_paints_every_pixel_of_the_window(qtbot, ctx, orientation):
    """The window paints no background of its own (the frame's covers it): were any part of
    it left to the window, the grab would show it transparent there."""
    w = make_kiosk(qtbot, ctx, orientation, False, "zh")
    assert w.testAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
    for act in (lambda: None, lambda: w.choose_category("A"), lambda: w.choose_matter(MATTER)):
        act()
        settle()
        image = w.grab().toImage()
        step = 40
        holes = [(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)
                 if image.pixelColor(x, y).alpha() != 255]
        assert holes == [], f"{w.current}: transparent at {holes[:5]}"
