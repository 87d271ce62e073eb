"""Bad input at the facade gets one clear Chinese refusal and changes nothing."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.errors import HallError, InvalidAction, ValidationError
from kiosk.settings import FIELD_TYPES, HallSettings, settings_from_values

HOSTILE_VALUES = ["abc", "", -1, 0, 2**63, 2**64 + 1, -(2**63) - 1, 1.5, True, None, [], {}, ["x"],
                  "x" * 131_072, "\x00", "{x}", "{seq}{date}{0}", "١٢٣", "１２３"]


@pytest.mark.parametrize("key", ["retention_days", "idle_seconds", "priority_ratio", "max_skips",
                                 "application_pattern", "hall_name", "priority_policy",
                                 "allow_skip_id", "rongque_excluded", "printer_baud", "hall_code"])
def test_a_setting_of_the_wrong_type_or_range_is_refused_before_it_is_stored(hall, key):
    before = hall.settings()
    for value in HOSTILE_VALUES:
        try:
            hall.update_settings(**{key: value})
        except ValidationError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            continue
        hall.update_settings(**{key: getattr(before, key)})  # a value that fits: put it back
    assert hall.settings() == before


def test_retention_days_abc_is_refused_and_the_hall_still_starts(hall):
    with pytest.raises(ValidationError, match="retention_days"):
        hall.update_settings(retention_days="abc")
    assert hall.settings().retention_days == 365


def test_an_application_pattern_that_cannot_be_formatted_is_refused(hall):
    for pattern in ("{x}{seq}{date}", "{hall}{date:%Y%m%d}{seq:05d}{", "{date}{seq:Q}", "{date.year.x}{seq}"):
        with pytest.raises(ValidationError, match="办件编号规则"):
            hall.update_settings(application_pattern=pattern)


def test_a_bad_value_an_older_version_stored_falls_back_to_its_default():
    assert settings_from_values({"retention_days": "abc", "hall_name": "西湖区"}) == HallSettings(hall_name="西湖区")


def test_deleting_a_matter_with_appointments_booked_is_refused_clearly(hall, clock):
    hall.book_appointment(matter_code="A-001", day=clock.now.date() + dt.timedelta(days=1),
                          slot_start=dt.time(9, 0), slot_end=dt.time(10, 0), holder_name="张三")
    with pytest.raises(InvalidAction, match="预约"):
        hall.delete_matter("A-001")
    assert hall.get_matter("A-001").name


def test_replacing_the_catalog_keeps_matters_with_appointments_or_refuses_clearly(hall, clock):
    hall.book_appointment(matter_code="A-001", day=clock.now.date() + dt.timedelta(days=1),
                          slot_start=dt.time(9, 0), slot_end=dt.time(10, 0), holder_name="张三")
    doc = hall.export_catalog()
    kept = dict(doc, matters=[dict(m, name=m["name"] + "（新）") for m in doc["matters"]])
    hall.import_catalog(kept, "新目录", replace_all=True)  # the booked matter stays: handled
    assert hall.get_matter("A-001").name.endswith("（新）")
    without = dict(doc, matters=[m for m in doc["matters"] if m["code"] != "A-001"])
    with pytest.raises(ValidationError, match="预约"):
        hall.import_catalog(without, "新目录", replace_all=True)
    assert hall.get_matter("A-001").name.endswith("（新）")


@pytest.mark.parametrize("kwargs", [
    {"holder_name": "x" * 131_072}, {"holder_name": "张\x00三"}, {"phone": "１３８００００１２３４"},
    {"phone": "13800001234" * 10}, {"priority": "vip"}, {"holder_id": "CAN33007811020١"},
])
def test_a_hostile_ticket_request_is_refused_and_issues_nothing(hall, kwargs):
    before = hall.queue_status().issued
    with pytest.raises(HallError):
        hall.issue_ticket(category="A", **kwargs)
    assert hall.queue_status().issued == before


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=1500, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(sorted(k for k in FIELD_TYPES if k != "extra")), JSONISH, min_size=1,
                       max_size=3))
def test_settings_either_validate_or_are_refused_never_a_crash(changes):
    from dataclasses import replace

    trial = replace(HallSettings(), **{k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()})
    problems = trial.validate()
    assert all(isinstance(p, str) and p for p in problems)
    if not problems:  # a value that passed works where it is used
        trial.application_pattern.format(hall=trial.hall_code, date=dt.datetime(2026, 1, 1), seq=1)
        assert trial.retention_days >= 1 and math.isfinite(trial.idle_seconds)
    loaded = settings_from_values({k: list(v) if isinstance(v, tuple) else v for k, v in changes.items()})
    assert loaded.validate() == []  # whatever was stored, the hall starts


def test_creating_never_overwrites_an_account_a_window_or_a_category(hall):
    from kiosk.models import Category, Window

    with pytest.raises(ValidationError, match="已被使用"):
        hall.save_staff("clerk1", "冒名", "manager", "other-pass", new=True)
    assert hall.authenticate("clerk1", "pass-1111").role == "clerk"
    with pytest.raises(ValidationError, match="已存在"):
        hall.save_window(Window(2, "新窗口", ()), new=True)
    assert next(w for w in hall.windows() if w.number == 2).categories == ("A",)
    before = hall.categories()
    good = Category(prefix=before[0].prefix, name="改名", daily_cap=250, warn_at=200)
    bad = Category(prefix=before[1].prefix, name=before[1].name, daily_cap=100, warn_at=999)
    with pytest.raises(ValidationError):
        hall.save_categories([good, bad])
    assert hall.categories() == before  # one bad row stores none
    assert hall.save_categories([good]) == 1 and hall.categories()[0].name == "改名"


def test_passwords_cannot_be_guessed_at_a_window_faster_than_the_lock_outs_allow(hall, clock):
    from kiosk.errors import AuthError

    for _ in range(5):
        with pytest.raises(AuthError, match="不正确"):
            hall.sign_in(1, "clerk2", "guess-0000")
    with pytest.raises(AuthError, match="过多"):
        hall.sign_in(1, "clerk2", "pass-2222")  # even the right password waits out the lock
    assert hall.sign_in(1, "clerk1", "pass-1111").login == "clerk1"  # other logins are not locked
    clock.advance(seconds=31)
    assert hall.sign_in(2, "clerk2", "pass-2222").login == "clerk2"


def test_a_follow_address_a_phone_cannot_open_is_refused_and_messages_name_the_setting_as_the_console_does(hall):
    before = hall.settings()
    for bad in ("javascript:alert(1)", "hall.example.cn", "https://hall example"):
        with pytest.raises(ValidationError, match="公网访问地址应以"):
            hall.update_settings(follow_url=bad)
    with pytest.raises(ValidationError, match="大屏滚动通知应为"):
        hall.update_settings(display_notice="通知" * 300)
    assert hall.settings() == before
    assert hall.update_settings(follow_url="https://hall.example.cn").follow_url == "https://hall.example.cn"


@pytest.mark.parametrize("name", ["", "   ", "中" * 51])
def test_a_hall_name_that_would_head_every_screen_empty_or_overflowing_is_refused(hall, name):
    before = hall.settings().hall_name
    with pytest.raises(ValidationError, match="大厅名称应为1到50个字"):
        hall.update_settings(hall_name=name)
    assert hall.settings().hall_name == before
