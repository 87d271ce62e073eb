"""A kiosk's spoken prompts: the newest one is said, an older one still playing stops.

Unlike the hall display's calls, which queue so none is lost, a prompt belongs to the screen
it was said for: a citizen who has already touched on wants to hear the next step, not the
end of the last. The sentence's WAV is made off the GUI thread (espeak-ng runs as a process,
once per text, then from the cache); where Qt has a Chinese voice (see qt_speech), it reads
the sentence instead. A machine with no voice and no player shows everything and stays quiet.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ui.voice import playback
from ui.voice.playback import Player, SilentPlayer
from ui.voice.qt_speech import QtSpeech
from ui.voice.synth import VoiceBuilder
from ui.worker import run_async

log = logging.getLogger(__name__)
SLOTS = 4  # rolling files for sentences made once (a ticket's number): one plays, one is being made


class PromptVoice(QObject):
    """`say(text)` from the GUI thread; `silence()` when the citizen has gone."""

    started = Signal(str)  # the sentence, when its sound starts

    def __init__(self, builder: VoiceBuilder | None = None, *, player: Player | None = None,
                 speech: QtSpeech | None | str = "auto", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.builder = builder or VoiceBuilder()
        self.player: Player = player or playback.best_player(self)  # looked up now: tests swap it
        if speech == "auto":
            speech = None if isinstance(self.player, SilentPlayer) else QtSpeech.find(self)
        self.speech: QtSpeech | None = speech  # type: ignore[assignment]
        self.said: list[str] = []  # sentences whose sound started, in order (for tests and the log)
        self._seq = 0  # the prompt that may still be heard; an older one's sound is dropped

    def say(self, text: str, *, keep: bool = True) -> None:
        """Say `text` now. `keep`: a fixed prompt, made once and kept; a sentence with a ticket's
        number in it is made into one of a few rolling files instead, so the cache stays small."""
        self.silence()
        seq = self._seq
        if self.speech is not None:
            self._started(text)
            self.speech.say(text, lambda: None)
            return
        if isinstance(self.player, SilentPlayer):  # nobody would hear it: nothing to make
            self._started(text)
            return
        out = None if keep else self.builder.cache_dir / "out" / f"prompt-{seq % SLOTS:02d}.wav"
        run_async(lambda: self.builder.build_sentence(text, out), lambda path: self._play(seq, text, path),
                  lambda exc: log.warning("提示语音生成失败（%s）：%s", text, exc))

    def silence(self) -> None:
        """Stop what is being said and drop what is still being made."""
        self._seq += 1
        self.player.stop()
        if self.speech is not None:
            self.speech.stop()

    def _play(self, seq: int, text: str, path: Path | None) -> None:
        if seq != self._seq or path is None:  # a newer prompt came meanwhile, or no voice here
            return
        self._started(text)
        start = getattr(self.player, "start", None)
        if start is not None:  # an external player: no worker thread held while it sounds
            start(path)
        else:
            self.player.play(path, lambda: None)

    def _started(self, text: str) -> None:
        self.said.append(text)
        del self.said[:-50]
        self.started.emit(text)
