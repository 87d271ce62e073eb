"""What the five A4 documents share: the font, text that never prints a silent box, the page
(title centred, QR code top right, footer with the hall's address and page numbers), tables
with borders, and signature lines.

Each document module only says what goes on its page; how it looks is decided once here, so a
receipt and a one-time notice from the same hall look like they came from the same office.

Fonts: WenQuanYi Micro Hei is registered once per process (parsing the 5 MB .ttc costs about
0.1 s) and embedded as a subset. Characters it lacks (most of CJK Extension A/B, which real
names contain) are drawn with WenQuanYi Zen Hei when that is installed, otherwise written as
[U+4DAE]: a clerk can read that and correct it by hand, a silent box they would not notice.

Personal data: documents mask ID fields with privacy.id_field and free text (reasons, notes,
the undertaking) with privacy.mask_valid_ids; plain markup does not, because application
numbers are 18 digits and must print whole.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from kiosk.models import HallInfo
from printing.fonts import cjk_font_path, fallback_font_path

FONT = "WQY"
FALLBACK_FONT = "WQYZen"

# Sizes in points; A4 is 595 x 842.
MM = 72 / 25.4
PAGE_W, PAGE_H = 595.2756, 841.8898
MARGIN_X = 20 * MM
MARGIN_TOP = 22 * MM
MARGIN_BOTTOM = 22 * MM
QR_SIZE = 26 * MM
CONTENT_W = PAGE_W - 2 * MARGIN_X


@dataclass(frozen=True)
class FontSet:
    """A registered font and the code points it can draw."""

    name: str
    cmap: frozenset[int]


#: Full-width punctuation that Chinese typesetting (避头) never puts at the start of a line.
NO_LINE_START = "，。、；：？！）》」』】〕”’…—·％"


def _teach_chinese_line_breaking() -> None:
    """reportlab's CJK wrapping knows the Japanese rule list, which lacks ， ； ： ？ ！ and the
    closing 》 ）: without this a line can start with a comma. The characters are added to the
    module-level set it consults; that only ever lets such a mark hang in the right margin."""
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (textsplit, paragraph):  # one-fragment and many-fragment paragraphs
        missing = "".join(c for c in NO_LINE_START if c not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START += missing


@functools.cache
def load_fonts() -> FontSet:
    """Register the CJK font with reportlab, once per process (parsing it costs ~0.1 s)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    _teach_chinese_line_breaking()
    main = TTFont(FONT, str(cjk_font_path()), subfontIndex=0)
    pdfmetrics.registerFont(main)
    # Micro Hei has no bold or italic face: map them to the regular one so <b> never fails.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FONT, bold, italic, FONT)
    return FontSet(FONT, frozenset(main.face.charToGlyph))


@functools.cache
def load_fallback_font() -> FontSet | None:
    """WenQuanYi Zen Hei, registered only when a character first needs it (another ~60 ms).

    None when it is not installed or will not load: a broken optional font must not stop a
    receipt from printing; the character is then written as [U+XXXX].
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = fallback_font_path()
    if path is None:
        return None
    try:
        zen = TTFont(FALLBACK_FONT, str(path), subfontIndex=0)
    except Exception:
        return None
    pdfmetrics.registerFont(zen)
    return FontSet(FALLBACK_FONT, frozenset(zen.face.charToGlyph))


def markup(text: object) -> str:
    """Paragraph markup for plain text: escaped, every character drawable.

    A character outside the main font goes to the fallback font if that has it, otherwise it
    is written as [U+XXXX] so the gap is visible on paper and can be filled in by hand.
    """
    cmap = load_fonts().cmap
    out: list[str] = []
    for ch in str(text):
        cp = ord(ch)
        if cp in cmap or ch == " ":
            out.append(escape(ch))
        elif ch == "\n":
            out.append("<br/>")
        elif cp < 0x20:
            continue
        elif (fallback := load_fallback_font()) is not None and cp in fallback.cmap:
            out.append(f'<font name="{fallback.name}">{escape(ch)}</font>')
        else:
            out.append(f"[U+{cp:04X}]")
    return "".join(out)


def drawable(text: str) -> str:
    """Plain-text form of `markup` for canvas strings (header, footer): no fallback font there."""
    cmap = load_fonts().cmap
    return "".join(ch if ord(ch) in cmap or ch == " " else f"[U+{ord(ch):04X}]" for ch in text)


# --- styles --------------------------------------------------------------------------


@functools.cache
def styles() -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    load_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=21),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        "cell_c": ParagraphStyle("cell_c", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "cell_r": ParagraphStyle("cell_r", parent=base, fontSize=9.5, leading=13, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=2,
            leftIndent=QR_SIZE + 4 * MM, rightIndent=QR_SIZE + 4 * MM,  # symmetric: stays centred
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=base, fontSize=11, leading=16, alignment=TA_CENTER,
            leftIndent=QR_SIZE + 4 * MM, rightIndent=QR_SIZE + 4 * MM,
        ),
        "docno": ParagraphStyle("docno", parent=base, fontSize=10, alignment=TA_RIGHT, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def para(text: object, style: str = "body"):
    from reportlab.platypus import Paragraph

    return Paragraph(markup(text), styles()[style])


def rich(fragment: str, style: str = "body"):
    """A paragraph from trusted markup written in this package (e.g. <u> blanks)."""
    from reportlab.platypus import Paragraph

    return Paragraph(fragment, styles()[style])


def spacer(mm: float):
    from reportlab.platypus import Spacer

    return Spacer(1, mm * MM)


def title_block(title: str, subtitle: str = "", number_label: str = "", number: str = "") -> list:
    """Centred title (kept clear of the QR code), optional subtitle and a right-aligned number."""
    flow = [para(title, "title")]
    if subtitle:
        flow.append(para(subtitle, "subtitle"))
    flow.append(spacer(4))
    if number:
        flow.append(para(f"{number_label}：{number}", "docno"))
    return flow


# --- tables --------------------------------------------------------------------------

_GRID = 0.6
_LABEL_BG = "#EDEDED"


def grid(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    widths_mm: Sequence[float],
    align: Sequence[str] | None = None,
    empty: str = "无",
):
    """A bordered table with a shaded header row that repeats on each page.

    widths_mm are relative: they are scaled to the text width, so callers think in
    proportions. align per column: "l", "c" or "r".
    """
    from reportlab.platypus import Table, TableStyle

    align = align or ["l"] * len(header)
    cell_style = {"l": "cell", "c": "cell_c", "r": "cell_r"}
    data = [[para(h, "head") for h in header]]
    for row in rows:
        data.append([para(v, cell_style[a]) for v, a in zip(row, align, strict=True)])
    is_empty = len(data) == 1
    if is_empty:  # one spanning cell that says so, rather than a table with no body
        data.append([para(empty, "cell_c")] + [""] * (len(header) - 1))
    total = sum(widths_mm)
    widths = [w / total * CONTENT_W for w in widths_mm]
    # splitInRow: a cell taller than a page (a material's 4,000-character note, a long written
    # reason) goes on over the next page instead of failing the whole document
    t = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), _GRID, "black"),
        ("BACKGROUND", (0, 0), (-1, 0), _LABEL_BG),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if is_empty:
        style.append(("SPAN", (0, 1), (-1, 1)))
    t.setStyle(TableStyle(style))
    return t


def fields(pairs: Sequence[tuple[str, object]], columns: int = 2, label_mm: float = 26):
    """Label / value pairs in a bordered grid, `columns` pairs per row; a pair whose label ends
    with "*" spans the whole row (long values such as a matter name or an address)."""
    from reportlab.platypus import Table, TableStyle

    value_w = (CONTENT_W - columns * label_mm * MM) / columns
    widths = [label_mm * MM, value_w] * columns
    data: list[list] = []
    spans: list[tuple[int, int]] = []
    row: list = []
    for label, value in pairs:
        wide = label.endswith("*")
        label = label.rstrip("*")
        if wide:
            if row:
                data.append(row + [""] * (2 * columns - len(row)))
                row = []
            data.append([para(label, "cell"), para(value, "cell")] + [""] * (2 * columns - 2))
            spans.append((len(data) - 1, 2 * columns - 1))
            continue
        row += [para(label, "cell"), para(value, "cell")]
        if len(row) == 2 * columns:
            data.append(row)
            row = []
    if row:
        data.append(row + [""] * (2 * columns - len(row)))
    t = Table(data, colWidths=widths, splitInRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), _GRID, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    for c in range(0, 2 * columns, 2):
        style.append(("BACKGROUND", (c, 0), (c, -1), _LABEL_BG))
    for r, last in spans:
        style.append(("SPAN", (1, r), (last, r)))
        style.append(("BACKGROUND", (2, r), (last, r), "white"))
    t.setStyle(TableStyle(style))
    return t


def signature_lines(*pairs: tuple[str, str]):
    """Signature and date lines side by side, kept together so they never split across pages.

    Each pair is (left, right) trusted markup; use `blank()` for the lines to write on.
    """
    from reportlab.platypus import KeepTogether, Table, TableStyle

    rows = [[rich(left), rich(right)] for left, right in pairs]
    t = Table(rows, colWidths=[CONTENT_W * 0.55, CONTENT_W * 0.45], rowHeights=[13 * MM] * len(rows))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([spacer(4), t])


def blank(width_chars: int = 10) -> str:
    """An underlined blank to write on (non-breaking spaces keep the underline's length)."""
    return "<u>" + "\u00a0" * (width_chars * 2) + "</u>"


DATE_BLANK = f"{blank(3)}年{blank(2)}月{blank(2)}日"


# --- formatting ----------------------------------------------------------------------


def fmt_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def fmt_datetime(t: dt.datetime | None) -> str:
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}" if t else "—"


def fmt_window(window: int | None) -> str:
    return f"{window}号窗口" if window is not None else "—"


def fmt_share(x: float, of: int | None = None) -> str:
    """A percentage; "—" when there was nothing to take a share of (no ratings is not 0%)."""
    return "—" if of == 0 else f"{x * 100:.1f}%"


DELIVERY = {"pickup": "窗口领取", "post": "邮寄送达"}


# --- the page ------------------------------------------------------------------------


def qr_runs(payload: str, level: str = "M", border: int = 2) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code's dark modules as horizontal runs (row, first column, length), counted from
    the top left with the quiet zone included, and the side in modules. Encoded once per
    document by the qrcode package; drawn as one filled path of a few hundred rectangles."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

    ec = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}[level]
    qr = qrcode.QRCode(error_correction=ec, border=border)
    qr.add_data(payload.encode("utf-8"))
    qr.make(fit=True)
    matrix = qr.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(matrix), runs


def _define_qr_form(canvas, name: str, payload: str, size: float) -> None:
    """Put the QR into the PDF once, as a form every page refers to (a few hundred bytes),
    instead of drawing hundreds of rectangles again on every page."""
    side, runs = qr_runs(payload)
    unit = size / side
    canvas.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
    path = canvas.beginPath()
    for y, x, n in runs:
        path.rect(x * unit, size - (y + 1) * unit, n * unit, unit)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.endForm()


def new_titled_page() -> list:
    """Start a fresh page laid out like the first (title beside the QR), e.g. the 承诺书."""
    from reportlab.platypus import NextPageTemplate, PageBreak

    return [NextPageTemplate("first"), PageBreak()]


def qr_caption(hall: HallInfo, token: str) -> str:
    """Says what the code holds: a progress link when the hall has a public address, otherwise
    only the application number (which a phone camera cannot open)."""
    return "扫码查询办理进度" if hall.has_links(token) else "二维码内容：办件编号"


FOOTER_W = CONTENT_W - 32 * MM  # what the page number (第 99 页 / 共 99 页) leaves of the line


def footer_lines(hall: HallInfo, font: str, size: float = 8.5) -> tuple[list[str], float]:
    """The hall's name, address and phone under every page, in as few lines as fit beside the
    page number: one line, else name and phone above the address, smaller only when even that
    does not fit. A long official name with its address ran over the page number and hid the
    phone, the one way a citizen holding the paper reaches the hall."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    name, phone = hall.name, f"电话：{hall.phone}" if hall.phone else ""
    address = f"地址：{hall.address}" if hall.address else ""
    layouts = [[drawable("　".join(x for x in (name, address, phone) if x))],
               [drawable(x) for x in ("　".join(x for x in (name, phone) if x), address) if x]]
    for lines in layouts:
        if all(stringWidth(line, font, size) <= FOOTER_W for line in lines):
            return lines, size
    widest = max(stringWidth(line, font, size) for line in layouts[1])
    return layouts[1], max(6.0, size * FOOTER_W / widest)


def render(
    story: list,
    hall: HallInfo,
    title: str,
    qr_payload: str | None = None,
    qr_caption: str = "扫码查询办理进度",
) -> bytes:
    """Lay out the story on A4 pages with the shared header and footer, and return PDF bytes.

    Every page carries the QR code, so a page separated from the rest (the signed 承诺书 the
    hall keeps) still leads to its application. On the first page the centred title sits
    beside it; continuation pages start below it and carry a running header instead.

    `invariant` makes the bytes depend on the data only (no timestamp, no random id), so the
    same receipt always gives the same file and tests can compare runs.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    fonts = load_fonts()
    footer, footer_size = footer_lines(hall, fonts.name)
    running = drawable(f"{title}（续页）")
    qr_top = PAGE_H - 10 * MM
    later_top = (PAGE_H - qr_top) + QR_SIZE + 7 * MM if qr_payload else MARGIN_TOP

    def draw_qr(canvas: Canvas) -> None:
        if not qr_payload:
            return
        if not canvas.hasForm("qr"):
            _define_qr_form(canvas, "qr", qr_payload, QR_SIZE)
        x = PAGE_W - MARGIN_X - QR_SIZE + 2 * MM
        canvas.saveState()
        canvas.translate(x, qr_top - QR_SIZE)
        canvas.doForm("qr")
        canvas.restoreState()
        canvas.setFont(fonts.name, 7.5)
        canvas.drawCentredString(x + QR_SIZE / 2, qr_top - QR_SIZE - 3 * MM, qr_caption)

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        draw_qr(canvas)
        canvas.restoreState()

    def later_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        draw_qr(canvas)
        canvas.setFont(fonts.name, 9)
        canvas.drawString(MARGIN_X, PAGE_H - 16 * MM, running)
        canvas.restoreState()

    class NumberedCanvas(Canvas):
        """Defers each page so the footer can say 第 n 页 / 共 m 页."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            self.saveState()
            self.setStrokeColorRGB(0.3, 0.3, 0.3)
            self.setLineWidth(0.5)
            y = MARGIN_BOTTOM - 8 * MM
            self.line(MARGIN_X, y + 4 * MM, PAGE_W - MARGIN_X, y + 4 * MM)
            self.setFont(fonts.name, footer_size)
            for k, line in enumerate(footer):
                self.drawString(MARGIN_X, y - k * (footer_size + 2), line)
            self.setFont(fonts.name, 8.5)
            self.drawRightString(PAGE_W - MARGIN_X, y, f"第 {self._pageNumber} 页 / 共 {total} 页")
            self.restoreState()

    body_h = PAGE_H - MARGIN_BOTTOM
    templates = [
        PageTemplate("first", [Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, body_h - MARGIN_TOP, id="first")],
                     onPage=first_page, autoNextPageTemplate="later"),
        PageTemplate("later", [Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, body_h - later_top, id="later")],
                     onPage=later_page),
    ]
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=A4,
        pageTemplates=templates,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=hall.name,
        creator="service-hall-terminal",
        invariant=True,
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()
