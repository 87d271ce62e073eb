"""What the kiosk does with a scanned line: a booking code checks in and an application number
or a receipt's follow link shows its progress, even when the scanner sends the code with a
prefix, in full-width characters or inside a link; anything else is said plainly on the
screen the citizen is on, never silently dropped."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QLabel  # noqa: E402
from test_kiosk import ID_NUMBER, MATTER, NAME, make_kiosk  # noqa: E402  (the kiosk tests' citizen and window)

from devices.events import SCANNER, CodeScanned  # noqa: E402
from devices.scanner import UNKNOWN  # noqa: E402
from kiosk.models import Application, MaterialCheck, MaterialStatus  # noqa: E402
from kiosk.settings import hall_info  # noqa: E402
from ui.context import TerminalContext  # noqa: E402


@pytest.fixture
def ctx(kiosk_ctx):
    return kiosk_ctx


def scan(w, line: str) -> None:
    """A line as a scanner driver that does not read codes inside lines would send it."""
    w.on_device_event(CodeScanned(line, UNKNOWN, device=SCANNER, url="sim://"))


def accepted(ctx: TerminalContext) -> Application:
    hall = ctx.hall
    checks = tuple(MaterialCheck(i.material.id, i.material.name, MaterialStatus.RECEIVED)
                   for i in hall.checklist(MATTER).items)
    return hall.accept(matter_code=MATTER, checks=checks, applicant_name=NAME, applicant_id=ID_NUMBER)


def progress_text(w) -> str:
    return " ".join(lbl.text() for lbl in w.screens["progress"].result_box.findChildren(QLabel))


@pytest.mark.parametrize("wrap", ["]Q1{code}", "https://hall.example.cn/book?code={code}", "fullwidth"])
def test_a_booking_code_scanned_with_a_prefix_inside_a_link_or_in_full_width_finds_the_booking(qtbot, ctx, wrap):
    today = ctx.hall.today()
    booking = ctx.hall.book_appointment(matter_code=MATTER, day=today, slot_start=dt.time(0, 0),
                                        slot_end=dt.time(23, 59), holder_name=NAME)
    line = booking.code.translate({ord(c): ord(c) + 0xFEE0 for c in booking.code}) if wrap == "fullwidth" \
        else wrap.format(code=booking.code)
    w = make_kiosk(qtbot, ctx)
    scan(w, line)
    screen = w.screens["checkin"]
    assert w.current == "checkin" and screen.booking is not None and screen.booking.code == booking.code
    assert screen.confirm.text() == "确认签到"


def test_a_receipts_follow_link_scanned_at_the_kiosk_shows_its_application(qtbot, ctx):
    ctx.hall.update_settings(follow_url="https://hall.example.cn")
    app = accepted(ctx)
    payload = hall_info(ctx.hall.settings()).follow_payload(app.number, app.follow_token, "a")
    assert payload.startswith("https://hall.example.cn/a/")
    w = make_kiosk(qtbot, ctx)
    scan(w, payload)
    assert w.current == "progress"
    shown = progress_text(w)
    assert app.number in shown and "已受理" in shown and NAME not in shown  # the name masked, as by number


def test_a_follow_link_of_no_application_says_so_on_the_progress_screen(qtbot, ctx):
    w = make_kiosk(qtbot, ctx)
    scan(w, "https://hall.example.cn/a/AAAAAAAAAAAAAAAA")
    assert w.current == "progress" and "没有找到这张回执上的办件" in progress_text(w)


def test_a_hall_that_cannot_resolve_follow_links_for_the_kiosk_gets_the_plain_message(qtbot, ctx):
    class Remote:
        """A hall server's client: the kiosk's role may not turn a follow token into an application."""

        def __getattr__(self, name: str) -> object:
            if name == "application_for_link":
                raise AttributeError(name)
            return getattr(ctx.hall, name)

    remote = TerminalContext(hall=Remote(), send_ticket=ctx.send_ticket, printer_status=ctx.printer_status)
    w = make_kiosk(qtbot, remote)
    scan(w, "https://hall.example.cn/a/HlODxL9UvapPBVRL")
    assert w.current == "progress" and "无法识别此二维码" in progress_text(w)
    assert "办件编号" in progress_text(w)  # and the way around it


@pytest.mark.parametrize("where", ["progress", "checkin", "checklist"])
def test_a_code_the_kiosk_cannot_read_is_said_on_the_screen_the_citizen_is_on(qtbot, ctx, where):
    w = make_kiosk(qtbot, ctx)
    if where == "checklist":
        w.choose_matter(MATTER)
    else:
        w.go(where)
    scan(w, "https://www.example.com/promo?id=42")
    assert w.current == where
    said = {"progress": progress_text(w), "checkin": w.screens["checkin"].message.text(),
            "checklist": w.notice.title.text() + w.notice.text.text()}[where]
    assert "无法识别此二维码" in said
    if where == "checklist":
        assert w.notice.isVisible()


def test_an_unreadable_code_is_said_in_english_in_english_mode(qtbot, ctx):
    w = make_kiosk(qtbot, ctx, lang="en")
    w.go("progress")
    scan(w, "hello")
    assert "This code cannot be read here" in progress_text(w) and "无法" not in progress_text(w)


def test_a_booking_link_typed_or_passed_to_check_in_finds_the_booking_and_never_fails_on_its_shape(qtbot, ctx):
    from ui.kiosk.screen_lookup import appointment_day

    booking = ctx.hall.book_appointment(matter_code=MATTER, day=ctx.hall.today(), slot_start=dt.time(0, 0),
                                        slot_end=dt.time(23, 59), holder_name=NAME)
    link = f"https://hall.example.cn/book?code={booking.code.lower()}"
    assert appointment_day(link) == ctx.hall.today()
    w = make_kiosk(qtbot, ctx)
    w.check_in(link)
    assert w.screens["checkin"].booking is not None and w.screens["checkin"].booking.code == booking.code
