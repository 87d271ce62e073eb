"""Running the hall server on uvicorn: in the foreground (`main.py serve`), or on a background
thread of this process (the demo hall and the tests, which need a real server on a loopback
port they can stop)."""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from typing import Any

import uvicorn

from hallnet.server import HallServer
from kiosk.errors import HallError
from kiosk.hall import Hall

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def uvicorn_config(server: HallServer, host: str, port: int, *, certfile: str | None = None,
                   keyfile: str | None = None, **kwargs: Any) -> uvicorn.Config:
    return uvicorn.Config(
        server.app, host=host, port=port, ssl_certfile=certfile, ssl_keyfile=keyfile,
        access_log=False,  # hallnet.server.RequestLog writes one line per request, with the terminal
        log_config=None, lifespan="on", timeout_graceful_shutdown=5, timeout_keep_alive=30,
        limit_concurrency=2000, interface="asgi3", **kwargs)


def serve_forever(hall: Hall, host: str, port: int, *, certfile: str | None = None,
                  keyfile: str | None = None) -> None:
    """Serve until SIGTERM or Ctrl+C (uvicorn stops taking requests, lets running ones finish,
    closes the event streams); the caller closes the hall afterwards."""
    server = HallServer(hall)
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


def configure_logging(level: int = logging.INFO) -> None:
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("httpx").setLevel(logging.WARNING)
