"""A terminal pointed at the wrong place says what is wrong, not that a connection it never had
was lost: a host name that does not resolve, a port nobody listens on, https spoken to a plain
server and http to an https one, a certificate it does not trust, a web server that is not a
hall server. Still `ServerUnavailable` (the screens wait and retry on it); and a terminal that
had reached its server and lost it still says it is reconnecting."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from server_support import has_chinese

from hallnet.client import LOST_MESSAGE
from hallnet.runner import BackgroundServer, free_port, uvicorn_config
from hallnet.server import HallServer
from kiosk import open_hall
from kiosk.errors import ServerUnavailable


def refusal(url: str, token: str, cafile: str | None = None) -> str:
    with pytest.raises(ServerUnavailable) as caught:
        open_hall(url, token=token, cafile=cafile).close()
    words = str(caught.value)
    assert has_chinese(words) and words != LOST_MESSAGE and "连接已中断" not in words, words
    return words


def test_a_host_name_that_does_not_resolve(served):
    assert "无法解析主机名 no-such-hall.invalid" in refusal("http://no-such-hall.invalid:8470", served.tokens["kiosk"])


def test_a_port_nobody_listens_on(served):
    port = free_port()
    words = refusal(f"http://127.0.0.1:{port}", served.tokens["kiosk"])
    assert f"127.0.0.1:{port}：没有应答" in words and "端口" in words


def test_https_spoken_to_a_plain_http_server(served):
    words = refusal(served.url.replace("http://", "https://"), served.tokens["kiosk"])
    assert "不是 https" in words and f"http://127.0.0.1:{served.server.port}" in words


def test_something_else_than_a_hall_server_at_the_address():
    class NotFound(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotFound) as web:
        threading.Thread(target=web.serve_forever, daemon=True).start()
        try:
            words = refusal(f"http://127.0.0.1:{web.server_address[1]}", "t" * 43)
        finally:
            web.shutdown()
    assert "不是大厅服务器" in words and "404" in words


def test_a_server_that_takes_the_connection_and_never_answers_is_given_up_on_within_seconds():
    """A hung server (or another program on its port that says nothing): a terminal starting
    against it waited a report's 20 s timeout on its first question, and would not even stop
    when asked until then."""
    import socket

    from hallnet.client import LOST_AFTER

    with socket.create_server(("127.0.0.1", 0)) as silent:
        started = time.monotonic()
        words = refusal(f"http://127.0.0.1:{silent.getsockname()[1]}", "t" * 43)
        took = time.monotonic() - started
    assert "接受了连接但没有答复" in words and took < LOST_AFTER + 2, (took, words)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for the IP address 127.0.0.1 (not for the name localhost)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test certificate")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "hall.key",
                    "-out", "hall.pem", "-days", "30", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], cwd=d, check=True, capture_output=True, timeout=60)
    return d / "hall.pem", d / "hall.key"


@pytest.fixture
def https_url(served, certificate) -> Iterator[str]:
    """The served hall behind a second, https, server (as `serve --certfile --keyfile` runs it)."""
    cert, key = certificate
    port = free_port()
    server = uvicorn.Server(uvicorn_config(HallServer(served.hall, daily_jobs=False), "127.0.0.1", port,
                                           certfile=str(cert), keyfile=str(key)))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    give_up = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < give_up
        time.sleep(0.01)
    try:
        yield f"https://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_http_spoken_to_an_https_server(served, https_url):
    words = refusal(https_url.replace("https://", "http://"), served.tokens["kiosk"])
    assert "用的是 https" in words and https_url in words


def test_a_certificate_the_terminal_does_not_trust_and_one_that_names_another_host(served, https_url, certificate):
    words = refusal(https_url, served.tokens["kiosk"])
    assert "证书不受信任" in words and "cafile" in words
    words = refusal(https_url.replace("127.0.0.1", "localhost"), served.tokens["kiosk"], cafile=str(certificate[0]))
    assert "证书上没有 localhost" in words
    client = open_hall(https_url, token=served.tokens["kiosk"], cafile=str(certificate[0]))  # trusted: it is let in
    try:
        assert client.me["terminal"] == "取号机A"
    finally:
        client.close()


def test_a_server_reached_and_then_gone_is_still_a_lost_connection(hall):
    _, token = hall.add_terminal("取号机A", "kiosk")
    server = BackgroundServer(hall, daily_jobs=False).start()
    client = open_hall(server.url, token=token)
    try:
        assert client.queue_status() is not None
        server.stop()
        with pytest.raises(ServerUnavailable) as caught:
            client.queue_status()
        assert str(caught.value) == LOST_MESSAGE
    finally:
        client.close()
        server.stop()
