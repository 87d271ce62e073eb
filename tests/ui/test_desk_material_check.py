"""The material check as a clerk works it: F9 takes only what is still unanswered, and the whole
check (status, reason, the applicant) can be done from the keyboard, every key shown on screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_clerk_workbench import MATTER, fill_applicant, open_workbench

from kiosk.models import MaterialStatus


def _serving(qtbot, demo_ctx, wb):  # noqa: F811 - demo_ctx is the fixture's value
    t = demo_ctx.hall.issue_ticket(matter_code=MATTER, holder_name="张伟")
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    qtbot.keyClick(wb, Qt.Key.Key_F6)
    return t


def _statuses(table) -> dict[int, MaterialStatus | None]:
    return {m.id: cell.status() for m, cell, _r in table._rows}


def test_f9_takes_only_the_materials_not_yet_answered(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    _serving(qtbot, demo_ctx, wb)
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


def _tab_until(qtbot, start, target, key=Qt.Key.Key_Tab, limit=60) -> list:
    """Press Tab from `start` until `target` has the focus; the widgets passed on the way."""
    start.setFocus()
    path = []
    for _ in range(limit):
        w = QApplication.focusWidget()
        if w is target:
            return path
        path.append(w)
        qtbot.keyClick(w, key)
    raise AssertionError(f"never reached {target.objectName()}: {[x.objectName() for x in path]}")


def test_tab_moves_through_the_whole_panel_not_cell_by_cell(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    _serving(qtbot, demo_ctx, wb)
    panel = wb.acceptance
    path = _tab_until(qtbot, panel.matter, panel.applicant.name)
    assert path.count(panel.table) == 1  # one stop, not one per cell
    qtbot.keyClick(wb, Qt.Key.Key_F9)
    fill_applicant(wb)
    after = _tab_until(qtbot, panel.applicant.name, panel.accept_btn)  # on to the decision
    assert panel.applicant.phone in after and panel.table not in after
    back = _tab_until(qtbot, panel.applicant.name, panel.table, key=Qt.Key.Key_Backtab)
    assert len(back) <= 4  # Shift+Tab goes back the same way


def test_the_focused_row_takes_its_result_and_reason_by_keyboard(qtbot, demo_ctx):  # noqa: F811
    wb = open_workbench(qtbot, demo_ctx)
    _serving(qtbot, demo_ctx, wb)
    panel, table = wb.acceptance, wb.acceptance.table
    qtbot.keyClick(wb, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # Ctrl+M: the table
    assert QApplication.focusWidget() is table and table.currentRow() == 0
    rows = table._rows
    qtbot.keyClick(table, Qt.Key.Key_1)  # 收取
    assert rows[0][1].status() is MaterialStatus.RECEIVED and QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_3)  # 有误: straight into its reason
    reason = rows[1][2]
    assert rows[1][1].status() is MaterialStatus.DEFECTIVE and QApplication.focusWidget() is reason
    qtbot.keyClicks(reason, "copy unclear")
    qtbot.keyClick(reason, Qt.Key.Key_Return)  # back to the table, on the next row
    assert reason.text() == "copy unclear"
    assert QApplication.focusWidget() is table and table.currentRow() == 2
    qtbot.keyClick(table, Qt.Key.Key_2)  # 缺
    assert rows[2][1].status() is MaterialStatus.MISSING and QApplication.focusWidget() is rows[2][2]
    qtbot.keyClicks(rows[2][2], "not brought")
    qtbot.keyClick(rows[2][2], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table and table.currentRow() == 2
    assert panel.table.unchecked() == [] and panel.outcome() == "refuse"

    qtbot.keyClick(wb, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Ctrl+N: the applicant
    assert QApplication.focusWidget() is panel.applicant.name

    # every key is on the screen
    assert panel.applicant.name_key.text() == "Ctrl+N" and panel.applicant.name_key.isVisible()
    headings = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert "Ctrl+M" in headings[1] and "1 2 3 4" in headings[3] and "Enter" in headings[4]
