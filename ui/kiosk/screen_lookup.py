"""Look-ups that need no ticket: appointment check-in and an application's progress.

Both take a code from the scanner or the on-screen keypad, so nothing needs a keyboard.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from devices.scanner import APPLICATION, APPOINTMENT, classify_code, extract_code
from kiosk.models import Application, Appointment
from ui.kiosk.base import Screen
from ui.kiosk.keypad import ALNUM, DIGITS, KeyEntry
from ui.kiosk.widgets import button, card, clear_layout, label, set_tone


def appointment_day(code: str) -> dt.date | None:
    """The date inside a booking code (YY + YYYYMMDD + sequence), or None when it is not one."""
    code = extract_code(code)  # classify_code reads the code inside a longer line: read the same one
    if classify_code(code) != APPOINTMENT:
        return None
    return dt.datetime.strptime(code[2:10], "%Y%m%d").date()


class CheckinScreen(Screen):
    """Portrait: the keys, then the button at the bottom. Landscape: the keys on the left, what
    was found (or went wrong) and the button on the right, so four rows of big keys fit above
    the footer. A code first finds the booking (查找预约); the booking is shown — matter, time,
    name masked — and only 确认签到 checks it in."""

    name = "checkin"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        hint = label(self.t("请将预约二维码对准扫码口，或在下方输入预约码（如 YY20261125381604）"),
                     "muted" if look.portrait else "body")
        self.add_heading(label(self.t("预约签到"), "h1"), hint if look.portrait else None)
        self.entry = KeyEntry(ALNUM, look, placeholder=self.t("预约码"), max_length=16,
                              columns=7 if look.portrait else 10)
        self.entry.changed.connect(lambda _text: self._forget_booking())
        self.message = label("", tone="info")
        self.message.hide()
        self.booking: Appointment | None = None
        self.confirm = button(self.t("查找预约"), look, role="ok", height=110, wrap=True)
        self.confirm.clicked.connect(self._press)
        if look.portrait:
            self.body.addWidget(self.entry)
            self.body.addWidget(self.message)
            self.body.addStretch(1)
            self.body.addWidget(self.confirm)
        else:
            self.add_columns((5, [self.entry, None]), (2, [hint, self.message, None, self.confirm]))

    def _press(self) -> None:
        if self.booking is not None:
            self.owner.confirm_check_in()
        else:
            self.owner.check_in(self.entry.text)

    def _forget_booking(self) -> None:
        """A key pressed after a booking was found: the code changed, so look it up again."""
        if self.booking is not None:
            self.booking = None
            self.message.hide()
            self.confirm.setText(self.t("查找预约"))

    def refresh(self) -> None:
        self.message.hide()
        self.booking = None
        self.confirm.setText(self.t("查找预约"))

    def show_booking(self, booking: Appointment) -> None:
        """The booking found, for the citizen to confirm it is theirs before checking in."""
        self.booking = booking
        lines = [self.t("找到您的预约，请核对："),
                 self.t("事项：") + booking.matter_name,
                 self.t("时间：") + f"{booking.day:%Y-%m-%d} {booking.slot_start:%H:%M}–{booking.slot_end:%H:%M}",
                 self.t("预约人：") + booking.holder_name]
        if self.owner.booking_late(booking):  # the hall will give a normal ticket: said before, not after
            lines.append(self.t("已超过预约时段，按普通号排队"))
        self.message.setText("\n".join(lines))
        set_tone(self.message, "info")
        self.message.show()
        self.confirm.setText(self.t("确认签到"))

    def reset(self) -> None:
        """The last citizen's booking code goes, typed or scanned."""
        super().reset()
        self.entry.clear()
        self.message.clear()
        self.message.hide()

    def show_error(self, text: str) -> None:
        self.booking = None
        self.confirm.setText(self.t("查找预约"))
        self.message.setText("✕ " + text)
        set_tone(self.message, "bad")
        self.message.show()
        self.owner.speak(text, keep=False)  # in elder mode the reason is heard too


class ProgressScreen(Screen):
    """The number on a keypad with 查询 right under it, the same width; beside it (landscape) or
    below it (portrait) the application, or a plain message when there is none."""

    name = "progress"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        self.add_heading(label(self.t("办件进度查询"), "h1"), label(self.t("扫描受理回执上的二维码，或输入办件编号"), "muted"))
        split = QBoxLayout(QBoxLayout.Direction.TopToBottom if look.portrait else QBoxLayout.Direction.LeftToRight)
        split.setSpacing(look.gap if look.portrait else look.gap * 2)
        entry_box = QWidget()
        entry_col = QVBoxLayout(entry_box)
        entry_col.setContentsMargins(0, 0, 0, 0)
        entry_col.setSpacing(look.gap)
        self.entry = KeyEntry(DIGITS, look, placeholder=self.t("办件编号"), max_length=20)
        entry_col.addWidget(self.entry)
        self.search = button(self.t("查询"), look, role="ok", height=100)
        self.search.clicked.connect(lambda: owner.look_up_progress(self.entry.text))
        if look.portrait:  # under the keys, as wide as they are
            entry_col.addWidget(self.search)
        else:  # beside the number, like a search bar: the keys then fit above the footer
            self.search.touch_height = self.entry.display.height()
            self.search.setFixedHeight(self.entry.display.height())
            self.search.setMinimumWidth(round(200 * look.scale))
            self.search.setMaximumWidth(round(200 * look.scale))
            self.entry.top.addWidget(self.search)
        if look.portrait:
            split.addWidget(entry_box, 0)
        else:
            entry_box.setMaximumWidth(round(720 * look.scale))
            entry_col.addStretch(1)
            split.addWidget(entry_box, 4)
        result_col = QVBoxLayout()
        self.result_box, self.result = card(look)
        self._pad = self.result.contentsMargins()
        self.result_box.hide()
        result_col.addWidget(self.result_box)
        result_col.addStretch(1)
        split.addLayout(result_col, 1 if look.portrait else 5)
        self.body.addLayout(split, 1)

    def refresh(self) -> None:
        if not self.entry.text:
            self.result_box.hide()

    def reset(self) -> None:
        """The last citizen's application number and what it showed (the applicant's name) go."""
        super().reset()
        self.entry.clear()
        self.forget_layout(self.result)
        self.result_box.hide()

    def _as_card(self, on: bool) -> None:
        """The application sits on a white card; a message stands alone, so it never looks like a field."""
        self.result_box.setProperty("card", on)
        self.result_box.style().unpolish(self.result_box)
        self.result_box.style().polish(self.result_box)
        if on:
            self.result.setContentsMargins(self._pad)
        else:
            self.result.setContentsMargins(0, 0, 0, 0)

    def show_message(self, text: str, tone: str = "info") -> None:
        """A message, not a result: a coloured note with its sign."""
        clear_layout(self.result)
        self._as_card(False)
        sign = {"bad": "✕ ", "warn": "！"}.get(tone, "")
        self.message = label(sign + text, tone=tone)
        self.message.setObjectName("progressMessage")
        self.result.addWidget(self.message)
        self.result_box.show()
        if tone in ("bad", "warn"):
            self.owner.speak(text, keep=False)  # in elder mode what went wrong is heard too

    def show_application(self, a: Application) -> None:
        """The state in words, the promised date and any 容缺 items still owed; names masked."""
        clear_layout(self.result)
        self._as_card(True)
        t = self.t
        self.result.addWidget(label(f"{a.matter_name}", "h2"))
        tone = "bad" if a.state.value in ("terminated", "pending_overdue", "not_accepted") else \
            "warn" if a.state.value == "pending" else "ok"
        state = label(t("办理状态：") + t(a.state.label), tone=tone)
        self.result.addWidget(state)
        lines = [t("办件编号：") + a.number, t("申请人：") + a.applicant_name, t("承办部门：") + a.department]
        if a.accepted_at:
            lines.append(t("受理时间：") + f"{a.accepted_at:%Y-%m-%d %H:%M}")
        if a.promised_date:
            mark = t("（暂定）") if a.promised_provisional else ""
            lines.append(t("承诺办结日期：") + f"{a.promised_date:%Y-%m-%d}{mark}")
        self.result.addWidget(label("\n".join(lines)))
        open_items = [p for p in a.pending if p.status.value != "supplied"]
        if open_items:
            self.result.addWidget(label(t("待补交材料："), "h2"))
            for p in open_items:
                late = t("已逾期") if p.status.value == "overdue" else ""
                self.result.addWidget(label(f"• {p.name} — " + t("请于 {d} 前补交").format(d=f"{p.deadline:%Y-%m-%d}")
                                            + (t("（{late}）").format(late=late) if late else "")))
        self.result_box.show()


def is_application_number(code: str) -> bool:
    return classify_code(code) == APPLICATION

