"""The console's 统计报表 tab tells one story: today's chart and the report's table count a
transferred ticket under the category it went to, and the screen says so; the CSV's headings
use the words of the table on screen."""

from __future__ import annotations

import csv

from PySide6.QtWidgets import QLabel

from ui.admin.report_tab import TABLE_HEAD


def table_rows(tab) -> dict[str, list[str]]:
    return {tab.table.item(r, 0).text(): [tab.table.item(r, c).text() for c in range(tab.table.columnCount())]
            for r in range(tab.table.rowCount())}


def test_a_transferred_ticket_counts_under_its_new_category_in_the_chart_as_in_the_table(console, demo_ctx, tmp_path):
    hall = demo_ctx.hall
    hall.sign_in(1, "clerk01", "demo-clerk01")
    for _ in range(3):
        hall.issue_ticket(category="A")
    hall.issue_ticket(category="B")
    t = hall.call_next(1)
    assert t.number.startswith("A")
    hall.transfer(t.id, to_category="B", window=1)  # A001 keeps its number, now waits as a B ticket
    tab = console.reports
    tab.refresh_today_now()
    report = tab.make_report_now(hall.today(), hall.today())
    assert report is not None
    chart = dict(tab.chart_issued.items)
    rows = table_rows(tab)
    names = {c.prefix: c.name for c in hall.categories()}
    assert chart[f"A {names['A']}"] == float(rows[names["A"]][1]) == 2
    assert chart[f"B {names['B']}"] == float(rows[names["B"]][1]) == 2
    assert sum(chart.values()) == float(rows["合计"][1]) == 4
    assert "今日取号 4 个" in tab.today_line.text()
    # the CSV says the same
    assert tab.export_csv(tmp_path / "r.csv")
    lines = list(csv.reader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()))
    csv_rows = {r[1]: r for r in lines if r and r[0] == "分类"}
    assert csv_rows[names["A"]][2] == "2" and csv_rows[names["B"]][2] == "2"
    # and the screen says how a transfer is counted, where the figure is
    assert "转办的号计入转入的分类" in tab.chart_issued.title
    assert "转办" in tab.table.horizontalHeaderItem(TABLE_HEAD.index("取号")).toolTip()


def test_the_csv_headings_use_the_words_of_the_table_on_screen(console, demo_ctx, tmp_path):
    tab = console.reports
    assert tab.make_report_now(demo_ctx.hall.today(), demo_ctx.hall.today()) is not None
    assert tab.export_csv(tmp_path / "r.csv")
    lines = list(csv.reader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()))
    head = next(r for r in lines if r and r[0] == "分组")
    assert [h.removesuffix("(分)") for h in head[1:]] == list(TABLE_HEAD)
    shown = " ".join(w.text() for w in tab.findChildren(QLabel))
    assert "等待" not in shown
