"""KioskWindow: the citizen's terminal. Owns the visit (Session), moves between screens, and
does the two things with side effects — issuing a ticket and printing it.

Screens are built once per look (language, elder mode, orientation) and reset in place when
the kiosk forgets a citizen: each screen's `reset()` clears every field that showed a name, a
number, a phone, a tick or a ticket. Rebuilding all of them per citizen froze the screen for
up to 0.8 s and leaked each scroll area's gesture recognizer, hundreds of MB over months.
The catalog changing (a new category, a matter moved) rebuilds them at the next reset, as
does a citizen having left the kiosk in another language or elder mode than the hall's.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QScrollArea, QScroller, QStackedWidget, QVBoxLayout, QWidget

from devices.events import (
    IDCARD,
    SCANNER,
    CardRead,
    CardRejected,
    CodeScanned,
    DeviceConnected,
    DeviceDisconnected,
    DeviceFault,
    DeviceRecovered,
)
from devices.scanner import APPLICATION, APPOINTMENT, classify_code, extract_code, follow_link
from kiosk.errors import HallError, InvalidAction, NotFound, ServerUnavailable
from kiosk.events import CATALOG_EVENTS, RESYNC, SERVER_BACK, SERVER_LOST, refusal
from kiosk.idnumber import InvalidIdNumber
from kiosk.long_lived import keep_long_lived_out_of_collections, release_frozen
from kiosk.models import Appointment, HallEvent, Matter, PrintState, Ticket, TicketStatus, Window
from kiosk.settings import HallSettings, hall_info
from printing.escpos_ticket import build_checklist_slip, build_ticket
from printing.profiles import get_profile
from ui.busy import Busy, off_gui_thread
from ui.chime import Chime
from ui.context import TerminalContext
from ui.device_report import DeviceReporter, printer_state
from ui.i18n import tr
from ui.kiosk import strings  # noqa: F401 - registers the English strings
from ui.kiosk.base import Screen
from ui.kiosk.catalog import CatalogCopy
from ui.kiosk.lazy_screens import LazyScreens
from ui.kiosk.look import SIZES, Look, stylesheet
from ui.kiosk.overlays import HelperNotice, IdleCountdown, PinDialog, ReprintDialog
from ui.kiosk.screen_checklist import ChecklistScreen
from ui.kiosk.screen_home import HomeScreen
from ui.kiosk.screen_identity import IdentityScreen
from ui.kiosk.screen_lookup import CheckinScreen, ProgressScreen, appointment_day
from ui.kiosk.screen_matters import MattersScreen
from ui.kiosk.screen_ticket import TicketScreen
from ui.kiosk.session import Session
from ui.kiosk.spoken import (
    BOOKING_FOUND,
    CARD_READ,
    SCREEN_PROMPTS,
    STILL_THERE,
    VERDICT_SAID,
    ticket_not_printed,
    ticket_printed,
)
from ui.kiosk.strings import say_error
from ui.kiosk.verdict import Outcome
from ui.kiosk.watchers import IdleWatcher, PrinterWatcher
from ui.kiosk.widgets import Footer, Header
from ui.worker import run_async

if TYPE_CHECKING:
    from ui.voice.prompt_voice import PromptVoice

SCREENS: tuple[type[Screen], ...] = (HomeScreen, MattersScreen, ChecklistScreen, IdentityScreen, TicketScreen,
                                     CheckinScreen, ProgressScreen)
LOOKUPS = ("checkin", "progress")  # entered from home, they start empty: a typed code is one visit's
CARD_SCREENS = ("matters", "checklist", "identity")  # where a card read belongs to the visit
def is_catalog_event(kind: str) -> bool:
    """Whether an event means the kiosk's copy of the catalog is out of date: the core's list of
    catalog changes (a materials sheet's MaterialsImported once went unheard), or a resync."""
    return kind in CATALOG_EVENTS or kind == RESYNC


REFREEZE_AFTER_MS = 5000  # idle on home this long after a rebuild: freeze the long-lived objects again
# after these the kiosk's copy of the hall settings and windows may be out of date (a missed
# event included)
CONFIG_EVENTS = frozenset({"SettingsChanged", "WindowSaved", RESYNC, SERVER_BACK})
T = TypeVar("T")


class KioskWindow(QWidget):
    """The citizen kiosk. Show it with `show_kiosk()` (full screen); leaving needs the PIN.

    Signals: helper_called(screen name) when a citizen asks for a helper; exit_allowed after
    the manager's PIN; ticket_issued(Ticket); screen_changed(name).
    Benchmark hooks (time.perf_counter values): last_take_started (the touch on 取号),
    last_ticket_shown (number on screen), last_bytes_sent (just before send_ticket),
    last_print_done (send_ticket returned).
    """

    helper_called = Signal(str)
    exit_allowed = Signal()
    ticket_issued = Signal(object)
    screen_changed = Signal(str)

    def __init__(self, ctx: TerminalContext, orientation: str = "portrait", lang: str = "zh",
                 elder: bool = False, *, poll_printer: bool = True) -> None:
        super().__init__()
        # the frame paints the kiosk's background over all of the window: the window's own
        # fill under it, a full-screen fill each time a screen changes, would never be seen
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        if orientation not in SIZES:
            raise ValueError(f"orientation 应为 portrait 或 landscape，而不是 {orientation!r}")
        self.ctx = ctx
        self.hall = ctx.hall
        self.catalog = CatalogCopy(self.hall)  # matters and checklists, read once
        self.settings = self.hall.settings()
        self.windows = self.hall.windows()  # which windows serve a ticket's category, on its screen
        self.look = Look(lang=lang, elder=elder, orientation=orientation)
        self.home_look = self.look  # the hall's look for this kiosk: each new visit starts in it
        self.session = Session()
        self.printer_ready = True
        self.hall_reachable = True  # False while a networked kiosk has lost its hall server
        self.hall_refusal = ""  # the server's words while it refuses this kiosk's token
        self.helper_call_id: int | None = None  # this kiosk's open helper call, to show who is coming
        self.helper_sending = False  # this visit's call is on its way to the hall
        self.helper_said: tuple[str, str] | None = None  # the last news of this visit's call, shown again on request
        self.helper_why = ""  # the reason this visit's call went out with (a HELPER_REASONS key)
        self.helper_why_next = ""  # a new reason that came while the call was on its way: sent after it
        self.visit_number = 0  # counts the resets: an answer for an earlier visit's call is not shown
        # (reason, screen, matter) of a call made while the hall server was away, sent on its return,
        # and the visit it was made in (visit_number)
        self.helper_call_kept: tuple[str, str, str] | None = None
        self.kept_visit = 0
        # the kiosk's own speaker, for a call no staff terminal can hear: someone on the floor may
        self.chime = Chime(self)
        self.voice: PromptVoice | None = None  # elder mode's spoken prompts, made when first needed
        self.verdict_said: Outcome | None = None  # the checklist's outcome last said, until the checklist opens again
        self.popular: list[Matter] = []  # the most-asked-for matters last read, for a rebuild while the server is away
        self.devices = DeviceReporter(self.hall, run_async)
        self.reader_problem = ""  # the card reader's fault in words, while it lasts
        self.printer_message = ""
        self.last_take_started: float | None = None
        self.last_ticket_shown: float | None = None
        self.last_bytes_sent: float | None = None
        self.last_print_done: float | None = None
        self.current = "home"
        self.history: list[str] = []
        self.screens: Mapping[str, Screen] = {}
        self.pin_dialog: PinDialog | None = None
        self.reprint_dialog: ReprintDialog | None = None
        self.setWindowTitle(tr("政务服务自助取号机", lang))
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._frame: QWidget | None = None
        self._catalog_changed = False
        self._config_stale = False
        self._refreeze = False
        self.idle = IdleWatcher(self.idle_ms(), self, scope=self)
        self.idle.warning.connect(self._idle_warning)
        self.idle.countdown.connect(self._idle_countdown)
        self.idle.resumed.connect(self._idle_resumed)
        self.idle.idle.connect(self.on_idle)
        # asked through the context at each poll: devices opened again while running swap it
        self.printer = PrinterWatcher(lambda: ctx.printer_status(), parent=self)
        self.printer.changed.connect(self.set_printer_state)
        ctx.device_events.event.connect(self.on_device_event)
        ctx.hall_events.event.connect(self.on_hall_event)
        self._esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._esc.activated.connect(self.request_exit)
        self.resize(*SIZES[orientation])
        self._build()
        self.go("home", remember=False, spoken=False)  # switched on, with nobody there yet
        if poll_printer:
            self.printer.start()

    # --- building --------------------------------------------------------------------

    def _build(self) -> None:
        """(Re)create every widget from the look; the old ones, and what they showed, are deleted.

        Only a new look (or catalog) needs this: a citizen leaving resets the screens instead."""
        if self._frame is not None:
            # the old screens' objects must be collectable; frozen again once the kiosk is idle
            self._refreeze = release_frozen() or self._refreeze
            old = self._frame
            self._outer.removeWidget(old)
            old.hide()
            for w in old.findChildren(QLabel):  # nothing the citizen saw survives, even until deletion
                w.clear()
            for area in old.findChildren(QScrollArea):  # hand back each flick gesture's recognizer
                QScroller.ungrabGesture(area.viewport())
            old.setParent(None)
            old.deleteLater()
        frame = QWidget()
        frame.setObjectName("kioskRoot")
        frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        frame.setStyleSheet(stylesheet(self.look))
        lay = QVBoxLayout(frame)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.header = Header(self.settings.hall_name, self.look)
        self.header.language_toggled.connect(self.toggle_language)
        lay.addWidget(self.header)
        self.stack = QStackedWidget()
        lay.addWidget(self.stack, 1)
        self.footer = Footer(self.look)
        self.footer.back.connect(self.back)
        self.footer.home.connect(self.reset_to_home)
        self.footer.helper.connect(lambda: self.call_helper())
        lay.addWidget(self.footer)
        self.screens = LazyScreens(SCREENS, self._make_screen)
        self.notice = HelperNotice(self.look, frame)
        self.countdown = IdleCountdown(self.look, frame)
        self.countdown.keep.connect(self.keep_visit)
        self.countdown.leave.connect(self.reset_to_home)
        self._outer.addWidget(frame)
        self._frame = frame
        self._catalog_changed = False  # the copy was marked stale when the change was heard
        self._close_dialogs()

    def _close_dialogs(self) -> None:
        for dialog in (self.pin_dialog, self.reprint_dialog):
            if dialog is not None:
                dialog.close()
        if self.pin_dialog is not None:  # closed before it was shown: finished never came
            self._pin_closed(self.pin_dialog)
        self.pin_dialog = self.reprint_dialog = None

    def _make_screen(self, cls: type[Screen]) -> Screen:
        screen = cls(self)
        self.stack.addWidget(screen)
        return screen

    def screen(self, name: str | None = None) -> Screen:
        return self.screens[name or self.current]

    def idle_ms(self) -> int:
        """The hall's idle time; doubled in elder mode (generous time before a reset)."""
        seconds = self.settings.idle_seconds * (2 if self.look.elder else 1)
        return max(1, seconds) * 1000

    # --- navigation ------------------------------------------------------------------

    def go(self, name: str, remember: bool = True, *, spoken: bool = True) -> None:
        """Show screen `name`; in elder mode its prompt is said too (`spoken`: not when the
        kiosk itself goes home after a visit, with nobody there to hear it)."""
        if remember and name != self.current:
            self.history.append(self.current)
        fresh = name in LOOKUPS and self.current == "home"
        self.current = name
        screen = self.screens[name]
        if fresh:  # what the last look-up showed (an applicant, a booking) is not the next citizen's
            screen.reset()
        screen.refresh()
        self.stack.setCurrentWidget(screen)
        # home needs neither; the ticket screen's own 完成 goes home, and there is nothing to go back to
        plain = name not in ("home", "ticket")
        self.footer.set_buttons(back=plain, home=plain)
        if name == "checklist" and remember:
            self.verdict_said = None  # a checklist opened afresh says its verdict when answered
        if spoken and name in SCREEN_PROMPTS:
            self.speak(SCREEN_PROMPTS[name])
        else:
            self.hush()
        self.screen_changed.emit(name)

    def _bring_code_to(self, name: str) -> None:
        """A scanned or typed code takes the citizen to its look-up screen (unless there): its
        "scan or type" prompt is past, what the look-up finds is said instead."""
        if self.current != name:
            self.go(name, spoken=False)

    def speak(self, text: str, *, keep: bool = True) -> None:
        """Say `text` in elder mode (适老化: voice prompts beside the large text), cutting off
        whatever the last screen was saying. Chinese only: the voice is Chinese."""
        if not (self.look.elder and self.look.lang == "zh"):
            self.hush()
            return
        if self.voice is None:
            from ui.voice.prompt_voice import PromptVoice  # espeak-ng and the players: not at start

            self.voice = PromptVoice(parent=self)
        self.voice.say(text, keep=keep)

    def hush(self) -> None:
        if self.voice is not None:
            self.voice.silence()

    def back(self) -> None:
        if self.current == "ticket":  # the ticket is taken: back means done
            self.finish_visit()
            return
        target = self.history.pop() if self.history else "home"
        if target == "home":
            self.leave_to_home()
        else:
            self.go(target, remember=False)

    def leave_to_home(self) -> None:
        """返回 all the way to the home screen ends the visit as the idle reset does: a new
        Session and every screen built so far cleared. On an empty home screen the idle reset
        finds nothing to forget, so whatever stayed here (a card read, a booking checked in, a
        looked-up application) would reach the next citizen. Less than the reset, because the
        citizen may still be standing here: the look they chose, their open helper call and a
        staff dialog stay, and a changed catalog waits for the reset."""
        self.session = Session()
        self.history.clear()
        for name in self.screens.built():  # type: ignore[attr-defined]
            self.screens[name].reset()
        self.go("home", remember=False)

    def reset_to_home(self) -> None:
        """Forget the citizen: a new session, every screen built so far cleared of what it
        showed (names, numbers, phone, ticks, ticket, typed codes), the overlays and staff
        dialogs closed, the home screen. The widgets stay; only a changed catalog rebuilds."""
        self.session = Session()
        self.history.clear()
        self.visit_number += 1
        self.helper_call_id = None  # who comes for the last citizen is not the next one's business
        self.helper_sending, self.helper_said, self.helper_why, self.helper_why_next = False, None, "", ""
        # a call kept while the server is away stays: the screen promised to send it on the
        # server's return, and staff find the kiosk even if the citizen has gone
        if self._config_stale:  # read off the GUI thread; until it comes the last copy serves
            self._config_stale = False
            run_async(lambda: (self.hall.settings(), self.hall.windows()), self._config_came, self._config_not_read)
        # the last citizen's English or elder mode is not the next one's: back to the hall's look
        relook = self._look_changed()
        if relook:
            self.look = replace(self.look, lang=self.home_look.lang, elder=self.home_look.elder)
        self.idle.set_interval_ms(self.idle_ms())
        self.current = "home"
        self.countdown.hide()
        self.notice.reset()
        self._close_dialogs()
        if self._catalog_changed or relook:
            self._build()
        else:
            for name in self.screens.built():  # type: ignore[attr-defined]
                self.screens[name].reset()
        self.go("home", remember=False, spoken=False)
        self.idle.look_away()  # the home screen drawn again is the kiosk's doing, not a touch
        if self._refreeze:
            QTimer.singleShot(REFREEZE_AFTER_MS, self._refreeze_when_idle)

    finish_visit = reset_to_home

    def _refreeze_when_idle(self) -> None:
        """After a rebuild, freeze the long-lived objects again while nobody uses the kiosk (the
        ~30 ms full collection it takes then goes unseen); a citizen already there: next reset."""
        if self._refreeze and not self._has_a_visit():
            self._refreeze = False
            keep_long_lived_out_of_collections()

    def _look_changed(self) -> bool:
        """Whether a citizen switched the language or elder mode away from the hall's look."""
        return (self.look.lang, self.look.elder) != (self.home_look.lang, self.home_look.elder)

    def _relook(self, look: Look) -> None:
        self.look = look
        self.idle.set_interval_ms(self.idle_ms())
        current = self.current
        self._build()
        self.go(current, remember=False)

    def toggle_elder(self) -> None:
        self._relook(replace(self.look, elder=not self.look.elder))

    def toggle_language(self) -> None:
        self._relook(replace(self.look, lang="en" if self.look.lang == "zh" else "zh"))

    # --- the visit -------------------------------------------------------------------

    def choose_category(self, prefix: str) -> None:
        s = self.session
        s.category, s.guide, s.matter_code = prefix, False, ""
        self._clear_search()
        self.go("matters")

    def open_guide(self) -> None:
        s = self.session
        s.category, s.guide, s.matter_code = "", True, ""
        self._clear_search()
        self.go("matters")

    def _clear_search(self) -> None:
        """An empty query for the list about to be shown; go() lists it once, not twice."""
        entry = self.screens["matters"].entry  # type: ignore[attr-defined]
        entry.blockSignals(True)
        entry.clear()
        entry.blockSignals(False)

    def search(self, query: str) -> None:
        self.screens["matters"].search(query)  # type: ignore[attr-defined]

    def choose_matter(self, code: str) -> None:
        s = self.session
        if code != s.matter_code:
            s.answers, s.answered, s.ticked, s.lacking = [], set(), set(), set()
        if s.appointment_code and code != s.appointment_matter:
            # the booking is for its own matter: the hall would issue the ticket for that one,
            # not for the matter whose checklist the citizen is reading
            s.appointment_code, s.appointment_matter, s.appointment_today = "", "", False
        s.matter_code = code
        s.category = self.catalog.matter(code).category
        self.go("checklist")

    def answer(self, condition: str, yes: bool) -> None:
        s = self.session
        s.answered.add(condition)
        if yes and condition not in s.answers:
            s.answers.append(condition)
        if not yes and condition in s.answers:
            s.answers.remove(condition)
        self._refresh_keeping_scroll()
        self._say_verdict()

    def tick(self, material_id: int, have: bool) -> None:
        """The citizen answered 带了 (`have`) or 没带 for one material."""
        s = self.session
        (s.ticked if have else s.lacking).add(material_id)
        (s.lacking if have else s.ticked).discard(material_id)
        self._refresh_keeping_scroll()
        self._say_verdict()

    def _say_verdict(self) -> None:
        """Once every material is answered, say what that means (in elder mode), and say it
        again only when an answer changes it: a tap that changes nothing is not talked over."""
        verdict = getattr(self.screens["checklist"], "verdict", None)
        outcome = verdict.outcome if verdict is not None and verdict.decided else None
        if outcome is not None and outcome != self.verdict_said:
            self.speak(VERDICT_SAID[outcome])
        self.verdict_said = outcome

    def _refresh_keeping_scroll(self) -> None:
        from PySide6.QtWidgets import QScrollArea

        screen = self.screen()
        areas = screen.findChildren(QScrollArea)
        values = [a.verticalScrollBar().value() for a in areas]
        screen.refresh()
        for a, v in zip(areas, values, strict=True):
            # the screens fill kept rows, so a list keeps its place by itself; laying a page out
            # at once (adjustSize) only where a refresh did move it cost every tick 2-3 ms
            if a.verticalScrollBar().value() != v:
                a.widget().adjustSize()
                a.verticalScrollBar().setValue(v)

    def to_identity(self) -> None:
        self.go("identity")

    def skip_id(self) -> None:
        if self.settings.allow_skip_id:
            self.session.skip_id = True
            self.screen().refresh()

    def set_phone(self, phone: str) -> None:
        if not self.settings.allow_phone_instead_of_id:
            return
        if phone != self.session.phone:
            self.session.phone = phone
            self.screens["identity"]._update_take()  # type: ignore[attr-defined]

    def set_green(self, on: bool) -> None:
        self.session.green = bool(on)
        if self.current == "identity":
            self.screen().refresh()

    def check_in(self, code: str) -> None:
        """A booking code, scanned or typed: the booking found is shown (matter, time, name masked)
        for the citizen to confirm with 确认签到; then on to its checklist, so they still see what to
        bring. The hall decides the priority when the ticket is taken."""
        code = extract_code(code)  # blanks gone, upper case, the code itself if a link carries it
        screen = self.screens["checkin"]
        if appointment_day(code) is None:
            self._bring_code_to("checkin")
            screen.show_error(tr("预约码不正确：应为 YY 加 14 位数字，请核对或呼叫帮办", self.look.lang))  # type: ignore
            return
        session = self.session
        try:
            booking, today = self._ask_hall(lambda: (self.hall.find_appointment(code), self.hall.today()))
            if session is not self.session:  # the kiosk was reset while the hall answered
                return
            if booking.status.value != "booked":
                raise InvalidAction(tr("该预约已经签到取号或已取消，请留意叫号或到服务台咨询", self.look.lang))
            if booking.day != today:
                raise InvalidAction(tr("您的预约不是今天的，今天可直接取普通号", self.look.lang))
        except Busy:
            return  # a second scan while the first is still being looked up
        except HallError as exc:
            self._bring_code_to("checkin")
            screen.show_error(say_error(exc, self.look.lang))  # type: ignore[attr-defined]
            return
        self._bring_code_to("checkin")
        screen.show_booking(booking)  # type: ignore[attr-defined]  # the citizen confirms it is theirs
        self.speak(BOOKING_FOUND)

    def confirm_check_in(self) -> None:
        """The citizen confirmed the booking shown: on to its checklist, as a booked visit."""
        booking = getattr(self.screens["checkin"], "booking", None)
        if booking is None:
            return
        self.session.appointment_code = booking.code
        self.session.appointment_matter = booking.matter_code
        self.session.appointment_today = True
        self.session.appointment_until = self.priority_until(booking)
        self.history.clear()
        self.choose_matter(booking.matter_code)

    def priority_until(self, booking: Appointment) -> dt.datetime:
        """Until when the booking gives appointment priority: the hall's rule
        (kiosk.hall_appointments.appointment_priority), slot end plus the grace period, from
        the settings the kiosk keeps, so a late citizen is told before taking the ticket."""
        return dt.datetime.combine(booking.day, booking.slot_end) + dt.timedelta(
            minutes=self.settings.appointment_grace_minutes)

    def now(self) -> dt.datetime:
        """The hall's time where the kiosk holds the hall itself, else this PC's clock."""
        return getattr(self.hall, "clock", dt.datetime.now)()

    def booking_late(self, booking: Appointment) -> bool:
        return self.now() > self.priority_until(booking)

    def look_up_progress(self, number: str) -> None:
        screen = self.screens["progress"]
        self._bring_code_to("progress")
        number = number.strip()
        if not number:
            screen.show_message(tr("请输入办件编号", self.look.lang))  # type: ignore[attr-defined]
            return
        session = self.session
        try:
            application = self._ask_hall(lambda: self.hall.application_progress(number))  # type: ignore[attr-defined]
        except Busy:
            return  # a second search while the first is still being looked up
        except NotFound as exc:
            said = say_error(exc, self.look.lang) if str(exc) else tr("没有找到这个办件编号，请核对后再试", self.look.lang)
            screen.show_message(said, "bad")  # type: ignore[attr-defined]
        except AttributeError:
            screen.show_message(tr("本机暂不能查询办件进度，请到服务台查询", self.look.lang), "warn")  # type: ignore
        except HallError as exc:
            screen.show_message(say_error(exc, self.look.lang), "bad")  # type: ignore[attr-defined]
        else:
            if session is self.session:  # not reset while the hall answered
                screen.show_application(application)  # type: ignore[attr-defined]

    def look_up_progress_link(self, token: str) -> None:
        """A receipt's QR with the hall's public address carries a follow token, not the number:
        the hall turns the token into the application. A hall that does not offer that to the
        kiosk gets the plain message and the way around it (typing the printed number)."""
        resolve = getattr(self.hall, "application_for_link", None)
        if resolve is None:
            self._bring_code_to("progress")
            self.say_unreadable_code()
            return
        screen = self.screens["progress"]
        self._bring_code_to("progress")
        session = self.session
        try:
            application = self._ask_hall(lambda: resolve(token))
        except Busy:
            return
        except HallError as exc:
            screen.show_message(say_error(exc, self.look.lang), "bad")  # type: ignore[attr-defined]
            return
        if session is not self.session:  # reset while the hall answered
            return
        if application is None:
            screen.show_message(tr("没有找到这张回执上的办件，请输入回执上的办件编号", self.look.lang),  # type: ignore
                                "bad")
            return
        screen.entry.set_text(application.number)  # type: ignore[attr-defined]
        screen.show_application(application)  # type: ignore[attr-defined]

    # --- ticket and printing -----------------------------------------------------------

    def _ask_hall(self, fn: Callable[[], T]) -> T:
        """A hall call the citizen waits for, made off the GUI thread: a busy hall file or a slow
        server shows 请稍候 while touches, timers and devices go on, never a frozen screen."""
        return off_gui_thread(self, fn, tr("请稍候…", self.look.lang))

    def mark_take_started(self) -> None:
        """The finger came down on 取号: the start of the measured path to the printer."""
        self.last_take_started = time.perf_counter()

    def take_ticket(self) -> Ticket | None:
        """Issue the ticket (durable first), show it, then print it off the GUI thread."""
        s = self.session
        if self.last_take_started is None or (time.perf_counter() - self.last_take_started) > 5:
            self.last_take_started = time.perf_counter()  # called without a press (tests, demo)
        if not self.can_issue or not s.identified:
            return None
        try:
            ticket = self._ask_hall(lambda: self.hall.issue_ticket(
                matter_code=s.matter_code, category="" if s.matter_code else s.category, priority=s.priority,
                holder_name=s.name, holder_id=s.id_number, phone=s.phone,
                appointment_code=s.appointment_code, ticked=tuple(sorted(s.ticked)), answers=tuple(s.answers),
            ))
        except Busy:
            return None  # a second tap while the first is still being issued
        except (HallError, InvalidIdNumber) as exc:
            screen = self.screens["identity"]
            screen.status.setText("✕ " + say_error(exc, self.look.lang))  # type: ignore[attr-defined]
            screen.status.show()  # type: ignore[attr-defined]
            return None
        s.ticket = ticket
        self.history.clear()
        self.go("ticket", remember=False)
        self.idle.look_away()  # the citizen is here; the ticket screen drawn is no touch
        self.last_ticket_shown = time.perf_counter()
        self.ticket_issued.emit(ticket)
        self._print(ticket)
        return ticket

    def _print(self, ticket: Ticket, after=None) -> None:
        """Send the ticket's bytes off the GUI thread; `after(printed, reason)` hears how it went."""
        # the hall's name and address from the settings the kiosk keeps: no read of the hall (a
        # wait for the store, a disk flush or the server) between the 取号 touch and the printer
        data = build_ticket(ticket, hall_info(self.settings), get_profile(self.ctx.printer_profile))
        send = self.ctx.send_ticket
        self._on_ticket_screen(ticket, lambda sc: sc.show_printing())

        def job() -> None:
            self.last_bytes_sent = time.perf_counter()
            send(data)
            self.last_print_done = time.perf_counter()

        def done(_: object) -> None:
            run_async(lambda: self.hall.mark_printed(ticket.id, True))  # off the GUI thread too
            self._on_ticket_screen(ticket, lambda sc: (sc.show_printed(), self.speak(ticket_printed(ticket), keep=False)))
            if after is not None:
                after(True, "")

        def failed(exc: Exception) -> None:
            reason = str(exc) or tr("打印机故障", self.look.lang)
            run_async(lambda: self.hall.mark_printed(ticket.id, False, reason))
            self.set_printer_state(False, reason)
            self._on_ticket_screen(ticket, lambda sc: (sc.show_print_failed(ticket.number, reason),
                                                       self.speak(ticket_not_printed(ticket), keep=False)))
            if after is not None:
                after(False, say_error(exc, self.look.lang))

        run_async(job, done, failed)

    def offer_reprints(self) -> ReprintDialog | None:
        """For staff after the PIN: today's waiting tickets the printer failed to give out."""
        try:
            lost = self._ask_hall(lambda: self.hall.tickets(status=TicketStatus.WAITING,
                                                            print_state=PrintState.FAILED))
        except Busy:
            return None
        except HallError as exc:
            self.notice.say(tr("补打列表暂时读不到", self.look.lang), say_error(exc, self.look.lang))
            return None
        if not lost:
            return None
        dialog = ReprintDialog(lost, self.look, lambda t: self._print(t, lambda ok, why: dialog.mark(t.id, ok, why)),
                               self)
        dialog.open()
        self.reprint_dialog = dialog
        return dialog

    def retry_print(self) -> None:
        """Print the stored ticket again (after paper was loaded); the number stays the same."""
        if self.session.ticket is not None:
            self._print(self.session.ticket)

    def print_checklist(self) -> None:
        """Print the matter's checklist with the missing materials marked, on the ticket printer,
        so a citizen who cannot be accepted today leaves knowing everything at once."""
        s = self.session
        if not s.matter_code:
            return
        checklist = self.catalog.checklist(s.matter_code, tuple(s.answers))
        data = build_checklist_slip(checklist, hall_info(self.settings), get_profile(self.ctx.printer_profile),
                                    frozenset(s.ticked))
        send = self.ctx.send_ticket

        def done(_: object) -> None:
            self.notice.say("✓ " + tr("材料清单已打印", self.look.lang),
                            tr("材料清单已打印，请取走。备齐材料后再来，一次办成。", self.look.lang))

        def failed(exc: Exception) -> None:
            self.set_printer_state(False, str(exc))
            self.call_helper("checklist_notice")
            self.notice.text.setText(tr("清单未能打印：", self.look.lang) + say_error(exc, self.look.lang) + "\n"
                                     + tr("工作人员马上到您身边，为您打印一次性告知单。", self.look.lang))

        run_async(lambda: send(data), done, failed)

    def _on_ticket_screen(self, ticket: Ticket, action) -> None:
        """Update the ticket screen only if it still shows this ticket (the citizen may have left)."""
        s = self.session.ticket
        if s is not None and s.id == ticket.id:
            action(self.screens["ticket"])

    @property
    def can_issue(self) -> bool:
        """Tickets are offered only with a printer and a hall that can record them."""
        return self.printer_ready and self.hall_reachable

    def pause_text(self) -> tuple[str, str]:
        """(heading, advice) of the 暂停取号 banner, in the kiosk's language."""
        if self.hall_refusal:  # waiting will not bring it back: staff must register the kiosk again
            return (tr("暂停取号：本机需要工作人员重新设置", self.look.lang),
                    tr("请到服务台取号。查看材料清单不受影响。", self.look.lang) + "\n"
                    + tr("工作人员请注意：{reason}", self.look.lang).format(reason=self.hall_refusal))
        if not self.hall_reachable:
            return (tr("暂停取号：与大厅服务器的连接中断，正在自动重连", self.look.lang),
                    tr("请点“呼叫帮办”或到服务台取号；连接恢复后可继续取号。查看材料清单不受影响。", self.look.lang))
        reason = say_error(self.printer_message, self.look.lang)
        head = tr("取号打印机暂停服务（{reason}）", self.look.lang).format(reason=reason) if reason else \
            tr("取号打印机暂停服务", self.look.lang)
        return head, tr("现在不能打印号票：请到服务台取号或呼叫帮办。查看材料清单和查询进度不受影响。", self.look.lang)

    def on_hall_event(self, event: object) -> None:
        if not isinstance(event, HallEvent):
            return
        if event.kind in (SERVER_LOST, SERVER_BACK):
            self.set_hall_reachable(event.kind == SERVER_BACK, refusal(event))
            if event.kind == SERVER_BACK:
                self.devices.flush()  # what changed while the server was away
                if self.helper_call_kept is not None:  # as the screen promised, citizen there or not
                    call, self.helper_call_kept = self.helper_call_kept, None
                    open_call = self.helper_call_id if self.kept_visit == self.visit_number else None
                    self._send_helper_call(call, self.kept_visit, update=open_call)
        elif event.kind in ("HelperCallTaken", "HelperCallClosed"):
            self._helper_event(event)
        if event.kind in CONFIG_EVENTS:
            self._config_stale = True  # read again when this citizen leaves, like the catalog
        if is_catalog_event(event.kind):
            self._catalog_changed = True  # the screens are rebuilt when this citizen leaves
            self.catalog.forget()  # what the screens read from now on is the new catalog

    def _config_came(self, config: tuple[HallSettings, list[Window]]) -> None:
        self.settings, self.windows = config
        self.idle.set_interval_ms(self.idle_ms())
        self.header.hall_name.setText(self.settings.hall_name)  # renamed by the manager: the header follows

    def _config_not_read(self, _: Exception) -> None:
        self._config_stale = True  # server away or file busy: the next reset asks again

    def set_hall_reachable(self, reachable: bool, refused: str = "") -> None:
        """The hall server went away (or refuses this kiosk's token: `refused`, its words) or came back."""
        self.hall_reachable = reachable
        self.hall_refusal = "" if reachable else refused
        if self.current in ("home", "checklist", "identity"):
            self._refresh_keeping_scroll()

    def set_printer_state(self, ready: bool, message: str = "") -> None:
        """The printer's state as the kiosk shows it; tickets are offered only when ready."""
        self.printer_ready = ready
        self.printer_message = message
        self.devices.set("printer", printer_state(ready, message), message)
        if self.current in ("home", "checklist", "identity"):
            self._refresh_keeping_scroll()

    # --- devices, helper, idle, exit ---------------------------------------------------

    def show_hall_error(self, said: BaseException | str) -> None:
        """What ui.errors shows for an error no touch caught: the kiosk's notice, in its language."""
        self.notice.say(tr("操作未完成", self.look.lang), say_error(said, self.look.lang))

    def on_device_event(self, event: object) -> None:
        """A device spoke. Devices are not people: only a card that starts the visit's identity
        and a code held to the scanner count as someone at the kiosk. The demo lays a simulated
        card on the reader every few seconds; were each read a touch, the kiosk would never
        forget its citizen."""
        if isinstance(event, DeviceDisconnected | DeviceFault) and event.device in (IDCARD, SCANNER):
            self.devices.set(event.device, "offline" if isinstance(event, DeviceDisconnected) else "error",
                             event.message)
        elif isinstance(event, DeviceConnected | DeviceRecovered) and event.device in (IDCARD, SCANNER):
            self.devices.set(event.device, "ok")
        s = self.session
        if isinstance(event, CardRead):
            if self.current not in CARD_SCREENS and not s.matter_code:
                return  # a card on the home screen belongs to no visit yet: keep nothing
            if not s.id_number:  # the visit's first card: someone laid it there
                self.idle.poke()
            s.name = event.card.name or event.card.name_en
            s.id_number = event.card.id_number
            s.card_message = ""
            if self.current == "identity":
                self.screen().refresh()
                self.speak(CARD_READ)
        elif isinstance(event, CardRejected):
            s.card_message = event.message
            if self.current == "identity":
                self.screen().refresh()
                self.speak(event.message, keep=False)
        elif isinstance(event, DeviceDisconnected | DeviceFault) and event.device == IDCARD:
            self.reader_problem = event.message
            if self.current == "identity":
                self.screen().refresh()
        elif isinstance(event, DeviceConnected | DeviceRecovered) and event.device == IDCARD:
            self.reader_problem = ""
            if self.current == "identity":
                self.screen().refresh()
        elif isinstance(event, CodeScanned):
            self.idle.poke()  # a code is held to the scanner by hand
            self.on_code(event.code)

    def on_code(self, line: str) -> None:
        """A scanned line: a booking code checks in, an application number or a receipt's
        follow link shows its progress, and anything else is said plainly where the citizen is
        (a scanner that answers nothing looks broken). Read again here: not every scanner
        driver finds the code inside a prefixed or full-width line."""
        code = extract_code(line)
        kind = classify_code(code)
        link = follow_link(code)
        if kind == APPOINTMENT:
            self.check_in(code)
        elif kind == APPLICATION:
            self.go("progress", spoken=False)
            self.screens["progress"].entry.set_text(code)  # type: ignore[attr-defined]
            self.look_up_progress(code)
        elif link is not None and link[0] == "a":
            self.look_up_progress_link(link[1])
        else:
            self.say_unreadable_code()

    def say_unreadable_code(self) -> None:
        """无法识别此二维码, on the screen the citizen is on: in the look-up's own message line
        where there is one, else as a notice over the screen."""
        lang = self.look.lang
        if self.current == "progress":
            self.screens["progress"].show_message(  # type: ignore[attr-defined]
                tr("无法识别此二维码，请输入受理回执上的办件编号", lang), "warn")
        elif self.current == "checkin":
            self.screens["checkin"].show_error(  # type: ignore[attr-defined]
                tr("无法识别此二维码，请输入预约短信中的预约码", lang))
        else:
            self.notice.say("！" + tr("无法识别此二维码", lang),
                            tr("本机可扫描预约二维码和受理回执上的二维码。", lang) + "\n"
                            + tr("也可以在首页点“预约签到”或“办件进度查询”，输入号码。", lang))

    def call_helper(self, reason: str = "") -> None:
        """Ask the hall for a person: the call is stored and reaches every signed-in clerk and
        the manager; the citizen is told it went out, then who is coming. With the hall server
        lost the call is kept and sent the moment the server is back, and the citizen is told
        so; it goes out even if the kiosk was reset meanwhile (staff then find the kiosk, and
        the next citizen sees nothing of it). A kiosk whose token is refused cannot reach anyone
        and says so at once. Never a promise of help that will not come.

        While this visit's call is open (on its way, waiting for staff, or kept for the
        server's return) pressing again shows its news again: an anxious citizen pressing five
        times rang every desk five times, and the kiosk followed only the last call, so it
        never said who took the first. A new reason while it is open (the checklist would not
        print) goes to the same call, so staff on the way learn what to bring."""
        s = self.session
        why = ("missing_material" if reason == "checklist_notice"
               else "reprint" if s.ticket is not None and s.ticket.print_state is PrintState.FAILED
               else "server" if not self.hall_reachable
               else "printer" if not self.printer_ready else "asked")
        kept_here = self.helper_call_kept is not None and self.kept_visit == self.visit_number
        if self.helper_sending or self.helper_call_id is not None or kept_here:
            if why in ("asked", self.helper_why) or self.hall_refusal:
                if self.helper_said is not None:
                    self.notice.say(*self.helper_said)
                return
            if self.helper_sending:  # answered soon: the new reason follows it to the same call
                self.helper_why_next = why
                return
        self.helper_called.emit(self.current)
        call = (why, self.current, s.matter_code)
        if self.hall_refusal:  # the server would refuse the call as it refuses everything else
            self._helper_unreachable(tr("本机暂时无法联系大厅服务器。", self.look.lang) + "\n")
        elif not self.hall_reachable:
            self._keep_helper_call(call)
        else:
            self._send_helper_call(call, update=self.helper_call_id)

    def _say_helper(self, title: str, text: str) -> None:
        """News of this visit's helper call, kept to be shown again when the button is pressed again."""
        self.helper_said = (title, text)
        self.notice.say(title, text)
        self.speak(text, keep=False)

    def _send_helper_call(self, call: tuple[str, str, str], visit: int | None = None,
                          update: int | None = None) -> None:
        """Send a call made in `visit` (this one unless said), or a new reason for its open call
        `update`; only this visit's is shown."""
        why, screen, matter = call
        visit = self.visit_number if visit is None else visit
        if visit == self.visit_number:
            self.helper_sending, self.helper_why = True, why
            self._say_helper("☎ " + tr("正在呼叫帮办人员…", self.look.lang), tr("请在这里稍候。", self.look.lang))

        def sent(answer: object) -> None:
            if self.visit_number != visit:  # the citizen left meanwhile: staff still come, quietly
                return
            self.helper_sending = False
            self.helper_call_id = getattr(answer, "id", None)
            coming = getattr(answer, "taken_by_name", "")
            if coming:  # a new reason for a call someone already took: they are on the way
                self._say_helper("☎ " + tr("帮办人员正在赶来", self.look.lang),
                                 tr("{name} 正在赶来，请在这里稍候。", self.look.lang).format(name=coming))
            else:
                text = "工作人员马上到您身边，为您打印一次性告知单。" if why == "missing_material" else \
                    "工作人员马上到您身边，请在这里稍候。"
                self._say_helper("☎ " + tr("已通知帮办人员", self.look.lang), tr(text, self.look.lang))
            if self.helper_why_next:  # a new reason came while this call was on its way
                later, self.helper_why_next = self.helper_why_next, ""
                self._send_helper_call((later, screen, matter), update=self.helper_call_id)

        def failed(exc: Exception) -> None:
            lost = isinstance(exc, ServerUnavailable) and not self.hall_refusal
            if self.visit_number == visit:
                self.helper_sending = False
                if update is None:  # a new reason lost on its way leaves the call it was for open
                    self.helper_call_id = None
            if lost:
                self._keep_helper_call(call, visit)  # lost on the way: it goes out when the server is back
            elif self.visit_number == visit:
                self._helper_unreachable()

        run_async(lambda: self.hall.call_helper(reason=why, screen=screen, matter_code=matter, update_call=update),
                  sent, failed)

    def _keep_helper_call(self, call: tuple[str, str, str], visit: int | None = None) -> None:
        """The server is away: keep the citizen's call for when it is back, say so, and ring
        here meanwhile. The kiosk keeps one call: a later visit's replaces an earlier one's
        (staff come to the same kiosk), and an earlier one's, lost on its way, does not
        replace a later one's."""
        visit = self.visit_number if visit is None else visit
        if self.helper_call_kept is not None and self.kept_visit > visit:
            return
        self.helper_call_kept, self.kept_visit = call, visit
        if visit != self.visit_number:
            return  # the citizen has gone: nobody to tell
        self.helper_why = call[0]
        self.chime.ring()
        self._say_helper("☎ " + tr("已记下您的求助", self.look.lang),
                        tr("网络连接中断，工作人员暂时收不到。", self.look.lang) + "\n"
                        + tr("连接一恢复，本机立即通知工作人员。", self.look.lang) + "\n"
                        + tr("着急的话，请到服务台或就近窗口求助。", self.look.lang))

    def _helper_unreachable(self, why: str = "") -> None:
        self.helper_call_kept, self.helper_said = None, None
        self.chime.ring()
        self.notice.say("✕ " + tr("暂时无法通知工作人员", self.look.lang),
                        why + tr("请到服务台或就近窗口求助，给您带来不便，敬请谅解。", self.look.lang))

    def _helper_event(self, event: HallEvent) -> None:
        """Who is coming to this kiosk's call."""
        if self.helper_call_id is None or event.data.get("call") != self.helper_call_id:
            return
        if event.kind == "HelperCallTaken":
            name = str(event.data.get("staff_name") or "")
            self._say_helper("☎ " + tr("帮办人员正在赶来", self.look.lang),
                             tr("{name} 正在赶来，请在这里稍候。", self.look.lang).format(name=name))
        elif event.kind == "HelperCallClosed":
            self.helper_call_id, self.helper_said = None, None  # a new press is a new call

    def _has_a_visit(self) -> bool:
        """Whether there is anything to forget: a screen past home, a choice, a card, a notice,
        a language or elder mode the last citizen chose."""
        return self.current != "home" or self.session != Session() or self.notice.isVisible() \
            or self.pin_dialog is not None or self.reprint_dialog is not None or self._look_changed()

    def _idle_warning(self, seconds_left: int) -> None:
        """The idle time is nearly over: ask 您还在使用吗？ with the seconds left, unless the
        kiosk is already waiting on a clean home screen (then the count just starts again)."""
        if self._has_a_visit():
            self.countdown.show_seconds(seconds_left)
            self.speak(STILL_THERE)
        elif self._catalog_changed:
            self.reset_to_home()  # nobody here: the new catalog's tiles now, not after the next citizen
        else:
            self.idle.poke()

    def _idle_countdown(self, seconds_left: int) -> None:
        if self.countdown.isVisible():
            self.countdown.show_seconds(seconds_left)

    def _idle_resumed(self) -> None:
        """Someone touched the screen during the countdown: the visit goes on."""
        self.countdown.hide()

    def keep_visit(self) -> None:
        """继续使用 on the countdown."""
        self.idle.poke()

    def on_idle(self) -> None:
        """Nobody touched the screen for the idle time: forget the citizen and go home."""
        if self._has_a_visit() or self._catalog_changed:
            self.reset_to_home()
        else:
            self.idle.poke()

    def request_exit(self) -> PinDialog:
        """Open the PIN dialog; the right PIN leaves full screen and emits exit_allowed."""
        if self.pin_dialog is None:
            dialog = PinDialog(self.hall, self.look, self)
            dialog.unlocked.connect(self._unlocked)
            dialog.finished.connect(lambda _result, d=dialog: self._pin_closed(d))
            self.pin_dialog = dialog
        self.pin_dialog.open()
        return self.pin_dialog

    def _pin_closed(self, dialog: PinDialog) -> None:
        """A PIN dialog closed (PIN right, 取消, or the idle reset) is deleted with what was typed
        in it: a new one is made for each 管理员验证, and hidden ones piled up under the kiosk,
        each holding its digits."""
        dialog.forget()
        dialog.deleteLater()
        if self.pin_dialog is dialog:
            self.pin_dialog = None

    may_close = False  # set by the manager's PIN (or by the program shutting down)

    def _unlocked(self) -> None:
        self.may_close = True
        self.showNormal()
        self.exit_allowed.emit()
        self.offer_reprints()

    def show_kiosk(self) -> None:
        """Full screen; a hall without a manager PIN yet has staff set one before anyone else
        can touch the kiosk (there is no working default)."""
        self.showFullScreen()
        try:
            unset = not self.hall.manager_pin_is_set()
        except HallError:
            unset = False  # the hall is unreachable now; the first exit attempt asks instead
        if unset:
            self.ask_first_pin()

    def ask_first_pin(self) -> PinDialog:
        if self.pin_dialog is None:
            dialog = PinDialog(self.hall, self.look, self, first=True)
            dialog.finished.connect(lambda _result, d=dialog: self._pin_closed(d))
            self.pin_dialog = dialog
        self.pin_dialog.open()
        return self.pin_dialog

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.isFullScreen() and not self.may_close:  # Alt+F4, the window manager: only the PIN lets it go
            event.ignore()
            self.request_exit()
            return
        self.idle.stop()
        self.printer.stop()
        self.hush()
        try:
            self.ctx.device_events.event.disconnect(self.on_device_event)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)
