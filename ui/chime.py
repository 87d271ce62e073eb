"""One chime, made once and played through whatever this machine can play: a clerk desk rings
when a kiosk calls for a helper, and a kiosk rings on its own speaker when its call cannot reach
staff, so someone on the floor still hears it. A PC without sound still shows everything."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)


class Chime:
    """`ring()` plays the chime once; `played` counts the rings that reached a player."""

    def __init__(self, parent: QObject | None = None, file_name: str = "hall-helper-chime.wav") -> None:
        self.parent = parent
        self.file_name = file_name
        self.player = None
        self.path: Path | None = None
        self.played = 0

    def ring(self) -> None:
        try:
            if self.player is None:
                from ui.voice.playback import best_player
                from ui.voice.synth import VoiceBuilder

                self.player = best_player(self.parent)
                self.path = VoiceBuilder().build_chime(Path(tempfile.gettempdir()) / self.file_name)
            self.player.play(self.path, lambda: None)  # type: ignore[attr-defined]
            self.played += 1
        except Exception as exc:  # no sound on this PC: the screen still shows the call
            log.warning("提示音未能播放：%s", exc)
