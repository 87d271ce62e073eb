"""Helpers for the hall-server tests: raw HTTP calls, a hall's observable state, a dropping proxy.

Plain module (imported by name from the tests in this folder), so the tests can talk to a real
server on loopback exactly as a terminal does: `POST /api/<method>` with a bearer token.
"""

from __future__ import annotations

import re
import select
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from support import main_py

ROOT = Path(__file__).resolve().parent.parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


def has_chinese(text: object) -> bool:
    return isinstance(text, str) and bool(CJK.search(text))


def post(url: str, method: str, token: str | None, body: object = None, *, key: str | None = None,
         content: bytes | None = None, timeout: float = 10.0, headers: dict[str, str] | None = None,
         client: httpx.Client | None = None) -> httpx.Response:
    """One raw `POST /api/<method>`: JSON `body` (or raw `content`), optional token and key."""
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    if key is not None:
        sent["Idempotency-Key"] = key
    kwargs: dict = {"content": content} if content is not None else {"json": {} if body is None else body}
    if client is not None:
        return client.post(f"{url}/api/{method}", headers=sent, timeout=timeout, **kwargs)
    return httpx.post(f"{url}/api/{method}", headers=sent, timeout=timeout, **kwargs)


def new_key() -> str:
    return uuid.uuid4().hex


# the manager account every `served` hall has (the demo hall's, so the demo's files work alike)
MANAGER = ("admin", "demo-admin")


def sign_in_manager(url: str, token: str, login: str = MANAGER[0], password: str = MANAGER[1]) -> None:
    """A manager signs in on the console holding `token`, as its login dialog does: the
    console's token alone does nothing beyond what every terminal reads."""
    answer = post(url, "authenticate", token, {"login": login, "password": password})
    assert answer.status_code == 200 and answer.json()["role"] == "manager", answer.text


@dataclass
class Snapshot:
    """What a refused request must leave as it was."""

    latest_event: int
    tickets: tuple
    windows: tuple
    settings: object
    terminals: tuple

    @classmethod
    def of(cls, hall) -> Snapshot:
        return cls(hall.latest_event_id(), tuple(hall.tickets()), tuple(hall.windows()), hall.settings(),
                   tuple((t.name, t.role, t.window, t.revoked_at) for t in hall.terminals()))


def wait_until(predicate, timeout: float, interval: float = 0.02) -> bool:
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


# --- `main.py` as a separate process ------------------------------------------------------


def cli(*args: str, db: Path, timeout: float = 60.0) -> subprocess.CompletedProcess:
    return main_py(*args, db=db, timeout=timeout)


def add_terminal_cli(db: Path, role: str, name: str, window: int | None = None) -> str:
    """`main.py terminal add`: the token is the last line it prints."""
    args = ["terminal", "add", "--role", role, "--name", name]
    if window is not None:
        args += ["--window", str(window)]
    out = cli(*args, db=db)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1].strip()


@dataclass
class ServeProcess:
    """`main.py serve` in its own process; its log goes to a file (a full pipe would stall it)."""

    db: Path
    port: int
    log_path: Path
    demo: bool = False
    proc: subprocess.Popen | None = None
    starts: int = 0
    _logs: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> ServeProcess:
        args = [sys.executable, "main.py", "--db", str(self.db), "serve", "--host", "127.0.0.1",
                "--port", str(self.port)] + (["--demo"] if self.demo else [])
        log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self._logs.append(log)
        log.write(f"--- start {self.starts + 1} ---\n")
        log.flush()
        self.proc = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if self.proc.poll() is not None:
                raise AssertionError(f"serve exited with {self.proc.returncode}:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"serve did not answer within {timeout}s:\n{self.log_path.read_text()[-3000:]}")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()  # SIGKILL: no shutdown, no flush, no lifespan
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        for log in self._logs:
            log.close()
        self._logs.clear()


# --- a proxy that loses answers ----------------------------------------------------------


def _read_message(sock: socket.socket, buffered: bytes) -> tuple[bytes, bytes, dict[bytes, bytes]] | None:
    """One HTTP message with a Content-Length body (or none) from `sock`: (message, leftover,
    headers), or None when the peer closed first. Chunked or open-ended bodies are not read."""
    data = buffered
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get(b"content-length", b"0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head + b"\r\n\r\n" + rest[:length], rest[length:], headers


class DroppingProxy:
    """An HTTP-aware TCP proxy on loopback in front of a hall server, which loses answers.

    It reads each request a terminal sends (keep-alive connections carry several) and forwards
    it. The first `drop` requests whose request line contains `match` are lost: in mode
    "answer" the proxy waits for the server's complete answer (so the server has certainly
    finished the change) and then resets the terminal's connection without relaying a byte of
    it; in mode "request" it resets the connection before the request reaches the server.
    Every other request and answer is relayed untouched; an answer without Content-Length (the
    event stream) switches that connection to a plain byte relay.
    """

    def __init__(self, upstream_port: int, *, drop: int = 1, match: bytes = b"POST /api/",
                 mode: str = "answer") -> None:
        assert mode in ("answer", "request")
        self.upstream = ("127.0.0.1", upstream_port)
        self.drop = drop
        self.match = match
        self.mode = mode
        self.lost_requests: list[bytes] = []  # what the terminal sent on a connection that died
        self.lost_answers: list[bytes] = []  # what the server said and the terminal never heard
        self.relayed = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, name="dropping-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> DroppingProxy:
        self._accept.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._accept.join(timeout=5)
        for t in self._threads:
            t.join(timeout=5)
        self._listener.close()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        """Close with an RST, not a FIN: the terminal sees the connection die mid-request."""
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            t = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self._threads.append(t)
            t.start()

    def _take_drop(self, request: bytes) -> bool:
        first_line = request.split(b"\r\n", 1)[0]
        with self._lock:
            if self.drop > 0 and self.match in first_line:
                self.drop -= 1
                return True
            return False

    def _handle(self, client: socket.socket) -> None:
        try:
            with client, socket.create_connection(self.upstream, timeout=10) as server:
                client.settimeout(10)
                server.settimeout(10)
                pending = b""
                while not self._stop.is_set():
                    got = _read_message(client, pending)
                    if got is None:
                        return
                    request, pending, _ = got
                    dropping = self._take_drop(request)
                    if dropping and self.mode == "request":
                        self.lost_requests.append(request)
                        self._reset(client)
                        return
                    server.sendall(request)
                    answer = _read_message(server, b"")
                    if answer is None:
                        return
                    message, leftover, headers = answer
                    if dropping:
                        self.lost_requests.append(request)
                        self.lost_answers.append(message)
                        self._reset(client)
                        return
                    with self._lock:
                        self.relayed += 1
                    client.sendall(message + leftover)
                    if b"content-length" not in headers:  # a stream: relay bytes until either side ends
                        self._pipe(client, server)
                        return
        except OSError:
            return

    def _pipe(self, client: socket.socket, server: socket.socket) -> None:
        peers = {client: server, server: client}
        give_up = time.monotonic() + 30
        while not self._stop.is_set() and time.monotonic() < give_up:
            ready, _, _ = select.select(list(peers), [], [], 0.2)
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                peers[sock].sendall(data)


# --- an event-stream subscriber -------------------------------------------------------------


class SseReader:
    """`GET /api/events` read on a thread, as a terminal does: every event with data is kept, in
    the order it arrived, as (id, kind, data)."""

    def __init__(self, url: str, token: str, last_event_id: int | None = None, *, seconds: float = 20.0) -> None:
        self.url = url
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id is not None:
            self.headers["Last-Event-ID"] = str(last_event_id)
        self.seconds = seconds  # the reader gives up after this, whatever happens
        self.events: list[tuple[int, str, dict]] = []
        self.status: int | None = None
        self.error: BaseException | None = None
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._answer: httpx.Response | None = None
        self._thread = threading.Thread(target=self._read, name="sse-reader", daemon=True)

    def __enter__(self) -> SseReader:
        self._thread.start()
        assert self.connected.wait(10), f"event stream did not open: {self.error!r}"
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._answer is not None:
            self._answer.close()
        # a reader blocked in recv notices only at the server's next ping (1 s): it is a daemon
        # that touches nothing but its own list, so the test need not wait for it
        self._thread.join(timeout=0.05)

    def _read(self) -> None:
        import json

        from httpx_sse import EventSource

        give_up = time.monotonic() + self.seconds
        try:
            with httpx.stream("GET", f"{self.url}/api/events", headers=self.headers,
                              timeout=httpx.Timeout(5.0)) as answer:
                self._answer = answer
                self.status = answer.status_code
                self.connected.set()
                if answer.status_code != 200:
                    answer.read()
                    return
                for sse in EventSource(answer).iter_sse():
                    if self._stop.is_set() or time.monotonic() > give_up:
                        return
                    if sse.data:
                        self.events.append((int(sse.id), sse.event, json.loads(sse.data)))
        except BaseException as exc:  # reported to the test through .error
            if not self._stop.is_set():
                self.error = exc
            self.connected.set()

    @property
    def ids(self) -> list[int]:
        return [e[0] for e in list(self.events)]

    def wait_for_id(self, event_id: int, timeout: float = 5.0) -> bool:
        return wait_until(lambda: any(i >= event_id for i in self.ids), timeout)
