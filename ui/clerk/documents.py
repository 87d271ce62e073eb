"""The papers a decision produces, and getting them onto paper or into a file.

Builders come from `printing/` (pure: record in, PDF bytes out). Everything here that is
slow - building a PDF, rasterising it, writing a file, spooling to a printer - is meant to
run through `ui.worker.run_async`, never on the GUI thread.

Printing: PySide6-Essentials has QtPrintSupport but not QtPdf, so Qt cannot draw a PDF page
itself. Pages are rasterised with pypdfium2 (when installed) at the printer's resolution and
painted onto the QPrinter; without it the caller falls back to saving the PDF.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.models import Application, HallInfo, Notice

RECEIPT = "receipt"
RONGQUE = "rongque"
NOTICE = "notice"
UNDERTAKING = "undertaking"
TITLES = {RECEIPT: "受理回执", RONGQUE: "容缺受理通知书及承诺书", NOTICE: "一次性告知书",
          UNDERTAKING: "容缺受理承诺书"}
# what a saved file is called after its application number: 3301062026112500001_回执.pdf
FILE_WORDS = {RECEIPT: "回执", RONGQUE: "容缺受理通知书", NOTICE: "一次性告知书", UNDERTAKING: "承诺书"}
MAX_PRINT_DPI = 300
# PDFium is not thread-safe (pypdfium2's "Incompatibility with Threading"): two documents
# rasterised at once on the pool's threads (a preview while the last one prints, or while a
# closed desk's preview still renders) crashed the process. Every use of it holds this lock.
PDFIUM_LOCK = threading.Lock()
PREVIEW_DPI = 60


@dataclass(frozen=True)
class Document:
    """One printable paper: which kind, for which record, and how to build its bytes."""

    kind: str
    number: str  # application or notice number
    build: Callable[[], bytes]
    application_number: str = ""  # what the saved file is named by (a notice's own number differs)

    @property
    def title(self) -> str:
        return f"{TITLES[self.kind]} {self.number}".strip()

    @property
    def file_name(self) -> str:
        """Named by the application number, so the hall's documents folder sorts by 办件."""
        number = self.application_number or self.number
        return f"{_safe(number)}_{FILE_WORDS[self.kind]}.pdf"


def documents_for_application(app: Application, hall: HallInfo) -> list[Document]:
    """The receipt always; the 容缺 notice with its undertaking when something is still owed."""
    from printing.pdf_receipt import build_receipt_pdf

    docs = [Document(RECEIPT, app.number, lambda: build_receipt_pdf(app, hall))]
    if app.pending:
        from printing.pdf_rongque import build_rongque_pdf

        docs.append(Document(RONGQUE, app.number, lambda: build_rongque_pdf(app, hall)))
    return docs


def documents_for_notice(notice: Notice, hall: HallInfo) -> list[Document]:
    from printing.pdf_notice import build_notice_pdf

    return [Document(NOTICE, notice.number, lambda: build_notice_pdf(notice, hall),
                     application_number=notice.application_number)]


def undertaking_document(preview: Application, hall: HallInfo) -> Document:
    """The 承诺书 alone, from the hall's preview of the 容缺 acceptance, to be signed first."""
    from printing.pdf_rongque import build_undertaking_pdf

    return Document(UNDERTAKING, "", lambda: build_undertaking_pdf(preview, hall),
                    application_number="待受理")


def default_documents_dir(db_path: str) -> Path:
    """Where a desk saves its papers: `documents/` next to the hall file, like the drafts."""
    if db_path and db_path != ":memory:":
        return Path(db_path).resolve().parent / "documents"
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(base or Path.home()) / "政务服务文书"


def _safe(text: str) -> str:
    return "".join(c for c in text if c not in '\\/:*?"<>|（）() ') or "文书"


def save_pdf(doc: Document, path: Path) -> Path:
    """Build and write atomically enough for a clerk: to a temp name, then renamed."""
    data = doc.build()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def can_rasterise() -> bool:
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


def print_pdf(data: bytes, printer) -> int:
    """Paint every page of `data` onto `printer` (a configured QPrinter); returns the page count.

    Safe off the GUI thread: QPainter on a QPrinter and QImage are allowed in worker threads.
    """
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        return _print_pages(pdfium.PdfDocument(data), printer)


def _print_pages(pdf, printer) -> int:  # noqa: ANN001 - a PdfDocument and a QPrinter
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QPainter
    from PySide6.QtPrintSupport import QPrinter

    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        pdf.close()
        raise RuntimeError("打印机无法开始打印，请检查打印机是否就绪")
    try:
        for index in range(len(pdf)):
            if index:
                printer.newPage()
            image = _page_image(pdf, index, dpi)
            target = printer.pageRect(QPrinter.Unit.DevicePixel)
            scale = min(target.width() / image.width(), target.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF(0, 0, w, h), image)  # painter origin = printable area
        return len(pdf)
    finally:
        painter.end()
        pdf.close()


def page_images(data: bytes, dpi: float = PREVIEW_DPI) -> list:
    """Every page of a PDF as a QImage, for the previews (worker-safe: QImage, not QPixmap)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            return [_page_image(pdf, index, dpi) for index in range(len(pdf))]
        finally:
            pdf.close()


def _page_image(pdf, index: int, dpi: float):  # noqa: ANN001, ANN202 - a PdfDocument; a QImage
    """Page `index` as a QImage of its own pixels. Called under PDFIUM_LOCK; the page and its
    bitmap are closed here, not left to the garbage collector, which may run their finalizers
    (PDFium calls) on another thread at any later moment."""
    from PySide6.QtGui import QImage

    page = pdf[index]
    try:
        bitmap = page.render(scale=dpi / 72)
        try:
            pil = bitmap.to_pil().convert("RGB")  # a copy: the bitmap's buffer may go
        finally:
            bitmap.close()
    finally:
        page.close()
    return QImage(pil.tobytes(), pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
