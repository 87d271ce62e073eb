"""The manager console: every edit goes through the facade's rules, and a refusal changes nothing."""

from __future__ import annotations

import csv
import json
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTabWidget

from kiosk.models import Staff
from ui.admin import AdminConsole, render_screenshots

MANAGER = Staff(login="admin", name="陈建华", role="manager")






def key_material_row(console: AdminConsole) -> int:
    matter = console.catalog.matter
    assert matter is not None
    return next(i for i, m in enumerate(matter.materials) if m.key)


def test_rongque_on_a_key_material_is_refused_with_the_message_and_nothing_changes(console, demo_ctx) -> None:
    code = demo_ctx.hall.matters("A")[0].code
    before = demo_ctx.hall.get_matter(code)
    console.catalog.select_matter(code)
    row = key_material_row(console)
    console.catalog.set_material_flag(row, "rongque", True)
    assert console.catalog.save_matter() is False
    assert "主要材料不允许容缺" in console.catalog.last_message
    assert f"第{row + 1}项材料" in console.catalog.last_message
    assert demo_ctx.hall.get_matter(code) == before


def test_a_matter_switched_off_in_the_console_stays_listed_there_and_leaves_the_kiosk(console, demo_ctx) -> None:
    code = demo_ctx.hall.matters("A")[0].code
    console.catalog.select_matter(code)
    console.catalog.f_inactive.setChecked(True)
    assert console.catalog.save_matter() is True
    assert code not in {m.code for m in demo_ctx.hall.matters()}  # what the kiosk lists
    items = [console.catalog.matter_list.item(i).text() for i in range(console.catalog.matter_list.count())]
    assert any(text.startswith(code) and text.endswith("（已停用）") for text in items)
    console.catalog.f_inactive.setChecked(False)
    assert console.catalog.save_matter() is True and demo_ctx.hall.get_matter(code).active


def test_a_secondary_material_may_become_rongque(console, demo_ctx) -> None:
    code = demo_ctx.hall.matters("A")[0].code
    console.catalog.select_matter(code)
    matter = console.catalog.matter
    row = next(i for i, m in enumerate(matter.materials) if not m.key and not m.rongque)
    console.catalog.set_material_flag(row, "rongque", True)
    assert console.catalog.save_matter(), console.catalog.last_message
    assert demo_ctx.hall.get_matter(code).materials[row].rongque


def test_a_window_serving_only_B_is_added(console, demo_ctx) -> None:
    tab = console.windows
    tab.new_window()
    tab.f_number.setValue(20)
    tab.f_name.setText("不动产专窗")
    tab.set_categories(["B"])
    assert tab.save_window(), tab.last_message
    saved = next(w for w in demo_ctx.hall.windows() if w.number == 20)
    assert saved.categories == ("B",) and not saved.general
    assert any(tab.table.item(r, 2).text() == "B 不动产登记" for r in range(tab.table.rowCount()))


def test_a_window_with_no_category_ticked_is_general(console, demo_ctx) -> None:
    tab = console.windows
    tab.new_window()
    tab.f_name.setText("综合窗口")
    assert tab.save_window()
    assert demo_ctx.hall.windows()[-1].general
    assert "全科" in tab.last_message


def test_a_new_clerk_signs_in_with_the_new_password_which_is_never_shown(console, demo_ctx) -> None:
    tab = console.staff_tab
    tab.new_account()
    tab.f_login.setText("clerk09")
    tab.f_name.setText("孙悦")
    tab.f_password.setText("s3cret-pass")
    assert tab.save_account(), tab.last_message
    assert demo_ctx.hall.authenticate("clerk09", "s3cret-pass").role == "clerk"
    assert tab.f_password.text() == ""
    assert tab.f_password.echoMode() == QLineEdit.EchoMode.Password
    shown = [tab.table.item(r, c).text() for r in range(tab.table.rowCount()) for c in range(tab.table.columnCount())]
    assert "s3cret-pass" not in " ".join(shown) and "孙悦" in shown


def test_a_short_password_is_refused_and_no_account_is_made(console, demo_ctx) -> None:
    tab = console.staff_tab
    tab.new_account()
    tab.f_login.setText("clerk10")
    tab.f_name.setText("钱多")
    tab.f_password.setText("123")
    assert not tab.save_account()
    assert "密码至少6位" in tab.last_message
    assert "clerk10" not in {s.login for s in demo_ctx.hall.staff()}


def test_the_manager_cannot_lock_themself_out(console, demo_ctx) -> None:
    tab = console.staff_tab
    tab.edit_account("admin")
    tab.f_active.setChecked(False)
    assert not tab.save_account()
    assert demo_ctx.hall.authenticate("admin", "demo-admin").active


def test_invalid_settings_show_the_message_and_change_nothing(console, demo_ctx) -> None:
    tab = console.settings
    before = demo_ctx.hall.settings()
    tab.set_value("manager_pin", "12")
    tab.set_value("idle_seconds", 3)
    assert not tab.save()
    assert "管理员PIN应为4到8位数字" in tab.last_message
    assert "应为10到3600" in tab.last_message
    assert demo_ctx.hall.reload_settings() == before


def test_a_bad_device_port_url_is_refused(console, demo_ctx) -> None:
    tab = console.settings
    tab.set_value("printer_port", "bogus://printer")
    assert not tab.save()
    assert "bogus://printer" in tab.last_message
    assert demo_ctx.hall.reload_settings().printer_port == ""


def test_valid_settings_are_saved(console, demo_ctx) -> None:
    tab = console.settings
    tab.set_value("priority_policy", "strict")
    tab.set_value("max_skips", 3)
    tab.set_value("printer_port", "socket://10.0.0.5:9100")
    tab.set_value("printer_baud", "19200")
    tab.set_value("scanner_baud", "115200")
    assert tab.save(), tab.last_message
    s = demo_ctx.hall.reload_settings()
    assert (s.priority_policy, s.max_skips, s.printer_port) == ("strict", 3, "socket://10.0.0.5:9100")
    assert (s.printer_baud, s.scanner_baud) == (19200, 115200)


def test_a_malformed_catalog_file_shows_the_message_and_changes_nothing(console, demo_ctx, tmp_path) -> None:
    before = demo_ctx.hall.export_catalog()
    broken = tmp_path / "broken.json"
    broken.write_text('{"categories": [', encoding="utf-8")
    assert not console.catalog.import_catalog_file(broken)
    assert "不是有效的JSON" in console.catalog.last_message
    invalid = tmp_path / "invalid.json"
    doc = json.loads(json.dumps(before))
    doc["matters"][0]["promised_days"] = 999
    invalid.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert not console.catalog.import_catalog_file(invalid)
    assert "不能超过法定时限" in console.catalog.last_message
    assert demo_ctx.hall.export_catalog() == before


def test_catalog_and_materials_round_trip_through_files(console, demo_ctx, tmp_path) -> None:
    assert console.catalog.export_catalog_file(tmp_path / "c.json")
    assert console.catalog.export_materials_file(tmp_path / "m.csv")
    assert console.catalog.import_catalog_file(tmp_path / "c.json"), console.catalog.last_message
    assert console.catalog.import_materials_file(tmp_path / "m.csv"), console.catalog.last_message
    assert "已导入材料" in console.catalog.last_message


def test_a_bad_calendar_text_is_refused_with_its_line_number(console, demo_ctx) -> None:
    tab = console.calendar
    years_before = demo_ctx.hall.calendar_years()
    text = "# 2027\n休 2027-01-01 元旦\n休 2027-02-30 春节\n"
    assert not tab.load_text(2027, text)
    assert "第3行" in tab.last_message
    assert demo_ctx.hall.calendar_years() == years_before


def test_a_published_year_loads_from_a_file_and_is_listed_with_its_source(console, demo_ctx, tmp_path) -> None:
    path = tmp_path / "2027.txt"
    path.write_text("休 2027-01-01 至 2027-01-03 元旦\n班 2027-02-07\n", encoding="utf-8")
    assert console.calendar.load_file(2027, path), console.calendar.last_message
    assert (2027, "manager:2027.txt") in demo_ctx.hall.calendar_years()
    shown = [console.calendar.table.item(r, 1).text() for r in range(console.calendar.table.rowCount())]
    assert "管理员载入（文件 2027.txt）" in shown and not any(s.startswith("manager:") for s in shown)
    assert console.calendar.view_year(2027)
    assert "班 2027-02-07" in console.calendar.editor.toPlainText()


def test_report_for_today_exports_csv_and_pdf(console, demo_ctx, tmp_path) -> None:
    hall = demo_ctx.hall
    hall.sign_in(1, "clerk01", "demo-clerk01")
    for _ in range(3):
        hall.issue_ticket(category="A")
    t = hall.call_next(1)
    hall.finish(t.id, 1)
    tab = console.reports
    report = tab.make_report_now(hall.today(), hall.today())
    assert report is not None and report.totals.issued == 3
    assert tab.export_csv(tmp_path / "r.csv") and tab.export_pdf(tmp_path / "r.pdf")
    rows = list(csv.reader((tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()))
    total = next(r for r in rows if r and r[0] == "合计")
    assert total[2:4] == ["3", "1"]  # issued, served
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    tab.refresh_today_now()
    assert dict(tab.chart_issued.items)["A 商事登记"] == 3


def test_a_clerk_gets_no_tabs(qtbot, demo_ctx) -> None:
    c = AdminConsole(demo_ctx, Staff(login="clerk01", name="王晓燕", role="clerk"))
    qtbot.addWidget(c)
    tabs = c.findChild(QTabWidget)
    assert tabs.count() == 1 and tabs.tabText(0) == "无权限"


def test_screenshots_of_every_tab(qtbot, demo_ctx, tmp_path) -> None:
    paths = render_screenshots(demo_ctx, tmp_path)
    names = [p.name for p in paths]
    assert names[:8] == [f"admin_{n}.png" for n in ("board", "catalog", "windows", "staff", "terminals", "settings",
                                                    "calendar", "reports")]
    assert "admin_terminals_token.png" in names
    assert "admin_catalog_refused.png" in names
    assert all(p.stat().st_size > 20_000 for p in paths)


def test_the_exclusion_list_keeps_only_hashes_and_refuses_a_bad_number(console, demo_ctx) -> None:
    tab = console.settings
    tab.exclusion_input.setPlainText("11010519491231002X\n110105194912310021\n")
    assert not tab.replace_exclusions()
    assert "第2个" in tab.message.text() and demo_ctx.hall.settings().rongque_excluded == ()
    tab.exclusion_input.setPlainText("11010519491231002X\n")
    assert tab.replace_exclusions()
    stored = demo_ctx.hall.settings().rongque_excluded
    # a keyed hash, not the number (hex digits may hold "110105" by chance, so that is not the test)
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{64}", stored[0])
    assert "1人" in tab.exclusion_count.text()


def test_the_display_notice_is_edited_in_settings(console, demo_ctx) -> None:
    tab = console.settings
    tab.fields["display_notice"].setText("今天下午三点起暂停办理公积金业务")
    assert tab.save()
    assert demo_ctx.hall.settings().display_notice == "今天下午三点起暂停办理公积金业务"


def test_a_bad_review_is_called_back_rectified_and_rated_again_from_the_console(console, demo_ctx) -> None:
    from ui.admin.reviews_tab import HEADERS

    hall = demo_ctx.hall
    hall.sign_in(1, "clerk01", "demo-clerk01")
    t = hall.issue_ticket(category="A")
    hall.call_next(window=1)
    hall.finish(t.id, window=1)
    hall.evaluate(t.id, 1, "等太久")
    tab = console.reviews
    tab.reload()
    assert tab.table.rowCount() == 1 and "待回访" in tab.table.item(0, 7).text()
    assert tab.table.item(0, 3).text() == "其他；等太久"  # the reason and the citizen's own words, for the callback
    assert not tab.close_review()  # nothing selected yet
    tab.select(hall.bad_reviews()[0].id)
    tab.resolution.setText("")
    assert not tab.close_review() and "整改情况" in tab.last_message
    assert tab.actions["callback"].property("role") == "ok"  # the step the review waits for
    tab.note.setText("已电话致歉")
    assert tab.record_callback()
    assert tab.actions["close"].property("role") == "ok" and tab.actions["callback"].property("role") == "secondary"
    callback = tab.table.item(0, HEADERS.index("回访情况")).text()
    assert callback.endswith("已电话致歉") and f"{hall.clock():%m-%d}" in callback  # what the call found, for who rectifies
    tab.resolution.setText("高峰时段增开商事窗口")
    assert tab.close_review()
    tab.follow_up.setCurrentIndex(tab.follow_up.findData(4))
    assert tab.record_follow_up()
    review = hall.bad_reviews()[0]
    assert (review.status, review.resolution, review.follow_up_level) == ("closed", "高峰时段增开商事窗口", 4)
    done = [e.clerk for e in hall.events_since(0) if e.kind in ("BadReviewCalledBack", "BadReviewClosed")]
    assert done == [console.staff.login] * 2  # who called back and who closed it: the manager signed in


def test_the_reviews_tab_shows_reasons_and_callback_number_and_exports_ratings(console, demo_ctx, tmp_path) -> None:
    import json

    hall = demo_ctx.hall
    t = hall.issue_ticket(category=hall.categories()[0].prefix)
    window = hall.windows()[0].number
    login = next(s.login for s in hall.staff() if s.role == "clerk")
    hall.sign_in(window, login, "demo-" + login)
    hall.call_next(window=window)
    hall.finish(t.id, window=window)
    hall.evaluate(t.id, 1, reasons=("效率",), phone="13800001234")
    tab = console.reviews
    tab.reload()
    texts = [tab.table.item(r, 3).text() for r in range(tab.table.rowCount())]
    assert any("效率" in x and "13800001234" in x for x in texts)
    out = tmp_path / "ratings.json"
    assert tab.export_ratings(out)
    assert json.loads(out.read_text("utf-8"))["ratings"][-1]["reasons"] == ["效率"]


# --- creating never overwrites ---------------------------------------------------------------


def test_a_new_account_with_a_login_in_use_is_refused_and_the_account_is_untouched(console, demo_ctx) -> None:
    tab = console.staff_tab
    before = next(s for s in demo_ctx.hall.staff() if s.login == "clerk01")
    tab.new_account()
    tab.f_login.setText("clerk01")
    tab.f_name.setText("冒名")
    tab.f_role.setCurrentIndex(tab.f_role.findData("manager"))
    tab.f_password.setText("taken-over-1")
    assert not tab.save_account()
    assert "已被使用" in tab.last_message
    assert next(s for s in demo_ctx.hall.staff() if s.login == "clerk01") == before
    assert demo_ctx.hall.authenticate("clerk01", "demo-clerk01").role == "clerk"  # the old password still holds


def test_a_new_window_with_a_number_in_use_is_refused_and_an_edited_one_keeps_its_number(console, demo_ctx) -> None:
    tab = console.windows
    before = demo_ctx.hall.windows()
    tab.new_window()
    tab.f_number.setValue(5)
    tab.f_name.setText("新窗口")
    assert not tab.save_window()
    assert "5号窗口已存在" in tab.last_message and demo_ctx.hall.windows() == before
    tab.edit_window(7)
    assert tab.f_number.isReadOnly()  # renumbering would overwrite window 8
    tab.new_window()
    assert not tab.f_number.isReadOnly()


def test_a_new_category_with_a_prefix_in_use_or_one_bad_row_stores_nothing(console, demo_ctx) -> None:
    from PySide6.QtWidgets import QTableWidgetItem

    tab = console.catalog
    before = demo_ctx.hall.categories()
    tab.add_category_row()
    last = tab.cat_table.rowCount() - 1
    for col, text in enumerate(("A", "新分类", "100", "90", "10")):
        tab.cat_table.setItem(last, col, QTableWidgetItem(text))
    assert not tab.save_categories()
    assert "“A”" in tab.last_message and demo_ctx.hall.categories() == before
    tab.reload()
    rows = {tab.cat_table.item(r, 0).text(): r for r in range(tab.cat_table.rowCount())}
    tab.cat_table.setItem(rows["B"], 2, QTableWidgetItem("250"))  # a good change
    tab.cat_table.setItem(rows["C"], 3, QTableWidgetItem("999"))  # and a bad one
    assert not tab.save_categories()
    assert "C" in tab.last_message and demo_ctx.hall.categories() == before  # neither is stored


def test_catalog_materials_and_calendar_files_saved_by_chinese_excel_or_notepad_are_read(console, demo_ctx,
                                                                                        tmp_path) -> None:
    assert console.catalog.export_materials_file(tmp_path / "m.csv")
    text = (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "gbk.csv").write_bytes(text.encode("gb18030"))
    assert console.catalog.import_materials_file(tmp_path / "gbk.csv"), console.catalog.last_message
    calendar = tmp_path / "2027.txt"
    calendar.write_bytes("休 2027-01-01 至 2027-01-03 元旦\n".encode("gbk"))
    assert console.calendar.load_file(2027, calendar), console.calendar.last_message


def test_deleting_a_matter_asks_first_and_is_refused_while_citizens_hold_tickets_for_it(console, demo_ctx,
                                                                                     monkeypatch) -> None:
    tab = console.catalog
    code = demo_ctx.hall.matters("A")[0].code
    tab.select_matter(code)
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or False)
    assert not tab.delete_matter()
    assert demo_ctx.hall.get_matter(code) and asked and demo_ctx.hall.get_matter(code).name in asked[0]
    monkeypatch.setattr(tab, "confirm", lambda title, text: True)
    demo_ctx.hall.issue_ticket(matter_code=code)
    assert not tab.delete_matter()
    assert "持号" in tab.last_message and demo_ctx.hall.get_matter(code)


def test_saving_settings_keeps_what_another_console_changed_meanwhile(console, demo_ctx) -> None:
    tab = console.settings
    demo_ctx.hall.update_settings(max_skips=5, printer_port="socket://10.0.0.9:9100")  # elsewhere, after the form was read
    tab.set_value("display_notice", "今日下午三点后暂停办理出入境业务")
    assert tab.save(), tab.last_message
    assert "大屏滚动通知" in tab.last_message and "过号" not in tab.last_message
    s = demo_ctx.hall.reload_settings()
    assert (s.max_skips, s.printer_port) == (5, "socket://10.0.0.9:9100")
    assert s.display_notice == "今日下午三点后暂停办理出入境业务"
    assert tab.values()["max_skips"] == 5  # and the form shows them now


def test_unsaved_matter_edits_are_dropped_only_when_the_manager_says_so(console, demo_ctx, monkeypatch) -> None:
    tab = console.catalog
    first, second = demo_ctx.hall.matters("A")[:2]
    tab.select_matter(first.code)
    assert not tab.unsaved()
    tab.new_matter()
    assert not tab.unsaved()  # a blank form is not an edit
    tab.select_matter(first.code)
    tab.f_fee.setText("工本费20元")
    asked: list[str] = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or False)
    row = next(i for i in range(tab.matter_list.count())
               if tab.matter_list.item(i).data(Qt.ItemDataRole.UserRole) == second.code)
    tab.matter_list.setCurrentRow(row)
    assert asked and first.name in asked[0]
    assert tab.matter.code == first.code and tab.f_fee.text() == "工本费20元"  # kept, and the list points back
    assert tab.matter_list.currentItem().data(Qt.ItemDataRole.UserRole) == first.code
    monkeypatch.setattr(tab, "confirm", lambda title, text: True)
    tab.matter_list.setCurrentRow(row)
    assert tab.matter.code == second.code


def test_after_an_import_the_form_shows_the_matter_as_imported_so_saving_it_cannot_undo_the_import(
        console, demo_ctx, tmp_path) -> None:
    tab = console.catalog
    code = demo_ctx.hall.matters("A")[0].code
    tab.select_matter(code)
    document = demo_ctx.hall.export_catalog()
    for m in document["matters"]:
        if m["code"] == code:
            m["fee"] = "按件收费10元"
    (tmp_path / "c.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert tab.import_catalog_file(tmp_path / "c.json"), tab.last_message
    assert tab.f_fee.text() == "按件收费10元"
    assert tab.save_matter(), tab.last_message
    assert demo_ctx.hall.get_matter(code).fee == "按件收费10元"
