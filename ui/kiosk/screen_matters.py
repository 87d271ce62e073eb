"""Choosing a matter: the category's matters as big rows, narrowed by an on-screen search.

Citizens search by pinyin initials on the letter keys (gtgs -> 个体工商户设立登记) or by
touching a common Chinese word; `find_matters` (the rule the hall's search_matters uses) runs
over the category the screen already holds, so a key press asks nothing of the hall server
and the kiosk and the clerk's screen agree on what a query finds.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QBoxLayout, QGridLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.matter_search import find_matters
from kiosk.models import Matter
from ui.kiosk.base import Screen
from ui.kiosk.keypad import LETTERS, KeyEntry
from ui.kiosk.look import SIZES, Look
from ui.kiosk.names import category_name, department_name, matter_name
from ui.kiosk.strings import tr_n
from ui.kiosk.widgets import KioskButton, button, label, row_button, scroll, set_row, set_text

HOT_WORDS_MAX = 6
CHIP_PT = 18  # the chips' font size before the elder scale (size "small")


def hot_words(matters: list[Matter], lang: str = "zh") -> list[str]:
    """Short words a citizen can touch instead of typing, one per matter: its Chinese aliases, or
    in English mode its English common words (none there: no chips, never Chinese ones)."""
    longest = 18 if lang == "en" else 5  # a chip holds a short phrase, or a few hanzi
    words: list[str] = []
    for m in matters:
        for a in (m.aliases_en if lang == "en" else m.aliases):
            if 2 <= len(a) <= longest and a not in words:
                words.append(a)
                break
    return words[:HOT_WORDS_MAX]


def chip_columns(words: list[str], look: Look, width: int, most: int) -> int:
    """How many chips fit side by side in `width` with every word whole, rows kept even."""
    if not words:
        return 1
    font = QFont(QApplication.font())
    font.setPointSize(look.pt(CHIP_PT))
    font.setBold(True)
    metrics = QFontMetrics(font)
    chip = max(metrics.horizontalAdvance(w) for w in words) + 2 * 16 + 4 + 6  # padding, border, air
    spacing = round(10 * look.scale)
    columns = max(1, min(most, len(words), (width + spacing) // (chip + spacing)))
    rows = math.ceil(len(words) / columns)
    return math.ceil(len(words) / rows)  # 6 words in 4 columns would leave a ragged row: 3 + 3


class MattersScreen(Screen):
    name = "matters"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        self.title = label("", "h1")
        self.count = label("", "muted")
        self.add_heading(self.title, self.count)

        self.list_box = QWidget()
        box = QVBoxLayout(self.list_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(round(12 * look.scale))
        self.rows = QVBoxLayout()  # the matters' rows, kept and filled again for each list
        self.rows.setSpacing(box.spacing())
        box.addLayout(self.rows)
        self.nothing_found = label(self.t("没有找到相符的事项，请换个词，或呼叫帮办。"), tone="info")
        self.nothing_found.hide()
        box.addWidget(self.nothing_found)
        box.addStretch(1)
        self.list_area = scroll(self.list_box, gap=round(12 * look.scale))
        self.matter_rows: list[KioskButton] = []
        self.chips: list[KioskButton] = []  # the common words' buttons, kept like the rows
        self._chips_shown: tuple[tuple[str, ...], int] = ((), 0)
        # per category ("" for the guide): its matters and their common words, and each matter's
        # row text. Screens are built anew when the catalog changes, and these with them.
        self._words: dict[str, tuple[list[str], int]] = {}
        self._row_text: dict[str, tuple[str, str]] = {}

        self.hot_row = QGridLayout()
        self.hot_row.setSpacing(round(10 * look.scale))
        screen_w = SIZES[look.orientation][0] - 2 * look.margin
        # elder: the keys are hidden, so the words have the whole width (one row, not two)
        self.hot_width = screen_w if look.portrait or look.elder else (screen_w - 2 * look.gap) * 5 // 9
        self.hot_most = 6 if look.portrait or look.elder else 3
        search = QWidget()
        sl = QVBoxLayout(search)
        sl.setContentsMargins(0, 0, 0, 0)
        sl.setSpacing(round(12 * look.scale))
        sl.addWidget(label(self.t("搜索：按拼音首字母（如 gtgs）或点选常用词"), "muted"))
        elder = look.elder
        if look.portrait and not elder:
            sl.addLayout(self.hot_row)
        # landscape elder: seven keys a row, so four rows of letters fit beside the list
        self.entry = KeyEntry(LETTERS, look, placeholder=self.t("输入拼音首字母"), max_length=12,
                              columns=7 if look.portrait or look.elder else 6)
        self.entry.changed.connect(self._search)
        sl.addWidget(self.entry)
        if not look.portrait:
            sl.addStretch(1)
        self.search_box = search
        # elder mode: the letters only when asked for, so they never hide the list of matters
        self.pinyin_button = button(self.t("按拼音查找（A–Z 键盘）"), look, role="secondary", height=80) \
            if elder else None

        direction = QBoxLayout.Direction.TopToBottom if look.portrait else QBoxLayout.Direction.LeftToRight
        split = QBoxLayout(direction)
        split.setSpacing(look.gap * 2 if not look.portrait else look.gap)
        if look.portrait and not elder:
            split.addWidget(self.list_area, 3)
        else:  # common words above the list, the keypad alone on the right (or below, elder portrait)
            left = QVBoxLayout()
            left.setSpacing(round(12 * look.scale))
            left.addLayout(self.hot_row)
            left.addWidget(self.list_area, 1)
            if self.pinyin_button is not None:
                self.pinyin_button.clicked.connect(self.toggle_keyboard)
                left.addWidget(self.pinyin_button)
            split.addLayout(left, 5)
        split.addWidget(search, 0 if look.portrait else 4)
        if elder:
            search.hide()
        self.body.addLayout(split, 1)
        self.matter_buttons: dict[str, object] = {}
        self._query = ""

    def toggle_keyboard(self) -> None:
        """Elder mode: show or hide the letter keys (按拼音查找)."""
        if self.pinyin_button is None:
            return
        shown = not self.search_box.isVisible()
        self.search_box.setVisible(shown)
        self._show_words()
        self.pinyin_button.setText(self.t("收起键盘") if shown else self.t("按拼音查找（A–Z 键盘）"))

    def _show_words(self) -> None:
        """Landscape elder: the common words make way for the keys beside the list when asked for."""
        hide = self.pinyin_button is not None and not self.look.portrait and self.search_box.isVisible()
        for i in range(self.hot_row.count()):
            w = self.hot_row.itemAt(i).widget()
            if w is not None:
                w.setVisible(not hide)

    def reset(self) -> None:
        """The last citizen's search goes; the next refresh lists the next one's category."""
        super().reset()
        self.entry.blockSignals(True)  # no search for an empty query now: refresh() does it when shown
        self.entry.clear()
        self.entry.blockSignals(False)
        self._query = ""
        self.count.clear()  # it said the query

    def refresh(self) -> None:
        o = self.owner
        s = o.session
        if self.pinyin_button is not None and not self.entry.text and self.search_box.isVisible():
            self.toggle_keyboard()  # a new search starts with the list in full view
        if s.guide:
            set_text(self.title, self.t("办事指南：查看要带的材料"))
        else:
            name = category_name(o.catalog.category(s.category), self.look.lang)
            set_text(self.title, self.t("{prefix}  {name}：请选择事项").format(prefix=s.category, name=name))
        key = "" if s.guide else s.category
        if key not in self._words:
            words = hot_words(self._all(), self.look.lang)
            self._words[key] = words, chip_columns(words, self.look, self.hot_width, self.hot_most)
        self._show_chips(*self._words[key])
        self._show_words()
        self._search(self.entry.text)

    def _show_chips(self, words: list[str], columns: int) -> None:
        """The category's common words on the kept chips; placed again only when they change."""
        if (tuple(words), columns) == self._chips_shown:
            return
        self._chips_shown = (tuple(words), columns)
        while len(self.chips) < len(words):
            b = button("", self.look, role="secondary", size="small", height=72)
            b.clicked.connect(lambda _=False, b=b: self.search(b.text()))
            self.chips.append(b)
        for b in self.chips:
            self.hot_row.removeWidget(b)
        for i, b in enumerate(self.chips):
            if i < len(words):
                b.setText(words[i])
                self.hot_row.addWidget(b, *divmod(i, columns))
                b.show()
            else:
                b.hide()

    def _all(self) -> list[Matter]:
        s = self.owner.session
        return self.owner.catalog.matters(None if s.guide else s.category)

    def search(self, query: str) -> None:
        """Show the matters the hall finds for `query` (Chinese word or pinyin initials)."""
        if query.isascii():
            self.entry.set_text(query.upper())  # emits changed -> _search
        else:
            self._search(query)

    def _search(self, query: str) -> None:
        self._query = query
        found = find_matters(self._all(), query) if query else self._all()
        self.matter_buttons = {}
        while len(self.matter_rows) < len(found):
            b = row_button("", "", self.look, height=124 if self.look.elder else 116 if self.look.portrait else 96)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)  # taller for wrapped lines
            b.clicked.connect(lambda _=False, b=b: self.owner.choose_matter(b.code))
            self.matter_rows.append(b)
            self.rows.addWidget(b)
        for b, m in zip(self.matter_rows, found, strict=False):
            set_row(b, *self._row_texts(m))
            b.code = m.code  # type: ignore[attr-defined]
            self.matter_buttons[m.code] = b
            b.show()
        for b in self.matter_rows[len(found):]:
            b.hide()
        self.nothing_found.setVisible(not found)
        lang = self.look.lang
        if query:
            set_text(self.count, tr_n("“{q}”找到 {n} 项", len(found), lang, q=query, n=len(found)))
        else:
            set_text(self.count, tr_n("共 {n} 项，点选即可查看材料", len(found), lang, n=len(found)))

    def _row_texts(self, m: Matter) -> tuple[str, str]:
        """A matter's row: its name, and the department, promised days and 可网上办 under it."""
        if m.code not in self._row_text:
            lang = self.look.lang
            online = " · " + self.t("可网上办") if m.online else ""
            name = matter_name(m, lang)  # English mode: the official Chinese name leads the line under it
            sub = (name.official + "\n" if name.official else "") + f"{department_name(m, lang)} · " + tr_n(
                "承诺{days}个工作日", m.promised_days, lang, days=m.promised_days) + online
            self._row_text[m.code] = name.main, sub
        return self._row_text[m.code]
