"""The papers of the last decision: save as PDF, print, print again.

The last documents are remembered (kind and number, in a small file next to the draft) and
rebuilt from the hall on demand, so a reprint works after a restart and never prints stale
data. Building, writing and printing all run in the worker pool. Printing goes through the
Chinese preview (ui/clerk/print_preview.py); saving files the paper in the hall's documents
folder under its application number, so nobody has to pick a folder at the counter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.errors import HallError
from kiosk.models import Application, Notice
from ui.clerk import documents as D
from ui.clerk.print_preview import Destination, PrintPreviewDialog
from ui.worker import run_async

PRINT_KEY = "Ctrl+P"


class DocumentBar(QWidget):
    message = Signal(str, bool)  # text, is_error
    saved = Signal(object)  # Path
    printed = Signal(int)  # pages

    def __init__(self, hall: Any, memory: Path, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hall = hall
        self.memory = memory
        self.folder = folder  # the hall's documents folder
        self.docs: list[D.Document] = []
        self.preview_dialog: PrintPreviewDialog | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 0, 8, 0)
        lay.addWidget(QLabel("文书"))
        self.combo = QComboBox(objectName="doc-choice")
        self.combo.setMinimumWidth(360)
        lay.addWidget(self.combo, 1)
        self.save_btn = QPushButton("存入文书夹", objectName="doc-save")
        self.save_btn.setProperty("role", "secondary")
        self.save_btn.setToolTip(f"保存为PDF文件，存入 {folder}")
        self.print_btn = QPushButton(f"打印 / 补打  {PRINT_KEY}", objectName="doc-print")
        self.print_btn.setToolTip("打印预览后选择打印机打印，或保存为PDF文件")
        self.save_btn.clicked.connect(self.ask_save)
        self.print_btn.clicked.connect(self._print_clicked)
        lay.addWidget(self.save_btn)
        lay.addWidget(self.print_btn)
        self._sync()

    # --- which documents ---------------------------------------------------------------

    def show_decision(self, record: Application | Notice, ticket_id: int | None) -> None:
        """The papers of a decision just recorded for the citizen of `ticket_id` (None: a walk-in)."""
        info = self.hall.info()
        if isinstance(record, Notice):
            self.docs = D.documents_for_notice(record, info)
            remembered = {"kind": "notice", "number": record.number, "ticket_id": ticket_id}
        else:
            self.docs = D.documents_for_application(record, info)
            remembered = {"kind": "application", "number": record.number, "ticket_id": ticket_id}
        self._fill()
        run_async(lambda: self._remember(remembered))

    def remembered(self) -> dict | None:
        """What the file says the last decision at this window was, or None."""
        try:
            last = json.loads(self.memory.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return last if isinstance(last, dict) else None

    def restore(self, last: dict | None, ticket_id: int | None) -> None:
        """After a restart, the last decision's papers for a reprint - only if they belong to the
        citizen now at the window (`ticket_id`): never a stranger's document for the next one."""
        self.docs = []
        if last and last.get("ticket_id") == ticket_id:
            try:
                if last["kind"] == "notice":
                    self.docs = D.documents_for_notice(self.hall.get_notice(last["number"]), self.hall.info())
                else:
                    self.docs = D.documents_for_application(self.hall.get_application(last["number"]),
                                                            self.hall.info())
            except (KeyError, TypeError, HallError):
                self.docs = []
            if self.docs:
                run_async(lambda: self._remember(last))
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
        """Straight into the documents folder, named by the application number."""
        doc = self.current()
        if doc is not None:
            self.save_to(self.folder / doc.file_name, doc)

    def save_to(self, path: Path, doc: D.Document | None = None,
                on_done: Callable[[Path], None] | None = None) -> None:
        """Build and write the PDF off the GUI thread (the dialog-free door, for tests too)."""
        doc = doc or self.current()
        if doc is None:
            self.message.emit("没有可保存的文书", True)
            return

        def done(p: Path) -> None:
            if not shiboken6.isValid(self):  # the desk closed while the file was written
                return
            self.message.emit(f"已保存：{p}", False)
            self.saved.emit(p)
            if on_done:
                on_done(p)

        run_async(lambda: D.save_pdf(doc, path), done, self._failed("保存失败"))

    # --- printing ---------------------------------------------------------------------------

    def _print_clicked(self) -> None:
        self.ask_print()

    def ask_print(self, docs: list[D.Document] | None = None) -> PrintPreviewDialog | None:
        """The Chinese print preview of the chosen paper (or `docs`); the answer arrives later."""
        docs = docs if docs is not None else [d for d in (self.current(),) if d is not None]
        if not docs:
            self.message.emit("没有可打印的文书：受理或告知后才有文书", True)
            return None
        if self.preview_dialog is not None:
            self.preview_dialog.deleteLater()
        dialog = PrintPreviewDialog(docs, self.folder, self)
        dialog.accepted.connect(lambda: self.deliver(docs, dialog.destination()))
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def deliver(self, docs: list[D.Document], dest: Destination,
                on_done: Callable[[str], None] | None = None) -> None:
        """Every document to the printer, or into the documents folder; `on_done` gets one
        sentence saying where they went (for the desk's result banner)."""
        left = len(docs)
        results: list[str] = []

        def one_done(text: str) -> None:
            nonlocal left
            results.append(text)
            left -= 1
            if left == 0 and on_done is not None:
                on_done("；".join(results))

        for doc in docs:
            if dest.saves:
                self.save_to(self.folder / doc.file_name, doc,
                             lambda p, d=doc: one_done(f"{D.TITLES[d.kind]}已保存为 {p.name}"))
            else:
                from PySide6.QtPrintSupport import QPrinter

                if not D.can_rasterise():
                    self.message.emit("本机缺少PDF渲染组件（pypdfium2），无法直接打印；已改为存入文书文件夹", True)
                    self.save_to(self.folder / doc.file_name, doc,
                                 lambda p, d=doc: one_done(f"{D.TITLES[d.kind]}已保存为 {p.name}"))
                    continue
                printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                printer.setPrinterName(dest.printer)
                printer.setDocName(doc.title)
                self.print_to(printer, doc, lambda _pages, d=doc: one_done(f"{D.TITLES[d.kind]}已打印"))

    def print_to(self, printer: Any, doc: D.Document | None = None,
                 on_done: Callable[[int], None] | None = None) -> None:
        """Render and spool in the worker pool; the QPrinter must stay alive until `printed`."""
        doc = doc or self.current()
        if doc is None:
            return
        self._printers = [*getattr(self, "_printers", [])[-4:], printer]  # alive while the jobs run
        self.message.emit(f"正在打印：{doc.title}…", False)

        def done(pages: int) -> None:
            if not shiboken6.isValid(self):
                return
            self.message.emit(f"已发送到打印机：{doc.title}（{pages}页）", False)
            self.printed.emit(pages)
            if on_done:
                on_done(pages)

        run_async(lambda: D.print_pdf(doc.build(), printer), done, self._failed("打印失败"))

    def _failed(self, what: str) -> Callable[[Exception], None]:
        def report(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self.message.emit(f"{what}：{exc}", True)
        return report
