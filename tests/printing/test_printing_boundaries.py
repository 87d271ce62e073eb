"""printing/ is pure: it may import kiosk models but never Qt, devices or the screens."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PRINTING = Path(__file__).resolve().parents[2] / "printing"
FORBIDDEN = ("PySide6", "devices", "ui", "serial")


def test_printing_imports_no_qt_devices_or_ui() -> None:
    offenders = []
    for path in sorted(PRINTING.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []


def test_ticket_builder_imports_neither_reportlab_nor_python_escpos() -> None:
    """The kiosk builds a ticket on a touch: the heavy libraries stay out of that path."""
    code = (
        "import sys, printing.escpos_ticket, printing.escpos_decode, printing.profiles; "
        "print(sorted(m for m in ('reportlab', 'escpos', 'PIL', 'qrcode') if m in sys.modules))"
    )
    root = PRINTING.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]"
