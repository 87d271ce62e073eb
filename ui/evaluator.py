"""The evaluator (好差评) at a counter: a small citizen-facing screen beside the window.

It waits in an idle state showing the window and the clerk; when the hall reports that
service finished at *its* window (TicketFinished with the same window), it asks for one of
five levels with big buttons, the clerk's name, staff number and window above them. Each
level is a drawn face coloured from green (非常满意) to red (非常不满意), with stars and its word
under it, so the meaning never rests on colour alone. A bad rating (the two lowest) asks why
and for an optional callback number, then tells the citizen when the hall will call back, as
the hall promises; then the screen thanks them and returns to idle. When the clerk calls or
serves the next ticket, a question nobody answered ends unrated (the next citizen must not rate
the service before theirs); a bad rating being explained is never cut off, and a service that
finishes meanwhile is asked about once it is done.

On a networked hall the evaluator says quietly when it has lost the hall server (or the server
refuses its token), and a rating given meanwhile is not thrown away: it is kept and sent when the
server is back (a rating whose answer was lost and that did arrive is not stored twice: the hall
takes one rating per ticket). The services it missed meanwhile are not asked about on its return:
their citizens have left.
"""

from __future__ import annotations

import json
import logging
import os
import time
import unicodedata
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import HallError, InvalidAction, NotFound, ServerUnavailable, ValidationError
from kiosk.events import SERVER_BACK, SERVER_LOST, refusal, replayed
from kiosk.idnumber import phone_problem
from kiosk.models import BAD_REVIEW_REASONS, EVALUATION_LEVELS, NO_SHOW, Evaluation, HallEvent
from ui import theme
from ui.clerk.draft import default_draft_dir
from ui.context import TerminalContext

log = logging.getLogger(__name__)

BAD_LEVELS = (1, 2)
LEVEL_ORDER = (5, 4, 3, 2, 1)  # best first, as on every government evaluator
# green (非常满意) through amber to red (非常不满意): the face's colour and, darker, its button's edge
LEVEL_COLOURS = {5: "#3aa655", 4: "#8cc152", 3: "#f2c12e", 2: "#f08a24", 1: "#e0413a"}
# the buttons' pale tints: the dark words on them read at well over 4.5:1
BUTTON_COLOURS = {5: "#e3f4e6", 4: "#eef7e2", 3: "#fdf6d8", 2: "#fdebdc", 1: "#fbe3e2"}
MIN_BUTTON_PX = 180
OFFLINE_TEXT = "● 与大厅服务器的连接中断，正在重连；评价仍可进行，连接恢复后自动提交"
FACE_PX = 128
# another ticket called or served at this window: the previous citizen has left it (heard late too)
NEXT_CITIZEN_EVENTS = ("TicketCalled", "TicketRecalled", "ServiceStarted")
PHONE_MAX_TYPED = 20  # room for the separators people type (0571-8888-8888); sent as its digits only


def callback_phone(typed: str) -> str:
    """The number as typed, in digits only: written the usual way (0571-8888888, 138 0013 8000,
    with a full-width IME's digits) it is still a number the hall can call back."""
    text = unicodedata.normalize("NFKC", typed)  # full-width digits, hyphen and space to ASCII
    return "".join(ch for ch in text if ch not in " -\t\u2010\u2011\u2012\u2013\u2014\u2212").strip()


def callback_problem(phone: str) -> str:
    """Why the hall would refuse this callback number ("" when it takes it), by the hall's own
    rule, checked here so a rating kept while the server is away cannot be refused for it later,
    after the screen has already promised the callback."""
    return (phone_problem(phone, "回访电话") or "") if phone else ""


def edge_colour(level: int) -> str:
    """The level's colour darkened, so the button's edge stands out from its pale tint."""
    return QColor(LEVEL_COLOURS[level]).darker(135).name()


def face_pixmap(level: int, size: int = 112) -> QPixmap:
    """A face in the level's colour whose mouth says the level (big smile .. big frown), drawn in
    dark ink: drawn, so it needs no emoji font on the evaluator's PC."""
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor(theme.TEXT)
    pen = QPen(ink, size * 0.06)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(QColor(LEVEL_COLOURS[level]))
    m = size * 0.06
    p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m))
    p.setBrush(ink)
    r = size * 0.06
    for x in (0.36, 0.64):
        p.drawEllipse(QPointF(size * x, size * 0.40), r, r)
    p.setBrush(Qt.BrushStyle.NoBrush)
    curve = {5: 0.20, 4: 0.11, 3: 0.0, 2: -0.11, 1: -0.20}[level]
    y = size * (0.66 if curve >= 0 else 0.74)
    path = QPainterPath(QPointF(size * 0.30, y))
    path.quadTo(QPointF(size * 0.5, y + size * curve * 1.6), QPointF(size * 0.70, y))
    p.drawPath(path)
    p.end()
    return pm


class EvaluatorWindow(QWidget):
    """One counter's evaluator. `rate(level)` is what each button does."""

    def __init__(self, ctx: TerminalContext, window: int, *, thanks_seconds: float = 6.0,
                 ask_seconds: float | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.hall = ctx.hall
        self.window_number = window
        self.ticket_id: int | None = None
        self.ticket_number = ""
        self.last_evaluation: Evaluation | None = None
        self.pending_level = 0  # a bad rating waiting for its reasons
        # (ticket id, number) of a service that finished while a citizen was still giving their
        # reasons for a bad rating: asked once they are done (or the page times out)
        self.waiting_finish: tuple[int, str] | None = None
        # ratings given while the server was away, kept on disk too: a PC restarted meanwhile sends them
        self.unsent_file = default_draft_dir(self.hall.location()) / f"unsent-ratings-window-{window}.json"
        # (ticket id, level, reasons, phone, when given as this PC's epoch seconds) per rating
        self.unsent: list[tuple[int, int, tuple[str, ...], str, float]] = self._load_unsent()
        self.thanks_ms = int(thanks_seconds * 1000)
        settings = self.hall.settings()
        self.callback_days = settings.bad_review_callback_days  # kept: the promise is made with the server away too
        self.ask_ms = int((ask_seconds if ask_seconds is not None else settings.idle_seconds) * 1000)
        self.setWindowTitle(f"服务评价 — {window}号窗口")
        self.resize(1280, 800)
        self.setMinimumSize(1024, 600)
        self.setStyleSheet(self._style())
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.show_idle)
        self._build()
        ctx.hall_events.event.connect(self.handle_event)
        self._refresh_idle()
        self.show_idle()
        if self.unsent:
            self.send_unsent()  # kept from before a restart

    @staticmethod
    def _style() -> str:
        return f"""
        EvaluatorWindow {{ background: {theme.BG}; }}
        QLabel#big {{ font-size: {theme.BASE_PT + 26}pt; font-weight: bold; color: {theme.PRIMARY}; }}
        QLabel#headline {{ font-size: {theme.BASE_PT + 12}pt; font-weight: bold; color: {theme.TEXT}; }}
        QLabel#sub {{ font-size: {theme.BASE_PT + 6}pt; color: {theme.MUTED}; }}
        QLabel#who {{ font-size: {theme.BASE_PT + 8}pt; font-weight: bold; color: {theme.TEXT}; background: white;
                      border: 2px solid {theme.BORDER}; border-radius: 14px; padding: 14px 24px; }}
        QLabel#field {{ font-size: {theme.BASE_PT + 6}pt; color: {theme.TEXT}; }}
        QPushButton {{ font-size: {theme.BASE_PT + 8}pt; border: 3px solid {theme.BORDER}; border-radius: 14px;
                       background: white; color: {theme.TEXT}; padding: 8px; min-height: 76px; }}
        QPushButton:checked {{ background: {theme.PRIMARY}; color: white; border-color: {theme.PRIMARY}; }}
        QPushButton#submit-reasons {{ background: {theme.PRIMARY}; color: white; border-color: {theme.PRIMARY};
                                      font-weight: bold; }}
        QLineEdit {{ font-size: {theme.BASE_PT + 8}pt; padding: 8px; border: 2px solid {theme.BORDER};
                     border-radius: 10px; background: white; color: {theme.TEXT}; min-height: 52px;
                     placeholder-text-color: {theme.MUTED}; }}
        QToolButton {{ border: 4px solid {theme.BORDER}; border-radius: 18px; color: {theme.TEXT};
                       font-size: {theme.BASE_PT + 10}pt; font-weight: bold; padding: 14px 6px; }}
        QToolButton:pressed {{ border-color: {theme.PRIMARY}; }}
        QToolButton:focus {{ border-color: {theme.PRIMARY}; }}
        """

    def _build(self) -> None:
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        # quiet, in a corner of the citizen's view: it is for staff passing by
        self.offline_label = QLabel(OFFLINE_TEXT, objectName="offline")
        self.offline_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.offline_label.setWordWrap(True)
        self.offline_label.setStyleSheet(f"font-size: {theme.BASE_PT + 2}pt; color: {theme.WARN};")
        self.offline_label.hide()
        outer.addWidget(self.offline_label)
        outer.addWidget(self.stack)

        idle = QWidget()
        lay = QVBoxLayout(idle)
        lay.addStretch(1)
        self.idle_window = self._label(f"{self.window_number}号窗口", "big")
        self.idle_name = self._label("", "sub")
        self.idle_clerk = self._label("", "headline")
        self.idle_hint = self._label("办理完毕后，请在此屏幕为本次服务评价", "sub")
        for w in (self.idle_window, self.idle_name, self.idle_clerk, self.idle_hint):
            lay.addWidget(w)
            lay.addSpacing(12)
        lay.addStretch(2)
        self.stack.addWidget(idle)

        ask = QWidget()
        lay = QVBoxLayout(ask)
        self.ask_title = self._label("请您对本次服务进行评价", "headline")
        self.ask_sub = self._label("", "who")  # the number, the window and the clerk being rated
        lay.addStretch(1)
        lay.addWidget(self.ask_title)
        lay.addSpacing(12)
        lay.addWidget(self.ask_sub)
        lay.addSpacing(24)
        row = QHBoxLayout()
        row.setSpacing(18)
        self.buttons: dict[int, QToolButton] = {}
        for level in LEVEL_ORDER:
            b = QToolButton(objectName=f"rate-{level}")
            stars = "★" * level + "☆" * (5 - level)
            b.setText(f"{EVALUATION_LEVELS[level]}\n{stars}")
            b.setIcon(QIcon(face_pixmap(level, FACE_PX)))
            b.setIconSize(QSize(FACE_PX, FACE_PX))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            b.setMinimumSize(MIN_BUTTON_PX, 300)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)  # use the width there is
            b.setStyleSheet(f"QToolButton {{ background: {BUTTON_COLOURS[level]}; border-color: {edge_colour(level)}; }}")
            b.setAccessibleName(EVALUATION_LEVELS[level])
            b.clicked.connect(self._rate_slot(level))
            row.addWidget(b, 1)
            self.buttons[level] = b
        lay.addLayout(row)
        lay.addStretch(2)
        self.stack.addWidget(ask)

        thanks = QWidget()
        lay = QVBoxLayout(thanks)
        lay.addStretch(1)
        self.thanks_face = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.thanks_face.setMinimumHeight(FACE_PX)
        self.thanks_title = self._label("感谢您的评价！", "big")
        self.thanks_text = self._label("", "headline")
        self.thanks_text.setWordWrap(True)
        for w in (self.thanks_face, self.thanks_title, self.thanks_text):
            lay.addWidget(w)
            lay.addSpacing(16)
        lay.addStretch(2)
        self.stack.addWidget(thanks)
        self.stack.addWidget(self._build_reasons())

    def _build_reasons(self) -> QWidget:
        """A bad rating asks why (several allowed) and offers a number for the promised callback."""
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setSpacing(14)
        lay.addStretch(1)
        self.reasons_face = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)  # the face they chose
        self.reasons_face.setMinimumHeight(96)
        lay.addWidget(self.reasons_face)
        self.reasons_title = self._label("请告诉我们不满意的原因（可多选）", "headline")
        lay.addWidget(self.reasons_title)
        row = QHBoxLayout()
        row.setSpacing(14)
        self.reason_buttons: dict[str, QPushButton] = {}
        for reason in BAD_REVIEW_REASONS:
            b = QPushButton(reason, objectName=f"reason-{reason}")
            b.setCheckable(True)
            b.setMinimumSize(MIN_BUTTON_PX, 96)
            b.toggled.connect(lambda on, b=b, r=reason: b.setText(("✓ " if on else "") + r))  # chosen, not only blue
            row.addWidget(b, 1)
            self.reason_buttons[reason] = b
        lay.addLayout(row)
        lay.addSpacing(10)
        lay.addWidget(self._label("回访电话（选填）", "field"))
        self.phone = QLineEdit(objectName="callback-phone", placeholderText="留下号码，便于我们联系您；可不填")
        self.phone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.phone.setMaxLength(PHONE_MAX_TYPED)
        self.phone.setMinimumHeight(72)
        lay.addWidget(self.phone)
        self.reasons_message = self._label("", "sub")
        lay.addWidget(self.reasons_message)
        self.submit_button = QPushButton("提交评价", objectName="submit-reasons")
        self.submit_button.setMinimumSize(MIN_BUTTON_PX * 3, 96)
        self.submit_button.clicked.connect(self.submit_reasons)
        lay.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(2)
        return page

    def _rate_slot(self, level: int):
        """The button's slot: rates that level (and returns nothing to the signal)."""
        def slot() -> None:
            self.rate(level)
        return slot

    @staticmethod
    def _label(text: str, name: str) -> QLabel:
        label = QLabel(text, objectName=name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        return label

    # --- states --------------------------------------------------------------------------

    @property
    def state(self) -> str:
        return ("idle", "asking", "thanks", "reasons")[self.stack.currentIndex()]

    def show_idle(self) -> None:
        """Back to the window and its clerk; or on to a service that finished meanwhile."""
        self._timer.stop()
        waiting, self.waiting_finish = self.waiting_finish, None
        self.ticket_id = None
        self._refresh_idle()
        self.stack.setCurrentIndex(0)
        if waiting is not None:
            self.ask(*waiting)

    def ask(self, ticket_id: int, ticket_number: str = "") -> None:
        """A service just finished here: ask the citizen, unless this ticket is already rated."""
        try:
            if self.hall.evaluation_for(ticket_id) is not None:
                return
        except HallError:
            return
        self.ticket_id = ticket_id
        self.ticket_number = ticket_number
        who = self._clerk_line()  # the citizen rates a person they can name
        self.ask_sub.setText(" · ".join(p for p in (f"{ticket_number} 号" if ticket_number else "",
                                                     f"{self.window_number}号窗口", who, "请点击下方任一按钮") if p))
        self.stack.setCurrentIndex(1)
        if self.ask_ms > 0:
            self._timer.start(self.ask_ms)  # nobody rated: back to idle, no rating stored

    def _clerk_line(self) -> str:
        """受理人：王晓燕（工号 clerk01）, for the window's signed-in clerk."""
        try:
            ticket = self.hall.get_ticket(self.ticket_id) if self.ticket_id is not None else None
            login = ticket.clerk if ticket is not None and ticket.clerk else ""
            if not login:
                status = self.hall.queue_status()
                mine = next((w for w in status.windows if w.number == self.window_number), None)
                login = mine.clerk if mine else ""
            return f"受理人：{self.hall.staff_name(login)}（工号 {login}）" if login else ""
        except HallError:
            return ""

    def rate(self, level: int) -> Evaluation | None:
        if self.state != "asking" or self.ticket_id is None:
            return None
        if level in BAD_LEVELS:  # ask why, and for a callback number, before storing it
            self.pending_level = level
            for b in self.reason_buttons.values():
                b.setChecked(False)
            self.phone.clear()
            self.reasons_face.setPixmap(face_pixmap(level, 96))
            self.reasons_message.setText(f"您的评价：{EVALUATION_LEVELS[level]}")
            self.stack.setCurrentIndex(3)
            if self.ask_ms > 0:
                self._timer.start(self.ask_ms)
            return None
        return self._store(level)

    def submit_reasons(self) -> Evaluation | None:
        if self.state != "reasons" or self.ticket_id is None:
            return None
        reasons = tuple(r for r, b in self.reason_buttons.items() if b.isChecked())
        if not reasons:
            self.reasons_message.setText("请至少选择一个原因")
            return None
        phone = callback_phone(self.phone.text())
        problem = callback_problem(phone)
        if problem:  # asked again here, as the hall would, whether or not the server is there
            self.reasons_message.setText(problem)
            return None
        return self._store(self.pending_level, reasons, phone)

    def set_server_reachable(self, reachable: bool, refused: str = "") -> None:
        """The quiet marker while the hall server is away (or refuses this PC); on its return
        the ratings given meanwhile are sent."""
        self.offline_label.setText(f"● 本评价器未获授权：{refused}" if refused
                                   else OFFLINE_TEXT)
        self.offline_label.setVisible(not reachable)
        if reachable:
            self.send_unsent()
            if self.state == "idle":
                self._refresh_idle()

    def _hall_name(self) -> str:
        """Which hall the kept ratings belong to: ticket numbers mean nothing in another one."""
        return str(getattr(self.hall, "url", "") or self.hall.location())

    def _load_unsent(self) -> list[tuple[int, int, tuple[str, ...], str, float]]:
        try:
            kept = json.loads(self.unsent_file.read_text(encoding="utf-8"))
            if kept.get("hall") != self._hall_name():
                return []  # the PC now serves another hall: never rate its tickets with them
            # a file of an older version has no time given: such a rating counts as given now
            return [(int(t), int(lv), tuple(str(r) for r in rs), str(ph), float(at[0]) if at else time.time())
                    for t, lv, rs, ph, *at in kept["ratings"]]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("未能读取暂存的评价 %s：%s", self.unsent_file, exc)
            return []

    def _keep_unsent(self) -> None:
        """The list as it is now, on disk (written whole, then put in place), or no file."""
        try:
            if not self.unsent:
                self.unsent_file.unlink(missing_ok=True)
                return
            self.unsent_file.parent.mkdir(parents=True, exist_ok=True)
            part = self.unsent_file.with_suffix(".part")
            part.write_text(json.dumps({"hall": self._hall_name(), "ratings": self.unsent}, ensure_ascii=False),
                            encoding="utf-8")
            os.replace(part, self.unsent_file)
        except OSError as exc:  # a full disk: the ratings stay in memory, sent on the server's return
            log.warning("未能暂存评价到 %s：%s", self.unsent_file, exc)

    def send_unsent(self) -> int:
        """Send the ratings given while the server was away; returns how many are still unsent.

        A kept rating the hall refuses as written (a callback number of an older version's
        looser check) is sent again without the number, not dropped: the screen promised the
        citizen their rating counts, and a bad one still opens its review. Whatever is finally
        not stored is logged, so staff can see a citizen's word was lost."""
        while self.unsent:
            ticket_id, level, reasons, phone, given = self.unsent[0]
            try:
                self._send_kept(ticket_id, level, reasons, phone, given)
            except ServerUnavailable:
                break  # away again: the next return sends it
            except (InvalidAction, NotFound) as exc:  # most often it arrived before its answer was lost
                log.warning("暂存的评价未再提交（号票 %s，%s 级）：%s", ticket_id, level, exc)
            except ValidationError as exc:
                log.error("暂存的评价被大厅拒收，已放弃（号票 %s，%s 级，原因 %s，电话 %s）：%s",
                          ticket_id, level, "、".join(reasons), phone or "无", exc)
            except HallError:
                break
            self.unsent.pop(0)
            self._keep_unsent()
        return len(self.unsent)

    def _send_kept(self, ticket_id: int, level: int, reasons: tuple[str, ...], phone: str, given: float) -> None:
        """One kept rating; again without its callback number if the hall refuses the rating as written."""
        ago = max(0, int(time.time() - given))  # how long ago, by this PC's clock at both ends: its error cancels out
        kept, phone = phone, callback_phone(phone)  # kept by an older version as typed: its digits
        if callback_problem(phone):
            log.warning("暂存评价的回访电话“%s”无法使用，不带电话提交（号票 %s）", kept, ticket_id)
            phone = ""
        try:
            self.hall.evaluate(ticket_id, level, reasons=reasons, phone=phone, given_seconds_ago=ago)
        except ValidationError as exc:
            if not phone:
                raise
            log.warning("暂存评价的回访电话“%s”被大厅拒收（%s），去掉电话后重新提交（号票 %s）", phone, exc, ticket_id)
            self.hall.evaluate(ticket_id, level, reasons=reasons, phone="", given_seconds_ago=ago)

    def _store(self, level: int, reasons: tuple[str, ...] = (), phone: str = "") -> Evaluation | None:
        try:
            evaluation = self.hall.evaluate(self.ticket_id, level, reasons=reasons, phone=phone)  # type: ignore[arg-type]
        except ServerUnavailable:  # the citizen's word is kept, and sent when the server is back
            self.unsent.append((self.ticket_id, level, reasons, phone, time.time()))  # type: ignore[arg-type]
            self._keep_unsent()
            self.offline_label.setVisible(True)
            self._thank(level)
            return None
        except ValidationError as exc:
            if self.state == "reasons":  # a mistyped phone: say so and let them fix it
                self.reasons_message.setText("；".join(exc.problems))
                return None
            self._thank(level, note=str(exc))
            return None
        except HallError as exc:
            self._thank(level, note=str(exc))
            return None
        self.last_evaluation = evaluation
        self._thank(level)
        return evaluation

    def _thank(self, level: int, note: str = "") -> None:
        self.thanks_face.setPixmap(face_pixmap(level, FACE_PX))
        self.thanks_title.setText("感谢您的评价！")
        if note:
            text = note
        elif level in BAD_LEVELS:
            try:
                self.callback_days = self.hall.settings().bad_review_callback_days
            except HallError:
                pass  # the server away: the days it last said
            days = self.callback_days
            text = (f"您的评价：{EVALUATION_LEVELS[level]}\n"
                    f"我们将在{days}个工作日内电话回访您，了解情况并整改。")
        else:
            text = f"您的评价：{EVALUATION_LEVELS[level]}\n祝您生活愉快！"
        self.thanks_text.setText(text)
        self.stack.setCurrentIndex(2)
        self._timer.start(self.thanks_ms)

    def _refresh_idle(self) -> None:
        try:
            status = self.hall.queue_status()
        except HallError:
            return
        mine = next((w for w in status.windows if w.number == self.window_number), None)
        self.idle_name.setText(mine.name if mine else "")
        if mine is None or not mine.clerk:
            self.idle_clerk.setText("暂无工作人员")
        elif mine.paused:
            self.idle_clerk.setText(f"受理人：{self.hall.staff_name(mine.clerk)}（工号 {mine.clerk}）　（Ⅱ 暂停服务）")
        else:
            self.idle_clerk.setText(f"受理人：{self.hall.staff_name(mine.clerk)}（工号 {mine.clerk}）")

    # --- hall events ----------------------------------------------------------------------

    def handle_event(self, event: object) -> None:
        if isinstance(event, HallEvent) and event.kind in (SERVER_LOST, SERVER_BACK):
            self.set_server_reachable(event.kind == SERVER_BACK, refusal(event))
            return
        if not isinstance(event, HallEvent) or event.window != self.window_number:
            return
        if event.kind == "TicketFinished" and event.ticket_id is not None:
            if event.data.get("reason") == NO_SHOW:  # nobody came to the window: nobody to ask
                return
            if replayed(event):  # finished while the link was down: that citizen has gone
                return
            if self.state == "reasons" and event.ticket_id != self.ticket_id:
                # a citizen explaining a bad rating is not cut off (their complaint would be lost):
                # this service is asked about once they are done
                self.waiting_finish = (event.ticket_id, event.ticket_number)
                return
            self.ask(event.ticket_id, event.ticket_number)
        elif event.kind in NEXT_CITIZEN_EVENTS and event.ticket_id is not None:
            self._next_citizen(event.ticket_id)
        elif event.kind in ("ClerkSignedIn", "ClerkSignedOut", "WindowPaused", "WindowResumed"):
            self._refresh_idle()

    def _next_citizen(self, ticket_id: int) -> None:
        """Another ticket is called or served here: whoever stands at the screen now is that
        ticket's citizen, and must not rate the service before theirs. A question nobody
        answered ends unrated; a bad rating being explained is left to finish."""
        if self.waiting_finish is not None and self.waiting_finish[0] != ticket_id:
            self.waiting_finish = None
        if self.state == "asking" and self.ticket_id != ticket_id:
            self.show_idle()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        try:
            self.ctx.hall_events.event.disconnect(self.handle_event)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)


def render_screenshots(ctx: TerminalContext, out_dir: Path, window: int = 1) -> list[Path]:
    """The evaluator idle, asking, asking a bad rating's reasons, and thanking (with the callback promise).

    Serves one ticket at `window` of the given hall to get there: pass a demo or throwaway hall.
    """
    from ui.app import create_application

    create_application()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ev = EvaluatorWindow(ctx, window)
    ev.resize(1280, 800)
    ev.show()
    paths: list[Path] = []

    def shot(name: str) -> None:
        ctx.hall_events.drain_now()
        ev.repaint()
        path = out_dir / f"evaluator-{name}.png"
        ev.grab().save(str(path))
        paths.append(path)

    hall = ctx.hall
    state = next((w for w in hall.queue_status().windows if w.number == window), None)
    if state is not None and not state.clerk:
        staff = next((s for s in hall.staff() if s.role == "clerk"), None)
        if staff is not None:
            try:
                hall.sign_in(window, staff.login, _demo_password(staff.login))
            except HallError:
                pass
    shot("idle")
    matter = hall.matters()[0]
    ticket = hall.issue_ticket(matter_code=matter.code)
    called = hall.call_next(window)
    if called is not None:
        hall.finish(called.id, window)
    else:
        ev.ask(ticket.id, ticket.number)
    shot("asking")
    ev.rate(2)
    for reason in BAD_REVIEW_REASONS[1:4:2]:  # 效率 and 等候太久: more than one may be chosen
        ev.reason_buttons[reason].setChecked(True)
    shot("reasons")
    ev.submit_reasons()
    shot("thanks")
    _dispose(ev)
    return paths


def _dispose(widget: QWidget) -> None:
    """Delete the window while Qt is fully alive, not in the garbage collector at exit."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    widget.close()
    QApplication.processEvents()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _demo_password(login: str) -> str:
    """The demo hall's passwords (resources/demo_hall.json); screenshots only."""
    import json

    from kiosk.seed import DEMO_HALL

    staff = json.loads(DEMO_HALL.read_text(encoding="utf-8")).get("staff", [])
    return next((s["password"] for s in staff if s["login"] == login), "")
