"""English names from the catalog: the kiosk's English mode shows them with the official Chinese
beside them (the citizen tells the clerk the Chinese), falls back to the Chinese where a matter
has none, and the manager console edits them."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import test_kiosk_layout  # noqa: E402 - a sibling test module, on pytest's rootdir path
from PySide6.QtWidgets import QLabel  # noqa: E402

from kiosk.models import Staff  # noqa: E402
from ui.context import TerminalContext  # noqa: E402
from ui.kiosk import KioskWindow  # noqa: E402
from ui.kiosk.names import Name, pick  # noqa: E402
from ui.worker import wait_for_jobs  # noqa: E402

ctx = test_kiosk_layout.ctx  # the sample hall's kiosk context, as the layout tests have it

MATTER = "330106-A-001"  # 个体工商户设立登记 in the sample hall
ENGLISH = "Registration of an individual business"


def make_kiosk(qtbot, ctx: TerminalContext, lang: str) -> KioskWindow:
    w = KioskWindow(ctx, lang=lang, poll_printer=False)
    qtbot.addWidget(w)
    w.show()
    return w


def texts(widget) -> list[str]:
    return [lb.text() for lb in widget.findChildren(QLabel) if lb.isVisibleTo(widget)]


# --- the one rule --------------------------------------------------------------------------


def test_the_english_name_is_shown_only_in_english_mode_and_only_when_there_is_one():
    assert pick("结婚登记", "Marriage registration", "en") == Name("Marriage registration", "结婚登记")
    assert pick("结婚登记", "Marriage registration", "zh") == Name("结婚登记")
    assert pick("结婚登记", "  ", "en") == Name("结婚登记")  # no English: the Chinese alone, not twice
    assert Name("Business license", "营业执照").inline() == "Business license (营业执照)"
    assert Name("营业执照").inline() == "营业执照"


# --- the kiosk -----------------------------------------------------------------------------


def test_english_matter_rows_show_the_english_name_with_the_official_chinese_under_it(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, "en")
    w.choose_category("A")
    row = w.screens["matters"].matter_buttons[MATTER]
    assert row.title == ENGLISH
    lines = texts(row)
    assert lines[0] == ENGLISH
    assert lines[1].splitlines()[0] == "个体工商户设立登记"  # the smaller line under it starts with the Chinese
    assert "Administration for Market Regulation" in lines[1]  # the department in English too


def test_the_most_asked_for_matters_on_the_english_home_screen_are_named_in_english(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, "en")
    popular = w.screens["home"].popular_buttons
    assert MATTER in popular and popular[MATTER].text() == ENGLISH
    assert make_kiosk(qtbot, ctx, "zh").screens["home"].popular_buttons[MATTER].text() == "个体工商户设立登记"


def test_chinese_matter_rows_show_the_chinese_name_once(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, "zh")
    w.choose_category("A")
    lines = texts(w.screens["matters"].matter_buttons[MATTER])
    assert lines[0] == "个体工商户设立登记"
    assert "个体工商户设立登记" not in lines[1] and ENGLISH not in "".join(lines)


def test_a_matter_without_an_english_name_falls_back_to_chinese_in_english_mode(qtbot, ctx):
    hall = ctx.hall
    matter = hall.get_matter(MATTER)
    hall.save_matter(replace(matter, name_en="", department_en="",
                             materials=tuple(replace(m, name_en="", condition_en="") for m in matter.materials)))
    w = make_kiosk(qtbot, ctx, "en")
    w.choose_category("A")
    row = w.screens["matters"].matter_buttons[MATTER]
    assert row.title == "个体工商户设立登记"
    assert texts(row)[1].startswith("杭州市西湖区市场监督管理局 · ")  # no second copy of the name above it
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    assert screen.title.text() == "个体工商户设立登记"
    assert not screen.findChildren(QLabel, "officialName")


def test_english_mode_offers_english_common_words_to_touch_and_they_find_their_matters(qtbot, ctx):
    import re

    from PySide6.QtCore import Qt

    w = make_kiosk(qtbot, ctx, "en")
    w.choose_category("A")
    screen = w.screens["matters"]
    chips = [c for c in screen.chips if c.isVisibleTo(screen)]
    words = [c.text() for c in chips]
    assert words and "Small shop" in words and not any(re.search(r"[\u3400-\u9fff]", t) for t in words)
    qtbot.mouseClick(chips[words.index("Small shop")], Qt.MouseButton.LeftButton)
    assert list(screen.matter_buttons)[0] == MATTER
    zh = make_kiosk(qtbot, ctx, "zh")
    zh.choose_category("A")
    assert "开个体店" in [c.text() for c in zh.screens["matters"].chips if c.isVisibleTo(zh.screens["matters"])]


def test_english_checklist_shows_materials_and_conditions_in_english_with_the_chinese_beside(qtbot, ctx):
    matter = ctx.hall.get_matter(MATTER)
    w = make_kiosk(qtbot, ctx, "en")
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    assert screen.title.text() == ENGLISH
    assert screen.facts.text().startswith("个体工商户设立登记\n")
    shown = texts(screen)
    form = matter.materials[0]
    assert f"[Key] {form.name_en}" in shown and form.name in shown  # 【主要】 said in English
    agent = next(m for m in matter.materials if m.condition == "委托代理人办理的")
    blocks = [lb.parentWidget() for lb in screen.findChildren(QLabel, "officialName")]
    said = [[lb.text() for lb in b.findChildren(QLabel)] for b in blocks]
    assert [agent.condition_en, agent.condition] in said  # the situation, its Chinese under it
    w.answer(agent.condition, True)  # answers still go by the official Chinese condition
    qtbot.waitUntil(lambda: agent.name_en in texts(w.screens["checklist"]), timeout=2000)


def test_the_english_verdict_names_one_missing_material_and_points_at_several(qtbot, ctx):
    matter = ctx.hall.get_matter(MATTER)
    w = make_kiosk(qtbot, ctx, "en")
    w.choose_matter(MATTER)
    needed = [m for m in ctx.hall.checklist(MATTER).to_bring]
    verdict = w.screens["checklist"].verdict_label
    for m in needed:
        w.tick(m.id, False)  # each answered 没带
    assert "the 3 items marked \u201cNot yet\u201d in the list" in verdict.text()
    for m in needed[:-1]:
        w.tick(m.id, True)
    last = needed[-1]
    assert verdict.text().endswith("Missing: " + last.name_en)
    assert matter.name not in verdict.text()


def test_english_ticket_shows_the_matter_in_english_with_its_official_chinese_name(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, "en")
    ticket = ctx.hall.issue_ticket(matter_code=MATTER)
    w.session.ticket = ticket
    w.go("ticket", remember=False)
    screen = w.screens["ticket"]
    assert screen.what.text() == f"Business Registration · {ENGLISH}"
    assert screen.official.text() == "个体工商户设立登记" and screen.official.isVisibleTo(screen)


def test_chinese_ticket_names_the_matter_once(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, "zh")
    w.session.ticket = ctx.hall.issue_ticket(matter_code=MATTER)
    w.go("ticket", remember=False)
    screen = w.screens["ticket"]
    assert screen.what.text() == "商事登记 · 个体工商户设立登记"
    assert not screen.official.isVisibleTo(screen)


# --- the manager console --------------------------------------------------------------------


@pytest.fixture
def console(qtbot, ctx):
    from ui.admin import AdminConsole

    c = AdminConsole(ctx, Staff(login="admin", name="陈建华", role="manager"))
    qtbot.addWidget(c)
    wait_for_jobs()
    return c


def test_the_catalog_tab_edits_english_names_and_stores_them(console, ctx):
    tab = console.catalog
    tab.select_matter(MATTER)
    assert tab.f_name_en.text() == ENGLISH
    tab.f_name_en.setText("Setting up an individual business")
    tab.f_dept_en.setText("Market Regulation Bureau")
    matter = ctx.hall.get_matter(MATTER)
    agent_rows = [i for i, m in enumerate(matter.materials) if m.condition == "委托代理人办理的"]
    tab.mat_table.setCurrentCell(agent_rows[0], 0)
    assert tab.f_mat_condition_en.isEnabled()
    tab.f_mat_name_en.setText("Letter of authorization")
    tab.f_mat_name_en.textEdited.emit("Letter of authorization")
    tab.f_mat_condition_en.textEdited.emit("Someone applies for you")
    assert tab.save_matter() is True
    stored = ctx.hall.get_matter(MATTER)
    assert (stored.name_en, stored.department_en) == ("Setting up an individual business", "Market Regulation Bureau")
    assert stored.materials[agent_rows[0]].name_en == "Letter of authorization"
    assert {stored.materials[i].condition_en for i in agent_rows} == {"Someone applies for you"}
    tab.mat_table.setCurrentCell(0, 0)  # a material with no condition has no condition English to edit
    assert not tab.f_mat_condition_en.isEnabled()


def test_the_catalog_tab_edits_a_categorys_english_name(console, ctx):
    tab = console.catalog
    row = next(r for r in range(tab.cat_table.rowCount()) if tab.cat_table.item(r, 0).text() == "A")
    tab.cat_table.setCurrentCell(row, 1)
    assert tab.f_cat_name_en.text() == "Business Registration"
    tab.f_cat_name_en.textEdited.emit("Company Registration")
    assert tab.save_categories() is True
    assert next(c for c in ctx.hall.categories() if c.prefix == "A").name_en == "Company Registration"


def test_the_catalog_tab_edits_a_matters_common_words_and_the_search_finds_the_matter_by_them(console, ctx):
    """The words citizens use (开店, "ID card") are part of a matter's configuration: a manager edits
    them in the console, in one line each, without a catalog file."""
    tab = console.catalog
    tab.select_matter(MATTER)
    assert tab.f_aliases.text() == "开个体店、个体户营业执照、个体户注册、个体工商户注册登记"
    assert tab.f_aliases_en.text() == "Small shop, Sole trader, Business license"
    tab.f_aliases.setText("开个体店，摆摊登记、  小吃店、开个体店")
    tab.f_aliases_en.setText("Small shop; street stall,ID card")
    assert tab.save_matter() is True
    stored = ctx.hall.get_matter(MATTER)
    assert stored.aliases == ("开个体店", "摆摊登记", "小吃店")
    assert stored.aliases_en == ("Small shop", "street stall", "ID card")
    assert MATTER in [m.code for m in ctx.hall.search_matters("摆摊")]


def test_an_english_common_word_in_chinese_is_refused_plainly_and_nothing_is_stored(console, ctx):
    tab = console.catalog
    tab.select_matter(MATTER)
    before = ctx.hall.get_matter(MATTER)
    tab.f_aliases.setText("摆摊登记")
    tab.f_aliases_en.setText("Small shop, 个体户")
    assert tab.save_matter() is False
    assert "英文常用词只能用英文字母" in tab.message.text()
    assert ctx.hall.get_matter(MATTER) == before
