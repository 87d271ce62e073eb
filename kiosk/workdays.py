"""The working-day calendar behind every deadline in working days.

容缺 deadlines, promised completion dates, bad-review callback and rectification deadlines and
overdue checks all count working days: weekends and statutory holidays do not count, the
government's swapped working weekends (调休) do. The State Council publishes each year's
schedule only in late autumn, so the packaged data (``chinese_calendar``) always runs out
somewhere; the hall manager loads or edits a year in a small text format.

A count that runs into a year with no schedule is never guessed silently: it falls back to
"weekends off" for those days and is marked provisional, so the screen can show 暂定 and the
deadline can be recomputed once the manager loads the published year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import chinese_calendar

PACKAGED_SOURCE = f"chinese_calendar {chinese_calendar.__version__}"
"""The ``source`` of every schedule built by :func:`packaged_year`."""

_ONE_DAY = dt.timedelta(days=1)
_WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class CalendarMissing(ValueError):
    """A year has no schedule, so its working days cannot be known yet.

    The message is for the clerk or manager; ``year`` lets the caller offer to load it.
    """

    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年的节假日安排尚未载入，请管理员在“日历”中载入该年安排")
        self.year = year


class CalendarFormatError(ValueError):
    """A manager's schedule text or stored record is wrong; the message says where and how."""


def _is_weekend(d: dt.date) -> bool:
    return d.weekday() >= 5


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule: rest days of the holiday periods and swapped workdays.

    ``holidays`` holds every official rest day of the holiday periods, weekends included, as
    the notice lists them (so a period reads as one range); ``workdays`` holds the weekends
    that are worked instead (调休). Everything else follows the plain weekday rule.
    """

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    source: str

    def __post_init__(self) -> None:
        # Accept any iterable of dates, so callers may pass sets or lists, but store frozensets
        # so schedules stay hashable and comparable.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        for d in self.holidays | self.workdays:
            if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
                raise ValueError(f"{self.year}年安排中的“{d!r}”不是日期")
            if d.year != self.year:
                raise ValueError(f"日期“{d.isoformat()}”不在{self.year}年内")
        both = self.holidays & self.workdays
        if both:
            first = min(both).isoformat()
            raise ValueError(f"日期“{first}”不能既是休息日又是调休上班日")

    def is_working_day(self, d: dt.date) -> bool:
        """A weekday that is not a holiday, or a swapped working weekend."""
        if d in self.workdays:
            return True
        return not _is_weekend(d) and d not in self.holidays


@dataclass(frozen=True)
class Deadline:
    """A computed deadline; ``provisional`` means part of the count had no loaded calendar.

    A provisional deadline counted weekends only in the missing year(s): show it as 暂定 and
    recompute it once the year's schedule is loaded.
    """

    date: dt.date
    provisional: bool


class WorkCalendar:
    """Working days over the years whose schedules are loaded.

    Immutable: a manager's edit makes a new calendar with :meth:`with_year`, so a calendar
    handed to a screen or a report never changes under it.
    """

    def __init__(self, schedules: Mapping[int, YearSchedule] | Iterable[YearSchedule] = ()) -> None:
        items: dict[int, YearSchedule] = {}
        if isinstance(schedules, Mapping):
            for year, schedule in schedules.items():
                if schedule.year != year:
                    raise ValueError(f"{year}年的位置放入了{schedule.year}年的安排")
                items[year] = schedule
        else:
            for schedule in schedules:
                items[schedule.year] = schedule
        self._schedules: Mapping[int, YearSchedule] = MappingProxyType(dict(sorted(items.items())))

    def __repr__(self) -> str:
        return f"WorkCalendar(years={self.years()!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return dict(self._schedules) == dict(other._schedules)

    __hash__ = None  # type: ignore[assignment]  # equality by content; not meant as a key

    @property
    def schedules(self) -> Mapping[int, YearSchedule]:
        """Read-only view year -> schedule, for the manager's calendar screen and storage."""
        return self._schedules

    def has_year(self, year: int) -> bool:
        return year in self._schedules

    def years(self) -> list[int]:
        return list(self._schedules)

    def schedule(self, year: int) -> YearSchedule:
        """The schedule of ``year``; raises :class:`CalendarMissing` if it is not loaded."""
        try:
            return self._schedules[year]
        except KeyError:
            raise CalendarMissing(year) from None

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is worked; raises :class:`CalendarMissing` rather than guess."""
        return self.schedule(d.year).is_working_day(d)

    def add_working_days(self, start: dt.date, n: int) -> Deadline:
        """The n-th working day after ``start`` (``start`` itself is not counted).

        ``n == 0`` returns ``start`` unchanged, working day or not. Days in a year with no
        schedule are counted as "weekdays work, weekends off" and make the result
        provisional instead of raising, because a deadline must still be printed on the
        receipt today (a 容缺 item accepted in late December).
        """
        if n < 0:
            raise ValueError(f"工作日数不能为负数：{n}")
        d = start
        counted = 0
        provisional = False
        while counted < n:
            d += _ONE_DAY
            schedule = self._schedules.get(d.year)
            if schedule is None:
                provisional = True
                working = not _is_weekend(d)
            else:
                working = schedule.is_working_day(d)
            if working:
                counted += 1
        return Deadline(date=d, provisional=provisional)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """How many working days d satisfy a < d <= b; 0 when b <= a.

        Used for statistics and overdue reports, where a guess would be recorded as fact,
        so a missing year raises :class:`CalendarMissing`.
        """
        if b <= a:
            return 0
        for year in range((a + _ONE_DAY).year, b.year + 1):
            if year not in self._schedules:
                raise CalendarMissing(year)
        count = 0
        d = a + _ONE_DAY
        while d <= b:
            if self._schedules[d.year].is_working_day(d):
                count += 1
            d += _ONE_DAY
        return count

    def is_overdue(self, deadline: dt.date, today: dt.date) -> bool:
        """Overdue once the deadline day has passed: work finished on the deadline is on time."""
        return today > deadline

    def with_year(self, schedule: YearSchedule) -> WorkCalendar:
        """A new calendar with ``schedule`` added or replacing that year (a manager's edit)."""
        items = dict(self._schedules)
        items[schedule.year] = schedule
        return WorkCalendar(items)


def packaged_year(year: int) -> YearSchedule:
    """The year as the installed ``chinese_calendar`` package knows it.

    Only the package's statutory holidays and swapped workdays are taken, straight from its
    ``holidays``/``workdays`` tables, so the result does not depend on its weekend rule. A year
    the package does not know raises :class:`CalendarMissing` (the package itself would raise
    NotImplementedError, which a screen could not explain).
    """
    holidays = frozenset(d for d in chinese_calendar.holidays if d.year == year)
    workdays = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    if not holidays:
        raise CalendarMissing(year)
    return YearSchedule(year=year, holidays=holidays, workdays=workdays, source=PACKAGED_SOURCE)


def default_calendar(today: dt.date) -> WorkCalendar:
    """The packaged schedules of this year and next, whichever the package knows.

    Next year matters from autumn on, when deadlines start to reach into it; if the package
    does not know it yet, such deadlines come out provisional until the manager loads it.
    """
    schedules = []
    for year in (today.year, today.year + 1):
        try:
            schedules.append(packaged_year(year))
        except CalendarMissing:
            continue
    return WorkCalendar(schedules)


# --- the manager's text format -------------------------------------------------------------

_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOOKS_LIKE_DATE = re.compile(r"^\d{4}[-/.]\d")
_RANGE_SEPARATORS = ("至", "~", "～", "〜")
_REST = "休"
_WORK = "班"
# The State Council's notices since 2000 never rested more than 10 days in a row (2020's Spring
# Festival, extended) nor more than 19 weekdays in a year; a file past these bounds is a slip
# ("休 2027-01-01 至 2027-12-31"), and would move every deadline in the hall by months.
LONGEST_REST_DAYS = 14
MOST_WEEKDAYS_OFF = 30


def _parse_date(token: str, year: int, lineno: int) -> dt.date:
    if not _DATE_SHAPE.match(token):
        raise CalendarFormatError(f"第{lineno}行：“{token}”不是日期，日期请写成YYYY-MM-DD，如{year}-01-01")
    try:
        d = dt.date.fromisoformat(token)
    except ValueError:
        raise CalendarFormatError(f"第{lineno}行：日期“{token}”无效") from None
    if d.year != year:
        raise CalendarFormatError(f"第{lineno}行：日期“{token}”不在{year}年内")
    return d


def parse_year(text: str, year: int, source: str) -> YearSchedule:
    """Read a year's schedule transcribed from the State Council's notice.

    Each non-blank line not starting with ``#`` is ``休 DATE [至 DATE] [label]`` (rest days,
    a single day or an inclusive range; ``~`` works as well as ``至``) or ``班 DATE [label]``
    (a swapped working weekend). Dates are YYYY-MM-DD and must lie in ``year``. Anything
    doubtful is rejected with the line number, because a wrong calendar silently moves every
    deadline in the hall: a reversed range, a day listed twice, a day both 休 and 班, or a
    班 on a weekday (which would change nothing and is almost certainly a typo).
    """
    holidays: dict[dt.date, int] = {}
    workdays: dict[dt.date, int] = {}
    for lineno, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, rest = line[0], line[1:]
        if kind not in (_REST, _WORK):
            raise CalendarFormatError(f"第{lineno}行：应以“休”或“班”开头，实际是“{line[:10]}”")
        for sep in _RANGE_SEPARATORS:
            rest = rest.replace(sep, f" {_RANGE_SEPARATORS[0]} ")
        tokens = rest.split()
        if not tokens:
            raise CalendarFormatError(f"第{lineno}行：“{kind}”后缺少日期")
        first = _parse_date(tokens[0], year, lineno)
        last = first
        label = tokens[1:]
        if label and label[0] == _RANGE_SEPARATORS[0]:
            if kind == _WORK:
                raise CalendarFormatError(f"第{lineno}行：“班”只能写一天，不能写日期范围")
            if len(label) < 2:
                raise CalendarFormatError(f"第{lineno}行：“至”后缺少结束日期")
            last = _parse_date(label[1], year, lineno)
            if last < first:
                raise CalendarFormatError(
                    f"第{lineno}行：结束日期“{last.isoformat()}”早于开始日期“{first.isoformat()}”"
                )
            if (last - first).days + 1 > LONGEST_REST_DAYS:
                raise CalendarFormatError(
                    f"第{lineno}行：连续休息{(last - first).days + 1}天，国务院的放假安排从未超过"
                    f"{LONGEST_REST_DAYS}天，请核对起止日期"
                )
            label = label[2:]
        if label and _LOOKS_LIKE_DATE.match(label[0]):
            raise CalendarFormatError(f"第{lineno}行：两个日期之间请用“至”或“~”连接")

        if kind == _WORK:
            if not _is_weekend(first):
                raise CalendarFormatError(
                    f"第{lineno}行：{first.isoformat()}是{_WEEKDAY_NAMES[first.weekday()]}，"
                    "本来就上班；“班”只用于调休上班的周末"
                )
            _claim(first, lineno, workdays, holidays, kind)
        else:
            d = first
            while d <= last:
                _claim(d, lineno, holidays, workdays, kind)
                d += _ONE_DAY

    if not holidays and not workdays:
        raise CalendarFormatError(f"没有读到任何“休”或“班”的安排，{year}年的安排不能为空")
    if not holidays:  # loaded, it would replace the year's holidays and count 国庆 as working days
        raise CalendarFormatError(f"{year}年的安排里没有一个“休”：每年都有元旦、春节、国庆等法定假日，"
                                  "请按国务院通知把放假日期也写上")
    if (weekdays_off := sum(1 for d in holidays if not _is_weekend(d))) > MOST_WEEKDAYS_OFF:
        raise CalendarFormatError(
            f"{year}年共有{weekdays_off}个工作日被列为休息日，国务院的放假安排从未超过{MOST_WEEKDAYS_OFF}个，"
            "请核对是否多列了日期"
        )
    return YearSchedule(year=year, holidays=frozenset(holidays), workdays=frozenset(workdays), source=source)


def _claim(d: dt.date, lineno: int, mine: dict[dt.date, int], other: dict[dt.date, int], kind: str) -> None:
    """Record ``d`` for this line, refusing a day already listed (same or opposite kind)."""
    iso = d.isoformat()
    if d in other:
        raise CalendarFormatError(
            f"第{lineno}行：日期“{iso}”在第{other[d]}行已列出，不能既是休息日又是调休上班日"
        )
    if d in mine:
        raise CalendarFormatError(f"第{lineno}行：日期“{iso}”在第{mine[d]}行已列为“{kind}”，重复了")
    mine[d] = lineno


def _runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days collapsed into inclusive (first, last) runs, in order."""
    runs: list[tuple[dt.date, dt.date]] = []
    for d in sorted(days):
        if runs and runs[-1][1] + _ONE_DAY == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def format_year(schedule: YearSchedule) -> str:
    """The schedule in the manager's text format, consecutive rest days as one range.

    ``parse_year(format_year(s), s.year, s.source) == s``. Labels give the length of a rest
    period and the weekday of a swapped workday, so the manager can check them against the
    notice at a glance.
    """
    lines = [f"# {schedule.year}年节假日安排", f"# 来源：{' '.join(schedule.source.split())}"]
    entries: list[tuple[dt.date, str]] = []
    for first, last in _runs(schedule.holidays):
        if first == last:
            text = f"{_REST} {first.isoformat()}"
            entries.append((first, f"{text:<28}{_WEEKDAY_NAMES[first.weekday()]}"))
        else:
            text = f"{_REST} {first.isoformat()} 至 {last.isoformat()}"
            entries.append((first, f"{text:<28}共{(last - first).days + 1}天"))
    for d in sorted(schedule.workdays):
        text = f"{_WORK} {d.isoformat()}"
        entries.append((d, f"{text:<28}{_WEEKDAY_NAMES[d.weekday()]}调休上班"))
    lines.extend(line for _, line in sorted(entries))
    return "\n".join(lines) + "\n"


# --- storage --------------------------------------------------------------------------------


def schedule_to_dict(schedule: YearSchedule) -> dict[str, Any]:
    """A JSON-friendly record of the schedule, dates as sorted ISO strings."""
    return {
        "year": schedule.year,
        "holidays": [d.isoformat() for d in sorted(schedule.holidays)],
        "workdays": [d.isoformat() for d in sorted(schedule.workdays)],
        "source": schedule.source,
    }


def schedule_from_dict(data: Mapping[str, Any]) -> YearSchedule:
    """The schedule stored by :func:`schedule_to_dict`; a damaged record raises CalendarFormatError."""
    try:
        year = data["year"]
        source = data["source"]
        holiday_texts = data["holidays"]
        workday_texts = data["workdays"]
    except (KeyError, TypeError) as exc:
        raise CalendarFormatError(f"日历记录缺少字段：{exc}") from None
    if not isinstance(year, int) or isinstance(year, bool):
        raise CalendarFormatError(f"日历记录的年份“{year!r}”无效")
    if not isinstance(source, str):
        raise CalendarFormatError(f"{year}年日历记录的来源“{source!r}”无效")

    def dates(texts: Any, what: str) -> frozenset[dt.date]:
        if not isinstance(texts, list):
            raise CalendarFormatError(f"{year}年日历记录的{what}不是列表")
        result = set()
        for text in texts:
            try:
                if not isinstance(text, str) or not _DATE_SHAPE.match(text):
                    raise ValueError
                result.add(dt.date.fromisoformat(text))
            except ValueError:
                raise CalendarFormatError(f"{year}年日历记录的{what}中，日期“{text}”无效") from None
        return frozenset(result)

    holidays = dates(holiday_texts, "休息日")
    workdays = dates(workday_texts, "调休上班日")
    try:
        return YearSchedule(year=year, holidays=holidays, workdays=workdays, source=source)
    except ValueError as exc:
        raise CalendarFormatError(f"{year}年日历记录有误：{exc}") from None
