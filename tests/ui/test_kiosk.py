"""The citizen kiosk, driven as a citizen would: categories, search, ticks, card, ticket, printer.

Each test builds the sample hall and a terminal whose printer is a list (or raises like a
printer out of paper), so the bytes the kiosk sends are checked as a printer would read them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QPushButton  # noqa: E402

from devices.events import IDCARD, SCANNER, CardRead, CardRejected, CodeScanned  # noqa: E402
from devices.idcard.card import CardType, IdCard  # noqa: E402
from kiosk import open_hall  # noqa: E402
from kiosk.idnumber import check_digit  # noqa: E402
from kiosk.models import PrintState, Priority  # noqa: E402
from printing.escpos_decode import decode_job  # noqa: E402
from ui import theme  # noqa: E402
from ui.context import TerminalContext  # noqa: E402
from ui.kiosk import KioskWindow  # noqa: E402
from ui.kiosk.verdict import Outcome  # noqa: E402
from ui.worker import drain_jobs, wait_for_jobs  # noqa: E402

MATTER = "330106-A-001"  # 个体工商户设立登记: two key materials, one 容缺-able
ID_NUMBER = "33010619800512123" + check_digit("33010619800512123")
NAME = "欧阳娜娜"


class Printer:
    """Collects what the kiosk sends, or fails like a printer out of paper."""

    def __init__(self) -> None:
        self.jobs: list[bytes] = []
        self.error: str = ""

    def send(self, data: bytes) -> None:
        if self.error:
            raise RuntimeError(self.error)
        self.jobs.append(data)

    def status(self) -> tuple[bool, str]:
        return (not self.error), self.error


@pytest.fixture
def printer() -> Printer:
    return Printer()


@pytest.fixture
def ctx(tmp_path: Path, printer: Printer):
    from ui.app import create_application

    create_application()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    c = TerminalContext(hall=hall, send_ticket=printer.send, printer_status=printer.status)
    yield c
    assert drain_jobs(), "a kiosk job or its callback was still running"  # none may reach the next test
    c.close()
    hall.close()


DEMO_PIN = "2468"  # resources/demo_hall.json: the demo's PIN, set when the demo hall is seeded


def make_kiosk(qtbot, ctx: TerminalContext, **kwargs) -> KioskWindow:
    w = KioskWindow(ctx, poll_printer=False, **kwargs)
    qtbot.addWidget(w)
    w.show()
    return w


def card(name: str = NAME) -> IdCard:
    return IdCard(card_type=CardType.RESIDENT, name=name, gender_code="2", birth_date=dt.date(1980, 5, 12),
                  id_number=ID_NUMBER, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2040, 1, 1))


def all_text(w) -> str:
    """Every string any widget of the kiosk currently holds (labels and buttons)."""
    texts = [lb.text() for lb in w.findChildren(QLabel)] + [b.text() for b in w.findChildren(QPushButton)]
    return "\n".join(texts)


def to_identity(w: KioskWindow, qtbot, ticks: tuple[int, ...] = (1, 2, 3)) -> None:
    qtbot.mouseClick(w.screens["home"].category_buttons["A"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.screens["matters"].matter_buttons[MATTER], Qt.MouseButton.LeftButton)
    for i in ticks:
        qtbot.mouseClick(w.screens["checklist"].tick_buttons[i], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.screens["checklist"].take_button, Qt.MouseButton.LeftButton)
    assert w.current == "identity"


def test_touching_a_category_and_a_matter_opens_its_checklist(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    qtbot.mouseClick(w.screens["home"].category_buttons["A"], Qt.MouseButton.LeftButton)
    assert w.current == "matters"
    matters = w.screens["matters"]
    assert MATTER in matters.matter_buttons
    assert all(code.startswith("330106-A-") for code in matters.matter_buttons)
    qtbot.mouseClick(matters.matter_buttons[MATTER], Qt.MouseButton.LeftButton)
    assert w.current == "checklist"
    assert w.screens["checklist"].title.text() == "个体工商户设立登记"


def test_pinyin_initials_typed_on_the_letter_keys_find_the_matter(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    keypad = w.screens["matters"].entry.keypad
    for key in "GTGS":
        qtbot.mouseClick(keypad.buttons[key], Qt.MouseButton.LeftButton)
    found = w.screens["matters"].matter_buttons
    titles = [b.title for b in found.values()]
    assert "个体工商户设立登记" in titles
    assert "有限责任公司设立登记" not in titles


def test_guide_search_works_across_every_category(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    qtbot.mouseClick(w.screens["home"].guide_button, Qt.MouseButton.LeftButton)
    w.search("BDC")
    assert any(code.startswith("330106-B-") for code in w.screens["matters"].matter_buttons)


def test_typing_a_search_asks_nothing_of_the_hall_after_the_category_is_open(qtbot, ctx):
    """Each key press narrows the list the screen holds: a networked kiosk makes no round trip
    to the hall server per letter."""
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    asked: list[str] = []
    for name in ("search_matters", "matters", "categories"):
        real = getattr(w.hall, name)
        setattr(w.hall, name, lambda *a, real=real, name=name, **k: (asked.append(name), real(*a, **k))[1])
    for query in ("G", "GT", "GTGS", "个体"):
        w.search(query)
    assert asked == []
    assert "个体工商户设立登记" in [b.title for b in w.screens["matters"].matter_buttons.values()]


@pytest.mark.parametrize(
    ("ticks", "outcome", "words"),
    [
        ((1, 2, 3), Outcome.ACCEPT, "可以受理"),
        ((1, 3), Outcome.KEY_MISSING, "缺少主要材料，今天无法受理"),
        ((1, 2), Outcome.RONGQUE, "可容缺受理：签署承诺书后先受理"),
    ],
)
def test_ticks_give_the_verdict_in_plain_words(qtbot, ctx, ticks, outcome, words):
    w = make_kiosk(qtbot, ctx)
    w.choose_category("A")
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    for i in (1, 2, 3):
        qtbot.mouseClick((screen.tick_buttons if i in ticks else screen.lack_buttons)[i], Qt.MouseButton.LeftButton)
    screen = w.screens["checklist"]
    assert screen.verdict.outcome is outcome
    assert words in screen.verdict_label.text()
    assert screen.notice_button.isVisible() == (outcome is Outcome.KEY_MISSING)


def test_a_condition_answered_yes_adds_its_material_and_a_missing_secondary_one_blocks(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    qtbot.mouseClick(screen.answer_buttons[("委托代理人办理的", True)], Qt.MouseButton.LeftButton)
    screen = w.screens["checklist"]
    assert 7 in screen.tick_buttons  # 授权委托书及受托人身份证件
    for i in (1, 2, 3):
        qtbot.mouseClick(screen.tick_buttons[i], Qt.MouseButton.LeftButton)
    assert screen.verdict.outcome is Outcome.UNANSWERED  # the power of attorney is not answered yet
    qtbot.mouseClick(screen.lack_buttons[7], Qt.MouseButton.LeftButton)
    assert screen.verdict.outcome is Outcome.MISSING
    assert "今天无法受理" in screen.verdict_label.text()


def test_the_checklist_starts_unanswered_and_judges_nothing_until_every_material_is_answered(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    assert not any(b.isChecked() for b in [*screen.tick_buttons.values(), *screen.lack_buttons.values()])
    assert screen.verdict.outcome is Outcome.UNANSWERED
    assert "请逐项选择是否带了" in screen.verdict_label.text() and "无法受理" not in screen.verdict_label.text()
    assert screen.verdict_label.property("tone") == "info"
    assert not screen.notice_button.isVisible() and screen.take_button.text() == "下一步：取号"
    qtbot.mouseClick(screen.lack_buttons[1], Qt.MouseButton.LeftButton)
    assert screen.lack_buttons[1].isChecked() and not screen.tick_buttons[1].isChecked()
    assert screen.verdict.outcome is Outcome.UNANSWERED and "还有 2 项未选择" in screen.verdict_label.text()
    qtbot.mouseClick(screen.tick_buttons[1], Qt.MouseButton.LeftButton)  # changed their mind: found it
    assert w.session.ticked == {1} and w.session.lacking == set()


def test_a_form_filled_in_at_the_window_is_never_missing_nor_on_the_printed_slip(qtbot, ctx, printer):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter("330106-D-001")  # 居民身份证换领: its 申领登记表 is filled in at the window
    screen = w.screens["checklist"]
    form = next(m for m in ctx.hall.get_matter("330106-D-001").materials if m.on_site)
    assert form.id not in screen.tick_buttons
    assert f"✓ {form.name} — 窗口现场填写" in all_text(w)
    assert screen.verdict.outcome is Outcome.ACCEPT and "无法受理" not in screen.verdict_label.text()
    w.answer("身份证遗失补领的", True)
    lost = next(m for m in ctx.hall.get_matter("330106-D-001").materials if m.condition == "身份证遗失补领的")
    w.tick(lost.id, False)
    assert [m.name for m in screen.verdict.missing] == [lost.name]
    w.print_checklist()
    wait_for_jobs()
    slip = decode_job(printer.jobs[-1]).text
    assert slip.count("[缺]") == 1 and f"[缺] {lost.name[:6]}" in slip  # a long name wraps on the slip
    assert f"[缺] {form.name}" not in slip and form.name in slip


def test_shared_materials_are_marked_as_fetched_by_the_hall(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter("330106-A-004")  # 营业执照 is fetched from shared data
    assert "营业执照 — 免提交（大厅内部调取）" in all_text(w)


def test_a_card_read_fills_only_the_masked_name_and_number(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    ctx.device_events.post(CardRead(card(), device=IDCARD, url="sim://"))
    ctx.device_events.drain_now()
    shown = w.screens["identity"].card_state.text()
    assert "欧***" in shown and "330106********1234"[:6] in shown
    assert NAME not in all_text(w) and ID_NUMBER not in all_text(w)
    assert w.screens["identity"].take_button.isEnabled()


def test_a_rejected_card_says_why_in_chinese(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRejected(card(), "expired", "身份证已过有效期", device=IDCARD, url="sim://"))
    assert "身份证已过有效期" in w.screens["identity"].card_state.text()
    assert not w.screens["identity"].take_button.isEnabled()


def test_taking_a_ticket_stores_it_and_sends_the_ticket_bytes_to_the_printer(qtbot, ctx, printer):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    qtbot.mouseClick(w.screens["identity"].take_button, Qt.MouseButton.LeftButton)
    ticket = w.session.ticket
    assert ticket is not None and w.current == "ticket"
    assert w.screens["ticket"].number.text() == ticket.number
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=3000)
    decoded = decode_job(printer.jobs[0])
    assert ticket.number in decoded.text
    assert ID_NUMBER not in decoded.text
    qtbot.waitUntil(lambda: ctx.hall.get_ticket(ticket.id).print_state is PrintState.PRINTED, timeout=3000)
    stored = ctx.hall.get_ticket(ticket.id)
    assert stored.holder_name == "欧***" and stored.ticked == (1, 2, 3)
    assert w.last_take_started is not None and w.last_bytes_sent is not None
    assert w.last_take_started <= w.last_bytes_sent


def test_green_channel_gives_a_green_priority_ticket(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    qtbot.mouseClick(w.screens["identity"].green_button, Qt.MouseButton.LeftButton)
    ticket = w.take_ticket()
    assert ticket is not None and ticket.priority is Priority.GREEN


def test_a_scanned_appointment_is_confirmed_then_opens_its_matter_and_gives_an_appointment_ticket(qtbot, ctx):
    now = ctx.hall.clock()
    booking = ctx.hall.book_appointment(matter_code=MATTER, day=now.date(), slot_start=dt.time(0, 0),
                                        slot_end=dt.time(23, 59), holder_name=NAME)
    w = make_kiosk(qtbot, ctx)
    w.on_device_event(CodeScanned(booking.code, "appointment", device=SCANNER, url="sim://"))
    screen = w.screens["checkin"]
    assert w.current == "checkin" and not w.session.appointment_code  # nothing checked in yet
    shown = screen.message.text()
    assert "个体工商户设立登记" in shown and "00:00–23:59" in shown and NAME not in shown and "欧" in shown
    assert screen.confirm.text() == "确认签到"
    qtbot.mouseClick(screen.confirm, Qt.MouseButton.LeftButton)
    assert w.current == "checklist" and w.session.matter_code == MATTER
    for i in (1, 2, 3):
        w.tick(i, True)
    w.to_identity()
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    assert ticket.priority is Priority.APPOINTMENT and ticket.appointment_code == booking.code


@pytest.mark.parametrize(("arrival", "late"), [((9, 45), False), ((9, 46), True), ((10, 30), True)])
def test_a_citizen_past_the_slot_and_its_grace_is_told_before_the_ticket_that_it_is_a_normal_one(
        qtbot, tmp_path, arrival, late):
    from tests.support import FakeClock

    clock = FakeClock(dt.datetime(2026, 12, 7, 8, 0))
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False, clock=clock)
    ctx = TerminalContext(hall=hall, send_ticket=lambda data: None, printer_status=lambda: (True, ""))
    try:
        booking = hall.book_appointment(matter_code=MATTER, day=clock.now.date(), slot_start=dt.time(9, 0),
                                        slot_end=dt.time(9, 30), holder_name=NAME)  # grace: 15 minutes
        clock.now = dt.datetime(2026, 12, 7, *arrival)
        w = make_kiosk(qtbot, ctx)
        w.check_in(booking.code)
        passed = "已超过预约时段，按普通号排队"
        assert (passed in w.screens["checkin"].message.text()) is late
        w.confirm_check_in()
        w.to_identity()
        w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
        status = w.screens["identity"].status.text()
        assert (passed in status) is late and ("将取预约优先号" in status) is not late
        ticket = w.take_ticket()
        assert ticket.priority is (Priority.NORMAL if late else Priority.APPOINTMENT)  # as the kiosk said
    finally:
        assert drain_jobs()
        ctx.close()
        hall.close()


def test_an_unknown_or_used_appointment_code_is_explained_on_the_checkin_screen(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.check_in(f"YY{ctx.hall.today():%Y%m%d}0099")
    assert w.current == "checkin" and "没有预约码" in w.screens["checkin"].message.text()


def test_a_phone_number_on_the_keypad_stands_in_for_the_card_when_the_hall_allows(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    screen = w.screens["identity"]
    qtbot.mouseClick(screen.phone_button, Qt.MouseButton.LeftButton)
    for d in "13812345678":
        qtbot.mouseClick(screen.phone_entry.keypad.buttons[d], Qt.MouseButton.LeftButton)
    assert screen.take_button.isEnabled()
    ticket = w.take_ticket()
    assert ticket.phone_masked == "138****5678"


def test_paper_out_keeps_the_ticket_marks_it_failed_and_says_so(qtbot, ctx, printer):
    printer.error = "打印机缺纸"
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    assert ticket is not None
    qtbot.waitUntil(lambda: ctx.hall.get_ticket(ticket.id).print_state is PrintState.FAILED, timeout=3000)
    message = w.screens["ticket"].print_state.text()
    assert "打印机缺纸" in message and f"您的号码 {ticket.number} 已保存" in message and "呼叫帮办" in message
    assert w.screens["ticket"].reprint_button.isVisible()
    assert ctx.hall.find_ticket(ticket.number).id == ticket.id  # nothing lost
    assert not w.printer_ready  # no more tickets offered until the printer is back

    printer.error = ""  # paper loaded: the same stored ticket prints again
    qtbot.mouseClick(w.screens["ticket"].retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ctx.hall.get_ticket(ticket.id).print_state is PrintState.PRINTED, timeout=3000)
    assert ticket.number in decode_job(printer.jobs[-1]).text
    assert ctx.hall.queue_status().issued["A"] == 1


def test_a_ticket_that_failed_to_print_after_the_citizen_left_is_reprinted_by_staff_after_the_pin(
        qtbot, ctx, printer):
    printer.error = "打印机缺纸"
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    qtbot.waitUntil(lambda: ctx.hall.get_ticket(ticket.id).print_state is PrintState.FAILED, timeout=3000)
    w.on_idle()  # the citizen walked away from the ticket screen
    assert w.session.ticket is None
    printer.error = ""  # staff load paper, then open the maintenance PIN
    pin = w.request_exit()
    pin.entry.set_text(DEMO_PIN)
    assert pin.submit()
    dialog = w.reprint_dialog
    assert dialog is not None and dialog.isVisible() and list(dialog.buttons) == [ticket.id]
    qtbot.mouseClick(dialog.buttons[ticket.id], Qt.MouseButton.LeftButton)
    assert not dialog.buttons[ticket.id].isEnabled()  # a second tap cannot print the number twice
    qtbot.waitUntil(lambda: ctx.hall.get_ticket(ticket.id).print_state is PrintState.PRINTED, timeout=3000)
    assert ticket.number in decode_job(printer.jobs[-1]).text
    qtbot.waitUntil(lambda: "已补打" in dialog.states[ticket.id].text(), timeout=3000)
    assert not dialog.buttons[ticket.id].isEnabled()
    w.reset_to_home()  # left open, it goes with the next reset like the PIN dialog
    assert w.reprint_dialog is None and not dialog.isVisible()


def test_printer_out_shows_a_banner_and_stops_offering_tickets(qtbot, ctx, printer):
    printer.error = "打印机缺纸"
    w = make_kiosk(qtbot, ctx)
    w.printer.poll()
    qtbot.waitUntil(lambda: not w.printer_ready, timeout=3000)
    banner = w.screens["home"].banner
    assert banner.isVisible() and "请到服务台取号或呼叫帮办" in banner.text()
    w.choose_matter(MATTER)
    take = w.screens["checklist"].take_button
    assert not take.isEnabled() and "请到服务台取号或呼叫帮办" in take.text()
    assert w.take_ticket() is None
    printer.error = ""
    w.printer.poll()
    qtbot.waitUntil(lambda: w.printer_ready, timeout=3000)
    assert w.screens["checklist"].take_button.isEnabled()


def test_idle_time_returns_home_and_forgets_the_citizen(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    assert "欧***" in all_text(w)
    w.idle.set_interval_ms(50)
    with qtbot.waitSignal(w.screen_changed, timeout=3000):
        pass
    assert w.current == "home"
    assert "欧***" not in all_text(w) and "330106****" not in all_text(w)
    assert w.session.id_number == "" and not w.session.ticked


def test_a_ticket_number_is_forgotten_after_idle(qtbot, ctx, printer):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=3000)
    w.on_idle()
    assert ticket.number not in all_text(w).replace("\n", " ").split()


def test_elder_mode_doubles_the_idle_time(qtbot, ctx):
    normal = make_kiosk(qtbot, ctx)
    elder = make_kiosk(qtbot, ctx, elder=True)
    assert elder.idle_ms() == 2 * normal.idle_ms() == 2 * ctx.hall.settings().idle_seconds * 1000


def test_the_pin_dialog_refuses_a_wrong_pin_and_accepts_the_managers(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    dialog = w.request_exit()
    dialog.entry.type("1111")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "PIN不正确" in dialog.message.text()
    assert dialog.entry.text == ""
    with qtbot.waitSignal(w.exit_allowed, timeout=1000):
        dialog.entry.type(DEMO_PIN)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_each_closed_pin_dialog_is_deleted_and_holds_no_typed_digits(qtbot, ctx):
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.kiosk.overlays import PinDialog

    w = make_kiosk(qtbot, ctx)
    for i in range(6):  # 管理员验证 opened and left: by 取消, by the idle reset, by a wrong PIN then 取消
        dialog = w.request_exit()
        dialog.entry.type("999")
        if i % 3 == 0:
            qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        elif i % 3 == 1:
            w.on_idle()
        else:
            dialog.submit()
            dialog.entry.type("99")
            dialog.reject()
        assert w.pin_dialog is None and dialog.entry.text == ""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert w.findChildren(PinDialog) == []
    dialog = w.request_exit()  # and a new one still opens and works
    dialog.entry.type(DEMO_PIN)
    with qtbot.waitSignal(w.exit_allowed, timeout=1000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_escape_opens_the_pin_dialog(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.activateWindow()
    w._esc.activated.emit()
    assert w.pin_dialog is not None and w.pin_dialog.isVisible()


def test_the_helper_button_is_on_every_screen_and_its_call_reaches_the_hall(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    for name in w.screens:
        w.reset_to_home()  # a citizen at each screen in turn, each with their own call
        w.go(name)
        assert w.footer.helper_button.isVisible()
        with qtbot.waitSignal(w.helper_called, timeout=1000) as sig:
            qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
        assert sig.args == [name]
        # "staff are coming" only once the call is stored where staff see it
        qtbot.waitUntil(lambda: "已通知帮办人员" in w.notice.title.text(), timeout=3000)
        assert w.notice.isVisible() and "马上到您身边" in w.notice.text.text()
        w.notice.hide()
    assert [c.screen for c in ctx.hall.helper_calls()] == list(w.screens)


def test_the_kiosk_shows_who_is_coming_once_a_clerk_takes_its_call(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.call_helper()
    qtbot.waitUntil(lambda: w.helper_call_id is not None, timeout=3000)
    clerk = next(s for s in ctx.hall.staff() if s.role == "clerk")
    ctx.hall.take_helper_call(w.helper_call_id, clerk.login)
    qtbot.waitUntil(lambda: f"{clerk.name} 正在赶来" in w.notice.text.text(), timeout=3000)
    assert w.notice.isVisible() and "正在赶来" in w.notice.title.text()


def test_pressing_the_helper_button_again_shows_the_open_calls_news_instead_of_calling_again(qtbot, ctx):
    hall = ctx.hall
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    for _ in range(5):  # an anxious citizen, before and after the hall answered
        qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.helper_call_id is not None, timeout=3000)
    for _ in range(2):
        qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
    assert [c.id for c in hall.helper_calls()] == [w.helper_call_id]  # one call rang the desks
    w.notice.hide()
    qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
    assert w.notice.isVisible() and "已通知帮办人员" in w.notice.title.text()

    clerk = next(s for s in hall.staff() if s.role == "clerk")
    hall.take_helper_call(w.helper_call_id, clerk.login)
    qtbot.waitUntil(lambda: f"{clerk.name} 正在赶来" in w.notice.text.text(), timeout=3000)
    w.notice.hide()
    qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
    assert w.notice.isVisible() and f"{clerk.name} 正在赶来" in w.notice.text.text()  # who is coming, again
    assert len(hall.helper_calls()) == 1

    hall.close_helper_call(w.helper_call_id, clerk.login)  # helped: a later press is a new call
    qtbot.waitUntil(lambda: w.helper_call_id is None, timeout=3000)
    qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.helper_call_id is not None, timeout=3000)
    assert len(hall.helper_calls(open_only=False)) == 2


def test_a_helper_call_that_cannot_reach_the_hall_says_so_instead_of_promising(qtbot, ctx, monkeypatch, speaker):
    from kiosk.errors import ServerUnavailable, StorageBusy

    w = make_kiosk(qtbot, ctx)
    failure: list[Exception] = [StorageBusy("大厅数据文件正被其他程序占用")]

    def unreachable(**_):
        raise failure[0]

    monkeypatch.setattr(ctx.hall, "call_helper", unreachable)
    w.call_helper()
    qtbot.waitUntil(lambda: "暂时无法通知工作人员" in w.notice.title.text(), timeout=3000)
    assert "服务台" in w.notice.text.text() and "马上到" not in w.notice.text.text()
    assert w.helper_call_kept is None
    assert len(speaker.played) == 1  # no staff terminal hears it: the kiosk rings on its own speaker

    # the hall server lost on the way: the call is kept for its return, and the citizen told so
    failure[0] = ServerUnavailable("与大厅服务器的连接已中断")
    w.call_helper()
    qtbot.waitUntil(lambda: "已记下您的求助" in w.notice.title.text(), timeout=3000)
    assert "服务台" in w.notice.text.text() and "马上到" not in w.notice.text.text()
    assert w.helper_call_kept is not None and len(speaker.played) == 2


def test_a_helper_call_kept_while_the_server_was_away_goes_out_on_its_return_though_the_kiosk_was_reset(
        qtbot, ctx, speaker):
    from kiosk.events import SERVER_BACK
    from kiosk.models import HallEvent

    w = make_kiosk(qtbot, ctx, elder=True)
    to_identity(w, qtbot)
    w.set_hall_reachable(False)
    qtbot.mouseClick(w.footer.helper_button, Qt.MouseButton.LeftButton)
    assert "连接一恢复，本机立即通知工作人员" in w.notice.text.text()  # the promise
    w.on_idle()  # she waits without touching the screen: the idle reset
    assert w.current == "home" and not w.notice.isVisible()
    w.on_hall_event(HallEvent(id=0, kind=SERVER_BACK, at=dt.datetime.now()))
    qtbot.waitUntil(lambda: len(ctx.hall.helper_calls()) == 1, timeout=3000)
    assert ctx.hall.helper_calls()[0].screen == "identity" and w.helper_call_kept is None
    assert drain_jobs()
    # the next citizen sees nothing of it, and their own press is their own call
    assert not w.notice.isVisible() and w.helper_call_id is None
    w.call_helper()
    qtbot.waitUntil(lambda: w.helper_call_id is not None, timeout=3000)
    assert len(ctx.hall.helper_calls()) == 2


def test_progress_lookup_says_when_a_number_is_unknown(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.on_device_event(CodeScanned("3301062026112599999", "application", device=SCANNER, url="sim://"))
    assert w.current == "progress"
    assert w.screens["progress"].result_box.isVisible()


def test_english_mode_shows_english_category_names(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, lang="en")
    assert "Business Registration" in w.screens["home"].category_buttons["A"].text()
    qtbot.mouseClick(w.screens["home"].lang_button, Qt.MouseButton.LeftButton)
    assert "商事登记" in w.screens["home"].category_buttons["A"].text()


def _visible_buttons(w: KioskWindow) -> list[QPushButton]:
    return [b for b in w.findChildren(QPushButton) if b.isVisible()]


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("elder", [False, True])
def test_every_visible_button_is_a_big_enough_touch_target(qtbot, ctx, orientation, elder):
    w = make_kiosk(qtbot, ctx, orientation=orientation, elder=elder)
    minimum = theme.ELDER_TARGET_PX if elder else theme.MIN_TARGET_PX
    w.choose_category("A")
    w.search("GTGS")
    steps = {
        "home": lambda: w.go("home"),
        "matters": lambda: w.go("matters"),
        "checklist": lambda: w.choose_matter(MATTER),
        "identity": lambda: (w.to_identity(), w.screens["identity"]._show_phone()),
        "checkin": lambda: w.go("checkin"),
        "progress": lambda: w.go("progress"),
    }
    for name, step in steps.items():
        step()
        qtbot.wait(1)
        small = [(b.text() or getattr(b, "title", "?"), b.height()) for b in _visible_buttons(w)
                 if b.height() < minimum]
        assert not small, f"{name}: {small}"
    dialog = w.request_exit()
    qtbot.wait(1)
    assert all(b.height() >= minimum for b in dialog.findChildren(QPushButton) if b.isVisible())


def test_every_kiosk_string_has_an_english_entry():
    import re

    from ui.kiosk.strings import EN

    root = Path(__file__).resolve().parents[2] / "ui" / "kiosk"
    pattern = re.compile(r'\b(?:self\.)?tr?\(\s*"([^"]+)"')
    used = {m for p in root.glob("*.py") for m in pattern.findall(p.read_text(encoding="utf-8"))}
    missing = sorted(s for s in used if s not in EN and not s.isascii())
    assert not missing


def test_a_key_material_missing_prints_the_checklist_with_what_is_missing_marked(qtbot, ctx, printer):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    qtbot.mouseClick(screen.tick_buttons[1], Qt.MouseButton.LeftButton)  # only the application form
    qtbot.mouseClick(screen.notice_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(printer.jobs) == 1, timeout=3000)
    job = decode_job(printer.jobs[0], "gb18030")
    assert "办事材料清单" in job.text and "[缺]" in job.text and "[有]" in job.text
    assert job.qr_payloads == [MATTER]


def test_progress_lookup_shows_an_application_by_its_number(qtbot, ctx):
    from kiosk.models import MaterialCheck, MaterialStatus

    hall = ctx.hall
    checklist = hall.checklist(MATTER)
    checks = tuple(MaterialCheck(i.material.id, i.material.name, MaterialStatus.RECEIVED) for i in checklist.items)
    app = hall.accept(matter_code=MATTER, checks=checks, applicant_name=NAME, applicant_id=ID_NUMBER)
    w = make_kiosk(qtbot, ctx)
    w.on_device_event(CodeScanned(app.number, "application", device=SCANNER, url="sim://"))
    texts = " ".join(lbl.text() for lbl in w.screens["progress"].findChildren(QLabel))
    assert app.number in texts and "已受理" in texts
    assert NAME not in texts


def test_an_unplugged_reader_is_said_on_the_id_step_with_the_way_around_it(qtbot, ctx):
    from devices.events import DeviceConnected, DeviceDisconnected

    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(DeviceDisconnected(message="身份证读卡器未连接（/dev/ttyUSB0），正在重试", device=IDCARD,
                                         url="/dev/ttyUSB0"))
    state = w.screens["identity"].card_state.text()
    assert "读卡器未连接" in state and "手机号" in state
    w.on_device_event(DeviceConnected(device=IDCARD, url="/dev/ttyUSB0"))
    assert "等待读卡" in w.screens["identity"].card_state.text()


# --- English, what the buttons say, and what each screen offers --------------------------------


CJK = re.compile(r"[\u3400-\u9fff]")


def test_english_mode_says_the_halls_and_the_printers_errors_in_english(qtbot, ctx, printer):
    w = make_kiosk(qtbot, ctx, lang="en")
    w.look_up_progress("3301062026112599999")
    said = all_text(w.screens["progress"])
    assert "No application has the number 3301062026112599999" in said and "没有" not in said
    w.check_in(f"YY{ctx.hall.today():%Y%m%d}0099")
    assert "No appointment has the code" in w.screens["checkin"].message.text()

    w.reset_to_home()
    w.set_printer_state(False, "打印机缺纸，请装入打印纸；打印机盖未关好，请合上机盖")
    banner = w.screens["home"].banner.text()
    assert "out of paper" in banner and "cover is open" in banner and not CJK.search(banner)

    printer.error = "打印机缺纸"
    w.set_printer_state(True, "")
    qtbot.wait(1)  # the rebuilt screens are shown on the next turn of the event loop
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    qtbot.waitUntil(lambda: "Your number" in w.screens["ticket"].print_state.text(), timeout=3000)
    message = w.screens["ticket"].print_state.text()
    assert "The printer is out of paper" in message and ticket.number in message and not CJK.search(message)


def test_errors_are_matched_by_pattern_or_type_and_unknown_ones_stay_as_they_came():
    from kiosk.errors import QueueFull, StorageBusy
    from kiosk.idnumber import InvalidIdNumber
    from ui.kiosk.strings import say_error

    assert say_error("打印机脱机，请检查打印机", "en") == "The printer is offline"
    assert say_error("打印机缺纸，请装入打印纸；号票可能未打印完整", "en") == (
        "The printer is out of paper; the ticket may not have printed in full")
    assert say_error(QueueFull("“商事登记”今日号源已取完（每日200个），请改日或网上办理"), "en").startswith(
        "All of today's tickets for 商事登记 are taken (200 a day)")
    assert "busy" in say_error(StorageBusy("数据库正被其他程序占用，请稍后重试"), "en")
    assert "not valid" in say_error(InvalidIdNumber("某种新的号码问题"), "en")  # by its type
    assert say_error("读卡器冒烟了", "en") == "读卡器冒烟了"  # unknown: shown as it came, not hidden
    assert say_error("打印机缺纸", "zh") == "打印机缺纸"


def test_a_name_too_long_for_the_hall_is_said_in_english_with_the_halls_limit(qtbot, ctx):
    from kiosk.errors import ValidationError
    from ui.kiosk.strings import say_error

    for limit in (50, 100):  # the hall's limit is in its message, whatever it is now
        said = say_error(ValidationError([f"姓名应为不超过{limit}个可见字符"], "取号"), "en")
        assert said.startswith(f"This card's name is over the {limit}-character limit")
    w = make_kiosk(qtbot, ctx, lang="en")
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))

    def refuse(**_):
        raise ValidationError(["姓名应为不超过100个可见字符"], "取号")

    ctx.hall.issue_ticket = refuse
    assert w.take_ticket() is None
    status = w.screens["identity"].status.text()
    assert "100-character limit" in status and "姓名" not in status


def test_english_counts_are_singular_for_one():
    from ui.kiosk.strings import tr_n

    assert tr_n("承诺{days}个工作日", 1, "en", days=1) == "1 working day"
    assert tr_n("承诺{days}个工作日", 5, "en", days=5) == "5 working days"
    assert tr_n("{n}份", 1, "en", n=1) == "1 copy" and tr_n("{n}份", 2, "en", n=2) == "2 copies"
    assert tr_n("{n}份", 1, "zh", n=1) == "1份"


def test_an_ampersand_in_a_category_name_is_shown_not_taken_for_a_shortcut_key(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, lang="en")
    tile = w.screens["home"].category_buttons["C"]
    assert "Social Security & Medical Insurance" in tile.text().replace("\n", " ")
    assert tile.name_label.textFormat() is Qt.TextFormat.PlainText  # drawn as written: a literal "&"
    assert "&" in tile.name_label.text() and "&&" not in tile.name_label.text()


def test_unanswered_conditions_show_no_as_chosen_and_the_verdict_counts_them_so(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    screen = w.screens["checklist"]
    conditions = ctx.hall.get_matter(MATTER).conditions
    assert conditions
    for cond in conditions:
        assert screen.answer_buttons[(cond, False)].isChecked()
        assert not screen.answer_buttons[(cond, True)].isChecked()
    assert "已预选“否”" in all_text(w)
    qtbot.mouseClick(screen.answer_buttons[(conditions[-1], True)], Qt.MouseButton.LeftButton)
    screen = w.screens["checklist"]
    assert screen.answer_buttons[(conditions[-1], True)].isChecked()
    assert not screen.answer_buttons[(conditions[-1], False)].isChecked()


def test_the_ticket_screen_offers_done_and_the_helper_but_no_back(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    w.take_ticket()
    assert w.current == "ticket"
    assert not w.footer.back_button.isVisible() and not w.footer.home_button.isVisible()
    assert w.footer.helper_button.isVisible() and w.screens["ticket"].done_button.isVisible()


def test_the_most_asked_for_matter_is_one_touch_from_home(qtbot, ctx):
    for _ in range(3):
        ctx.hall.issue_ticket(matter_code="330106-D-001")
    w = make_kiosk(qtbot, ctx)
    popular = w.screens["home"].popular_buttons
    assert next(iter(popular)) == "330106-D-001"
    qtbot.mouseClick(popular["330106-D-001"], Qt.MouseButton.LeftButton)
    assert w.current == "checklist" and w.session.matter_code == "330106-D-001"


def test_the_ticket_says_where_to_wait_and_which_windows_serve_it(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    w.take_ticket()
    where = w.screens["ticket"].where.text()
    serving = [x.number for x in ctx.hall.windows() if x.active and x.serves("A")]
    assert "请在等候区就座" in where
    assert where.endswith("办理窗口：" + "、".join(str(n) for n in sorted(serving, key=lambda n: (
        next(x for x in ctx.hall.windows() if x.number == n).general, n))) + " 号")


def test_a_printed_checklist_is_titled_as_printed_not_as_a_helper_call(qtbot, ctx, printer):
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    w.print_checklist()
    wait_for_jobs()
    qtbot.waitUntil(lambda: w.notice.isVisible())
    assert "材料清单已打印" in w.notice.title.text() and "帮办" not in w.notice.title.text()


def test_a_checklist_that_will_not_print_tells_the_open_helper_call_to_bring_the_notice(qtbot, ctx, printer):
    """She had pressed 呼叫帮办 already; then the checklist would not print. The call staff see
    says so, instead of a plain call (or a second call for her)."""
    w = make_kiosk(qtbot, ctx)
    w.choose_matter(MATTER)
    w.call_helper()
    qtbot.waitUntil(lambda: w.helper_call_id is not None, timeout=3000)
    printer.error = "打印机缺纸"
    w.print_checklist()
    qtbot.waitUntil(lambda: ctx.hall.helper_calls()[0].reason == "missing_material", timeout=3000)
    assert drain_jobs()
    (call,) = ctx.hall.helper_calls()
    assert call.id == w.helper_call_id and "一次性告知单" in w.notice.text.text()
    w.call_helper()  # pressed again: its news again, nothing sent
    assert drain_jobs() and len(ctx.hall.helper_calls()) == 1


def test_the_home_screen_has_one_language_switch(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    switches = [b for b in w.findChildren(QPushButton) if b.isVisible() and b.text() in ("English", "中文")]
    assert len(switches) == 1


def test_a_wrapping_button_grows_to_show_every_line(qtbot):
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from ui.kiosk.look import Look
    from ui.kiosk.widgets import button

    holder = QWidget()
    qtbot.addWidget(holder)
    lay = QVBoxLayout(holder)
    b = button("打印材料清单（备齐后再来，一次办成）" * 2, Look(), wrap=True)
    lay.addWidget(b)
    lay.addStretch(1)
    holder.resize(300, 800)
    holder.show()
    qtbot.waitUntil(lambda: "\n" in b.shown_text(), timeout=1000)
    qtbot.wait(10)
    need = QFontMetrics(b.font()).size(0, b.shown_text())
    assert need.width() <= b.text_width() + 8 and need.height() <= b.height()


def test_a_kiosk_builds_only_the_home_screen_until_another_is_needed(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    assert w.screens.built() == ["home"]  # type: ignore[attr-defined]
    w.go("checkin")
    assert w.screens.built() == ["home", "checkin"] and w.stack.currentWidget() is w.screens["checkin"]  # type: ignore
    checkin = w.screens["checkin"]
    w.reset_to_home()  # the next citizen gets the same screens, reset, not built again
    assert w.screens.built() == ["home", "checkin"] and w.screens["checkin"] is checkin  # type: ignore
    assert list(w.screens) == ["home", "matters", "checklist", "identity", "ticket", "checkin", "progress"]


def test_the_kiosk_package_loads_without_its_screenshot_scene() -> None:
    import subprocess
    import sys

    from support import ROOT

    out = subprocess.run([sys.executable, "-c", "import sys, ui.kiosk; print('ui.kiosk.screenshots' in sys.modules)"],
                         cwd=ROOT, capture_output=True, text=True, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "False"
    from ui.kiosk import render_screenshots

    assert callable(render_screenshots)


@pytest.mark.parametrize("foreign", [
    IdCard(card_type=CardType.FOREIGN_PERMANENT_2017, name="史密斯", name_en="SMITH, JOHN", gender_code="1",
           birth_date=dt.date(1978, 11, 2), id_number="CAN330078110201", valid_from=dt.date(2019, 4, 18),
           valid_to=dt.date(2029, 4, 18), nationality="CAN"),
    IdCard(card_type=CardType.FOREIGN_PERMANENT_2023, name="马丽娜", gender_code="2", birth_date=dt.date(1990, 6, 15),
           id_number="933250199006150023", valid_from=dt.date(2024, 2, 1), valid_to=dt.date(2034, 2, 1)),
], ids=["2017", "2023"])
def test_a_foreign_permanent_residence_card_read_at_the_kiosk_gets_its_ticket(qtbot, ctx, foreign):
    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(foreign, device=IDCARD, url="sim://"))
    ticket = w.take_ticket()
    assert ticket is not None and ticket.holder_id_masked.startswith(foreign.id_number[:6])


def test_wrong_pin_tries_survive_cancelling_the_dialog_and_lock_out(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    for _ in range(3):
        for _ in range(2):  # two wrong tries, then Cancel: the count must go on regardless
            dialog = w.request_exit()
            dialog.entry.type("1357")
            assert not dialog.submit()
            dialog.reject()
    dialog = w.request_exit()
    dialog.entry.type(DEMO_PIN)
    assert not dialog.submit() and "后再试" in dialog.message.text()  # locked even for the right PIN


def test_a_full_screen_kiosk_refuses_to_close_until_the_pin_unlocks_it(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    w.showFullScreen()
    assert not w.close() and w.isVisible() and w.pin_dialog is not None
    w.pin_dialog.entry.type(DEMO_PIN)
    assert w.pin_dialog.submit()
    assert w.close()


def test_a_hall_file_locked_by_another_program_shows_please_wait_and_never_freezes_the_screen(qtbot, ctx):
    import sqlite3
    import threading

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel as _Label

    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    other = sqlite3.connect(ctx.hall.store.path, check_same_thread=False, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the hall file's write lock
    threading.Timer(1.2, lambda: other.execute("COMMIT")).start()
    ticks, seen_wait = [], []
    beat = QTimer(w, interval=50)
    beat.timeout.connect(lambda: (ticks.append(1), seen_wait.extend(
        lb.text() for lb in w.findChildren(_Label, "hall-busy") if lb.isVisible())))
    beat.start()
    ticket = w.take_ticket()
    beat.stop()
    other.close()
    assert ticket is not None and w.current == "ticket"
    assert len(ticks) >= 10  # the event loop kept turning: taps and timers were served while it waited
    assert any("请稍候" in t for t in seen_wait)


def test_a_kiosk_on_a_hall_without_a_pin_has_staff_set_one_twice_before_anyone_can_use_it(qtbot, tmp_path):
    from ui.app import create_application

    create_application()
    hall = open_hall(tmp_path / "new.db", durable=False)  # a new hall: no PIN, and none by default
    c = TerminalContext(hall=hall, send_ticket=lambda data: None, printer_status=lambda: (True, ""))
    try:
        w = make_kiosk(qtbot, c)
        w.show_kiosk()
        dialog = w.pin_dialog
        assert dialog is not None and dialog.isVisible() and not dialog.cancel_button.isVisible()
        dialog.entry.type("4826")
        assert not dialog.submit() and "再输入一次" in dialog.message.text()
        dialog.entry.type("4862")  # a slip of the finger on the second entry
        assert not dialog.submit() and "不一致" in dialog.message.text()
        assert not hall.manager_pin_is_set()
        dialog.entry.type("4826")
        dialog.submit()
        dialog.entry.type("4826")
        assert dialog.submit() and hall.manager_pin_is_set()
        assert hall.verify_manager_pin("4826").ok
        w.may_close = True
        w.close()
    finally:
        wait_for_jobs()
        c.close()
        hall.close()


def test_the_program_quitting_while_a_ticket_waits_for_the_hall_ends_the_wait_without_a_traceback(qtbot, ctx):
    """Quitting ends every event loop, the wait's own too: the kiosk is told plainly that the
    answer will not be shown (no KeyError from a missing answer), and the ticket screen is not
    shown for it."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.worker import drain_jobs

    w = make_kiosk(qtbot, ctx)
    to_identity(w, qtbot)
    w.on_device_event(CardRead(card(), device=IDCARD, url="sim://"))
    real = ctx.hall.issue_ticket

    def slow(**k):  # noqa: ANN003, ANN202 - the facade's own
        time.sleep(0.3)
        return real(**k)

    ctx.hall.issue_ticket = slow
    app = QApplication.instance()
    QTimer.singleShot(50, lambda: app.exit(0))  # the launcher quitting
    try:
        assert w.take_ticket() is None
    finally:
        # exit() leaves every later event loop returning at once until the application's own
        # loop has run: run it for one turn, so the tests after this one have theirs
        QTimer.singleShot(0, lambda: app.exit(0))
        app.exec()
    assert w.current == "identity" and "程序正在关闭" in w.screens["identity"].status.text()
    assert drain_jobs()  # the call itself still finishes: the ticket is stored, as any issued one
    assert ctx.hall.queue_status().issued.get("A", 0) == 1
