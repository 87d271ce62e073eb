"""The hall facade over the network: `HallClient` has the facade's methods, built from the same
list (`hallnet.api.METHODS`) as the server's routes, takes and returns the same dataclasses and
raises the same `HallError` subclasses with the same Chinese messages.

Every change goes out with an idempotency key. A request whose connection broke is sent again
with the same key for a few seconds, so a lost answer is fetched, never a second ticket. Events
arrive by server-sent events on a background thread and reach listeners exactly as the
in-process bus delivers them; losing and regaining the server is announced to listeners as
`ServerLost` / `ServerBack` events (id 0, never stored). A server that answers but refuses this
PC's token (revoked, or replaced by a new one) is lost to the terminal too, and its ServerLost
says so (`data["refused"]`, the server's words), so the screen tells staff to re-register the PC
rather than to wait for a reconnection that cannot come.

Events a terminal missed while the server was away arrive first on its return, replayed in
order, then the live ones. The replayed ones are marked (`data["replayed"]`, see `REPLAYED`):
they say what changed, not what is happening now, so a screen refreshes from them but does not
act on them as news (the display does not announce a call made minutes ago, the evaluator does
not ask about a service finished before the citizen now at the window). An in-process hall
never misses an event, so nothing it delivers is marked, and screens treat both alike.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import secrets
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import msgspec
from httpx_sse import EventSource

from hallnet.api import METHODS, ErrorBody, RemoteMethod, raise_error
from kiosk.errors import AccessDenied, HallError, ServerUnavailable
from kiosk.events import REPLAYED, SERVER_BACK, SERVER_LOST, EventBus, Listener
from kiosk.hall import Hall
from kiosk.hall_terminals import token_problem
from kiosk.models import HallEvent

log = logging.getLogger("hallnet.client")
LOST_AFTER = 3.0  # seconds without a byte (the server pings every second) before a terminal says so
READ_RETRY_SECONDS = 0.5
REFUSED_RETRY_SECONDS = 10.0  # a refused token stays refused until the PC is given a new one
LOST_MESSAGE = "与大厅服务器的连接已中断，正在自动重连；本次操作未完成，请稍后再试"
# OpenSSL's verify codes the terminal words on their own (X509_V_ERR_*)
_CERT_EXPIRED = 10
_HOSTNAME_MISMATCH = 62
# what OpenSSL says when the answer to its hello is plain text (an http server), by version
_PLAIN_HTTP_ANSWER = {"WRONG_VERSION_NUMBER", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE", "HTTP_REQUEST"}
# where the server's replay ends (hallnet/events.py sends it; not imported from there: that module
# is the server's and would bring the web framework into every terminal)
REPLAY_UNTIL_HEADER = "X-Hall-Replay-Until"


class HallClient:
    """A terminal's hall, reached at `url` with its terminal token."""

    remote = True  # the screens need no poller: every terminal's changes are pushed

    def __init__(self, url: str, token: str, *, cafile: str | None = None, retry_for: float = 3.0,
                 timeout: float = 20.0) -> None:
        self.url = url.rstrip("/")
        token = token.strip()  # a token pasted with the line's end or a space is still the token
        problem = token_problem(token)
        if problem:  # it would go into a header as it is: words, not an encoding error
            raise AccessDenied(problem)
        self.origin = secrets.token_hex(4)
        self.retry_for = retry_for
        self.bus = EventBus()
        self.connected = True
        self.refused = ""  # the server's words while it refuses this terminal's token, else ""
        self.last_event_id: int | None = None
        self.me: dict = {}  # who the server takes this PC for (name, role, window, devices): the last ping
        self.reached = False  # whether anything at the address has answered yet (see `_failure_words`)
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=cafile) if cafile else True
        headers = {"Authorization": f"Bearer {token}", "User-Agent": "service-hall-terminal"}
        self._http = httpx.Client(base_url=self.url, headers=headers, verify=verify,
                                  timeout=httpx.Timeout(timeout, connect=2.0))
        self._stream_http = httpx.Client(base_url=self.url, headers=headers, verify=verify,
                                         timeout=httpx.Timeout(LOST_AFTER, connect=2.0))
        self._decoders = {name: msgspec.json.Decoder(m.returns) for name, m in METHODS.items()}
        self._error_decoder = msgspec.json.Decoder(ErrorBody)
        self._state_lock = threading.Lock()
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        # reads wait here while the event stream watches the server (see `_read_while_heard`)
        self._reads = ThreadPoolExecutor(8, thread_name_prefix="hall-read")
        self._read_waits: set[threading.Event] = set()

    # --- calls --------------------------------------------------------------------------

    def _call(self, method: RemoteMethod, args: tuple, kwargs: dict[str, Any]) -> Any:
        try:
            bound = method.signature.bind(*args, **kwargs)
        except TypeError as exc:  # a programming error in a screen, not the user's
            raise TypeError(f"{method.name}: {exc}") from None
        body = msgspec.json.encode(bound.arguments)
        headers = {"Content-Type": "application/json"}
        if method.changes:
            headers["Idempotency-Key"] = uuid.uuid4().hex
        path = f"/api/{method.name}"
        if method.changes:  # a change whose answer was lost is worth a few seconds of retries with its key
            answer = self._send(path, body, headers, retry_for=self.retry_for)
        else:
            answer = self._read_while_heard(path, body, headers)
        if answer.status_code == 200:
            return self._decoders[method.name].decode(answer.content)
        self._refusal(answer)

    def _send(self, path: str, body: bytes, headers: dict[str, str], retry_for: float = 0.0,
              timeout: float | None = None) -> httpx.Response:
        """POST, retrying a broken connection with the same key until `retry_for` has passed;
        `timeout` for the answer when it is not the client's own."""
        # once the server is known to be gone, one try: a screen must not hang for the retry window
        give_up = time.monotonic() + (retry_for if self.connected else 0.0)
        delay = 0.1
        while True:
            if self._stop.is_set():  # closed: a late screen refresh gets a refusal, not a crash
                raise ServerUnavailable("本终端已断开与大厅服务器的连接")
            if not self.connected and self._listening():
                # the event stream found the server gone and is trying again on its own (it says
                # when it is back): a try now would wait out a connect timeout on an unplugged LAN,
                # 2 s of a frozen desk for every material ticked, to say the same thing
                raise self._unavailable()
            try:
                answer = self._http.post(path, content=body, headers=headers,
                                         timeout=httpx.USE_CLIENT_DEFAULT if timeout is None
                                         else httpx.Timeout(timeout, connect=2.0))
            except httpx.TransportError as exc:
                if time.monotonic() + delay > give_up:
                    words = self._failure_words(exc)
                    self._set_connected(False, why=words)
                    raise ServerUnavailable(words) from exc
                time.sleep(delay)
                delay = min(delay * 2, 1.0)
                continue
            self.reached = True
            if answer.status_code == 401:  # the server is there but no longer takes this PC
                self._set_connected(False, refused=self._refusal_text(answer))
            else:
                self._set_connected(True)
            return answer

    def _read_while_heard(self, path: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        """A read waits for its answer as long as the server is heard, and no longer.

        A read's own timeout must be long (a first report of an unsummarised year takes seconds),
        so a server that stalled or a LAN cable pulled with a read in flight held the caller for
        that whole timeout: on the clerk's desk, whose panel reads as the clerk ticks, 20 s of a
        frozen screen and no banner. While the event stream follows the server (it hears from
        it every second and says within `LOST_AFTER` when it stops), the read runs on a thread
        and the caller is released, refused in the usual words, the moment the stream finds the
        server gone. A read changes nothing, so leaving it behind loses nothing; a change is
        never left behind (its answer, fetched again with its key, is what says it was done).
        """
        if not self._listening():  # nothing would tell this wait that the server is gone
            return self._send(path, body, headers, retry_for=READ_RETRY_SECONDS)
        released = threading.Event()
        with self._state_lock:
            if not self.connected:
                raise self._unavailable()
            self._read_waits.add(released)
        try:
            try:
                future = self._reads.submit(self._send, path, body, headers, READ_RETRY_SECONDS)
            except RuntimeError:  # closed meanwhile
                raise ServerUnavailable("本终端已断开与大厅服务器的连接") from None
            future.add_done_callback(lambda _: released.set())
            released.wait()
            if future.done():
                return future.result()
            if self._stop.is_set():
                raise ServerUnavailable("本终端已断开与大厅服务器的连接")
            raise self._unavailable()
        finally:
            with self._state_lock:
                self._read_waits.discard(released)

    def _failure_words(self, exc: httpx.TransportError) -> str:
        """What a failed request means, in words that say what to fix.

        Once the server has answered this terminal, a failure is the server or the LAN going
        away, and LOST_MESSAGE says so (the terminal reconnects on its own). Before that, the
        usual cause is the terminal's own configuration, and "the connection was lost" sent
        staff looking for a fault in a connection that never existed: a host name that does not
        resolve, a port nobody listens on, https spoken to a plain-http server or the other way
        round, a certificate the terminal does not trust."""
        if self.reached:
            return LOST_MESSAGE
        url = httpx.URL(self.url)
        host = url.host
        port = url.port or (443 if url.scheme == "https" else 80)
        where = f"{host}:{port}"
        cause = _innermost(exc)
        if isinstance(cause, socket.gaierror):
            return f"无法解析主机名 {host}：请检查大厅服务器的地址（或改用它的IP地址）"
        if isinstance(cause, ssl.SSLCertVerificationError):
            if cause.verify_code == _HOSTNAME_MISMATCH:
                return f"大厅服务器的证书上没有 {host} 这个名称：请用证书上的名称或IP地址连接"
            if cause.verify_code == _CERT_EXPIRED:
                return f"{where} 的证书已过期：请为大厅服务器换发证书"
            return f"{where} 的证书不受信任：请在本机的终端配置中用 cafile 指定签发它的证书"
        if isinstance(cause, ssl.SSLError) and url.scheme == "https":
            if cause.reason in _PLAIN_HTTP_ANSWER:
                return (f"{where} 不是 https：请把大厅服务器的地址改为 http://{where}，"
                        "或给服务器配证书（serve --certfile --keyfile）")
            return f"与 {where} 的 https 握手失败：请确认地址、端口和服务器的证书配置"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"无法连接 {where}：没有应答（大厅服务器未开、地址或端口不对，或网络不通）"
        if isinstance(exc, httpx.ConnectError):
            return f"无法连接 {where}：没有应答（大厅服务器未开或端口不对）"
        if url.scheme == "http" and isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)) \
                and _speaks_tls(host, port):
            return f"{where} 上的大厅服务器用的是 https：请把地址改为 https://{where}"
        if isinstance(exc, httpx.ReadTimeout):
            return (f"{where} 接受了连接但没有答复：大厅服务器可能正忙或已停止响应，也可能该端口上不是大厅服务器；"
                    "请让管理员查看服务器")
        return LOST_MESSAGE

    def _unavailable(self) -> HallError:
        """What a call is refused with while the server is lost to this terminal."""
        refused = self.refused
        return AccessDenied(refused) if refused else ServerUnavailable(LOST_MESSAGE)

    def _release_reads(self) -> None:
        with self._state_lock:
            waits = list(self._read_waits)
        for released in waits:
            released.set()

    def _refusal_text(self, answer: httpx.Response) -> str:
        try:
            return self._error_decoder.decode(answer.content).message
        except msgspec.MsgspecError:
            return "本终端的令牌未被大厅服务器接受，请联系大厅管理员"

    def _refusal(self, answer: httpx.Response) -> None:
        try:
            error = self._error_decoder.decode(answer.content)
        except msgspec.MsgspecError:
            raise ServerUnavailable(f"大厅服务器答复异常（HTTP {answer.status_code}），请稍后再试或联系管理员") from None
        if answer.status_code == 401:
            raise AccessDenied(error.message)
        raise_error(error)

    def ping(self) -> dict:
        """Who the server takes this terminal for (name and role); raises if the token is refused.
        A server answers a ping at once: one that took the connection and says nothing for
        `LOST_AFTER` is lost, not waited for as long as a report (a terminal starting against it
        would not even stop when asked until then)."""
        answer = self._send("/api/ping", b"{}", {"Content-Type": "application/json"}, timeout=LOST_AFTER)
        if answer.status_code != 200:
            try:
                self._error_decoder.decode(answer.content)
            except msgspec.MsgspecError:  # something answers there, and it is not a hall server
                raise ServerUnavailable(f"{self.url} 答复的不是大厅服务器（HTTP {answer.status_code}）：请检查地址和端口") from None
            self._refusal(answer)
        self.me = msgspec.json.decode(answer.content)
        return self.me

    # --- what stays on the terminal -----------------------------------------------------

    def location(self) -> str:
        """A networked terminal keeps its drafts in its own data folder, never beside the hall file."""
        return ""

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Be told of every committed change in the hall (and of losing or regaining the server)."""
        unsubscribe = self.bus.subscribe(listener)
        if self.last_event_id is None:  # from now on: nothing committed after this call is missed
            self.last_event_id = self.latest_event_id()  # type: ignore[attr-defined]
        with self._state_lock:
            if self._listener is None:
                self._listener = threading.Thread(target=self._listen, name="hall-events", daemon=True)
                self._listener.start()
        return unsubscribe

    def catch_up(self, timeout: float = 5.0) -> bool:
        """Wait until every event committed before this call has reached the listeners."""
        target = self.latest_event_id()  # type: ignore[attr-defined]
        give_up = time.monotonic() + timeout
        while (self.last_event_id or 0) < target:
            if time.monotonic() > give_up:
                return False
            time.sleep(0.005)
        return True

    def close(self) -> None:
        self._stop.set()
        self._release_reads()
        self._stream_http.close()
        if self._listener is not None and self._listener is not threading.current_thread():
            self._listener.join(timeout=LOST_AFTER + 1)
        self._reads.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    # --- the event stream -------------------------------------------------------------

    def _listening(self) -> bool:
        """Whether the event stream's thread is following the server (and so will notice it back);
        never for that thread's own calls, which are how it finds the server back."""
        listener = self._listener
        return (listener is not None and listener.is_alive() and not self._stop.is_set()
                and listener is not threading.current_thread())

    def _set_connected(self, connected: bool, refused: str = "", why: str = "") -> None:
        """Say to the listeners that the server went away, refuses this PC, or is back; once
        per change of state (gone -> refusing is a change: the screens' words differ). `why`
        is what the log says of a server never reached (see `_failure_words`)."""
        refused = "" if connected else refused
        with self._state_lock:
            if connected == self.connected and refused == self.refused:
                return
            self.connected = connected
            self.refused = refused
        kind = SERVER_BACK if connected else SERVER_LOST
        data = {"url": self.url}
        if refused:
            data["refused"] = refused
            log.warning("大厅服务器拒绝了本终端的令牌：%s（%s）", refused, self.url)
        elif why and why != LOST_MESSAGE:
            log.warning("%s（%s）", why, self.url)
        else:
            log.warning("大厅服务器%s：%s", "已恢复连接" if connected else "连接中断", self.url)
        self.bus.publish([HallEvent(id=0, kind=kind, at=dt.datetime.now(), data=data)])
        if not connected:  # after the listeners heard it: a released read finds its screen told
            self._release_reads()

    def _listen(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            try:
                if self.last_event_id is None:
                    self.last_event_id = self.latest_event_id()  # type: ignore[attr-defined]
                self._follow()
                delay = 0.5
            except _TokenRefused as exc:  # revoked or re-tokened: ask again now and then, not every 2 s
                log.debug("事件推送被拒绝：%s", exc)  # said once, as the state changed (_set_connected)
                self._set_connected(False, refused=str(exc))
            except (httpx.TransportError, httpx.StreamError, ServerUnavailable) as exc:
                if self._stop.is_set():
                    return
                log.info("事件推送中断：%s", exc)
                why = self._failure_words(exc) if isinstance(exc, httpx.TransportError) else ""
                self._set_connected(False, why=why)
            except HallError as exc:  # refused (a 401 on a read marked it so already): keep trying
                log.warning("事件推送被拒绝：%s", exc)
                self._set_connected(False, refused=self.refused)
            except Exception:
                if self._stop.is_set():
                    return
                log.exception("事件推送出错")
                self._set_connected(False)
            self._stop.wait(REFUSED_RETRY_SECONDS if self.refused else delay)
            delay = min(delay * 2, 2.0)

    def _follow(self) -> None:
        # a return after a loss (or a first connection that failed): what it missed comes first
        catching_up = not self.connected
        headers = {"Accept": "text/event-stream", "Last-Event-ID": str(self.last_event_id)}
        with self._stream_http.stream("GET", "/api/events", headers=headers) as answer:
            if answer.status_code != 200:
                answer.read()
                if answer.status_code == 401:
                    raise _TokenRefused(self._refusal_text(answer))
                self._refusal(answer)
            self.reached = True
            replay_until = _replay_until(answer) if catching_up else 0
            self._set_connected(True)
            for sse in EventSource(answer).iter_sse():
                if self._stop.is_set():
                    return
                if not sse.data:
                    continue
                event = msgspec.json.decode(sse.data, type=HallEvent)
                if event.id <= replay_until:
                    event = dataclasses.replace(event, data={**event.data, REPLAYED: True})
                self.bus.publish([event])
                self.last_event_id = event.id  # after the listeners ran: catch_up waits for them


def _innermost(exc: BaseException) -> BaseException:
    """The error at the bottom of httpx's chain (httpx -> httpcore -> the socket's or ssl's)."""
    seen = {id(exc)}
    while (inner := exc.__cause__ or exc.__context__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        exc = inner
    return exc


def _speaks_tls(host: str, port: int) -> bool:
    """Whether host:port completes a TLS handshake: a plain-http request to an https server
    is simply hung up on, which alone could be any server dropping the line. Only asked when
    a terminal that never reached its server is about to say why."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # only whether it speaks TLS, not whether it is trusted
    try:
        with socket.create_connection((host, port), timeout=2.0) as raw, \
                context.wrap_socket(raw, server_hostname=host):
            return True
    except (OSError, ValueError):
        return False


def _replay_until(answer: httpx.Response) -> int:
    """The newest event id the server had when the stream opened: later ones are live. A server
    of an earlier version does not say: nothing is marked, as before."""
    try:
        return int(answer.headers.get(REPLAY_UNTIL_HEADER, "0"))
    except ValueError:
        return 0


class _TokenRefused(Exception):
    """The event stream was refused with 401: this PC's token is revoked or was replaced."""


def _remote(method: RemoteMethod) -> Callable[..., Any]:
    facade = getattr(Hall, method.name)

    @functools.wraps(facade)
    def call(self: HallClient, *args: Any, **kwargs: Any) -> Any:
        return self._call(method, args, kwargs)

    return call


for _method in METHODS.values():
    setattr(HallClient, _method.name, _remote(_method))
