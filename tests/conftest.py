"""Fixtures shared by every test: a fresh hall on a temp file with a controllable clock."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from support import SMALL_CATALOG, FakeClock  # noqa: E402


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 11, 25, 9, 0, 0))


@pytest.fixture
def hall(tmp_path: Path, clock: FakeClock):
    """A hall with two categories, a general window 1, an A-only window 2 and a B-only window 3."""
    from kiosk import open_hall
    from kiosk.models import Window

    h = open_hall(tmp_path / "hall.db", clock=clock, durable=False)
    h.import_catalog(SMALL_CATALOG, "测试目录")
    h.save_window(Window(1, "综合窗口1", ()))
    h.save_window(Window(2, "商事窗口", ("A",)))
    h.save_window(Window(3, "不动产窗口", ("B",)))
    h.save_staff("clerk1", "王晓燕", "clerk", "pass-1111")
    h.save_staff("clerk2", "李建国", "clerk", "pass-2222")
    h.save_staff("clerk3", "陈静", "clerk", "pass-3333")
    h.sign_in(1, "clerk1", "pass-1111")
    h.sign_in(2, "clerk2", "pass-2222")
    h.sign_in(3, "clerk3", "pass-3333")
    yield h
    h.close()


@pytest.fixture(autouse=True)
def _own_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own per-user data and documents folders. A networked desk or evaluator keeps
    its drafts and kept ratings in the data folder and saves its papers in 文档 (a LAN terminal
    has no hall file to keep them beside): without this, every test wrote into the tester's real
    ~/.local/share and ~/Documents, a rating or draft one test left behind was found by a later
    one (or by a suite running beside it), and a test passing alone failed in the suite."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    config = base / "config"
    config.mkdir()
    # Qt finds the documents folder in user-dirs.dirs under XDG_CONFIG_HOME, not in an env variable
    (config / "user-dirs.dirs").write_text(f'XDG_DOCUMENTS_DIR="{base / "Documents"}"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production hashing is slow on purpose; tests only need it to be correct."""
    import kiosk.passwords

    monkeypatch.setattr(kiosk.passwords, "_ITERATIONS", 1000)


def _qt_application():
    """The running QApplication, or None: never imports Qt or creates an application itself."""
    if "PySide6.QtWidgets" not in sys.modules:
        return None
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if isinstance(app, QApplication) else None


def leftover_qt_widgets() -> list:
    """Top-level widgets still alive now (an empty list when no QApplication exists)."""
    app = _qt_application()
    return list(app.topLevelWidgets()) if app is not None else []


def flush_qt_leftovers() -> None:
    """Close every open top-level window, delete every top-level widget and run the deletions now.

    Outside a running event loop (pytest never runs one between tests) a deleteLater() waits for
    the next test that spins a loop, which then pays for all of them at once (seconds for a
    hundred kiosk windows). Sending the DeferredDelete events explicitly deletes them here.
    """
    app = _qt_application()
    if app is None:
        return
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    widgets = app.topLevelWidgets()
    for w in widgets:  # close before deleting, so closeEvent handlers (timers, signals) run on intact widgets
        if shiboken6.isValid(w) and w.isVisible():
            w.close()
    for w in widgets:
        if shiboken6.isValid(w):
            w.deleteLater()
    del widgets
    for _ in range(5):  # a deletion may post more deletions (e.g. a child's deleteLater in a destructor)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        if not app.topLevelWidgets():
            break


def work_left_behind() -> list[str]:
    """The screens' background work still under way: every `ui.worker` job queued, running or
    with its callback still to come (by name), and `ui.app`'s stop flag if it is set (the app was
    told to stop). Empty when neither module was imported: never imports Qt just to look."""
    left = []
    if "ui.worker" in sys.modules:
        left += [f"job {name}" for name in sys.modules["ui.worker"].jobs_left()]
    if "ui.app" in sys.modules and sys.modules["ui.app"]._stop_requested:
        left.append("ui.app's stop flag")
    return left


def end_work_left_behind() -> None:
    """Let leftover jobs finish and call back (or let go of those that take too long) and clear
    the stop flag, so the test that leaked fails alone rather than every test after it."""
    if "ui.worker" in sys.modules:
        sys.modules["ui.worker"].end_jobs(5000)
    if "ui.app" in sys.modules:
        sys.modules["ui.app"]._stop_requested = False


def _ended(left: list[str]) -> list[str]:
    if left:
        end_work_left_behind()
    return left


@pytest.fixture(autouse=True)
def _no_qt_leftovers():
    """Every test leaves no windows, no pending deletions and no background work behind for the
    next one, and starts without any an earlier one left.

    Autouse fixtures are set up first and torn down last, so the checks after `yield` run after
    the test's own fixtures (whose drain should have ended its jobs) and after pytest-qt closed
    the widgets registered with qtbot.addWidget; a leak fails the test that leaked. Work is
    looked at before the windows left over are closed and their deletions run, whose event
    processing would otherwise run a late callback on screens already closed, and again after
    (closing a window may start a job). Work left running ran into the next test unnamed: a desk
    test's print preview closed mid-render still rendered, on the pool's threads (one a core)
    and under PDFium's one lock, while the next test waited 15 s for its 承诺书 to be saved.
    """
    earlier = _ended(work_left_behind())
    assert not earlier, f"an earlier test or a module's fixture left background work: {earlier}"
    yield
    work = _ended(work_left_behind())
    flush_qt_leftovers()
    work += _ended(work_left_behind())
    left = leftover_qt_widgets()
    assert not work, f"the test ended with background work still under way: {work}"
    assert len(left) == 0, f"top-level widgets survived the test's clean-up: {[type(w).__name__ for w in left]}"
