"""Ways to play a finished WAV, best first, each calling `on_done` once the sound is over.

PySide6-Essentials has no QtMultimedia (it ships in PySide6-Addons), so QMediaPlayer is
used only when it is importable; otherwise ALSA's `aplay` (Debian alsa-utils, installed by
scripts/bootstrap.sh) or PulseAudio/PipeWire's player plays the file from a worker thread.
With none of them the hall display still shows every call; one log line says why it is silent.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, QUrl

from ui.worker import run_async

log = logging.getLogger(__name__)
Done = Callable[[], None]
COMMANDS = (("aplay", "-q"), ("paplay",), ("pw-play",))


class Player(Protocol):
    name: str

    def play(self, path: Path, on_done: Done) -> None: ...

    def stop(self) -> None: ...


class SilentPlayer:
    """No sound at all (tests, or a machine without any player): done at once."""

    name = "silent"

    def play(self, path: Path, on_done: Done) -> None:
        QTimer.singleShot(0, on_done)

    def stop(self) -> None:
        pass


class CommandPlayer:
    """An external player run in the worker pool; its exit marks the end of the sound."""

    def __init__(self, argv: tuple[str, ...]) -> None:
        self.argv = argv
        self.name = Path(argv[0]).name
        self._warned = False
        self._proc: subprocess.Popen[bytes] | None = None

    def _run(self, path: Path) -> str:
        proc = subprocess.Popen([*self.argv, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._proc = proc
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            return "timeout"
        if proc.returncode == 0:
            return ""
        lines = err.decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else f"exit {proc.returncode}"

    def play(self, path: Path, on_done: Done) -> None:
        def finished(problem: str) -> None:
            if problem:
                self._cannot_play(problem)
            on_done()

        run_async(lambda: self._run(path), finished, lambda exc: finished(str(exc)))

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()

    def start(self, path: Path) -> None:
        """Play without waiting for the end (a kiosk's prompt, which nobody waits on): no worker
        thread is held for the seconds it sounds; `stop()` cuts it short."""
        self.stop()
        try:
            self._proc = subprocess.Popen([*self.argv, str(path)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
        except OSError as exc:
            self._cannot_play(str(exc))

    def _cannot_play(self, problem: str) -> None:
        if not self._warned:
            self._warned = True  # a hall without speakers would otherwise log every call
            log.warning("本机声音无法播放（%s）：%s；画面照常显示", self.name, problem)


class QtPlayer(QObject):
    """QMediaPlayer + QAudioOutput, for installs that have PySide6-Addons."""

    name = "QMediaPlayer"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        self._status = QMediaPlayer.MediaStatus
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.errorOccurred.connect(lambda _e, msg="": self._finish(msg))
        self._on_done: Done | None = None

    def play(self, path: Path, on_done: Done) -> None:
        self._on_done = on_done
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()

    def _on_status(self, status: object) -> None:
        if status in (self._status.EndOfMedia, self._status.InvalidMedia):
            self._finish()

    def _finish(self, problem: str = "") -> None:
        if problem:
            log.warning("声音播放失败：%s", problem)
        done, self._on_done = self._on_done, None
        if done:
            done()

    def stop(self) -> None:
        self._player.stop()


_silenced = False


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Players made meanwhile play nothing: `main.py screenshot` plays a hall's morning through
    the screens to draw them, and a machine with speakers would chime with every helper call."""
    global _silenced
    before, _silenced = _silenced, True
    try:
        yield
    finally:
        _silenced = before


def best_player(parent: QObject | None = None) -> Player:
    """The first way of playing that this machine has (none while `silenced`)."""
    if _silenced:
        return SilentPlayer()
    try:
        return QtPlayer(parent)
    except ImportError:
        pass
    for argv in COMMANDS:
        exe = shutil.which(argv[0])
        if exe:
            return CommandPlayer((exe, *argv[1:]))
    log.warning("没有可用的音频播放方式（QtMultimedia、aplay、paplay 均不可用）：叫号只显示不播报")
    return SilentPlayer()
