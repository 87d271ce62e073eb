"""Shared test helpers (plain module, importable from any test folder)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main_py(*args: str, db: Path | None = None, stdin: str = "", timeout: float = 60.0) -> subprocess.CompletedProcess:
    """`main.py ARGS [--db DB]` as a separate process with no display, as CI runs it; `stdin`
    is all it may read (a password for `staff`), so nothing ever waits for a keyboard."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    cmd = [sys.executable, "main.py", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout, input=stdin)


def demo_hall_file(path: Path) -> Path:
    """A hall file holding the demo hall: the command line never seeds a file given with --db."""
    from kiosk import open_hall

    open_hall(path, seed_demo=True).close()
    return path


def digest(path: Path) -> str:
    """The file's bytes, to show a refused command changed nothing in it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


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


def settle(hall) -> None:
    """Wait until events committed so far have reached the hall's listeners (at once in process;
    through a hall server they arrive on the client's event thread)."""
    catch_up = getattr(hall, "catch_up", None)
    if catch_up is not None:
        assert catch_up(), "events did not arrive from the hall server"


def with_a_window(hall):
    """The hall with one general window: a hall issues no number that no window would call."""
    from kiosk.models import Window

    hall.save_window(Window(1, "综合窗口", ()))
    return hall
