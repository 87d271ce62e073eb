"""What the ticks on the checklist mean for today: the kiosk's plain-language verdict.

The rules are the hall's (spec/domain.md): key materials can never be 容缺; when only
secondary materials the matter allows to be 容缺 are missing, the application is accepted
on an undertaking; anything else missing means it cannot be accepted today. The kiosk says
so before the citizen queues, so they learn everything on the first visit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.models import Checklist, Material


class Outcome(StrEnum):
    ACCEPT = "accept"  # 可以受理
    RONGQUE = "rongque"  # 可容缺受理
    KEY_MISSING = "key_missing"  # 缺少主要材料，今天无法受理
    MISSING = "missing"  # other required material missing: cannot accept today


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    missing: tuple[Material, ...] = ()

    @property
    def can_accept(self) -> bool:
        return self.outcome in (Outcome.ACCEPT, Outcome.RONGQUE)


def judge(checklist: Checklist, ticked: set[int] | frozenset[int] | tuple[int, ...]) -> Verdict:
    """The verdict for the materials the citizen has ticked (ids), among those they must bring."""
    have = set(ticked)
    missing = tuple(m for m in checklist.to_bring if m.id not in have)
    if not missing:
        return Verdict(Outcome.ACCEPT)
    if any(m.key for m in missing):
        return Verdict(Outcome.KEY_MISSING, missing)
    if all(m.rongque for m in missing):
        return Verdict(Outcome.RONGQUE, missing)
    return Verdict(Outcome.MISSING, missing)
