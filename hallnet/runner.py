"""Running the hall server on uvicorn: in the foreground (`main.py serve`), or on a background
thread of this process (the demo hall and the tests, which need a real server on a loopback
port they can stop)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # without httptools uvicorn speaks h11, and writes as it does
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

from hallnet.server import HallServer
from kiosk.errors import HallError
from kiosk.hall import Hall


class _JoinedWrites:
    """A response's transport that sends its head and a fixed-length body in one write: uvicorn
    writes them separately, and on loopback or a LAN each write is a send() of its own that
    wakes the terminal once more (a tenth of a small request's server CPU). A streamed answer
    (the event stream: chunked) and a HEAD answer go out as uvicorn writes them."""

    __slots__ = ("_cycle", "_transport", "_head", "_first")

    def __init__(self, cycle: Any, transport: Any) -> None:
        self._cycle = cycle
        self._transport = transport
        self._head = b""
        self._first = True

    def write(self, data: bytes) -> None:
        if self._first:
            self._first = False
            if self._cycle.chunked_encoding is False and self._cycle.scope["method"] != "HEAD":
                self._head = data  # the body follows at once, in the same send() of the app
                return
        if self._head:
            data, self._head = self._head + data, b""
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


# A client that opens connections and never finishes a request on them (slowloris) held every
# one of uvicorn's connections with no token at all: 2,000 half-sent heads from one LAN host
# and every kiosk, desk and display got 503 until it let go. uvicorn times out only the idle
# wait between requests, so the protocol below gives each request a deadline to arrive whole,
# and each client address a share of the connections.
REQUEST_DEADLINE = 15.0  # seconds from a request's first byte (or the connection) to its last
PER_CLIENT = 200  # connections one address may hold: a hall PC uses two or three, a bench 40

_PROTOCOL: Any = "auto"
if HttpToolsProtocol is not None and hasattr(HttpToolsProtocol, "_start_asgi_task"):

    class _Protocol(HttpToolsProtocol):
        """uvicorn's httptools protocol, answering each fixed-length response in one write,
        closing a connection whose request does not arrive whole within REQUEST_DEADLINE, and
        refusing a client address more than PER_CLIENT connections."""

        _late: Any = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            host = self.client[0] if self.client else None
            if host is not None and sum(1 for c in self.connections if c.client and c.client[0] == host) > PER_CLIENT:
                transport.abort()
                return
            self._late = self.loop.call_later(REQUEST_DEADLINE, self._too_slow)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self._late is None:
                self._late = self.loop.call_later(REQUEST_DEADLINE, self._too_slow)

        def on_message_complete(self) -> None:
            self._stop_clock()
            super().on_message_complete()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_clock()
            super().connection_lost(exc)

        def _stop_clock(self) -> None:
            if self._late is not None:
                self._late.cancel()
                self._late = None

        def _too_slow(self) -> None:
            self._late = None
            if not self.transport.is_closing():
                self.transport.abort()

        def _start_asgi_task(self, cycle: Any, app: Any) -> None:
            cycle.transport = _JoinedWrites(cycle, cycle.transport)
            super()._start_asgi_task(cycle, app)

    _PROTOCOL = _Protocol


def uvicorn_config(server: HallServer, host: str, port: int, *, certfile: str | None = None,
                   keyfile: str | None = None, **kwargs: Any) -> uvicorn.Config:
    return uvicorn.Config(
        server.app, host=host, port=port, ssl_certfile=certfile, ssl_keyfile=keyfile,
        access_log=False,  # hallnet.server.RequestLog writes one line per request, with the terminal
        log_config=None, lifespan="on", timeout_graceful_shutdown=5, timeout_keep_alive=30,
        limit_concurrency=2000, interface="asgi3", http=_PROTOCOL, **kwargs)


def tls_problem(certfile: str, keyfile: str) -> str:
    """Why this certificate and key cannot serve https, in one line; empty when they can.

    uvicorn loads them only once the hall is open and the port bound, and then says "[SSL] PEM
    lib" or "key values mismatch" in OpenSSL's words; a key with a passphrase it would even ask
    for on the console of a server meant to start unattended. So the pair is loaded here first,
    as uvicorn will load it, with a passphrase callback that refuses instead of asking."""

    class _Passphrase(Exception):
        pass

    def ask(*_: object) -> bytes:
        raise _Passphrase

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile, password=ask)
    except _Passphrase:
        return (f"私钥 {keyfile} 有口令保护，服务器无人值守时无法输入口令；"
                f"请改用不带口令的私钥（如 openssl pkey -in {keyfile} -out 新文件）")
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            return f"证书 {certfile} 与私钥 {keyfile} 不匹配（不是同一对）"
        return f"证书 {certfile} 与私钥 {keyfile} 不匹配或不是PEM格式（PEM是以五个短横线开头的文本文件）"
    except PermissionError:
        return f"没有权限读取证书 {certfile} 或私钥 {keyfile}"
    except OSError as exc:
        return f"无法读取证书 {certfile} 或私钥 {keyfile}（错误码 {exc.errno}）"
    return ""


@contextlib.contextmanager
def hall_file_held(path: Path) -> Iterator[None]:
    """Hold the hall file for one server while the block runs; refuse a second with HallError.

    Two servers on one file would each keep their own idea of the hall (queues in memory, daily
    jobs, event streams) and answer their terminals differently. The hold is an exclusive lock
    on a file beside the hall's (`<hall>.server-lock`), which the operating system lets go of
    when the process ends however it ends, so a server killed outright never blocks the next
    start, as a left-over pid file would. The file itself stays: deleting it on the way out
    could let two servers lock two different files of that name. Command-line tools and the
    console may still open the hall file itself while a server runs (SQLite keeps them apart)."""
    lock_path = path.with_name(path.name + ".server-lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        why = "没有权限" if isinstance(exc, PermissionError) else f"错误码 {exc.errno}"
        raise HallError(f"无法在 {lock_path.parent} 建立服务器锁文件 {lock_path.name}（{why}）") from None
    try:
        if not _lock(fd):
            holder = _holder(fd)
            raise HallError(f"大厅数据库 {path} 已由另一个大厅服务器使用{holder}；"
                            "同一个数据库只能由一个服务器打开，请先停止那一个")
        if os.name != "nt":  # who holds it, for the refusal above (Windows lets nobody else read it)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)  # the lock goes with the descriptor


def _lock(fd: int) -> bool:
    """Lock the file exclusively without waiting; False when another process holds it."""
    if os.name == "nt":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # byte 0: released when the process ends
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str:
    """Who holds the lock, as the refusal names it: the pid the holder wrote, or nothing where
    there is none (on Windows the locked byte is the holder's alone, so none is written)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        pid = os.read(fd, 32).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f"（进程 {pid}）" if pid.isdigit() else ""


def listen_on(host: str, port: int) -> socket.socket:
    """A socket bound to host:port and listening, or HallError saying why not in one line.

    Bound here, before the address is announced: uvicorn binds only after starting the app and
    then says "[Errno 98] error while attempting to bind" in English, after the server's address
    had been printed as if it were serving."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    except (socket.gaierror, UnicodeError):
        raise HallError(f"无法解析监听地址 {host}：--host 应为本机的IP地址（或 0.0.0.0 表示本机所有地址）") from None
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        raise HallError(_bind_words(exc, host, port)) from None


def _bind_words(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"端口 {port} 已被占用（本机已有别的程序在 {host}:{port} 监听，是哪个程序无从得知），"
                f"请用 --port 换一个端口，如 --port {port + 1 if port < 65535 else 8470}")
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"本机没有地址 {host}：--host 应为本机的IP地址（或 0.0.0.0 表示本机所有地址）"
    if exc.errno == errno.EACCES or getattr(exc, "winerror", None) == 10013:
        return f"没有权限在端口 {port} 监听（1024 以下的端口须管理员权限，或该端口被系统保留），请用 --port 换一个端口"
    return f"无法在 {host}:{port} 监听（错误码 {exc.errno}）"


def serve_forever(hall: Hall, listener: socket.socket, *, certfile: str | None = None,
                  keyfile: str | None = None) -> None:
    """Serve on `listener` (see `listen_on`) until SIGTERM or Ctrl+C (uvicorn stops taking
    requests, lets running ones finish, closes the event streams and the socket); the caller
    closes the hall afterwards."""
    server = HallServer(hall, freeze_at_start=True)
    host, port = listener.getsockname()[:2]
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again for the
    # handler that was there before it; with this one the caller still closes the hall file
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        config = uvicorn_config(server, host, port, certfile=certfile, keyfile=keyfile)
        uvicorn.Server(config).run(sockets=[listener])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class BackgroundServer:
    """A real hall server on a loopback port, on a thread of this process."""

    def __init__(self, hall: Hall, host: str = "127.0.0.1", port: int = 0, **server_kwargs: Any) -> None:
        self.hall = hall
        self.host = host
        self.port = port or free_port(host)
        self.hall_server = HallServer(hall, **server_kwargs)
        self.server = uvicorn.Server(uvicorn_config(self.hall_server, host, self.port))
        self.thread = threading.Thread(target=self.server.run, name="hall-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        self.thread.start()
        give_up = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > give_up:
                raise HallError(f"大厅服务器未能在 {self.host}:{self.port} 启动")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        # end the event streams first: uvicorn would otherwise wait out its graceful timeout on them
        self.hall_server.end_streams()
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

