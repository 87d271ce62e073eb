"""The home screen: categories as big coloured tiles, the hall's most-asked-for matters one touch
away, the look-up services, and the mode switches. It fills its screen in either orientation."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.errors import HallError
from kiosk.models import QueueStatus
from ui.kiosk.base import Screen
from ui.kiosk.look import Look
from ui.kiosk.names import category_name, matter_name
from ui.kiosk.strings import tr_n
from ui.kiosk.widgets import KioskButton, button, label
from ui.worker import run_async

# one colour per category tile, in catalog order; white text on each is at least 6.5:1
TILE_COLOURS = ("#0b5cad", "#1e6b30", "#8a5300", "#6a1b9a", "#b3261e", "#00695c", "#37474f", "#ad1457")
POPULAR = 4  # 常办事项 shown on the home screen

log = logging.getLogger(__name__)


class CategoryTile(KioskButton):
    """A category: its queue letter in a white circle (the letter its ticket numbers start with),
    the name large and the count of matters and people waiting smaller, on the category's colour.
    A push button draws one font only, so the words are labels laid over it; they let touches
    through. `text()` is what the tile says, for tests and screen readers."""

    def __init__(self, prefix: str, name: str, colour: str, look: Look) -> None:
        super().__init__("", look.target(110))
        self.setProperty("sizeRole", "tile")
        self.setMinimumHeight(look.target(110))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(f"QPushButton {{ background: {colour}; border: none; }}"
                           f" QPushButton:pressed {{ background: #0a1f3d; }}")
        lay = QHBoxLayout(self)
        pad = round(16 * look.scale)
        lay.setContentsMargins(pad, pad, pad, pad)
        lay.setSpacing(pad)
        size = round(64 * look.scale)
        self.badge = label(prefix, "tileBadge", wrap=False, align=Qt.AlignmentFlag.AlignCenter)
        self.badge.setFixedSize(size, size)
        self.badge.setStyleSheet(f"background: white; color: {colour}; border-radius: {size // 2}px;")
        words = QVBoxLayout()
        words.setSpacing(round(4 * look.scale))
        self.name_label = label(name, "tileName")
        self.count_label = label("", "tileSub")
        words.addStretch(1)
        words.addWidget(self.name_label)
        words.addWidget(self.count_label)
        words.addStretch(1)
        for w in (self.badge, self.name_label, self.count_label):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        lay.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        lay.addLayout(words, 1)
        self.title = name

    def set_count(self, text: str) -> None:
        self.count_label.setText(text)

    def text(self) -> str:
        return f"{self.name_label.text()}\n{self.count_label.text()}" if hasattr(self, "name_label") else ""

    def shown_text(self) -> str:
        return ""  # the button itself draws no words: its labels do


class HomeScreen(Screen):
    name = "home"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        self.banner = label("", tone="bad")
        self.banner.hide()
        self.body.addWidget(self.banner)
        offered = owner.catalog.categories()
        self.greeting = label(self.t("您好，请选择要办理的业务" if offered else "本机暂时没有可以取号的业务"), "h1")
        # elder mode needs the height for bigger tiles; the tiles say it themselves
        self.add_heading(self.greeting, None if look.elder or not offered
                         else label(self.t("点选业务后，先看清要带的材料，再取号排队。"), "muted"))
        self.nothing_offered = label(self.t("请到服务台咨询，或点下方“呼叫帮办”，工作人员会来帮您。"), "h2")
        self.nothing_offered.setVisible(not offered)  # a hall whose matters are not set up yet says so
        self.nothing_offered.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.body.addWidget(self.nothing_offered, 0 if offered else 1)

        grid = QGridLayout()
        grid.setSpacing(look.gap)
        columns = 2 if look.portrait else 4
        self.category_buttons: dict[str, CategoryTile] = {}
        self._tile_text: dict[str, str] = {}
        self._waiting: dict[str, int] = {}  # the last counts the hall gave
        self._counting = False  # a count is on its way from the hall
        counts: dict[str, int] = {}
        for m in owner.catalog.matters():
            counts[m.category] = counts.get(m.category, 0) + 1
        for i, c in enumerate(offered):
            name = category_name(c, look.lang)
            sub = tr_n("{n} 项业务", counts.get(c.prefix, 0), look.lang, n=counts.get(c.prefix, 0))
            b = CategoryTile(c.prefix, name, TILE_COLOURS[i % len(TILE_COLOURS)], look)
            b.set_count(sub)
            b.count_label.setVisible(not look.elder)  # elder: the name alone, as large as it fits
            self._tile_text[c.prefix] = sub
            b.clicked.connect(lambda _=False, p=c.prefix: owner.choose_category(p))
            self.category_buttons[c.prefix] = b
            grid.addWidget(b, *divmod(i, columns))
        self.body.addLayout(grid, 1 if offered else 0)

        # 常办事项: what most citizens come for, one touch to its checklist
        self.popular_buttons: dict[str, KioskButton] = {}
        self.popular_row: QWidget | None = None
        try:
            owner.popular = owner.hall.popular_matters(POPULAR)
        except (HallError, AttributeError):  # an older hall server (the tiles still lead everywhere),
            pass  # or the server away while the look changes: the last list read
        popular = owner.popular[:POPULAR // 2 if look.elder else POPULAR]
        if popular:
            row = QGridLayout()
            row.setSpacing(look.gap)
            title = label(self.t("常办事项"), "h2", wrap=False)
            per_row = 2 if look.portrait else len(popular)
            if look.portrait:
                row.addWidget(title, 0, 0, 1, per_row)
            for i, m in enumerate(popular):
                # English mode: the English name (the checklist it opens gives the official Chinese too)
                b = button(matter_name(m, look.lang).main, look, role="secondary", size="small", height=80, wrap=True)
                b.clicked.connect(lambda _=False, code=m.code: owner.choose_matter(code))
                self.popular_buttons[m.code] = b
                r, col = divmod(i, per_row)
                row.addWidget(b, r + (1 if look.portrait else 0), col + (0 if look.portrait else 1))
            if not look.portrait:
                row.addWidget(title, 0, 0)
            self.popular_row = QWidget()
            self.popular_row.setLayout(row)
            row.setContentsMargins(0, 0, 0, 0)
            self.body.addWidget(self.popular_row)

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

    def _counted(self, status: QueueStatus) -> None:
        self._counting = False
        self._waiting = dict(status.waiting)
        self._show_waiting()

    def _not_counted(self, exc: Exception) -> None:
        """The hall server is away (the banner says so) or the file busy: the last counts stay."""
        self._counting = False
        if not isinstance(exc, HallError):
            log.warning("queue counts for the home screen failed: %r", exc)

    def _show_waiting(self) -> None:
        for prefix, b in self.category_buttons.items():
            n = self._waiting.get(prefix, 0)
            b.set_count(self._tile_text[prefix] + " · " + self.t("等候 {n} 人").format(n=n))

    def refresh(self) -> None:
        o = self.owner
        self._show_waiting()
        if not self._counting:  # off the GUI thread: the hall may be a server away or a file in use
            self._counting = True
            run_async(o.hall.queue_status, self._counted, self._not_counted)
        if o.can_issue:
            self.banner.hide()
        else:
            head, advice = o.pause_text()
            self.banner.setText("！" + head + "\n" + advice)
            self.banner.show()
        # (elder landscape: the big tiles say it themselves; the height is theirs)
        self.greeting.setVisible(self.look.portrait or not self.look.elder or not self.category_buttons)
        if self.popular_row is not None:  # elder: the banner takes the height of the 常办事项 row
            self.popular_row.setVisible(o.can_issue or not self.look.elder)
