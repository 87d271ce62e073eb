"""A manager's console acts as a manager only while one has signed in on that very console.

Its token travels on USB sticks (the 终端登记 tab writes a PC's terminal.toml), so a lost stick
or a copied terminal.toml must not be the whole hall: with nobody signed in, the console's token
reads what every terminal reads and signs in, nothing more, as a window PC's token acts only
with a clerk signed in at its window. The session is the hall's (kept in the file): a restart
signs nobody out; a sign-out, the account disabled or its password changed, the PC revoked or
re-tokened, and the end of the day end it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from server_support import MANAGER, ServeProcess, Snapshot, SseReader, new_key, post, sign_in_manager

from hallnet.api import ACCESS
from hallnet.runner import free_port
from kiosk import open_hall

SIGN_IN_FIRST = "请先在本机登录管理后台（管理员账号和密码）"
CONSOLE = "无人登录的管理台"
# what a console may call with nobody signed in on it: the reads every terminal has, and signing in or out
WITHOUT_SIGN_IN = {
    "info", "settings", "today", "categories", "matters", "get_matter", "catalog", "search_matters",
    "checklist", "queue_status", "recent_calls", "windows", "staff_name", "latest_event_id", "events_since",
    "popular_matters", "authenticate", "has_manager_account", "manager_pin_is_set", "end_console_session",
}
RENAME = {"window": {"number": 1, "name": "改名窗口", "categories": [], "active": True}}


def _refused_sign_in(answer) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.json() == {"error": "SignInNeeded", "message": SIGN_IN_FIRST, "problems": [], "source": ""}


def _renames(url: str, token: str, name: str = "改名窗口") -> int:
    return post(url, "save_window", token, {"window": {**RENAME["window"], "name": name}}, key=new_key()).status_code


@pytest.fixture
def console(served) -> str:
    """The token of a console nobody has signed in on yet (the `served` one has its manager)."""
    return served.hall.add_terminal(CONSOLE, "manager")[1]


@pytest.fixture
def boss(served) -> tuple[str, str]:
    """A second manager account, for what another manager does to it."""
    served.hall.save_staff("boss", "周主任", "manager", "boss-pass-1")
    return "boss", "boss-pass-1"


def test_a_console_nobody_signed_in_on_is_refused_all_but_the_shared_reads_and_changes_nothing(served, console):
    hall = served.hall
    hall.issue_ticket(category="A")
    before, staff, terminals = Snapshot.of(hall), hall.staff(), hall.terminals()
    refused = []
    for name, roles in sorted(ACCESS.items()):
        assert "manager" in roles  # the console oversees the whole hall once a manager signs in
        answer = post(served.url, name, console, {}, key=new_key())
        said = answer.json()
        if name in WITHOUT_SIGN_IN:  # answered, or refused for what it sent (no arguments), never for who
            assert not (isinstance(said, dict) and said.get("error") == "SignInNeeded"), f"{name}: {answer.text}"
            continue
        _refused_sign_in(answer)
        refused.append(name)
    # the hole as it was: a password reset of any account, the settings, the catalog, new PCs
    assert {"save_staff", "update_settings", "import_catalog", "add_terminal", "purge_personal_data",
            "export_ratings", "applications", "set_manager_pin", "reissue_terminal"} <= set(refused)
    assert (Snapshot.of(hall), hall.staff(), hall.terminals()) == (before, staff, terminals)
    assert hall.console_session(CONSOLE) == ""
    # what it may do, it can: its hall's name, the queue, and following the hall's events
    assert post(served.url, "ping", console).status_code == 200
    assert post(served.url, "queue_status", console).status_code == 200
    with SseReader(served.url, console) as stream:
        assert stream.status == 200


def test_a_manager_signing_in_opens_the_console_and_a_clerk_account_does_not(served, console):
    clerk = post(served.url, "authenticate", console, {"login": "clerk1", "password": "pass-1111"})
    assert clerk.status_code == 200 and clerk.json()["role"] == "clerk"  # the console's dialog refuses it
    _refused_sign_in(post(served.url, "save_window", console, RENAME, key=new_key()))
    assert served.hall.console_session(CONSOLE) == ""
    sign_in_manager(served.url, console)
    assert _renames(served.url, console) == 200
    assert served.hall.windows()[0].name == "改名窗口"
    assert served.hall.console_session(CONSOLE) == MANAGER[0]


def test_a_session_on_one_console_opens_no_other(served, console):
    other = served.hall.add_terminal("二楼管理台", "manager")[1]
    sign_in_manager(served.url, console)
    _refused_sign_in(post(served.url, "save_window", other, RENAME, key=new_key()))
    assert _renames(served.url, console) == 200
    # a sign-out ends the caller's own session only, whichever console it names
    assert post(served.url, "end_console_session", other, {"terminal": CONSOLE}, key=new_key()).status_code == 200
    assert _renames(served.url, console, "还能改名") == 200
    assert post(served.url, "end_console_session", console, {}, key=new_key()).status_code == 200
    _refused_sign_in(post(served.url, "save_window", console, RENAME, key=new_key()))


def test_a_failed_or_a_clerk_s_sign_in_or_a_new_name_leaves_the_manager_s_session(served, console, boss):
    sign_in_manager(served.url, console, *boss)
    wrong = post(served.url, "authenticate", console, {"login": "boss", "password": "wrong-pass"})
    assert wrong.status_code == 403 and wrong.json()["error"] == "AuthError"
    assert post(served.url, "authenticate", console, {"login": "clerk1", "password": "pass-1111"}).status_code == 200
    renamed = {"login": "boss", "name": "周建国", "role": "manager", "active": True}  # no new password
    assert post(served.url, "save_staff", console, renamed, key=new_key()).status_code == 200
    assert _renames(served.url, console) == 200
    assert served.hall.console_session(CONSOLE) == "boss"


@pytest.mark.parametrize("change", [{"active": False}, {"password": "reset-by-other"}, {"role": "clerk"}])
def test_a_disabled_reset_or_demoted_account_s_session_ends(served, console, boss, change):
    sign_in_manager(served.url, console, *boss)
    assert _renames(served.url, console) == 200
    body = {"login": "boss", "name": "周主任", "role": "manager", "active": True, **change}
    assert post(served.url, "save_staff", served.tokens["manager"], body, key=new_key()).status_code == 200
    _refused_sign_in(post(served.url, "save_window", console, RENAME, key=new_key()))
    # put back as it was, the account still has to sign in again: the session ended, it was not hidden
    back = {"login": "boss", "name": "周主任", "role": "manager", "active": True}
    assert post(served.url, "save_staff", served.tokens["manager"], back, key=new_key()).status_code == 200
    _refused_sign_in(post(served.url, "save_window", console, RENAME, key=new_key()))
    sign_in_manager(served.url, console, "boss", change.get("password", boss[1]))
    assert _renames(served.url, console, "重新登录后改名") == 200


def test_a_revoked_console_s_session_ends_and_a_new_token_signs_in_afresh(served, console):
    sign_in_manager(served.url, console)
    answer = post(served.url, "revoke_terminal", served.tokens["manager"], {"name": CONSOLE}, key=new_key())
    assert answer.status_code == 200 and answer.json()["revoked_at"]
    assert post(served.url, "save_window", console, RENAME, key=new_key()).status_code == 401
    assert served.hall.console_session(CONSOLE) == ""
    answer = post(served.url, "reissue_terminal", served.tokens["manager"], {"name": CONSOLE}, key=new_key())
    _refused_sign_in(post(served.url, "save_window", answer.json()[1], RENAME, key=new_key()))


def test_a_re_tokened_console_s_session_ends(served, console):
    sign_in_manager(served.url, console)
    answer = post(served.url, "reissue_terminal", served.tokens["manager"], {"name": CONSOLE}, key=new_key())
    assert answer.status_code == 200
    _refused_sign_in(post(served.url, "save_window", answer.json()[1], RENAME, key=new_key()))


def test_yesterday_s_session_is_not_honoured_in_the_morning(served, console, clock):
    sign_in_manager(served.url, console)
    clock.advance(hours=14)  # 23:00, still the day it signed in
    assert _renames(served.url, console) == 200
    clock.advance(hours=9)  # 08:00 the next day: the console was left signed in overnight
    _refused_sign_in(post(served.url, "save_window", console, RENAME, key=new_key()))
    sign_in_manager(served.url, console)
    assert _renames(served.url, console, "早上改名") == 200


def test_the_session_survives_a_restart_of_the_server(tmp_path: Path):
    db = tmp_path / "hall.db"
    hall = open_hall(db, seed_demo=True)
    _, console = hall.add_terminal(CONSOLE, "manager")
    _, other = hall.add_terminal("二楼管理台", "manager")
    hall.close()
    server = ServeProcess(db, free_port(), tmp_path / "serve.log")
    try:
        server.start()
        _refused_sign_in(post(server.url, "save_window", console, RENAME, key=new_key()))
        sign_in_manager(server.url, console)
        assert _renames(server.url, console) == 200
        server.stop()
        server.start()
        assert _renames(server.url, console, "重启后改名") == 200
        _refused_sign_in(post(server.url, "save_window", other, RENAME, key=new_key()))
    finally:
        server.stop()
    hall = open_hall(db)
    try:
        assert hall.windows()[0].name == "重启后改名"
        assert hall.console_session(CONSOLE) == MANAGER[0]
    finally:
        hall.close()


def test_the_access_records_name_the_manager_of_the_session_after_a_restart_too(served, console, boss):
    from hallnet.runner import BackgroundServer

    sign_in_manager(served.url, console, *boss)
    served.server.stop()
    again = BackgroundServer(served.hall, port=served.server.port, daily_jobs=False).start()
    try:
        assert post(again.url, "bad_reviews", console, {}).status_code == 200
        again.hall_server._flush_accessed()
    finally:
        again.stop()
    (record,) = served.hall.access_records()
    assert (record.terminal, record.staff) == (CONSOLE, "boss")
    assert record.at.date() == dt.date(2026, 11, 25)


def test_the_hall_keeps_a_console_s_session_until_it_signs_out(tmp_path: Path):
    hall = open_hall(tmp_path / "hall.db", seed_demo=True, durable=False)
    try:
        assert hall.console_session("某管理台") == ""
        hall.open_console_session("某管理台", MANAGER[0])
        assert hall.console_session("某管理台") == MANAGER[0]
        hall.end_console_session("某管理台")
        assert hall.console_session("某管理台") == ""
    finally:
        hall.close()


def test_a_console_token_alone_gets_five_password_guesses_then_waits_like_a_window(served, console, boss):
    """A copied console token signs in with `authenticate`: without a count it could try the
    manager's password as fast as the server answers."""
    for _ in range(4):
        wrong = post(served.url, "authenticate", console, {"login": "boss", "password": "guess"})
        assert wrong.status_code == 403 and wrong.json()["message"] == "账号或密码不正确"
    locked = post(served.url, "authenticate", console, {"login": "boss", "password": "guess"})
    assert "错误次数过多" in locked.json()["message"]
    right = post(served.url, "authenticate", console, {"login": "boss", "password": boss[1]})
    assert right.status_code == 403 and "错误次数过多" in right.json()["message"]
    assert served.hall.console_session(CONSOLE) == ""  # the right password during the lock-out opens nothing


def test_what_a_console_does_is_recorded_as_its_signed_in_manager_whatever_it_names(served, console, boss):
    sign_in_manager(served.url, console, *boss)
    body = {"name": "三楼取号机", "role": "kiosk", "by": MANAGER[0]}  # names the other manager
    assert post(served.url, "add_terminal", console, body, key=new_key()).status_code == 200
    (added,) = [e for e in served.hall.events_since(0) if e.kind == "TerminalAdded" and e.data["terminal"] == "三楼取号机"]
    assert added.clerk == "boss"
    hall = served.hall
    hall.sign_in(1, "clerk1", "pass-1111")
    ticket = hall.issue_ticket(category="A")
    hall.call_next(window=1)
    hall.finish(ticket.id, window=1)
    hall.evaluate(ticket.id, 1, "等太久")
    (review,) = hall.bad_reviews()
    body = {"review_id": review.id, "note": "已电话致歉", "clerk": "clerk1"}
    assert post(served.url, "record_callback", console, body, key=new_key()).status_code == 200
    (called,) = [e for e in hall.events_since(0) if e.kind == "BadReviewCalledBack"]
    assert called.clerk == "boss"
