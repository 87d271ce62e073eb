"""Queue tickets as ESC/POS bytes: a pure builder, data in, bytes out.

Why the bytes are written here and not by python-escpos at run time:
- its automatic encoding garbles exactly the lines a hall prints (punctuation-only lines go
  through Western code pages, `¥` becomes a four-byte GB18030 sequence a GBK printer cannot
  print, and it never sends `FS &`), so text must be encoded per printer profile anyway;
- importing its printer classes costs 0.2-0.5 s and a Dummy printer per ticket costs more
  than the whole 5 ms budget, on a kiosk that must answer a touch at once.
The layout and QR commands below are the table in the shared spec (spec/devices.md); the tests check them
byte for byte against that table and against python-escpos's own native-QR output.

Personal information: a ticket never carries a full ID number. The text layer masks anything
shaped like one, whatever field it arrived in.
"""

from __future__ import annotations

import datetime as dt
import re

from kiosk.idnumber import mask_name
from kiosk.models import Checklist, HallInfo, Priority, Ticket
from printing.privacy import mask_id_shapes
from printing.profiles import DEFAULT_PROFILE, PROFILES, PrinterProfile

DEFAULT_NOTICE = "请留意叫号，过号请到服务台"

# --- the byte table (spec/devices.md) ---------------------------------------------------
ESC, FS, GS = b"\x1b", b"\x1c", b"\x1d"
INIT = ESC + b"@"
CN_ON = FS + b"&"
CN_OFF = FS + b"."
LF = b"\n"
CUTS = {"full": GS + b"V\x00", "partial": GS + b"V\x01"}
QR_EC = {"L": 0x30, "M": 0x31, "Q": 0x32, "H": 0x33}

#: Substitute for a character the printer's ROM has no glyph for. 〓 (geta mark) is the
#: typesetters' own sign for a missing character, it exists in GBK, and it takes the same
#: two columns as the hanzi it replaces, so the line stays aligned.
MISSING_GLYPH = "〓"

#: Characters with a two-byte equivalent that every GB printer has. U+00A5 is a four-byte
#: GB18030 sequence (and absent from GBK) while the full-width ￥ is A3A4 in both.
_FOLD = str.maketrans({"¥": "￥", "\u00a0": " ", "\u2022": "·", "\u3000": "  "})

#: C0/C1 controls: a matter name from the database must never smuggle in a printer command.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _ordinal_size(width: int, height: int) -> bytes:
    """GS ! n: high nibble width, low nibble height, each the multiplier minus one."""
    return GS + b"!" + bytes([((width - 1) << 4) | (height - 1)])


def align(where: str) -> bytes:
    return ESC + b"a" + bytes([{"left": 0, "centre": 1, "right": 2}[where]])


def bold(on: bool) -> bytes:
    return ESC + b"E" + (b"\x01" if on else b"\x00")


def feed(lines: int) -> bytes:
    return ESC + b"d" + bytes([max(0, min(255, lines))])


def qr_native(payload: str, module: int = 6, level: str = "M") -> bytes:
    """GS ( k model 2, module size, error level, store, print: the spec's five commands."""
    data = payload.encode("utf-8")
    n = len(data) + 3
    if n > 0xFFFF:
        raise ValueError("二维码内容过长")
    return b"".join(
        (
            GS + b"(k\x04\x00\x31\x41\x32\x00",  # model 2
            GS + b"(k\x03\x00\x31\x43" + bytes([module]),  # module size
            GS + b"(k\x03\x00\x31\x45" + bytes([QR_EC[level]]),  # error correction level
            GS + b"(k" + bytes([n & 0xFF, n >> 8]) + b"\x31\x50\x30" + data,  # store
            GS + b"(k\x03\x00\x31\x51\x30",  # print
        )
    )


def qr_raster(payload: str, module: int = 6, level: str = "M", max_dots: int = 576) -> bytes:
    """The QR as a GS v 0 bit image, for printers that ignore GS ( k.

    Built from the qrcode package's module matrix (no Pillow round trip); the quiet zone of
    four modules is part of the image because cheap scanners need it and paper margins vary.
    """
    import qrcode  # lazy: only raster profiles pay for it
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

    ec = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}[level]
    qr = qrcode.QRCode(error_correction=ec, border=4)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    module = max(1, min(module, max_dots // size))
    width = size * module
    row_bytes = (width + 7) // 8
    out = bytearray()
    for row in matrix:
        bits = 0
        for dark in row:
            for _ in range(module):
                bits = (bits << 1) | (1 if dark else 0)
        bits <<= row_bytes * 8 - width
        line = bits.to_bytes(row_bytes, "big")
        out += line * module
    height = width
    header = GS + b"v0\x00" + bytes([row_bytes & 0xFF, row_bytes >> 8, height & 0xFF, height >> 8])
    return header + bytes(out)


# --- text -----------------------------------------------------------------------------


def scrub(text: str) -> str:
    """Strip control characters and mask anything that looks like a full ID number."""
    text = _CONTROL.sub("", text)
    return mask_id_shapes(text)


def printable(text: str, profile: PrinterProfile) -> str:
    """The text exactly as the printer will print it: controls stripped, ID shapes masked,
    folded to the GB forms, and 〓 for each character the printer's ROM lacks.

    Done to a whole line before it is wrapped, so the width is measured on what is printed
    and an ID number that would straddle two printed lines is still recognised and masked.
    """
    text = scrub(text)
    if profile.encoding == "utf-8":
        return text
    text = text.translate(_FOLD)
    try:
        text.encode(profile.encoding)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for ch in text:
        try:
            ch.encode(profile.encoding)
            out.append(ch)
        except UnicodeEncodeError:
            out.append(MISSING_GLYPH)
    return "".join(out)


def encode_text(text: str, profile: PrinterProfile) -> bytes:
    """Text as the profile's printer expects it; unprintable characters become 〓.

    GBK printers get two-byte sequences only: a character outside GBK (Extension A/B names,
    U+00A5 before folding) would otherwise go out as bytes the printer shows as garbage and
    which can swallow the next character with it.
    """
    return printable(text, profile).encode(profile.encoding)


def char_columns(ch: str, profile: PrinterProfile) -> int:
    """Columns one character takes on this printer: 1 if it goes out as one byte, else 2.

    Not Unicode's East Asian Width: in two-byte (FS &) mode a GB printer prints every
    multi-byte code as a full-width 24-dot glyph, so “ ” · — … ×, which Unicode calls
    ambiguous and a terminal draws narrow, take two columns on the paper. A character the
    printer lacks is printed as 〓, two columns too.
    """
    try:
        return 1 if len(ch.encode(profile.encoding)) == 1 else 2
    except UnicodeEncodeError:
        return 2


def display_width(text: str, profile: PrinterProfile) -> int:
    """Columns the text takes on this printer (see char_columns)."""
    return sum(char_columns(ch, profile) for ch in text)


def wrap(text: str, columns: int, profile: PrinterProfile) -> list[str]:
    """Break a line so no piece is wider than `columns` on this printer; never splits a character."""
    lines: list[str] = []
    current, used = "", 0
    for ch in text:
        w = char_columns(ch, profile)
        if used + w > columns and current:
            lines.append(current)
            current, used = "", 0
        current += ch
        used += w
    lines.append(current)
    return lines


class _Sheet:
    """Accumulates one print job: layout commands from the table, text encoded per profile."""

    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.buf = bytearray(INIT)
        self.buf += CN_ON if profile.two_byte else CN_OFF

    def raw(self, data: bytes) -> _Sheet:
        self.buf += data
        return self

    def lines(self, text: str, scale: int = 1) -> _Sheet:
        p = self.profile
        for piece in wrap(printable(text, p), p.chars_per_line // scale, p):
            self.buf += piece.encode(p.encoding) + LF
        return self

    def sized(self, text: str, width: int, height: int) -> _Sheet:
        self.buf += _ordinal_size(width, height)
        self.lines(text, scale=width)
        self.buf += _ordinal_size(1, 1)
        return self

    def qr(self, payload: str, native: bool | None = None) -> _Sheet:
        p = self.profile
        if p.native_qr if native is None else native:
            self.buf += qr_native(payload, module=p.qr_module)
        else:
            self.buf += qr_raster(payload, module=p.qr_module, max_dots=p.dots_per_line)
        self.buf += LF
        return self

    def finish(self) -> bytes:
        self.buf += feed(self.profile.feed_lines)
        if self.profile.cut in CUTS:
            self.buf += CUTS[self.profile.cut]
        return bytes(self.buf)


def _number_scale(number: str, profile: PrinterProfile) -> int:
    """As large as the paper allows, up to 6x: the number is read from arm's length."""
    return max(1, min(6, profile.chars_per_line // max(1, display_width(number, profile))))


def _fmt_time(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"


def build_ticket(
    ticket: Ticket,
    hall: HallInfo,
    profile: PrinterProfile | None = None,
    notice: str = DEFAULT_NOTICE,
) -> bytes:
    """The bytes of one queue ticket, ready for the printer transport.

    Pure: the same ticket, hall and profile always give the same bytes, so a ticket that
    failed to print can be rebuilt and reprinted from the stored record.
    """
    profile = profile or PROFILES[DEFAULT_PROFILE]
    s = _Sheet(profile)
    s.raw(align("centre") + bold(True)).sized(hall.name, 1, 2).raw(bold(False))
    scale = _number_scale(ticket.number, profile)
    s.raw(LF).sized(ticket.number, scale, scale)
    if ticket.priority is not Priority.NORMAL:
        s.raw(bold(True)).sized(f"【{ticket.priority.label}】", 1, 2).raw(bold(False))
    s.raw(align("left"))
    s.lines(f"业务类别：{ticket.category_name}")
    if ticket.matter_name:
        s.lines(f"办理事项：{ticket.matter_name}")
    if ticket.holder_name:
        s.lines(f"取号人：{mask_name(ticket.holder_name)}")
    if ticket.ahead > 0:
        s.lines(f"您前面还有 {ticket.ahead} 人等候")
        s.lines(f"预计等候约 {ticket.est_wait_min} 分钟")
    else:
        s.lines("您前面没有人等候，请留意叫号")
    s.lines(f"取号时间：{_fmt_time(ticket.issued_at)}")
    s.raw(align("centre"))
    if notice:
        s.lines(notice)
    s.qr(hall.follow_payload(ticket.ref, ticket.follow_token, "t"))
    # the label says what the code holds: a link the phone opens, or only the ticket's reference
    s.lines("扫码查看排队进度" if hall.has_links(ticket.follow_token) else f"号票编号  {ticket.ref}")
    return s.finish()


_CUT_LABELS = {"full": "全切", "partial": "半切", "none": "不切"}
TEST_PUNCTUATION = "标点：（1）·￥¥，。、；：？！“”《》〇—"


def build_test_page(profile: PrinterProfile | None = None) -> bytes:
    """The technician's `device test-print` page: hall-agnostic, one look tells what works.

    It always tries a native QR: if that square stays blank the printer lacks GS ( k and the
    hall should choose a raster profile; a raster profile also prints its own raster QR.
    """
    profile = profile or PROFILES[DEFAULT_PROFILE]
    s = _Sheet(profile)
    s.raw(align("centre") + bold(True)).sized("打印机测试页", 1, 2).raw(bold(False))
    s.lines("中文测试：政务服务大厅最多跑一次")
    s.raw(align("left"))
    s.lines(f"配置：{profile.name}")
    s.lines(f"纸宽：{profile.paper_mm} mm，每行 {profile.chars_per_line} 字符")
    s.lines(f"编码：{profile.encoding}")
    s.lines(f"二维码：{'原生 GS ( k' if profile.native_qr else '光栅 GS v 0'}")
    s.lines(f"切纸：{_CUT_LABELS[profile.cut]}")
    s.lines(TEST_PUNCTUATION)
    s.lines("ABCabc 0123456789 -_/.:")
    s.lines("|" + "-" * (profile.chars_per_line - 2) + "|")
    s.raw(align("centre"))
    s.lines("原生二维码（空白则本机不支持）")
    s.qr("ESC/POS TEST", native=True)
    if not profile.native_qr:
        s.lines("光栅二维码")
        s.qr("ESC/POS TEST", native=False)
    return s.finish()



def build_checklist_slip(
    checklist: Checklist,
    hall: HallInfo,
    profile: PrinterProfile | None = None,
    have: frozenset[int] | set[int] = frozenset(),
    printed_on: dt.date | None = None,
) -> bytes:
    """The matter's checklist on ticket paper, with what the citizen said they lack marked.

    Printed at the kiosk when a key material is missing, so the citizen leaves knowing every
    material at once and the next visit can be the only one. It is all they take home, so it
    also says whom to ask (咨询电话), where to come back to (地址), and the day it was
    printed, since requirements change and a slip found weeks later must show its age.
    `printed_on` is the hall's date; without it, this machine's.
    """
    profile = profile or PROFILES[DEFAULT_PROFILE]
    m = checklist.matter
    s = _Sheet(profile)
    s.raw(align("centre") + bold(True)).sized(hall.name, 1, 2).raw(bold(False))
    s.sized("办事材料清单", 2, 2)
    s.raw(align("left") + bold(True)).lines(m.name).raw(bold(False))
    s.lines(f"办理部门：{m.department}")
    s.lines(f"承诺时限：{m.promised_days}个工作日    收费：{m.fee}")
    if checklist.answers:
        s.lines("您的情形：" + "；".join(checklist.answers))
    s.lines("-" * profile.chars_per_line)
    missing = 0
    for n, item in enumerate((i for i in checklist.items if i.bring), start=1):
        mat = item.material
        mark = "[有]" if mat.id in have else "[缺]"
        missing += mat.id not in have
        s.lines(f"{n}. {mark} {mat.name}（{mat.form}{mat.copies}份）")
        if mat.id not in have and mat.rongque:
            s.lines("    可容缺：签署承诺书后先受理，限期补交")
        if mat.notes:
            s.lines(f"    {mat.notes}")
    shared = checklist.shared
    if shared:
        s.lines("以下材料免提交，由大厅通过数据共享调取：")
        for mat in shared:
            s.lines(f"  · {mat.name}")
    if checklist.on_site:
        s.lines("以下表格在窗口领取、现场填写，无需准备：")
        for mat in checklist.on_site:
            s.lines(f"  · {mat.name}")
    s.lines("-" * profile.chars_per_line)
    s.lines(f"尚缺 {missing} 项，请备齐后再来，一次办成。" if missing else "材料已备齐，请取号办理。")
    if hall.phone:
        s.lines(f"咨询电话：{hall.phone}")
    if hall.address:
        s.lines(f"地址：{hall.address}")
    s.lines(f"打印日期：{printed_on or dt.date.today():%Y-%m-%d}")
    s.raw(align("centre")).qr(hall.follow_payload(m.code))
    s.lines(f"事项编码 {m.code}")
    return s.finish()
