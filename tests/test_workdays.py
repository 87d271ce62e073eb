"""The working-day calendar: packaged data, deadlines, the manager's text format and storage.

Dates are checked against the 2026 schedule as published by the State Council and carried by
chinese_calendar 1.11 (see PLATFORM.md "Working-day calendar"); 2027 is the year the package
does not know, which is exactly the case a late-December 容缺 deadline runs into.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import chinese_calendar
import pytest

from kiosk.workdays import (
    CalendarFormatError,
    CalendarMissing,
    Deadline,
    WorkCalendar,
    YearSchedule,
    default_calendar,
    format_year,
    packaged_year,
    parse_year,
    schedule_from_dict,
    schedule_to_dict,
)

D = dt.date

SAMPLE_2027 = """\
# 2027年部分节假日安排
休 2027-01-01 至 2027-01-03   元旦
休 2027-02-06 至 2027-02-13   春节
班 2027-02-14                 春节调休
"""


@pytest.fixture
def cal_2026() -> WorkCalendar:
    return WorkCalendar({2026: packaged_year(2026)})


# --- packaged data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)]
)
def test_2026_swapped_weekends_are_working_days(cal_2026: WorkCalendar, day: dt.date) -> None:
    assert day.weekday() >= 5  # they really are weekends
    assert cal_2026.is_working_day(day)


def test_2026_national_day_holiday_is_not_worked(cal_2026: WorkCalendar) -> None:
    national_day = [D(2026, 10, d) for d in range(1, 8)]
    assert {d for d in chinese_calendar.holidays if d.month == 10 and d.year == 2026} == set(national_day)
    assert not any(cal_2026.is_working_day(d) for d in national_day)
    assert cal_2026.is_working_day(D(2026, 10, 8))


def test_packaged_years_agree_with_the_package_on_every_day() -> None:
    for year in range(2004, 2027):
        schedule = packaged_year(year)
        d = D(year, 1, 1)
        while d.year == year:
            assert schedule.is_working_day(d) == chinese_calendar.is_workday(d), d
            d += dt.timedelta(days=1)


def test_packaged_year_unknown_to_the_package_is_missing_not_notimplemented() -> None:
    with pytest.raises(CalendarMissing) as info:
        packaged_year(2027)
    assert info.value.year == 2027


def test_plain_weekends_are_off_and_plain_weekdays_worked(cal_2026: WorkCalendar) -> None:
    assert not cal_2026.is_working_day(D(2026, 3, 7))  # Saturday
    assert not cal_2026.is_working_day(D(2026, 3, 8))  # Sunday
    assert cal_2026.is_working_day(D(2026, 3, 9))  # Monday


def test_default_calendar_in_2026_holds_only_2026_because_2027_is_unknown() -> None:
    assert default_calendar(D(2026, 11, 20)).years() == [2026]


def test_default_calendar_takes_this_and_next_year_when_known() -> None:
    assert default_calendar(D(2025, 3, 1)).years() == [2025, 2026]


def test_default_calendar_far_ahead_is_empty_and_deadlines_turn_provisional() -> None:
    cal = default_calendar(D(2030, 1, 1))
    assert cal.years() == []
    assert cal.add_working_days(D(2030, 1, 4), 1) == Deadline(D(2030, 1, 7), provisional=True)


# --- deadlines -----------------------------------------------------------------------------


def test_five_working_days_from_sept_30_skip_national_day(cal_2026: WorkCalendar) -> None:
    # 09-30 (Wed) is not counted; 10-01..10-07 are the holiday;
    # 10-08 Thu = 1, 10-09 Fri = 2, 10-10 Sat (调休) = 3, 10-11 Sun off, 10-12 Mon = 4, 10-13 Tue = 5.
    assert cal_2026.add_working_days(D(2026, 9, 30), 5) == Deadline(D(2026, 10, 13), provisional=False)


def test_deadline_reaching_an_unloaded_year_is_provisional_and_skips_weekends(cal_2026: WorkCalendar) -> None:
    # 12-28 (Mon) not counted; 12-29 Tue = 1, 12-30 Wed = 2, 12-31 Thu = 3,
    # 2027-01-01 Fri = 4 (unknown year: weekdays only), 01-02/01-03 weekend, 01-04 Mon = 5.
    assert cal_2026.add_working_days(D(2026, 12, 28), 5) == Deadline(D(2027, 1, 4), provisional=True)


def test_deadline_staying_in_a_loaded_year_is_not_provisional(cal_2026: WorkCalendar) -> None:
    assert cal_2026.add_working_days(D(2026, 12, 28), 3) == Deadline(D(2026, 12, 31), provisional=False)


def test_zero_working_days_returns_the_start_even_on_a_holiday(cal_2026: WorkCalendar) -> None:
    assert cal_2026.add_working_days(D(2026, 10, 3), 0) == Deadline(D(2026, 10, 3), provisional=False)


def test_counting_from_a_holiday_starts_at_the_next_working_day(cal_2026: WorkCalendar) -> None:
    assert cal_2026.add_working_days(D(2026, 10, 3), 1).date == D(2026, 10, 8)


def test_negative_working_days_are_refused(cal_2026: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        cal_2026.add_working_days(D(2026, 3, 2), -1)


def test_is_working_day_in_an_unloaded_year_raises_a_chinese_message(cal_2026: WorkCalendar) -> None:
    with pytest.raises(CalendarMissing) as info:
        cal_2026.is_working_day(D(2027, 1, 4))
    assert isinstance(info.value, ValueError)
    assert "2027年" in str(info.value) and "日历" in str(info.value)


def test_working_days_between_raises_for_an_unloaded_year(cal_2026: WorkCalendar) -> None:
    with pytest.raises(CalendarMissing) as info:
        cal_2026.working_days_between(D(2026, 12, 28), D(2027, 1, 5))
    assert info.value.year == 2027


def test_working_days_between_excludes_start_includes_end(cal_2026: WorkCalendar) -> None:
    assert cal_2026.working_days_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal_2026.working_days_between(D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert cal_2026.working_days_between(D(2026, 3, 3), D(2026, 3, 3)) == 0
    assert cal_2026.working_days_between(D(2026, 3, 5), D(2026, 3, 3)) == 0


def test_working_days_between_inverts_add_working_days(cal_2026: WorkCalendar) -> None:
    start = D(2026, 1, 2)
    for n in range(0, 60):
        deadline = cal_2026.add_working_days(start, n)
        assert cal_2026.working_days_between(start, deadline.date) == n


def test_overdue_only_after_the_deadline_day(cal_2026: WorkCalendar) -> None:
    deadline = D(2026, 10, 13)
    assert not cal_2026.is_overdue(deadline, D(2026, 10, 12))
    assert not cal_2026.is_overdue(deadline, deadline)
    assert cal_2026.is_overdue(deadline, D(2026, 10, 14))


# --- manager edits -------------------------------------------------------------------------


def test_loading_the_published_year_makes_the_deadline_final(cal_2026: WorkCalendar) -> None:
    loaded = cal_2026.with_year(parse_year(SAMPLE_2027, 2027, "国办发明电〔2026〕X号"))
    # With 2027-01-01..03 off: 12-29, 12-30, 12-31 = 3, 01-04 Mon = 4, 01-05 Tue = 5.
    assert loaded.add_working_days(D(2026, 12, 28), 5) == Deadline(D(2027, 1, 5), provisional=False)
    assert loaded.is_working_day(D(2027, 2, 14))  # the swapped Sunday
    assert loaded.years() == [2026, 2027]
    # the old calendar is untouched, so anything holding it keeps a consistent view
    assert cal_2026.years() == [2026]


def test_manager_edit_replaces_a_year(cal_2026: WorkCalendar) -> None:
    packaged = packaged_year(2026)
    edited = YearSchedule(2026, packaged.holidays | {D(2026, 10, 8)}, packaged.workdays, "manager")
    cal = cal_2026.with_year(edited)
    assert cal.add_working_days(D(2026, 9, 30), 5).date == D(2026, 10, 14)
    assert cal.schedule(2026).source == "manager"
    assert cal_2026.add_working_days(D(2026, 9, 30), 5).date == D(2026, 10, 13)


def test_schedule_refuses_a_day_both_off_and_worked() -> None:
    with pytest.raises(ValueError):
        YearSchedule(2027, frozenset({D(2027, 2, 14)}), frozenset({D(2027, 2, 14)}), "manager")


def test_schedule_refuses_a_date_of_another_year() -> None:
    with pytest.raises(ValueError):
        YearSchedule(2027, frozenset({D(2026, 12, 31)}), frozenset(), "manager")


def test_calendar_refuses_a_schedule_under_the_wrong_year() -> None:
    with pytest.raises(ValueError):
        WorkCalendar({2027: packaged_year(2026)})


# --- text format ---------------------------------------------------------------------------


def test_parse_reads_the_notice_transcription() -> None:
    schedule = parse_year(SAMPLE_2027, 2027, "notice.txt")
    assert schedule.year == 2027 and schedule.source == "notice.txt"
    assert schedule.workdays == {D(2027, 2, 14)}
    assert schedule.holidays == {D(2027, 1, d) for d in (1, 2, 3)} | {D(2027, 2, d) for d in range(6, 14)}


def test_parse_accepts_tilde_ranges_and_full_width_spaces_and_a_bom() -> None:
    text = "\ufeff休 2027-01-01~2027-01-03\n休\u30002027-02-06 ～ 2027-02-07 春节\n\n  # note\n"
    schedule = parse_year(text, 2027, "manager")
    assert schedule.holidays == {D(2027, 1, 1), D(2027, 1, 2), D(2027, 1, 3), D(2027, 2, 6), D(2027, 2, 7)}


@pytest.mark.parametrize("year", range(2004, 2027))
def test_format_then_parse_gives_the_same_schedule(year: int) -> None:
    schedule = packaged_year(year)
    assert parse_year(format_year(schedule), year, schedule.source) == schedule


def test_format_collapses_ranges() -> None:
    text = format_year(packaged_year(2026))
    assert "休 2026-10-01 至 2026-10-07" in text
    assert "班 2026-10-10" in text
    assert "2026-10-02" not in text


@pytest.mark.parametrize(
    ("text", "lineno", "fragment"),
    [
        ("休 2027-01-01\n放 2027-01-02\n", 2, "“休”或“班”"),
        ("# x\n休 2027-01-01\n休 2027-02-30\n", 3, "日期“2027-02-30”无效"),
        ("休 2027/01/01\n", 1, "YYYY-MM-DD"),
        ("休 2027-1-1\n", 1, "YYYY-MM-DD"),
        ("\n\n休 2026-12-31 至 2027-01-02\n", 3, "不在2027年内"),
        ("休 2027-01-03 至 2027-01-01\n", 1, "早于"),
        ("休 2027-01-01 至\n", 1, "结束日期"),
        ("休\n", 1, "缺少日期"),
        ("休 2027-01-01 2027-01-03\n", 1, "“至”"),
        ("班 2027-02-13 至 2027-02-14\n", 1, "一天"),
        ("班 2027-02-15\n", 1, "周一"),
        ("休 2027-02-06 至 2027-02-14\n班 2027-02-14\n", 2, "既是休息日又是调休上班日"),
        ("班 2027-02-14\n休 2027-02-13 至 2027-02-14\n", 2, "既是休息日又是调休上班日"),
        ("休 2027-01-01 至 2027-01-03\n休 2027-01-03\n", 2, "重复"),
        ("休 2027-01-01\n休 2027-01-04 至 2027-12-31\n", 2, "连续休息362天"),
    ],
)
def test_malformed_line_names_its_line_and_the_problem(text: str, lineno: int, fragment: str) -> None:
    with pytest.raises(CalendarFormatError) as info:
        parse_year(text, 2027, "manager")
    message = str(info.value)
    assert message.startswith(f"第{lineno}行："), message
    assert fragment in message, message


def test_a_year_with_no_rest_day_at_all_is_refused() -> None:
    """Loaded, one 班 line would replace the year's holidays and count 国庆 as working days."""
    with pytest.raises(CalendarFormatError, match="没有一个“休”"):
        parse_year("班 2026-10-10\n", 2026, "manager")


def test_a_year_resting_more_weekdays_than_any_notice_ever_did_is_refused() -> None:
    # 35 single days, each plausible alone: every Monday to early September
    mondays = [dt.date(2027, 1, 4) + dt.timedelta(weeks=k) for k in range(35)]
    with pytest.raises(CalendarFormatError, match="共有35个工作日被列为休息日"):
        parse_year("".join(f"休 {d}\n" for d in mondays), 2027, "manager")


def test_text_with_no_entries_is_refused() -> None:
    with pytest.raises(CalendarFormatError, match="不能为空"):
        parse_year("# 只有注释\n\n", 2027, "manager")


# --- storage -------------------------------------------------------------------------------


def test_dict_round_trip_through_json() -> None:
    schedule = packaged_year(2026)
    record = json.loads(json.dumps(schedule_to_dict(schedule)))
    assert record["year"] == 2026
    assert record["workdays"][0] == "2026-01-04"
    assert schedule_from_dict(record) == schedule


@pytest.mark.parametrize(
    "record",
    [
        {"year": 2027, "holidays": [], "source": "m"},
        {"year": "2027", "holidays": [], "workdays": [], "source": "m"},
        {"year": 2027, "holidays": ["2027-02-30"], "workdays": [], "source": "m"},
        {"year": 2027, "holidays": ["2026-12-31"], "workdays": [], "source": "m"},
        {"year": 2027, "holidays": "2027-01-01", "workdays": [], "source": "m"},
    ],
)
def test_damaged_record_raises_format_error(record: dict[str, object]) -> None:
    with pytest.raises(CalendarFormatError):
        schedule_from_dict(record)


def test_core_module_does_not_pull_in_qt() -> None:
    code = "import sys, kiosk.workdays; sys.exit(any(m.split('.')[0] in ('PySide6', 'ui', 'devices', 'printing') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
