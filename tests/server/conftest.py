"""A real hall server on a loopback port over the shared test hall, with one terminal per role
and the manager signed in on its console."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

# (terminal name, role, window) registered on the hall behind every `served` server
TERMINALS = {
    "kiosk": ("取号机A", "kiosk", None),
    "display": ("大厅显示屏", "display", None),
    "manager": ("管理后台", "manager", None),
    "clerk1": ("1号窗口工作台", "clerk", 1),
    "clerk2": ("2号窗口工作台", "clerk", 2),
    "evaluator1": ("1号窗口评价器", "evaluator", 1),
    "evaluator2": ("2号窗口评价器", "evaluator", 2),
}


@dataclass
class Served:
    hall: object  # the in-process hall the server owns
    server: object  # hallnet.runner.BackgroundServer
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def served(hall):
    """The `hall` fixture behind a live BackgroundServer (no daily jobs), with a token per role;
    the manager `admin` is signed in on the console (`tokens["manager"]`)."""
    from server_support import MANAGER, sign_in_manager

    from hallnet.runner import BackgroundServer

    hall.save_staff(MANAGER[0], "陈建华", "manager", MANAGER[1])
    tokens = {key: hall.add_terminal(name, role, window)[1] for key, (name, role, window) in TERMINALS.items()}
    server = BackgroundServer(hall, daily_jobs=False).start()
    try:
        sign_in_manager(server.url, tokens["manager"])
        yield Served(hall, server, tokens)
    finally:
        server.stop()
