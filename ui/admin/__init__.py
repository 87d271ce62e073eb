"""The hall manager's console and its offscreen screenshots."""

from __future__ import annotations

from pathlib import Path

from ui.admin.console import AdminConsole
from ui.context import TerminalContext

__all__ = ["AdminConsole", "render_screenshots"]


def render_screenshots(ctx: TerminalContext, out_dir: Path, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    """One PNG per tab, each showing the hall's data (a matter with its checklist, a year's
    calendar, a report), plus a refused edit so the error state is seen too."""
    from ui.app import create_application
    from ui.worker import wait_for_jobs

    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    hall = ctx.hall
    manager = next((s for s in hall.staff() if s.role == "manager" and s.active), None)
    if manager is None:
        raise ValueError("大厅中没有可用的管理员账号")
    if not hall.terminals():  # the hall's PCs as a hall in use has them
        windows = hall.windows()
        hall.add_terminal("大厅取号机A", "kiosk", place="一楼东侧入口", by=manager.login)
        if windows:
            hall.add_terminal(f"{windows[0].number}号窗口工作台", "clerk", windows[0].number, by=manager.login)
            hall.add_terminal(f"{windows[0].number}号窗口评价器", "evaluator", windows[0].number, by=manager.login)
        hall.add_terminal("大厅显示屏", "display", place="大厅北墙", by=manager.login)
    console = AdminConsole(ctx, manager)
    console.resize(*size)
    console.show()
    matters = hall.matters()
    if matters:
        rich = max(matters, key=lambda m: len(m.materials))
        console.catalog.select_matter(rich.code)
        conditional = next((i for i, m in enumerate(rich.materials) if m.condition), 0)
        console.catalog.mat_table.setCurrentCell(conditional, 0)  # its English, and its condition's, under the table
    windows = hall.windows()
    if windows:
        console.windows.edit_window(windows[-1].number)
    console.staff_tab.edit_account(manager.login)
    waiting = [r for r in hall.bad_reviews() if r.status == "open"]
    if waiting:  # a review with something to do, its next step shown
        console.reviews.select(waiting[0].id)
    years = hall.calendar_years() if console.calendar.available else []
    if years:
        console.calendar.view_year(years[-1][0])
    if console.reports.has_report:
        console.reports.make_report_now(hall.today(), hall.today())
    console.reports.refresh_today_now()

    def shot(name: str) -> Path:
        wait_for_jobs()
        app.processEvents()
        path = out_dir / f"admin_{name}.png"
        console.grab().save(str(path))
        return path

    names = ("board", "catalog", "windows", "staff", "terminals", "settings", "calendar", "reports", "reviews", "access")
    paths = []
    for i, name in enumerate(names):
        console.tabs.setCurrentIndex(i)
        if name == "board":
            console.board.reload_now()
        if name == "reports":
            wait_for_jobs()
            console.reports.refresh_today_now()
        paths.append(shot(name))
    console.tabs.setCurrentWidget(console.terminals)
    console.terminals.new_terminal()
    console.terminals.f_name.setText("二楼取号机B")
    console.terminals.f_place.setText("二楼电梯口")
    if console.terminals.save() and console.terminals.token_dialog is not None:
        dialog = console.terminals.token_dialog
        app.processEvents()
        path = out_dir / "admin_terminals_token.png"
        dialog.grab().save(str(path))
        paths.append(path)
        dialog.accept()
    console.tabs.setCurrentWidget(console.catalog)
    key = next((r for r in range(console.catalog.mat_table.rowCount())
                if console.catalog.mat_table.item(r, 5).checkState().value), None)
    if key is not None:  # the refusal a manager meets most: 容缺 on a key material
        console.catalog.set_material_flag(key, "rongque", True)
        console.catalog.save_matter()
        paths.append(shot("catalog_refused"))
        console.catalog.select_matter(console.catalog.matter.code)  # type: ignore[union-attr]
    console.close()
    wait_for_jobs()
    return paths
