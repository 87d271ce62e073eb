"""Ctrl+C in the terminal that started the demo hall ends it: server, terminals and devices."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("after", [0.0, 1.0], ids=["while-the-screens-open", "once-they-are-idle"])
def test_ctrl_c_ends_the_demo_hall_cleanly_without_a_traceback(tmp_path: Path, after: float):
    """At 0 s the screens are still being built and asking the server for their first data:
    a Ctrl+C there once tore through a network call with a KeyboardInterrupt traceback. At
    1 s they are up and idle, where Qt gives Python no turn to see the signal."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path)}
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "main.py", "run"], cwd=ROOT, env=env, stdout=sink,
                                stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 60
            while "演示大厅服务器" not in out.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, out.read_text()
                time.sleep(0.2)
            time.sleep(after)
            proc.send_signal(signal.SIGINT)
            rc = proc.wait(timeout=15)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = out.read_text()
    assert "演示大厅服务器" in text
    assert rc == 0 and "Traceback" not in text, text[-2000:]
