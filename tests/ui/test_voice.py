"""The hall's voice: what is said for a call, and the WAV the announcer builds from clips."""

from __future__ import annotations

import datetime as dt
import shutil
import time
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.models import Call
from ui.voice import (
    Announcer,
    VoiceBuilder,
    announcement_clips,
    announcement_pinyin,
    announcement_text,
    window_syllables,
)
from ui.voice.audio import RATE, duration_s
from ui.worker import wait_for_jobs

AT = dt.datetime(2026, 11, 25, 9, 30)


def call(number: str = "A023", window: int = 3, recall: bool = False) -> Call:
    return Call(ticket_number=number, window=window, recall=recall, at=AT)


def test_pinyin_of_A023_at_window_3_reads_digits_one_by_one() -> None:
    assert " ".join(announcement_pinyin(call())) == (
        "qing3 A ling2 er4 san1 hao4 dao4 san1 hao4 chuang1 kou3 ban4 li3")


def test_text_matches_the_hall_convention_and_recall_is_prefixed() -> None:
    assert announcement_text(call()) == "请 A023 号 到 3 号窗口 办理"
    assert announcement_text(call(recall=True)) == "重复呼叫：请 A023 号 到 3 号窗口 办理"
    assert announcement_pinyin(call(recall=True))[:4] == ["chong2", "fu4", "hu1", "jiao4"]


@pytest.mark.parametrize(("window", "said"), [(1, "yi1"), (10, "shi2"), (12, "shi2 er4"), (20, "er4 shi2"),
                                              (35, "san1 shi2 wu3"), (101, "yi1 ling2 yi1")])
def test_window_numbers_are_said_as_cardinals(window: int, said: str) -> None:
    assert " ".join(window_syllables(window)) == said


def test_clips_follow_the_recorded_clip_order_halls_use() -> None:
    assert announcement_clips(call("B101", 12)) == [
        "qing", "B", "d1", "d0", "d1", "hao", "_", "dao", "shi", "d2", "hao_chuangkou", "banli"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_builder_writes_a_wav_of_plausible_length(tmp_path: Path) -> None:
    path = VoiceBuilder(tmp_path / "cache").build(call(), tmp_path / "a023.wav")
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)
    chime_only = VoiceBuilder(tmp_path / "c2", espeak=None, recorded_dir=tmp_path / "none").build(
        call(), tmp_path / "chime.wav")
    # chime (~1.2 s) plus 13 syllables of speech: longer than the chime by seconds, not minutes
    assert 2.5 < duration_s(path) - duration_s(chime_only) < 9
    clips = list((tmp_path / "cache").glob("clips-*/*.wav"))
    assert {p.stem for p in clips} >= {"qing", "A", "d0", "d2", "d3", "hao", "dao", "hao_chuangkou", "banli"}


def test_without_espeak_the_chime_still_sounds_and_a_log_line_says_why(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    builder = VoiceBuilder(tmp_path, espeak=None, recorded_dir=tmp_path / "none")
    assert "espeak-ng 未安装" in caplog.text
    path = builder.build(call(), tmp_path / "x.wav")
    assert 1.0 < duration_s(path) < 2.0


def test_two_calls_are_played_one_after_the_other(qtbot, tmp_path: Path) -> None:
    announcer = Announcer(VoiceBuilder(tmp_path, espeak=None, recorded_dir=tmp_path / "none"), play_audio=False)
    finished: list[str] = []
    announcer.finished.connect(finished.append)
    announcer.announce(call("A001", 1))
    announcer.announce(call("A001", 1, recall=True))
    assert not announcer.idle
    qtbot.waitUntil(lambda: announcer.idle, timeout=5000)
    wait_for_jobs()
    assert finished == ["请 A001 号 到 1 号窗口 办理", "重复呼叫：请 A001 号 到 1 号窗口 办理"]
    assert announcer.played == finished


def test_a_qt_voice_reads_the_number_digit_by_digit_and_the_window_as_a_cardinal() -> None:
    from ui.voice.phrases import announcement_speech

    assert announcement_speech(call("A023", 3)) == "请 A 零 二 三 号，到 三 号窗口办理"
    assert announcement_speech(call("B105", 12, recall=True)) == "重复呼叫，请 B 一 零 五 号，到 十二 号窗口办理"


def test_only_a_safe_engine_with_a_chinese_voice_is_chosen() -> None:
    from ui.voice.qt_speech import choose_engine

    assert choose_engine({"speechd": ["zh_CN"], "mock": ["zh_CN"]}) is None  # speechd hung, mock is silent
    assert choose_engine({"sapi": ["en_US"]}) is None
    assert choose_engine({"sapi": ["en_US", "zh_TW", "zh_CN"]}) == ("sapi", "zh_CN")
    assert choose_engine({"darwin": ["zh_HK"]}) == ("darwin", "zh_HK")


class _Voice(QObject):
    """A text-to-speech engine stand-in that 'speaks' for 10 ms, with Qt's state signal."""

    stateChanged = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []

    def say(self, text: str) -> None:
        self.said.append(text)
        self.stateChanged.emit(type("State", (), {"name": "Speaking"})())
        QTimer.singleShot(10, lambda: self.stateChanged.emit(type("State", (), {"name": "Ready"})()))

    def stop(self) -> None:
        pass


def test_with_a_qt_voice_the_chime_plays_then_the_voice_reads_each_call_in_turn(qtbot, tmp_path: Path) -> None:
    from ui.voice.qt_speech import QtSpeech

    voice = _Voice()
    announcer = Announcer(VoiceBuilder(tmp_path, espeak=None, recorded_dir=tmp_path / "none"), play_audio=False,
                          speech=QtSpeech(voice))
    announcer.announce(call("A001", 1))
    announcer.announce(call("A002", 2))
    qtbot.waitUntil(lambda: announcer.idle, timeout=5000)
    wait_for_jobs()
    assert voice.said == ["请 A 零 零 一 号，到 一 号窗口办理", "请 A 零 零 二 号，到 二 号窗口办理"]
    assert duration_s(announcer.last_wav) < 2.5  # the WAV is the chime alone


class _StuckVoice(_Voice):
    """Never finishes the first sentence; stop() reports 'Ready' only 40 ms later, after the
    next sentence was handed over but before the engine starts speaking it."""

    def _state(self, name: str, after_ms: int) -> None:
        QTimer.singleShot(after_ms, lambda: self.stateChanged.emit(type("State", (), {"name": name})()))

    def say(self, text: str) -> None:
        self.said.append(text)
        if len(self.said) > 1:
            self._state("Speaking", 100)
            self._state("Ready", 300)

    def stop(self) -> None:
        self._state("Ready", 40)


def test_a_stuck_voice_is_given_up_and_its_late_ready_does_not_cut_off_the_next_call(
        qtbot, tmp_path: Path, monkeypatch) -> None:
    from ui.voice import announcer as announcer_module
    from ui.voice.qt_speech import QtSpeech

    monkeypatch.setattr(announcer_module, "SPEECH_WATCHDOG_MS", 400)
    voice = _StuckVoice()
    announcer = Announcer(VoiceBuilder(tmp_path, espeak=None, recorded_dir=tmp_path / "none"), play_audio=False,
                          speech=QtSpeech(voice))
    finished: list[tuple[str, float]] = []
    started: dict[str, float] = {}
    announcer.started.connect(lambda text: started.setdefault(text, time.monotonic()))
    announcer.finished.connect(lambda text: finished.append((text, time.monotonic())))
    announcer.announce(call("A001", 1))  # stuck: the watchdog gives up on it
    announcer.announce(call("A002", 2))
    qtbot.waitUntil(lambda: announcer.idle, timeout=5000)
    wait_for_jobs()
    assert [text for text, _ in finished] == ["请 A001 号 到 1 号窗口 办理", "请 A002 号 到 2 号窗口 办理"]
    second, second_end = finished[1]
    assert second_end - started[second] >= 0.28  # A002 was heard to its own end, not cut by A001's late Ready


def test_screens_drawn_for_screenshots_play_no_sound():
    """`main.py screenshot` plays a morning through the screens: no chime, no spoken call."""
    from ui.voice.playback import SilentPlayer, best_player, silenced

    with silenced():
        assert isinstance(best_player(), SilentPlayer)
