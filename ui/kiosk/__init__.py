"""The citizen kiosk: choose a matter, learn its checklist, show an ID card, take a ticket.

`KioskWindow` is the screen; `render_screenshots` draws every screen offscreen for review
(`python main.py screenshot --out DIR`).
"""

from __future__ import annotations

from ui.kiosk.screenshots import render_screenshots
from ui.kiosk.window import KioskWindow

__all__ = ["KioskWindow", "render_screenshots"]
