"""The checklist: the matter's yes/no situations, what to bring, ticks, and what they mean today.

The verdict is said in plain words before the citizen queues (一次性告知): if a key material
is missing they learn it now, with the whole list, rather than at the window.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.models import Material, Matter
from ui.kiosk.base import Screen
from ui.kiosk.names import condition_name, department_name, material_name, matter_name, name_block
from ui.kiosk.strings import tr_n
from ui.kiosk.verdict import Outcome, Verdict, judge
from ui.kiosk.widgets import button, card, clear_layout, label, scroll, set_tone, unbroken

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


class ChecklistScreen(Screen):
    """Portrait, and elder mode in either orientation: one calm column of situations and
    materials, the verdict and actions under it. Landscape (normal): three columns read left to
    right — ① situations, ② materials, then the verdict and the actions — so each column keeps
    the full height and the actions are always in view.

    The situations start answered 否 (most do not apply), shown as chosen and said so. The
    materials start unanswered: nothing is judged until the citizen has said 带了 or 没带 for
    each, so nobody is told they will be turned away before touching the screen.
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

    def reset(self) -> None:
        """The last citizen's matter, answers, ticks and verdict go."""
        super().reset()
        if self.conditions is not self.sections:
            self.forget_layout(self.conditions)
        self.forget_layout(self.sections)
        for w in (self.title, self.facts, self.verdict_label):
            w.clear()
        self.answer_buttons = {}
        self.tick_buttons = {}
        self.verdict = None

    def refresh(self) -> None:
        o = self.owner
        s = o.session
        lang = self.look.lang
        if self.conditions is not self.sections:
            clear_layout(self.conditions)
        if not s.matter_code:  # reached without a matter (e.g. after a reset): nothing to list
            clear_layout(self.sections)
            self.title.setText("")
            self.facts.setText("")
            return
        matter = o.hall.get_matter(s.matter_code)
        self.matter = matter
        name = matter_name(matter, lang)  # English mode: the official Chinese name heads the facts
        self.title.setText(name.main)
        fee = matter.fee
        parts = [department_name(matter, lang),
                 tr_n("承诺{days}个工作日办结", matter.promised_days, lang, days=matter.promised_days),
                 self.t(fee)]
        if lang == "zh":  # a narrow column breaks between the facts, never inside one
            parts = [unbroken(p) for p in parts]
        self.facts.setText((name.official + "\n" if name.official else "") + " · ".join(parts))
        clear_layout(self.sections)
        self.answer_buttons = {}
        self.tick_buttons = {}
        self.lack_buttons = {}
        if self.conditions_area is not None:
            self.conditions_area.setVisible(bool(matter.conditions))
        if matter.conditions:
            self.conditions.addWidget(self._conditions_card(matter.conditions))
            if self.conditions is not self.sections:
                self.conditions.addStretch(1)

        checklist = o.hall.checklist(s.matter_code, tuple(s.answers))
        box, lay = card(self.look)
        step = "②" if matter.conditions else "①"
        lay.addWidget(label(step + " " + self.t("请逐项选择“带了”或“没带”"), "h2"))
        for m in checklist.to_bring:
            lay.addLayout(self._material_row(m, True if m.id in s.ticked else False if m.id in s.lacking else None))
        if checklist.on_site:
            lay.addWidget(label(self.t("以下表格在窗口领取、现场填写，无需准备："), "muted"))
            for m in checklist.on_site:
                lay.addWidget(label(f"✓ {m.name} — " + self.t("窗口现场填写")))
        if checklist.shared:
            lay.addWidget(label(self.t("以下材料免提交（大厅内部调取）："), "muted"))
            for m in checklist.shared:
                lay.addWidget(label(f"✓ {material_name(m, lang).inline()} — " + self.t("免提交（大厅内部调取）")))
        self.sections.addWidget(box)
        self.sections.addStretch(1)
        self.show_verdict(judge(checklist, s.ticked, s.lacking))

    def _conditions_card(self, conditions: tuple[str, ...] | list[str]) -> QWidget:
        """The yes/no situations; an unanswered one shows 否 chosen, as the checklist counts it."""
        s = self.owner.session
        look = self.look
        box, lay = card(look)
        lay.addWidget(label(self.t("① 您的情况"), "h2"))
        lay.addWidget(label(self.t("请逐项选择；已预选“否”，符合的请点“是”"), "muted"))
        for cond in conditions:
            row = QHBoxLayout()
            row.setSpacing(round(12 * look.scale))
            said = name_block(condition_name(self.matter, cond, look.lang))
            if self.single:  # the situation beside its answers
                row.addWidget(said, 3)
            else:  # a narrow column: the situation above its answers
                lay.addWidget(said)
            for yes in (True, False):
                b = button(self.t("是") if yes else self.t("否"), look, role="toggle",
                           height=76 if look.portrait else 64, checkable=True)
                if self.single:
                    b.setMaximumWidth(round(150 * look.scale))
                b.setChecked((cond in s.answers) == yes)
                b.clicked.connect(lambda _=False, c=cond, y=yes: self.owner.answer(c, y))
                self.answer_buttons[(cond, yes)] = b
                row.addWidget(b, 1)
            lay.addLayout(row)
        return box

    def _material_row(self, m: Material, have: bool | None) -> QVBoxLayout | QHBoxLayout:
        """The material's name and details with its two answers, 带了 and 没带; neither is
        chosen until the citizen touches one (`have` None)."""
        look = self.look
        stacked = look.elder or not look.portrait  # a narrow column or big letters: answers under the name
        row: QVBoxLayout | QHBoxLayout = QVBoxLayout() if stacked else QHBoxLayout()
        row.setSpacing(round(10 * look.scale))
        text = QVBoxLayout()
        text.setSpacing(2)
        key = self.t("【主要】") if m.key else ""
        name = material_name(m, look.lang)
        text.addWidget(label(key + name.main, "item"))
        if name.official:  # the Chinese the clerk's checklist uses
            text.addWidget(label(name.official, "muted"))
        text.addWidget(label(material_details(m, self.t, look.lang), "muted"))
        answers = QHBoxLayout()
        answers.setSpacing(round(12 * look.scale))
        for yes in (True, False):
            b = button(("✔ " + self.t("带了")) if yes else ("✕ " + self.t("没带")), look,
                       role="toggle" if yes else "toggleNo", height=80, checkable=True)
            if not stacked:
                b.setMaximumWidth(round(170 * look.scale))
            b.setChecked(have is yes)
            b.clicked.connect(lambda _=False, i=m.id, y=yes: self.owner.tick(i, y))
            (self.tick_buttons if yes else self.lack_buttons)[m.id] = b
            answers.addWidget(b, 1)
        if stacked:
            row.addLayout(text)
            row.addLayout(answers)
        else:
            row.addLayout(answers, 0)
            row.addLayout(text, 1)
        return row

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
        self.verdict_label.setText(text)
        set_tone(self.verdict_label, tone)
        self.notice_button.setVisible(verdict.decided and not verdict.can_accept)
        o = self.owner
        if not o.can_issue:
            self.take_button.setText(self.t("暂不能打印号票：请到服务台取号或呼叫帮办") if o.hall_reachable
                                     else self.t("暂停取号：请呼叫帮办"))
            self.take_button.setEnabled(False)
        else:
            self.take_button.setEnabled(True)
            self.take_button.setText(self.t("下一步：取号") if verdict.can_accept or not verdict.decided
                                     else self.t("仍要取号咨询"))
