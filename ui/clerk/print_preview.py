"""Seeing a paper before it is printed, and choosing where it goes, in Chinese.

Qt's own QPrintDialog speaks English on a hall PC without Qt's translations and shows no
picture of the page, so the clerk would print blind. Here the pages themselves are shown
(rasterised off the GUI thread), the hall's printers are listed by name, and "保存为PDF文件"
files the paper in the hall's documents folder under its application number instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui import theme
from ui.clerk import documents as D
from ui.worker import run_async

SAVE_PDF = "保存为PDF文件"


@dataclass(frozen=True)
class Destination:
    """Where papers go: a printer by name, or (printer "") the documents folder as PDF files."""

    printer: str
    folder: Path

    @property
    def saves(self) -> bool:
        return not self.printer

    def describe(self) -> str:
        return f"打印机“{self.printer}”" if self.printer else f"文书文件夹 {self.folder}"


def available_printers() -> list[tuple[str, bool]]:
    """(name, is_default) of every printer this PC knows, the default first."""
    from PySide6.QtPrintSupport import QPrinterInfo

    default = QPrinterInfo.defaultPrinterName()
    names = [p.printerName() for p in QPrinterInfo.availablePrinters()]
    return sorted(((n, n == default) for n in names), key=lambda x: not x[1])


class PrinterChoice(QComboBox):
    """The hall's printers by name, then "保存为PDF文件" (always there, so a desk without a
    printer still files its papers)."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printer-choice")
        self.folder = folder
        for name, default in available_printers():
            self.addItem(f"{name}（默认）" if default else name, name)
        self.addItem(f"{SAVE_PDF}（存入文书文件夹）", "")
        self.setMinimumWidth(320)

    def destination(self) -> Destination:
        return Destination(printer=self.currentData() or "", folder=self.folder)

    def choose_saving(self) -> None:
        self.setCurrentIndex(self.findData(""))


class PagePreview(QScrollArea):
    """The pages of some documents, one under another, as they will come out of the printer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page-preview")
        self.setWidgetResizable(True)
        self.setMinimumSize(560, 420)
        self.setStyleSheet("QScrollArea { background: #8a949f; }")
        inner = QWidget()
        inner.setStyleSheet("background: #8a949f;")
        self.column = QVBoxLayout(inner)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.column.setSpacing(12)
        self.status = QLabel("正在生成预览…", objectName="preview-status")
        self.status.setStyleSheet("color: white; font-weight: bold;")
        self.column.addWidget(self.status)
        self.setWidget(inner)
        self.pages: list[QLabel] = []

    def show_documents(self, docs: list[D.Document]) -> None:
        """Build and rasterise in the worker pool; the pages appear when they are ready.

        Called once the preview is in its dialog: the rendering stops when that dialog closes
        (Esc, 打印, 确认, the desk signed out) or the preview is deleted, at the next document or
        step. Rendered on for nobody, it held a pool thread (one a core) and PDFium's one lock
        from the print the clerk had just asked for, and outlived a desk closed mid-render."""
        if not D.can_rasterise():
            self.status.setText("本机缺少PDF渲染组件（pypdfium2），无法显示预览；文书内容以上方说明为准")
            return
        wanted = threading.Event()
        wanted.set()

        def stop(*_: object) -> None:
            wanted.clear()

        dialog = self.window()
        if isinstance(dialog, QDialog):
            dialog.finished.connect(stop)
        self.destroyed.connect(stop)

        def render() -> list | None:
            pages = []
            for doc in docs:
                if not wanted.is_set():
                    return None
                data = doc.build()
                if not wanted.is_set():
                    return None
                pages += [(doc.title, image) for image in D.page_images(data)]
            return pages

        run_async(render, self._show, self._failed)

    def _show(self, pages: list | None) -> None:
        if pages is None or not shiboken6.isValid(self):  # the dialog was closed before the pages were ready
            return
        self.status.setText(f"共 {len(pages)} 页")
        for title, image in pages:
            label = QLabel(objectName="preview-page")
            label.setPixmap(QPixmap.fromImage(image))
            label.setToolTip(title)
            label.setStyleSheet("background: white; border: 1px solid #5a6470;")
            self.column.addWidget(label)
            self.pages.append(label)

    def _failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self.status.setText(f"预览生成失败：{exc}")


class PrintPreviewDialog(QDialog):
    """打印预览: the pages, the printer (or saving as PDF), 打印 / 取消."""

    def __init__(self, docs: list[D.Document], folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.docs = docs
        names = "、".join(d.title for d in docs)
        self.setWindowTitle(f"打印预览 — {names}")
        self.resize(760, 700)
        lay = QVBoxLayout(self)
        head = QLabel(f"将打印：{names}", objectName="preview-title")
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        lay.addWidget(head)
        self.preview = PagePreview()
        lay.addWidget(self.preview, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("打印到"))
        self.printers = PrinterChoice(folder)
        self.printers.currentIndexChanged.connect(self._sync)
        row.addWidget(self.printers, 1)
        lay.addLayout(row)
        self.where = QLabel("", objectName="preview-where")
        self.where.setWordWrap(True)
        self.where.setProperty("role", "muted")
        lay.addWidget(self.where)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_btn = QPushButton("取消  Esc", objectName="preview-cancel")
        self.cancel_btn.setProperty("role", "secondary")
        self.cancel_btn.clicked.connect(self.reject)
        self.print_btn = QPushButton("打印  Enter", objectName="preview-print")
        self.print_btn.setDefault(True)
        self.print_btn.setShortcut(QKeySequence("Ctrl+P"))
        self.print_btn.clicked.connect(self.accept)
        buttons.addWidget(self.cancel_btn)
        buttons.addWidget(self.print_btn)
        lay.addLayout(buttons)
        self.setStyleSheet(f"QLabel#preview-where {{ color: {theme.MUTED}; }}")
        self._sync()
        self.preview.show_documents(docs)

    def destination(self) -> Destination:
        return self.printers.destination()

    def _sync(self) -> None:
        dest = self.destination()
        if dest.saves:
            files = "、".join(d.file_name for d in self.docs)
            self.where.setText(f"保存到：{dest.folder}（{files}）")
            self.print_btn.setText("保存  Enter")
        else:
            self.where.setText(f"打印机：{dest.printer}")
            self.print_btn.setText("打印  Enter")
