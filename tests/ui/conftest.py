"""Guards for the Qt tests: each one starts on a clean QApplication."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def _starts_without_qt_leftovers():
    """No window and no widget awaiting deferred deletion is left over from an earlier test.

    Leftovers are not harmless: outside a running event loop deleteLater() only queues the
    deletion, and the next test that spins the loop (a qtbot.waitUntil) pays for all of them
    at once, which once made a 5 s wait in test_voice time out after test_kiosk_layout.
    The root conftest's _no_qt_leftovers clears them after every test; this pins that down.
    """
    if "PySide6.QtWidgets" in sys.modules:  # never import Qt (or create an application) just to look
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        left = app.topLevelWidgets() if isinstance(app, QApplication) else []
        names = sorted({type(w).__name__ for w in left})
        assert len(left) == 0, f"an earlier test left {len(left)} top-level widgets: {names}"
