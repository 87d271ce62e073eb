"""One chime, made once and played through whatever this machine can play: a clerk desk rings
when a kiosk calls for a helper, and a kiosk rings on its own speaker when its call cannot reach
staff, so someone on the floor still hears it. A PC without sound still shows everything."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)


_WAV: Path | None = None  # the chime, written once per process


def chime_wav() -> Path:
    global _WAV
    if _WAV is None or not _WAV.exists():
        from ui.voice.synth import VoiceBuilder

        _WAV = VoiceBuilder().build_chime(Path(tempfile.gettempdir()) / f"hall-helper-chime-{os.getpid()}.wav")
    return _WAV


class Chime:
    """`ring()` plays the chime once; `played` counts the rings that reached a player."""

    def __init__(self, parent: QObject | None = None) -> None:
        self.parent = parent
        self.player = None
        self.played = 0

    def ring(self) -> None:
        try:
            if self.player is None:
                from ui.voice.playback import best_player

                self.player = best_player(self.parent)
            self.player.play(chime_wav(), lambda: None)  # type: ignore[attr-defined]
            self.played += 1
        except Exception as exc:  # no sound on this PC: the screen still shows the call
            log.warning("提示音未能播放：%s", exc)
