"""Say clearly when there is no screen, before Qt aborts the process.

With no display and QT_QPA_PLATFORM unset, Qt prints a plugin trace and SIGABRTs, which
Python cannot catch; so the run commands check first. Imports nothing from Qt.
"""

from __future__ import annotations

import os
import sys

NO_DISPLAY_MESSAGE = (
    "没有可用的显示器（DISPLAY 未设置）：请在图形桌面中运行，或安装 xvfb 后用 `xvfb-run -a make run`；"
    "只想看界面截图可运行 `make screenshots`。"
)


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the caller chose a platform (offscreen, xcb, wayland, ...)
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def require_display() -> bool:
    """True when a screen is there; otherwise print the one-line explanation and return False."""
    if has_display():
        return True
    print(NO_DISPLAY_MESSAGE, file=sys.stderr)
    return False
