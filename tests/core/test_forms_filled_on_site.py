"""A form the window hands out and the applicant fills in there (申领登记表) is never something
to bring: the kiosk never calls it missing and a one-time notice never asks for it."""

import sqlite3

from kiosk import open_hall
from kiosk.catalog import materials_from_csv, materials_to_csv
from kiosk.migrations import MIGRATIONS
from kiosk.models import MaterialCheck, MaterialStatus

ID = "11010519491231002X"

ID_CARD_MATTER = {
    "categories": [{"prefix": "D", "name": "公安户政", "daily_cap": 50, "warn_at": 40, "default_service_minutes": 10}],
    "matters": [{
        "code": "D-001", "name": "居民身份证换领", "department": "区公安分局", "category": "D",
        "promised_days": 20, "statutory_days": 60,
        "materials": [
            {"name": "居民身份证申领登记表", "key": True, "on_site": True, "notes": "窗口现场填写"},
            {"name": "居民户口簿", "key": True, "shared": True},
            {"name": "原居民身份证", "required": False, "condition": "有效期满换领的", "key": True},
        ],
    }],
}


def test_a_form_filled_on_site_is_not_on_the_list_to_bring(hall):
    hall.import_catalog(ID_CARD_MATTER, "测试")
    checklist = hall.checklist("D-001", ("有效期满换领的",))
    assert [m.name for m in checklist.to_bring] == ["原居民身份证"]
    assert [m.name for m in checklist.on_site] == ["居民身份证申领登记表"]
    assert [m.name for m in checklist.shared] == ["居民户口簿"]


def test_a_form_filled_on_site_never_blocks_acceptance_even_when_left_unmarked(hall):
    hall.import_catalog(ID_CARD_MATTER, "测试")
    checks = (MaterialCheck(material_id=3, name="原居民身份证", status=MaterialStatus.RECEIVED),)
    assessment = hall.assess("D-001", ("有效期满换领的",), checks)
    assert assessment.outcome == "accept"


def test_the_one_time_notice_asks_only_for_what_the_citizen_must_bring(hall):
    hall.import_catalog(ID_CARD_MATTER, "测试")
    checks = (MaterialCheck(material_id=1, name="居民身份证申领登记表", status=MaterialStatus.MISSING),
              MaterialCheck(material_id=3, name="原居民身份证", status=MaterialStatus.MISSING))
    notice = hall.refuse_with_notice(matter_code="D-001", answers=("有效期满换领的",), checks=checks,
                                     applicant_name="张三", applicant_id=ID)
    assert [i.name for i in notice.items] == ["原居民身份证"]


def test_the_on_site_mark_survives_a_csv_round_trip_and_an_old_sheet_reads_as_not_on_site(hall):
    hall.import_catalog(ID_CARD_MATTER, "测试")
    text = materials_to_csv([hall.get_matter("D-001")])
    again = materials_from_csv(text, {"D-001"})["D-001"]
    assert [m.on_site for m in again] == [True, False, False]
    old_sheet = "\n".join(",".join(row.split(",")[:11]) for row in text.splitlines())  # without the new column
    assert not any(m.on_site for m in materials_from_csv(old_sheet, {"D-001"})["D-001"])


def test_a_hall_stored_before_the_mark_flags_forms_its_notes_say_are_filled_at_the_window(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for _version, steps in MIGRATIONS[:9]:
        for sql in steps:
            conn.execute(sql)
    conn.execute("INSERT INTO categories VALUES ('D', '公安户政', '', 100, 90, 8, 0)")
    conn.execute("INSERT INTO matters (code, name, department, category, promised_days, statutory_days)"
                 " VALUES ('D-001', '居民身份证换领', '区公安分局', 'D', 20, 60)")
    conn.executemany(
        "INSERT INTO materials (matter_code, id, name, form, copies, required, key, rongque, shared, notes)"
        " VALUES ('D-001', ?, ?, '原件', 1, 1, 1, 0, 0, ?)",
        [(1, "居民身份证申领登记表", "窗口现场填写，现场采集照片和指纹"), (2, "照片", "")])
    conn.execute("PRAGMA user_version=9")
    conn.commit()
    conn.close()
    hall = open_hall(path)
    try:
        assert [m.on_site for m in hall.get_matter("D-001").materials] == [True, False]
    finally:
        hall.close()

