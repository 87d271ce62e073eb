"""Turning a call into one WAV file: chime, then clips generated once by espeak-ng and cached.

Blocking (espeak-ng runs as a process, files are written): call it through ui.worker.run_async,
never on the GUI thread. Recorded clips in resources/sounds/voice/<name>.wav win over
synthesised ones, so a hall with a professional recording only has to drop the files in.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import threading
from array import array
from pathlib import Path

from kiosk.models import Call
from ui.voice import audio
from ui.voice.phrases import PAUSE, announcement_clips, clip_pinyin, sentence_pinyin

log = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).resolve().parents[2] / "resources" / "sounds"
CHIME_PATH = SOUNDS_DIR / "chime.wav"
RECORDED_DIR = SOUNDS_DIR / "voice"
VOICE = "cmn-latn-pinyin"  # plain `cmn` reads tone-numbered pinyin as English
SPEED_WPM = 150  # espeak's default 175 is too quick for a noisy hall
GAP_S = 0.04  # between clips
PAUSE_S = 0.22  # at a PAUSE marker
AFTER_CHIME_S = 0.35


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("service-hall-terminal")) / "voice"


class VoiceBuilder:
    """Builds announcement WAVs; thread-safe so several calls may be prepared at once."""

    def __init__(self, cache_dir: Path | None = None, espeak: str | None = "auto",
                 recorded_dir: Path = RECORDED_DIR) -> None:
        self.cache_dir = cache_dir or default_cache_dir()
        self.espeak = shutil.which("espeak-ng") if espeak == "auto" else espeak
        self.recorded_dir = recorded_dir
        self._lock = threading.Lock()
        self._clips: dict[str, array] = {}
        self._chime: array | None = None
        if self.espeak is None:
            log.warning("espeak-ng 未安装：叫号只显示并播放提示音，不朗读（安装 espeak-ng 后可朗读）")

    @property
    def can_speak(self) -> bool:
        return self.espeak is not None or self.recorded_dir.is_dir()

    def _clip_dir(self) -> Path:
        # the voice and speed are part of the key, so changing either regenerates every clip
        key = hashlib.sha1(f"{VOICE}|{SPEED_WPM}|v1".encode()).hexdigest()[:10]
        return self.cache_dir / f"clips-{key}"

    def clip(self, name: str) -> array | None:
        """The trimmed samples of one clip, generating its WAV on first use; None if it cannot be had."""
        with self._lock:
            if name in self._clips:
                return self._clips[name]
        recorded = self.recorded_dir / f"{name}.wav"
        cached = self._clip_dir() / f"{name}.wav"
        source: Path | None = recorded if recorded.is_file() else None
        if source is None and not cached.is_file() and self.espeak is not None:
            self._speak_into(clip_pinyin(name), cached, timeout=10)
        if source is None and cached.is_file():
            source = cached
        if source is None:
            return None
        samples = audio.trim(audio.read_wav(source))
        with self._lock:
            self._clips[name] = samples
        return samples

    def chime(self) -> array:
        if self._chime is None:
            self._chime = audio.read_wav(CHIME_PATH) if CHIME_PATH.is_file() else audio.chime()
        return self._chime

    def speech(self, call: Call) -> array:
        """The spoken part alone (empty when there is no voice)."""
        out = array("h")
        for name in announcement_clips(call):
            if name == PAUSE:
                out += audio.silence(PAUSE_S)
                continue
            samples = self.clip(name)
            if samples is None:
                return array("h")  # half a sentence is worse than the chime alone
            out += samples
            out += audio.silence(GAP_S)
        return out

    def build_chime(self, out_path: Path) -> Path:
        """The chime alone, for a call that a Qt voice will read after it."""
        return audio.write_wav(out_path, array("h", self.chime()) + audio.silence(AFTER_CHIME_S))

    def build(self, call: Call, out_path: Path) -> Path:
        """Chime + speech for `call`, written to `out_path` (atomically)."""
        samples = array("h", self.chime())
        speech = self.speech(call)
        if speech:
            samples += audio.silence(AFTER_CHIME_S)
            samples += speech
        samples += audio.silence(0.2)
        return audio.write_wav(out_path, samples)

    def build_sentence(self, text: str, out_path: Path | None = None) -> Path | None:
        """A spoken sentence alone (a kiosk's prompt); None where this machine has no voice.
        Without `out_path` it is made once per text and kept in the cache (the kiosk's few fixed
        prompts); with one, written there (a sentence that is said once, as a ticket's number)."""
        if self.espeak is None:
            return None
        target = out_path
        if target is None:
            key = hashlib.sha1(f"{VOICE}|{SPEED_WPM}|{text}".encode()).hexdigest()[:16]
            target = self.cache_dir / "sentences" / f"{key}.wav"
            if target.is_file():
                return target
        self._speak_into(sentence_pinyin(text), target, timeout=20)
        return target

    def _speak_into(self, pinyin: str, target: Path, timeout: float) -> None:
        """espeak-ng says `pinyin` into the WAV `target`, written whole or not at all (a file
        half written by a thread or a process cut short is never played)."""
        assert self.espeak is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.stem}.{threading.get_ident()}.tmp.wav")
        subprocess.run([self.espeak, "-v", VOICE, "-s", str(SPEED_WPM), "-w", str(tmp), pinyin],
                       check=True, capture_output=True, timeout=timeout)
        tmp.replace(target)
