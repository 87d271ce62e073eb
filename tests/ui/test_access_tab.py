"""The console's 查阅记录: on a networked hall the manager sees who looked at which citizen's
record from which PC; on a hall run on one PC the tab says that nothing is recorded there,
instead of an empty list that would read as "nobody looked"."""

from __future__ import annotations

import httpx
import pytest
from lan_link import Link
from PySide6.QtCore import Qt

from kiosk.models import MaterialCheck, MaterialStatus


@pytest.fixture
def link(qtbot, hall):
    hall.save_staff("boss", "周主任", "manager", "boss-pass-1")
    link = Link(hall, "管理后台", "manager")
    yield link
    link.close()


def test_the_manager_sees_which_clerk_looked_at_an_application_from_which_pc(qtbot, link):
    from ui.admin import AdminConsole

    hall = link.hall
    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    number = hall.accept(matter_code="A-001", checks=checks, applicant_name="张三",
                         applicant_id="11010519491231002X", phone="13800001234").number
    clerk_token = hall.add_terminal("1号窗口电脑", "clerk", 1)[1]
    looked = httpx.post(f"{link.server.url}/api/get_application", json={"number": number},
                        headers={"Authorization": f"Bearer {clerk_token}"}, timeout=10)
    assert looked.status_code == 200
    qtbot.waitUntil(lambda: bool(hall.access_records()), timeout=5000)

    boss = link.client.authenticate("boss", "boss-pass-1")  # as the console's login dialog does
    console = AdminConsole(link.ctx, boss)
    qtbot.addWidget(console)
    tab = console.access
    assert not tab.search.isHidden()
    tab.subject.setText(number[-6:])
    qtbot.mouseClick(tab.search, Qt.MouseButton.LeftButton)
    rows = [[tab.table.item(r, c).text() for c in range(tab.table.columnCount())] for r in range(tab.table.rowCount())]
    assert [row[1:] for row in rows] == [["1号窗口电脑", "王晓燕（clerk1）", "查看办件", number]]
    assert "共 1 条" in tab.count.text()

    tab.staff.setText("boss")  # nobody else's: the manager's own reading of the list is recorded too
    qtbot.mouseClick(tab.search, Qt.MouseButton.LeftButton)
    assert tab.table.rowCount() == 0


def test_a_hall_on_one_pc_says_it_records_no_reading(qtbot, hall):
    from ui.admin import AdminConsole
    from ui.app import create_application
    from ui.context import TerminalContext
    from ui.worker import drain_jobs

    create_application()
    ctx = TerminalContext(hall)
    try:
        hall.save_staff("boss", "周主任", "manager", "boss-pass-1")
        console = AdminConsole(ctx, hall.authenticate("boss", "boss-pass-1"))
        qtbot.addWidget(console)
        tab = console.access
        assert tab.search.isHidden() and tab.table.isHidden() and tab.table.rowCount() == 0
        assert any("不记录查阅" in label.text() for label in tab.findChildren(type(tab.count)))
    finally:
        drain_jobs()  # the console's first reads end here, before the hall fixture closes the hall
        ctx.close()

