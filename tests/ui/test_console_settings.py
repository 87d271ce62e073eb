"""The console's 设置 tab in a manager's words: the application-number rule is chosen from plain
choices with the number it gives shown as it is chosen or typed (a rule the hall cannot use is
said so at once, and still refused on saving), the printer model is named by its paper and
characters, and each of the kiosk's two times has its own label."""

from __future__ import annotations

import pytest
from console_support import open_console

from ui.admin import AdminConsole
from ui.admin.settings_tab import CUSTOM, NUMBER_RULES


@pytest.fixture
def console(qtbot, demo_ctx) -> AdminConsole:
    """The console on its 设置 tab."""
    return open_console(qtbot, demo_ctx, "settings")


@pytest.fixture
def tab(console: AdminConsole):
    return console.settings


def test_the_number_rule_is_a_plain_choice_with_the_number_it_gives_shown(tab, demo_ctx):
    hall = demo_ctx.hall
    day = hall.today().strftime("%Y%m%d")
    code = hall.settings().hall_code
    assert tab.number_rule.currentData() == hall.settings().application_pattern
    assert not tab.fields["application_pattern"].isVisible()  # no template to read unless asked for
    assert f"{code}{day}00001" in tab.number_preview.text()
    dashed = "{hall}-{date:%Y%m%d}-{seq:05d}"
    tab.number_rule.setCurrentIndex(tab.number_rule.findData(dashed))
    assert f"{code}-{day}-00001" in tab.number_preview.text()
    tab.fields["hall_code"].setText("330108")  # the preview follows the hall code being typed
    assert f"330108-{day}-00001" in tab.number_preview.text()
    assert tab.save(), tab.last_message
    s = hall.reload_settings()
    assert (s.application_pattern, s.hall_code) == (dashed, "330108")
    assert tab.number_rule.currentText() == NUMBER_RULES[dashed]


def test_a_rule_typed_by_hand_is_previewed_and_one_the_hall_cannot_use_is_said_and_refused(tab, demo_ctx):
    hall = demo_ctx.hall
    before = hall.settings()
    tab.number_rule.setCurrentIndex(tab.number_rule.findData(CUSTOM))
    pattern = tab.fields["application_pattern"]
    assert pattern.isVisible() and "{seq:05d} 代表当天第几件" in tab.number_help.text()
    pattern.setText("ZJ{hall}{date:%Y%m%d}{seq:04d}")
    assert f"ZJ{before.hall_code}{hall.today():%Y%m%d}0001" in tab.number_preview.text()
    pattern.setText("{hall}{seq:05d}")  # no date: numbers would repeat from one day to the next
    assert "不能使用" in tab.number_preview.text() and "{date" in tab.number_preview.text()
    assert not tab.save()
    assert "办件编号规则须包含" in tab.last_message
    pattern.setText("{hall}{date:%Y%m%d}{x}")
    assert "不能使用" in tab.number_preview.text()
    assert not tab.save() and "无法使用" in tab.last_message
    assert hall.reload_settings() == before
    pattern.setText("ZJ{hall}{date:%Y%m%d}{seq:04d}")
    assert tab.save(), tab.last_message
    assert hall.reload_settings().application_pattern == "ZJ{hall}{date:%Y%m%d}{seq:04d}"
    tab.reload()
    assert tab.number_rule.currentData() == CUSTOM and pattern.isVisible()


def test_the_printer_model_is_named_in_words_and_stored_as_its_code(tab, demo_ctx):
    combo = tab.fields["printer_profile"]
    assert combo.currentData() == "generic-80"
    assert "80毫米" in combo.currentText() and "generic" not in combo.currentText()
    combo.setCurrentIndex(combo.findData("gbk-58-raster"))
    assert "58毫米" in combo.currentText()
    assert tab.save(), tab.last_message
    assert demo_ctx.hall.reload_settings().printer_profile == "gbk-58-raster"


def test_each_of_the_kiosks_two_times_has_its_own_label(tab):
    for key, words in (("idle_seconds", "返回首页"), ("helper_response_seconds", "帮办时限")):
        field = tab.fields[key]
        label = field.parentWidget().layout().labelForField(field)
        assert label is not None and label.text() == words
        assert tab.labels[key] == words
