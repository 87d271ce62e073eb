"""The material check as a clerk works it: F9 takes only what is still unanswered, and the whole
check (status, reason, the applicant) can be done from the keyboard, every key shown on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_clerk_workbench import MATTER, ctx, fill_applicant, open_workbench  # noqa: F401 - ctx is a fixture

from kiosk.models import MaterialStatus


def _serving(qtbot, ctx, wb):  # noqa: F811 - ctx is the fixture's value
    t = ctx.hall.issue_ticket(matter_code=MATTER, holder_name="张伟")
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    qtbot.keyClick(wb, Qt.Key.Key_F6)
    return t


def _statuses(table) -> dict[int, MaterialStatus | None]:
    return {m.id: cell.status() for m, cell, _r in table._rows}


def test_f9_takes_only_the_materials_not_yet_answered(qtbot, ctx):  # noqa: F811
    wb = open_workbench(qtbot, ctx)
    _serving(qtbot, ctx, wb)
    table = wb.acceptance.table
    place = next(m for m, _c, _r in table._rows if m.rongque)  # 经营场所使用证明, may be 容缺
    table.set_status(place.id, MaterialStatus.MISSING, "租赁合同未带")
    qtbot.keyClick(wb, Qt.Key.Key_F9)  # 全部收取: the others
    after = _statuses(table)
    assert after[place.id] is MaterialStatus.MISSING  # the clerk's 缺 stays, with its reason
    assert all(st is MaterialStatus.RECEIVED for mid, st in after.items() if mid != place.id)
    assert next(r for m, _c, r in table._rows if m.id == place.id).text() == "租赁合同未带"
    fill_applicant(wb)
    assert wb.acceptance.outcome() == "accept_pending"  # not turned into a plain 受理
    assert "尚未核验" in wb.acceptance.all_received.toolTip()
