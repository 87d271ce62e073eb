"""One terminal PC on a real hall server on loopback, which a test stops and starts again on the
same port (a restarted server or a pulled cable, as the terminal sees it)."""

from __future__ import annotations

from hallnet.client import HallClient
from hallnet.runner import BackgroundServer
from ui.context import TerminalContext
from ui.worker import drain_jobs


class Link:
    def __init__(self, hall, name: str, role: str, window: int | None = None) -> None:
        from ui.app import create_application

        create_application()
        self.hall = hall
        self.token = hall.add_terminal(name, role, window)[1]
        self.server = BackgroundServer(hall, daily_jobs=False).start()
        self.port = self.server.port
        self.client = HallClient(self.server.url, self.token)
        self.ctx = TerminalContext(self.client)

    def lose(self) -> None:
        self.server.stop()

    def restore(self) -> None:
        self.server = BackgroundServer(self.hall, port=self.port, daily_jobs=False).start()

    def close(self) -> None:
        drain_jobs()
        self.ctx.close()
        self.client.close()
        self.server.stop()
