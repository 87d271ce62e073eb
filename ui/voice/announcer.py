"""Plays calls one after another: chime, then the spoken call, never two at once.

Building a call's WAV runs in the worker pool (espeak-ng and file writes), and so does an
external player; the queue itself lives in the GUI thread. Where Qt has a Chinese voice
(see qt_speech), the WAV holds only the chime and that voice reads the sentence after it. A watchdog moves on if a player
never reports the end, so one stuck file cannot silence the hall for the rest of the day.
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.models import Call
from ui.voice.audio import duration_s
from ui.voice.phrases import announcement_speech, announcement_text
from ui.voice.playback import Player, SilentPlayer, best_player
from ui.voice.qt_speech import QtSpeech
from ui.voice.synth import VoiceBuilder
from ui.worker import run_async

log = logging.getLogger(__name__)

SLOTS = 32  # rolling output files: enough for any burst, bounded on disk
SPEECH_WATCHDOG_MS = 15_000  # a Qt voice that never reports the end of a sentence


class Announcer(QObject):
    """`announce(call)` from the GUI thread; signals tell screens and tests what happened."""

    started = Signal(str)  # the announcement text, when its sound starts
    built = Signal(object)  # Path of the WAV just made
    finished = Signal(str)  # the announcement text, when its sound is over

    def __init__(self, builder: VoiceBuilder | None = None, *, player: Player | None = None,
                 play_audio: bool = True, speech: QtSpeech | None | str = "auto",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.builder = builder or VoiceBuilder()
        self.player: Player = player or (best_player(self) if play_audio else SilentPlayer())
        if speech == "auto":
            speech = QtSpeech.find(self) if play_audio else None
        self.speech: QtSpeech | None = speech  # type: ignore[assignment]
        self.last_text = ""
        self.last_wav: Path | None = None
        self.played: list[str] = []  # texts in the order their sound started
        self._pending: deque[Call] = deque()
        self._busy = False
        self._current = ""
        self._seq = 0
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._give_up)

    def announce(self, call: Call) -> None:
        """Queue a call; it is spoken after whatever is playing now."""
        self.last_text = announcement_text(call)
        self._pending.append(call)
        self._pump()

    @property
    def idle(self) -> bool:
        return not self._busy and not self._pending

    def stop(self) -> None:
        """Drop queued calls and stop playing (the screen is closing)."""
        self._pending.clear()
        self.player.stop()
        if self.speech is not None:
            self.speech.stop()
        self._watchdog.stop()
        self._busy = False

    def _pump(self) -> None:
        if self._busy or not self._pending:
            return
        call = self._pending.popleft()
        self._busy = True
        self._current = announcement_text(call)
        self._seq += 1
        out = self.builder.cache_dir / "out" / f"call-{self._seq % SLOTS:02d}.wav"
        if self.speech is not None:
            sentence = announcement_speech(call)
            run_async(lambda: self.builder.build_chime(out), lambda path: self._play(path, sentence), self._failed)
        else:
            run_async(lambda: self.builder.build(call, out), self._play, self._failed)

    def _failed(self, exc: Exception) -> None:
        log.warning("叫号语音生成失败（%s）：%s", self._current, exc)
        self._done()

    def _play(self, path: Path, sentence: str = "") -> None:
        self.last_wav = path
        self.built.emit(path)
        self.played.append(self._current)
        self.started.emit(self._current)
        self._watchdog.start(int(duration_s(path) * 1000) + 3000)
        seq = self._seq
        self.player.play(path, (lambda: self._say(sentence, seq)) if sentence else lambda: self._done_for(seq))

    def _say(self, sentence: str, seq: int) -> None:
        """After the chime: the Qt voice reads the sentence, then the next call may start."""
        if seq != self._seq or not self._busy or self.speech is None:
            return
        self._watchdog.start(SPEECH_WATCHDOG_MS)
        self.speech.say(sentence, lambda: self._done_for(seq))

    def _give_up(self) -> None:
        """The player or the voice never said it finished: silence it and move on."""
        if self.speech is not None:
            self.speech.stop()
        self._done()

    def _done_for(self, seq: int) -> None:
        """A late 'finished' from a call the watchdog already gave up on must not end the next one."""
        if seq == self._seq:
            self._done()

    def _done(self) -> None:
        if not self._busy:
            return
        self._watchdog.stop()
        self._busy = False
        self.finished.emit(self._current)
        self._pump()
