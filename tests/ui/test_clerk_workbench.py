"""The clerk workbench driven as a clerk would: sign in, keys and buttons, material check,
容缺 and one-time notice with their PDFs read back, the draft surviving a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QRadioButton, QWidget
from test_error_safety_net import LOST, net  # noqa: F401 - the safety net as the launcher installs it

from kiosk import idnumber
from kiosk.models import MaterialStatus, PendingStatus, TicketStatus

MATTER = "330106-A-001"  # 个体工商户设立登记: 1 申请书 (key), 2 身份证明 (key), 3 场所证明 (容缺)
LOGIN, PASSWORD = "clerk01", "demo-clerk01"  # resources/demo_hall.json
WINDOW = 3
FIRST17 = "33010619850312004"
VALID_ID = FIRST17 + idnumber.check_digit(FIRST17)


# --- helpers (the demo hall's context, `demo_ctx`, is the UI conftest's) ----------------------


def open_workbench(qtbot, demo_ctx, window: int = WINDOW, sign_in: bool = True):
    from ui.clerk import ClerkWorkbench

    wb = ClerkWorkbench(demo_ctx, window)
    qtbot.addWidget(wb)
    wb.show()
    qtbot.waitExposed(wb)
    wb.raise_()
    wb.activateWindow()  # F-keys are window shortcuts: they need the active window
    qtbot.waitUntil(wb.isActiveWindow)
    if sign_in:
        assert wb.sign_in(LOGIN, PASSWORD)
    return wb


def pump(demo_ctx) -> None:
    demo_ctx.hall_events.drain_now()


def fill_applicant(wb, name: str = "张伟", id_number: str = VALID_ID, phone: str = "13857112345") -> None:
    form = wb.acceptance.applicant
    form.name.setText(name)
    form.id_number.setText(id_number)
    form.phone.setText(phone)


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def wait_file(qtbot, path: Path) -> None:
    qtbot.waitUntil(lambda: path.exists() and path.stat().st_size > 1000, timeout=15000)


# --- signing in -------------------------------------------------------------------------------


def test_sign_in_refuses_a_wrong_password_then_shows_name_and_window(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx, sign_in=False)
    assert not wb.actions.buttons["call_next"].isEnabled()
    assert not wb.sign_in(LOGIN, "wrong-password")
    assert "不正确" in wb.signin.error.text()
    assert wb.sign_in(LOGIN, PASSWORD)
    assert "王晓燕" in wb.clerk_label.text()
    assert "3号窗口" in wb.title.text()
    assert wb.stack.currentIndex() == 1
    assert demo_ctx.hall.queue_status().windows[WINDOW - 1].clerk == LOGIN


def test_every_button_shows_its_function_key(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    for key, name in zip(("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"), wb.actions.buttons, strict=True):
        assert wb.actions.buttons[name].text().endswith(key)


def test_waiting_counts_follow_hall_events(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    demo_ctx.hall.issue_ticket(matter_code=MATTER)
    demo_ctx.hall.issue_ticket(matter_code=MATTER)
    qtbot.waitUntil(lambda: wb.counts.count("A") == 2)


# --- queue actions ----------------------------------------------------------------------------


def test_f1_calls_the_waiting_ticket(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    t = demo_ctx.hall.issue_ticket(matter_code=MATTER, holder_name="张伟")
    pump(demo_ctx)
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    assert wb.ticket is not None and wb.ticket.id == t.id
    assert demo_ctx.hall.get_ticket(t.id).status is TicketStatus.CALLED
    assert wb.citizen.number.text() == t.number
    assert "张*" in wb.citizen.details.text()
    assert wb.acceptance.matter_code() == MATTER


def test_recall_skip_and_finish_by_buttons(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    a = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    b = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    qtbot.mouseClick(wb.actions.buttons["recall"], Qt.MouseButton.LeftButton)
    assert demo_ctx.hall.get_ticket(a.id).recalls == 1
    qtbot.mouseClick(wb.actions.buttons["skip"], Qt.MouseButton.LeftButton)
    assert demo_ctx.hall.get_ticket(a.id).status is TicketStatus.SKIPPED
    assert wb.ticket is None
    qtbot.mouseClick(wb.actions.buttons["call_next"], Qt.MouseButton.LeftButton)
    assert wb.ticket is not None and wb.ticket.id == b.id
    qtbot.mouseClick(wb.actions.buttons["start"], Qt.MouseButton.LeftButton)
    assert demo_ctx.hall.get_ticket(b.id).status is TicketStatus.SERVING
    qtbot.mouseClick(wb.actions.buttons["finish"], Qt.MouseButton.LeftButton)
    assert demo_ctx.hall.get_ticket(b.id).status is TicketStatus.SERVING  # asks why first: nothing was decided
    wb.finish_dialog.choose("consult")
    qtbot.mouseClick(wb.finish_dialog.ok_btn, Qt.MouseButton.LeftButton)
    assert demo_ctx.hall.get_ticket(b.id).status is TicketStatus.DONE
    assert demo_ctx.hall.get_ticket(b.id).finish_reason == "consult"
    assert not wb.actions.buttons["finish"].isEnabled()


def test_a_skipped_citizen_who_turns_up_is_called_back(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    a = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    wb.skip()
    assert wb.actions.buttons["call_back"].isEnabled()
    back = wb.call_back(a.id)
    assert back is not None and back.status is TicketStatus.CALLED and wb.ticket.id == a.id
    assert "重呼" in wb.last_message
    assert not wb.actions.buttons["call_back"].isEnabled()  # busy with the citizen now


def test_call_back_with_nobody_skipped_says_so(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    assert wb.call_back() is None and "没有过号" in wb.last_message


def test_a_refusal_is_shown_not_raised(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    wb.call_next()  # nobody waits
    assert "暂无" in wb.last_message
    demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    demo_ctx.hall.finish(wb.ticket.id, WINDOW)  # another terminal finished it behind our back
    wb.recall()
    assert wb.message.text().startswith("⚠")


def test_pause_and_resume_with_f5(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    qtbot.keyClick(wb, Qt.Key.Key_F5)
    assert wb.paused and "恢复" in wb.actions.buttons["pause"].text()
    assert not wb.actions.buttons["call_next"].isEnabled()
    qtbot.keyClick(wb, Qt.Key.Key_F1)  # disabled: the key does nothing either
    qtbot.keyClick(wb, Qt.Key.Key_F5)
    assert not wb.paused


def test_transfer_to_a_category_and_through_the_f4_dialog(qtbot, demo_ctx, monkeypatch):
    from ui.clerk import dialogs

    wb = open_workbench(qtbot, demo_ctx)
    t = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    moved = wb.transfer(to_category="B")
    assert moved is not None and moved.category == "B" and moved.status is TicketStatus.WAITING
    assert moved.arrival_at == t.arrival_at
    assert wb.ticket is None

    wb.call_next()  # a general window: the same citizen, now in 不动产登记
    assert wb.ticket.id == t.id

    demo_ctx.hall.sign_in(7, "clerk07", "demo-clerk07")  # someone to call the citizen there
    pump(demo_ctx)

    def pick_window_7(self):
        self.choose(window=7)  # 不动产登记7号窗口
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.TransferDialog, "exec", pick_window_7)
    qtbot.keyClick(wb, Qt.Key.Key_F4)
    assert demo_ctx.hall.get_ticket(t.id).target_window == 7
    assert "7号窗口" in wb.last_message


def test_transfer_dialog_insists_on_a_target(qtbot, demo_ctx):
    from ui.clerk.dialogs import TransferDialog

    t = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    dialog = TransferDialog(t, demo_ctx.hall.categories(), demo_ctx.hall.windows(), WINDOW)
    qtbot.addWidget(dialog)
    dialog._accept()
    assert "请选择" in dialog.hint.text() and dialog.result() == 0
    dialog.choose(category="C")
    assert dialog.choice() == ("C", None)


# --- the material check and the decision ------------------------------------------------------


def call_for_matter(qtbot, demo_ctx, wb, ticked: tuple[int, ...], look_at_the_rest: bool = True, matter: str = MATTER):
    """Call a citizen who ticked `ticked`; the clerk marks every other needed material 缺."""
    t = demo_ctx.hall.issue_ticket(matter_code=matter, ticked=ticked)
    wb.call_next()
    assert wb.ticket.id == t.id
    if look_at_the_rest:
        for m in wb.acceptance.table.unchecked():
            wb.acceptance.table.set_status(m.id, MaterialStatus.MISSING)
    return t


def confirm(qtbot, dialog) -> None:
    """The clerk reads the confirmation and presses its 确认 button."""
    assert dialog is not None and dialog.isVisible()
    qtbot.mouseClick(dialog.ok_btn, Qt.MouseButton.LeftButton)
    # the decision is recorded while the event loop turns (off the GUI thread), which lets the
    # offscreen platform make the dialog active; it never hands activation back when the dialog
    # closes, as a window manager does, so the desk takes it back for the clerk's next key
    desk = QWidget.window(dialog.parentWidget())  # a panel keeps its own `window` (the number)
    if QApplication.activeWindow() is not desk:
        desk.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is desk, timeout=2000)


def test_prefilled_from_what_the_citizen_ticked_and_the_rest_unchecked_not_missing(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 3), look_at_the_rest=False)
    table = wb.acceptance.table
    checks = {c.material_id: c.status for c in table.checks()}
    assert checks[1] is MaterialStatus.RECEIVED and checks[3] is MaterialStatus.RECEIVED
    assert [m.id for m in table.unchecked()] == [2]  # nobody has looked at it: not 缺 yet
    assert not any(b.isChecked() for b in table.findChildren(QRadioButton, QRegularExpression(r"status-2-.*")))
    assert checks[7] is MaterialStatus.NOT_APPLICABLE  # 委托代理人办理的: not ticked as a situation


def test_rongque_needs_the_undertaking_and_writes_the_receipt(qtbot, demo_ctx, tmp_path):
    wb = open_workbench(qtbot, demo_ctx)
    t = call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))  # 经营场所使用证明 not brought
    fill_applicant(wb)
    panel = wb.acceptance
    assert panel.assessment.outcome == "accept_pending"
    assert "补齐至" in panel.deadline.text()
    assert not panel.accept_btn.isEnabled()
    assert not panel.rongque_btn.isEnabled()
    assert panel.accept(rongque=True) is None  # the button's door stays shut too

    qtbot.mouseClick(panel.undertaking, Qt.MouseButton.LeftButton)
    assert panel.rongque_btn.isEnabled()
    qtbot.mouseClick(panel.rongque_btn, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.decided) as got:
        confirm(qtbot, panel.confirm_dialog)
    app = got.args[0]
    assert app.pending and app.pending[0].material_id == 3
    assert demo_ctx.hall.get_application(app.number).ticket_ids == (t.id,)
    assert app.number in wb.last_message

    receipt = tmp_path / "receipt.pdf"
    wb.save_pdf(receipt, "receipt")
    wait_file(qtbot, receipt)
    text = pdf_text(receipt)
    assert app.number in text and "受理回执" in text
    assert VALID_ID not in text

    notice = tmp_path / "rongque.pdf"
    wb.save_pdf(notice, "rongque")
    wait_file(qtbot, notice)
    assert "容缺受理" in pdf_text(notice)


def test_the_clerk_may_shorten_the_rongque_deadline_but_not_past_the_promised_time(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))
    fill_applicant(wb)
    panel = wb.acceptance
    matter = demo_ctx.hall.get_matter(MATTER)
    assert panel.pending_days.isVisible() and panel.pending_days.maximum() == matter.promised_days
    panel.pending_days.setValue(1)
    expected = demo_ctx.hall.deadline(demo_ctx.hall.today(), 1).date
    assert f"{expected:%Y-%m-%d}" in panel.deadline.text()
    qtbot.mouseClick(panel.undertaking, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.rongque_btn, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.decided) as got:
        confirm(qtbot, panel.confirm_dialog)
    assert got.args[0].pending[0].deadline == expected


def test_key_material_missing_gives_the_one_time_notice_and_its_pdf(qtbot, demo_ctx, tmp_path):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(2, 3))  # the application form (key) is missing
    panel = wb.acceptance
    panel.table.set_status(2, MaterialStatus.DEFECTIVE, "复印件不清晰")
    fill_applicant(wb)
    assert panel.assessment.outcome == "refuse"
    assert "一次性告知" in panel.verdict.text()
    assert not panel.accept_btn.isEnabled() and not panel.rongque_btn.isEnabled()
    notice = panel.give_notice()
    assert notice is not None and len(notice.items) == 2
    assert {i.name for i in notice.items} >= {"经营者身份证明"}
    path = tmp_path / "notice.pdf"
    wb.save_pdf(path)
    wait_file(qtbot, path)
    text = pdf_text(path)
    assert notice.number in text and "复印件不清晰" in text


def test_invalid_id_number_keeps_accept_disabled(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb, id_number=VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1"))
    assert wb.acceptance.assessment.outcome == "accept"
    assert not wb.acceptance.accept_btn.isEnabled()
    assert "校验位" in wb.acceptance.applicant.id_hint.text()
    fill_applicant(wb)
    assert wb.acceptance.accept_btn.isEnabled()


def test_the_id_number_is_shown_masked_unless_being_edited_and_reaches_the_hall_in_full(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    form = wb.acceptance.applicant
    field = form.id_number
    wb.acceptance.matter.setFocus()
    form.fill_from_card("张伟", VALID_ID)  # as from a card reader
    masked = idnumber.mask_id(VALID_ID)
    assert field.text() == masked and VALID_ID not in field.text()
    assert field.value() == VALID_ID and form.values()["applicant_id"] == VALID_ID
    assert "校验通过" in form.id_hint.text()

    # the clerk clicks in to correct a digit: the full number comes back, typing edits it
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(field.hasFocus)
    assert field.text() == VALID_ID and not field.isReadOnly()
    qtbot.keyClick(field, Qt.Key.Key_End)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.value() == VALID_ID[:-1]
    assert "18位" in form.id_hint.text()
    qtbot.keyClicks(field, VALID_ID[-1])
    assert field.value() == VALID_ID
    wb.acceptance.matter.setFocus()  # leaves the field: masked again
    qtbot.waitUntil(lambda: field.text() == masked)

    # a program filling the field while it has the focus still shows the masked form
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.setText(VALID_ID)
    assert field.text() == masked and field.isReadOnly()
    qtbot.keyClick(field, Qt.Key.Key_End)  # any key: the clerk is editing again
    assert field.text() == VALID_ID

    seen = {}
    accept = demo_ctx.hall.accept

    def spy(**kwargs):
        seen.update(kwargs)
        return accept(**kwargs)

    wb.acceptance.hall.accept = spy
    try:
        form.phone.setText("13857112345")
        assert wb.acceptance.accept() is not None
    finally:
        del wb.acceptance.hall.accept
    assert seen["applicant_id"] == VALID_ID


def test_a_card_on_the_desk_reader_fills_the_applicant_once_and_never_overwrites(qtbot, demo_ctx):
    import datetime as dt

    from devices.events import IDCARD, CardRead
    from devices.idcard.card import CardType, IdCard
    from ui.clerk import ClerkWorkbench

    def read(name: str, number: str) -> CardRead:
        return CardRead(IdCard(card_type=CardType.RESIDENT, name=name, gender_code="1",
                               birth_date=dt.date(1949, 12, 31), id_number=number, valid_from=dt.date(2020, 1, 1),
                               valid_to=None), device=IDCARD, url="sim://")

    wb = ClerkWorkbench(demo_ctx, WINDOW, card_reader=True)
    qtbot.addWidget(wb)
    assert wb.sign_in(LOGIN, PASSWORD)
    demo_ctx.device_events.post(read("张伟", VALID_ID))
    demo_ctx.device_events.drain_now()
    form = wb.acceptance.applicant
    assert form.id_number.value() == ""  # nobody at the window yet: nothing to fill
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    demo_ctx.device_events.post(read("张伟", VALID_ID))
    demo_ctx.device_events.drain_now()
    assert (form.name.text(), form.id_number.value()) == ("张伟", VALID_ID)
    assert idnumber.mask_id(VALID_ID) in wb.last_message and VALID_ID not in wb.last_message
    demo_ctx.device_events.post(read("李四", "33010619900101123X"))  # another card laid down by mistake
    demo_ctx.device_events.drain_now()
    assert (form.name.text(), form.id_number.value()) == ("张伟", VALID_ID)


def test_the_recommended_action_is_the_strong_button(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))  # 容缺
    fill_applicant(wb)
    panel = wb.acceptance
    roles = lambda: (panel.accept_btn.property("role"), panel.rongque_btn.property("role"),  # noqa: E731
                     panel.notice_btn.property("role"))
    assert panel.assessment.outcome == "accept_pending"
    assert roles() == ("secondary", "ok", "secondary-danger")
    assert panel.undertaking.property("role") == "next-step"  # sign first: the next step is marked
    panel.undertaking.setChecked(True)
    assert panel.undertaking.property("role") == "" and panel.rongque_btn.isEnabled()
    panel.table.set_status(1, MaterialStatus.MISSING)  # a key material missing: the notice leads
    assert panel.assessment.outcome == "refuse"
    assert roles() == ("secondary", "secondary", "danger")
    panel.table.set_status(1, MaterialStatus.RECEIVED)
    panel.table.set_status(3, MaterialStatus.RECEIVED)
    assert panel.assessment.outcome == "accept"
    assert roles() == ("ok", "secondary", "secondary-danger")


def test_print_renders_every_page_to_the_printer(qtbot, demo_ctx, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from ui.clerk.documents import can_rasterise

    if not can_rasterise():
        pytest.skip("pypdfium2 not installed: printing falls back to saving")
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))
    fill_applicant(wb)
    wb.acceptance.undertaking.setChecked(True)
    wb.acceptance.accept(rongque=True)
    wb.documents.select("rongque")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    with qtbot.waitSignal(wb.documents.printed, timeout=30000) as got:
        wb.documents.print_to(printer)
    assert got.args[0] == 2  # the notice and the undertaking
    from pypdf import PdfReader

    assert len(PdfReader(str(out)).pages) == 2


def test_reprint_of_the_last_document_after_a_restart(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    app = wb.acceptance.accept()
    from ui.worker import wait_for_jobs

    wait_for_jobs()
    wb.close()
    wb2 = open_workbench(qtbot, demo_ctx)
    assert wb2.documents.current() is not None
    assert wb2.documents.current().number == app.number


def test_the_next_citizen_starts_with_no_papers_of_the_last_one(qtbot, demo_ctx):
    from ui.worker import wait_for_jobs

    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    wb.acceptance.accept()
    wait_for_jobs()
    assert wb.documents.current() is not None and wb.documents.print_btn.isEnabled()
    confirm(qtbot, wb.finish())
    wait_for_jobs()
    assert wb.documents.current() is None and not wb.documents.print_btn.isEnabled()
    assert wb.last_decision is None
    wb.close()
    again = open_workbench(qtbot, demo_ctx)  # nor after a restart
    assert again.documents.current() is None


# --- the draft ----------------------------------------------------------------------------------


def test_the_draft_survives_closing_and_reopening(qtbot, demo_ctx):
    from ui.worker import wait_for_jobs

    wb = open_workbench(qtbot, demo_ctx)
    t = call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))
    wb.acceptance.table.set_status(1, MaterialStatus.DEFECTIVE, "未签字")
    fill_applicant(wb, name="李娜")
    wb.acceptance.undertaking.setChecked(True)
    wait_for_jobs()
    saved = wb.draft.load()
    assert saved and saved["ticket_id"] == t.id
    assert VALID_ID not in wb.draft.path.read_text(encoding="utf-8")  # never the full ID number
    wb.close()

    wb2 = open_workbench(qtbot, demo_ctx)
    checks = {c.material_id: c for c in wb2.acceptance.table.checks()}
    assert checks[1].status is MaterialStatus.DEFECTIVE and checks[1].reason == "未签字"
    assert checks[3].status is MaterialStatus.MISSING
    assert wb2.acceptance.applicant.name.text() == "李娜"
    assert "恢复" in wb2.last_message

    fill_applicant(wb2, name="李娜")
    assert wb2.acceptance.give_notice() is not None
    wait_for_jobs()
    assert not wb2.draft.path.exists()


# --- pending items ------------------------------------------------------------------------------


def accepted_with_a_pending_item(qtbot, demo_ctx, wb):
    """A citizen without 经营场所使用证明 accepted under 容缺; the desk on its 容缺 tab."""
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))
    fill_applicant(wb)
    wb.acceptance.undertaking.setChecked(True)
    app = wb.acceptance.accept(rongque=True)
    wb.tabs.setCurrentIndex(1)
    return app


def test_pending_tab_lists_and_supplies(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    app = accepted_with_a_pending_item(qtbot, demo_ctx, wb)
    assert wb.pending.table.rowCount() == 1
    assert "待补齐" in wb.pending.table.item(0, 3).text()
    wb.pending.table.selectRow(0)
    wb.pending.how.setCurrentIndex(wb.pending.how.findData("post"))
    done = wb.pending.supply_selected()
    assert done is not None and done.status is PendingStatus.SUPPLIED and done.supplied_how == "post"
    assert done.supplied_by == "王晓燕"
    assert demo_ctx.hall.pending_items(application_number=app.number)[0].status is PendingStatus.SUPPLIED
    assert "已补齐" in wb.pending.table.item(0, 3).text()


def test_screenshots_render(qtbot, demo_ctx, tmp_path):
    from PySide6.QtGui import QImage

    from ui.clerk import render_screenshots

    paths = render_screenshots(demo_ctx, tmp_path / "shots")
    assert [p.name.split("-1366")[0] for p in paths] == ["clerk-signed-out", "clerk-rongque-verdict",
                                                             "clerk-rongque-signed", "clerk-confirm",
                                                             "clerk-decided", "clerk-pending"]
    for p in paths:
        img = QImage(str(p))
        if "confirm" not in p.name:  # the confirmation is a dialog of its own size
            assert (img.width(), img.height()) == (1366, 768)


# --- asking once, keys, papers (a desk a clerk trusts) ------------------------------------------


def test_a_decision_is_asked_once_and_going_back_changes_nothing(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    panel = wb.acceptance
    qtbot.mouseClick(panel.accept_btn, Qt.MouseButton.LeftButton)
    dialog = panel.confirm_dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "确认受理"
    summary = dialog.summary.text()
    assert "个体工商户设立登记" in summary and idnumber.mask_id(VALID_ID) in summary and VALID_ID not in summary
    assert "受理回执" in dialog.papers.text()
    assert dialog.ok_btn.text().startswith("确认受理") and dialog.back_btn.text().startswith("返回修改")
    from ui.clerk.documents import can_rasterise

    if can_rasterise():  # the pages of the very receipt, rendered off the GUI thread
        qtbot.waitUntil(lambda: len(dialog.preview.pages) == 1, timeout=15000)
    qtbot.mouseClick(dialog.back_btn, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert demo_ctx.hall.applications() == [] and wb.last_decision is None
    assert panel.matter_code() == MATTER and panel.applicant.name.text() == "张伟"  # the form as it was
    assert panel.accept_btn.isEnabled()


def test_confirming_records_saves_the_papers_and_the_desk_says_what_happened(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    dialog = wb.acceptance.request("accept")
    dialog.printers.choose_saving()
    confirm(qtbot, dialog)
    (app,) = demo_ctx.hall.applications()
    receipt = wb.documents_dir / f"{app.number}_回执.pdf"
    wait_file(qtbot, receipt)
    assert app.number in pdf_text(receipt)
    qtbot.waitUntil(lambda: "已存入文书夹" in wb.banner.text())
    assert wb.banner.isVisible() and f"已受理 {app.number}" in wb.banner.text()
    assert "F7 办结" in wb.banner.text()  # and what the next key does


@pytest.mark.parametrize("second", [False, True], ids=["a-retry", "a-second-shop"])
def test_the_same_matter_accepted_again_for_the_same_citizen_is_asked_about_once(qtbot, demo_ctx, monkeypatch, second):
    """A lost answer retried is not a second application; two shops of one person are, once the
    clerk says so."""
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    first = wb.acceptance.accept()
    asked = []
    monkeypatch.setattr(wb.acceptance, "ask_another", lambda said: asked.append(said) or second)
    wb.acceptance.load_ticket(wb.ticket)  # the same citizen, the same matter checked again
    fill_applicant(wb)
    wb.acceptance.table.mark_all_received()
    dialog = wb.acceptance.request("accept")
    assert len(asked) == 1 and first.number in asked[0]
    if not second:
        assert dialog is None and len(demo_ctx.hall.applications()) == 1
        return
    confirm(qtbot, dialog)
    assert len(demo_ctx.hall.applications()) == 2 and wb.acceptance.another is False


def test_materials_start_unchecked_and_no_decision_until_each_is_looked_at(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1,), look_at_the_rest=False)
    fill_applicant(wb)
    panel = wb.acceptance
    assert len(panel.table.unchecked()) == 2
    assert "材料待核验" in panel.verdict.text() and "不能受理" not in panel.verdict.text()  # not known missing
    assert not any(b.isEnabled() for b in (panel.accept_btn, panel.rongque_btn, panel.notice_btn))
    assert "2项材料未核验" in panel.blocker.text() and "F9" in panel.blocker.text()
    qtbot.keyClick(wb, Qt.Key.Key_F10)  # the key says why instead of doing nothing
    assert panel.confirm_dialog is None and "未核验" in wb.last_message
    qtbot.keyClick(wb, Qt.Key.Key_F9)  # 全部收取
    assert panel.table.unchecked() == [] and panel.assessment.outcome == "accept"
    assert panel.accept_btn.isEnabled() and panel.blocker.text() == ""


def test_an_invalid_id_number_blocks_every_decision_and_names_the_field(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(2, 3))  # the application form is missing: a notice
    wrong = VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")
    fill_applicant(wb, id_number=wrong)
    panel = wb.acceptance
    assert panel.assessment.outcome == "refuse"
    assert not panel.notice_btn.isEnabled()  # no longer printed with "—" for the number
    assert "身份证号码" in panel.blocker.text()
    qtbot.keyClick(wb, Qt.Key.Key_F12)
    assert panel.confirm_dialog is None
    assert "不能一次性告知" in wb.last_message and "身份证号码" in wb.last_message
    assert demo_ctx.hall.applications() == []
    fill_applicant(wb)
    assert panel.notice_btn.isEnabled()


def test_every_acceptance_action_has_its_key_on_its_button_and_the_key_does_it(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    panel = wb.acceptance
    labels = {panel.all_received: "F9", panel.accept_btn: "F10", panel.rongque_btn: "F11",
              panel.notice_btn: "F12", wb.documents.print_btn: "Ctrl+P", panel.print_undertaking_btn: "Ctrl+P"}
    for button, key in labels.items():
        assert button.text().endswith(key)
    from ui.clerk.queue_panel import ACTIONS

    queue_keys = {k for _label, k in ACTIONS.values()}
    assert queue_keys.isdisjoint({"F9", "F10", "F11", "F12"})  # no key does two things

    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))  # 容缺: 场所证明 marked 缺
    fill_applicant(wb)
    qtbot.keyClick(wb, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # before a decision: the 承诺书
    assert wb.documents.preview_dialog is not None and wb.documents.preview_dialog.isVisible()
    assert wb.documents.preview_dialog.docs[0].kind == "undertaking"
    wb.documents.preview_dialog.reject()
    panel.undertaking.setChecked(True)
    qtbot.keyClick(wb, Qt.Key.Key_F11)
    assert panel.confirm_dialog.windowTitle() == "确认容缺受理"
    panel.confirm_dialog.reject()
    qtbot.keyClick(wb, Qt.Key.Key_F12)  # 容缺 may also be refused with a notice
    assert panel.confirm_dialog.windowTitle() == "确认出具一次性告知书"
    confirm(qtbot, panel.confirm_dialog)
    assert wb.last_decision is not None and wb.last_decision.number.startswith("GZ")  # a notice
    qtbot.keyClick(wb, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # after it: the notice
    assert wb.documents.preview_dialog.docs[0].kind == "notice"
    wb.documents.preview_dialog.reject()


def test_the_undertaking_prints_before_it_is_signed_and_records_nothing(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2))
    fill_applicant(wb)
    panel = wb.acceptance
    assert not panel.undertaking.isChecked() and panel.print_undertaking_btn.isEnabled()
    qtbot.mouseClick(panel.print_undertaking_btn, Qt.MouseButton.LeftButton)
    dialog = wb.documents.preview_dialog
    dialog.printers.choose_saving()
    dialog.accept()
    path = wb.documents_dir / "待受理_承诺书.pdf"
    wait_file(qtbot, path)
    text = pdf_text(path)
    assert "容缺受理承诺书" in text and "经营场所使用证明" in text and "承诺人" in text
    assert demo_ctx.hall.applications() == []  # signed first, recorded after


def test_the_print_preview_is_chinese_lists_the_printers_and_saves_by_application_number(qtbot, demo_ctx, monkeypatch):
    from ui.clerk import print_preview

    monkeypatch.setattr(print_preview, "available_printers", lambda: [("窗口激光打印机", True), ("票据打印机", False)])
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    app = wb.acceptance.accept()  # recorded without printing (a script's door)
    qtbot.mouseClick(wb.documents.print_btn, Qt.MouseButton.LeftButton)
    dialog = wb.documents.preview_dialog
    assert dialog.windowTitle().startswith("打印预览") and dialog.cancel_btn.text().startswith("取消")
    names = [dialog.printers.itemText(i) for i in range(dialog.printers.count())]
    assert names == ["窗口激光打印机（默认）", "票据打印机", "保存为PDF文件（存入文书文件夹）"]
    assert dialog.print_btn.text().startswith("打印")
    assert dialog.destination().printer == "窗口激光打印机"
    dialog.printers.choose_saving()
    assert dialog.print_btn.text().startswith("保存") and f"{app.number}_回执.pdf" in dialog.where.text()
    if print_preview.D.can_rasterise():
        qtbot.waitUntil(lambda: len(dialog.preview.pages) == 1, timeout=15000)
    dialog.accept()
    saved = wb.documents_dir / f"{app.number}_回执.pdf"
    assert saved.parent == Path(demo_ctx.hall.location()).parent / "documents"  # beside the hall file
    wait_file(qtbot, saved)
    assert app.number in pdf_text(saved)


def test_a_preview_closed_before_its_pages_are_ready_renders_no_further(qtbot, demo_ctx, monkeypatch, tmp_path):
    """Esc on a print preview still rendering: the papers after the one being built are neither
    built nor rasterised. Rendered on for nobody, they held a pool thread and PDFium's lock from
    the print asked for next, and ran on into whatever came after a desk closed mid-render."""
    import threading

    from ui.clerk import documents as D
    from ui.clerk.print_preview import PrintPreviewDialog
    from ui.worker import drain_jobs

    if not D.can_rasterise():
        pytest.skip("pypdfium2 not installed: no preview is rendered")
    building, may_finish = threading.Event(), threading.Event()
    built: list[str] = []
    rasterised: list[bytes] = []
    monkeypatch.setattr(D, "page_images", lambda data, dpi=D.PREVIEW_DPI: rasterised.append(data) or [])

    def first() -> bytes:
        building.set()
        may_finish.wait(5)
        built.append("receipt")
        return b"receipt"

    docs = [D.Document(D.RECEIPT, "1", first), D.Document(D.NOTICE, "2", lambda: built.append("notice") or b"")]
    dialog = PrintPreviewDialog(docs, tmp_path)
    qtbot.addWidget(dialog)
    dialog.open()
    assert building.wait(5)
    dialog.reject()  # Esc while the first paper is being built
    may_finish.set()
    assert drain_jobs()
    assert built == ["receipt"] and rasterised == [] and dialog.preview.pages == []


def test_finishing_without_a_decision_asks_why_and_a_no_show_is_not_asked_to_rate(qtbot, demo_ctx):
    from ui.evaluator import EvaluatorWindow

    evaluator = EvaluatorWindow(demo_ctx, WINDOW)
    qtbot.addWidget(evaluator)
    wb = open_workbench(qtbot, demo_ctx)
    absent = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    qtbot.keyClick(wb, Qt.Key.Key_F7)
    dialog = wb.finish_dialog
    assert dialog.isVisible() and "没有受理或告知记录" in dialog.text.text()
    assert not dialog.ok_btn.isEnabled()  # a reason first
    assert demo_ctx.hall.get_ticket(absent.id).status is TicketStatus.CALLED
    dialog.choose("no_show")
    confirm(qtbot, dialog)
    assert demo_ctx.hall.get_ticket(absent.id).finish_reason == "no_show"
    pump(demo_ctx)
    assert evaluator.state == "idle"  # nobody came: nobody is asked
    assert "未到场" in wb.banner.text()

    asked = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    confirm(qtbot, _chosen(wb.finish(), "consult"))
    pump(demo_ctx)
    assert demo_ctx.hall.get_ticket(asked.id).finish_reason == "consult"
    qtbot.waitUntil(lambda: evaluator.state == "asking")


def _chosen(dialog, code: str):
    dialog.choose(code)
    return dialog


def test_finishing_after_a_decision_says_what_the_citizen_got_and_needs_no_reason(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    t = call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    app = wb.acceptance.accept()
    dialog = wb.finish()
    assert app.number in dialog.text.text() and dialog.reasons == {} and dialog.ok_btn.isEnabled()
    qtbot.mouseClick(dialog.back_btn, Qt.MouseButton.LeftButton)
    assert demo_ctx.hall.get_ticket(t.id).status is TicketStatus.CALLED  # 返回: still at the window
    confirm(qtbot, wb.finish())
    assert demo_ctx.hall.get_ticket(t.id).status is TicketStatus.DONE and demo_ctx.hall.get_ticket(t.id).finish_reason == ""


def test_a_stalled_hall_never_freezes_the_desk_and_a_second_key_meanwhile_is_refused_plainly(qtbot, demo_ctx):
    """Signing in, the queue's actions and the decisions wait for the hall off the GUI thread:
    a hall file busy with another program or a stalled server leaves the desk responsive with
    请稍候, and a key pressed meanwhile says the last action is still under way."""
    import threading
    import time

    from PySide6.QtCore import QTimer

    wb = open_workbench(qtbot, demo_ctx, sign_in=False)
    on_gui: list[str] = []
    for name in ("sign_in", "call_next"):
        real = getattr(demo_ctx.hall, name)

        def slow(*a, real=real, name=name, **k):  # noqa: ANN002, ANN003, ANN202 - the facade's own
            if threading.current_thread() is threading.main_thread():
                on_gui.append(name)
            time.sleep(0.4)  # a stalled server, a hall file another program holds
            return real(*a, **k)

        setattr(demo_ctx.hall, name, slow)
    demo_ctx.hall.issue_ticket(matter_code=MATTER)
    beats: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start(20)
    pressed_meanwhile: list[tuple[object, str]] = []
    try:
        assert wb.sign_in(LOGIN, PASSWORD)
        # F1 pressed again while the first call waits for the hall
        QTimer.singleShot(100, lambda: pressed_meanwhile.append((wb.call_next(), wb.last_message)))
        called = wb.call_next()
    finally:
        timer.stop()
    assert called is not None and wb.ticket.id == called.id
    assert pressed_meanwhile == [(None, "上一项操作还在进行，请稍候")]
    assert demo_ctx.hall.queue_status().waiting.get("A", 0) == 0  # one ticket, called once
    assert on_gui == []
    assert len(beats) >= 25 and max(b - a for a, b in zip(beats, beats[1:], strict=False)) < 0.2
    cover = wb.findChild(QLabel, "hall-busy")
    assert cover is not None and not cover.isVisible()  # shown while it waited, gone after


def test_a_hall_event_while_an_action_waits_refreshes_the_desk_after_it_and_keeps_the_citizen(qtbot, demo_ctx):
    """Another window's or the kiosk's change arriving while the clerk's action still waits for
    the hall: the desk reads the queue again once the action is done, keeps its citizen and says
    nothing about a second action."""
    import time

    from PySide6.QtCore import QTimer

    wb = open_workbench(qtbot, demo_ctx)
    called = call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3), look_at_the_rest=False)
    waiting_before = wb.counts.count("A")
    real = demo_ctx.hall.start_service

    def slow(*a, **k):  # noqa: ANN002, ANN003, ANN202 - the facade's own
        time.sleep(0.4)  # a stalled server
        return real(*a, **k)

    demo_ctx.hall.start_service = slow
    QTimer.singleShot(100, lambda: demo_ctx.hall.issue_ticket(category="A"))  # a kiosk meanwhile
    wb.start()
    assert wb.ticket is not None and wb.ticket.id == called.id and wb.ticket.status is TicketStatus.SERVING
    assert "上一项操作" not in wb.last_message
    qtbot.waitUntil(lambda: wb.counts.count("A") == waiting_before + 1, timeout=2000)
    assert wb.ticket.id == called.id and wb.acceptance.ticket.id == called.id


# --- the hall server lost in the middle of the panel's reads -------------------------------------


def _materials_shown(panel) -> list[str]:
    return [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]


@pytest.mark.qt_no_exception_capture
@pytest.mark.usefixtures("net")
def test_the_server_lost_while_the_clerk_changes_the_matter_is_said_on_the_desk(qtbot, demo_ctx, monkeypatch, capsys):
    """A LAN cable pulled while the acceptance panel reads a checklist: the desk says so in its
    message line (its banner comes from the client's lost-server event), no traceback, and the
    panel keeps the last matter whole rather than one matter's checklist under another's name."""
    from kiosk.errors import ServerUnavailable

    wb = open_workbench(qtbot, demo_ctx)
    demo_ctx.hall.issue_ticket(matter_code=MATTER)
    pump(demo_ctx)
    wb.call_next()
    combo = wb.acceptance.matter
    other = next(i for i in range(combo.count()) if combo.itemData(i) and combo.itemData(i) != MATTER)

    def gone(*args, **kwargs):
        raise ServerUnavailable(LOST)

    panel = wb.acceptance
    shown = _materials_shown(panel)
    assert shown and panel.condition_checks
    with monkeypatch.context() as lost:
        lost.setattr(demo_ctx.hall, "checklist", gone)
        lost.setattr(demo_ctx.hall, "get_matter", gone)
        combo.setCurrentIndex(other)
        qtbot.waitUntil(lambda: LOST in wb.message.text())
        assert wb.message.text().startswith("⚠")
        # the last matter stays whole: its name in the list, its situations, its checklist
        assert panel.matter_code() == MATTER
        assert _materials_shown(panel) == shown
        situation = panel.condition_checks[0]
        situation.setChecked(True)  # its checklist cannot be read: the tick is undone
        assert not situation.isChecked()
        assert _materials_shown(panel) == shown
    combo.setCurrentIndex(other)  # the server back: the other matter comes
    assert panel.matter_code() == combo.itemData(other)
    assert _materials_shown(panel) != shown
    assert "Traceback" not in capsys.readouterr().err


# --- nothing of one citizen reaches the next ---------------------------------------------------


def test_a_walk_in_decision_leaves_the_desk_when_the_next_ticket_is_called(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    wb.acceptance.matter.setCurrentIndex(wb.acceptance.matter.findData(MATTER))  # a walk-in, no ticket
    wb.acceptance.mark_all_received()
    fill_applicant(wb, name="甲某")
    walk_in = wb.acceptance.accept()
    assert walk_in is not None and wb.documents.docs
    t = demo_ctx.hall.issue_ticket(matter_code=MATTER)
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    assert wb.ticket.id == t.id
    assert not wb.documents.docs and not wb.documents.print_btn.isEnabled() and wb.last_decision is None
    assert "F7" not in wb.next_step()  # the banner does not offer to finish a decision of the last citizen
    dialog = wb.finish()
    assert "没有受理或告知记录" in dialog.text.text() and walk_in.number not in dialog.text.text()
    dialog.reject()
    wb.close()
    again = open_workbench(qtbot, demo_ctx)  # nor after a restart: the papers were the walk-in's
    assert again.ticket.id == t.id and not again.documents.docs


def test_a_draft_begun_without_a_ticket_is_not_put_on_the_next_ticket_after_a_crash(qtbot, demo_ctx):
    from ui.worker import wait_for_jobs

    wb = open_workbench(qtbot, demo_ctx)
    wb.acceptance.matter.setCurrentIndex(wb.acceptance.matter.findData(MATTER))
    fill_applicant(wb, name="甲某", phone="13900000001")
    demo_ctx.hall.issue_ticket(category="A")  # the next citizen came for a bare category
    wb.call_next()
    wait_for_jobs()
    wb.close()
    again = open_workbench(qtbot, demo_ctx)
    assert again.acceptance.applicant.name.text() == "" and again.acceptance.applicant.phone.text() == ""
    assert "恢复" not in again.last_message


def test_after_a_decision_the_citizen_can_no_longer_be_skipped(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    t = call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb)
    app = wb.acceptance.accept()
    assert not wb.actions.buttons["skip"].isEnabled() and not wb.actions.buttons["recall"].isEnabled()
    qtbot.keyClick(wb, Qt.Key.Key_F3)
    assert demo_ctx.hall.get_ticket(t.id).status is TicketStatus.CALLED
    wb.skip()  # the door behind the button: the hall refuses it in words
    assert "不能过号" in wb.last_message and demo_ctx.hall.get_ticket(t.id).status is TicketStatus.CALLED
    assert wb.last_decision.number == app.number


def test_finishing_asks_the_hall_what_was_decided_when_the_desk_remembers_nothing(qtbot, demo_ctx):
    from kiosk.models import MaterialCheck

    wb = open_workbench(qtbot, demo_ctx)
    t = call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    received = tuple(MaterialCheck(material_id=i.material.id, name=i.material.name, status=MaterialStatus.RECEIVED)
                     for i in demo_ctx.hall.checklist(MATTER, ()).items)
    app = demo_ctx.hall.accept(matter_code=MATTER, checks=received, applicant_name="张伟", applicant_id=VALID_ID,
                          ticket_id=t.id, window=WINDOW, clerk=LOGIN)  # e.g. on the window's other PC
    dialog = wb.finish()
    assert app.number in dialog.text.text() and dialog.reasons == {}  # no “why did nobody come”
    dialog.reject()


def test_a_rongque_item_handed_in_at_the_window_counts_as_a_visit_and_the_list_starts_clean(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    app = accepted_with_a_pending_item(qtbot, demo_ctx, wb)
    wb.pending.number.setText(app.number)
    wb.pending.refresh()
    wb.pending.table.selectRow(0)
    confirm(qtbot, wb.finish())
    back = demo_ctx.hall.issue_ticket(matter_code=MATTER)  # the citizen returns with the missing paper
    wb.call_next()
    assert wb.pending.number.text() == "" and wb.pending.selected() is None
    assert not wb.pending.supply_btn.isEnabled()  # nothing chosen for this citizen yet
    wb.pending.table.selectRow(0)
    assert wb.pending.supply_selected() is not None
    done = demo_ctx.hall.get_application(app.number)
    assert done.visits == 2 and back.id in done.ticket_ids  # a second trip, as the reform counts it


def test_a_shortened_rongque_deadline_is_not_carried_to_the_next_citizen(qtbot, demo_ctx):
    food = "330106-A-004"  # 食品小经营许可: 容缺 items due in 5 of its 10 working days
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3, 4, 5), matter=food)
    assert wb.acceptance.pending_days.value() == 5
    wb.acceptance.pending_days.setValue(1)  # this citizen will bring it tomorrow
    confirm(qtbot, _chosen(wb.finish(), "told_missing"))
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3, 4, 5), matter=food)
    assert wb.acceptance.pending_days.value() == 5


def test_another_pc_signing_in_at_this_window_signs_this_desk_out(qtbot, demo_ctx):
    from ui.clerk import ClerkWorkbench

    wb = open_workbench(qtbot, demo_ctx)
    other = ClerkWorkbench(demo_ctx, WINDOW)
    qtbot.addWidget(other)
    assert other.sign_in("clerk02", "demo-clerk02")
    pump(demo_ctx)
    assert wb.staff is None and wb.stack.currentIndex() == 0
    assert "clerk02" in wb.signin.error.text() and not wb.actions.buttons["call_next"].isEnabled()
    qtbot.keyClick(wb, Qt.Key.Key_F1)  # keys of a signed-out desk do nothing
    assert demo_ctx.hall.current_ticket(WINDOW) is None


def test_call_back_offers_only_the_tickets_this_window_serves(qtbot, demo_ctx, monkeypatch):
    from ui.clerk import dialogs

    offered = []

    class Offered(dialogs.CallBackDialog):
        def exec(self) -> int:
            offered.extend(self.ticket.itemText(i) for i in range(self.ticket.count()))
            return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr("ui.clerk.workbench.CallBackDialog", Offered)
    demo_ctx.hall.sign_in(9, "clerk02", "demo-clerk02")
    d = demo_ctx.hall.issue_ticket(category="D")  # 公安户政, skipped at its own window
    demo_ctx.hall.call_next(9)
    demo_ctx.hall.skip(d.id, 9)
    wb = open_workbench(qtbot, demo_ctx, window=5)  # 商事登记: A only
    wb.call_back()
    assert offered == [] and "没有过号" in wb.last_message
    demo_ctx.hall.sign_in(1, "clerk03", "demo-clerk03")
    a = demo_ctx.hall.issue_ticket(category="A")
    demo_ctx.hall.call_next(1)
    demo_ctx.hall.skip(a.id, 1)
    wb.call_back()
    assert len(offered) == 1 and a.number in offered[0]


def test_the_digit_keys_choose_the_reason_to_finish(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    demo_ctx.hall.issue_ticket(matter_code=MATTER)
    wb.call_next()
    dialog = wb.finish()
    qtbot.keyClick(dialog, Qt.Key.Key_2)
    assert dialog.reason() == "consult" and dialog.ok_btn.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    assert dialog.reason() == "no_show"
    dialog.reject()


def test_a_desk_whose_clerk_the_manager_disables_signs_out_and_keeps_the_check_in_the_draft(qtbot, demo_ctx):
    wb = open_workbench(qtbot, demo_ctx)
    call_for_matter(qtbot, demo_ctx, wb, ticked=(1, 2, 3))
    fill_applicant(wb, name="李娜")
    demo_ctx.hall.save_staff(LOGIN, "王晓燕", "clerk", active=False)
    pump(demo_ctx)
    assert wb.staff is None and "停用" in wb.signin.error.text()
    assert wb.draft.load()["applicant"]["name"] == "李娜"
