"""The hall display: calls appear large with their window, recalls are marked, nothing personal."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kiosk import open_hall
from ui.context import TerminalContext
from ui.display import HallDisplay, render_screenshots
from ui.voice import Announcer, VoiceBuilder
from ui.worker import drain_jobs, wait_for_jobs


@pytest.fixture
def ctx(tmp_path: Path):
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    hall.sign_in(1, "clerk01", "demo-clerk01")
    hall.sign_in(3, "clerk03", "demo-clerk03")
    context = TerminalContext(hall)
    yield context
    drain_jobs()  # the display's reads and announcements call back before its hall closes
    context.close()
    hall.close()


def silent_display(qtbot, ctx: TerminalContext, tmp_path: Path) -> HallDisplay:
    """A hall display that builds its announcements but plays none."""
    silent = Announcer(VoiceBuilder(tmp_path / "voice", espeak=None, recorded_dir=tmp_path / "none"),
                       play_audio=False)
    d = HallDisplay(ctx, announcer=silent)
    qtbot.addWidget(d)
    return d


@pytest.fixture
def display(qtbot, ctx: TerminalContext, tmp_path: Path) -> HallDisplay:
    from ui.app import create_application

    create_application()
    return silent_display(qtbot, ctx, tmp_path)


def screen_text(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel)) + " " + widget.marquee.text()


def deliver(ctx: TerminalContext, display: HallDisplay) -> None:
    ctx.hall_events.drain_now()
    wait_for_jobs()
    display.refresh_now()


def test_called_number_and_window_appear_and_are_announced(display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    for _ in range(3):
        hall.issue_ticket(category="A")
    ticket = hall.call_next(3)
    deliver(ctx, display)
    assert ticket is not None and ticket.number == "A001"
    assert display.last_announcement == "请 A001 号 到 3 号窗口 办理"
    assert "A001" in display.hero.line1.text() and ">3<" in display.hero.line1.text()
    assert display.flashing
    assert not display.hero.recall_badge.isVisibleTo(display)
    assert [c.ticket_number for c in display.hero.calls] == ["A001"]  # shown once, large
    assert display.announcer.last_text == display.last_announcement


def test_several_windows_calls_stay_on_the_panel_newest_first(display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    for _ in range(4):
        hall.issue_ticket(category="A")
    first = hall.call_next(3)
    hall.finish(first.id, 3)
    hall.call_next(1)
    deliver(ctx, display)
    assert "A002" in display.hero.line1.text()
    # each window's latest call: window 3's A001 stays in sight below window 1's A002
    assert [(c.ticket_number, c.window) for c in display.hero.calls] == [("A002", 1), ("A001", 3)]
    assert display.hero.rows[1].isVisibleTo(display) and "A001" in display.hero.rows[1].text()
    hall.call_next(3)  # the event alone puts A003 on top and replaces window 3's older call
    ctx.hall_events.drain_now()
    assert "A003" in display.hero.line1.text()
    assert [(c.ticket_number, c.window) for c in display.hero.calls] == [("A003", 3), ("A002", 1)]


def test_the_windows_board_shows_each_windows_number_and_the_skipped_list(display: HallDisplay,
                                                                          ctx: TerminalContext) -> None:
    hall = ctx.hall
    for _ in range(3):
        hall.issue_ticket(category="A")
    gone = hall.call_next(1)
    hall.skip(gone.id, 1)
    hall.call_next(3)
    deliver(ctx, display)
    assert "A002" in display.windows_board.cells[3].text()
    assert "A001" in display.windows_board.skipped_label.text()


def test_recall_is_marked_on_screen_and_in_the_announcement(display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    hall.issue_ticket(category="B")
    ticket = hall.call_next(1)
    hall.recall(ticket.id, 1)
    deliver(ctx, display)
    assert display.last_announcement == "重复呼叫：请 B001 号 到 1 号窗口 办理"
    assert display.hero.recall_badge.isVisibleTo(display)
    # the recalled number is on the large panel once, not repeated below it
    assert [c.ticket_number for c in display.hero.calls] == ["B001"]


def test_waiting_counts_follow_issued_tickets(display: HallDisplay, ctx: TerminalContext) -> None:
    for _ in range(4):
        ctx.hall.issue_ticket(category="C")
    deliver(ctx, display)
    assert "等候 <span" in display.waiting.tiles["C"].text()
    assert ">4<" in display.waiting.tiles["C"].text()
    assert ">0<" in display.waiting.tiles["A"].text()


def test_no_name_id_or_phone_ever_reaches_the_display(display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    hall.issue_ticket(category="D", holder_name="张三丰", holder_id="11010519491231002X", phone="13812345678")
    hall.call_next(1)
    deliver(ctx, display)
    text = screen_text(display)
    assert "D001" in text
    for personal in ("张", "110105", "1002X", "138", "5678"):
        assert personal not in text


def test_screenshots_cover_welcome_call_and_recall(qtbot, ctx: TerminalContext, tmp_path: Path) -> None:
    ctx.hall.issue_ticket(category="A")
    paths = render_screenshots(ctx, tmp_path / "shots")
    assert [p.name for p in paths] == ["display_current.png", "display_new_call.png", "display_recall.png"]
    assert all(p.stat().st_size > 20_000 for p in paths)


def test_a_display_left_on_overnight_clears_yesterdays_calls_and_counts_when_the_day_turns(
        qtbot, tmp_path: Path) -> None:
    import datetime as dt

    from tests.support import FakeClock
    from ui.app import create_application
    from ui.day_watch import DayWatch

    create_application()
    clock = FakeClock(dt.datetime(2026, 11, 25, 17, 50))
    hall = open_hall(tmp_path / "night.db", clock=clock, seed_demo=True, durable=False)
    hall.sign_in(3, "clerk03", "demo-clerk03")
    context = TerminalContext(hall)
    display = silent_display(qtbot, context, tmp_path)
    watch = DayWatch(clock, context.hall_events, interval_ms=60_000)
    try:
        for _ in range(3):
            hall.issue_ticket(category="A")
        hall.call_next(3)
        deliver(context, display)
        assert "A001" in display.hero.line1.text()
        assert ">2<" in display.waiting.tiles["A"].text()
        assert not watch.check()  # the same evening: nothing to read again

        clock.now = dt.datetime(2026, 11, 26, 7, 58)  # nobody has changed anything since
        assert watch.check()
        context.hall_events.drain_now()
        qtbot.waitUntil(lambda: not display.hero.calls and ">0<" in display.waiting.tiles["A"].text(), timeout=3000)
        assert not display.hero.welcome.isHidden()  # 欢迎光临, not yesterday's last call
        assert "A001" not in display.hero.line1.text()
        assert not watch.check()  # once per day
    finally:
        watch.stop()
        drain_jobs()
        context.close()
        hall.close()


def test_a_slow_read_that_lands_after_a_newer_one_does_not_turn_the_board_back(
        qtbot, display: HallDisplay, ctx: TerminalContext, monkeypatch) -> None:
    """Two refreshes overlap when the LAN or the server is slow: the older answer, landing last,
    must not bring back 欢迎光临 over the call just made, nor the counts from before it."""
    import threading

    from ui.worker import drain_jobs

    hall = ctx.hall
    drain_jobs()  # the display's first read has landed
    read = HallDisplay._read
    first_read_may_end = threading.Event()
    slowed: list[bool] = []

    def read_slowly_once(self):  # the hall's own answer, held back the first time (a busy LAN)
        snapshot = read(self)
        if not slowed:
            slowed.append(True)
            first_read_may_end.wait(5)
        return snapshot

    monkeypatch.setattr(HallDisplay, "_read", read_slowly_once)
    for _ in range(3):
        hall.issue_ticket(category="A")
    display.refresh()  # sees 3 waiting and no call, then hangs
    qtbot.waitUntil(lambda: bool(slowed), timeout=3000)
    hall.call_next(1)
    qtbot.waitUntil(lambda: "A001" in display.windows_board.cells[1].text()
                    and ">2<" in display.waiting.tiles["A"].text(), timeout=3000)  # the newer read is shown
    first_read_may_end.set()
    assert drain_jobs()
    assert [c.ticket_number for c in display.hero.calls] == ["A001"] and display.hero.welcome.isHidden()
    assert "A001" in display.windows_board.cells[1].text() and ">2<" in display.waiting.tiles["A"].text()


def test_a_call_shown_from_its_event_stays_when_a_read_started_before_it_lands(
        display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    hall.issue_ticket(category="A")
    before = display._read()  # a read under way when the call is made: no call in it
    display._reads_started += 1
    number = display._reads_started
    hall.call_next(1)
    ctx.hall_events.drain_now()
    display.apply_snapshot(before, number)
    assert [c.ticket_number for c in display.hero.calls] == ["A001"]
    wait_for_jobs()
    display.refresh_now()  # a read started after the call has it: shown from the hall's word now
    assert [c.ticket_number for c in display.hero.calls] == ["A001"]


def hero(display: HallDisplay) -> list[tuple[str, int]]:
    return [(c.ticket_number, c.window) for c in display.hero.calls]


def test_a_ticket_skipped_or_sent_to_another_window_leaves_the_call_panel_and_a_finished_one_stays(
        display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    for _ in range(4):
        hall.issue_ticket(category="A")
    done = hall.call_next(3)
    hall.finish(done.id, 3)
    skipped = hall.call_next(1)
    deliver(ctx, display)
    assert hero(display) == [("A002", 1), ("A001", 3)]

    hall.skip(skipped.id, 1)
    ctx.hall_events.drain_now()  # at once, from the event
    assert hero(display) == [("A001", 3)]
    deliver(ctx, display)  # and the hall's own list does not bring it back
    assert hero(display) == [("A001", 3)]

    hall.call_back(skipped.id, 1)  # the citizen turned up: called again, shown again
    deliver(ctx, display)
    assert hero(display) == [("A002", 1), ("A001", 3)]

    hall.transfer(skipped.id, to_window=3, window=1)  # sent to window 3: not expected at window 1
    ctx.hall_events.drain_now()
    assert hero(display) == [("A001", 3)]
    deliver(ctx, display)
    assert hero(display) == [("A001", 3)]  # the finished call stays
    assert "请 A002 号" not in display.hero.line1.text()


def test_a_ticket_abandoned_after_too_many_skips_leaves_the_call_panel(
        display: HallDisplay, ctx: TerminalContext) -> None:
    hall = ctx.hall
    hall.issue_ticket(category="A")
    ticket = hall.call_next(1)
    for _ in range(hall.settings().max_skips):
        hall.skip(ticket.id, 1)
        hall.call_back(ticket.id, 1)
    deliver(ctx, display)
    assert hero(display) == [("A001", 1)]
    hall.skip(ticket.id, 1)
    assert hall.get_ticket(ticket.id).status == "abandoned"
    deliver(ctx, display)
    assert hero(display) == [] and display.hero.welcome.isVisibleTo(display)


def test_a_display_started_after_a_skip_does_not_show_the_skipped_call(qtbot, ctx: TerminalContext,
                                                                       tmp_path: Path) -> None:
    hall = ctx.hall
    for _ in range(2):
        hall.issue_ticket(category="A")
    gone = hall.call_next(1)
    hall.skip(gone.id, 1)
    hall.call_next(3)
    fresh = silent_display(qtbot, ctx, tmp_path)  # switched on now: knows the hall only by reading it
    fresh.refresh_now()
    assert hero(fresh) == [("A002", 3)]


LONG_NAMES = ("商事登记（企业开办一件事）", "不动产登记与交易税费", "社会保障与医疗保险", "公积金提取与贷款",
              "公安出入境与户籍", "税务综合办税服务", "工程建设项目审批", "综合咨询与帮办代办")


def test_a_halls_real_long_category_and_hall_names_fit_a_1920_by_1080_display(qtbot, tmp_path: Path) -> None:
    """Tiles sized to their names pushed the display to 2702 px, off the TV's right edge."""
    import copy

    from kiosk.models import Window
    from tests.support import SMALL_CATALOG
    from ui.app import create_application

    create_application()
    hall = open_hall(tmp_path / "long.db", durable=False)
    catalog = copy.deepcopy(SMALL_CATALOG)
    catalog["categories"] = [{"prefix": chr(65 + i), "name": name, "daily_cap": 999, "warn_at": 900,
                              "default_service_minutes": 10} for i, name in enumerate(LONG_NAMES)]
    hall.import_catalog(catalog, "长名称")
    for n in range(1, 15):
        hall.save_window(Window(n, f"{n}号综合受理窗口（企业开办、不动产、社保医保）", ()))
    hall.update_settings(hall_name="杭州市西湖区政务服务中心（市民之家）暨行政审批服务中心")
    for i in range(8):
        hall.issue_ticket(category=chr(65 + i))
    for n in range(1, 5):  # the call panel full, its newest a recall: the tallest it gets
        hall.save_staff(f"clerk{n}", f"受理员{n}", "clerk", f"pass-{n}{n}{n}{n}")
        hall.sign_in(n, f"clerk{n}", f"pass-{n}{n}{n}{n}")
        called = hall.call_next(n)
    hall.recall(called.id, 4)
    context = TerminalContext(hall)
    display = silent_display(qtbot, context, tmp_path)
    try:
        display.resize(1920, 1080)
        display.show()
        qtbot.waitExposed(display)
        display.refresh_now()
        qtbot.wait(50)  # the layout settles
        assert display.hero.recall_badge.isVisibleTo(display) and len(display.hero.calls) == 4
        assert display.minimumSizeHint().width() <= 1920 and display.minimumSizeHint().height() <= 1080
        assert display.width() == 1920 and display.height() == 1080
        assert len(display.waiting.tiles) == 8
        for prefix, tile in display.waiting.tiles.items():
            assert tile.geometry().right() < 1920, prefix
            assert tile.heightForWidth(tile.width()) <= tile.height(), f"{prefix}: the name is cut"
            assert "等候" in tile.text()
        header = display.hall_label
        assert header.geometry().right() < display.clock_label.geometry().left()  # the clock stays in sight
        assert header.full_text().startswith("杭州市西湖区")
    finally:
        display.close()
        drain_jobs()
        context.close()
        hall.close()
