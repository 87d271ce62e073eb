"""`main.py serve` refusing to start, in one Chinese line and before it announces an address:
a port another program holds, a hall file another server already serves, and a certificate
that does not go with its key. A server killed outright leaves nothing that blocks the next."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from server_support import ROOT, ServeProcess, has_chinese
from support import demo_hall_file, digest

from hallnet.runner import free_port


def serve(db: Path, *args: str, timeout: float = 30.0) -> subprocess.CompletedProcess:
    """`main.py serve` that is expected to refuse: detached from the console, so a key's
    passphrase could never be asked for there, and with nothing to read on stdin."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([sys.executable, "main.py", "--db", str(db), "serve", "--host", "127.0.0.1", *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=timeout,
                          stdin=subprocess.DEVNULL, start_new_session=True)


def one_chinese_line(out: subprocess.CompletedProcess) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    line = lines[0]
    assert line.startswith("错误：") and has_chinese(line), line
    assert "大厅服务器：" not in out.stderr  # no address announced as if it were serving
    for english in ("Traceback", "Errno", "error while", "SSL", "PEM lib", "uvicorn"):
        assert english not in out.stderr, out.stderr
    return line


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return demo_hall_file(tmp_path / "hall.db")


def test_a_port_another_program_listens_on_is_refused_in_one_line_without_the_address(db):
    before = digest(db)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        out = serve(db, "--port", str(port))
    assert out.returncode == 1
    line = one_chinese_line(out)
    assert f"端口 {port} 已被占用" in line and "--port" in line
    assert digest(db) == before  # the hall was not even opened: no daily jobs ran on it


def test_a_second_server_on_the_same_hall_file_is_refused_and_a_killed_one_blocks_nothing(db, tmp_path):
    first = ServeProcess(db, free_port(), tmp_path / "first.log")
    again = ServeProcess(db, free_port(), tmp_path / "again.log")
    try:
        first.start()
        before = digest(db)
        out = serve(db, "--port", str(free_port()))
        assert out.returncode == 1
        line = one_chinese_line(out)
        assert str(db) in line and "另一个大厅服务器" in line and f"进程 {first.proc.pid}" in line
        # the same port as well: it is the file that is said to be taken, not the port
        line = one_chinese_line(serve(db, "--port", str(first.port)))
        assert "另一个大厅服务器" in line
        assert digest(db) == before
        first.kill9()  # no shutdown at all: the lock goes with the process
        again.start()
    finally:
        first.stop()
        again.stop()


def test_a_copy_of_the_hall_file_elsewhere_is_another_hall_and_may_be_served(db, tmp_path):
    first = ServeProcess(db, free_port(), tmp_path / "first.log")
    other_dir = tmp_path / "elsewhere"
    other_dir.mkdir()
    other = ServeProcess(other_dir / "hall.db", free_port(), tmp_path / "other.log", demo=True)
    try:
        first.start()
        other.start()
    finally:
        first.stop()
        other.stop()


@pytest.fixture(scope="module")
def pems(tmp_path_factory) -> dict[str, Path]:
    """A certificate with its key, another pair's key, a key with a passphrase and a file that is
    no PEM at all."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificates")
    d = tmp_path_factory.mktemp("pems")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=d, check=True, capture_output=True, timeout=60)

    for name in ("good", "other"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.pem",
                "-days", "30", "-subj", "/CN=127.0.0.1")
    openssl("genrsa", "-aes256", "-passout", "pass:secret", "-out", "locked.key", "2048")
    (d / "notpem.key").write_text("这不是私钥\n", encoding="utf-8")
    return {p.stem if p.suffix == ".key" else p.name: p for p in d.iterdir()}


@pytest.mark.parametrize(("key", "words"), [("other", "不匹配"), ("notpem", "PEM"), ("locked", "口令")])
def test_a_certificate_and_key_that_do_not_serve_https_are_refused_before_anything_starts(db, pems, key, words):
    before = digest(db)
    out = serve(db, "--port", str(free_port()), "--certfile", str(pems["good.pem"]), "--keyfile", str(pems[key]))
    assert out.returncode == 2
    assert words in one_chinese_line(out)
    assert digest(db) == before


def test_a_matching_pair_serves_https(db, pems, tmp_path):
    port = free_port()
    log = tmp_path / "tls.log"
    args = [sys.executable, "main.py", "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port),
            "--certfile", str(pems["good.pem"]), "--keyfile", str(pems["good"])]
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        import ssl
        import time

        context = ssl.create_default_context(cafile=str(pems["good.pem"]))
        context.check_hostname = False
        give_up = time.monotonic() + 20
        while True:
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as raw, \
                        context.wrap_socket(raw) as tls:
                    tls.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    assert tls.recv(100).startswith(b"HTTP/1.1 200")
                    break
            except OSError:
                assert time.monotonic() < give_up, log.read_text(encoding="utf-8")
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    assert f"大厅服务器：https://127.0.0.1:{port}" in log.read_text(encoding="utf-8")
