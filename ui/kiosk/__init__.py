"""The citizen kiosk: choose a matter, learn its checklist, show an ID card, take a ticket.

`KioskWindow` is the screen; `render_screenshots` draws every screen offscreen for review
(`python main.py screenshot --out DIR`). The screenshot scene is imported only when asked
for: a kiosk starting up does not need its sample cards and tickets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ui.kiosk.window import KioskWindow

if TYPE_CHECKING:
    from ui.kiosk.screenshots import render_screenshots

__all__ = ["KioskWindow", "render_screenshots"]


def __getattr__(name: str) -> object:
    if name == "render_screenshots":
        from ui.kiosk.screenshots import render_screenshots

        return render_screenshots
    raise AttributeError(f"module 'ui.kiosk' has no attribute {name!r}")
