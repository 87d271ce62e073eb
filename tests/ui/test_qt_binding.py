"""The Qt binding itself: a terminal emits signals all day, so emitting must not leak."""

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    plain = Signal()
    carrying = Signal(object)


def test_emitting_signals_does_not_lose_references_to_true(qapp):
    # PySide6 6.12.0 drops one reference to True per emit; after enough events the
    # interpreter aborts with "bool_dealloc". pyproject.toml excludes that release.
    e = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(200):
        e.plain.emit()
        e.carrying.emit(1)
    assert sys.getrefcount(True) - before >= 0
