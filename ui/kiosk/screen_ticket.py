"""The ticket: the number very large, who is ahead, the wait, and what the printer did.

If the printer fails the number is already stored; the screen says so and asks the citizen
to call a helper for a reprint, so nothing is lost.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.models import Priority
from ui.kiosk.base import Screen
from ui.kiosk.names import category_name, ticket_matter_name
from ui.kiosk.strings import say_error, tr_n
from ui.kiosk.widgets import button, card, label, set_tone


class TicketScreen(Screen):
    """Portrait: the number above what the printer did and the actions. Landscape: the number
    on the left, the printer's news and the actions on the right, all in view at once.
    The footer offers only the helper here: 完成 is the one way on, and nothing lies back."""

    name = "ticket"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        box, lay = card(look)
        centre = Qt.AlignmentFlag.AlignCenter
        self.heading = label(self.t("您的号码"), "h2", align=centre)
        self.number = label("", "number", wrap=False, align=centre)
        self.number.setObjectName("ticketNumber")
        self.priority = label("", "h2", align=centre)
        self.what = label("", "body", align=centre)
        self.official = label("", "muted", align=centre)  # English mode: the matter's official Chinese name
        self.official.setObjectName("officialName")
        self.queue = label("", "h2", align=centre)
        # where to go now: the waiting area, and the windows that serve this matter
        self.where = label("", "body", align=centre)
        self.where.setObjectName("ticketWhere")
        lay.addStretch(1)
        for w in (self.heading, self.number, self.priority, self.what, self.official, self.queue):
            lay.addWidget(w)
        if look.portrait:
            lay.addWidget(self.where)
        lay.addStretch(1)
        self.print_state = label("", tone="info")
        self.print_state.setObjectName("printState")
        self.reprint_button = button("☎ " + self.t("呼叫帮办补打号票"), look, role="helper", height=96, wrap=True)
        self.reprint_button.clicked.connect(lambda: owner.call_helper("reprint"))
        self.reprint_button.hide()
        # once the paper is back the same stored ticket prints again: nothing to re-enter
        self.retry_button = button("↻ " + self.t("重新打印号票"), look, role="secondary", height=96, wrap=True)
        self.retry_button.clicked.connect(owner.retry_print)
        self.retry_button.hide()
        self.done_button = button(self.t("完成，返回首页"), look, role="ok", height=96, wrap=True)
        self.done_button.clicked.connect(owner.finish_visit)
        if look.portrait:
            self.body.addStretch(1)
            self.body.addWidget(box)
            col = self.body
        else:
            row = QHBoxLayout()
            row.setSpacing(look.gap * 2)
            row.addWidget(box, 1)
            col = QVBoxLayout()
            col.setSpacing(look.gap)
            row.addLayout(col, 1)
            self.body.addLayout(row, 1)
        if not look.portrait:  # landscape: where to wait beside the number, where there is room
            col.addWidget(self.where)
        col.addWidget(self.print_state)
        col.addWidget(self.reprint_button)
        col.addWidget(self.retry_button)
        col.addStretch(1)
        col.addWidget(self.done_button)

    def reset(self) -> None:
        """The last citizen's number, queue and printer news go."""
        super().reset()
        for w in (self.number, self.priority, self.what, self.queue, self.print_state):
            w.clear()
        set_tone(self.print_state, "info")
        self.reprint_button.hide()
        self.retry_button.hide()

    def refresh(self) -> None:
        t = self.owner.session.ticket
        if t is None:
            for w in (self.number, self.priority, self.what, self.official, self.queue, self.where, self.print_state):
                w.setText("")
            return
        self.number.setText(t.number)
        self.priority.setText(self.t("【{label}】").format(label=self.t(t.priority.label))
                              if t.priority is not Priority.NORMAL else "")
        self.priority.setVisible(t.priority is not Priority.NORMAL)
        self.reprint_button.hide()
        self.retry_button.hide()
        category = t.category_name
        if self.look.lang == "en":
            cat = self.owner.catalog.category(t.category)
            category = category_name(cat, self.look.lang, category)
        matter = ticket_matter_name(self.owner.catalog.matter, t, self.look.lang)
        self.what.setText(category + (f" · {matter.main}" if matter.main else ""))
        self.official.setText(matter.official)
        self.official.setVisible(bool(matter.official))
        if t.ahead:
            self.queue.setText(tr_n("前面还有 {n} 人，预计等候约 {m} 分钟", t.ahead, self.look.lang, n=t.ahead,
                                    m=t.est_wait_min))
        else:
            self.queue.setText(self.t("前面没有人等候，请留意叫号"))
        self.where.setText(self.t("请在等候区就座，留意叫号屏和语音") + self._windows_text(t.category))

    def _windows_text(self, category: str) -> str:
        """The windows that serve this category, its own first and then the general ones."""
        windows = [w for w in self.owner.windows if w.active and w.serves(category)]
        if not windows:
            return ""
        windows.sort(key=lambda w: (w.general, w.number))
        numbers = ("、" if self.look.lang == "zh" else ", ").join(str(w.number) for w in windows)
        return "\n" + self.t("办理窗口：{numbers} 号").format(numbers=numbers)

    def show_printing(self) -> None:
        self.print_state.setText(self.t("正在打印号票…"))
        set_tone(self.print_state, "info")
        self.reprint_button.hide()
        self.retry_button.hide()

    def show_printed(self) -> None:
        self.print_state.setText("✓ " + self.t("号票已打印，请从出票口取走号票，留意大屏叫号。"))
        set_tone(self.print_state, "ok")
        self.reprint_button.hide()
        self.retry_button.hide()

    def show_print_failed(self, number: str, reason: str) -> None:
        self.print_state.setText(
            "！" + self.t("{reason}，您的号码 {number} 已保存，请点击呼叫帮办，工作人员将为您补打。").format(
                reason=say_error(reason, self.look.lang), number=number)
        )
        set_tone(self.print_state, "bad")
        self.reprint_button.show()
        self.retry_button.show()
