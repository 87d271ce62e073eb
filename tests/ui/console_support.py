"""The manager's console as the UI tests open it."""

from __future__ import annotations

# the demo hall's manager
MANAGER_LOGIN = ("admin", "demo-admin")


def sign_in(hall, login: str = MANAGER_LOGIN[0], password: str = MANAGER_LOGIN[1]):
    """The manager signs in as the console's login dialog has them do; on a hall server the
    console's token alone does nothing beyond what every terminal reads. Returns the account."""
    return hall.authenticate(login, password)


def open_console(qtbot, ctx, tab: str = ""):
    """The manager's console on `ctx`, signed in as the demo hall's manager, on `tab` if named."""
    from ui.admin import AdminConsole
    from ui.worker import wait_for_jobs

    console = AdminConsole(ctx, sign_in(ctx.hall))
    qtbot.addWidget(console)
    if tab:
        console.show()
        console.tabs.setCurrentWidget(getattr(console, tab))
    wait_for_jobs()
    return console
