"""The papers a decision produces, and getting them onto paper or into a file.

Builders come from `printing/` (pure: record in, PDF bytes out). Everything here that is
slow - building a PDF, rasterising it, writing a file, spooling to a printer - is meant to
run through `ui.worker.run_async`, never on the GUI thread.

Printing: PySide6-Essentials has QtPrintSupport but not QtPdf, so Qt cannot draw a PDF page
itself. Pages are rasterised with pypdfium2 (when installed) at the printer's resolution and
painted onto the QPrinter; without it the caller falls back to saving the PDF.
"""

from __future__ import annotations

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
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtPrintSupport import QPrinter

    pdf = pdfium.PdfDocument(data)
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("打印机无法开始打印，请检查打印机是否就绪")
    try:
        for index in range(len(pdf)):
            if index:
                printer.newPage()
            page = pdf[index]
            bitmap = page.render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            image = QImage(pil.tobytes(), pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888).copy()
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
    from PySide6.QtGui import QImage

    pdf = pdfium.PdfDocument(data)
    try:
        images = []
        for index in range(len(pdf)):
            pil = pdf[index].render(scale=dpi / 72).to_pil().convert("RGB")
            images.append(QImage(pil.tobytes(), pil.width, pil.height, pil.width * 3,
                                 QImage.Format.Format_RGB888).copy())
        return images
    finally:
        pdf.close()
