import json

import pytest
from support import SMALL_CATALOG

from kiosk import catalog as catalog_io
from kiosk.errors import ValidationError


def test_export_then_import_gives_back_the_same_catalog(hall, tmp_path):
    from kiosk import open_hall

    doc = hall.export_catalog()
    other = open_hall(tmp_path / "other.db", durable=False)
    other.import_catalog(json.dumps(doc, ensure_ascii=False))
    assert other.catalog() == hall.catalog()


def test_validation_names_the_file_the_path_and_the_problem_in_chinese():
    bad = json.loads(json.dumps(SMALL_CATALOG))
    bad["matters"][0]["materials"][0]["rongque"] = True
    bad["matters"][1]["promised_days"] = 40
    with pytest.raises(ValidationError) as err:
        catalog_io.parse_document(bad, "新目录.json")
    text = str(err.value)
    assert "新目录.json" in text
    assert "matters[0].materials[0]" in text and "主要材料不允许容缺" in text
    assert "matters[1]" in text and "不能超过法定时限" in text


def test_broken_json_reports_line_and_column():
    with pytest.raises(ValidationError, match="第2行"):
        catalog_io.parse_json('{"categories": [],\n "matters": [,]}', "x.json")


def test_a_failed_import_changes_nothing(hall):
    before = hall.catalog()
    bad = json.loads(json.dumps(SMALL_CATALOG))
    bad["matters"][0]["name"] = "改过的名字"
    bad["matters"].append({"code": "X", "name": "无分类", "department": "某局", "category": "Z",
                           "promised_days": 1, "statutory_days": 1})
    with pytest.raises(ValidationError, match="分类“Z”不存在"):
        hall.import_catalog(bad)
    assert hall.catalog() == before


def test_materials_round_trip_through_csv(hall):
    text = hall.export_materials_csv()
    assert text.splitlines()[0].startswith("事项编码,序号,材料名称")
    edited = text.replace("经营场所使用证明", "经营场所使用证明（租赁合同）")
    assert hall.import_materials_csv(edited) == 7
    names = [m.name for m in hall.get_matter("A-001").materials]
    assert "经营场所使用证明（租赁合同）" in names


def test_csv_errors_name_the_row_and_store_nothing(hall):
    before = hall.catalog()
    text = hall.export_materials_csv().splitlines()
    row = text[1].split(",")
    row[5] = "也许"
    text[1] = ",".join(row)
    text.append("NOPE,1,材料,原件,1,是,,是,否,否,")
    with pytest.raises(ValidationError) as err:
        hall.import_materials_csv("\n".join(text))
    assert "第2行" in str(err.value) and "第9行" in str(err.value) and "NOPE" in str(err.value)
    assert hall.catalog() == before


def test_checklist_adds_conditional_materials_and_marks_shared_ones_not_to_bring(hall):
    plain = hall.checklist("A-001")
    assert [m.name for m in plain.to_bring] == ["个体工商户设立登记申请书", "经营者身份证明", "经营场所使用证明"]
    assert [m.name for m in plain.shared] == ["营业执照（已有的）"]
    agent = hall.checklist("A-001", ("委托代理人办理的",))
    assert "委托书及代理人身份证明" in [m.name for m in agent.to_bring]


def test_search_finds_matters_by_chinese_and_by_pinyin_initials(hall):
    assert [m.code for m in hall.search_matters("个体")] == ["A-001"]
    assert [m.code for m in hall.search_matters("gtgs")] == ["A-001"]
    assert [m.code for m in hall.search_matters("BDC")] == ["B-001"]
    assert hall.search_matters("不存在的事") == []


def _english_catalog() -> dict:
    """SMALL_CATALOG with English names on one matter, its department, materials and condition."""
    doc = json.loads(json.dumps(SMALL_CATALOG))
    matter = doc["matters"][0]
    matter["name_en"] = "Registration of an individual business"
    matter["department_en"] = "District Administration for Market Regulation"
    matter["materials"][0]["name_en"] = "Application form"
    matter["materials"][3]["name_en"] = "Power of attorney and the agent's ID"
    matter["materials"][3]["condition_en"] = "An agent applies on your behalf"
    return doc


def test_search_finds_a_matter_by_a_word_of_its_english_name_in_any_case(hall):
    hall.import_catalog(_english_catalog())
    assert [m.code for m in hall.search_matters("business")] == ["A-001"]
    assert [m.code for m in hall.search_matters("Individual Bus")] == ["A-001"]
    assert hall.search_matters("v") == []  # one letter is pinyin initials only ("individual" has a v)


def test_the_kiosk_and_the_hall_search_by_one_rule_best_match_first(hall):
    """`find_matters` over a list the kiosk holds gives what the hall's search gives."""
    from kiosk.matter_search import find_matters

    for query in ("个体", "gtgs", "BDC", "登记", "证", "D", "不存在的事", ""):
        assert [m.code for m in find_matters(hall.matters(), query)] == [m.code for m in hall.search_matters(query)]
    for query in ("登记", "D"):
        for category in ("A", "B"):
            assert find_matters(hall.matters(category), query) == hall.search_matters(query, category)


def test_english_names_are_imported_stored_and_returned_beside_the_chinese(hall):
    hall.import_catalog(_english_catalog())
    matter = hall.get_matter("A-001")
    assert (matter.name, matter.name_en) == ("个体工商户设立登记", "Registration of an individual business")
    assert matter.department_en == "District Administration for Market Regulation"
    agent = matter.materials[3]
    assert (agent.name_en, agent.condition, agent.condition_en) == (
        "Power of attorney and the agent's ID", "委托代理人办理的", "An agent applies on your behalf")
    assert matter.materials[1].name_en == ""  # a material left without English keeps it blank
    assert hall.get_matter("B-001").name_en == ""


def test_a_catalog_without_english_names_still_imports_with_them_blank(hall):
    matter = hall.get_matter("A-001")  # the fixture imported SMALL_CATALOG, which has none
    assert matter.name_en == matter.department_en == ""
    assert all(m.name_en == m.condition_en == "" for m in matter.materials)


def test_english_names_round_trip_through_export_and_import(hall, tmp_path):
    from kiosk import open_hall

    hall.import_catalog(_english_catalog())
    doc = hall.export_catalog()
    assert doc["matters"][0]["name_en"] == "Registration of an individual business"
    other = open_hall(tmp_path / "other.db", durable=False)
    other.import_catalog(json.dumps(doc, ensure_ascii=False))
    assert other.catalog() == hall.catalog()


def test_malformed_english_names_are_refused_in_chinese_and_store_nothing(hall):
    before = hall.catalog()
    bad = _english_catalog()
    bad["matters"][0]["name_en"] = 42
    bad["matters"][0]["materials"][0]["condition_en"] = "When nothing applies"  # it has no condition
    bad["matters"][1]["department_en"] = "x" * 201
    with pytest.raises(ValidationError) as err:
        hall.import_catalog(bad, "英文目录.json")
    text = str(err.value)
    assert "matters[0].name_en：应为文字" in text
    assert "没有适用条件，不能填写适用条件的英文" in text
    assert "matters[1].department_en：最长200个字符" in text
    assert hall.catalog() == before


def test_one_condition_has_one_english_wording_in_a_matter():
    doc = _english_catalog()
    doc["matters"][0]["materials"].append({"name": "代理人照片", "required": False, "key": False,
                                           "condition": "委托代理人办理的", "condition_en": "By an agent"})
    with pytest.raises(ValidationError, match="适用条件“委托代理人办理的”的英文前后不一致"):
        catalog_io.parse_document(doc)


def test_materials_csv_carries_english_names_and_a_table_without_them_still_imports(hall):
    hall.import_catalog(_english_catalog())
    text = hall.export_materials_csv()
    header = text.splitlines()[0].split(",")
    assert header[-2:] == ["材料英文名称", "适用条件英文"]
    assert "An agent applies on your behalf" in text
    assert hall.import_materials_csv(text.replace("Application form", "Application form (signed)")) == 7
    assert hall.get_matter("A-001").materials[0].name_en == "Application form (signed)"
    # a table saved before English names existed: the eleven Chinese columns only
    old = "\n".join(",".join(line.split(",")[:11]) for line in text.splitlines())
    assert hall.import_materials_csv(old) == 7
    assert hall.get_matter("A-001").materials[0].name_en == ""


def test_a_file_adding_matters_to_a_category_the_hall_has_need_not_repeat_the_category(hall):
    new = {"code": "A-009", "name": "个体工商户注销登记", "department": "区市场监督管理局", "category": "A",
           "promised_days": 3, "statutory_days": 15,
           "materials": [{"name": "注销登记申请书", "form": "原件", "copies": 1, "required": True, "key": True}]}
    hall.import_catalog({"categories": [], "matters": [new]}, "新增事项")
    assert hall.get_matter("A-009").category == "A"
    with pytest.raises(ValidationError, match="分类“Z”不存在"):  # one the hall has not either
        hall.import_catalog({"categories": [], "matters": [{**new, "code": "A-010", "category": "Z"}]})


@pytest.mark.parametrize("change,why", [
    ("category_name", "分类名称“商事登记”被"),
    ("matter_name", "事项名称“个体工商户设立登记”被"),
    ("material_twice", "列了两次"),
    ("no_materials", "至少要列一项材料"),
])
def test_names_a_citizen_could_not_tell_apart_and_an_empty_checklist_are_refused(hall, change, why):
    import dataclasses

    before = hall.export_catalog()
    matter = hall.get_matter("A-001")
    categories = {c.prefix: c for c in hall.categories()}
    with pytest.raises(ValidationError, match=why):
        if change == "category_name":
            hall.save_category(dataclasses.replace(categories["B"], name=categories["A"].name))
        elif change == "matter_name":
            hall.save_matter(dataclasses.replace(hall.get_matter("B-001"), name=matter.name))
        elif change == "material_twice":
            twice = dataclasses.replace(matter.materials[0], id=99)
            hall.save_matter(dataclasses.replace(matter, materials=(*matter.materials, twice)))
        else:
            hall.save_matter(dataclasses.replace(matter, materials=()))
    assert hall.export_catalog() == before


def test_a_matter_switched_off_leaves_the_kiosk_keeps_its_records_and_can_be_switched_on_again(hall):
    import dataclasses

    from kiosk.errors import InvalidAction
    from kiosk.models import MaterialCheck, MaterialStatus

    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    app = hall.accept(matter_code="A-001", checks=checks, applicant_name="张三", applicant_id="11010519491231002X")
    with pytest.raises(InvalidAction, match="停用"):  # its application needs it: deleting is refused, 停用 offered
        hall.delete_matter("A-001")
    hall.save_matter(dataclasses.replace(hall.get_matter("A-001"), active=False))
    assert "A-001" not in {m.code for m in hall.matters()} | {m.code for m in hall.search_matters("个体")}
    assert "A-001" not in {m.code for m in hall.popular_matters()}
    assert not hall.get_matter("A-001").active and hall.get_application(app.number).matter_name == "个体工商户设立登记"
    assert {m.code: m.active for m in hall.matters(include_inactive=True)}["A-001"] is False
    with pytest.raises(InvalidAction, match="已停止办理"):
        hall.issue_ticket(matter_code="A-001")
    exported = hall.export_catalog()
    assert next(m for m in exported["matters"] if m["code"] == "A-001")["active"] is False
    hall.import_catalog(exported)  # the switch survives a round trip through the catalog file
    assert not hall.get_matter("A-001").active
    hall.save_matter(dataclasses.replace(hall.get_matter("A-001"), active=True))
    assert hall.issue_ticket(matter_code="A-001").matter_code == "A-001"
