"""The acceptance decision as a plain function over the checklist and the clerk's findings.

All needed materials fine: accept. Only secondary materials that allow 容缺 are missing or
defective, and the applicant is not excluded: accept with pending items. Anything else -
a key material, or a secondary one the matter does not let follow later - needs a one-time
notice listing every problem at once.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.errors import NotFound
from kiosk.models import Checklist, ChecklistItem, MaterialCheck, MaterialStatus, Matter

PROBLEMS = (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE)


def checklist_for(matter: Matter, answers: tuple[str, ...] = ()) -> Checklist:
    """What this applicant must bring, given which of the matter's conditions hold for them.

    A function of the matter alone, so a kiosk holding its copy of the catalog shows the same
    checklist the hall would, also while the hall server is out of reach."""
    unknown = [a for a in answers if a not in matter.conditions]
    if unknown:
        raise NotFound(f"事项“{matter.name}”没有这个情形：{'、'.join(unknown)}")
    items = []
    for m in matter.materials:
        needed = m.required or m.condition in answers
        items.append(ChecklistItem(material=m, needed=needed, bring=needed and not m.provided_by_hall))
    return Checklist(matter=matter, answers=tuple(answers), items=tuple(items))


def complete_checks(checklist: Checklist, checks: tuple[MaterialCheck, ...]) -> tuple[MaterialCheck, ...]:
    """One check per material of the matter, filled from the catalog; unmarked needed items count as missing."""
    given = {c.material_id: c for c in checks}
    out = []
    for item in checklist.items:
        m = item.material
        if not item.needed:
            status, reason = MaterialStatus.NOT_APPLICABLE, ""
        elif m.id in given:
            status, reason = given[m.id].status, given[m.id].reason
        elif m.on_site and not m.shared:  # the window hands it out and it is filled in there
            status, reason = MaterialStatus.RECEIVED, ""
        else:
            status, reason = (MaterialStatus.SHARED if m.shared else MaterialStatus.MISSING), ""
        out.append(MaterialCheck(material_id=m.id, name=m.name, status=status, reason=reason.strip(), form=m.form,
                                 copies=m.copies, key=m.key, rongque=m.rongque, on_site=m.on_site))
    return tuple(out)


def split_problems(checks: tuple[MaterialCheck, ...], excluded: bool
                   ) -> tuple[tuple[MaterialCheck, ...], tuple[MaterialCheck, ...]]:
    """(blocking, pendable): what prevents acceptance, and what may follow later under 容缺."""
    blocking, pendable = [], []
    for c in checks:
        if c.status not in PROBLEMS or c.on_site:  # a form filled in at the window is redone there
            continue
        if c.key or not c.rongque or excluded:
            blocking.append(c)
        else:
            pendable.append(c)
    return tuple(blocking), tuple(pendable)


def unexplained_defects(checks: tuple[MaterialCheck, ...]) -> list[str]:
    """A defective material must say what is wrong: the citizen has to know what to fix."""
    return [f"“{c.name}”标为有误，请写明有误的原因" for c in checks
            if c.status is MaterialStatus.DEFECTIVE and not c.reason]


def describe(c: MaterialCheck) -> str:
    what = "缺少" if c.status is MaterialStatus.MISSING else "有误"
    reason = f"（{c.reason}）" if c.reason else ""
    kind = "主要材料" if c.key else "次要材料"
    return f"{kind}“{c.name}”{what}{reason}"


def verdict_message(blocking: tuple[MaterialCheck, ...], pendable: tuple[MaterialCheck, ...], excluded: bool) -> str:
    if blocking:
        head = "不能受理，请出具一次性告知书："
        if excluded and pendable == () and all(not c.key and c.rongque for c in blocking):
            head = "申请人在容缺受理排除名单中，不能容缺受理，请出具一次性告知书："
        return head + "；".join(describe(c) for c in blocking)
    if pendable:
        return "可以容缺受理：申请人签署承诺书后先行受理，以下材料在期限内补齐：" + "；".join(
            describe(c) for c in pendable)
    return "材料齐全，可以受理"


def what_to_bring(c: MaterialCheck, notes: str = "") -> str:
    base = f"{c.form or '原件'}{c.copies}份" if c.copies else (c.form or "原件")
    if c.status is MaterialStatus.DEFECTIVE:
        base = f"请重新提供符合要求的{c.name}，{base}"
    else:
        base = f"请携带{c.name}，{base}"
    return base + (f"。{notes}" if notes else "")


def mark_defective(check: MaterialCheck, reason: str) -> MaterialCheck:
    return replace(check, status=MaterialStatus.DEFECTIVE, reason=reason)
