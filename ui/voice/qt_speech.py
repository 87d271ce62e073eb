"""Qt's own text-to-speech, used when the machine has a Chinese voice for it.

Qt's speech module ships in PySide6-Addons, not in the Essentials wheel this project depends
on, so it is only tried when importable. On Linux its engines are `speechd` (whose constructor
hung with no audio device on the machines we checked) and `mock` (which says nothing); neither
is tried. Where a hall installs the Addons on Windows or macOS, the system's Chinese voice
(SAPI / WinRT / AVSpeech) reads the call; everywhere else the Announcer falls back to recorded
clips or espeak-ng, which always work offline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

UNSAFE_ENGINES = frozenset({"speechd", "mock"})


def choose_engine(locales_by_engine: Mapping[str, Iterable[str]]) -> tuple[str, str] | None:
    """(engine, locale name) of the first safe engine offering Chinese, preferring zh_CN.

    Pure, so the choice is testable on machines without any speech engine.
    """
    for engine, locales in locales_by_engine.items():
        if engine in UNSAFE_ENGINES:
            continue
        chinese = [name for name in locales if name.lower().startswith("zh")]
        if chinese:
            return engine, next((n for n in chinese if n.lower() in ("zh_cn", "zh-cn")), chinese[0])
    return None


class QtSpeech(QObject):
    """`say(text, on_done)`; on_done runs once the voice is back to Ready (or failed)."""

    def __init__(self, tts: object, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tts = tts
        self._on_done: Callable[[], None] | None = None
        self._speaking = False  # the engine has started this sentence
        tts.stateChanged.connect(self._state_changed)  # type: ignore[attr-defined]

    @classmethod
    def find(cls, parent: QObject | None = None) -> QtSpeech | None:
        """A QtSpeech on a Chinese voice, or None when Qt has none here."""
        try:
            from PySide6.QtCore import QLocale
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
        engines = [e for e in QTextToSpeech.availableEngines() if e not in UNSAFE_ENGINES]
        candidates = {}
        made = {}
        for engine in engines:
            try:
                tts = QTextToSpeech(engine, parent)
            except Exception:  # a broken plugin must not silence the hall: espeak-ng still works
                log.exception("语音引擎 %s 无法加载", engine)
                continue
            made[engine] = tts
            candidates[engine] = [loc.name() for loc in tts.availableLocales()]
        chosen = choose_engine(candidates)
        for engine, tts in made.items():
            if chosen is None or engine != chosen[0]:
                tts.deleteLater()
        if chosen is None:
            return None
        tts = made[chosen[0]]
        tts.setLocale(QLocale(chosen[1]))
        log.info("叫号使用 Qt 语音引擎 %s（%s）", *chosen)
        return cls(tts, parent)

    def say(self, text: str, on_done: Callable[[], None]) -> None:
        self._on_done = on_done
        self._speaking = False
        self.tts.say(text)  # type: ignore[attr-defined]

    def stop(self) -> None:
        self._on_done = None
        self.tts.stop()  # type: ignore[attr-defined]

    def _state_changed(self, state: object) -> None:
        """'Ready' ends a sentence only after that sentence was heard starting: the Ready an
        earlier stop() leaves queued must not end the next call before it is spoken."""
        name = getattr(state, "name", str(state))
        if name == "Speaking":
            self._speaking = True
        elif self._on_done is not None and (name in ("Error", "BackendError") or (name == "Ready" and self._speaking)):
            done, self._on_done = self._on_done, None
            done()
