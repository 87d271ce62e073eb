"""The hall display (叫号大屏) and its offscreen screenshots."""

from __future__ import annotations

from pathlib import Path

from ui.context import TerminalContext
from ui.display.hall_display import DEFAULT_NOTICE, HallDisplay

__all__ = ["DEFAULT_NOTICE", "HallDisplay", "render_screenshots"]


def render_screenshots(ctx: TerminalContext, out_dir: Path) -> list[Path]:
    """PNG files of the display as it stands, then after a new call and after a recall.

    Uses the calls already in `ctx.hall` (a fresh hall shows the welcome state first); the
    extra call and recall are made only if some window has a clerk and a waiting ticket.
    """
    from ui.app import create_application
    from ui.voice import Announcer
    from ui.worker import wait_for_jobs

    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    display = HallDisplay(ctx, announcer=Announcer(play_audio=False))
    display.resize(1920, 1080)
    display.show()

    def shot(name: str) -> Path:
        ctx.hall_events.drain_now()
        display.refresh_now()
        app.processEvents()
        path = out_dir / f"display_{name}.png"
        display.grab().save(str(path))
        return path

    paths = [shot("current")]
    hall = ctx.hall
    for w in hall.queue_status().windows:
        if w.clerk and not w.current and not w.paused:
            ticket = hall.call_next(w.number)
            if ticket is not None:
                display._flash_left = 0  # photograph the flash's "on" frame
                paths.append(shot("new_call"))
                hall.recall(ticket.id, w.number)
                ctx.hall_events.drain_now()
                display.hero.set_flash(True)
                paths.append(shot("recall"))
                break
    display.close()
    wait_for_jobs()
    return paths
