"""The home screen: categories as big tiles, the look-up services, and the mode switches."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.errors import HallError
from ui.kiosk.base import Screen
from ui.kiosk.strings import tr_n
from ui.kiosk.widgets import button, label


class HomeScreen(Screen):
    name = "home"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        self.banner = label("", tone="bad")
        self.banner.hide()
        self.body.addWidget(self.banner)
        self.checkin_banner = label("", tone="ok")
        self.checkin_banner.hide()
        self.body.addWidget(self.checkin_banner)
        self.greeting = label(self.t("您好，请选择要办理的业务"), "h1")
        # elder mode needs the height for bigger tiles; the tiles say it themselves
        self.add_heading(self.greeting, None if look.elder else label(self.t("点选业务后，先看清要带的材料，再取号排队。"),
                                                                        "muted"))

        grid = QGridLayout()
        grid.setSpacing(look.gap)
        columns = 2 if look.portrait else 4
        self.category_buttons = {}
        self._tile_text: dict[str, str] = {}
        counts: dict[str, int] = {}
        for m in owner.hall.matters():
            counts[m.category] = counts.get(m.category, 0) + 1
        for i, c in enumerate(owner.hall.categories()):
            name = (c.name_en or c.name) if look.lang == "en" else c.name
            sub = tr_n("{n} 项业务", counts.get(c.prefix, 0), look.lang, n=counts.get(c.prefix, 0))
            b = button(f"{c.prefix}  {name}\n{sub}", look, size="tile", height=110,
                       grow=look.portrait, wrap=True)
            b.setMaximumHeight(round(230 * look.scale))
            self._tile_text[c.prefix] = f"{c.prefix}  {name}\n{sub}"
            b.clicked.connect(lambda _=False, p=c.prefix: owner.choose_category(p))
            self.category_buttons[c.prefix] = b
            grid.addWidget(b, *divmod(i, columns))
        self.body.addLayout(grid, 3 if look.portrait else 0)
        self.body.addSpacing(look.gap)

        h = 100 if look.portrait else 90
        services = QGridLayout()
        services.setSpacing(look.gap)
        self.checkin_button = button("▣ " + self.t("预约签到"), look, role="secondary", size="tile", height=h,
                                     wrap=True)
        guide = self.t("办事指南 / 材料清单") if look.portrait else self.t("办事指南") + "\n" + self.t("材料清单")
        self.guide_button = button("≡ " + guide, look, role="secondary", size="tile", height=h, wrap=True)
        self.progress_button = button("◎ " + self.t("办件进度查询"), look, role="secondary", size="tile", height=h,
                                      wrap=True)
        self.checkin_button.clicked.connect(lambda: owner.go("checkin"))
        self.guide_button.clicked.connect(owner.open_guide)
        self.progress_button.clicked.connect(lambda: owner.go("progress"))
        self.elder_button = button(self.t("长者模式：字更大") if not look.elder else self.t("长者模式：已开启"),
                                   look, role="secondary", size="tile", height=h if look.portrait else 72,
                                   checkable=True, wrap=True)
        self.elder_button.setChecked(look.elder)
        self.elder_button.clicked.connect(owner.toggle_elder)
        # one language switch, in the header of every screen (a second one here only doubled it)
        self.lang_button = owner.header.lang_button
        if look.portrait:  # two rows of two
            cells = ((self.checkin_button, 0, 0), (self.progress_button, 0, 1), (self.guide_button, 1, 0),
                     (self.elder_button, 1, 1))
        else:  # one row of four under the four columns of tiles: all on screen without scrolling
            self.elder_button.setMinimumHeight(self.checkin_button.minimumHeight())
            self.elder_button.touch_height = self.checkin_button.touch_height
            if look.elder:
                self.elder_button.setText(self.t("长者模式") + "\n" + self.t("已开启"))
            cells = ((self.checkin_button, 0, 0), (self.guide_button, 0, 1), (self.progress_button, 0, 2),
                     (self.elder_button, 0, 3))
        for widget, row, column in cells:
            services.addWidget(widget, row, column)
        self.body.addLayout(services)
        self.body.addStretch(1)

    def reset(self) -> None:
        """The last citizen's booking code goes with them."""
        super().reset()
        self.checkin_banner.clear()
        self.checkin_banner.hide()

    def refresh(self) -> None:
        o = self.owner
        try:
            waiting = o.hall.queue_status().waiting
        except HallError:  # the hall server is away: the banner below says so
            waiting = {}
        for prefix, b in self.category_buttons.items():
            n = waiting.get(prefix, 0)
            b.setText(self._tile_text[prefix] + " · " + self.t("等候 {n} 人").format(n=n))
        if o.can_issue:
            self.banner.hide()
        else:
            head, advice = o.pause_text()
            self.banner.setText("！" + head + "\n" + advice)
            self.banner.show()
        # elder landscape: with the printer's banner there is no height left for a greeting as well
        self.greeting.setVisible(o.can_issue or self.look.portrait or not self.look.elder)
        s = o.session
        if s.appointment_code:
            msg = self.t("预约已签到：{code}").format(code=s.appointment_code) + "\n"
            msg += self.t("请选择办理的业务，您将获得预约优先号。") if s.appointment_today else \
                self.t("预约日期不是今天，将按普通号排队。")
            self.checkin_banner.setText(msg)
            self.checkin_banner.show()
        else:
            self.checkin_banner.hide()
