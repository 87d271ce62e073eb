"""The hall's voice: what a call says (pure functions) and the Announcer that plays it offline.

The Announcer and the VoiceBuilder (Qt, players, espeak-ng) load on first use: a kiosk needs
only the words (`phrases`) to start, and its voice only once elder mode first speaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui.voice.phrases import (
    RECALL_PREFIX,
    announcement_clips,
    announcement_pinyin,
    announcement_text,
    window_syllables,
)

if TYPE_CHECKING:
    from ui.voice.announcer import Announcer
    from ui.voice.synth import VoiceBuilder

__all__ = [
    "RECALL_PREFIX",
    "Announcer",
    "VoiceBuilder",
    "announcement_clips",
    "announcement_pinyin",
    "announcement_text",
    "window_syllables",
]


def __getattr__(name: str) -> Any:
    if name == "Announcer":
        from ui.voice.announcer import Announcer

        return Announcer
    if name == "VoiceBuilder":
        from ui.voice.synth import VoiceBuilder

        return VoiceBuilder
    raise AttributeError(f"module 'ui.voice' has no attribute {name!r}")
