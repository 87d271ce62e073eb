"""What a networked terminal shows when it starts and its hall server does not answer yet.

In a real hall every PC is switched on at once in the morning, and the server's PC is often
not the first one up; after a power cut, all of them boot together. A terminal that gave up at
once would leave a kiosk on the desktop and a clerk restarting by hand. Instead it says where
it is (pausing tickets on a public screen, the address and what to check on a staff one),
tries again with a growing pause (`RETRY_AFTER`), and opens its screens by itself the moment
the server answers. A server that answers but refuses the PC's token is shown as that, with the
server's words, in the same words a running terminal uses (staff must set the PC up again);
the screen stays up and asks again every `REFUSED_RETRY_SECONDS`, as a running terminal does,
because a PC launched from a desktop icon that quit would say nothing to anyone, and a kiosk
that quit would show the desktop between its supervisor's restarts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk import Hall
from kiosk.errors import HallError, ServerUnavailable
from kiosk.hall_terminals import role_name
from ui import theme
from ui.i18n import tr
from ui.worker import run_async

log = logging.getLogger(__name__)
RETRY_AFTER = (1, 2, 4, 8, 10)  # seconds before each further try; the last one repeats
REFUSED_RETRY_SECONDS = 10  # as hallnet.client asks again while the server refuses the token
PUBLIC_ROLES = ("kiosk", "display", "evaluator")  # citizens see these screens: no exit button


def retry_delay(failures: int) -> int:
    """Seconds to wait after the `failures`-th failed try (1-based)."""
    return RETRY_AFTER[min(failures, len(RETRY_AFTER)) - 1]


@dataclass(frozen=True)
class WaitWords:
    """The screen's fixed words; the status line below them changes with each try."""

    title: str
    body: str
    hint: str


def wait_words(role: str, url: str, lang: str = "zh", reason: str = "") -> WaitWords:
    """Plain words for who looks at this screen: a citizen at a kiosk, the hall at the display,
    a clerk or manager at a desk who may have to check a cable or call the server's keeper (and
    is told the client's reason: no such host, nothing at that port, https to an http server)."""
    if role == "kiosk":
        if lang == "en":
            return WaitWords("Tickets paused", "This kiosk is connecting to the hall server and will resume by itself.",
                             "If you need help now, please ask at the service desk or any window.")
        return WaitWords("暂停取号", "本机正在连接大厅服务器，\n连上后自动恢复服务。", "如需办事，请到服务台或就近窗口求助。")
    if role in ("display", "evaluator"):
        return WaitWords("正在连接大厅服务器", "连上后自动恢复，请稍候。", "")
    screen = role_name(role)
    why = reason.rstrip("。") + "。" if reason else f"大厅服务器 {url} 暂时没有应答。"
    return WaitWords("正在连接大厅服务器", f"{why}\n本机会自动重试，连上后自动打开{screen}，无需重新启动。",
                     "请检查本机网线和终端配置中的地址，或请管理员确认大厅服务器已开启。")


def refused_words(role: str, reason: str, lang: str = "zh") -> WaitWords:
    """What the screen says while the server refuses the PC's token (the kiosk in the words
    its running home screen uses for the same state)."""
    if role == "kiosk":  # the banner's heading, split: a whole screen has room for a title of its own
        import ui.kiosk.strings  # noqa: F401 - registers the kiosk's English words
        head, _, rest = tr("暂停取号：本机需要工作人员重新设置", lang).replace(": ", "：").partition("：")
        return WaitWords(head, rest[:1].upper() + rest[1:] + ("." if lang == "en" else "。") + "\n"
                         + tr("请到服务台取号。", lang), tr("工作人员请注意：{reason}", lang).format(reason=reason))
    if role in ("display", "evaluator"):
        return WaitWords("本机需要工作人员重新设置", f"工作人员请注意：{reason}", "")
    return WaitWords("大厅服务器拒绝了本机的令牌", reason,
                     "本机的新终端配置（terminal.toml）放好后，点“立即重试”即可，无需重新打开本程序。")


def status_words(failures: int, seconds_left: int, trying: bool, lang: str = "zh", refused: bool = False) -> str:
    if lang == "en":
        if trying:
            return "Connecting…"
        if refused:
            return f"Asking the hall server again in {seconds_left} s"
        return f"Try {failures} did not connect; trying again in {seconds_left} s"
    if trying:
        return "正在连接…"
    if refused:
        return f"{seconds_left} 秒后再问一次大厅服务器"
    return f"第 {failures} 次尝试未连上，{seconds_left} 秒后再试"


class ServerWait(QWidget):
    """Tries `connect()` (which opens the hall, i.e. reaches the server) off the GUI thread
    until it gives a hall: then `opened` carries it. While the server refuses the PC's token,
    `refusal` holds its words and the screen says so. `stop()` or 退出 ends the wait."""

    opened = Signal(object)
    given_up = Signal()

    def __init__(self, connect: Callable[[], Hall], *, role: str, url: str, lang: str = "zh",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self.role = role
        self.lang = lang if role == "kiosk" else "zh"
        self.url = url
        self.failures = 0
        self.refusal = ""  # the server's words while it refuses this PC's token
        self.reason = ""  # why the server cannot be reached, as the client says it (staff screens)
        self.trying = False
        self.stopped = False
        self._next_try = 0.0
        self.setWindowTitle(f"{role_name(role)} · 正在连接大厅服务器")
        self.setObjectName("serverWait")
        public = role in PUBLIC_ROLES
        dark = role == "display"
        bg, fg, muted = ((theme.DISPLAY_BG, theme.DISPLAY_TEXT, theme.DISPLAY_TEXT) if dark
                         else (theme.BG, theme.TEXT, theme.MUTED))
        title_px, body_px, small_px = (80, 44, 34) if public else (42, 26, 20)
        self.setStyleSheet(f"QWidget#serverWait {{ background: {bg}; }}"
                           f"QLabel {{ color: {fg}; background: transparent; }}"
                           f"QLabel#waitTitle {{ font-size: {title_px}px; font-weight: bold;"
                           f" color: {fg if dark else (theme.WARN if role == 'kiosk' else theme.PRIMARY)}; }}"
                           f"QLabel#waitBody {{ font-size: {body_px}px; }}"
                           f"QLabel#waitHint, QLabel#waitStatus {{ font-size: {small_px}px; color: {muted}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        words = wait_words(role, url, self.lang)
        self.title = self._label(words.title, "waitTitle")
        self.body = self._label(words.body, "waitBody")
        self.hint = self._label(words.hint, "waitHint")
        self.hint.setVisible(bool(words.hint))
        self.status = self._label(status_words(0, 0, True, self.lang), "waitStatus")
        box = QVBoxLayout(self)
        box.setContentsMargins(60, 60, 60, 60)
        box.setSpacing(24)
        box.addStretch(2)
        for label in (self.title, self.body, self.hint, self.status):
            box.addWidget(label)
        self.retry_button: QPushButton | None = None
        self.exit_button: QPushButton | None = None
        if not public:  # staff may want to try at once after plugging a cable in, or give up
            row = QHBoxLayout()
            row.addStretch(1)
            self.retry_button = QPushButton("立即重试")
            self.exit_button = QPushButton("退出")
            theme.set_role(self.exit_button, "secondary")
            for b in (self.retry_button, self.exit_button):
                b.setMinimumSize(160, theme.MIN_TARGET_PX)
                row.addWidget(b)
            row.addStretch(1)
            box.addLayout(row)
            self.retry_button.clicked.connect(self.try_now)
            self.exit_button.clicked.connect(self.give_up)
        box.addStretch(3)
        self._tick = QTimer(self)  # counts the pause down on screen and starts the next try
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._on_tick)

    def _label(self, text: str, name: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def start(self, after: Exception | None = None) -> None:
        """Begin trying; `after`: the failure of a try made before the screen was up, shown at once."""
        if after is None:
            self.try_now()
        else:
            self._on_failed(after)

    def try_now(self) -> None:
        if self.trying or self.stopped:
            return
        self.trying = True
        self._tick.stop()
        self.status.setText(status_words(self.failures, 0, True, self.lang))
        if self.retry_button is not None:
            self.retry_button.setEnabled(False)
        run_async(self._connect, self._on_connected, self._on_failed)

    def _on_connected(self, hall: Hall) -> None:
        self.trying = False
        if self.stopped:  # nobody is waiting for it any more
            hall.close()
            return
        self.stopped = True
        self.opened.emit(hall)

    def _on_failed(self, exc: Exception) -> None:
        self.trying = False
        if self.stopped:
            return
        self.failures += 1
        # the server answered and refused (a revoked token, a wrong one), or something unexpected
        # happened: staff must act, and the server is asked again only now and then
        if isinstance(exc, ServerUnavailable):
            refusal = ""
        elif isinstance(exc, HallError):
            refusal = str(exc)
        else:  # a defect: plain words on the screen, the details in the log
            log.error("连接大厅服务器时出错", exc_info=exc)
            refusal = f"连接时出现意外问题（{type(exc).__name__}），详情已记入日志；请告诉维护人员"
        # staff are told why the server cannot be reached; the public screens keep their calm words
        reason = str(exc) if isinstance(exc, ServerUnavailable) and self.role not in PUBLIC_ROLES else ""
        if refusal != self.refusal or reason != self.reason:
            self.refusal, self.reason = refusal, reason
            words = (refused_words(self.role, refusal, self.lang) if refusal
                     else wait_words(self.role, self.url, self.lang, reason))
            self.title.setText(words.title)
            self.body.setText(words.body)
            self.hint.setText(words.hint)
            self.hint.setVisible(bool(words.hint))
        pause = REFUSED_RETRY_SECONDS if refusal else retry_delay(self.failures)
        self._next_try = time.monotonic() + pause
        if self.retry_button is not None:
            self.retry_button.setEnabled(True)
        self._on_tick()
        self._tick.start()

    def _on_tick(self) -> None:
        left = self._next_try - time.monotonic()
        if left <= 0:
            self.try_now()
            return
        self.status.setText(status_words(self.failures, int(left + 0.999), False, self.lang, bool(self.refusal)))

    def give_up(self) -> None:
        self.stop()
        self.given_up.emit()

    def stop(self) -> None:
        """End the wait; a try still in flight closes what it opens when it comes back."""
        self.stopped = True
        self._tick.stop()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # a public screen is closed by its operator's signal only, never by a stray touch
        if self.role in PUBLIC_ROLES and not self.stopped and self.isFullScreen():
            event.ignore()
            return
        self.give_up()
        super().closeEvent(event)


def wait_for_hall(connect: Callable[[], Hall], *, role: str, url: str, lang: str = "zh",
                  full_screen: bool = False, first_failure: Exception | None = None) -> tuple[Hall | None, ServerWait]:
    """Show the wait screen and run the event loop until the server lets the PC in, or the
    operator stops the terminal (Ctrl+C, SIGTERM, 退出): then the hall is None. The screen is
    returned still shown, so a full-screen terminal never flashes the desktop before its own
    screens cover it. `first_failure` is the refusal that led here, shown at once."""
    from ui.app import create_application, run_until_stopped
    from ui.worker import end_jobs

    app = create_application()
    opened: list[Hall] = []
    wait = ServerWait(connect, role=role, url=url, lang=lang)

    def got(hall: Hall) -> None:
        opened.append(hall)
        app.exit(0)

    wait.opened.connect(got)
    wait.given_up.connect(lambda: app.exit(0))
    wait.showFullScreen() if full_screen else wait.show()
    wait.start(after=first_failure)
    run_until_stopped(app)
    if not opened:
        wait.stop()
        # a try in flight ends here, closing what it opened; one that outlasts this (a server
        # that took the connection and stalls) is let go of, so it cannot emit after Qt is gone
        end_jobs(3000)
    return (opened[0] if opened else None), wait


def render_screenshots(out_dir) -> list:  # noqa: ANN001 - a Path
    """The wait screen as the kiosk (both orientations, English), the clerk's desk and the hall
    display show it, after two tries that did not connect."""
    from pathlib import Path

    from kiosk.errors import AccessDenied

    looks = (("kiosk", "zh", (1080, 1920), ""), ("kiosk", "en", (1920, 1080), ""), ("clerk", "zh", (1366, 768), ""),
             ("display", "zh", (1920, 1080), ""), ("kiosk", "zh", (1080, 1920), "refused"),
             ("clerk", "zh", (1366, 768), "refused"))
    paths: list[Path] = []
    for role, lang, (width, height), state in looks:
        wait = ServerWait(lambda: None, role=role, url="https://192.168.1.10:8470", lang=lang)  # type: ignore[arg-type, return-value]
        wait.failures = 1
        wait.start(after=AccessDenied("终端令牌无效或已注销：请向大厅管理员重新领取") if state
                   else ServerUnavailable("与大厅服务器的连接已中断"))
        wait.stop()
        wait.status.setText(status_words(wait.failures, 4, False, wait.lang, bool(state)))
        wait.resize(width, height)
        path = Path(out_dir) / f"server-wait-{role}-{lang}-{width}x{height}{'-' + state if state else ''}.png"
        wait.grab().save(str(path))
        paths.append(path)
        wait.deleteLater()
    return paths
