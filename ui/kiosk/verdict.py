"""What the citizen's answers on the checklist mean for today: the kiosk's plain-language verdict.

Each material to bring has three states: not answered yet, 带了 (have it) and 没带 (do not
have it). Until every one is answered the kiosk judges nothing and says so in neutral words:
a citizen who has not touched the screen yet is not told they will be turned away.

The rules are the hall's (spec/domain.md): key materials can never be 容缺; when only
secondary materials the matter allows to be 容缺 are missing, the application is accepted
on an undertaking; anything else missing means it cannot be accepted today. Forms filled in
at the window and materials the hall fetches itself are never on the list to bring
(`Checklist.to_bring`), so they are never missing. The kiosk says all this before the
citizen queues, so they learn everything on the first visit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from kiosk.models import Checklist, Material


class Outcome(StrEnum):
    UNANSWERED = "unanswered"  # some materials not answered yet: no verdict
    ACCEPT = "accept"  # 可以受理
    RONGQUE = "rongque"  # 可容缺受理
    KEY_MISSING = "key_missing"  # 缺少主要材料，今天无法受理
    MISSING = "missing"  # other required material missing: cannot accept today


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    missing: tuple[Material, ...] = ()
    unanswered: tuple[Material, ...] = ()

    @property
    def can_accept(self) -> bool:
        return self.outcome in (Outcome.ACCEPT, Outcome.RONGQUE)

    @property
    def decided(self) -> bool:
        """Whether every material has been answered, so the verdict may be said."""
        return self.outcome is not Outcome.UNANSWERED


def judge(checklist: Checklist, have: Collection[int], lacking: Collection[int] | None = None) -> Verdict:
    """The verdict for the materials the citizen said they have (`have`) and do not have
    (`lacking`), by material id. With `lacking` None every material not in `have` counts as
    missing (the clerk's and the printed slip's reading)."""
    have_ids = set(have)
    to_bring = checklist.to_bring
    if lacking is not None:
        lacking_ids = set(lacking) - have_ids
        unanswered = tuple(m for m in to_bring if m.id not in have_ids and m.id not in lacking_ids)
        if unanswered:
            return Verdict(Outcome.UNANSWERED, unanswered=unanswered)
    missing = tuple(m for m in to_bring if m.id not in have_ids)
    if not missing:
        return Verdict(Outcome.ACCEPT)
    if any(m.key for m in missing):
        return Verdict(Outcome.KEY_MISSING, missing)
    if all(m.rongque for m in missing):
        return Verdict(Outcome.RONGQUE, missing)
    return Verdict(Outcome.MISSING, missing)
