"""The evaluator of a hall server: a rating given while the server is away reaches the hall when
it returns as the citizen gave it (a bad one with its callback number), and what happened at
its window meanwhile is caught up on quietly, never asked about in front of the next citizen."""

from __future__ import annotations

import logging
import time

import pytest
from lan_link import Link

from kiosk.idnumber import phone_problem


@pytest.fixture
def link(qtbot, hall):
    link = Link(hall, "1号窗口评价器", "evaluator", 1)
    yield link
    link.close()


def open_evaluator(qtbot, link: Link):
    from ui.evaluator import EvaluatorWindow

    ev = EvaluatorWindow(link.ctx, 1)
    qtbot.addWidget(ev)
    ev.show()
    assert not ev.unsent  # a fresh PC: nothing kept from another test
    return ev


def served_and_asked(qtbot, link: Link, ev) -> int:
    """One ticket served and finished at window 1 with the server there; the evaluator asks."""
    hall = link.hall
    hall.issue_ticket(matter_code="A-001")
    ticket = hall.call_next(1)
    hall.finish(ticket.id, 1)
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == ticket.id, timeout=5000)
    return ticket.id


def lose_the_server(qtbot, link: Link, ev) -> None:
    link.lose()
    qtbot.waitUntil(lambda: ev.offline_label.isVisible(), timeout=4000)


def test_a_bad_rating_given_offline_with_a_number_written_0571_8888888_reaches_the_hall_with_its_callback(
        qtbot, link):
    ev = open_evaluator(qtbot, link)
    ticket_id = served_and_asked(qtbot, link, ev)
    lose_the_server(qtbot, link, ev)
    ev.rate(1)
    ev.reason_buttons["态度"].setChecked(True)
    ev.phone.setText("0571-8888888")  # as people write a landline
    ev.submit_reasons()
    assert ev.state == "thanks" and "回访" in ev.thanks_text.text()  # the callback is promised

    link.restore()
    qtbot.waitUntil(lambda: not ev.offline_label.isVisible() and not ev.unsent, timeout=10000)
    given = link.hall.evaluation_for(ticket_id)
    assert given is not None and given.level == 1 and given.reasons == ("态度",)
    (review,) = link.hall.bad_reviews()
    assert review.ticket_id == ticket_id and review.phone == "05718888888"  # the number the hall calls back


def test_a_callback_number_the_hall_would_refuse_is_asked_for_again_on_screen_while_the_server_is_away(
        qtbot, link):
    ev = open_evaluator(qtbot, link)
    served_and_asked(qtbot, link, ev)
    lose_the_server(qtbot, link, ev)
    ev.rate(2)
    ev.reason_buttons["效率"].setChecked(True)
    ev.phone.setText("12345")  # too short: the hall would refuse it
    assert ev.submit_reasons() is None
    assert ev.state == "reasons" and ev.reasons_message.text() == phone_problem("12345", "回访电话")  # the hall's words
    assert ev.unsent == []  # nothing promised, nothing kept yet
    ev.phone.setText("138 0013 8000")
    ev.submit_reasons()
    assert ev.state == "thanks" and [kept[3] for kept in ev.unsent] == ["13800138000"]


def test_a_kept_rating_the_hall_refuses_for_its_number_is_stored_without_it_and_the_loss_is_logged(
        qtbot, link, caplog):
    """A rating kept by an earlier version, whose check let a number through that the hall
    refuses: the citizen's rating and their complaint still count; only the number is lost."""
    ev = open_evaluator(qtbot, link)
    ticket_id = served_and_asked(qtbot, link, ev)
    ev.show_idle()
    ev.unsent = [(ticket_id, 1, ("态度",), "0571-88", time.time())]  # as such a version kept it
    with caplog.at_level(logging.WARNING, logger="ui.evaluator"):
        assert ev.send_unsent() == 0
    given = link.hall.evaluation_for(ticket_id)
    assert given is not None and given.level == 1 and given.reasons == ("态度",)
    (review,) = link.hall.bad_reviews()
    assert review.phone == ""
    assert any("0571-88" in r.getMessage() for r in caplog.records)  # staff can see the number was dropped


def test_a_kept_rating_the_hall_cannot_take_at_all_is_logged_when_it_is_given_up(qtbot, link, caplog):
    ev = open_evaluator(qtbot, link)
    ticket_id = served_and_asked(qtbot, link, ev)
    ev.show_idle()
    ev.unsent = [(ticket_id, 1, ("旧版本的原因",), "", time.time())]  # a reason the hall no longer lists
    with caplog.at_level(logging.WARNING, logger="ui.evaluator"):
        assert ev.send_unsent() == 0
    assert link.hall.evaluation_for(ticket_id) is None
    given_up = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert given_up and f"号票 {ticket_id}" in given_up[0].getMessage()


def test_services_finished_while_the_link_was_down_are_not_asked_about_on_its_return(qtbot, link):
    """Their citizens have gone: the next one at the screen would rate a service not theirs."""
    hall = link.hall
    ev = open_evaluator(qtbot, link)
    asked = served_and_asked(qtbot, link, ev)  # asked before the link went; nobody rates
    lose_the_server(qtbot, link, ev)
    for _ in range(3):
        hall.issue_ticket(matter_code="A-001")
    missed = []
    for _ in range(2):
        ticket = hall.call_next(1)
        hall.finish(ticket.id, 1)
        missed.append(ticket.id)
    link.restore()
    qtbot.waitUntil(lambda: not ev.offline_label.isVisible(), timeout=10000)
    assert link.client.catch_up()
    qtbot.wait(200)
    assert ev.state == "idle" and ev.ticket_id is None  # neither the old question nor a missed service
    assert all(hall.evaluation_for(t) is None for t in (asked, *missed))

    now = hall.call_next(1)
    hall.finish(now.id, 1)  # news again: asked
    qtbot.waitUntil(lambda: ev.state == "asking" and ev.ticket_id == now.id, timeout=5000)
