"""A real hall server on a loopback port over the shared test hall, with one terminal per role."""

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
    """The `hall` fixture behind a live BackgroundServer (no daily jobs), with a token per role."""
    from hallnet.runner import BackgroundServer

    tokens = {key: hall.add_terminal(name, role, window)[1] for key, (name, role, window) in TERMINALS.items()}
    server = BackgroundServer(hall, daily_jobs=False).start()
    try:
        yield Served(hall, server, tokens)
    finally:
        server.stop()
