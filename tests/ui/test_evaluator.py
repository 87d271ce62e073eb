"""The counter evaluator: asks only when service finishes at its own window, stores one rating,
thanks (promising a callback after a bad one) and returns to idle by itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.models import BAD_REVIEW_REASONS, EVALUATION_LEVELS

MATTER = "330106-A-001"
WINDOW = 2


@pytest.fixture
def ctx(tmp_path: Path, qapp):
    from kiosk import open_hall
    from ui.app import create_application
    from ui.context import TerminalContext

    create_application()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    hall.sign_in(WINDOW, "clerk02", "demo-clerk02")
    hall.sign_in(4, "clerk04", "demo-clerk04")
    context = TerminalContext(hall)
    yield context
    context.close()
    hall.close()


def open_evaluator(qtbot, ctx, **kwargs):
    from ui.evaluator import EvaluatorWindow

    ev = EvaluatorWindow(ctx, WINDOW, **kwargs)
    qtbot.addWidget(ev)
    ev.show()
    qtbot.waitExposed(ev)
    return ev


def serve(ctx, window: int) -> int:
    """Issue, call and finish one ticket at `window`; returns its id."""
    hall = ctx.hall
    hall.issue_ticket(matter_code=MATTER)
    t = hall.call_next(window)
    hall.finish(t.id, window)
    return t.id


def test_idle_shows_window_and_clerk(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    assert ev.state == "idle"
    assert "2号窗口" in ev.idle_window.text()
    assert "李明轩" in ev.idle_clerk.text()
    ctx.hall.pause_window(WINDOW)
    qtbot.waitUntil(lambda: "暂停" in ev.idle_clerk.text())


def test_finish_at_its_window_asks_and_stores_the_rating(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    ticket_id = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    assert ev.ticket_id == ticket_id
    qtbot.mouseClick(ev.buttons[5], Qt.MouseButton.LeftButton)
    stored = ctx.hall.evaluation_for(ticket_id)
    assert stored is not None and stored.level == 5 and stored.window == WINDOW
    assert ev.state == "thanks"
    assert "回访" not in ev.thanks_text.text()


def test_finish_at_another_window_is_ignored(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    other = serve(ctx, 4)
    qtbot.wait(100)
    ctx.hall_events.drain_now()
    assert ev.state == "idle"
    assert ctx.hall.evaluation_for(other) is None
    assert ev.rate(5) is None  # nothing to rate while idle


def test_bad_rating_promises_a_callback_then_returns_to_idle(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx, thanks_seconds=0.2)
    ticket_id = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    ev.rate(1)
    assert ev.state == "reasons" and ctx.hall.evaluation_for(ticket_id) is None  # asks why first
    ev.submit_button.click()
    assert ev.state == "reasons" and "至少选择" in ev.reasons_message.text()
    ev.reason_buttons["态度"].click()
    ev.reason_buttons["等候太久"].click()
    ev.phone.setText("１３８")  # full-width digits: said on the page, nothing stored
    ev.submit_button.click()
    assert ev.state == "reasons" and "回访电话" in ev.reasons_message.text()
    ev.phone.setText("13800001234")
    ev.submit_button.click()
    stored = ctx.hall.evaluation_for(ticket_id)
    assert stored.level == 1 and stored.reasons == ("态度", "等候太久") and stored.phone_masked == "138****1234"
    days = ctx.hall.settings().bad_review_callback_days
    assert f"{days}个工作日内" in ev.thanks_text.text()
    qtbot.waitUntil(lambda: ev.state == "idle", timeout=3000)


def test_nobody_rates_and_the_screen_goes_back_to_idle(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx, ask_seconds=0.2)
    ticket_id = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    qtbot.waitUntil(lambda: ev.state == "idle", timeout=3000)
    assert ctx.hall.evaluation_for(ticket_id) is None


def test_five_big_buttons_with_words_faces_and_stars(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    assert list(ev.buttons) == [5, 4, 3, 2, 1]
    for level, b in ev.buttons.items():
        assert b.text().startswith(EVALUATION_LEVELS[level])
        assert b.text().count("★") == level  # meaning in symbols, not colour
        assert not b.icon().isNull()
        assert b.width() >= 60 and b.height() >= 60


def test_screenshots_render(qtbot, ctx, tmp_path):
    from PySide6.QtGui import QImage

    from ui.evaluator import render_screenshots

    paths = render_screenshots(ctx, tmp_path, window=WINDOW)
    assert [p.name for p in paths] == ["evaluator-idle.png", "evaluator-asking.png", "evaluator-reasons.png",
                                       "evaluator-thanks.png"]
    assert all(QImage(str(p)).width() == 1280 for p in paths)


def test_the_clerks_name_and_staff_number_are_shown_while_rating(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    ticket_id = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    login = ctx.hall.get_ticket(ticket_id).clerk
    assert f"受理人：{ctx.hall.staff_name(login)}（工号 {login}）" in ev.ask_sub.text()


# --- look: colours, contrast, sizes ------------------------------------------------------------


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    from PySide6.QtGui import QColor

    def luminance(name: str) -> float:
        c = QColor(name)
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_faces_run_from_green_for_very_satisfied_to_red_for_very_dissatisfied(qtbot, ctx):
    from PySide6.QtGui import QColor

    from ui.evaluator import LEVEL_COLOURS, face_pixmap

    hues = [QColor(LEVEL_COLOURS[level]).hsvHue() for level in (5, 4, 3, 2, 1)]
    assert 90 <= hues[0] <= 150 and hues[-1] <= 15  # green .. red
    assert hues == sorted(hues, reverse=True)  # through yellow-green, amber and orange in order
    for level, colour in LEVEL_COLOURS.items():
        face = face_pixmap(level, 128).toImage()
        assert face.pixelColor(64, 26).name() == colour  # the face itself is filled with its level's colour


def test_the_evaluators_text_reads_at_4_5_to_1_or_better(qtbot, ctx):
    from ui import theme
    from ui.evaluator import BUTTON_COLOURS

    ev = open_evaluator(qtbot, ctx)
    for tint in BUTTON_COLOURS.values():  # each level's word and stars on its tinted button
        assert contrast(theme.TEXT, tint) >= 4.5
    assert contrast("#ffffff", theme.PRIMARY) >= 4.5  # a chosen reason, the submit button
    assert contrast(theme.MUTED, theme.BG) >= 4.5 and contrast(theme.PRIMARY, theme.BG) >= 4.5
    ev.phone.resize(600, 72)
    image = ev.phone.grab().toImage()  # the hint as drawn: its darkest pixels are the glyphs' own colour
    inked = min((image.pixelColor(x, y) for x in range(20, image.width() - 20) for y in range(8, image.height() - 8)),
                key=lambda c: c.lightness())
    assert contrast(inked.name(), "#ffffff") >= 4.5  # the phone field's hint, not Qt's faint grey


def test_every_evaluator_target_is_at_least_60_px(qtbot, ctx):
    from PySide6.QtWidgets import QAbstractButton

    ev = open_evaluator(qtbot, ctx)
    serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    for b in ev.buttons.values():
        assert b.width() >= 60 and b.height() >= 60
    ev.rate(2)
    qtbot.wait(1)
    shown = [b for b in ev.findChildren(QAbstractButton) if b.isVisible()]
    assert len(shown) == len(BAD_REVIEW_REASONS) + 1  # the reasons and the submit button
    assert all(b.width() >= 60 and b.height() >= 60 for b in shown)
    assert ev.phone.height() >= 60


def test_a_bad_rating_asks_the_five_reasons_several_allowed_and_the_phone_is_optional(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    ticket_id = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking")
    qtbot.mouseClick(ev.buttons[2], Qt.MouseButton.LeftButton)
    assert ev.state == "reasons"
    assert list(ev.reason_buttons) == ["态度", "效率", "材料要求不清", "等候太久", "其他"]
    ev.reason_buttons["效率"].click()
    ev.reason_buttons["材料要求不清"].click()
    assert ev.reason_buttons["效率"].text() == "✓ 效率"  # chosen is said, not only coloured
    ev.submit_button.click()  # no phone: still stored
    stored = ctx.hall.evaluation_for(ticket_id)
    assert stored.level == 2 and stored.reasons == ("效率", "材料要求不清") and stored.phone_masked == ""
    assert ev.state == "thanks"


def test_idle_names_the_clerk_with_the_staff_number(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx)
    assert ev.idle_clerk.text() == "受理人：李明轩（工号 clerk02）"


def test_calling_the_next_citizen_ends_the_previous_tickets_question_unrated(qtbot, ctx):
    """The next citizen at the screen must not rate the service before theirs."""
    hall = ctx.hall
    ev = open_evaluator(qtbot, ctx)
    first = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == first)
    hall.issue_ticket(matter_code=MATTER)
    second = hall.call_next(WINDOW)
    ctx.hall_events.drain_now()
    assert ev.state == "idle" and ev.rate(5) is None
    assert hall.evaluation_for(first) is None
    ev.ask(first, "")  # asked again (as a late event would): the citizen served now ends it as well
    hall.start_service(second.id, WINDOW)
    ctx.hall_events.drain_now()
    assert ev.state == "idle" and hall.evaluation_for(first) is None


def test_a_bad_rating_being_explained_is_kept_when_the_next_service_finishes_which_is_asked_after(qtbot, ctx):
    hall = ctx.hall
    ev = open_evaluator(qtbot, ctx, thanks_seconds=0.2)
    first = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == first)
    ev.rate(1)
    ev.reason_buttons["态度"].setChecked(True)
    second = serve(ctx, WINDOW)  # a quick consultation called and finished meanwhile
    ctx.hall_events.drain_now()
    assert ev.state == "reasons" and ev.ticket_id == first and ev.reason_buttons["态度"].isChecked()
    ev.submit_reasons()
    stored = hall.evaluation_for(first)
    assert stored is not None and stored.level == 1 and stored.reasons == ("态度",)
    assert len(hall.bad_reviews()) == 1
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == second, timeout=3000)  # then theirs


def test_a_finish_waiting_behind_a_bad_rating_is_asked_when_that_page_times_out(qtbot, ctx):
    ev = open_evaluator(qtbot, ctx, ask_seconds=0.3)
    first = serve(ctx, WINDOW)
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == first)
    ev.rate(2)
    second = serve(ctx, WINDOW)
    ctx.hall_events.drain_now()
    assert ev.state == "reasons" and ev.ticket_id == first
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == second, timeout=3000)
    assert ctx.hall.evaluation_for(first) is None  # nobody explained it: no rating stored
