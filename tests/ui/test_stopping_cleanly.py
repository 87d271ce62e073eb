"""Ctrl+C and SIGTERM end a terminal at once and quietly, whatever it is doing: waiting for the
manager to sign in (a dialog's own loop, before the screens' loop runs) or with work still
running on the thread pool when the program ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTED = "本机设备"  # the launcher's first line, said just before the sign-in dialog is shown
LOGIN_SHOWN_AFTER = 1.5  # seconds from that line until the dialog is surely waiting in its loop
STOPS_WITHIN = 5.0


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1",
            "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}


def _stop_while_signing_in(args: list[str], sig: signal.Signals, tmp_path: Path) -> tuple[int, float, str]:
    """Start `main.py run ...`, wait until its sign-in dialog shows, send `sig`: (exit status,
    seconds it took to end, everything it printed)."""
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "main.py", "run", *args], cwd=ROOT, env=_env(tmp_path),
                                stdout=sink, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while STARTED not in out.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, out.read_text()
                time.sleep(0.1)
            assert STARTED in out.read_text(), out.read_text()
            time.sleep(LOGIN_SHOWN_AFTER)
            assert proc.poll() is None, out.read_text()
            sent = time.monotonic()
            proc.send_signal(sig)
            try:
                rc = proc.wait(timeout=STOPS_WITHIN + 5)
            except subprocess.TimeoutExpired:
                rc = -999
            took = time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return rc, took, out.read_text()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_local_console_waiting_for_its_manager_stops_on_a_signal(tmp_path: Path, sig: signal.Signals):
    rc, took, text = _stop_while_signing_in(["--role", "admin", "--db", str(tmp_path / "hall.db")], sig, tmp_path)
    assert rc in (0, 128 + sig) and took < STOPS_WITHIN, (rc, took, text[-2000:])
    assert "Traceback" not in text, text[-2000:]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_networked_console_waiting_for_its_manager_stops_on_a_signal(tmp_path: Path, sig: signal.Signals):
    from hallnet.runner import BackgroundServer
    from kiosk import open_hall

    hall = open_hall(tmp_path / "server.db", seed_demo=True)
    _, token = hall.add_terminal("管理后台", "manager")
    try:
        with BackgroundServer(hall, daily_jobs=False) as server:
            rc, took, text = _stop_while_signing_in(
                ["--role", "admin", "--hall", server.url, "--token", token], sig, tmp_path)
    finally:
        hall.close()
    assert rc in (0, 128 + sig) and took < STOPS_WITHIN, (rc, took, text[-2000:])
    assert "Traceback" not in text, text[-2000:]


# A screen's job still on the thread pool when Ctrl+C comes: the program ends once the loop has
# stopped, and the job must neither hand its answer to signals Qt has deleted by then nor run
# on against a hall already closed.
BARE_LOOP = """
    from ui.app import catch_stop_signals, create_application, run_until_stopped
    from ui.worker import run_async

    catch_stop_signals()
    app = create_application()
    run_async(lambda: time.sleep(1.5) or "answer", lambda answer: None)
    QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGINT))
    sys.exit(run_until_stopped(app))
"""
DISPLAY = """
    from kiosk import open_hall
    from ui.app import catch_stop_signals, create_application
    from ui.launcher import launch
    from ui.worker import run_async

    catch_stop_signals()
    create_application()
    hall = open_hall(sys.argv[1], seed_demo=True)
    answers = []

    def slow_read():
        time.sleep(1.5)
        return hall.queue_status()  # the hall is still open when a job under way at the stop ends

    def start_work():
        run_async(slow_read, answers.append)
        QTimer.singleShot(300, lambda: os.kill(os.getpid(), signal.SIGINT))

    QTimer.singleShot(500, start_work)
    rc = launch(hall, role="display", windowed=True)
    print("answered" if answers else "not answered")
    sys.exit(rc)
"""


@pytest.mark.parametrize("script", [BARE_LOOP, DISPLAY], ids=["bare-loop", "hall-display"])
def test_ctrl_c_with_work_in_flight_ends_without_a_traceback(tmp_path: Path, script: str):
    code = "import os, signal, sys, time\nfrom PySide6.QtCore import QTimer\n" + textwrap.dedent(script)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "hall.db")], cwd=ROOT, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "Signal source has been deleted" not in done.stderr, done.stderr[-2000:]
    assert time.monotonic() - started < 30
    if script is DISPLAY:
        assert done.stdout.strip() == "answered", done.stdout + done.stderr[-2000:]
