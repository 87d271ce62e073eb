"""Every screen rendered to PNG offscreen, on a demo hall with a morning's activity in it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from kiosk import Hall, open_hall


def demo_activity(hall: Hall) -> None:
    """A few tickets issued, called and served, so the screens show real-looking data."""
    hall.sign_in(1, "clerk01", "demo-clerk01")
    hall.sign_in(5, "clerk02", "demo-clerk02")
    matters = hall.matters()
    for i, m in enumerate(matters[:14]):
        hall.issue_ticket(matter_code=m.code, priority="green" if i == 5 else "normal")
    for level in (5, 2):  # one thanks, one bad review the manager must follow up
        served = hall.call_next(window=1)
        if served is not None:
            hall.finish(served.id, window=1)
            hall.evaluate(served.id, level, "" if level > 2 else "等候时间太长")
    hall.call_next(window=5)
    hall.call_next(window=1)


def render_all(out_dir: Path) -> list[Path]:
    from ui import evaluator
    from ui.admin import render_screenshots as admin_shots
    from ui.app import create_application
    from ui.clerk import render_screenshots as clerk_shots
    from ui.display import render_screenshots as display_shots
    from ui.kiosk import render_screenshots as kiosk_shots
    from ui.terminal import make_context

    create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        # the clerk's and the evaluator's renderers play their own scene on the hall they get
        for render, busy in ((kiosk_shots, False), (clerk_shots, False), (evaluator.render_screenshots, False),
                             (display_shots, True), (admin_shots, True)):
            hall = open_hall(Path(tmp) / f"{render.__module__}.db", seed_demo=True)
            if busy:
                demo_activity(hall)
            ctx = make_context(hall)
            ctx.send_ticket = lambda data: None
            ctx.printer_status = lambda: (True, "打印机就绪")
            try:
                paths += render(ctx, out_dir)
            finally:
                ctx.close()
                hall.close()
    return paths
