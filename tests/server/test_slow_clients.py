"""A client that opens connections and never finishes its requests (slowloris) cannot take the
hall server's connections from the terminals: each request has a deadline to arrive whole, and
one address holds a share of the connections only."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

import hallnet.runner


def half_sent(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"POST /api/queue_status HTTP/1.1\r\nHost: hall\r\nContent-Length: 2\r\n")  # the head never ends
    return sock


def closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


@pytest.fixture
def quick_deadlines(monkeypatch):
    monkeypatch.setattr(hallnet.runner, "REQUEST_DEADLINE", 0.5)
    monkeypatch.setattr(hallnet.runner, "PER_CLIENT", 8)
    return monkeypatch


def test_a_request_head_that_never_ends_is_cut_off_at_the_deadline(quick_deadlines, hall):
    with hallnet.runner.BackgroundServer(hall, daily_jobs=False) as server:
        sock = half_sent(server.port)
        idle = socket.create_connection(("127.0.0.1", server.port), timeout=5)  # connects, sends nothing
        try:
            started = time.monotonic()
            assert closed_by_server(sock, 5) and closed_by_server(idle, 5)
            assert time.monotonic() - started < 3
        finally:
            sock.close()
            idle.close()


def test_one_address_cannot_hold_more_than_its_share_and_the_hall_still_answers(quick_deadlines, hall):
    quick_deadlines.setattr(hallnet.runner, "REQUEST_DEADLINE", 60.0)  # held the whole test: only the share counts
    _, token = hall.add_terminal("取号机A", "kiosk")
    with hallnet.runner.BackgroundServer(hall, daily_jobs=False) as server:
        held = [half_sent(server.port) for _ in range(8)]
        extra = half_sent(server.port)
        try:
            assert closed_by_server(extra, 5)  # the ninth from this address
            assert not closed_by_server(held[0], 0.2)
        finally:
            for sock in (*held, extra):
                sock.close()
        answer = httpx.post(f"{server.url}/api/queue_status", json={}, headers={"Authorization": f"Bearer {token}"},
                            timeout=5)
        assert answer.status_code == 200
