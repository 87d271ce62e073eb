"""The console's 工作日历 tab: in December, while next year's schedule is not loaded, a clear
warning says deadlines reaching into it are provisional and how to load the State Council's
schedule, and it goes once the year is loaded; where a year came from is said in Chinese, in
the list and in the editor."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from console_support import open_console
from support import FakeClock

from kiosk import open_hall
from ui.app import create_application
from ui.context import TerminalContext
from ui.worker import wait_for_jobs

YEAR_2027 = "休 2027-01-01 至 2027-01-03 元旦\n班 2027-02-07\n"


@pytest.fixture
def console_on(qtbot, tmp_path: Path):
    """Opens the console's 工作日历 tab on a demo hall whose clock says `now`; closed after the test."""
    opened = []

    def on(now: dt.datetime):
        create_application()
        hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False, clock=FakeClock(now))
        ctx = TerminalContext(hall)
        opened.append((hall, ctx))
        return hall, open_console(qtbot, ctx, "calendar")

    yield on
    wait_for_jobs()
    for hall, ctx in opened:
        ctx.close()
        hall.close()


@pytest.fixture
def december(console_on):
    return console_on(dt.datetime(2026, 12, 5, 9, 0))


@pytest.fixture
def november(console_on):
    return console_on(dt.datetime(2026, 11, 30, 9, 0))


def test_in_december_without_next_years_schedule_a_clear_warning_says_what_to_do(december):
    hall, console = december
    tab = console.calendar
    assert 2027 not in [y for y, _ in hall.calendar_years()]  # chinesecalendar 1.11 does not know 2027
    assert hall.deadline(dt.date(2026, 12, 28), 10).provisional
    warning = tab.warning
    assert warning.isVisible()
    text = warning.text()
    assert "2027年的节假日安排尚未载入" in text and "暂定" in text and "国务院" in text and "载入此文本" in text
    assert "font-weight: bold" in warning.styleSheet() and warning.property("role") != "muted"
    assert tab.year.value() == 2027  # the year to load is the one offered
    assert tab.load_text(2027, YEAR_2027), tab.last_message
    assert not warning.isVisible() and warning.text() == ""
    assert not hall.deadline(dt.date(2026, 12, 28), 10).provisional


def test_before_december_there_is_no_warning(november):
    _, console = november
    assert not console.calendar.warning.isVisible()


def test_where_a_year_came_from_is_said_in_chinese_in_the_list_and_the_editor(december):
    hall, console = december
    tab = console.calendar
    packaged = next(y for y, source in hall.calendar_years() if source.startswith("chinese_calendar"))
    row = next(r for r in range(tab.table.rowCount()) if tab.table.item(r, 0).text() == str(packaged))
    item = tab.table.item(row, 1)
    assert item.text() == "随软件附带（国务院公布的安排）"
    assert "chinese_calendar" in item.toolTip()  # the release, for a technician, out of the way
    assert tab.table.wordWrap()
    assert tab.view_year(packaged)
    head = tab.editor.toPlainText().splitlines()[:2]
    assert head[1] == "# 来源：随软件附带（国务院公布的安排）"
    assert "chinese_calendar" not in tab.editor.toPlainText()
