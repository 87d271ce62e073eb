"""PDFium is not thread-safe: the desk renders previews and prints on the pool's threads, and
two renders at once crashed the whole process (a segfault in the suite, a clerk's desk gone in
the hall). Rendered from several threads at once, in a process of its own so a crash is a
failure here rather than the end of the test run."""

from __future__ import annotations

import os
import subprocess
import sys

from support import ROOT

SCRIPT = """
import io, os, sys, threading
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtGui import QGuiApplication
from reportlab.pdfgen import canvas
from ui.clerk.documents import page_images

app = QGuiApplication([])
buf = io.BytesIO()
c = canvas.Canvas(buf)
for n in range(6):
    c.drawString(100, 700, f"page {n}")
    c.showPage()
c.save()
data = buf.getvalue()
sizes, errors = [], []

def render():
    try:
        for _ in range(15):
            sizes.append(tuple((i.width(), i.height()) for i in page_images(data, dpi=40)))
    except Exception as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=render) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
assert len(sizes) == 60 and len(set(sizes)) == 1 and len(sizes[0]) == 6, sizes[:2]
print("ok")
"""


def test_documents_rendered_on_several_threads_at_once_do_not_crash_the_desk():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", (out.returncode, out.stderr[-2000:])
