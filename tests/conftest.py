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


class FakeClock:
    """A wall clock the test moves by hand, so waits and service times are exact."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> dt.datetime:
        self.now += dt.timedelta(**kwargs)
        return self.now


SMALL_CATALOG = {
    "categories": [
        {"prefix": "A", "name": "商事登记", "daily_cap": 10, "warn_at": 8, "default_service_minutes": 10},
        {"prefix": "B", "name": "不动产登记", "daily_cap": 999, "warn_at": 900, "default_service_minutes": 20},
    ],
    "matters": [
        {
            "code": "A-001", "name": "个体工商户设立登记", "department": "区市场监督管理局", "category": "A",
            "promised_days": 3, "statutory_days": 15, "rongque_days": 3, "fee": "不收费",
            "materials": [
                {"name": "个体工商户设立登记申请书", "form": "原件", "key": True},
                {"name": "经营者身份证明", "form": "原件和复印件", "key": True},
                {"name": "经营场所使用证明", "form": "复印件", "key": False, "rongque": True},
                {"name": "委托书及代理人身份证明", "required": False, "condition": "委托代理人办理的", "key": False,
                 "rongque": True},
                {"name": "营业执照（已有的）", "key": False, "shared": True},
            ],
        },
        {
            "code": "B-001", "name": "不动产转移登记", "department": "区不动产登记中心", "category": "B",
            "promised_days": 5, "statutory_days": 30, "fee": "登记费80元",
            "materials": [{"name": "不动产登记申请书"}, {"name": "不动产权证书", "shared": True, "key": False}],
        },
    ],
}


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
