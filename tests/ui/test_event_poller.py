"""Terminals in separate programs on one hall file see each other's events."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk import open_hall  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.terminal import make_context  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402


def test_a_call_made_by_another_program_reaches_this_terminal_once(qtbot, tmp_path):
    create_application()
    path = tmp_path / "hall.db"
    display_side = open_hall(path, seed_demo=True, durable=False)
    clerk_side = open_hall(path, durable=False)  # stands for the clerk's own program
    ctx = make_context(display_side)
    ctx.follow_other_terminals(interval_ms=50)
    seen = []
    ctx.hall_events.event.connect(seen.append)
    try:
        display_side.issue_ticket(category="A")  # this process: delivered by the local bus only
        clerk_side.sign_in(1, "clerk01", "demo-clerk01")
        called = clerk_side.call_next(window=1)
        qtbot.waitUntil(lambda: any(e.kind == "TicketCalled" for e in seen), timeout=3000)
        qtbot.wait(200)  # a few more polls: nothing is delivered twice
        kinds = [e.kind for e in seen]
        assert kinds.count("TicketIssued") == 1 and kinds.count("TicketCalled") == 1
        call = next(e for e in seen if e.kind == "TicketCalled")
        assert (call.ticket_number, call.window) == (called.number, 1)
    finally:
        ctx.close()
        drain_jobs()  # a poll under way when the poller stopped ends here, not in the next test
        clerk_side.close()
        display_side.close()
