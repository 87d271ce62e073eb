"""Hall server speed over loopback, against the server's own do-nothing request in the same run.

Why these figures: every terminal of a hall reaches the one server process, so what a citizen
waits for at a kiosk is a whole ticket (issue_ticket, answered only once its commit is synced to
disk as synchronous=FULL would, by the store's group commit, then mark_printed, which rides on
the next sync) measured at the client, and what the hall display
shows lags a clerk's call by the push latency. The yardstick is `GET /api/ping`, an
authenticated request that does nothing, at the same concurrency on the same server: its rate
is what HTTP, uvicorn, Starlette and the token check cost, so "tickets/s against ping/s" shows
how much the hall itself (threads, SQLite, fsync, events) adds on top, independent of how fast
this machine happens to be. Baseline and measured rounds alternate (baseline, issue, baseline,
issue, ...) so drift of the disk or the machine hits both alike.

What runs: the real server (`main.py serve --demo`) as a subprocess on a free 127.0.0.1 port,
its terminals registered with `main.py terminal add` (a prepared hall file is copied fresh for
every scenario, so each starts on an empty day; the two parts of the push scenario share one). Because the demo catalog's daily caps
(120..300 per category, 1,720 tickets a day) would be used up within seconds, the manager
terminal raises every category to the largest cap numbering allows (999, warning at 900) over
the API before the copies are made; issuing rotates over the matters of all eight categories,
and every round is bounded by a ticket budget as well as by time, so no request is refused.

Scenarios: issuing whole kiosk tickets with 1, 8 and 32 concurrent clients; a mix at 8 clients
(4 kiosks issuing whole tickets, clerks at windows 1..4 calling next and finishing); and push
latency: a display terminal subscribed to `/api/events` (httpx + httpx_sse, as the terminals
do) timing call_next sent -> TicketCalled event received, on a quiet hall and while 7 kiosks
issue. Nothing is ever paused or excluded: a round's clock runs from its first request to the
last answer, including whatever finishes after the deadline.

The load generator: the machine has 2 cores and the server, one Python process, can use about
one of them (its event loop and worker threads share the GIL). httpx costs about 0.33 ms of
client CPU per request here, against 0.07 ms for the minimal client below (--httpx-cost measures
both); at the several thousand requests a second of the ping rounds httpx alone would need most
of the second core and the client, not the server, would set the pace. Several client processes
would not help: they share the same two cores with the server. So the load comes from one
asyncio process speaking minimal HTTP/1.1 on keep-alive sockets, one connection per client (as
a terminal's httpx.Client keeps one), each client sending its next request when the last is
answered. Every round prints the CPU this generator, the server and everything else on the
machine used, so it shows when the generator competes with the server or another program
disturbs the figures. Only the push measurement uses httpx (the clerk's call, the display's
event stream), where realism matters more than client cost; the kiosks issuing in the
background of its second part run in a separate process so they cannot hold its GIL.

Judging the aims: rates by the median over repeats; latencies by the p99 of all rounds pooled
(a 200-sample round's p99 is merely its third-worst value), with the worst round shown too.

    .venv/bin/python bench/server_bench.py [--quick] [--repeats N] [--seconds S] [--dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from httpx_sse import connect_sse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.keyfile import key_path_for  # noqa: E402 - the project's own rule for where the key lives

HOST = "127.0.0.1"  # the only address this benchmark ever talks to
HOLDER_ID = "11010519491231002X"
CAP = 999  # three-digit numbers: the largest daily cap a category may have
WARN_AT = 900
KIOSKS = 32
CLERK_WINDOWS = 8  # clerk01..clerk08 of resources/demo_hall.json, window N <-> clerk0N
MIX_KIOSKS = 4
MIX_CLERKS = 4  # windows 1..4 serve every category
PUSH_BACKGROUND_KIOSKS = 7
AIM_TICKETS_PER_S = 1100
AIM_P99_MS = 10.0
AIM_PUSH_P99_MS = 100.0
TICK = os.sysconf("SC_CLK_TCK")
STALL_LIMIT = 30.0  # seconds without the server finishing a step: give up rather than hang


# --- figures -------------------------------------------------------------------------------


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system, all threads) of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def own_cpu() -> float:
    t = os.times()
    return t.user + t.system


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy (all cores), from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / TICK


class CpuMeter:
    """Who used the CPU between start and stop: this generator, the server, everything else."""

    def __init__(self, server_pid: int) -> None:
        self.pid = server_pid
        self.start = (own_cpu(), process_cpu(server_pid), machine_busy())

    def stop(self, out: Round, extra_gen: float = 0.0) -> None:
        gen, srv, busy = own_cpu(), process_cpu(self.pid), machine_busy()
        out.gen_cpu = gen - self.start[0] + extra_gen
        out.server_cpu = srv - self.start[1]
        out.other_cpu = max(0.0, busy - self.start[2] - out.gen_cpu - out.server_cpu)


@dataclass
class Round:
    """One timed round: completed operations, their latencies, and who used the CPU."""

    label: str
    ops: int = 0
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    empty_calls: int = 0
    background: int = 0  # tickets the background kiosks issued during a push round
    budget_hit: bool = False
    gen_cpu: float = 0.0
    server_cpu: float = 0.0
    other_cpu: float = 0.0  # every other process on the machine (a test run, the OS)

    @property
    def rate(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    def add(self, kind: str, latency: float) -> None:
        self.ops += 1
        self.latencies.append(latency)
        self.by_kind.setdefault(kind, []).append(latency)

    def cpu_text(self) -> str:
        def share(cpu: float) -> str:
            return f"{cpu / self.seconds * 100:3.0f}%"
        per = 1e6 / max(1, self.requests)
        return (f"gen {share(self.gen_cpu)} server {share(self.server_cpu)} other {share(self.other_cpu)}"
                f"  (CPU/request: gen {self.gen_cpu * per:.0f} us, server {self.server_cpu * per:.0f} us)")


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """`main.py serve` on a loopback port, stopped with SIGTERM (by its own pid) when done."""

    def __init__(self, db: Path, log: Path) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self._log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "serve", "--db", str(db), "--host", HOST, "--port",
             str(self.port), "--demo"],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_healthy(20.0)

    def _wait_healthy(self, timeout: float) -> None:
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}; see {self._log.name}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.url}/health", timeout=1.0).status_code == 200:
                    return
            time.sleep(0.05)
        self.stop()
        raise SystemExit(f"the server did not answer /health within {timeout:.0f} s; see {self._log.name}")

    def cpu(self) -> float:
        return process_cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def terminal_add(db: Path, role: str, name: str, window: int | None = None) -> str:
    """Register a terminal with the CLI; its token is the last line printed."""
    cmd = [sys.executable, str(ROOT / "main.py"), "terminal", "add", "--db", str(db), "--role", role, "--name", name]
    if window is not None:
        cmd += ["--window", str(window)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"terminal add {name} failed: {done.stderr.strip() or done.stdout.strip()}")
    return lines[-1].strip()


@dataclass
class Template:
    """A seeded hall file with its terminals registered, copied fresh for every scenario."""

    db: Path
    kiosks: list[str]
    clerks: dict[int, str]
    display: str
    manager: str
    matters: list[str]  # rotation over all categories, so caps fill evenly
    categories: int
    logins: dict[int, tuple[str, str]]


def build_template(directory: Path) -> Template:
    db = directory / "template.db"
    server = Server(db, directory / "server-template.log")  # --demo seeds the catalog, windows, staff
    try:
        jobs: list[tuple[str, str, int | None]] = [("kiosk", f"取号机{i + 1:02d}", None) for i in range(KIOSKS)]
        jobs += [("clerk", f"{w}号窗口工作台", w) for w in range(1, CLERK_WINDOWS + 1)]
        jobs += [("display", "大厅显示屏", None), ("manager", "管理后台", None)]
        with ThreadPoolExecutor(max_workers=4) as pool:
            tokens = list(pool.map(lambda job: terminal_add(db, *job), jobs))
        kiosks = tokens[:KIOSKS]
        clerks = {w: tokens[KIOSKS + w - 1] for w in range(1, CLERK_WINDOWS + 1)}
        display, manager = tokens[-2], tokens[-1]
        demo = json.loads((ROOT / "resources" / "demo_hall.json").read_text(encoding="utf-8"))
        boss = next(s for s in demo["staff"] if s["role"] == "manager")
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {manager}"}, timeout=10) as http:
            # the console's token alone is no manager: its manager signs in, as the login dialog does
            http.post("/api/authenticate", json={"login": boss["login"], "password": boss["password"]}).raise_for_status()
            categories = http.post("/api/categories", json={}).raise_for_status().json()
            for cat in categories:
                cat.update(daily_cap=CAP, warn_at=WARN_AT)
                http.post("/api/save_category", json={"category": cat},
                          headers={"Idempotency-Key": uuid.uuid4().hex}).raise_for_status()
            matters = http.post("/api/matters", json={}).raise_for_status().json()
    finally:
        server.stop()
    by_cat: dict[str, list[str]] = {}
    for m in matters:
        by_cat.setdefault(m["category"], []).append(m["code"])
    rotation = [codes[i % len(codes)] for i in range(max(map(len, by_cat.values()))) for codes in by_cat.values()]
    clerk_staff = [s for s in demo["staff"] if s["role"] == "clerk"]
    logins = {w: (s["login"], s["password"]) for w, s in enumerate(clerk_staff[:CLERK_WINDOWS], start=1)}
    return Template(db, kiosks, clerks, display, manager, rotation, len(by_cat), logins)


@contextlib.contextmanager
def fresh_server(template: Template, directory: Path, name: str) -> Iterator[Server]:
    db = directory / f"{name}.db"
    shutil.copyfile(template.db, db)
    wal = Path(f"{template.db}-wal")
    if wal.exists():
        shutil.copyfile(wal, f"{db}-wal")
    # the hall's ID-hash secret lives beside the file, and a copied hall is refused without it
    shutil.copy2(key_path_for(template.db), key_path_for(db))
    server = Server(db, directory / f"server-{name}.log")
    try:
        yield server
    finally:
        server.stop()


# --- the load generator: minimal HTTP/1.1 on keep-alive sockets -----------------------------


class Refused(Exception):
    pass


class Conn:
    """One terminal's keep-alive connection; requests go one at a time, as a terminal sends them."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.prefix = f"Host: {HOST}:{port}\r\nAuthorization: Bearer {token}\r\n".encode()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> Conn:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        return self

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()

    async def send(self, method: str, path: str, body: bytes | None = None, key: str = "") -> tuple[int, bytes]:
        try:
            return await self._send(method, path, body, key)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            self.writer = self.reader = None
            raise Refused(f"{path}: the connection failed: {exc!r}") from exc

    async def _send(self, method: str, path: str, body: bytes | None, key: str) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            await self.open()
        assert self.writer is not None and self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\n".encode() + self.prefix
        if body is not None:
            head += b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        if key:
            head += b"Idempotency-Key: " + key.encode() + b"\r\n"
        self.writer.write(head + b"\r\n" + (body or b""))
        header = await self.reader.readuntil(b"\r\n\r\n")
        status = int(header[9:12])
        lower = header.lower()
        at = lower.find(b"\r\ncontent-length:")
        if at < 0:
            raise Refused(f"{path}: answer without Content-Length")
        length = int(lower[at + 17:lower.index(b"\r\n", at + 2)])
        content = await self.reader.readexactly(length)
        if b"\r\nconnection: close" in lower:
            await self.close()
            self.writer = self.reader = None
        return status, content

    async def post(self, name: str, body: dict[str, Any], *, change: bool = True) -> Any:
        status, content = await self.send("POST", f"/api/{name}", json.dumps(body, ensure_ascii=False).encode(),
                                          uuid.uuid4().hex if change else "")
        if status != 200:
            raise Refused(f"{name} -> HTTP {status}: {content[:200].decode(errors='replace')}")
        return json.loads(content)


class Budget:
    """How many whole tickets a round may still issue (the day's caps are finite)."""

    def __init__(self, n: int) -> None:
        self.left = n
        self.hit = False

    def take(self) -> bool:
        if self.left <= 0:
            self.hit = True
            return False
        self.left -= 1
        return True


class Matters:
    """The next matter code, rotating over every category."""

    def __init__(self, codes: list[str], start: int = 0) -> None:
        self.codes = codes
        self.i = start

    def next(self) -> str:
        self.i += 1
        return self.codes[self.i % len(self.codes)]


def issue_body(code: str) -> dict[str, Any]:
    return {"matter_code": code, "holder_name": "张三", "holder_id": HOLDER_ID, "phone": "13800138000"}


async def whole_ticket(conn: Conn, matters: Matters) -> int:
    ticket = await conn.post("issue_ticket", issue_body(matters.next()))
    await conn.post("mark_printed", {"ticket_id": ticket["id"], "ok": True})
    return int(ticket["id"])


async def kiosk_loop(conn: Conn, matters: Matters, deadline: float, budget: Budget, out: Round) -> None:
    while time.perf_counter() < deadline and budget.take():
        t0 = time.perf_counter()
        try:
            await whole_ticket(conn, matters)
        except Refused as exc:
            out.errors.append(str(exc))
            return
        out.add("ticket", time.perf_counter() - t0)
        out.requests += 2


async def ping_loop(conn: Conn, deadline: float, limit: int, out: Round) -> None:
    for _ in range(limit):
        if time.perf_counter() >= deadline:
            return
        t0 = time.perf_counter()
        try:
            status, content = await conn.send("GET", "/api/ping")
        except Refused as exc:
            out.errors.append(str(exc))
            return
        if status != 200:
            out.errors.append(f"ping -> HTTP {status}: {content[:200]!r}")
            return
        out.add("ping", time.perf_counter() - t0)
        out.requests += 1


async def clerk_loop(conn: Conn, window: int, deadline: float, limit: int, out: Round) -> None:
    """call_next then finish, as a clerk at a window does; an empty call is counted as such."""
    for _ in range(limit):
        if time.perf_counter() >= deadline:
            return
        try:
            t0 = time.perf_counter()
            ticket = await conn.post("call_next", {"window": window})
            t1 = time.perf_counter()
            out.add("call_next", t1 - t0)
            out.requests += 1
            if ticket is None:
                out.empty_calls += 1
                continue
            await conn.post("finish", {"ticket_id": ticket["id"], "window": window})
            out.add("finish", time.perf_counter() - t1)
            out.requests += 1
        except Refused as exc:
            out.errors.append(str(exc))
            return


async def bounded(*steps: Any, seconds: float = STALL_LIMIT) -> None:
    """Run client coroutines together; a server that stops answering ends the benchmark."""
    try:
        await asyncio.wait_for(asyncio.gather(*steps), seconds)
    except TimeoutError:
        raise SystemExit(f"the server did not answer within {seconds:.0f} s") from None


async def timed(label: str, server: Server, body: Callable[[Round], list[Any]], seconds: float) -> Round:
    """Run one round's client coroutines; the clock covers the first request to the last answer."""
    out = Round(label)
    meter = CpuMeter(server.proc.pid)
    t0 = time.perf_counter()
    await bounded(*body(out), seconds=seconds + STALL_LIMIT)
    out.seconds = time.perf_counter() - t0
    meter.stop(out)
    return out


# --- scenarios -----------------------------------------------------------------------------


@dataclass
class Settings:
    seconds: float
    repeats: int
    push_calls: int


@dataclass
class Pair:
    baseline: Round
    measured: Round


class Capacity:
    """Tickets the scenario's fresh day can still issue, shared out over the rounds left."""

    def __init__(self, categories: int) -> None:
        self.left = categories * CAP - 5 * categories  # a little room for uneven rotation

    def share(self, rounds_left: int) -> int:
        return max(0, self.left // max(1, rounds_left))

    def spend(self, n: int) -> None:
        self.left -= n


async def open_conns(port: int, tokens: list[str]) -> list[Conn]:
    return [await Conn(port, t).open() for t in tokens]


async def sign_in(conns: dict[int, Conn], template: Template) -> None:
    for window, conn in conns.items():
        login, password = template.logins[window]
        await conn.post("sign_in", {"window": window, "login": login, "password": password})


async def alternate_rounds(name: str, server: Server, settings: Settings, capacity: Capacity, pingers: list,
                           loops, tickets) -> list[Pair]:  # noqa: ANN001 - the scenario's coroutine factory
    """Rounds of the do-nothing ping and of the measured work, in turns at the same concurrency,
    so both see the same machine; each measured round gets its share of the day's ticket caps."""
    pairs = []
    for r in range(settings.repeats):
        deadline = time.perf_counter() + settings.seconds
        base = await timed("ping", server, lambda out, d=deadline: [
            ping_loop(p, d, 1_000_000, out) for p in pingers], settings.seconds)
        budget = Budget(capacity.share(settings.repeats - r))
        deadline = time.perf_counter() + settings.seconds
        measured = await timed(name, server, lambda out, d=deadline, b=budget: loops(out, d, b), settings.seconds)
        measured.budget_hit = budget.hit
        capacity.spend(tickets(measured))
        pairs.append(Pair(base, measured))
    return pairs


async def issue_scenario(template: Template, server: Server, clients: int, settings: Settings) -> list[Pair]:
    kiosks = await open_conns(server.port, [template.kiosks[i % KIOSKS] for i in range(clients)])
    pingers = await open_conns(server.port, [template.kiosks[i % KIOSKS] for i in range(clients)])
    matters = Matters(template.matters)
    capacity = Capacity(template.categories)
    # warm-up (not reported): every connection answers once, the threads and caches exist
    await bounded(*(whole_ticket(k, matters) for k in kiosks), *(p.send("GET", "/api/ping") for p in pingers))
    capacity.spend(clients)
    pairs = await alternate_rounds(
        "issue", server, settings, capacity, pingers,
        lambda out, d, b: [kiosk_loop(k, matters, d, b, out) for k in kiosks],
        tickets=lambda r: r.ops)
    for c in kiosks + pingers:
        await c.close()
    return pairs


async def mix_scenario(template: Template, server: Server, settings: Settings) -> list[Pair]:
    kiosks = await open_conns(server.port, template.kiosks[:MIX_KIOSKS])
    clerks = {w: await Conn(server.port, template.clerks[w]).open() for w in range(1, MIX_CLERKS + 1)}
    pingers = await open_conns(server.port, template.kiosks[:MIX_KIOSKS] + [template.clerks[w] for w in clerks])
    await bounded(sign_in(clerks, template))
    matters = Matters(template.matters)
    capacity = Capacity(template.categories)
    # a queue to call from: a busy morning's backlog (issued before any round, not reported)
    backlog = min(150 * MIX_CLERKS, capacity.left // 4)
    for _ in range(backlog // MIX_KIOSKS):
        await bounded(*(whole_ticket(k, matters) for k in kiosks))
    await bounded(*(p.send("GET", "/api/ping") for p in pingers))
    capacity.spend(backlog)
    pairs = await alternate_rounds(
        "mix", server, settings, capacity, pingers,
        lambda out, d, b: [*(kiosk_loop(k, matters, d, b, out) for k in kiosks),
                           *(clerk_loop(c, w, d, 1_000_000, out) for w, c in clerks.items())],
        tickets=lambda r: len(r.by_kind.get("ticket", [])))
    for c in [*kiosks, *clerks.values(), *pingers]:
        await c.close()
    return pairs


# --- push latency ---------------------------------------------------------------------------


class Display:
    """A display terminal's event stream on its own thread, noting when each TicketCalled arrives."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.arrived: dict[int, float] = {}
        self.cond = threading.Condition()
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.error = ""
        self.response: httpx.Response | None = None
        self.thread = threading.Thread(target=self._listen, name="display-sse", daemon=True)
        self.thread.start()
        if not self.ready.wait(10) or self.response is None:
            raise SystemExit(f"the event stream did not open: {self.error}")

    def _listen(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            with httpx.Client(base_url=self.url, headers=headers, timeout=httpx.Timeout(5.0)) as http, \
                    connect_sse(http, "GET", "/api/events") as source:
                source.response.raise_for_status()
                self.response = source.response
                self.ready.set()
                for sse in source.iter_sse():
                    if sse.event == "TicketCalled":
                        at = time.perf_counter()
                        ticket_id = json.loads(sse.data)["ticket_id"]
                        with self.cond:
                            self.arrived[ticket_id] = at
                            self.cond.notify_all()
                    if self.stop.is_set():
                        return
        except Exception as exc:  # reported by the measuring thread; expected once close() cut the stream
            if not self.stop.is_set():
                self.error = repr(exc)
        finally:
            self.ready.set()

    def wait_for(self, ticket_id: int, timeout: float) -> float | None:
        give_up = time.monotonic() + timeout
        with self.cond:
            while ticket_id not in self.arrived:
                left = give_up - time.monotonic()
                if left <= 0 or not self.thread.is_alive():
                    return None
                self.cond.wait(left)
            return self.arrived.pop(ticket_id)

    def close(self) -> None:
        """Cut the stream (pings are comments, which iter_sse never yields, so the thread would
        otherwise only notice `stop` at the next event)."""
        self.stop.set()
        if self.response is not None:
            with contextlib.suppress(Exception):
                self.response.close()
        self.thread.join(timeout=5)


def background_kiosks(port: int, tokens: list[str], codes: list[str], budget: int, seconds: float,
                      stop: Any, issued: Any, results: Any) -> None:
    """A separate process: kiosks issuing whole tickets until told to stop (or time/budget runs out)."""

    async def run() -> list[str]:
        conns = await open_conns(port, tokens)
        matters, left, errors = Matters(codes), Budget(budget), []
        deadline = time.perf_counter() + seconds

        async def watch() -> None:
            nonlocal deadline
            while not stop.is_set() and time.perf_counter() < deadline:
                await asyncio.sleep(0.02)
            deadline = 0.0

        async def kiosk(conn: Conn) -> None:
            while time.perf_counter() < deadline and left.take():
                try:
                    await whole_ticket(conn, matters)
                except Refused as exc:
                    errors.append(str(exc))
                    return
                issued.value += 1

        watcher = asyncio.ensure_future(watch())
        await bounded(*(kiosk(c) for c in conns), seconds=seconds + STALL_LIMIT)
        watcher.cancel()
        for c in conns:
            await c.close()
        return errors

    results.put(asyncio.run(run())[:3])


class Background:
    """Kiosks issuing in another process, so they do not hold the measuring process's GIL."""

    def __init__(self, server: Server, template: Template, budget: int, seconds: float) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.stop, self.results = ctx.Event(), ctx.Queue()
        self.issued = ctx.RawValue("q", 0)  # only the child writes it
        self._cpu = 0.0
        tokens = template.kiosks[8:8 + PUSH_BACKGROUND_KIOSKS]
        self.proc = ctx.Process(target=background_kiosks, daemon=True, args=(
            server.port, tokens, template.matters, budget, seconds, self.stop, self.issued, self.results))
        self.proc.start()
        give_up = time.monotonic() + 20
        while self.issued.value < 20 * len(tokens) and self.proc.is_alive() and time.monotonic() < give_up:
            time.sleep(0.02)  # up to full speed before the first measured call

    def cpu(self) -> float:
        """Its CPU seconds so far (the last reading once it has exited)."""
        with contextlib.suppress(OSError):
            self._cpu = process_cpu(self.proc.pid)
        return self._cpu

    def running(self) -> bool:
        return self.proc.is_alive() and not self.stop.is_set()

    def close(self) -> list[str]:
        self.stop.set()
        try:
            errors: list[str] = self.results.get(timeout=30)
        except queue.Empty:
            errors = ["the background kiosks did not report"]
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=5)
        return errors


def push_scenario(template: Template, server: Server, settings: Settings, load: bool,
                  capacity: Capacity) -> list[Round]:
    """A clerk at window 1 calls next (httpx); the display times the TicketCalled event's arrival.

    Under load each call takes several times longer while the kiosks fill the day, so that part
    makes only as many calls as the aim needs (200 over all rounds) to stay within the caps."""
    repeats = settings.repeats
    calls = -(-200 // repeats) if load else settings.push_calls
    backlog = calls * repeats + 16

    async def prepare() -> None:  # the queue the clerk calls from (not timed)
        kiosks = await open_conns(server.port, template.kiosks[:8])
        matters = Matters(template.matters)
        for _ in range(backlog // len(kiosks)):
            await bounded(*(whole_ticket(k, matters) for k in kiosks))
        for k in kiosks:
            await k.close()

    asyncio.run(prepare())
    capacity.spend(backlog)
    display = Display(server.url, template.display)
    clerk = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {template.clerks[1]}"},
                         timeout=10.0)
    login, password = template.logins[1]
    clerk.post("/api/sign_in", json={"window": 1, "login": login, "password": password},
               headers={"Idempotency-Key": uuid.uuid4().hex}).raise_for_status()
    background = Background(server, template, capacity.left, 30 + 30 * settings.repeats) if load else None
    out: list[Round] = []
    try:
        for _ in range(repeats):
            rnd = Round("push under load" if load else "push")
            meter = CpuMeter(server.proc.pid)
            bg_cpu, bg_issued = (background.cpu(), background.issued.value) if background else (0.0, 0)
            t0 = time.perf_counter()
            for _ in range(calls):
                sent = time.perf_counter()
                answer = clerk.post("/api/call_next", json={"window": 1}, headers={"Idempotency-Key": uuid.uuid4().hex})
                answered = time.perf_counter()
                rnd.requests += 1
                if answer.status_code != 200 or answer.json() is None:
                    rnd.errors.append(f"call_next -> HTTP {answer.status_code}: {answer.text[:200]}")
                    break
                ticket_id = answer.json()["id"]
                arrived = display.wait_for(ticket_id, 5.0)
                if arrived is None:
                    rnd.errors.append(f"no TicketCalled for ticket {ticket_id} within 5 s {display.error}")
                    arrived = time.perf_counter()
                rnd.add("push", arrived - sent)
                rnd.by_kind.setdefault("call_next answer", []).append(answered - sent)
                done = clerk.post("/api/finish", json={"ticket_id": ticket_id, "window": 1},
                                  headers={"Idempotency-Key": uuid.uuid4().hex})
                rnd.requests += 1
                if done.status_code != 200:
                    rnd.errors.append(f"finish -> HTTP {done.status_code}: {done.text[:200]}")
                    break
            rnd.seconds = time.perf_counter() - t0
            if background is not None:
                rnd.background = background.issued.value - bg_issued
                rnd.requests += 2 * rnd.background
                meter.stop(rnd, extra_gen=background.cpu() - bg_cpu)
                if not background.running():
                    rnd.errors.append("the background kiosks stopped during this round (ticket budget or"
                                      " time used up): this round was not under full load")
            else:
                meter.stop(rnd)
            out.append(rnd)
    finally:
        if background is not None:
            errors = background.close()
            if out:
                out[-1].errors.extend(errors)
        clerk.close()
        display.close()
    return out


# --- the report ----------------------------------------------------------------------------


def pooled(rounds: list[Round]) -> list[float]:
    return [v for r in rounds for v in r.latencies]


def print_pairs(title: str, pairs: list[Pair], unit: str, took: float) -> dict[str, float]:
    """One line per repeat, then the median and the max over repeats, then all rounds pooled."""
    print(f"\n{title}  [scenario took {took:.1f} s]")
    print(f"  {'round':<7}{'ping/s':>8}{unit + '/s':>11}{'ratio':>7}{'p50 ms':>9}{'p99 ms':>9}"
          "   CPU during the measured round (% of one core)")
    rows = []
    for i, p in enumerate(pairs, 1):
        m = p.measured
        ratio = m.rate / p.baseline.rate if p.baseline.rate else 0.0
        p50, p99 = pct(m.latencies, 50), pct(m.latencies, 99)
        rows.append((p.baseline.rate, m.rate, ratio, p50, p99))
        flags = " [ticket budget reached]" if m.budget_hit else ""
        if m.empty_calls:
            flags += f" [{m.empty_calls} calls found nobody waiting]"
        print(f"  {i:<7}{p.baseline.rate:>8,.0f}{m.rate:>11,.0f}{ratio:>7.2f}{ms(p50):>9}{ms(p99):>9}"
              f"   {m.cpu_text()}{flags}")
        for err in (p.baseline.errors + m.errors)[:3]:
            print(f"         ERROR: {err}")
    cols = list(zip(*rows, strict=True))
    med = [statistics.median(c) for c in cols]
    top = [max(c) for c in cols]
    for name, (b, m, ratio, p50, p99) in (("median", med), ("max", top)):
        print(f"  {name:<7}{b:>8,.0f}{m:>11,.0f}{ratio:>7.2f}{ms(p50):>9}{ms(p99):>9}")
    lat = pooled([p.measured for p in pairs])
    print(f"  pooled {'':>8}{'':>11}{'':>7}{ms(pct(lat, 50)):>9}{ms(pct(lat, 99)):>9}"
          f"   ({len(lat):,} operations of all rounds; max {ms(max(lat, default=float('nan')))} ms)")
    base = [p.baseline for p in pairs]
    per_ping = statistics.median(r.server_cpu / max(1, r.requests) for r in base)
    per_op = statistics.median(p.measured.server_cpu / max(1, p.measured.ops) for p in pairs)
    print(f"  server CPU (medians): {per_ping * 1e6:.0f} us per ping, {per_op * 1e6:.0f} us per {unit[:-1]}"
          f" -> at most {1 / per_op if per_op else 0:,.0f} {unit}/s on one core")
    print(f"  ping rounds: p50 {ms(pct(pooled(base), 50))} ms, p99 {ms(pct(pooled(base), 99))} ms; CPU: load generator"
          f" {statistics.median(r.gen_cpu / r.seconds for r in base) * 100:.0f}%, server"
          f" {statistics.median(r.server_cpu / r.seconds for r in base) * 100:.0f}%, other"
          f" {statistics.median(r.other_cpu / r.seconds for r in base) * 100:.0f}% (medians)")
    return {"ping": med[0], "rate": med[1], "ratio": med[2], "p99": pct(lat, 99), "max_p99": top[4],
            "errors": sum(len(p.measured.errors) + len(p.baseline.errors) for p in pairs)}


def print_mix_kinds(pairs: list[Pair]) -> None:
    kinds: dict[str, list[float]] = {}
    for p in pairs:
        for k, v in p.measured.by_kind.items():
            kinds.setdefault(k, []).extend(v)
    total_s = sum(p.measured.seconds for p in pairs)
    for k, v in kinds.items():
        print(f"    {k:<10} {len(v) / total_s:7,.0f}/s   p50 {ms(pct(v, 50))} ms   p99 {ms(pct(v, 99))} ms"
              "   (all rounds pooled)")
    reqs = sum(p.measured.requests for p in pairs)
    print(f"    requests {reqs / total_s:,.0f}/s in all (a ticket is 2 requests, a call and a finish 1 each)")


def print_push(title: str, rounds: list[Round], took: float) -> dict[str, float]:
    print(f"\n{title}  [scenario took {took:.1f} s]")
    rows = []
    for i, r in enumerate(rounds, 1):
        p50, p99 = pct(r.latencies, 50), pct(r.latencies, 99)
        rows.append((p50, p99))
        answers = r.by_kind.get("call_next answer", [])
        extra = f"; {r.background / r.seconds:,.0f} background tickets/s" if r.background else ""
        print(f"  {i:<3} {len(r.latencies)} calls  push p50 {ms(p50)} ms  p99 {ms(p99)} ms"
              f"  max {ms(max(r.latencies, default=float('nan')))} ms  (call_next answered: p50 {ms(pct(answers, 50))}"
              f" ms){extra}   {r.cpu_text()}")
        for err in r.errors[:3]:
            print(f"      ERROR: {err}")
    p50s, p99s = zip(*rows, strict=True)
    lat = pooled(rounds)
    slow = sum(1 for v in lat if v >= AIM_PUSH_P99_MS / 1000)
    print(f"  median p50 {ms(statistics.median(p50s))} ms  p99 {ms(statistics.median(p99s))} ms;"
          f"  max p50 {ms(max(p50s))} ms  p99 {ms(max(p99s))} ms")
    print(f"  pooled over {len(lat)} calls: p50 {ms(pct(lat, 50))} ms  p99 {ms(pct(lat, 99))} ms"
          f"  max {ms(max(lat, default=float('nan')))} ms; {slow} calls took {AIM_PUSH_P99_MS:g} ms or more")
    return {"p99": pct(lat, 99), "max": max(lat, default=float("nan")), "slow": slow, "calls": len(lat),
            "errors": sum(len(r.errors) for r in rounds)}


def verdict(ok: bool) -> str:
    return "met" if ok else "not met"


# --- main ------------------------------------------------------------------------------------


def httpx_cost(template: Template, directory: Path, n: int = 2000) -> None:
    """Client CPU per ping with httpx against the raw client, to justify the load generator."""
    with fresh_server(template, directory, "httpx-cost") as server:
        headers = {"Authorization": f"Bearer {template.kiosks[0]}"}
        with httpx.Client(base_url=server.url, headers=headers) as http:
            http.get("/api/ping")
            c0 = own_cpu()
            for _ in range(n):
                http.get("/api/ping")
            per_httpx = (own_cpu() - c0) / n

        async def raw() -> float:
            conn = await Conn(server.port, template.kiosks[0]).open()
            await conn.send("GET", "/api/ping")
            c0 = own_cpu()
            for _ in range(n):
                await conn.send("GET", "/api/ping")
            await conn.close()
            return (own_cpu() - c0) / n

        per_raw = asyncio.run(raw())
    print(f"client CPU per ping, one client in sequence: httpx.Client {per_httpx * 1e6:.0f} us,"
          f" this benchmark's client {per_raw * 1e6:.0f} us")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about 30 s: 3 short rounds per scenario")
    parser.add_argument("--repeats", type=int, help="rounds per scenario (at least 3; default 5, quick 3)")
    parser.add_argument("--seconds", type=float, help="length of each round (default 2.0, quick 0.5; at most 10)")
    parser.add_argument("--push-calls", type=int, help="calls per push round (default 200, quick 70; at least"
                        " 200 over all rounds)")
    parser.add_argument("--dir", type=Path, help="directory on the disk to measure (default: a temp dir)")
    parser.add_argument("--httpx-cost", action="store_true", help="also measure httpx's client CPU per request")
    args = parser.parse_args()
    repeats = max(3, min(20, args.repeats or (3 if args.quick else 5)))
    settings = Settings(seconds=max(0.2, min(10.0, args.seconds or (0.5 if args.quick else 2.0))),
                        repeats=repeats,
                        push_calls=min(1000, max(-(-200 // repeats), args.push_calls or (70 if args.quick else 200))))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="server-bench-") as tmp:
        directory = Path(tmp)
        template = build_template(directory)
        print(f"hall server over loopback ({HOST}); durable hall files (every answered change synced to disk, group commit) in {directory}; {os.cpu_count()} cores;"
              f" {settings.repeats} repeats of {settings.seconds:g} s rounds, ping and measured rounds alternating")
        print(f"setup (seed with --demo, {len(template.kiosks) + len(template.clerks) + 2} terminals via the CLI,"
              f" caps raised to {CAP}): {time.perf_counter() - started:.1f} s")
        print("CPU: gen = this load generator, server = the server process, other = everything else on the machine,"
              " each in % of one core (2 cores = 200%)")
        if args.httpx_cost:
            httpx_cost(template, directory)
        issue: dict[int, dict[str, float]] = {}
        measured: list[Round] = []  # every round, for the disturbance check at the end
        for clients in (1, 8, 32):
            t0 = time.perf_counter()
            with fresh_server(template, directory, f"issue{clients}") as server:
                pairs = asyncio.run(issue_scenario(template, server, clients, settings))
            measured += [r for p in pairs for r in (p.baseline, p.measured)]
            issue[clients] = print_pairs(f"issuing whole kiosk tickets (issue_ticket + mark_printed), {clients} client"
                                         f"{'s' if clients > 1 else ''}; latency of a whole ticket", pairs, "tickets",
                                         time.perf_counter() - t0)
        t0 = time.perf_counter()
        with fresh_server(template, directory, "mix") as server:
            pairs = asyncio.run(mix_scenario(template, server, settings))
        measured += [r for p in pairs for r in (p.baseline, p.measured)]
        mix = print_pairs(f"mix at {MIX_KIOSKS + MIX_CLERKS} clients: {MIX_KIOSKS} kiosks issue whole tickets,"
                          f" clerks at windows 1..{MIX_CLERKS} call_next + finish; an operation = a whole ticket,"
                          " a call or a finish", pairs, "ops", time.perf_counter() - t0)
        print_mix_kinds(pairs)
        t0 = time.perf_counter()
        with fresh_server(template, directory, "push") as server:  # the quiet part leaves room in the caps
            capacity = Capacity(template.categories)
            rounds = push_scenario(template, server, settings, False, capacity)
            t1 = time.perf_counter()
            loaded_rounds = push_scenario(template, server, settings, True, capacity)
        t2 = time.perf_counter()
        measured += rounds + loaded_rounds
        push = print_push(f"push latency: call_next sent -> TicketCalled received by a display (quiet hall,"
                          f" {settings.push_calls} calls per round)", rounds, t1 - t0)
        loaded = print_push(f"push latency while {PUSH_BACKGROUND_KIOSKS} kiosks issue (8 clients in all; same"
                            " server, after the quiet part)", loaded_rounds, t2 - t1)

    i8 = issue[8]
    errors = sum(int(s["errors"]) for s in (*issue.values(), mix, push, loaded))
    print("\naims (rates: median over repeats; latencies: p99 of all rounds pooled, worst round's p99 in brackets)")
    ok = i8["rate"] >= 0.5 * i8["ping"] and i8["rate"] >= AIM_TICKETS_PER_S
    print(f"  issuing at 8 clients >= half the do-nothing rate and >= {AIM_TICKETS_PER_S:,} tickets/s:"
          f" {i8['rate']:,.0f} tickets/s against ping {i8['ping']:,.0f}/s (ratio {i8['ratio']:.2f}): {verdict(ok)}")
    print(f"  whole-ticket p99 < {AIM_P99_MS:g} ms at 8 clients: {ms(i8['p99'])} ms ({ms(i8['max_p99'])} ms):"
          f" {verdict(i8['p99'] < AIM_P99_MS / 1000)}")
    print(f"  mix p99 < {AIM_P99_MS:g} ms at 8 clients: {ms(mix['p99'])} ms ({ms(mix['max_p99'])} ms):"
          f" {verdict(mix['p99'] < AIM_P99_MS / 1000)}")
    for label, res in (("quiet hall", push), ("while kiosks issue", loaded)):
        print(f"  push p99 < {AIM_PUSH_P99_MS:g} ms, {label}: {ms(res['p99'])} ms over {res['calls']} calls"
              f" ({res['slow']} at or over {AIM_PUSH_P99_MS:g} ms, max {ms(res['max'])} ms):"
              f" {verdict(res['p99'] < AIM_PUSH_P99_MS / 1000)}")
    other = statistics.median(r.other_cpu / r.seconds for r in measured)
    if other > 0.25:
        print(f"  other programs used {other * 100:.0f}% of a core (median over rounds) while this ran, competing"
              " with the server and the generator for the 2 cores: the figures above are disturbed, run it again"
              " on a quiet machine")
    if errors:
        print(f"  {errors} requests failed (see ERROR lines): the figures above are not trustworthy")
    print(f"total time {time.perf_counter() - started:.0f} s")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
