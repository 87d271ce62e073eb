"""The checklist: the matter's yes/no situations, what to bring, ticks, and what they mean today.

The verdict is said in plain words before the citizen queues (一次性告知): if a key material
is missing they learn it now, with the whole list, rather than at the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.models import Material, Matter
from ui.kiosk.base import Screen
from ui.kiosk.look import Look
from ui.kiosk.names import Name, condition_name, department_name, material_name, matter_name
from ui.kiosk.strings import tr_n
from ui.kiosk.verdict import Outcome, Verdict, judge
from ui.kiosk.widgets import KioskButton, button, card, label, scroll, set_text, set_tone, unbroken

VERDICT_TEXT = {
    Outcome.UNANSWERED: ("info", "请逐项选择是否带了"),
    Outcome.ACCEPT: ("ok", "✓ 材料齐全，可以受理。请取号，到窗口办理。"),
    Outcome.RONGQUE: ("warn", "◐ 可容缺受理：签署承诺书后先受理，缺的材料在期限内补交。"),
    Outcome.KEY_MISSING: ("bad", "✕ 缺少主要材料，今天无法受理。请带齐下列材料再来，只需再跑这一次。"),
    Outcome.MISSING: ("bad", "✕ 缺少必需材料，今天无法受理。请带齐下列材料再来，只需再跑这一次。"),
}


def material_details(m: Material, t, lang: str = "zh") -> str:
    """One line under a material's name: form, copies, notes, in the citizen's words."""
    parts = [t(m.form), tr_n("{n}份", m.copies, lang, n=m.copies)]
    if not m.key:
        parts.append(t("次要材料") + ((", " if lang == "en" else "，") + t("可容缺") if m.rongque else ""))
    else:
        parts.append(t("主要材料"))
    line = " · ".join(parts)
    if m.notes:
        line += "\n" + m.notes
    return line


class _NameLines(QWidget):
    """A name with the official Chinese under it in smaller letters (English mode), like
    names.name_block, but kept and filled again for the next name. The official line is made
    the first time one is needed, so a Chinese kiosk never holds one."""

    def __init__(self, role: str, official_role: str = "muted") -> None:
        super().__init__()
        self._lay = QVBoxLayout(self)
        self._lay.setContentsMargins(0, 0, 0, 0)
        self._lay.setSpacing(2)
        self.main = label("", role)
        self._lay.addWidget(self.main)
        self.official: QLabel | None = None
        self._official_role = official_role

    def show_name(self, main: str, official: str) -> None:
        set_text(self.main, main)
        if official and self.official is None:
            self.official = label("", self._official_role)
            self.official.setObjectName("officialName")
            self._lay.insertWidget(1, self.official)
        if self.official is not None:
            set_text(self.official, official)
            self.official.setVisible(bool(official))


class ConditionRow(QWidget):
    """One yes/no situation of the matter. Rows are kept and filled with the next matter's
    situations: making and deleting their buttons on every answer froze the screen."""

    def __init__(self, look: Look, t: Callable[[str], str], single: bool,
                 answer: Callable[[str, bool], None]) -> None:
        super().__init__()
        self.condition = ""
        self.said = _NameLines("body")
        gap = round(12 * look.scale)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(gap)
        if single:  # the situation beside its answers
            outer: QHBoxLayout | QVBoxLayout = row
            self.setLayout(row)
            row.addWidget(self.said, 3)
        else:  # a narrow column: the situation above its answers
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 0)
            outer.setSpacing(gap)
            outer.addWidget(self.said)
            outer.addLayout(row)
        self.buttons: dict[bool, KioskButton] = {}
        for yes in (True, False):
            b = button(t("是") if yes else t("否"), look, role="toggle", height=76 if look.portrait else 64,
                       checkable=True)
            if single:
                b.setMaximumWidth(round(150 * look.scale))
            b.clicked.connect(lambda _=False, y=yes: answer(self.condition, y))
            self.buttons[yes] = b
            row.addWidget(b, 1)

    def show_condition(self, condition: str, name: Name, said_yes: bool) -> None:
        self.condition = condition
        self.said.show_name(name.main, name.official)
        self.buttons[True].setChecked(said_yes)
        self.buttons[False].setChecked(not said_yes)


class MaterialRow(QWidget):
    """One material: its name and details with its two answers, 带了 and 没带. Kept and filled
    with the next material, like ConditionRow."""

    def __init__(self, look: Look, t: Callable[[str], str], tick: Callable[[int, bool], None]) -> None:
        super().__init__()
        self.material_id = 0
        stacked = look.elder or not look.portrait  # a narrow column or big letters: answers under the name
        row: QVBoxLayout | QHBoxLayout = QVBoxLayout(self) if stacked else QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(round(10 * look.scale))
        text = QVBoxLayout()
        text.setSpacing(2)
        self.name = _NameLines("item")  # the Chinese the clerk's checklist uses under the English
        self.details = label("", "muted")
        text.addWidget(self.name)
        text.addWidget(self.details)
        answers = QHBoxLayout()
        answers.setSpacing(round(12 * look.scale))
        self.buttons: dict[bool, KioskButton] = {}
        for yes in (True, False):
            b = button(("✔ " + t("带了")) if yes else ("✕ " + t("没带")), look,
                       role="toggle" if yes else "toggleNo", height=80, checkable=True)
            if not stacked:
                b.setMaximumWidth(round(170 * look.scale))
            b.clicked.connect(lambda _=False, y=yes: tick(self.material_id, y))
            self.buttons[yes] = b
            answers.addWidget(b, 1)
        if stacked:
            row.addLayout(text)
            row.addLayout(answers)
        else:
            row.addLayout(answers, 0)
            row.addLayout(text, 1)

    def show_material(self, m: Material, name: str, official: str, details: str, have: bool | None) -> None:
        """Neither answer is chosen until the citizen touches one (`have` None)."""
        self.material_id = m.id
        self.name.show_name(name, official)
        set_text(self.details, details)
        self.buttons[True].setChecked(have is True)
        self.buttons[False].setChecked(have is False)


def _fill(pool: list, count: int, make: Callable[[], QWidget], layout: QVBoxLayout) -> list:
    """The first `count` widgets of `pool` (made and added to `layout` when there are too few),
    shown; the rest hidden."""
    while len(pool) < count:
        pool.append(make())
        layout.addWidget(pool[-1])
    for w in pool[count:]:
        w.hide()
    return pool[:count]


class ChecklistScreen(Screen):
    """Portrait, and elder mode in either orientation: one calm column of situations and
    materials, the verdict and actions under it. Landscape (normal): three columns read left to
    right — ① situations, ② materials, then the verdict and the actions — so each column keeps
    the full height and the actions are always in view.

    The situations start answered 否 (most do not apply), shown as chosen and said so. The
    materials start unanswered: nothing is judged until the citizen has said 带了 or 没带 for
    each, so nobody is told they will be turned away before touching the screen.

    Both cards are built once; their rows are kept and filled again on every answer and for the
    next citizen's matter, so a touch only changes texts and ticks (no widget is made or deleted
    once the longest list has been shown).
    """

    name = "checklist"

    def __init__(self, owner) -> None:
        super().__init__(owner)
        look = self.look
        self.title = label("", "h1")
        self.facts = label("", "muted")
        self.add_heading(self.title, self.facts)
        bar_gap = round(12 * look.scale)
        self.single = look.portrait or look.elder  # one column: a whole line for every name

        inner = QWidget()
        self.sections = QVBoxLayout(inner)
        self.sections.setContentsMargins(0, 0, 0, 0)
        self.sections.setSpacing(look.gap)
        # landscape elder: the verdict beside its actions, so the list keeps the height
        side = QHBoxLayout() if self.single and not look.portrait else QVBoxLayout()
        side.setSpacing(look.gap)
        if self.single:
            split = QBoxLayout(QBoxLayout.Direction.TopToBottom)
            self.conditions = self.sections
            self.conditions_area = None
            split.addWidget(scroll(inner, gap=bar_gap), 1)
            split.addLayout(side, 0)
        else:
            split = QBoxLayout(QBoxLayout.Direction.LeftToRight)
            cond_inner = QWidget()
            self.conditions = QVBoxLayout(cond_inner)
            self.conditions.setContentsMargins(0, 0, 0, 0)
            self.conditions.setSpacing(look.gap)
            self.conditions_area = scroll(cond_inner, gap=bar_gap)
            split.addWidget(self.conditions_area, 4)
            split.addWidget(scroll(inner, gap=bar_gap), 5)
            split.addLayout(side, 4)
        split.setSpacing(look.gap)
        self.body.addLayout(split, 1)

        # ① the situations
        self.conditions_card, lay = card(look)
        lay.addWidget(label(self.t("① 您的情况"), "h2"))
        lay.addWidget(label(self.t("请逐项选择；已预选“否”，符合的请点“是”"), "muted"))
        self.condition_rows_layout = QVBoxLayout()
        self.condition_rows_layout.setSpacing(lay.spacing())
        lay.addLayout(self.condition_rows_layout)
        self.conditions.addWidget(self.conditions_card)
        if self.conditions is not self.sections:
            self.conditions.addStretch(1)
        # ② what to bring, then what the window hands out and what the hall fetches itself
        self.materials_card, lay = card(look)
        self.materials_heading = label("", "h2")
        lay.addWidget(self.materials_heading)
        self.material_rows_layout = QVBoxLayout()
        self.material_rows_layout.setSpacing(lay.spacing())
        lay.addLayout(self.material_rows_layout)
        self.on_site_heading = label(self.t("以下表格在窗口领取、现场填写，无需准备："), "muted")
        lay.addWidget(self.on_site_heading)
        self.on_site_layout = QVBoxLayout()
        self.on_site_layout.setSpacing(lay.spacing())
        lay.addLayout(self.on_site_layout)
        self.shared_heading = label(self.t("以下材料免提交（大厅内部调取）："), "muted")
        lay.addWidget(self.shared_heading)
        self.shared_layout = QVBoxLayout()
        self.shared_layout.setSpacing(lay.spacing())
        lay.addLayout(self.shared_layout)
        self.sections.addWidget(self.materials_card)
        self.sections.addStretch(1)
        self.condition_rows: list[ConditionRow] = []
        self.material_rows: list[MaterialRow] = []
        self.on_site_labels: list[QLabel] = []
        self.shared_labels: list[QLabel] = []

        self.verdict_label = label("", tone="info")
        side.addWidget(self.verdict_label, 2 if isinstance(side, QHBoxLayout) else 0)
        actions = QBoxLayout(QBoxLayout.Direction.LeftToRight if self.single else QBoxLayout.Direction.TopToBottom)
        actions.setSpacing(look.gap)
        self.notice_button = button(self.t("打印材料清单") + "\n" + self.t("（备齐后再来，一次办成）"), look,
                                    role="secondary", size="small", height=96, wrap=True)
        self.notice_button.clicked.connect(owner.print_checklist)
        self.take_button = button(self.t("下一步：取号"), look, role="ok", height=104, wrap=True)
        self.take_button.clicked.connect(owner.to_identity)
        actions.addWidget(self.notice_button, 1)
        actions.addWidget(self.take_button, 1)
        side.addLayout(actions, 3 if isinstance(side, QHBoxLayout) else 0)
        if not self.single:
            side.addStretch(1)
        self.answer_buttons: dict[tuple[str, bool], object] = {}
        self.tick_buttons: dict[int, object] = {}  # 带了
        self.lack_buttons: dict[int, object] = {}  # 没带
        self.verdict: Verdict | None = None
        self.matter: Matter | None = None
        self._hide_cards()

    def _hide_cards(self) -> None:
        self.conditions_card.hide()
        self.materials_card.hide()
        if self.conditions_area is not None:
            self.conditions_area.hide()

    def reset(self) -> None:
        """The last citizen's matter, answers, ticks and verdict go; the rows stay, hidden and
        unticked, for the next citizen's matter."""
        super().reset()
        for row in [*self.condition_rows, *self.material_rows]:
            for b in row.buttons.values():
                b.setChecked(False)
        self._hide_cards()
        for w in (self.title, self.facts, self.verdict_label):
            w.clear()
        self.answer_buttons = {}
        self.tick_buttons = {}
        self.lack_buttons = {}
        self.verdict = None
        self.matter = None

    def refresh(self) -> None:
        o = self.owner
        s = o.session
        lang = self.look.lang
        if not s.matter_code:  # reached without a matter (e.g. after a reset): nothing to list
            self._hide_cards()
            self.answer_buttons, self.tick_buttons, self.lack_buttons = {}, {}, {}
            set_text(self.title, "")
            set_text(self.facts, "")
            return
        matter = o.catalog.matter(s.matter_code)
        self.matter = matter
        name = matter_name(matter, lang)  # English mode: the official Chinese name heads the facts
        set_text(self.title, name.main)
        fee = matter.fee
        parts = [department_name(matter, lang),
                 tr_n("承诺{days}个工作日办结", matter.promised_days, lang, days=matter.promised_days),
                 self.t(fee)]
        if lang == "zh":  # a narrow column breaks between the facts, never inside one
            parts = [unbroken(p) for p in parts]
        set_text(self.facts, (name.official + "\n" if name.official else "") + " · ".join(parts))
        self._show_conditions(matter)

        checklist = o.catalog.checklist(s.matter_code, tuple(s.answers))
        set_text(self.materials_heading, ("②" if matter.conditions else "①") + " "
                 + self.t("请逐项选择“带了”或“没带”"))
        self.tick_buttons, self.lack_buttons = {}, {}
        rows = _fill(self.material_rows, len(checklist.to_bring),
                     lambda: MaterialRow(self.look, self.t, self.owner.tick), self.material_rows_layout)
        for row, m in zip(rows, checklist.to_bring, strict=True):
            key = self.t("【主要】") if m.key else ""
            said = material_name(m, lang)
            have = True if m.id in s.ticked else False if m.id in s.lacking else None
            row.show_material(m, key + said.main, said.official, material_details(m, self.t, lang), have)
            self.tick_buttons[m.id], self.lack_buttons[m.id] = row.buttons[True], row.buttons[False]
            row.show()
        self._show_lines(self.on_site_heading, self.on_site_labels, self.on_site_layout,
                         [f"✓ {m.name} — " + self.t("窗口现场填写") for m in checklist.on_site])
        self._show_lines(self.shared_heading, self.shared_labels, self.shared_layout,
                         [f"✓ {material_name(m, lang).inline()} — " + self.t("免提交（大厅内部调取）")
                          for m in checklist.shared])
        self.materials_card.show()
        self.show_verdict(judge(checklist, s.ticked, s.lacking))

    def _show_conditions(self, matter: Matter) -> None:
        """The yes/no situations; an unanswered one shows 否 chosen, as the checklist counts it."""
        s = self.owner.session
        self.answer_buttons = {}
        if self.conditions_area is not None:
            self.conditions_area.setVisible(bool(matter.conditions))
        self.conditions_card.setVisible(bool(matter.conditions))
        rows = _fill(self.condition_rows, len(matter.conditions),
                     lambda: ConditionRow(self.look, self.t, self.single, self.owner.answer),
                     self.condition_rows_layout)
        for row, cond in zip(rows, matter.conditions, strict=True):
            row.show_condition(cond, condition_name(matter, cond, self.look.lang), cond in s.answers)
            self.answer_buttons[(cond, True)], self.answer_buttons[(cond, False)] = row.buttons[True], row.buttons[False]
            row.show()

    @staticmethod
    def _show_lines(heading: QLabel, pool: list[QLabel], layout: QVBoxLayout, lines: list[str]) -> None:
        heading.setVisible(bool(lines))
        for lb, line in zip(_fill(pool, len(lines), lambda: label(""), layout), lines, strict=True):
            set_text(lb, line)
            lb.show()

    def show_verdict(self, verdict: Verdict) -> None:
        """Say what the ticks mean, and offer only what fits: a ticket, or the notice."""
        self.verdict = verdict
        tone, text = VERDICT_TEXT[verdict.outcome]
        text = self.t(text)
        if verdict.unanswered:
            n = len(verdict.unanswered)
            text += "\n" + tr_n("还有 {n} 项未选择", n, self.look.lang, n=n)
        if verdict.missing:
            lang = self.look.lang
            # a short name stays whole on its line; a long one may break (it could not fit at all)
            names = "、".join(unbroken(m.name) if len(m.name) <= 10 else m.name for m in verdict.missing)
            if lang == "en":  # English names are long: one is named, more are pointed at in the list
                names = material_name(verdict.missing[0], lang).main if len(verdict.missing) == 1 else tr_n(
                    "清单中标为“未带”的 {n} 项材料", len(verdict.missing), lang, n=len(verdict.missing))
            text += "\n" + self.t("缺少：") + names
        set_text(self.verdict_label, text)
        set_tone(self.verdict_label, tone)
        self.notice_button.setVisible(verdict.decided and not verdict.can_accept)
        o = self.owner
        if not o.can_issue:
            self.take_button.setText(self.t("暂不能打印号票：请到服务台取号或呼叫帮办") if o.hall_reachable
                                     else self.t("暂停取号：请到服务台取号") if o.hall_refusal else self.t("暂停取号：请呼叫帮办"))
            self.take_button.setEnabled(False)
        else:
            self.take_button.setEnabled(True)
            self.take_button.setText(self.t("下一步：取号") if verdict.can_accept or not verdict.decided
                                     else self.t("仍要取号咨询"))
