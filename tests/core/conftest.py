"""The facade-level tests run twice: on the in-process hall and through the client against a
live hall server on a loopback port. Any difference between the two is a bug in the client."""

from __future__ import annotations

import pytest

BACKING = pytest.StashKey[object]()
# the demo hall's manager, signed in on the console the facade is reached through
MANAGER = ("admin", "陈建华", "demo-admin")


def signed_in_console(client) -> None:
    """Reach the hall as a console whose manager has signed in, and signs in again when the
    server asks (`SignInNeeded`: a test's clock crossed midnight, which ends the day's session),
    as the console's login dialog has the manager do. The refusal changed nothing, so the call
    is then made once more."""
    from kiosk.errors import SignInNeeded

    call = client._call

    def call_signed_in(method, args, kwargs):
        try:
            return call(method, args, kwargs)
        except SignInNeeded:
            client.authenticate(MANAGER[0], MANAGER[2])
            return call(method, args, kwargs)

    client._call = call_signed_in
    client.authenticate(MANAGER[0], MANAGER[2])  # the console's token alone is no manager


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
    hall.save_staff(MANAGER[0], MANAGER[1], "manager", MANAGER[2])
    with BackgroundServer(hall, daily_jobs=False) as server:
        client = open_hall(server.url, token=token)
        try:
            signed_in_console(client)
            yield client
        finally:
            client.close()


@pytest.fixture
def backing(request: pytest.FixtureRequest, hall):
    """The in-process hall behind `hall`: for tests that look into its storage."""
    return request.node.stash[BACKING]
