"""The ID step: the card reader fills it; a phone number or skipping only where the hall allows.

Only the masked name and number are ever drawn (居民身份证法 Art. 13): the full number goes
to the hall (which keeps a keyed hash) and never onto a widget.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout

from kiosk.idnumber import mask_id, mask_name, mask_phone
from ui.kiosk.base import Screen
from ui.kiosk.keypad import DIGITS, KeyEntry
from ui.kiosk.names import matter_name
from ui.kiosk.strings import say_error
from ui.kiosk.widgets import button, card, label, set_tone


class IdentityScreen(Screen):
    """Portrait: one column ending in 取号. Landscape: the card reader, the alternatives and the
    green channel on the left; the phone keypad (when asked for) and 取号 on the right, so 取号
    stays in view with the keypad open."""

    name = "identity"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        settings = owner.settings
        self.title = label(self.t("请在读卡区放置身份证"), "h1")
        self.matter = label("", "muted")
        self.add_heading(self.title, self.matter)

        box, lay = card(self.look)
        how = label("▼ " + self.t("将身份证平放在屏幕下方的读卡区，听到“嘀”声即可"), "h2")
        if look.elder and not look.portrait:  # one line, not two: the height is needed below
            how.setProperty("role", "item")
        lay.addWidget(how)
        self.card_state = label(self.t("等待读卡…"), tone="info")
        lay.addWidget(self.card_state)

        alt = QHBoxLayout()
        alt.setSpacing(look.gap)
        self.phone_button = button(self.t("没带身份证？用手机号取号"), look, role="secondary", height=92, wrap=True)
        self.phone_button.clicked.connect(self._show_phone)
        self.phone_button.setVisible(settings.allow_phone_instead_of_id)
        self.skip_button = button(self.t("跳过此步"), look, role="secondary", height=92, wrap=True)
        self.skip_button.clicked.connect(owner.skip_id)
        self.skip_button.setVisible(settings.allow_skip_id)
        alt.addWidget(self.phone_button, 2)
        alt.addWidget(self.skip_button, 1)

        small_keys = not look.portrait or look.elder  # the keypad must leave room for 取号
        # elder: keys and display at the 88 px elder minimum, so the keypad, the green channel and
        # 取号 all fit on a portrait page
        key_height = (62 if look.elder else 64) if small_keys else None
        display_height = (64 if look.elder else 72) if small_keys else 84
        self.phone_entry = KeyEntry(DIGITS, look, placeholder=self.t("请输入11位手机号"), max_length=11,
                                    columns=3 if look.portrait else 4,  # landscape: three rows of keys
                                    key_height=key_height, display_height=display_height)
        self.phone_entry.changed.connect(owner.set_phone)
        self.phone_entry.setMaximumWidth(round((760 if look.portrait else 640) * look.scale))
        self.phone_entry.hide()

        self.green_button = button(self.t("绿色通道：老年人、残疾人、军人优先"), look, role="toggle", height=96,
                                   checkable=True, wrap=True)
        self.green_button.clicked.connect(owner.set_green)
        self.status = label("", tone="info")
        self.take_button = button(self.t("取号"), look, role="ok", size="tile", height=128 if look.portrait else 110,
                                  wrap=True)
        self.take_button.setObjectName("takeButton")
        self.take_button.pressed.connect(owner.mark_take_started)
        self.take_button.clicked.connect(owner.take_ticket)
        if look.portrait:
            self.body.addWidget(box)
            self.body.addLayout(alt)
            self.body.addWidget(self.phone_entry)
            self.body.addWidget(self.green_button)
            self.body.addStretch(1)
            self.body.addWidget(self.status)
            self.body.addWidget(self.take_button)
        else:
            self.add_columns((1, [box, alt, self.green_button, self.status, None]),
                             (1, [self.phone_entry, None, self.take_button]))

    def reset(self) -> None:
        """The last citizen's card, phone number, green channel and messages go; the phone and
        skip offers follow the hall's settings as they are now."""
        super().reset()
        settings = self.owner.settings
        self.phone_button.setVisible(settings.allow_phone_instead_of_id)
        self.skip_button.setVisible(settings.allow_skip_id)
        self.phone_entry.blockSignals(True)  # the session is new already: nothing to tell the window
        self.phone_entry.clear()
        self.phone_entry.blockSignals(False)
        self.phone_entry.hide()
        self.matter.clear()
        self.status.clear()
        self.status.hide()
        self.refresh()  # from the empty session: 等待读卡…, green channel off, 取号 waiting

    def _show_phone(self) -> None:
        self.phone_entry.setVisible(not self.phone_entry.isVisible())

    def refresh(self) -> None:
        o = self.owner
        s = o.session
        try:
            name = matter_name(o.catalog.matter(s.matter_code), self.look.lang) if s.matter_code else None
            # elder letters leave room for one name: the checklist before and the ticket after show both
            matter = "" if name is None else name.main if self.look.elder else name.inline()
        except Exception:  # the catalog changed under us: the category still stands
            matter = ""
        text = self.t("办理事项：") + matter if matter else ""
        if self.look.elder and not self.look.portrait and text:
            # elder letters in landscape: one line beside the title (the page has no height to spare);
            # the whole name was on the checklist and will be on the ticket
            width = round(self.owner.width() * 0.45)
            self.matter.setWordWrap(False)
            text = self.matter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)
        self.matter.setText(text)
        if s.id_number:
            self.card_state.setText("✓ " + self.t("已读取：") + f"{mask_name(s.name)}  {mask_id(s.id_number)}")
            set_tone(self.card_state, "ok")
        elif s.card_message:
            self.card_state.setText("✕ " + say_error(s.card_message, self.look.lang))
            set_tone(self.card_state, "bad")
        elif o.reader_problem:
            alternative = self.t("请用手机号取号或呼叫帮办") if o.settings.allow_phone_instead_of_id else self.t(
                "请呼叫帮办")
            sep = "; " if self.look.lang == "en" else "，"
            self.card_state.setText("！" + say_error(o.reader_problem, self.look.lang) + sep + alternative)
            set_tone(self.card_state, "bad")
        else:
            self.card_state.setText(self.t("等待读卡…"))
            set_tone(self.card_state, "info")
        if self.phone_entry.text != s.phone:
            self.phone_entry.set_text(s.phone)
        if not s.phone and not s.id_number:
            # isHidden, not isVisible: on a screen not shown yet every widget is "not visible"
            self.phone_entry.setVisible(not self.phone_entry.isHidden() and o.settings.allow_phone_instead_of_id)
        self.green_button.setChecked(s.green)
        self.green_button.setText(("✔ " if s.green else "□ ") + self.t("绿色通道：老年人、残疾人、军人优先"))
        self._update_take()

    def _update_take(self) -> None:
        o = self.owner
        s = o.session
        parts = []
        if s.appointment_code and s.appointment_today:
            late = s.appointment_until is not None and o.now() > s.appointment_until
            parts.append(self.t("已超过预约时段，按普通号排队") if late else self.t("预约签到：将取预约优先号"))
        if s.green:
            parts.append(self.t("绿色通道：将优先叫号，请到窗口出示相关证件"))
        if s.phone and not s.id_number:
            parts.append(self.t("手机号：") + mask_phone(s.phone))
        self.status.setText("\n".join(parts))
        self.status.setVisible(bool(parts))
        if not o.can_issue:
            self.take_button.setEnabled(False)
            self.take_button.setText(self.t("暂不能打印号票：请到服务台取号或呼叫帮办") if o.hall_reachable
                                     else self.t("暂停取号：请到服务台取号") if o.hall_refusal else self.t("暂停取号：请呼叫帮办"))
        elif not s.identified:
            self.take_button.setEnabled(False)
            self.take_button.setText(self.t("请先读取身份证") if not o.settings.allow_phone_instead_of_id
                                     else self.t("请先读取身份证或输入手机号"))
        else:
            self.take_button.setEnabled(True)
            self.take_button.setText(self.t("取号"))
