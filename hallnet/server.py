"""The hall server: one process owns the hall, every terminal reaches it over the LAN.

Starlette on uvicorn. Each facade method listed in `hallnet.api` is one `POST /api/<name>`
whose JSON body holds the method's arguments by name; the answer is the method's own return
value, or a refusal carrying the same error class and Chinese message. Changes sent with an
`Idempotency-Key` are answered once (`Hall.once`). Committed changes are pushed to every
subscribed terminal as server-sent events carrying the hall-wide event id (`hallnet.events`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio.to_thread
import msgspec
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from hallnet import phone, server_log
from hallnet.api import (
    CONSOLE_WITHOUT_SIGN_IN,
    METHODS,
    SECRET_ANSWERS,
    ErrorBody,
    RemoteMethod,
    call_arguments,
    error_body,
    error_status,
)
from hallnet.body_words import invalid_arguments, not_json
from hallnet.events import TERMINAL_EVENTS, EventHub, event_stream
from hallnet.hallrun import INLINE, HallRunner
from hallnet.openapi import openapi_document
from kiosk.errors import (
    AccessDenied,
    HallError,
    InvalidAction,
    NotFound,
    SignInNeeded,
    TooManyTries,
    ValidationError,
)
from kiosk.hall import Hall
from kiosk.hall_access import PERSONAL_ACTIONS, access_subject
from kiosk.hall_terminals import ROLE_NAMES
from kiosk.long_lived import keep_long_lived_out_of_collections
from kiosk.models import AccessRecord, HallEvent, Staff, Terminal

log = logging.getLogger("hallnet.server")
_UNKNOWN = object()
MAX_BODY = 4 * 1024 * 1024  # a catalog import is the largest body a terminal sends
ACCESS_FLUSH_EVERY = 2.0  # seconds between writes of the access records (a crash loses at most these)
SIGN_IN_NEEDED = "请先在本机登录管理后台（管理员账号和密码）"


def _json(body: object, status: int = 200) -> Response:
    return Response(msgspec.json.encode(body), status_code=status, media_type="application/json")


def refusal(exc: HallError) -> Response:
    return _json(error_body(exc), error_status(exc))


class Gate:
    """Who is calling: the terminal behind a bearer token, and each clerk terminal's or manager
    console's session.

    Tokens are looked up once and remembered, which saves a hashed lookup (and its wait for the
    disk) per request; a revocation still takes effect on the very next request. A change made
    in this process (revoke, reissue, add) clears the memory before the change returns, and one
    made by another program on the hall file (`terminal revoke`) moves the store's count of
    outside changes, which every request compares first (a few microseconds under the store's lock).
    """

    def __init__(self, hall: Hall, runner: HallRunner) -> None:
        self.hall = hall
        self.runner = runner
        self._cache: dict[str, Terminal | None] = {}
        self._generation = 0  # bumped by every invalidation: a lookup racing one is not remembered
        self._version: int | None = None
        self.sessions: dict[int, str] = {}  # window -> login signed in there, as the hall last said
        # window -> (the PC, the login) of the last sign-in there through this server: a session is
        # that PC's; one made elsewhere (the console, before a restart) binds no PC
        self.signed_from: dict[int, tuple[str, str]] = {}
        self.misses: dict[str, list[float]] = {}  # terminal -> times of its look-ups of things that do not exist
        self._misses_lock = threading.Lock()  # look-ups run on worker threads too
        self.seen: dict[str, dt.datetime] = {}
        # a window signed in or out anywhere (another terminal, the manager's console) moves the session
        self.unsubscribe = hall.subscribe(self._hall_event)

    def _hall_event(self, event: HallEvent) -> None:
        if event.kind in TERMINAL_EVENTS:
            self.forget_tokens()
        elif event.kind == "ClerkSignedOut" and event.window is not None:
            self.sessions[event.window] = ""
        elif event.kind == "ClerkSignedIn" and event.window is not None:
            self.sessions[event.window] = event.clerk

    def forget_tokens(self) -> None:
        self._generation += 1
        self._cache = {}

    async def terminal(self, header: str) -> Terminal:
        """The terminal behind an `Authorization: Bearer` header value."""
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _Unauthorised("缺少终端令牌：请在终端配置中填写本机的令牌（terminal add 时生成）")
        token = token.strip()
        version = await self.runner.outside_changes()
        if version != self._version:  # another program changed the file: perhaps its terminals
            self.forget_tokens()
            self._version = version
        found = self._cache.get(token, _UNKNOWN)
        if found is _UNKNOWN:
            generation = self._generation
            found = await self.runner.run(self.hall.terminal_for_token, token, inline=True, reads=True)
            if generation == self._generation:
                if len(self._cache) > 10_000:  # random tokens must not grow it without end
                    self._cache = {}
                self._cache[token] = found
        if found is None:
            raise _Unauthorised("终端令牌无效或已注销：请向大厅管理员重新领取")
        self.seen[found.name] = self.hall.clock()
        return found

    def authorise(self, terminal: Terminal, method: RemoteMethod, kwargs: dict[str, Any],
                  manager: str = "") -> dict[str, Any]:
        """Refuse what the terminal's role may not do; bind a clerk's actions to its window and
        person, and a console's to the `manager` signed in on it."""
        if terminal.role not in method.roles:
            raise AccessDenied(f"本终端（{ROLE_NAMES.get(terminal.role, terminal.role)}“{terminal.name}”）无权执行此操作")
        if method.name in ("call_helper", "report_devices") and terminal.role != "manager":
            # a terminal speaks for itself: its registered name (and place) travel with the call
            kwargs["terminal"] = terminal.name
            kwargs.pop("place", None)
        if method.name in ("verify_manager_pin", "end_console_session"):
            # each kiosk's tries are its own, and a console signs only itself out, whatever it sends
            kwargs["terminal"] = terminal.name
        if method.name == "tickets" and terminal.role == "kiosk":
            # a kiosk lists tickets only to reprint today's that never reached their citizen: not
            # every ticket with its holder's follow link, whatever it asks for
            kwargs.update(day=None, status="waiting", window=None, print_state="failed")
        if method.name in ("revoke_terminal", "reissue_terminal") and kwargs.get("name") == terminal.name:
            # the console would lock itself out (reissue voids the token it is using): done on the server
            raise InvalidAction(f"不能在“{terminal.name}”上注销或换发它自己的令牌；请在另一台管理后台或在大厅服务器上用"
                                " terminal 命令办理")
        if terminal.role == "clerk":
            return self._clerk(terminal, method, kwargs)
        if terminal.role == "manager" and manager:
            # who did it is the person signed in on this console, whatever the console says: the
            # hall's records (terminals registered, reviews called back, 容缺 materials received)
            # must not name another member of staff
            param = CONSOLE_OWN_ACTS.get(method.name, "by")
            if param in method.params:
                kwargs[param] = manager
        if terminal.role == "evaluator" and "window" in method.params:
            kwargs["window"] = terminal.window  # its own window's, whatever it asks for
        if terminal.role == "evaluator" and method.name in ("evaluate", "get_ticket", "evaluation_for"):
            ticket = self.hall.get_ticket(int(kwargs["ticket_id"]))
            if ticket.window != terminal.window:
                raise AccessDenied(f"本评价器只能查看和评价{terminal.window}号窗口办理的业务")
        return kwargs

    def _clerk(self, terminal: Terminal, method: RemoteMethod, kwargs: dict[str, Any]) -> dict[str, Any]:
        window = kwargs.get("window")
        if window is not None and window != terminal.window:
            raise AccessDenied(f"本终端属于{terminal.window}号窗口，不能操作{window}号窗口")
        if method.name in ("sign_in", "sign_out") or not (method.changes or method.name in SIGNED_IN_READS):
            return kwargs
        login = self.session(terminal)
        if not login:
            raise AccessDenied(f"请先登录{terminal.window}号窗口，再办理业务")
        elsewhere, by = self.signed_from.get(int(terminal.window or 0), (terminal.name, login))
        if elsewhere != terminal.name and by == login:
            raise AccessDenied(f"{terminal.window}号窗口是在“{elsewhere}”上登录的；请在本机重新登录后再办理")
        if not method.changes:
            return kwargs  # a read of citizens' records: by a person signed in here, and recorded
        if "window" in method.params and window is None:
            kwargs["window"] = terminal.window
        ticket_id = kwargs.get("ticket_id")
        if ticket_id is not None and method.name in WINDOW_TICKET_ACTIONS:
            ticket = self.hall.get_ticket(int(ticket_id))
            if ticket.window != terminal.window:
                raise AccessDenied(f"{ticket.number}号不在{terminal.window}号窗口办理，本窗口不能操作它")
        for param in ("clerk", "staff"):
            if param in method.params:
                if kwargs.get(param) not in (None, "", login):
                    raise AccessDenied(f"{terminal.window}号窗口当前登录的是另一位工作人员，请重新登录")
                kwargs[param] = login
        return kwargs

    async def console_signed_in(self, terminal: Terminal, method: RemoteMethod) -> str:
        """The manager signed in on a console, for a request that needs one ("" for other
        terminals and for what a console may do before anyone signs in); refuse a console with
        nobody signed in on it anything but the shared reads and signing in: its token travels on
        USB sticks, so a lost stick or a copied terminal.toml must not be the whole hall. Asked
        once per request, before its body is read; a session is the hall's
        (`Hall.console_session`: today's, of an active manager), so a restart signs nobody out."""
        if terminal.role != "manager" or method.name in CONSOLE_WITHOUT_SIGN_IN:
            return ""
        login = await self.runner.run(self.hall.console_session, terminal.name, inline=True, reads=True)
        if not login:
            raise SignInNeeded(SIGN_IN_NEEDED)
        return login

    def person(self, terminal: Terminal, manager: str) -> str:
        """Who works at a terminal now, for the access records: the window's clerk, the console's
        `manager` as `console_signed_in` found it ("" at a kiosk, a display, an evaluator)."""
        if terminal.role == "clerk":
            return self.session(terminal)
        return manager if terminal.role == "manager" else ""

    def check_lookups(self, terminal: Terminal) -> float | None:
        """Refuse a terminal that looked up too many numbers or codes that do not exist lately:
        at a kiosk's pace of answers, a booking code's or an application number's range could
        otherwise be walked through in minutes. A citizen who mistypes a few times is not hit.
        Each look-up counts as a miss before it runs (so guesses sent side by side share the
        allowance); `found` takes it back. Returns the miss's mark, None for the manager."""
        if terminal.role == "manager":
            return None
        now = time.monotonic()
        with self._misses_lock:
            recent = [t for t in self.misses.get(terminal.name, ()) if now - t < MISS_WINDOW]
            if len(recent) >= MAX_MISSES:
                self.misses[terminal.name] = recent
                raise TooManyTries(f"本机查询不存在的号码次数过多，请{int(MISS_WINDOW - (now - recent[0])) + 1}秒后再试；"
                                   "如需帮助请呼叫工作人员")
            if len(self.misses) > 10_000:
                self.misses = {}
            self.misses[terminal.name] = [*recent, now]
        return now

    def found(self, terminal: Terminal, mark: float | None) -> None:
        """The look-up marked `mark` found what it asked for: not a miss after all."""
        if mark is None:
            return
        with self._misses_lock:
            marks = self.misses.get(terminal.name, [])
            if mark in marks:
                marks.remove(mark)

    def session(self, terminal: Terminal) -> str:
        """The login signed in at a clerk terminal's window, as the hall stores it: a restart signs
        nobody out, and a window signed out anywhere ends the terminal's session at once."""
        window = int(terminal.window or 0)
        if window not in self.sessions:
            state = next((w for w in self.hall.queue_status().windows if w.number == window), None)
            self.sessions[window] = state.clerk if state is not None else ""
        return self.sessions[window]


# the parameter naming who did it, in what only a console does (`by` elsewhere: a PC registered,
# a 容缺 material received); a window's actions and a helper call keep the clerk they name (the
# manager may send a clerk to a kiosk), as in process
CONSOLE_OWN_ACTS = {"record_callback": "clerk", "close_bad_review": "clerk"}

# clerk reads that show citizens' records: only with a person signed in at the window, on this PC
SIGNED_IN_READS = {"get_application", "applications", "applications_at", "get_notice", "tickets", "find_ticket",
                   "get_ticket", "pending_items", "find_appointment", "evaluation_for", "application_progress"}
# look-ups by a number or code a terminal is given (a ticket with a booking code among them):
# too many that do not exist and the terminal waits
LOOKUPS = {"find_appointment", "application_progress", "application_for_link", "find_ticket", "issue_ticket",
           "get_application", "get_notice"}
MAX_MISSES = 10  # per terminal within MISS_WINDOW seconds
MISS_WINDOW = 60.0

# clerk actions on one ticket: only on a ticket called to (or served at) the terminal's own window
WINDOW_TICKET_ACTIONS = {"recall", "skip", "start_service", "finish", "transfer", "accept", "refuse_with_notice"}


# the phone pages by the letter in their link: what they show, and how
PHONE_PAGES = {"t": ("号票", phone.ticket_page), "a": ("办件", phone.application_page)}


class _Unauthorised(Exception):
    pass


def _unauthorised(message: str) -> Response:
    body = error_body(AccessDenied(message))
    return Response(msgspec.json.encode(msgspec.structs.replace(body, error="Unauthorised")), status_code=401,
                    media_type="application/json", headers={"WWW-Authenticate": "Bearer"})


_WANTED = frozenset({b"authorization", b"content-length", b"idempotency-key"})
_SERVER_ERROR = msgspec.json.encode(ErrorBody("HallError", "大厅服务器内部出错，请稍后重试或联系管理员"))


class _Disconnected(Exception):
    pass


async def _read_body(receive: Any) -> bytes:
    """The request body (stopping once it is past MAX_BODY: the caller refuses it)."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
        if not message.get("more_body", False) or size > MAX_BODY:
            return b"".join(chunks)


def _refused(exc: HallError) -> tuple[int, bytes, tuple]:
    return error_status(exc), msgspec.json.encode(error_body(exc)), ()


def _not_allowed(name: str, verb: str) -> tuple[int, bytes, tuple]:
    body = error_body(InvalidAction(f"接口 /api/{name} 不接受 {verb} 请求"))
    return 405, msgspec.json.encode(body), ()


def _unauthorised_answer(message: str) -> tuple[int, bytes, tuple]:
    body = msgspec.structs.replace(error_body(AccessDenied(message)), error="Unauthorised")
    return 401, msgspec.json.encode(body), ((b"www-authenticate", b"Bearer"),)


class HallServer:
    """The ASGI app around one hall facade."""

    def __init__(self, hall: Hall, *, daily_jobs: bool = True, job_interval: float = 30.0,
                 freeze_at_start: bool = False) -> None:
        self.hall = hall
        self.freeze_at_start = freeze_at_start
        self.runner = HallRunner(hall)
        self.gate = Gate(hall, self.runner)
        self.hub = EventHub(hall, self.runner)
        self.accessed: list[AccessRecord] = []  # who looked at or changed whose data, written in batches
        self._accessed_lock = threading.Lock()
        self.daily_jobs = daily_jobs
        self.job_interval = job_interval
        self._openapi = msgspec.json.encode(openapi_document())
        self._tasks: list[asyncio.Task] = []
        routes = [
            Route("/health", self.health, methods=["GET"]),
            Route("/openapi.json", self.openapi, methods=["GET"]),
            Route("/api/events", self.events, methods=["GET"]),
            # the citizen's phone: public pages behind each QR code's unguessable token
            *(Route(f"/{kind}/{{token}}{'.json' if as_json else ''}", self.phone_page(kind, as_json), methods=["GET"])
              for kind in PHONE_PAGES for as_json in (True, False)),  # .json first: it would match {token}
        ]
        # the rest (health, the event stream, the phone pages, unknown paths) through Starlette
        self.starlette = Starlette(routes=routes, middleware=[Middleware(RequestLog)], lifespan=self.lifespan,
                                   exception_handlers={404: self.not_found, 405: self.not_allowed})
        self.app = self.asgi

    # --- lifecycle --------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.runner.start()
        await self.hub.start()
        if self.daily_jobs:
            self._tasks.append(asyncio.create_task(self._jobs_loop()))
        self._tasks.append(asyncio.create_task(self._seen_loop()))
        self._tasks.append(asyncio.create_task(self._helper_loop()))
        self._tasks.append(asyncio.create_task(self._accessed_loop()))
        if self.freeze_at_start:
            keep_long_lived_out_of_collections()
        try:
            yield
        finally:
            for task in self._tasks:
                task.cancel()
            await self.hub.stop()
            self.gate.unsubscribe()
            await anyio.to_thread.run_sync(self._flush_seen)
            await anyio.to_thread.run_sync(self._flush_accessed)
            self.runner.stop()

    def end_streams(self) -> None:
        """From any thread: close every event stream now (terminals reconnect to the next server)."""
        loop = self.hub.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                asyncio.run_coroutine_threadsafe(self.hub.stop(), loop)

    async def _jobs_loop(self) -> None:
        force = True  # at start, whatever opening the hall did, so the log says what the day holds
        while True:
            try:
                await anyio.to_thread.run_sync(self.run_daily_jobs, force)
                force = False
            except HallError as exc:
                log.warning("每日任务未完成，稍后重试：%s", exc)
            except Exception:
                log.exception("每日任务出错，稍后重试")
            await asyncio.sleep(self.job_interval)

    def run_daily_jobs(self, force: bool = False) -> bool:
        """The core's daily jobs (overdue 容缺 items, personal data past retention, old request
        answers; the core keeps to once a day) and the closed days' summaries, so midnight takes
        effect even in a hall where nobody changes anything."""
        jobs = self.hall.run_daily_jobs(force=force)
        closed = self.hall.close_recent_days()
        if jobs is not None:
            log.info("每日任务 %s：逾期容缺 %d 件，汇总 %d 天，清除个人信息 %d 条，清理请求记录 %d 条",
                     jobs.day, len(jobs.overdue), closed, jobs.purged, jobs.forgotten)
        return jobs is not None

    async def _helper_loop(self) -> None:
        """Raise again, every few seconds, each helper call nobody has taken in the set time."""
        while True:
            await asyncio.sleep(5)
            try:
                await anyio.to_thread.run_sync(self.hall.escalate_helper_calls)
            except HallError as exc:
                log.warning("帮办呼叫超时检查失败：%s", exc)

    async def _seen_loop(self) -> None:
        while True:
            await asyncio.sleep(15)
            try:
                await anyio.to_thread.run_sync(self._flush_seen)
            except HallError as exc:
                log.warning("记录终端在线时间失败：%s", exc)

    async def _accessed_loop(self) -> None:
        while True:
            await asyncio.sleep(ACCESS_FLUSH_EVERY)
            try:
                await anyio.to_thread.run_sync(self._flush_accessed)
            except HallError as exc:
                log.warning("记录个人信息查阅失败，稍后重试：%s", exc)

    def _flush_accessed(self) -> None:
        """Write the access records gathered since the last time, in one transaction: a record
        per request would cost each request a write of its own."""
        with self._accessed_lock:
            records, self.accessed = self.accessed, []
        try:
            self.hall.record_access(records)
        except HallError:
            with self._accessed_lock:
                self.accessed[:0] = records  # kept, in order, for the next try
            raise

    def _flush_seen(self) -> None:
        now = self.hall.clock()
        for name in self.hub.listening:  # a display holding its event stream is online too
            self.gate.seen[name] = now
        seen, self.gate.seen = self.gate.seen, {}
        self.hall.mark_terminals_seen(seen)

    # --- the citizen's phone ----------------------------------------------------------------

    def _followed(self, kind: str, token: str) -> tuple[str, dict | None]:
        """The hall's name and the page's state for a link token, or None for an unknown one."""
        name = self.hall.info().name
        if kind == "t":
            ticket = self.hall.ticket_for_link(token)
            return name, phone.ticket_state(self.hall, ticket) if ticket else None
        app = self.hall.application_for_link(token)
        return name, phone.application_state(app) if app else None

    def phone_page(self, kind: str, as_json: bool):  # noqa: ANN201 - a Starlette endpoint
        what, page = PHONE_PAGES[kind]

        async def endpoint(request: Request) -> Response:
            try:
                name, state = await anyio.to_thread.run_sync(self._followed, kind, request.path_params["token"])
            except HallError:
                name, state = "", None
            if as_json:
                return _json(state) if state else _json({"message": f"找不到这个{what}"}, 404)
            if state is None:
                return HTMLResponse(phone.not_found_page(name or "政务服务中心", what), 404)
            return HTMLResponse(page(name, state), headers={"Cache-Control": "no-store"})

        return endpoint

    # --- routes -------------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        return _json({"ok": True})

    async def openapi(self, request: Request) -> Response:
        return Response(self._openapi, media_type="application/json")

    async def not_found(self, request: Request, exc: Exception) -> Response:
        return refusal(NotFound(f"没有这个接口：{request.url.path}"))

    async def not_allowed(self, request: Request, exc: Exception) -> Response:
        return _json(error_body(InvalidAction(f"接口 {request.url.path} 不接受 {request.method} 请求")), 405)

    async def events(self, request: Request) -> Response:
        try:
            terminal = await self.gate.terminal(request.headers.get("authorization", ""))
        except _Unauthorised as exc:
            return _unauthorised(str(exc))
        request.state.terminal = terminal.name
        raw = request.headers.get("last-event-id") or request.query_params.get("after") or ""
        try:
            after = int(raw) if raw else None
        except ValueError:
            return refusal(ValidationError([f"Last-Event-ID 应为事件编号，实际为“{raw[:40]}”"]))
        header = request.headers.get("authorization", "")

        async def still_allowed() -> bool:
            try:
                await self.gate.terminal(header)
            except _Unauthorised:
                return False
            return True

        return await event_stream(self.hub, request, after, terminal.name, still_allowed)

    # --- the API: plain ASGI ------------------------------------------------------------
    #
    # Every terminal request is one of these, so they skip Starlette's routing, middleware and
    # Request/Response objects: at a few thousand requests a second those cost as much CPU as
    # the hall's own work on a ticket.

    async def asgi(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            path = scope["path"]
            name = path[5:]
            if path.startswith("/api/") and name and "/" not in name and name != "events":
                await self._api(scope, name, receive, send)
                return
        await self.starlette(scope, receive, send)

    async def _api(self, scope: dict, name: str, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        headers = {k: v for k, v in scope["headers"] if k in _WANTED}
        who = ["-"]
        try:
            status, content, extra = await self._answer(scope["method"], name, headers, receive, who)
        except _Disconnected:
            return
        except Exception:
            log.exception("%s 处理出错", scope["path"])
            status, content, extra = 500, _SERVER_ERROR, ()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(content)).encode()), *extra]})
        await send({"type": "http.response.body", "body": content})
        client = scope.get("client") or ("-", 0)
        server_log.request_line(log, f"{client[0]} {who[0]} {scope['method']} {scope['path']} {status}"
                                     f" {(time.perf_counter() - start) * 1000:.1f}ms")

    async def _answer(self, verb: str, name: str, headers: dict[bytes, bytes], receive: Any,
                      who: list[str]) -> tuple[int, bytes, tuple]:
        """Status, JSON body and extra headers for one API request; `who` gets the terminal's name."""
        if name == "ping":
            if verb not in ("GET", "HEAD", "POST"):
                return _not_allowed(name, verb)
        elif verb != "POST":
            return _not_allowed(name, verb)
        try:
            terminal = await self.gate.terminal(headers.get(b"authorization", b"").decode("latin-1"))
        except _Unauthorised as exc:
            return _unauthorised_answer(str(exc))
        who[0] = terminal.name
        if name == "ping":
            # an authenticated request that does nothing: the yardstick the benchmark compares with
            # (and the PC's own devices, which it reads when it starts)
            return 200, msgspec.json.encode({"terminal": terminal.name, "role": terminal.role,
                                             "window": terminal.window, "devices": terminal.devices}), ()
        method = METHODS.get(name)
        if method is None:
            return _refused(NotFound(f"大厅服务器没有“{name[:60]}”这项操作"))
        try:
            manager = await self.gate.console_signed_in(terminal, method)
        except HallError as exc:
            return _refused(exc)
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return _refused(ValidationError([f"请求内容过大（{declared} 字节，上限 {MAX_BODY}）"]))
        body = await _read_body(receive)
        if len(body) > MAX_BODY:
            return _refused(ValidationError([f"请求内容过大（{len(body)} 字节，上限 {MAX_BODY}）"]))
        try:
            args = msgspec.json.decode(body or b"{}", type=method.args)
        except msgspec.ValidationError as exc:
            return _refused(ValidationError([invalid_arguments(exc)], name))
        except msgspec.DecodeError as exc:
            return _refused(ValidationError([not_json(exc, body)], name))
        except RecursionError:
            return _refused(ValidationError(["请求内容嵌套过深"], name))
        kwargs = call_arguments(method, args)
        key = headers.get(b"idempotency-key", b"").decode("latin-1")
        if len(key) > 200:
            return _refused(ValidationError(["Idempotency-Key 过长（最多200个字符）"]))
        lookup = name in LOOKUPS and (name != "issue_ticket" or bool(kwargs.get("appointment_code")))
        try:
            mark = self.gate.check_lookups(terminal) if lookup else None
        except HallError as exc:
            return _refused(exc)
        try:
            status, content = await self.runner.run(self._run, terminal, method, kwargs, key, manager,
                                                  inline=name in INLINE, reads=not method.changes)
        except HallError as exc:
            if not isinstance(exc, NotFound):
                self.gate.found(terminal, mark)  # refused for another reason: no guess of a code
            return _refused(exc)
        except RecursionError:
            self.gate.found(terminal, mark)
            return _refused(ValidationError(["请求内容嵌套过深"], name))
        except (TypeError, ValueError, OverflowError) as exc:  # a value the facade cannot take
            self.gate.found(terminal, mark)
            log.warning("%s 拒绝了参数（%s）", name, type(exc).__name__)  # never the value: it may be an ID number
            return _refused(ValidationError(["参数取值超出可处理的范围或类型不对，请检查后重试"], name))
        if content != b"null":  # a look-up answering "nothing there" (a link that leads nowhere) stays a miss
            self.gate.found(terminal, mark)
        return status, content, ()

    def _run(self, terminal: Terminal, method: RemoteMethod, kwargs: dict[str, Any], key: str,
             manager: str) -> tuple[int, bytes]:
        def action() -> Any:
            allowed = self.gate.authorise(terminal, method, dict(kwargs), manager)
            result = getattr(self.hall, method.name)(**allowed)
            if method.name == "authenticate" and terminal.role == "manager" and isinstance(result, Staff):
                if result.role == "manager":  # whose console it is from now on; a clerk's account opens none
                    self.hall.open_console_session(terminal.name, result.login)
            elif method.name == "sign_in" and terminal.role == "clerk" and isinstance(result, Staff):
                self.gate.signed_from[int(terminal.window or 0)] = (terminal.name, result.login)  # this PC's session
            elif method.name in PERSONAL_ACTIONS:
                record = AccessRecord(self.hall.clock(), terminal.name, self.gate.person(terminal, manager),
                                      PERSONAL_ACTIONS[method.name], access_subject(method.name, allowed, result))
                with self._accessed_lock:  # never into a batch the flush has already taken
                    self.accessed.append(record)
            return result

        if method.changes and key and not self.hall.repeatable(method.name, kwargs) and method.name not in SECRET_ANSWERS:
            # A key answers only the request it was first sent with: the same method with the same
            # arguments (a key reused for another citizen, PIN or rating is a new request, never
            # someone else's answer). A stored answer is looked up before the request is checked
            # again, so a retry is answered as it was even when the change itself moved what the
            # check looks at (a ticket transferred away from the window).
            sent = hashlib.blake2b(msgspec.json.encode(kwargs), digest_size=12).hexdigest()
            status, content = self.hall.once(f"{method.name}:{key}:{sent}", terminal.name, action,
                                             lambda r: (200, msgspec.json.encode(r)),
                                             durable=not self.hall.light_commit(method.name, kwargs))
        else:
            status, content = 200, msgspec.json.encode(action())
        return status, content


def logged_path(path: str) -> str:
    """A path as the log may keep it: a phone page's link token opens a citizen's page, and
    whoever reads the log must not be able to."""
    kind, _, token = path[1:].partition("/")
    return f"/{kind}/…{'.json' if token.endswith('.json') else ''}" if kind in PHONE_PAGES and token else path


class RequestLog:
    """One line per request: terminal, method, path, status, milliseconds."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [0]

        async def send_logged(message: dict) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                state = scope.get("state") or {}
                client = scope.get("client") or ("-", 0)
                log.info("%s %s %s %s %d %.1fms", client[0], state.get("terminal", "-"), scope["method"],
                         logged_path(scope["path"]), status[0], (time.perf_counter() - start) * 1000)
            await send(message)

        await self.app(scope, receive, send_logged)


def create_app(hall: Hall, **kwargs: Any) -> Any:
    return HallServer(hall, **kwargs).app


