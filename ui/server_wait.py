"""What a networked terminal shows when it starts and its hall server does not answer yet.

In a real hall every PC is switched on at once in the morning, and the server's PC is often
not the first one up; after a power cut, all of them boot together. A terminal that gave up at
once would leave a kiosk on the desktop and a clerk restarting by hand. Instead it says where
it is (pausing tickets on a public screen, the address and what to check on a staff one),
tries again with a growing pause (`RETRY_AFTER`), and opens its screens by itself the moment
the server answers. A server that answers but refuses the PC's token is not waited for: only
staff re-registering the PC can change that, so the terminal says so and stops.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk import Hall
from kiosk.errors import AccessDenied, ServerUnavailable
from ui import theme
from ui.worker import run_async

RETRY_AFTER = (1, 2, 4, 8, 10)  # seconds before each further try; the last one repeats
PUBLIC_ROLES = ("kiosk", "display", "evaluator")  # citizens see these screens: no exit button
SCREEN_NAMES = {"kiosk": "取号机", "display": "大厅显示屏", "clerk": "窗口工作台", "evaluator": "评价器",
                "admin": "管理后台"}


def retry_delay(failures: int) -> int:
    """Seconds to wait after the `failures`-th failed try (1-based)."""
    return RETRY_AFTER[min(failures, len(RETRY_AFTER)) - 1]


@dataclass(frozen=True)
class WaitWords:
    """The screen's fixed words; the status line below them changes with each try."""

    title: str
    body: str
    hint: str


def wait_words(role: str, url: str, lang: str = "zh") -> WaitWords:
    """Plain words for who looks at this screen: a citizen at a kiosk, the hall at the display,
    a clerk or manager at a desk who may have to check a cable or call the server's keeper."""
    if role == "kiosk":
        if lang == "en":
            return WaitWords("Tickets paused", "This kiosk is connecting to the hall server and will resume by itself.",
                             "If you need help now, please ask at the service desk or any window.")
        return WaitWords("暂停取号", "本机正在连接大厅服务器，\n连上后自动恢复服务。", "如需办事，请到服务台或就近窗口求助。")
    if role in ("display", "evaluator"):
        return WaitWords("正在连接大厅服务器", "连上后自动恢复，请稍候。", "")
    screen = SCREEN_NAMES.get(role, "终端")
    return WaitWords("正在连接大厅服务器",
                     f"大厅服务器 {url} 暂时没有应答。\n本机会自动重试，连上后自动打开{screen}，无需重新启动。",
                     "请检查本机网线，或请管理员确认大厅服务器已开启。")


def status_words(failures: int, seconds_left: int, trying: bool, lang: str = "zh") -> str:
    if lang == "en":
        if trying:
            return "Connecting…"
        return f"Try {failures} did not connect; trying again in {seconds_left} s"
    if trying:
        return "正在连接…"
    return f"第 {failures} 次尝试未连上，{seconds_left} 秒后再试"


class ServerWait(QWidget):
    """Tries `connect()` (which opens the hall, i.e. reaches the server) off the GUI thread
    until it gives a hall: then `opened` carries it. A refusal of the PC's token ends the wait
    with `refused` and the server's words. `stop()` ends it with neither."""

    opened = Signal(object)
    refused = Signal(str)
    given_up = Signal()

    def __init__(self, connect: Callable[[], Hall], *, role: str, url: str, lang: str = "zh",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._connect = connect
        self.role = role
        self.lang = lang if role == "kiosk" else "zh"
        self.failures = 0
        self.trying = False
        self.stopped = False
        self._next_try = 0.0
        self.setWindowTitle(f"{SCREEN_NAMES.get(role, '终端')} · 正在连接大厅服务器")
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

    def start(self) -> None:
        self.try_now()

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
        if isinstance(exc, AccessDenied) or not isinstance(exc, ServerUnavailable):
            # the server answered and refused (a revoked token, a wrong one): waiting cannot help
            self.stopped = True
            self.refused.emit(str(exc))
            return
        self.failures += 1
        self._next_try = time.monotonic() + retry_delay(self.failures)
        if self.retry_button is not None:
            self.retry_button.setEnabled(True)
        self._on_tick()
        self._tick.start()

    def _on_tick(self) -> None:
        left = self._next_try - time.monotonic()
        if left <= 0:
            self.try_now()
            return
        self.status.setText(status_words(self.failures, int(left + 0.999), False, self.lang))

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


class WaitOutcome:
    """How a wait ended: the hall it opened, or the server's refusal, or neither (stopped)."""

    def __init__(self) -> None:
        self.hall: Hall | None = None
        self.refusal = ""


def wait_for_hall(connect: Callable[[], Hall], *, role: str, url: str, lang: str = "zh",
                  full_screen: bool = False) -> tuple[WaitOutcome, ServerWait]:
    """Show the wait screen and run the event loop until the server answers, refuses, or the
    operator stops the terminal (Ctrl+C, SIGTERM, 退出). The screen is returned still shown, so
    a full-screen terminal never flashes the desktop before its own screens cover it."""
    from ui.app import create_application, run_until_stopped
    from ui.worker import drain_jobs

    app = create_application()
    outcome = WaitOutcome()
    wait = ServerWait(connect, role=role, url=url, lang=lang)

    def opened(hall: Hall) -> None:
        outcome.hall = hall
        app.exit(0)

    def refused(words: str) -> None:
        outcome.refusal = words
        app.exit(0)

    wait.opened.connect(opened)
    wait.refused.connect(refused)
    wait.given_up.connect(lambda: app.exit(0))
    wait.showFullScreen() if full_screen else wait.show()
    wait.start()
    run_until_stopped(app)
    if outcome.hall is None:
        wait.stop()
        drain_jobs(3000)  # a try in flight ends here, closing what it opened
    return outcome, wait


def render_screenshots(out_dir) -> list:  # noqa: ANN001 - a Path
    """The wait screen as the kiosk (both orientations, English), the clerk's desk and the hall
    display show it, after two tries that did not connect."""
    from pathlib import Path

    looks = (("kiosk", "zh", (1080, 1920)), ("kiosk", "en", (1920, 1080)), ("clerk", "zh", (1366, 768)),
             ("display", "zh", (1920, 1080)))
    paths: list[Path] = []
    for role, lang, (width, height) in looks:
        wait = ServerWait(lambda: None, role=role, url="https://192.168.1.10:8470", lang=lang)  # type: ignore[arg-type, return-value]
        wait.failures = 2
        wait.status.setText(status_words(2, 4, False, wait.lang))
        wait.resize(width, height)
        path = Path(out_dir) / f"server-wait-{role}-{lang}-{width}x{height}.png"
        wait.grab().save(str(path))
        paths.append(path)
        wait.deleteLater()
    return paths
