"""Every kiosk screen rendered offscreen to PNG, in the states a reviewer needs to see.

Nothing here writes to the hall: the ticket screen is drawn from a sample ticket rather than
an issued one, and the printer is never asked, so screenshots can be taken of a live hall.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication

from devices.events import IDCARD, CardRead
from devices.idcard.card import CardType, IdCard
from kiosk.idnumber import check_digit
from kiosk.models import Matter, Priority, Ticket, TicketStatus
from kiosk.queue_rules import estimate_wait_minutes, ticket_number
from ui.context import TerminalContext
from ui.kiosk.look import LANDSCAPE, PORTRAIT
from ui.kiosk.window import KioskWindow
from ui.worker import drain_jobs

VARIANTS: tuple[tuple[str, str, str, bool], ...] = (
    ("portrait", PORTRAIT, "zh", False),
    ("landscape", LANDSCAPE, "zh", False),
    ("portrait-elder", PORTRAIT, "zh", True),
    ("landscape-elder", LANDSCAPE, "zh", True),
    ("portrait-en", PORTRAIT, "en", False),
    ("landscape-en", LANDSCAPE, "en", False),
)
SAMPLE_ID = "33010619800512123"
SAMPLE_ID += check_digit(SAMPLE_ID)


def sample_card(name: str = "张三丰") -> IdCard:
    return IdCard(card_type=CardType.RESIDENT, name=name, gender_code="1", birth_date=dt.date(1980, 5, 12),
                  id_number=SAMPLE_ID, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2040, 1, 1))


def sample_ticket(ctx: TerminalContext, matter: Matter, now: dt.datetime) -> Ticket:
    """The ticket the hall would issue next for `matter`, without issuing it: its number follows
    the hall's counter and the people ahead are the ones the home screen counts as waiting."""
    status = ctx.hall.queue_status()
    cat = next(c for c in ctx.hall.categories() if c.prefix == matter.category)
    ahead = status.waiting.get(matter.category, 0)
    serving = sum(1 for w in status.windows if not w.paused and w.clerk)
    return Ticket(id=-1, number=ticket_number(matter.category, status.issued.get(matter.category, 0) + 1),
                  day=now.date(),
                  category=matter.category, category_name=cat.name, matter_code=matter.code,
                  matter_name=matter.name, priority=Priority.NORMAL, status=TicketStatus.WAITING, issued_at=now,
                  arrival_at=now, ahead=ahead,
                  est_wait_min=estimate_wait_minutes(ahead, cat.default_service_minutes * 60, serving),
                  holder_name="张*")


def _pick_matter(ctx: TerminalContext) -> Matter | None:
    """A matter with a rongque-able and a key material, so both verdicts can be shown."""
    fallback = None
    for m in ctx.hall.matters():
        to_bring = ctx.hall.checklist(m.code).to_bring
        if any(x.rongque for x in to_bring) and any(x.key for x in to_bring):
            return m
        fallback = fallback or m
    return fallback


def _settle() -> None:
    drain_jobs()  # what the screen asked the hall for (the home screen's queue counts) has come
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()


def _save(window: KioskWindow, path: Path) -> Path:
    _settle()
    window.grab().save(str(path))
    return path


def _save_with_dialog(window: KioskWindow, path: Path) -> Path:
    """The window dimmed with the PIN dialog drawn on top, as a citizen would see it."""
    dialog = window.request_exit()
    dialog.entry.type("13")
    dialog.adjustSize()
    _settle()
    pix = window.grab()
    painter = QPainter(pix)
    painter.fillRect(pix.rect(), QColor(10, 31, 61, 150))
    dpix = dialog.grab()
    painter.drawPixmap(QPoint((pix.width() - dpix.width()) // 2, (pix.height() - dpix.height()) // 2), dpix)
    painter.end()
    pix.save(str(path))
    dialog.reject()
    return path


def render_variant(ctx: TerminalContext, out_dir: Path, prefix: str, orientation: str, lang: str,
                   elder: bool) -> list[Path]:
    w = KioskWindow(ctx, orientation, lang, elder, poll_printer=False)
    w.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    w.show()
    out: list[Path] = []

    def shot(name: str) -> None:
        out.append(_save(w, out_dir / f"kiosk-{prefix}-{name}.png"))

    try:
        shot("01-home")
        matter = _pick_matter(ctx)
        if matter is not None:
            w.choose_category(matter.category)
            w.search("GTGS" if matter.category == "A" else "")
            shot("02-matters-search")
            w.choose_matter(matter.code)
            shot("03-checklist-start")  # nothing answered yet: no verdict
            to_bring = ctx.hall.checklist(matter.code).to_bring
            first_key = next((m for m in to_bring if m.key), None)
            for m in to_bring:
                w.tick(m.id, m is first_key)
            if matter.conditions:
                w.answer(matter.conditions[0], False)
            shot("03-checklist-key-missing")
            for m in to_bring:
                w.tick(m.id, not m.rongque)
            shot("04-checklist-rongque")
            w.to_identity()
            w.on_device_event(CardRead(sample_card(), device=IDCARD, url="sim://idcard"))
            shot("05-identity-card-read")
            w.session.ticket = sample_ticket(ctx, matter, dt.datetime.now().replace(microsecond=0))
            w.go("ticket", remember=False)
            w.screens["ticket"].show_printed()  # type: ignore[attr-defined]
            shot("06-ticket")
            w.screens["ticket"].show_print_failed(w.session.ticket.number, "打印机缺纸")  # type: ignore
            shot("07-ticket-print-failed")
        w.reset_to_home()
        w.set_printer_state(False, "打印机缺纸")
        shot("08-home-printer-out")
        w.set_printer_state(True, "")
        w.set_hall_reachable(False)  # a networked kiosk that lost its hall server
        shot("08-home-server-lost")
        w.call_helper()  # kept for the server's return, and the citizen told so
        shot("08-helper-kept-server-lost")
        w.reset_to_home()
        w.set_hall_reachable(False, "终端令牌无效或已注销：请向大厅管理员重新领取")  # its token revoked
        shot("08-home-token-refused")
        w.set_hall_reachable(True)
        w.go("checkin")
        w.screens["checkin"].entry.type("YY2026")  # type: ignore[attr-defined]
        shot("09-checkin")
        w.go("progress")
        w.look_up_progress("330106202611250001")
        shot("10-progress")
        w.reset_to_home()
        w.call_helper()
        shot("11-helper-called")
        w.notice.hide()
        out.append(_save_with_dialog(w, out_dir / f"kiosk-{prefix}-12-pin.png"))
        if matter is not None:  # the last seconds before the idle reset, over a visit under way
            w.choose_matter(matter.code)
            w.countdown.show_seconds(12)
            shot("13-idle-countdown")
            w.reset_to_home()
    finally:
        w.close()
        w.deleteLater()
    return out


def render_screenshots(ctx: TerminalContext, out_dir: Path) -> list[Path]:
    """Render every kiosk screen for portrait and landscape, elder mode and English; returns the PNGs."""
    from ui.app import create_application

    create_application()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for prefix, orientation, lang, elder in VARIANTS:
        paths += render_variant(ctx, out_dir, prefix, orientation, lang, elder)
    return paths
