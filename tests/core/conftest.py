"""The facade-level tests run twice: on the in-process hall and through the client against a
live hall server on a loopback port. Any difference between the two is a bug in the client."""

from __future__ import annotations

import pytest

BACKING = pytest.StashKey[object]()


@pytest.fixture(params=["in_process", "over_network"])
def hall(request: pytest.FixtureRequest, hall):
    """The facade under test; the parent `hall` fixture is the in-process hall behind it."""
    request.node.stash[BACKING] = hall
    if request.param == "in_process":
        yield hall
        return
    from hallnet.runner import BackgroundServer
    from kiosk import open_hall

    _, token = hall.add_terminal("测试管理台", "manager")
    with BackgroundServer(hall, daily_jobs=False) as server:
        client = open_hall(server.url, token=token)
        try:
            yield client
        finally:
            client.close()


@pytest.fixture
def backing(request: pytest.FixtureRequest, hall):
    """The in-process hall behind `hall`: for tests that look into its storage."""
    return request.node.stash[BACKING]
