"""Ticket printer profiles: what one model of ESC/POS printer can do.

Cheap kiosk printers differ in exactly the ways that ruin a ticket: the character set they
have in ROM (GBK only, full GB18030, or UTF-8), whether they render QR codes themselves, and
whether they have a cutter. A profile names those facts once, so the builder never guesses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["gb18030", "gbk", "utf-8"]
Cut = Literal["full", "partial", "none"]

#: Characters per line in font A (12 x 24 dots) on the usual print widths: 384 and 576 dots.
_CHARS_PER_LINE = {58: 32, 80: 48}
#: Printable dots per line: the raster QR must fit in it.
_DOTS_PER_LINE = {58: 384, 80: 576}


@dataclass(frozen=True)
class PrinterProfile:
    """One printer model as the ticket builder needs to know it.

    encoding: "gb18030" prints the whole of GB18030 (four-byte sequences included), "gbk" only
    the two-byte part (so e.g. U+00A5 and Extension A must be substituted), "utf-8" printers
    take UTF-8 and no FS & at all.
    native_qr: False means the printer ignores GS ( k, so the QR is sent as a GS v 0 raster.
    """

    name: str
    paper_mm: int = 80
    encoding: Encoding = "gb18030"
    native_qr: bool = True
    cut: Cut = "partial"
    qr_module: int = 6  # dots per QR module (GS ( k function 167, 1..16)
    feed_lines: int = 4  # lines fed before the cut so the QR clears the cutter

    def __post_init__(self) -> None:
        if self.paper_mm not in _CHARS_PER_LINE:
            raise ValueError(f"不支持的纸宽 {self.paper_mm} mm（应为 58 或 80）")
        if self.encoding not in ("gb18030", "gbk", "utf-8"):
            raise ValueError(f"不支持的打印机编码 {self.encoding}")
        if self.cut not in ("full", "partial", "none"):
            raise ValueError(f"不支持的切纸方式 {self.cut}")
        if not 1 <= self.qr_module <= 16:
            raise ValueError("二维码模块大小应为 1 到 16")

    @property
    def chars_per_line(self) -> int:
        """Half-width columns per line; a hanzi takes two."""
        return _CHARS_PER_LINE[self.paper_mm]

    @property
    def dots_per_line(self) -> int:
        return _DOTS_PER_LINE[self.paper_mm]

    @property
    def two_byte(self) -> bool:
        """Whether the printer needs FS & (Chinese two-byte mode) before GB text."""
        return self.encoding in ("gb18030", "gbk")


PROFILES: dict[str, PrinterProfile] = {
    p.name: p
    for p in (
        PrinterProfile("generic-80", paper_mm=80, encoding="gb18030", native_qr=True, cut="partial"),
        PrinterProfile("generic-58", paper_mm=58, encoding="gb18030", native_qr=True, cut="partial",
                       qr_module=5),
        PrinterProfile("gbk-80", paper_mm=80, encoding="gbk", native_qr=True, cut="full"),
        PrinterProfile("gbk-58-raster", paper_mm=58, encoding="gbk", native_qr=False, cut="none",
                       qr_module=5),
        PrinterProfile("utf8-80", paper_mm=80, encoding="utf-8", native_qr=True, cut="partial"),
    )
}

DEFAULT_PROFILE = "generic-80"


def get_profile(name: str) -> PrinterProfile:
    """A named profile, or a ValueError listing the known names (for the command line)."""
    try:
        return PROFILES[name]
    except KeyError:
        known = "、".join(PROFILES)
        raise ValueError(f"未知的打印机型号配置 {name!r}；可选：{known}") from None
