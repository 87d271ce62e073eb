"""What floats over a screen: the helper confirmation, the idle countdown, the manager's PIN
dialog, and the list of tickets the printer failed to give out, for the staff member who
refilled it.

The confirmation and the countdown are overlays, not modal dialogs: they must never block the
event loop (the idle reset and the printer poll keep running).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.models import Ticket
from ui.i18n import tr
from ui.kiosk.keypad import DIGITS, KeyEntry
from ui.kiosk.look import Look, stylesheet
from ui.kiosk.strings import tr_n
from ui.kiosk.widgets import button, label, scroll, set_tone

HELPER_SHOW_MS = 12_000


class Scrim(QFrame):
    """A dimmed layer over the whole kiosk with a white box in its middle.

    It covers its parent exactly, now and after every later resize of the kiosk window
    (full screen, a rotated screen, the demo's scaled views). Built once with the frame and
    shown again and again: nothing of it is created per citizen.
    """

    def __init__(self, look: Look, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("scrim")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(look.margin * 2, look.margin, look.margin * 2, look.margin)
        outer.addStretch(1)
        box = QFrame()
        box.setObjectName("notice")
        box.setMinimumWidth(round(560 * look.scale))
        box.setMaximumWidth(round(820 * look.scale))
        self.box = QVBoxLayout(box)
        pad = round(36 * look.scale)
        self.box.setContentsMargins(pad, pad, pad, pad)
        self.box.setSpacing(look.gap)
        row = QHBoxLayout()  # centred by stretches, not by alignment: then the box's height is
        row.addStretch(0)  # worked out for the width it really gets, and its message is never cut
        row.addWidget(box, 1)
        row.addStretch(0)
        outer.addLayout(row)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return super().eventFilter(watched, event)

    def cover(self) -> None:
        """Show over the whole kiosk, on top of everything else."""
        parent = self.parentWidget()
        if parent is not None:
            # a frame just built has not been laid out yet: lay the window out first, so the
            # scrim covers all of it, not a default 640 x 480
            top = parent.window().layout()
            if top is not None:
                top.activate()
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()


class HelperNotice(Scrim):
    """A plain confirmation that staff have been called; a touch anywhere closes it."""

    def __init__(self, look: Look, parent: QWidget) -> None:
        super().__init__(look, parent)
        self.look = look
        self.title = label("", "h1", align=Qt.AlignmentFlag.AlignCenter)
        self.text = label("", "h2", align=Qt.AlignmentFlag.AlignCenter)
        self.ok = button(tr("好的", look.lang), look, role="ok", height=100)
        self.ok.clicked.connect(self.hide)
        self.box.addWidget(self.title)
        self.box.addWidget(self.text)
        self.box.addWidget(self.ok)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.reset()

    def reset(self) -> None:
        """Hidden, with its first words again (the last call's news is not the next citizen's)."""
        self._timer.stop()
        self.hide()
        self.title.setText("☎ " + tr("已呼叫帮办人员", self.look.lang))
        self.text.setText(tr("工作人员马上到您身边，请在这里稍候。", self.look.lang))

    def say(self, title: str, text: str) -> None:
        """Show this notice with its own title: printing a checklist is not calling a helper."""
        self.title.setText(title)
        self.text.setText(text)
        self.popup()

    def popup(self) -> None:
        self.cover()
        self._timer.start(HELPER_SHOW_MS)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.hide()
        super().mousePressEvent(event)


class IdleCountdown(Scrim):
    """您还在使用吗？ The last seconds before the idle reset, said large, with 继续使用 (big) and
    返回首页. A touch anywhere keeps the visit too (the idle watcher sees it and resumes);
    the scrim takes that touch, so it never also presses a button of the screen under it."""

    keep = Signal()
    leave = Signal()

    def __init__(self, look: Look, parent: QWidget) -> None:
        super().__init__(look, parent)
        self.look = look
        centre = Qt.AlignmentFlag.AlignCenter
        self.title = label(tr("您还在使用吗？", look.lang), "h1", align=centre)
        self.seconds = label("", "h1", align=centre)  # the number is what must be seen from a step away
        self.seconds.setObjectName("idleSeconds")
        self.hint = label(tr("返回首页时，您本次选择和读取的信息都会清除。", look.lang), "muted", align=centre)
        self.keep_button = button(tr("继续使用", look.lang), look, role="ok", height=120)
        self.keep_button.setObjectName("keepVisit")
        self.leave_button = button(tr("返回首页", look.lang), look, role="secondary", height=92)
        self.keep_button.clicked.connect(self.keep)
        self.leave_button.clicked.connect(self.leave)
        for w in (self.title, self.seconds, self.hint, self.keep_button, self.leave_button):
            self.box.addWidget(w)

    def show_seconds(self, left: int) -> None:
        """Show (or update) the countdown: `left` seconds to the reset."""
        self.seconds.setText(tr_n("{n} 秒后返回首页", left, self.look.lang, n=left))
        if not self.isVisible():
            self.cover()

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt override
        event.accept()  # the touch is for the countdown, not for the screen underneath


def _staff_dialog_frame(dialog: QDialog, look: Look, title: str, hint: str) -> QVBoxLayout:
    """The frameless, modal staff dialog in the kiosk's style, with its title and a hint line;
    returns the layout for the rest."""
    dialog.look = look  # type: ignore[attr-defined]
    dialog.setObjectName("pinDialog")
    dialog.setWindowTitle(tr(title, look.lang))
    dialog.setModal(True)
    dialog.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    # a top-level dialog does not inherit the kiosk frame's style sheet: give it the same one
    dialog.setStyleSheet(stylesheet(look) + "QDialog#pinDialog { background: white; border: 3px solid #0b5cad; }")
    lay = QVBoxLayout(dialog)
    pad = round(32 * look.scale)
    lay.setContentsMargins(pad, pad, pad, pad)
    lay.setSpacing(look.gap)
    lay.addWidget(label(tr(title, look.lang), "h1", align=Qt.AlignmentFlag.AlignCenter))
    lay.addWidget(label(tr(hint, look.lang), "muted", align=Qt.AlignmentFlag.AlignCenter))
    return lay


class PinDialog(QDialog):
    """The manager's PIN on an on-screen keypad; leaving full screen needs it.

    The PIN is checked by the hall (`verify_manager_pin`), which counts wrong tries per kiosk
    and locks out for longer each time: cancelling this dialog or restarting the program
    resets nothing, and the kiosk never holds the PIN or its hash. A hall with no PIN yet
    asks for one here (`set_first_manager_pin`): there is no working default.
    """

    unlocked = Signal()
    pin_set = Signal()

    def __init__(self, hall: object, look: Look, parent: QWidget | None = None, *, first: bool = False) -> None:
        super().__init__(parent)
        self._hall = hall
        self.look = look
        self.setting_first = first
        self._first_entry = ""  # a new PIN is typed twice, so a slip of the finger cannot lock staff out
        if first:
            lay = _staff_dialog_frame(self, look, "首次启动：设置管理员PIN",
                                      "本大厅尚未设置管理员PIN。请工作人员设置4到8位数字，退出全屏时需要它。")
        else:
            lay = _staff_dialog_frame(self, look, "管理员验证", "退出全屏需要管理员PIN")
        self.entry = KeyEntry(DIGITS, look, placeholder=tr("请输入PIN", look.lang), max_length=8, secret=True)
        lay.addWidget(self.entry)
        self.message = label("", tone="bad")
        self.message.hide()
        lay.addWidget(self.message)
        row = QHBoxLayout()
        row.setSpacing(look.gap)
        self.cancel_button = button(tr("取消", look.lang), look, role="secondary", height=92)
        self.ok_button = button(tr("确定", look.lang), look, role="ok", height=92)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button.clicked.connect(self.submit)
        if first:  # the kiosk serves nobody before a PIN protects it
            self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        lay.addLayout(row)
        self.setFixedWidth(round(620 * look.scale))

    def forget(self) -> None:
        """Closed for good: no typed digit stays in memory (the kiosk deletes the dialog too)."""
        self.entry.clear()
        self._first_entry = ""
        self.message.clear()

    def submit(self) -> bool:
        """Have the hall check the typed PIN; True (and accept) only when it says so."""
        from kiosk.errors import HallError

        typed = self.entry.text
        self.entry.clear()
        from ui.busy import Busy, off_gui_thread

        try:
            if self.setting_first:
                return self._set_first(typed)
            else:
                check = off_gui_thread(self, lambda: self._hall.verify_manager_pin(typed))  # type: ignore[attr-defined]
                if check.unset:
                    self.setting_first = True
                    self._say(tr("尚未设置管理员PIN：请输入新的PIN（4到8位数字）", self.look.lang))
                    return False
                result_ok, text = check.ok, check.message
        except Busy:
            return False  # the previous try is still being checked
        except HallError as exc:
            result_ok, text = False, str(exc)
        if result_ok:
            self.unlocked.emit()
            self.accept()
            return True
        self._say(text or tr("PIN不正确，请重新输入", self.look.lang))
        return False

    def _set_first(self, typed: str) -> bool:
        """The hall's first PIN: typed twice, then stored (hashed) by the hall."""
        from kiosk.errors import HallError
        from kiosk.hall_pin import pin_problems
        from ui.busy import Busy, off_gui_thread

        if not self._first_entry:
            problems = pin_problems(typed)
            if problems:
                self._say("；".join(problems))
                return False
            self._first_entry = typed
            self._say(tr("请再输入一次新的PIN以确认", self.look.lang), tone="info")
            return False
        first, self._first_entry = self._first_entry, ""
        if typed != first:
            self._say(tr("两次输入的PIN不一致，请重新设置", self.look.lang))
            return False
        try:
            off_gui_thread(self, lambda: self._hall.set_first_manager_pin(typed))  # type: ignore[attr-defined]
        except Busy:
            self._first_entry = first
            return False
        except HallError as exc:
            self._say(str(exc))
            return False
        self.pin_set.emit()
        self.accept()
        return True

    def _say(self, text: str, tone: str = "bad") -> None:
        set_tone(self.message, tone)
        self.message.setText(("✕ " if tone == "bad" else "") + text)
        self.message.show()


class ReprintDialog(QDialog):
    """Today's waiting tickets whose printing failed, each with a 补打 button.

    The citizen may have walked away from the ticket screen while the printer was out of
    paper; their number is still valid and still in the queue. The staff member who comes to
    refill the printer (after the PIN) prints each one again and hands it over.
    """

    def __init__(self, tickets: list[Ticket], look: Look, reprint, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = _staff_dialog_frame(self, look, "未打印出的号票", "这些号码仍在排队。装好纸后逐张补打，交给取号人。")
        self.buttons: dict[int, object] = {}
        self.states: dict[int, object] = {}
        rows = QWidget()
        rows_lay = QVBoxLayout(rows)
        rows_lay.setContentsMargins(0, 0, 0, 0)
        rows_lay.setSpacing(look.gap)
        for t in tickets:
            row = QHBoxLayout()
            row.setSpacing(look.gap)
            what = f"{t.number}  {t.matter_name or t.category_name}  {t.issued_at:%H:%M}"
            row.addWidget(label(what, "h2"), 1)
            state = label("", "muted")
            row.addWidget(state)
            again = button(tr("补打", look.lang), look, role="ok", height=80)
            again.setMinimumWidth(round(180 * look.scale))
            again.clicked.connect(lambda _=False, ticket=t, b=again: (b.setEnabled(False), reprint(ticket)))
            row.addWidget(again)
            self.buttons[t.id] = again
            self.states[t.id] = state
            rows_lay.addLayout(row)
        rows_lay.addStretch(1)
        area = scroll(rows, gap=look.gap)  # a long paper-out leaves many: 关闭 stays in reach
        area.setMinimumHeight(min(len(tickets), 3) * round(96 * look.scale))
        area.setMaximumHeight(6 * round(96 * look.scale))
        lay.addWidget(area, 1)
        close = button(tr("关闭", look.lang), look, role="secondary", height=92)
        close.clicked.connect(self.accept)
        lay.addWidget(close)
        self.setFixedWidth(round(760 * look.scale))

    def mark(self, ticket_id: int, printed: bool, reason: str = "") -> None:
        """Show how a reprint went; a printed ticket's button is done with, a failed one may try again."""
        state, again = self.states.get(ticket_id), self.buttons.get(ticket_id)
        if state is None or again is None:
            return
        state.setText("✔ " + tr("已补打", self.look.lang) if printed else "✕ " + reason)  # type: ignore[attr-defined]
        again.setEnabled(not printed)  # type: ignore[attr-defined]
