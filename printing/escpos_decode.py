"""Read ESC/POS bytes back into commands and text, so tests can check a ticket as a printer would.

Strict on purpose: an unknown command, a truncated one, or GB text sent while the printer is
not in two-byte mode raises ValueError with the offset. Those are exactly the faults that
print garbage on a real printer and pass unnoticed in a byte-length test.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Command:
    """One printer command. `args` are its parameter bytes, `data` any payload it carries."""

    name: str
    args: tuple[int, ...] = ()
    data: bytes = b""


@dataclass(frozen=True)
class Text:
    text: str


Item = Command | Text

# Fixed-length commands: prefix -> (name, number of parameter bytes).
_FIXED: dict[bytes, tuple[str, int]] = {
    b"\x1b@": ("init", 0),
    b"\x1c&": ("cn_on", 0),
    b"\x1c.": ("cn_off", 0),
    b"\x1c!": ("cn_mode", 1),
    b"\x1b!": ("mode", 1),
    b"\x1d!": ("size", 1),
    b"\x1ba": ("align", 1),
    b"\x1bE": ("bold", 1),
    b"\x1bd": ("feed", 1),
    b"\x1b2": ("line_spacing_default", 0),
    b"\x1b3": ("line_spacing", 1),
    b"\x10\x04": ("status", 1),
    b"\x1dr": ("paper_sensor", 1),
}
_QR_FUNCTIONS = {0x41: "qr_model", 0x43: "qr_module", 0x45: "qr_ec", 0x50: "qr_store", 0x51: "qr_print"}


def decode(data: bytes, encoding: str = "gb18030", strict: bool = True) -> list[Item]:
    """Parse a print job into commands and text runs (text decoded with `encoding`)."""
    items: list[Item] = []
    two_byte = False
    i, n = 0, len(data)

    def need(count: int) -> None:
        if i + count > n:
            raise ValueError(f"offset {i}: command cut short ({data[i:i + 4].hex(' ')})")

    while i < n:
        b = data[i]
        if b == 0x0A:
            items.append(Command("lf"))
            i += 1
            continue
        if b >= 0x20:
            j = i
            while j < n and data[j] >= 0x20:
                j += 1
            run = data[i:j]
            if strict and encoding != "utf-8" and not two_byte and any(c >= 0x80 for c in run):
                raise ValueError(f"offset {i}: GB text sent without FS & (two-byte mode off)")
            items.append(Text(run.decode(encoding)))
            i = j
            continue
        two = data[i:i + 2]
        if two in _FIXED:
            name, argc = _FIXED[two]
            need(2 + argc)
            args = tuple(data[i + 2:i + 2 + argc])
            items.append(Command(name, args))
            if name == "cn_on":
                two_byte = True
            elif name in ("cn_off", "init"):  # assume the worst: ESC @ may reset two-byte mode
                two_byte = False
            i += 2 + argc
            continue
        if two == b"\x1dV":
            need(3)
            m = data[i + 2]
            if m in (0x41, 0x42):  # feed and cut: one more byte
                need(4)
                items.append(Command("cut", (m, data[i + 3])))
                i += 4
            else:
                items.append(Command("cut", (m,)))
                i += 3
            continue
        if data[i:i + 3] == b"\x1d(k":
            need(7)
            length = data[i + 3] | data[i + 4] << 8
            need(5 + length)
            body = data[i + 5:i + 5 + length]
            cn, fn = body[0], body[1]
            if cn != 0x31 or fn not in _QR_FUNCTIONS:
                raise ValueError(f"offset {i}: unsupported GS ( k function cn={cn:#x} fn={fn:#x}")
            name = _QR_FUNCTIONS[fn]
            if name == "qr_store":
                items.append(Command(name, (body[2],), body[3:]))
            else:
                items.append(Command(name, tuple(body[2:])))
            i += 5 + length
            continue
        if data[i:i + 3] == b"\x1dv0":
            need(8)
            m = data[i + 3]
            xb = data[i + 4] | data[i + 5] << 8
            yd = data[i + 6] | data[i + 7] << 8
            need(8 + xb * yd)
            items.append(Command("raster", (m, xb, yd), data[i + 8:i + 8 + xb * yd]))
            i += 8 + xb * yd
            continue
        raise ValueError(f"offset {i}: unknown command {data[i:i + 4].hex(' ')}")
    return items


@dataclass
class Decoded:
    """A decoded job with the questions tests ask of it."""

    items: list[Item]
    lines: list[str] = field(default_factory=list)
    encoding: str = "gb18030"

    def __post_init__(self) -> None:
        current: list[str] = []
        for it in self.items:
            if isinstance(it, Text):
                current.append(it.text)
            elif it.name == "lf":
                self.lines.append("".join(current))
                current = []
        if current:
            self.lines.append("".join(current))

    def line_dots(self) -> list[tuple[int, str]]:
        """Each printed line as (width in dots, text), measured the way the printer lays it out.

        Font A is 12 x 24 dots: a character sent as one byte takes 12 dots, one sent as two or
        more bytes (in two-byte mode every GB code) a full-width 24, times the GS ! width
        multiplier in force when it was sent. Measured from the bytes' own encoding rather than
        with the builder's width function, so a test of line widths is not the builder marking
        its own homework. Compare with the profile's dots_per_line (384 on 58 mm, 576 on 80 mm).
        ESC ! and FS ! double width (bit 5 for one-byte, bit 2 for two-byte characters) count too.
        """
        out: list[tuple[int, str]] = []
        text, dots, width, single_x, double_x = "", 0, 1, 1, 1
        for it in self.items:
            if isinstance(it, Text):
                for ch in it.text:
                    one_byte = len(ch.encode(self.encoding)) == 1
                    dots += (12 * single_x if one_byte else 24 * double_x) * width
                text += it.text
            elif it.name == "size":
                width = (it.args[0] >> 4) + 1
            elif it.name == "mode":
                single_x = 2 if it.args[0] & 0x20 else 1
            elif it.name == "cn_mode":
                double_x = 2 if it.args[0] & 0x04 else 1
            elif it.name == "init":
                width, single_x, double_x = 1, 1, 1
            elif it.name == "lf":
                out.append((dots, text))
                text, dots = "", 0
        if text:
            out.append((dots, text))
        return out

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def commands(self, name: str) -> list[Command]:
        return [c for c in self.items if isinstance(c, Command) and c.name == name]

    @property
    def qr_payloads(self) -> list[str]:
        """What each native QR carries, from its GS ( k store command."""
        return [c.data.decode("utf-8") for c in self.commands("qr_store")]

    @property
    def cut(self) -> str | None:
        """"full", "partial" or None, from the last GS V."""
        cuts = self.commands("cut")
        if not cuts:
            return None
        m = cuts[-1].args[0]
        return "full" if m in (0, 0x30, 0x41) else "partial"

    def raster_images(self) -> list:
        """Each GS v 0 image as a PIL image (black on white), for decoding a raster QR."""
        from PIL import Image

        images = []
        for c in self.commands("raster"):
            _, xb, yd = c.args
            img = Image.frombytes("1", (xb * 8, yd), c.data)
            images.append(Image.eval(img.convert("L"), lambda v: 255 - v))
        return images


def decode_job(data: bytes, encoding: str = "gb18030", strict: bool = True) -> Decoded:
    return Decoded(decode(data, encoding, strict), encoding=encoding)
