"""The demo hall as a real hall runs: a hall server on a loopback port owns the demo file, and
each demo terminal is registered with its role and reaches the server with its own token."""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import Hall, open_hall

# (terminal name, role, window) of each screen on the demo desk
DEMO_TERMINALS = {
    "kiosk": ("演示取号机", "kiosk", None),
    "display": ("演示显示屏", "display", None),
    "clerk": ("演示1号窗口", "clerk", 1),
    "evaluator": ("演示1号窗口评价器", "evaluator", 1),
    "admin": ("演示管理后台", "manager", None),
}


@dataclass
class DemoHall:
    hall: Hall
    server: object
    clients: dict[str, Hall] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    held: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    @classmethod
    def start(cls, db: str | Path | None) -> DemoHall:
        from hallnet.runner import BackgroundServer, hall_file_held
        from kiosk.seed import seed_demo_appointments
        from kiosk.storage import default_db_path

        held = contextlib.ExitStack()
        # a second demo on the same file would re-token the first one's terminals (they would all
        # be refused) and keep a second idea of the queue: refused as a second `serve` is
        held.enter_context(hall_file_held(Path(db or default_db_path()).resolve()))
        try:
            hall = open_hall(db, seed_demo=True)
        except BaseException:
            held.close()
            raise
        codes = seed_demo_appointments(hall)
        if codes:
            print("演示预约码（取号机“预约签到”中输入）：" + "、".join(codes), file=sys.stderr)
        tokens = {}
        known = {t.name for t in hall.terminals()}
        for screen, (name, role, window) in DEMO_TERMINALS.items():
            # a fresh token each start: the old demo tokens were never written down anywhere
            _, tokens[screen] = hall.reissue_terminal(name) if name in known else hall.add_terminal(name, role, window)
        server = BackgroundServer(hall).start()
        print(f"演示大厅服务器：{server.url}（各演示终端通过网络客户端连接）", file=sys.stderr)
        return cls(hall, server, tokens=tokens, held=held)

    @property
    def url(self) -> str:
        return self.server.url  # type: ignore[attr-defined]

    def client(self, screen: str) -> Hall:
        if screen not in self.clients:
            self.clients[screen] = open_hall(self.url, token=self.tokens[screen])
        return self.clients[screen]

    def stop(self) -> None:
        for client in self.clients.values():
            client.close()
        self.server.stop()  # type: ignore[attr-defined]
        self.hall.close()
        self.held.close()
