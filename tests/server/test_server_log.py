"""The server's request lines: the records' own format, written in batches that still reach
stderr while the server runs (every FLUSH_EVERY seconds, at once for a warning, in order)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

from support import ROOT

SCRIPT = """
import logging, sys, time
from hallnet import server_log
server_log.configure()
log = logging.getLogger("hallnet.server")
server_log.request_line(log, "127.0.0.1 取号机A POST /api/issue_ticket 200 1.2ms")
print("logged", flush=True)
sys.stdin.readline()
server_log.request_line(log, "127.0.0.1 窗口3 POST /api/call_next 200 0.9ms")
logging.getLogger("hallnet.server").warning("大厅文件正忙")
server_log.request_line(log, "127.0.0.1 取号机A POST /api/mark_printed 200 0.4ms")
print("warned", flush=True)
sys.stdin.readline()
"""
LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING) hallnet\.server .+$")


def _read_lines(stream, count: int, timeout: float) -> list[str]:
    """The next `count` whole lines the child writes to `stream`, waiting at most `timeout`."""
    os.set_blocking(stream.fileno(), False)
    give_up, got = time.monotonic() + timeout, b""
    while time.monotonic() < give_up and got.count(b"\n") < count:
        got += stream.read() or b""
        time.sleep(0.02)
    return got.decode().splitlines()


def test_request_lines_reach_stderr_while_the_server_runs_in_the_records_format_and_order():
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"logged\n"
        [first] = _read_lines(proc.stderr, 1, timeout=3.0)  # the timer writes it out while it runs
        assert proc.poll() is None
        assert LINE.match(first) and first.endswith("INFO hallnet.server 127.0.0.1 取号机A"
                                                                    " POST /api/issue_ticket 200 1.2ms")
        proc.stdin.write(b"\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == b"warned\n"
        # a warning is written at once, after the request line logged before it
        called, warned = _read_lines(proc.stderr, 2, timeout=0.3)
        assert called.endswith("INFO hallnet.server 127.0.0.1 窗口3 POST /api/call_next 200 0.9ms")
        assert warned.endswith("WARNING hallnet.server 大厅文件正忙") and LINE.match(warned)
        proc.stdin.write(b"\n")
        proc.stdin.flush()
        _, rest = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert rest.decode().strip().endswith("POST /api/mark_printed 200 0.4ms")  # written out at exit
