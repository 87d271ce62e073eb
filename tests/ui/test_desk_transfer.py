"""F4 offers only windows someone will call the citizen from: a closed window is not listed, one
nobody is signed in at is shown as unavailable and cannot be chosen, a paused one says 暂停; and
if the hall still refuses (the clerk there signed out meanwhile) the desk says why in words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from test_clerk_workbench import MATTER, open_workbench, pump

from kiosk.models import TicketStatus, Window


def test_f4_offers_only_windows_someone_calls_from(qtbot, demo_ctx, monkeypatch):  # noqa: F811
    from ui.clerk import dialogs

    hall = demo_ctx.hall
    hall.sign_in(2, "clerk02", "demo-clerk02")
    hall.sign_in(4, "clerk04", "demo-clerk04")
    hall.pause_window(4, "clerk04")
    w12 = next(w for w in hall.windows() if w.number == 12)
    hall.save_window(Window(12, w12.name, w12.categories, active=False))
    wb = open_workbench(qtbot, demo_ctx)
    t = hall.issue_ticket(matter_code=MATTER)
    qtbot.keyClick(wb, Qt.Key.Key_F1)
    assert wb.ticket is not None and wb.ticket.id == t.id

    seen = {}

    def look(self):
        seen["dialog"] = self
        seen["listed"] = {self.window.itemData(i): self.window.itemText(i) for i in range(1, self.window.count())}
        model = self.window.model()
        seen["selectable"] = [self.window.itemData(i) for i in range(1, self.window.count())
                              if model.item(i).flags() & Qt.ItemFlag.ItemIsEnabled]
        self.choose(window=5)  # nobody at 5: the list does not take it
        seen["chosen"] = self.choice()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs.TransferDialog, "exec", look)
    qtbot.keyClick(wb, Qt.Key.Key_F4)
    listed, selectable = seen["listed"], seen["selectable"]
    assert 12 not in listed and 3 not in listed  # closed, and this desk's own window
    assert sorted(selectable) == [2, 4]
    assert "无人登录" in listed[5] and "不可转入" in listed[5]
    assert "暂停" in listed[4] and "无人登录" not in listed[2] and "暂停" not in listed[2]
    assert seen["chosen"] == ("", None)
    assert hall.get_ticket(t.id).status is TicketStatus.CALLED  # nothing moved

    # the clerk at 2 signs out between the list and the choice: the hall refuses, the desk says why
    hall.sign_out(2)
    pump(demo_ctx)
    assert wb.transfer(to_window=2) is None
    assert "无人登录" in wb.last_message
    assert wb.ticket is not None and hall.get_ticket(t.id).target_window is None
