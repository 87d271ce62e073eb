"""Elder mode speaks each step (适老化: voice prompts beside the large text): the prompt of the
screen just shown, the ticket once the printer has answered, the idle warning; a new screen
cuts the last prompt off, and a kiosk going home by itself says nothing to an empty hall."""

from __future__ import annotations

import shutil
import wave

import pytest
from PySide6.QtCore import Qt

from ui.kiosk import KioskWindow
from ui.kiosk.spoken import (
    CARD_READ,
    SCREEN_PROMPTS,
    STILL_THERE,
    VERDICT_SAID,
    spoken_number,
    ticket_printed,
)
from ui.kiosk.verdict import Outcome
from ui.voice.phrases import sentence_pinyin
from ui.worker import drain_jobs

MATTER = "330106-A-001"


def _kiosk(qtbot, ctx, **kwargs) -> KioskWindow:
    w = KioskWindow(ctx, poll_printer=False, **kwargs)
    qtbot.addWidget(w)
    w.show()
    return w


def _said(w: KioskWindow) -> list[str]:
    return list(w.voice.said) if w.voice is not None else []


def _to_identity(w: KioskWindow, qtbot) -> None:
    qtbot.mouseClick(w.screens["home"].category_buttons["A"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(w.screens["matters"].matter_buttons[MATTER], Qt.MouseButton.LeftButton)
    checklist = w.screens["checklist"]
    for i in list(checklist.tick_buttons):
        w.tick(i, True)
    qtbot.mouseClick(checklist.take_button, Qt.MouseButton.LeftButton)
    assert w.current == "identity"


def test_elder_mode_says_each_step_and_the_ticket_once_it_is_printed(qtbot, kiosk_ctx):
    w = _kiosk(qtbot, kiosk_ctx, elder=True)
    assert _said(w) == []  # switched on with nobody there: quiet
    _to_identity(w, qtbot)
    assert _said(w) == [SCREEN_PROMPTS["matters"], SCREEN_PROMPTS["checklist"], VERDICT_SAID[Outcome.ACCEPT],
                        SCREEN_PROMPTS["identity"]]
    w.session.skip_id = True
    w.take_ticket()
    qtbot.waitUntil(lambda: len(_said(w)) == 5)
    ticket = w.session.ticket
    assert _said(w)[-1] == ticket_printed(ticket)
    assert f"您的号码是 {spoken_number(ticket.number)} 号" in _said(w)[-1]
    assert drain_jobs()


def test_the_checklists_verdict_is_said_once_every_material_is_answered_and_again_only_when_it_changes(
        qtbot, kiosk_ctx):
    w = _kiosk(qtbot, kiosk_ctx, elder=True)
    w.choose_category("A")
    w.choose_matter(MATTER)
    ids = list(w.screens["checklist"].tick_buttons)
    for i in ids[:-1]:
        w.tick(i, False)
    assert _said(w)[-1] == SCREEN_PROMPTS["checklist"]  # not all answered: nothing to say yet
    w.tick(ids[-1], False)
    assert _said(w)[-1] == VERDICT_SAID[Outcome.KEY_MISSING]
    w.tick(ids[-1], False)  # the same answer again: not said twice
    assert _said(w).count(VERDICT_SAID[Outcome.KEY_MISSING]) == 1
    for i in ids:
        w.tick(i, True)
    assert _said(w)[-1] == VERDICT_SAID[Outcome.ACCEPT]


def test_a_ticket_the_printer_could_not_give_is_not_said_to_be_taken(qtbot, kiosk_ctx):
    def jammed(data: bytes) -> None:
        raise RuntimeError("打印机缺纸")

    kiosk_ctx.send_ticket = jammed
    w = _kiosk(qtbot, kiosk_ctx, elder=True)
    _to_identity(w, qtbot)
    w.session.skip_id = True
    w.take_ticket()
    qtbot.waitUntil(lambda: "没有打印出来" in (_said(w) or [""])[-1])
    assert "取走" not in _said(w)[-1] and spoken_number(w.session.ticket.number) in _said(w)[-1]
    assert drain_jobs()


def test_what_went_wrong_is_heard_too_a_refused_card_or_a_mistyped_booking_code(qtbot, kiosk_ctx):
    import datetime as dt

    from devices.events import IDCARD, CardRead, CardRejected
    from devices.idcard.card import CardType, IdCard

    card = IdCard(card_type=CardType.RESIDENT, name="欧阳娜娜", gender_code="2", birth_date=dt.date(1980, 5, 12),
                  id_number="330106198005121234", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2040, 1, 1))
    w = _kiosk(qtbot, kiosk_ctx, elder=True)
    _to_identity(w, qtbot)
    w.on_device_event(CardRejected(card, "expired", "身份证已过有效期", device=IDCARD, url="sim://"))
    assert _said(w)[-1] == "身份证已过有效期"
    w.on_device_event(CardRead(card, device=IDCARD, url="sim://"))
    assert _said(w)[-1] == CARD_READ
    w.leave_to_home()
    w.go("checkin")
    w.check_in("YY123")
    assert "预约码不正确" in _said(w)[-1]


def test_the_idle_warning_is_said_and_the_reset_home_is_silent(qtbot, kiosk_ctx):
    w = _kiosk(qtbot, kiosk_ctx, elder=True)
    w.choose_category("A")
    w._idle_warning(10)
    assert _said(w)[-1] == STILL_THERE
    before = len(_said(w))
    w.on_idle()
    assert w.current == "home" and len(_said(w)) == before  # nobody is there to hear it


def test_the_standard_look_and_english_say_nothing(qtbot, kiosk_ctx):
    w = _kiosk(qtbot, kiosk_ctx)
    w.choose_category("A")
    assert _said(w) == []
    w.toggle_language()
    w.toggle_elder()
    w.choose_category("A")
    assert _said(w) == []  # the voice is Chinese
    w.toggle_language()  # elder and Chinese now: the screen in front of the citizen is said
    assert _said(w) == [SCREEN_PROMPTS["matters"]]


def test_prompts_are_given_to_the_voice_as_tone_numbered_pinyin():
    assert sentence_pinyin("您好，请点选要办理的业务。") == "nin2 hao3 , qing3 dian3 xuan3 yao4 ban4 li3 de5 ye4 wu4 ."
    assert sentence_pinyin(f"您的号码是 {spoken_number('A023')} 号。") == "nin2 de5 hao4 ma3 shi4 A ling2 er4 san1 hao4 ."


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng (scripts/bootstrap.sh installs it)")
def test_the_kiosks_speaker_plays_a_spoken_prompt_and_a_newer_one_cuts_it_off(qtbot, kiosk_ctx, speaker, tmp_path,
                                                                                monkeypatch):
    monkeypatch.setattr("ui.voice.synth.default_cache_dir", lambda: tmp_path / "voice")
    w = _kiosk(qtbot, kiosk_ctx, elder=True)
    w.choose_category("A")
    qtbot.waitUntil(lambda: len(speaker.played) == 1, timeout=10_000)
    assert drain_jobs()
    played = tmp_path / "played.wav"
    played.write_bytes(speaker.played[0])
    with wave.open(str(played)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
    assert 1.5 < seconds < 8  # 请点选您要办理的事项, spoken, not a click or a whole minute
    # a second screen's prompt replaces one still being made: only the newest is heard
    w.voice.say("请看清要带的材料。")
    w.voice.say("请把身份证放在读卡区。")
    assert drain_jobs()
    assert len(speaker.played) == 2 and w.voice.said[-1] == "请把身份证放在读卡区。"
