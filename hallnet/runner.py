"""Running the hall server on uvicorn: in the foreground (`main.py serve`), or on a background
thread of this process (the demo hall and the tests, which need a real server on a loopback
port they can stop)."""

from __future__ import annotations

import signal
import socket
import threading
import time
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


def serve_forever(hall: Hall, host: str, port: int, *, certfile: str | None = None,
                  keyfile: str | None = None) -> None:
    """Serve until SIGTERM or Ctrl+C (uvicorn stops taking requests, lets running ones finish,
    closes the event streams); the caller closes the hall afterwards."""
    server = HallServer(hall, freeze_at_start=True)
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then raises the signal again for the
    # handler that was there before it; with this one the caller still closes the hall file
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        uvicorn.Server(uvicorn_config(server, host, port, certfile=certfile, keyfile=keyfile)).run()
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

