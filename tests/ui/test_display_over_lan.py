"""The hall display of a hall server: a call it missed while its link was down is shown when the
link returns, never spoken or flashed minutes late; calls made after the return are announced."""

from __future__ import annotations

from pathlib import Path

import pytest
from lan_link import Link


@pytest.fixture
def link(qtbot, hall):
    link = Link(hall, "大厅显示屏", "display", None)
    yield link
    link.close()


@pytest.fixture
def display(qtbot, link: Link, tmp_path: Path):
    from ui.display import HallDisplay
    from ui.voice import Announcer, VoiceBuilder

    silent = Announcer(VoiceBuilder(tmp_path / "voice", espeak=None, recorded_dir=tmp_path / "none"),
                       play_audio=False)
    d = HallDisplay(link.ctx, announcer=silent)
    qtbot.addWidget(d)
    d.show()
    return d


def shown(display) -> list[tuple[str, int]]:
    return [(c.ticket_number, c.window) for c in display.hero.calls]


def test_calls_missed_while_the_link_was_down_are_shown_on_its_return_but_not_spoken_or_flashed(
        qtbot, link, display):
    hall = link.hall
    for _ in range(4):
        hall.issue_ticket(category="A")
    first = hall.call_next(1)
    qtbot.waitUntil(lambda: display.announcer.played == ["请 A001 号 到 1 号窗口 办理"], timeout=5000)
    qtbot.waitUntil(lambda: not display.flashing, timeout=5000)

    link.lose()
    qtbot.waitUntil(lambda: display.offline_label.isVisible(), timeout=4000)
    hall.finish(first.id, 1)
    hall.call_next(1)
    hall.call_next(2)  # A003 at window 2, still there when the link returns
    link.restore()
    qtbot.waitUntil(lambda: not display.offline_label.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: ("A003", 2) in shown(display), timeout=5000)  # the board is right again
    assert ("A002", 1) in shown(display)
    qtbot.wait(300)
    assert display.announcer.played == ["请 A001 号 到 1 号窗口 办理"]  # nothing missed is spoken late
    assert not display.flashing and display.announcer.idle

    hall.finish(hall.current_ticket(2).id, 2)
    hall.call_next(2)  # news again: announced
    qtbot.waitUntil(lambda: display.announcer.played[-1:] == ["请 A004 号 到 2 号窗口 办理"], timeout=5000)
