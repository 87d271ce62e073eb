"""The manager's console as the UI tests open it."""

from __future__ import annotations


def open_console(qtbot, ctx, tab: str = ""):
    """The manager's console on `ctx`, signed in as the demo hall's manager, on `tab` if named."""
    from kiosk.models import Staff
    from ui.admin import AdminConsole
    from ui.worker import wait_for_jobs

    console = AdminConsole(ctx, Staff(login="admin", name="陈建华", role="manager"))
    qtbot.addWidget(console)
    if tab:
        console.show()
        console.tabs.setCurrentWidget(getattr(console, tab))
    wait_for_jobs()
    return console
