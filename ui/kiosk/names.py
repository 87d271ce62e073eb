"""Which name a kiosk screen shows for a matter, material, condition, department or category.

In English mode the catalog's English name is shown, with the official Chinese name beside it
in smaller text: the citizen reads the English, and shows or says the Chinese to the clerk,
whose screens and forms use only the official name. Without an English name (a catalog that
has none) the Chinese is shown alone, as in Chinese mode. Every screen asks here, so the rule
is the same on the matter list, the checklist and the ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.errors import HallError
from kiosk.models import Category, Material, Matter, Ticket
from ui.kiosk.widgets import label


@dataclass(frozen=True)
class Name:
    """What to show large, and the official Chinese to show small beside it ("" when `main` is it)."""

    main: str
    official: str = ""

    def inline(self, lang: str = "en") -> str:
        """One line for running text: "Business license (营业执照)", or the Chinese alone."""
        if not self.official:
            return self.main
        return f"{self.main}（{self.official}）" if lang == "zh" else f"{self.main} ({self.official})"

    def lines(self) -> str:
        """Two lines, the official Chinese under the English (for a single label or button)."""
        return f"{self.main}\n{self.official}" if self.official else self.main


def pick(chinese: str, english: str, lang: str) -> Name:
    """The English with the Chinese beside it in English mode, when there is an English name."""
    if lang == "en" and english.strip():
        return Name(english.strip(), chinese)
    return Name(chinese)


def matter_name(matter: Matter, lang: str) -> Name:
    return pick(matter.name, matter.name_en, lang)


def material_name(material: Material, lang: str) -> Name:
    return pick(material.name, material.name_en, lang)


def condition_name(matter: Matter, condition: str, lang: str) -> Name:
    """A condition as the citizen answers it; its English is on the materials that carry it."""
    english = next((m.condition_en for m in matter.materials if m.condition == condition and m.condition_en), "")
    return pick(condition, english, lang)


def department_name(matter: Matter, lang: str) -> str:
    """The department in the citizen's language; the clerk needs the matter's name, not this one."""
    return pick(matter.department, matter.department_en, lang).main


def category_name(category: Category | None, lang: str, fallback: str = "") -> str:
    """A queue category's name (its ticket prefix is what the clerk goes by)."""
    if category is None:
        return fallback
    return pick(category.name, category.name_en, lang).main


def ticket_matter_name(matter: Callable[[str], Matter], ticket: Ticket, lang: str) -> Name:
    """The ticket's matter as the citizen reads it; the ticket itself keeps only the Chinese.
    `matter(code)` looks the matter up (the kiosk's catalog copy: no read of the hall)."""
    if lang != "en" or not ticket.matter_code:
        return Name(ticket.matter_name)
    try:
        return matter_name(matter(ticket.matter_code), lang)
    except HallError:  # the catalog changed since: the name on the ticket still stands
        return Name(ticket.matter_name)


def name_block(name: Name, role: str = "body", official_role: str = "muted", **label_args) -> QWidget:
    """The name in `role` with the official Chinese under it in the smaller `official_role`.

    `block.main` and `block.official` are the two labels (`official` is None without one).
    """
    block = QWidget()
    lay = QVBoxLayout(block)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    block.main = label(name.main, role, **label_args)  # type: ignore[attr-defined]
    lay.addWidget(block.main)  # type: ignore[attr-defined]
    official: QLabel | None = None
    if name.official:
        official = label(name.official, official_role, **label_args)
        official.setObjectName("officialName")
        lay.addWidget(official)
    block.official = official  # type: ignore[attr-defined]
    return block
