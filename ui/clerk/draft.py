"""The in-progress material check, kept in a small JSON file per window.

A clerk may spend ten minutes checking a stack of papers; if the terminal crashes or is
restarted, that work must not be lost. Every change is written (off the GUI thread, latest
write wins) and restored when the workbench opens again; accepting or refusing deletes it.

The full ID number is never written here: it is sensitive personal information
(居民身份证法 Art. 13) and re-reading the card takes a second. Name and phone are kept
because retyping them is the slow part and they are needed for the decision anyway.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from ui.worker import run_async


def default_draft_dir(db_path: str) -> Path:
    """Next to the hall file when there is one; otherwise the application's data directory."""
    if db_path and db_path != ":memory:":
        return Path(db_path).resolve().parent / "drafts"
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".service-hall-terminal") / "drafts"


class DraftStore:
    """One JSON file per window. `save` and `delete` return at once; the write runs in the pool.

    Writes carry a sequence number so a slow older write can never overwrite a newer one.
    """

    def __init__(self, directory: Path, window: int) -> None:
        self.path = directory / f"window-{window}.json"
        self._lock = threading.Lock()
        self._seq = 0
        self._written = 0

    def load(self) -> dict[str, Any] | None:
        """The saved draft, or None when there is none or it cannot be read (never raises)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def save(self, draft: dict[str, Any]) -> None:
        self._submit(dict(draft))

    def delete(self) -> None:
        self._submit(None)

    def _submit(self, draft: dict[str, Any] | None) -> None:
        with self._lock:
            self._seq += 1
            seq = self._seq
        run_async(lambda: self._write(seq, draft))

    def write_now(self, draft: dict[str, Any] | None) -> None:
        """Synchronous write (closing the window: the pool may not outlive the process)."""
        with self._lock:
            self._seq += 1
            seq = self._seq
        self._write(seq, draft)

    def _write(self, seq: int, draft: dict[str, Any] | None) -> None:
        with self._lock:
            if seq < self._written:
                return
            self._written = seq
            if draft is None:
                self.path.unlink(missing_ok=True)
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(draft, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)  # atomic: a crash leaves the old draft or the new one
