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
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Production hashing is slow on purpose; tests only need it to be correct."""
    import kiosk.passwords

    monkeypatch.setattr(kiosk.passwords, "_ITERATIONS", 1000)
