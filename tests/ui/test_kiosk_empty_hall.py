"""A kiosk on a hall whose matters are not set up yet (a real hall's first day) says so and
points to help, instead of inviting the citizen to choose from nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from kiosk import open_hall  # noqa: E402
from ui.context import TerminalContext  # noqa: E402
from ui.kiosk import KioskWindow  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402


@pytest.fixture
def empty_ctx(tmp_path):
    from ui.app import create_application

    create_application()
    hall = open_hall(tmp_path / "h.db", durable=False)  # not seeded: no categories, no matters
    c = TerminalContext(hall=hall, send_ticket=lambda data: None, printer_status=lambda: (True, ""))
    yield c
    assert drain_jobs()
    c.close()
    hall.close()


@pytest.mark.parametrize("lang, words", [("zh", "本机暂时没有可以取号的业务"), ("en", "No services can be chosen")])
def test_a_kiosk_with_no_matters_says_there_is_nothing_to_choose_and_where_help_is(qtbot, empty_ctx, lang, words):
    w = KioskWindow(empty_ctx, poll_printer=False, lang=lang)
    qtbot.addWidget(w)
    w.show()
    home = w.screens["home"]
    assert home.category_buttons == {}
    assert words in home.greeting.text() and home.greeting.isVisible()
    assert home.nothing_offered.isVisible()
    assert ("呼叫帮办" if lang == "zh" else "Call a helper") in home.nothing_offered.text()


def test_a_kiosk_with_matters_shows_no_such_notice(qtbot, kiosk_ctx):
    w = KioskWindow(kiosk_ctx, poll_printer=False)
    qtbot.addWidget(w)
    w.show()
    assert w.screens["home"].category_buttons and not w.screens["home"].nothing_offered.isVisible()
