"""The clerk workbench: queue actions, material check and acceptance at one window."""

from __future__ import annotations

from ui.clerk.screenshots import render_screenshots
from ui.clerk.workbench import ClerkWorkbench

__all__ = ["ClerkWorkbench", "render_screenshots"]
