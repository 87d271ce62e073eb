"""The sample hall's seed data: the catalog of matters and the demo hall's windows and staff.

Both files are read with the plain json module, so these checks pin the data itself, whatever
the importer does with it: the rules of domain.md (key materials are never 容缺, a conditional
material is exactly one that is not always required, 容缺 deadlines within the promised time)
and the size the demo needs to be worth showing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
CATALOG_PATH = RESOURCES / "catalog" / "sample_hall.json"
HALL_PATH = RESOURCES / "demo_hall.json"

FORMS = {"原件", "复印件", "原件和复印件", "电子"}
REQUIRED_CATEGORY_NAMES = {"商事登记", "不动产登记", "社保医保", "公安户政", "税务", "公积金"}


@pytest.fixture(scope="module")
def catalog() -> dict:
    return json.loads(CATALOG_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hall() -> dict:
    return json.loads(HALL_PATH.read_text(encoding="utf-8"))


def all_materials(catalog: dict):
    for matter in catalog["matters"]:
        for material in matter["materials"]:
            yield matter, material


# --- categories -------------------------------------------------------------------------


def test_the_hall_has_at_least_seven_categories_each_with_an_english_name(catalog):
    categories = catalog["categories"]
    assert len(categories) >= 7
    assert all(c["name"].strip() and c["name_en"].strip() for c in categories)


def test_category_prefixes_are_distinct_single_uppercase_letters(catalog):
    prefixes = [c["prefix"] for c in catalog["categories"]]
    assert len(prefixes) == len(set(prefixes))
    assert all(re.fullmatch(r"[A-Z]", p) for p in prefixes)


def test_the_main_service_areas_each_have_a_category(catalog):
    names = {c["name"] for c in catalog["categories"]}
    assert REQUIRED_CATEGORY_NAMES <= names


def test_a_category_warns_before_it_reaches_its_daily_cap(catalog):
    for c in catalog["categories"]:
        assert 1 <= c["warn_at"] < c["daily_cap"] <= 999, c["prefix"]
        assert c["default_service_minutes"] > 0


# --- matters ------------------------------------------------------------------------------


def test_the_catalog_has_at_least_thirty_four_matters(catalog):
    assert len(catalog["matters"]) >= 34


def test_matter_codes_are_unique_and_carry_the_hall_and_category(catalog):
    codes = [m["code"] for m in catalog["matters"]]
    assert len(codes) == len(set(codes))
    for m in catalog["matters"]:
        assert re.fullmatch(rf"330106-{m['category']}-\d{{3}}", m["code"]), m["code"]


def test_matter_names_are_unique(catalog):
    names = [m["name"] for m in catalog["matters"]]
    assert len(names) == len(set(names))


def test_every_matter_belongs_to_an_existing_category(catalog):
    prefixes = {c["prefix"] for c in catalog["categories"]}
    assert {m["category"] for m in catalog["matters"]} <= prefixes


def test_every_category_has_at_least_one_matter(catalog):
    used = {m["category"] for m in catalog["matters"]}
    assert used == {c["prefix"] for c in catalog["categories"]}


def test_promised_time_is_at_least_one_day_and_never_beyond_the_statutory_time(catalog):
    for m in catalog["matters"]:
        assert 1 <= m["promised_days"] <= m["statutory_days"], m["name"]


def test_rongque_deadline_never_exceeds_the_promised_time(catalog):
    for m in catalog["matters"]:
        assert 0 <= m["rongque_days"] <= m["promised_days"], m["name"]


def test_rongque_deadline_is_set_exactly_when_a_material_may_be_rongque(catalog):
    for m in catalog["matters"]:
        has_rongque = any(x["rongque"] for x in m["materials"])
        assert (m["rongque_days"] > 0) == has_rongque, m["name"]


def test_at_least_eight_matters_allow_rongque_acceptance(catalog):
    rongque_matters = [m for m in catalog["matters"] if any(x["rongque"] for x in m["materials"])]
    assert len(rongque_matters) >= 8


def test_initials_are_uppercase_ascii_letters(catalog):
    for m in catalog["matters"]:
        assert re.fullmatch(r"[A-Z]+", m["initials"]), m["name"]


def test_initials_have_one_letter_per_chinese_character_of_the_name(catalog):
    for m in catalog["matters"]:
        hanzi = [ch for ch in m["name"] if "\u4e00" <= ch <= "\u9fff"]
        assert len(m["initials"]) == len(hanzi), m["name"]


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("往来港澳通行证及签注签发", "WLGATXZJQZQF"),  # 行 xíng, not háng
        ("个人所得税纳税记录开具", "GRSDSNSJLKJ"),  # 得 dé, not děi
        ("不动产登记资料查询", "BDCDJZLCX"),  # 查 chá, not zhā
        ("有限责任公司设立登记", "YXZRGSSLDJ"),
    ],
)
def test_polyphonic_characters_get_the_reading_of_their_word(catalog, name, initials):
    by_name = {m["name"]: m for m in catalog["matters"]}
    assert by_name[name]["initials"] == initials


def test_every_matter_has_a_department_fee_type_and_aliases(catalog):
    for m in catalog["matters"]:
        assert m["department"].strip() and m["fee"].strip() and m["type"].strip(), m["name"]
        assert m["aliases"] and all(isinstance(a, str) and a.strip() for a in m["aliases"]), m["name"]
        assert isinstance(m["online"], bool)


def test_sources_are_web_addresses_or_empty(catalog):
    for m in catalog["matters"]:
        assert m["source"] == "" or re.match(r"https?://", m["source"]), m["name"]


def test_most_of_the_reference_guides_are_followed_with_their_source(catalog):
    sources = {m["source"] for m in catalog["matters"] if m["source"]}
    assert len(sources) >= 18


def test_every_matter_and_department_has_an_english_name_without_chinese_in_it(catalog):
    for m in catalog["matters"]:
        for key in ("name_en", "department_en"):
            assert m[key].strip() and m[key].isascii(), (m["code"], key)


# --- materials ----------------------------------------------------------------------------


def test_every_matter_has_a_key_material_that_applies_always(catalog):
    for m in catalog["matters"]:
        assert any(x["key"] and x["required"] for x in m["materials"]), m["name"]


def test_material_forms_and_copies_are_valid(catalog):
    for matter, x in all_materials(catalog):
        assert x["form"] in FORMS, (matter["name"], x["name"])
        assert isinstance(x["copies"], int) and x["copies"] >= 1, (matter["name"], x["name"])
        assert x["name"].strip()


def test_rongque_is_never_allowed_on_a_key_material(catalog):
    for matter, x in all_materials(catalog):
        if x["rongque"]:
            assert not x["key"], (matter["name"], x["name"])


def test_a_material_is_optional_exactly_when_it_has_a_condition(catalog):
    for matter, x in all_materials(catalog):
        assert x["required"] == (x["condition"].strip() == ""), (matter["name"], x["name"])


def test_conditions_read_as_yes_no_questions(catalog):
    # "……的" is the guides' own phrasing of a situation: "委托代理人办理的"
    for matter, x in all_materials(catalog):
        if x["condition"]:
            assert x["condition"].endswith("的"), (matter["name"], x["condition"])


def test_a_material_is_not_listed_twice_in_one_matter(catalog):
    for m in catalog["matters"]:
        keys = [(x["name"], x["condition"]) for x in m["materials"]]
        assert len(keys) == len(set(keys)), m["name"]


def test_at_least_eight_materials_are_fetched_by_the_hall(catalog):
    shared = [x for _, x in all_materials(catalog) if x["shared"]]
    assert len(shared) >= 8


def test_material_flags_are_booleans(catalog):
    for _, x in all_materials(catalog):
        for flag in ("required", "key", "rongque", "shared"):
            assert isinstance(x[flag], bool)


# --- the demo hall --------------------------------------------------------------------------


def test_the_demo_hall_has_a_code_name_and_phone(hall):
    info = hall["hall"]
    assert re.fullmatch(r"\d{6}", info["code"])
    assert info["name"].strip() and info["address"].strip() and info["phone"].strip()


def test_the_hall_code_matches_the_matter_codes(hall, catalog):
    assert all(m["code"].startswith(hall["hall"]["code"] + "-") for m in catalog["matters"])


def test_the_hall_has_at_least_ten_windows_with_unique_numbers(hall):
    numbers = [w["number"] for w in hall["windows"]]
    assert len(numbers) >= 10
    assert len(numbers) == len(set(numbers))
    assert all(isinstance(n, int) and n >= 1 for n in numbers)


def test_four_general_windows_serve_every_category(hall):
    general = [w for w in hall["windows"] if not w["categories"]]
    assert len(general) >= 4


def test_every_window_category_exists_in_the_catalog(hall, catalog):
    prefixes = {c["prefix"] for c in catalog["categories"]}
    for w in hall["windows"]:
        assert set(w["categories"]) <= prefixes, w["name"]


def test_every_category_is_served_by_a_specialised_window(hall, catalog):
    served = {p for w in hall["windows"] for p in w["categories"]}
    assert served == {c["prefix"] for c in catalog["categories"]}


def test_the_hall_has_one_manager_and_at_least_six_clerks(hall):
    roles = [s["role"] for s in hall["staff"]]
    assert roles.count("manager") == 1
    assert roles.count("clerk") >= 6
    assert set(roles) == {"manager", "clerk"}


def test_staff_logins_are_unique_ascii_and_passwords_not_trivial(hall):
    logins = [s["login"] for s in hall["staff"]]
    assert len(logins) == len(set(logins))
    for s in hall["staff"]:
        assert s["login"].isascii() and s["login"].strip()
        assert s["name"].strip()
        assert len(s["password"]) >= 6 and s["password"] not in {"123456", "password", s["login"]}


def test_settings_hold_valid_queue_and_acceptance_rules(hall):
    s = hall["settings"]
    assert s["priority_policy"] in {"strict", "ratio"}
    assert s["priority_ratio"] >= 1 and s["max_skips"] >= 0 and s["idle_seconds"] >= 10
    assert s["pending_overdue_policy"] in {"terminate", "mark"}
    assert "{seq" in s["application_pattern"] and "{date" in s["application_pattern"]
    assert s["manager_pin"].isdigit() and 4 <= len(s["manager_pin"]) <= 8  # the demo's; real halls set their own
    assert s["bad_review_callback_days"] == 1 and s["bad_review_rectify_days"] == 15


def test_every_material_and_condition_has_an_english_name_and_a_condition_one_wording(catalog):
    wording: dict[tuple[str, str], str] = {}
    for matter, material in all_materials(catalog):
        assert material["name_en"].strip() and material["name_en"].isascii(), material["name"]
        assert bool(material["condition_en"].strip()) == bool(material["condition"]), material["name"]
        assert material["condition_en"].isascii(), material["condition"]
        if material["condition"]:
            key = (matter["code"], material["condition"])
            assert wording.setdefault(key, material["condition_en"]) == material["condition_en"], key
