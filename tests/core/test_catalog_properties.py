"""The catalog importer through thousands of generated documents, texts and CSV sheets: each is
either a valid catalog or a ValidationError naming its problems, never another exception."""

from __future__ import annotations

import copy
import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SMALL_CATALOG

from kiosk import catalog as catalog_io
from kiosk.errors import ValidationError

# derandomized: the same 2,000 inputs each run, so the suite stays deterministic for everyone
MANY = settings(max_examples=2000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
           | st.sampled_from(["", "是", "否", "1e400", "NaN", "Infinity", "9" * 5000, "\x00", "x" * 131_072]))
JSONISH = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=20), inner, max_size=5), max_leaves=25)
PATHS = [("categories", 0, "daily_cap"), ("categories", 0, "default_service_minutes"), ("categories", 0, "prefix"),
         ("matters", 0, "code"), ("matters", 0, "promised_days"), ("matters", 0, "aliases"),
         ("matters", 0, "materials"), ("matters", 0, "materials", 0, "copies"), ("matters", 0, "materials", 0, "name"),
         ("matters", 0, "materials", 0, "rongque"), ("matters", 0, "name"), ("matters", 0, "initials")]


def _accepts_or_refuses(doc) -> None:
    try:
        parsed = catalog_io.parse_document(doc, "生成的目录")
    except ValidationError as exc:
        assert exc.problems and all(isinstance(p, str) and len(p) < 400 for p in exc.problems)
        return
    for m in parsed.matters:  # what passes fits in the database and in a day's arithmetic
        assert 0 <= m.promised_days <= m.statutory_days <= 3650
        assert all(0 <= x.copies <= catalog_io.MAX_INT and not (x.key and x.rongque) for x in m.materials)
    for c in parsed.categories:
        assert 0.5 <= c.default_service_minutes <= 480 and 1 <= c.warn_at <= c.daily_cap <= 999


@MANY
@given(JSONISH)
def test_any_json_value_is_a_catalog_or_a_list_of_problems(doc):
    _accepts_or_refuses(doc)


@MANY
@given(st.sampled_from(PATHS), JSONISH)
def test_a_valid_catalog_with_one_field_replaced_is_a_catalog_or_a_list_of_problems(path, value):
    doc = copy.deepcopy(SMALL_CATALOG)
    target = doc
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    _accepts_or_refuses(doc)


@MANY
@given(st.text(max_size=300) | st.sampled_from(["[" * 100_000, '{"a":' * 5000, "NaN", "[Infinity]",
                                                  "1" * 5000, '{"categories": [], "matters": [1e999]}']))
def test_any_text_is_a_catalog_or_a_list_of_problems(text):
    try:
        catalog_io.parse_json(text, "文本")
    except ValidationError as exc:
        assert exc.problems


@MANY
@given(st.lists(st.lists(st.text(max_size=30) | st.sampled_from(["x" * 131_072, "是", "A-001", "1"]),
                         min_size=0, max_size=13), max_size=5), st.booleans())
def test_any_materials_sheet_is_materials_or_a_list_of_problems(rows, with_header):
    out = io.StringIO()
    writer = csv.writer(out)
    if with_header:
        writer.writerow(catalog_io.CSV_FIELDS)
    writer.writerows(rows)
    try:
        catalog_io.materials_from_csv(out.getvalue(), {"A-001"}, "表")
    except ValidationError as exc:
        assert exc.problems


def test_a_sheet_saved_by_chinese_excel_is_read_as_gb18030():
    text = catalog_io.materials_to_csv([]) + "A-001,1,申请书,原件,1,是,,是,否,否,\n"
    assert catalog_io.decode_text(text.encode("gb18030")) == text
    assert json.loads(json.dumps(catalog_io.CSV_FIELDS, ensure_ascii=False))
