"""Where the Chinese font lives, for PDFs here and for the Qt screens.

One file serves both: WenQuanYi Micro Hei is TrueType (reportlab refuses the CFF outlines of
Noto Sans CJK) and carries its own Latin digits (Droid Sans Fallback prints A001 blank), so
the same lookup is shared and a machine that shows Chinese on screen also prints it.

This module imports nothing heavy: `cjk_font_path()` is a few stat calls, and `fc-match` runs
only when neither the project's own copy nor the Debian package is present.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

#: The project's own copy wins, so a hall can ship a font without touching the system.
RESOURCE_FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"

#: Where Debian / Ubuntu put the fonts (`fonts-wqy-microhei`, `fonts-wqy-zenhei`).
DEBIAN_MICROHEI = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),  # Fedora
)
DEBIAN_ZENHEI = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),
)

FAMILY = "WenQuanYi Micro Hei"
FALLBACK_FAMILY = "WenQuanYi Zen Hei"

#: Only TrueType files: an .otf with CFF outlines would load in Qt but fail in reportlab.
_FONT_SUFFIXES = (".ttc", ".ttf")


class FontNotFound(RuntimeError):
    """No usable Chinese font: the message says, in Chinese, which package to install."""


def _resource_font() -> Path | None:
    if not RESOURCE_FONTS.is_dir():
        return None
    files = sorted(p for p in RESOURCE_FONTS.iterdir() if p.suffix.lower() in _FONT_SUFFIXES and p.is_file())
    # Prefer a Micro Hei file when several are shipped; otherwise the first in name order.
    for p in files:
        if "microhei" in p.name.lower():
            return p
    return files[0] if files else None


def _fc_match(family: str) -> Path | None:
    """Ask fontconfig, but only trust the answer if it is the family we asked for.

    fc-match never says "no": it answers with its best substitute (often DejaVu Sans, which
    has no hanzi at all), so the returned family is checked before the file is used.
    """
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{family}\n%{file}", family],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = out.partition("\n")
    path = Path(file.strip())
    if family.lower() in families.lower() and path.suffix.lower() in _FONT_SUFFIXES and path.is_file():
        return path
    return None


def cjk_font_path() -> Path:
    """The Chinese font file to use: resources/fonts/, then the wqy packages, then fontconfig.

    Raises FontNotFound with an installable answer rather than letting reportlab or Qt fall
    back to boxes, which would only be noticed once a citizen holds an unreadable receipt.
    """
    found = _resource_font()
    if found:
        return found
    for p in DEBIAN_MICROHEI:
        if p.is_file():
            return p
    found = _fc_match(FAMILY)
    if found:
        return found
    raise FontNotFound(
        "找不到中文字体“文泉驿微米黑”(WenQuanYi Micro Hei)，回执和告知书无法打印中文。"
        "请安装系统软件包 fonts-wqy-microhei（sudo apt-get install fonts-wqy-microhei），"
        f"或将 wqy-microhei.ttc 放入 {RESOURCE_FONTS}"
    )


def fallback_font_path() -> Path | None:
    """WenQuanYi Zen Hei if installed: it covers much of CJK Extension A that Micro Hei lacks.

    Optional by design: without it, characters no font can draw are shown as [U+XXXX].
    """
    for p in DEBIAN_ZENHEI:
        if p.is_file():
            return p
    return _fc_match(FALLBACK_FAMILY)
