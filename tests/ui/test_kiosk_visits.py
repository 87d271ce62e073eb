"""One citizen after another at the kiosk: each visit ends in a reset that keeps the screens'
widgets and clears everything the citizen showed; the idle reset warns first with a
countdown; the demo's simulated cards never keep an abandoned kiosk from resetting; and the
background work of a test ends inside that test."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QObject, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QLabel, QPushButton  # noqa: E402
from test_kiosk import ID_NUMBER, NAME, all_text, card, make_kiosk  # noqa: E402  (the kiosk tests' citizen and window)

from devices.events import IDCARD, CardRead  # noqa: E402
from kiosk.idnumber import mask_id, mask_name, mask_phone  # noqa: E402
from kiosk.models import Application, MaterialCheck, MaterialStatus, PrintState  # noqa: E402
from ui.kiosk import KioskWindow  # noqa: E402
from ui.kiosk.keypad import KeyEntry  # noqa: E402
from ui.kiosk.session import Session  # noqa: E402
from ui.worker import drain_jobs, pending_jobs, run_async, wait_for_jobs  # noqa: E402

MATTER = "330106-A-001"  # 个体工商户设立登记
PHONE = "13857112345"
APPLICANT = "张三丰"
BOOKING = "YY202611250007"  # not the hint's example code


@pytest.fixture
def ctx(kiosk_ctx):
    kiosk_ctx.hall.update_settings(allow_phone_instead_of_id=True)
    return kiosk_ctx


def shown_text(w: KioskWindow) -> str:
    """Every string the kiosk's widgets hold, shown or hidden: labels, buttons, keypad entries."""
    texts = [lb.text() for lb in w.findChildren(QLabel)] + [b.text() for b in w.findChildren(QPushButton)]
    texts += [e.text for e in w.findChildren(KeyEntry)]
    return "\n".join(texts)


def visit(w: KioskWindow, qtbot) -> None:
    """A quick citizen: matter, ticks, card, ticket printed, 完成."""
    w.choose_category("A")
    w.choose_matter(MATTER)
    for i in (1, 2, 3):
        w.tick(i, True)
    w.to_identity()
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    assert ticket is not None
    qtbot.waitUntil(lambda: w.screens["ticket"].print_state.text().startswith("✓"), timeout=3000)
    qtbot.mouseClick(w.screens["ticket"].done_button, Qt.MouseButton.LeftButton)
    assert w.current == "home"


def accepted(hall) -> Application:
    """An application accepted with every material of the matter received."""
    checks = tuple(MaterialCheck(i.material.id, i.material.name, MaterialStatus.RECEIVED)
                   for i in hall.checklist(MATTER).items)
    return hall.accept(matter_code=MATTER, checks=checks, applicant_name=APPLICANT, applicant_id=ID_NUMBER)


def test_a_finished_visit_keeps_the_same_screens_and_clears_every_personal_field(qtbot, ctx):
    hall = ctx.hall
    application = accepted(hall)
    w = make_kiosk(qtbot, ctx)
    # one citizen looks up their application, types a booking code, then takes a ticket
    w.look_up_progress(application.number)
    w.go("checkin")
    w.screens["checkin"].entry.type(BOOKING)
    w.choose_category("A")
    w.screens["matters"].entry.type("GTGS")
    w.choose_matter(MATTER)
    for i in (1, 2, 3):
        w.tick(i, True)
    w.to_identity()
    identity = w.screens["identity"]
    qtbot.mouseClick(identity.phone_button, Qt.MouseButton.LeftButton)
    identity.phone_entry.type(PHONE)
    w.set_green(True)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    qtbot.waitUntil(lambda: hall.get_ticket(ticket.id).print_state is PrintState.PRINTED, timeout=3000)
    before = shown_text(w)
    shown = [mask_name(NAME), mask_id(ID_NUMBER), PHONE, ticket.number, application.number, mask_name(APPLICANT),
             BOOKING, "GTGS"]
    assert [p for p in shown if p not in before] == []  # the visit did show each of them
    personal = [*shown, NAME, ID_NUMBER, mask_phone(PHONE), APPLICANT]
    screens = {name: w.screens[name] for name in w.screens}
    header, footer, notice = w.header, w.footer, w.notice

    qtbot.mouseClick(w.screens["ticket"].done_button, Qt.MouseButton.LeftButton)

    assert w.current == "home" and w.session == Session()
    assert all(w.screens[name] is screen for name, screen in screens.items())  # reset, not rebuilt
    assert (w.header, w.footer, w.notice) == (header, footer, notice)
    after = shown_text(w)
    assert [p for p in personal if p in after] == []
    assert not identity.phone_entry.isVisibleTo(identity) and not identity.green_button.isChecked()
    assert not w.screens["checklist"].tick_buttons and not w.screens["progress"].result_box.isVisibleTo(w)


def test_the_kiosks_object_count_stays_flat_over_twenty_visits(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    visit(w, qtbot)  # every screen built once

    def count() -> tuple[int, int]:
        qtbot.wait(20)  # deferred deletions run in the event loop
        return len(w.findChildren(QObject)), len(QApplication.allWidgets())

    first = count()
    for _ in range(20):
        visit(w, qtbot)
    assert count() == first


def test_the_idle_reset_counts_down_first_and_continue_keeps_the_visit(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.choose_matter(MATTER)
    w.tick(1, True)
    w.idle.set_interval_ms(1200, warn_ms=900)
    countdown = w.countdown
    qtbot.waitUntil(countdown.isVisible, timeout=3000)
    assert w.current == "checklist" and w.session.ticked == {1}  # warned, not yet reset
    assert countdown.title.text() == "您还在使用吗？"
    assert countdown.seconds.text() == "1 秒后返回首页"
    assert countdown.keep_button.height() >= 90 and countdown.leave_button.isVisible()
    assert countdown.geometry() == w.rect() or countdown.size() == countdown.parentWidget().size()

    qtbot.mouseClick(countdown.keep_button, Qt.MouseButton.LeftButton)
    assert not countdown.isVisible() and not w.idle.counting
    assert w.current == "checklist" and w.session.ticked == {1}
    assert w.idle.quiet.remainingTime() > 200  # the whole idle time starts again

    qtbot.waitUntil(countdown.isVisible, timeout=3000)  # left alone: warned again, then reset
    qtbot.waitUntil(lambda: w.current == "home", timeout=3000)
    assert not countdown.isVisible() and w.session == Session()


def test_a_touch_anywhere_on_the_countdown_keeps_the_visit_and_presses_nothing_under_it(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.idle.set_interval_ms(2000, warn_ms=1500)
    qtbot.waitUntil(w.countdown.isVisible, timeout=3000)
    home = w.footer.home_button  # under the scrim: 首页 would forget the citizen
    assert home.isVisible()
    where = home.mapTo(w.countdown.parentWidget(), home.rect().center())
    assert w.countdown.childAt(where) is None  # the dimmed scrim there, not its box
    qtbot.mouseClick(w.countdown, Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: not w.countdown.isVisible(), timeout=1000)
    assert w.current == "matters" and w.session.category == "A" and not w.idle.counting


def test_back_to_home_on_the_countdown_resets_at_once(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    w.idle.set_interval_ms(4000, warn_ms=3800)
    qtbot.waitUntil(w.countdown.isVisible, timeout=3000)
    qtbot.mouseClick(w.countdown.leave_button, Qt.MouseButton.LeftButton)
    assert w.current == "home" and w.session == Session() and not w.countdown.isVisible()


def test_an_untouched_home_screen_shows_no_countdown(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.idle.set_interval_ms(200, warn_ms=150)
    with qtbot.assertNotEmitted(w.screen_changed, wait=600):
        pass
    assert not w.countdown.isVisible() and w.idle.quiet.isActive()  # nothing to forget: counting afresh


def test_the_demos_simulated_card_feed_does_not_keep_an_abandoned_kiosk_from_resetting(qtbot, ctx):
    from ui.terminal import connect_devices

    w = make_kiosk(qtbot, ctx)
    devices = connect_devices(ctx, simulate_missing=True, card_cycle=0.1)  # the demo's reader: a new card 0.1 s after each read
    try:
        w.choose_category("A")
        w.choose_matter(MATTER)
        w.to_identity()
        qtbot.waitUntil(lambda: bool(w.session.id_number), timeout=5000)  # the feed runs
        reads = devices.demo.idcard.reads  # type: ignore[union-attr]
        w.idle.set_interval_ms(1500, warn_ms=500)
        qtbot.waitUntil(lambda: w.current == "home", timeout=6000)  # the citizen left; the cards go on
        assert devices.demo.idcard.reads > reads + 3  # type: ignore[union-attr]
        assert w.session == Session() and NAME not in shown_text(w)
    finally:
        devices.stop()


def test_the_visits_first_card_counts_as_someone_at_the_kiosk(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    w.to_identity()
    w.idle.set_interval_ms(4000, warn_ms=3800)
    qtbot.waitUntil(w.countdown.isVisible, timeout=3000)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))  # a person laid their card
    assert not w.countdown.isVisible() and not w.idle.counting
    qtbot.waitUntil(w.countdown.isVisible, timeout=3000)
    w.on_device_event(CardRead(card("李四"), device=IDCARD, url="sim://"))  # another card: a device, not a touch
    assert w.countdown.isVisible() and w.idle.counting


def test_a_changed_catalog_builds_the_screens_anew_at_the_next_reset(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    home = w.screens["home"]
    w.choose_category("A")
    category = next(c for c in ctx.hall.categories() if c.prefix == "A")
    ctx.hall.save_category(replace(category, name="商事登记（新）"))
    qtbot.waitUntil(lambda: w._catalog_changed, timeout=3000)
    w.reset_to_home()
    assert w.screens["home"] is not home
    assert "商事登记（新）" in w.screens["home"].category_buttons["A"].text()


def test_draining_jobs_runs_their_callbacks_and_the_jobs_those_start(qtbot):
    from ui.app import create_application

    create_application()
    heard: list[str] = []

    def first_done(_: object) -> None:
        heard.append("first")
        run_async(lambda: None, lambda _: heard.append("second"))  # as a printed ticket starts mark_printed

    run_async(lambda: None, first_done)
    assert wait_for_jobs() and heard == []  # the pool is idle, yet its callback has not run anywhere
    assert drain_jobs()
    assert heard == ["first", "second"] and pending_jobs() == 0


def test_a_touch_on_any_button_starts_the_idle_time_again(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.idle.set_interval_ms(10_000, warn_ms=5_000)
    # a coarse timer's deadline may land up to 5 % (250 ms of 5 s) either side: wait well beyond that
    qtbot.wait(1000)
    before = w.idle.quiet.remainingTime()
    qtbot.mouseClick(w.screens["matters"].entry.keypad.buttons["G"], Qt.MouseButton.LeftButton)
    assert w.idle.quiet.remainingTime() > before + 200 and not w.countdown.isVisible()


def test_a_click_on_another_window_of_the_demo_is_nobody_at_the_kiosk(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    other = QPushButton("工作台")  # the clerk's workbench beside the kiosk on the demo desk
    qtbot.addWidget(other)
    other.show()
    w.choose_category("A")
    w.idle.set_interval_ms(10_000, warn_ms=5_000)
    qtbot.wait(300)
    before = w.idle.quiet.remainingTime()
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    assert w.idle.quiet.remainingTime() <= before


# --- kept widgets: a touch changes texts and ticks, never the widgets themselves -----------------


class Widgets:
    """The application's widgets now; `same()` says none was deleted and none made since."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        qtbot.wait(20)  # deferred deletions run in the event loop
        self.widgets = QApplication.allWidgets()

    def same(self) -> bool:
        import shiboken6

        self.qtbot.wait(20)
        return all(shiboken6.isValid(w) for w in self.widgets) and len(QApplication.allWidgets()) == len(self.widgets)


def test_ticks_and_answers_on_the_checklist_make_and_delete_no_widget(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    qtbot.mouseClick(screen.answer_buttons[("委托代理人办理的", True)], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.answer_buttons[("委托代理人办理的", False)], Qt.MouseButton.LeftButton)
    before = Widgets(qtbot)  # the longest list of this matter has been shown once
    qtbot.mouseClick(screen.answer_buttons[("委托代理人办理的", True)], Qt.MouseButton.LeftButton)
    for i in (1, 2, 3):
        qtbot.mouseClick(screen.tick_buttons[i], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.lack_buttons[7], Qt.MouseButton.LeftButton)  # 授权委托书, added by the answer
    assert before.same()
    assert screen.tick_buttons[1].isChecked() and not screen.lack_buttons[1].isChecked()
    assert screen.lack_buttons[7].isChecked() and screen.answer_buttons[("委托代理人办理的", True)].isChecked()
    assert screen.verdict.missing and "今天无法受理" in screen.verdict_label.text()


def test_the_next_citizens_matter_fills_the_kept_rows_and_shows_none_of_the_last_ones(qtbot, ctx):
    hall = ctx.hall
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.choose_matter("330106-A-006")  # 个体工商户变更登记: four situations, three materials
    screen = w.screens["checklist"]
    for i in list(screen.tick_buttons)[:3]:
        w.tick(i, True)
    w.reset_to_home()
    before = Widgets(qtbot)
    w.choose_category("A")
    w.choose_matter(MATTER)  # three materials, three situations
    assert before.same()  # the rows were there: filled, not made
    to_bring = hall.checklist(MATTER).to_bring
    assert list(screen.tick_buttons) == [m.id for m in to_bring]
    assert not any(b.isChecked() for b in [*screen.tick_buttons.values(), *screen.lack_buttons.values()])
    rows = [r for r in screen.material_rows if r.isVisibleTo(screen)]
    assert [r.name.main.text() for r in rows] == [("【主要】" if m.key else "") + m.name for m in to_bring]
    shown = [r.condition for r in screen.condition_rows if r.isVisibleTo(screen)]
    assert shown == list(hall.get_matter(MATTER).conditions)


def test_a_matter_without_situations_hides_the_situations_card(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    assert screen.conditions_card.isVisibleTo(screen)
    w.choose_matter("330106-G-001")  # 结婚登记: no situations to answer
    assert not screen.conditions_card.isVisibleTo(screen) and not screen.answer_buttons
    assert screen.materials_heading.text().startswith("①")


def test_the_matter_list_keeps_its_rows_and_common_words_between_categories_and_citizens(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.choose_category("B")
    w.reset_to_home()
    before = Widgets(qtbot)
    w.choose_category("A")  # the longer list, shown before: its rows are kept
    matters = w.screens["matters"]
    assert before.same()
    codes = [m.code for m in ctx.hall.matters("A")]
    assert list(matters.matter_buttons) == codes
    assert [r.code for r in matters.matter_rows if r.isVisibleTo(matters)] == codes
    chips = [c.text() for c in matters.chips if c.isVisibleTo(matters)]
    assert chips and "开个体店" in chips
    w.choose_category("B")
    assert [r.code for r in matters.matter_rows if r.isVisibleTo(matters)] == [m.code for m in ctx.hall.matters("B")]
    assert "开个体店" not in [c.text() for c in matters.chips if c.isVisibleTo(matters)]
    qtbot.mouseClick(matters.matter_buttons["330106-B-003"], Qt.MouseButton.LeftButton)
    assert w.current == "checklist" and w.session.matter_code == "330106-B-003"


def test_a_search_that_finds_nothing_says_so_and_hides_every_kept_row(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    matters = w.screens["matters"]
    matters.entry.type("QQQQ")
    assert not matters.matter_buttons and matters.nothing_found.isVisibleTo(matters)
    assert not any(r.isVisibleTo(matters) for r in matters.matter_rows)
    matters.entry.clear()
    assert not matters.nothing_found.isVisibleTo(matters) and len(matters.matter_buttons) == 8


def test_typing_on_a_keypad_keeps_one_style_sheet_and_marks_the_placeholder_by_a_property(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    entry = w.screens["matters"].entry
    sheet = entry.display.styleSheet()
    assert entry.display.property("placeholder") is True and entry.display.text() == "输入拼音首字母"
    entry.type("GT")
    assert entry.display.text() == "GT" and entry.display.property("placeholder") is False
    entry.clear()
    assert entry.display.property("placeholder") is True and entry.display.styleSheet() == sheet


def test_the_please_wait_cover_is_made_once_per_kiosk(qtbot, ctx):
    from PySide6.QtWidgets import QLabel as _Label

    w = make_kiosk(qtbot, ctx)
    for _ in range(2):
        visit(w, qtbot)
    assert len(w.findChildren(_Label, "hall-busy")) == 1


def test_ticks_read_nothing_of_the_hall_and_a_changed_catalog_is_read_afresh_once(qtbot, ctx, monkeypatch):
    hall = ctx.hall
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    reads: list[str] = []
    for name in ("checklist", "matters", "get_matter", "categories"):
        real = getattr(hall, name)
        monkeypatch.setattr(hall, name, lambda *a, _n=name, _r=real, **k: (reads.append(_n), _r(*a, **k))[1])
    for i in (1, 2, 3):
        w.tick(i, True)
    assert reads == []  # no tick waits on the hall's store: the checklist is worked out on the kiosk
    matter = hall.get_matter(MATTER)
    reads.clear()
    hall.save_matter(replace(matter, name="个体工商户设立登记（新）"))
    qtbot.waitUntil(lambda: w._catalog_changed, timeout=3000)
    w.tick(1, False)
    assert w.screens["checklist"].title.text() == "个体工商户设立登记（新）"
    assert sorted(reads) == ["categories", "matters"]  # the whole catalog, once; never a checklist


def test_the_home_screen_asks_the_queue_counts_off_the_gui_thread_and_shows_them_when_they_come(qtbot, ctx):
    """A hall file in use or a server far away never holds up the screen a citizen comes back to."""
    import threading

    w = make_kiosk(qtbot, ctx)
    assert drain_jobs()
    real = w.hall.queue_status
    threads: list[threading.Thread] = []

    def counted():  # noqa: ANN202 - the facade's own return
        threads.append(threading.current_thread())
        return real()

    w.hall.queue_status = counted  # type: ignore[method-assign]
    w.choose_category("A")
    ctx.hall.issue_ticket(category="A")  # someone else's ticket while this citizen looks around
    w.reset_to_home()
    assert drain_jobs()
    assert threads and all(t is not threading.main_thread() for t in threads)
    waiting = real().waiting.get("A", 0)
    assert waiting >= 1 and f"等候 {waiting} 人" in w.screens["home"].category_buttons["A"].text()


def test_settings_and_windows_changed_by_the_manager_reach_the_kiosk_off_the_gui_thread_when_the_citizen_leaves(
        qtbot, ctx):
    """The kiosk reads the hall settings and the windows once, and again only after a change was
    announced, off the GUI thread, when the citizen leaves: no reset waits on the hall."""
    import threading

    from kiosk.models import Window

    w = make_kiosk(qtbot, ctx)
    assert drain_jobs()
    reads: list[tuple[str, threading.Thread]] = []
    for name in ("settings", "windows"):
        real = getattr(w.hall, name)

        def read(real=real, name=name):  # noqa: ANN202 - the facade's own return
            reads.append((name, threading.current_thread()))
            return real()

        setattr(w.hall, name, read)
    w.choose_category("A")
    w.reset_to_home()
    assert drain_jobs()
    assert reads == []  # nothing changed: nothing read

    ctx.hall.update_settings(idle_seconds=77, hall_name="西湖区行政服务中心")
    ctx.hall.save_window(Window(9, "9号窗口", ("A",)))
    qtbot.waitUntil(lambda: w._config_stale, timeout=3000)
    reads.clear()  # the manager's own (same hall object here)
    w.choose_category("A")
    assert w.settings.idle_seconds != 77  # the citizen at the kiosk keeps what they started with
    w.reset_to_home()
    assert drain_jobs()
    assert {name for name, _ in reads} == {"settings", "windows"}
    assert all(t is not threading.main_thread() for _, t in reads)
    assert w.settings.idle_seconds == 77 and w.idle_ms() == 77_000
    assert "9" in w.screens["ticket"]._windows_text("A")
    assert w.header.hall_name.text() == "西湖区行政服务中心"


def test_a_second_visit_asks_the_hall_nothing_on_the_gui_thread_but_to_issue_its_ticket(qtbot, ctx):
    """Between the 取号 touch and the printer, and on the way back home, the GUI thread never
    waits on the hall (its store, a disk flush, the server): the matter, checklist, settings,
    windows and the hall's name on the ticket come from what the kiosk keeps. The ticket itself
    is issued behind the please-wait cover."""
    import threading

    w = make_kiosk(qtbot, ctx)
    visit(w, qtbot)  # the first citizen: the catalog copy is filled
    assert drain_jobs()
    on_gui: list[str] = []
    reads = ("info", "settings", "windows", "categories", "matters", "get_matter", "checklist", "search_matters",
             "catalog", "queue_status")
    for name in reads:
        real = getattr(w.hall, name)

        def read(*a, real=real, name=name, **k):  # noqa: ANN002, ANN003, ANN202 - the facade's own
            if threading.current_thread() is threading.main_thread():
                on_gui.append(name)
            return real(*a, **k)

        setattr(w.hall, name, read)
    visit(w, qtbot)
    assert drain_jobs()
    assert on_gui == []


def test_screens_rebuilt_after_the_freeze_become_collectable_and_are_frozen_again_once_the_kiosk_is_idle(
        qtbot, ctx, monkeypatch):
    """The launcher freezes what is alive once the screens are up (a full collection then walks
    only what came since). A rebuild (language, elder mode, catalog) thaws it so the old screens
    can be collected, and the kiosk freezes again when it has sat idle on its home screen."""
    import gc

    import ui.kiosk.window as kiosk_window
    from kiosk.long_lived import keep_long_lived_out_of_collections

    monkeypatch.setattr(kiosk_window, "REFREEZE_AFTER_MS", 50)
    w = make_kiosk(qtbot, ctx)
    try:
        keep_long_lived_out_of_collections()
        assert gc.get_freeze_count() > 0
        w.toggle_language()
        assert gc.get_freeze_count() == 0
        w.choose_category("A")
        w.reset_to_home()
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=3000)
        assert not w._refreeze
    finally:
        gc.unfreeze()


def test_booking_progress_and_reprint_lookups_wait_off_the_gui_thread_while_the_screen_turns(qtbot, ctx):
    """A citizen's booking code, an application number and the staff's reprint list are looked
    up off the GUI thread: a slow server or a busy hall file shows 请稍候, never a frozen screen."""
    import threading
    import time

    from PySide6.QtCore import QTimer

    hall = ctx.hall
    now = hall.clock()
    booking = hall.book_appointment(matter_code=MATTER, day=now.date(), slot_start=dt.time(0, 0),
                                    slot_end=dt.time(23, 59), holder_name=NAME)
    application = accepted(hall)
    w = make_kiosk(qtbot, ctx)
    on_gui: list[str] = []
    for name in ("find_appointment", "today", "application_progress", "tickets"):
        real = getattr(w.hall, name)

        def slow(*a, real=real, name=name, **k):  # noqa: ANN002, ANN003, ANN202 - the facade's own
            if threading.current_thread() is threading.main_thread():
                on_gui.append(name)
            time.sleep(0.3)  # a slow server
            return real(*a, **k)

        setattr(w.hall, name, slow)
    beats = []
    timer = QTimer()
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start(20)
    try:
        w.check_in(booking.code)
        assert w.current == "checkin" and "个体工商户设立登记" in w.screens["checkin"].message.text()
        w.look_up_progress(application.number)
        assert w.current == "progress" and application.number in all_text(w.screens["progress"])
        assert w.offer_reprints() is None  # nothing failed to print
    finally:
        timer.stop()
    assert on_gui == []
    assert len(beats) >= 20 and max(b - a for a, b in zip(beats, beats[1:], strict=False)) < 0.2


def press_back(w: KioskWindow, qtbot, times: int = 1) -> None:
    for _ in range(times):
        qtbot.mouseClick(w.footer.back_button, Qt.MouseButton.LeftButton)


def test_back_all_the_way_home_ends_the_visit_so_the_next_citizens_ticket_carries_no_earlier_card(qtbot, ctx):
    hall = ctx.hall
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.choose_matter(MATTER)
    w.to_identity()
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    assert mask_name(NAME) in w.screens["identity"].card_state.text()
    press_back(w, qtbot, 3)  # identity → checklist → matters → home: she changed her mind and left
    assert w.current == "home" and w.session == Session()
    assert mask_name(NAME) not in shown_text(w) and mask_id(ID_NUMBER) not in shown_text(w)
    # the next citizen, within the idle time, with no card and their phone number
    w.choose_category("A")
    w.choose_matter(MATTER)
    w.to_identity()
    assert "等待读卡" in w.screens["identity"].card_state.text() and not w.screens["identity"].take_button.isEnabled()
    w.set_phone(PHONE)
    ticket = w.take_ticket()
    assert ticket is not None and ticket.holder_name == "" and ticket.holder_id_masked == ""
    row = hall.store.conn.execute("SELECT holder_id_hash FROM tickets WHERE id = ?", (ticket.id,)).fetchone()
    assert not row[0]


def test_the_progress_and_checkin_screens_entered_from_home_show_nothing_of_an_earlier_look_up(qtbot, ctx):
    hall = ctx.hall
    application = accepted(hall)
    w = make_kiosk(qtbot, ctx)
    home = w.screens["home"]
    qtbot.mouseClick(home.progress_button, Qt.MouseButton.LeftButton)
    progress = w.screens["progress"]
    progress.entry.type(application.number)
    qtbot.mouseClick(progress.search, Qt.MouseButton.LeftButton)
    assert mask_name(APPLICANT) in all_text(progress)
    press_back(w, qtbot)
    qtbot.mouseClick(home.checkin_button, Qt.MouseButton.LeftButton)
    w.screens["checkin"].entry.type(BOOKING)
    press_back(w, qtbot)
    assert w.current == "home"

    qtbot.mouseClick(home.progress_button, Qt.MouseButton.LeftButton)  # the next citizen
    assert progress.entry.text == "" and not progress.result_box.isVisibleTo(w)
    assert application.number not in shown_text(w) and mask_name(APPLICANT) not in shown_text(w)
    press_back(w, qtbot)
    qtbot.mouseClick(home.checkin_button, Qt.MouseButton.LeftButton)
    assert w.screens["checkin"].entry.text == "" and BOOKING not in shown_text(w)


def test_a_checked_in_booking_never_turns_another_chosen_matter_into_the_booked_one(qtbot, ctx):
    from kiosk.models import Priority

    hall = ctx.hall
    other = next(m.code for m in hall.matters() if m.category == "B")
    booking = hall.book_appointment(matter_code=MATTER, day=hall.today(), slot_start=dt.time(0, 0),
                                    slot_end=dt.time(23, 59), holder_name=NAME)
    w = make_kiosk(qtbot, ctx)
    w.check_in(booking.code)
    w.confirm_check_in()
    assert w.current == "checklist" and w.session.appointment_code == booking.code
    press_back(w, qtbot, 2)  # checklist → checkin → home
    assert w.current == "home" and not w.session.appointment_code
    assert "已签到" not in shown_text(w) and "预约优先号" not in shown_text(w)

    w.check_in(booking.code)  # checked in again, then another matter is chosen all the same
    w.confirm_check_in()
    w.choose_matter(other)
    assert not w.session.appointment_code
    w.to_identity()
    assert "预约" not in w.screens["identity"].status.text()
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    assert ticket is not None and ticket.matter_code == other and ticket.priority is Priority.NORMAL
    assert hall.find_appointment(booking.code).status.value == "booked"  # still there for its own matter


def test_the_idle_reset_returns_to_the_halls_language_and_size_of_letters(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.toggle_language()  # a tourist: English, a service chosen, then gone
    w.choose_category("A")
    w.on_idle()
    assert w.current == "home" and w.look.lang == "zh" and not w.look.elder
    assert w.screens["home"].greeting.text() == "您好，请选择要办理的业务"
    assert w.idle_ms() == ctx.hall.settings().idle_seconds * 1000

    w.toggle_elder()  # elder mode switched on the home screen, nothing else touched
    assert w.look.elder
    w.on_idle()
    assert not w.look.elder and w.idle_ms() == ctx.hall.settings().idle_seconds * 1000


def test_a_kiosk_set_up_in_english_returns_to_english_and_back_to_home_keeps_the_citizens_choice(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, lang="en")
    w.toggle_language()
    w.choose_category("A")
    qtbot.mouseClick(w.footer.back_button, Qt.MouseButton.LeftButton)  # still here, on the home screen
    assert w.current == "home" and w.look.lang == "zh"
    w.reset_to_home()
    assert w.look.lang == "en" and w.screens["home"].greeting.text() == "Welcome. Please choose a service"
