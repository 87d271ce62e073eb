"""The papers of the last decision: save as PDF, print, print again.

The last documents are remembered (kind and number, in a small file next to the draft) and
rebuilt from the hall on demand, so a reprint works after a restart and never prints stale
data. Building, writing and printing all run in the worker pool.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.errors import HallError
from kiosk.models import Application, Notice
from ui.clerk import documents as D
from ui.worker import run_async


class DocumentBar(QWidget):
    message = Signal(str, bool)  # text, is_error
    saved = Signal(object)  # Path
    printed = Signal(int)  # pages

    def __init__(self, hall: Any, memory: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = hall
        self.memory = memory
        self.docs: list[D.Document] = []
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 0, 8, 0)
        lay.addWidget(QLabel("文书"))
        self.combo = QComboBox(objectName="doc-choice")
        self.combo.setMinimumWidth(360)
        lay.addWidget(self.combo, 1)
        self.save_btn = QPushButton("保存PDF", objectName="doc-save")
        self.save_btn.setProperty("role", "secondary")
        self.print_btn = QPushButton("打印 / 补打", objectName="doc-print")
        self.save_btn.clicked.connect(self.ask_save)
        self.print_btn.clicked.connect(self.ask_print)
        lay.addWidget(self.save_btn)
        lay.addWidget(self.print_btn)
        self._sync()

    # --- which documents ---------------------------------------------------------------

    def show_decision(self, record: Application | Notice) -> None:
        info = self.hall.info()
        if isinstance(record, Notice):
            self.docs = D.documents_for_notice(record, info)
            remembered = {"kind": "notice", "number": record.number}
        else:
            self.docs = D.documents_for_application(record, info)
            remembered = {"kind": "application", "number": record.number}
        self._fill()
        run_async(lambda: self._remember(remembered))

    def restore_last(self) -> None:
        """The documents of the last decision at this window, for a reprint after a restart."""
        try:
            last = json.loads(self.memory.read_text(encoding="utf-8"))
            if last["kind"] == "notice":
                self.docs = D.documents_for_notice(self.hall.get_notice(last["number"]), self.hall.info())
            else:
                self.docs = D.documents_for_application(self.hall.get_application(last["number"]), self.hall.info())
        except (OSError, ValueError, KeyError, HallError, AttributeError):
            self.docs = []
        self._fill()

    def clear(self) -> None:
        """Forget the last citizen's documents, here and in the remembered file."""
        self.docs = []
        self._fill()
        try:
            self.memory.unlink(missing_ok=True)
        except OSError:
            pass

    def _remember(self, last: dict) -> None:
        self.memory.parent.mkdir(parents=True, exist_ok=True)
        self.memory.write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")

    def _fill(self) -> None:
        self.combo.clear()
        for d in self.docs:
            self.combo.addItem(d.title)
        self._sync()

    def _sync(self) -> None:
        has = bool(self.docs)
        if not has and self.combo.count() == 0:
            self.combo.addItem("（受理或告知后在此保存、打印文书）")
        self.combo.setEnabled(has)
        self.save_btn.setEnabled(has)
        self.print_btn.setEnabled(has)

    def current(self) -> D.Document | None:
        i = self.combo.currentIndex()
        return self.docs[i] if self.docs and 0 <= i < len(self.docs) else None

    def select(self, kind: str) -> None:
        for i, d in enumerate(self.docs):
            if d.kind == kind:
                self.combo.setCurrentIndex(i)

    # --- saving ---------------------------------------------------------------------------

    def ask_save(self) -> None:
        doc = self.current()
        if doc is None:
            return
        start = str(Path.home() / doc.file_name)
        path, _ = QFileDialog.getSaveFileName(self, "保存PDF", start, "PDF 文件 (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path, doc: D.Document | None = None,
                on_done: Callable[[Path], None] | None = None) -> None:
        """Build and write the PDF off the GUI thread (the dialog-free door, for tests too)."""
        doc = doc or self.current()
        if doc is None:
            self.message.emit("没有可保存的文书", True)
            return

        def done(p: Path) -> None:
            self.message.emit(f"已保存：{p}", False)
            self.saved.emit(p)
            if on_done:
                on_done(p)

        run_async(lambda: D.save_pdf(doc, path), done, self._failed("保存失败"))

    # --- printing ---------------------------------------------------------------------------

    def ask_print(self) -> None:
        doc = self.current()
        if doc is None:
            return
        if not D.can_rasterise():
            self.message.emit("本机缺少PDF渲染组件（pypdfium2），无法直接打印；请先保存PDF，再用系统阅读器打印", True)
            self.ask_save()
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(doc.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印{doc.title}")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer, doc)

    def print_to(self, printer: Any, doc: D.Document | None = None) -> None:
        """Render and spool in the worker pool; the QPrinter must stay alive until `printed`."""
        doc = doc or self.current()
        if doc is None:
            return
        self._printer = printer  # keep a reference while the job runs
        self.message.emit(f"正在打印：{doc.title}…", False)

        def done(pages: int) -> None:
            self.message.emit(f"已发送到打印机：{doc.title}（{pages}页）", False)
            self.printed.emit(pages)

        run_async(lambda: D.print_pdf(doc.build(), printer), done, self._failed("打印失败"))

    def _failed(self, what: str) -> Callable[[Exception], None]:
        def report(exc: Exception) -> None:
            self.message.emit(f"{what}：{exc}", True)
        return report
