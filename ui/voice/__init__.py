"""The hall's voice: what a call says (pure functions) and the Announcer that plays it offline."""

from ui.voice.announcer import Announcer
from ui.voice.phrases import (
    RECALL_PREFIX,
    announcement_clips,
    announcement_pinyin,
    announcement_text,
    window_syllables,
)
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
