"""A hall's file made by an older release opens with this code with nothing lost.

Halls upgrade in place: the program is replaced and the next start migrates the file it finds.
tests/data/older_halls holds files made by three earlier releases through their own facades
(see its README and make_older_hall.py): a realistic day of tickets, acceptances, 容缺 items,
ratings, bookings and terminals. Each test copies one, reads what it held with plain sqlite3,
opens it with the current `open_hall` and checks that everything is still there, that the
day's figures say what the current definitions say, and that the clerks can go on.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import SMALL_CATALOG, FakeClock, with_a_window

from kiosk import keyfile, open_hall
from kiosk.errors import InvalidAction
from kiosk.migrations import MIGRATIONS
from kiosk.models import ApplicationState, MaterialCheck, MaterialStatus, PendingStatus

DATA = Path(__file__).resolve().parent.parent / "data" / "older_halls"
# earliest first: schema 3 (key inside the file, no bookings or terminals), 8 (key inside the
# file), 16 (key in its own file)
OLDER = ["hall_b191723", "hall_96d880d", "hall_e04a8a0"]
NEWEST = MIGRATIONS[-1][0]

# what the migrations retire on purpose: day summaries are derived data, dropped by migration 17
# and built again from the tickets under the current definitions; the per-day counters of
# tickets (13) and of booking codes (17) gave way to the numbers themselves
DERIVED_OR_RETIRED = {"day_figures", "day_totals", "ticket_counters", "appointment_counters", "sqlite_sequence"}
# settings the opening moves on purpose: the ID-hash key out to its own file, a plain-text
# manager PIN into a salted hash (`_manager_pin`), the revision every terminal watches, and how
# far the privacy purge has got (it moves with the date)
SETTINGS_MOVED = {"_hash_key", "manager_pin", "_config_rev", "_purged_before", "_purge_held_from"}


@dataclass
class Older:
    """One older hall file, copied for a test, with what it held before the current code saw it."""

    name: str
    path: Path
    made: dict[str, Any]  # make_older_hall.py's manifest
    before: dict[str, dict[tuple, dict[str, Any]]]  # table -> primary key -> row
    version: int

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.made["day"])

    @property
    def day_before(self) -> dt.date:
        return dt.date.fromisoformat(self.made["day_before"])

    def clock(self, hhmm: str = "17:00", day: dt.date | None = None) -> FakeClock:
        return FakeClock(dt.datetime.combine(day or self.day, dt.time.fromisoformat(hhmm)))

    def rows(self, table: str) -> list[dict[str, Any]]:
        return list(self.before.get(table, {}).values())

    def day_rows(self, table: str, day: dt.date | None = None) -> list[dict[str, Any]]:
        return [r for r in self.rows(table) if r["day"] == (day or self.day).isoformat()]


def read_all(path: Path) -> tuple[int, dict[str, dict[tuple, dict[str, Any]]]]:
    """Every row of every table, by primary key (rowid where a table has none), read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out: dict[str, dict[tuple, dict[str, Any]]] = {}
        for table in tables:
            pk = [r["name"] for r in sorted(conn.execute(f"PRAGMA table_info({table})"), key=lambda r: r["pk"])
                  if r["pk"]] or ["_rowid"]
            rows = (dict(r) for r in conn.execute(f"SELECT rowid AS _rowid, * FROM {table}"))
            out[table] = {tuple(r[c] for c in pk): r for r in rows}
            for row in out[table].values():
                del row["_rowid"]
        return version, out
    finally:
        conn.close()


def schema_of(path: Path) -> dict[str, Any]:
    """Tables with their columns and indexes with their definitions: what the code relies on."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                             " AND name NOT LIKE 'sqlite_%'")]
        return {
            "tables": {t: [tuple(c) for c in conn.execute(f"PRAGMA table_info({t})")] for t in sorted(tables)},
            "indexes": dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")),
        }
    finally:
        conn.close()


def copy_older(name: str, tmp_path: Path) -> Older:
    """The older file (and its key file, if its release wrote one) copied to `tmp_path/hall.db`,
    and what it held, read before anything of the current code opened it."""
    path = tmp_path / "hall.db"
    shutil.copyfile(DATA / f"{name}.db", path)
    made = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    if made["key_file"]:
        shutil.copyfile(DATA / f"{name}.db.key", keyfile.key_path_for(path))
    version, before = read_all(path)
    assert version == made["schema_version"] < NEWEST
    return Older(name, path, made, before, version)


@pytest.fixture(params=OLDER)
def older(request: pytest.FixtureRequest, tmp_path: Path) -> Older:
    return copy_older(request.param, tmp_path)


@pytest.fixture
def upgraded(older: Older):
    """The older file opened by the current code on the evening of its day."""
    hall = open_hall(older.path, clock=older.clock(), durable=False)
    yield hall
    hall.close()


def old_key(older: Older) -> bytes:
    """The ID-hash key the older program used: inside the file, or in the key file beside it."""
    row = older.before["settings"].get(("_hash_key",))
    if row is not None:
        return bytes.fromhex(json.loads(row["value"]))
    return bytes.fromhex((DATA / f"{older.name}.db.key").read_text(encoding="ascii").strip())


def all_received(hall, matter_code: str) -> tuple[MaterialCheck, ...]:
    return tuple(MaterialCheck(material_id=m.id, name=m.name, status=MaterialStatus.RECEIVED)
                 for m in hall.checklist(matter_code).to_bring)


# --- nothing lost ------------------------------------------------------------------------------


def test_the_file_reaches_the_newest_schema_with_every_old_row_unchanged(older: Older):
    open_hall(older.path, clock=older.clock(), durable=False).close()
    version, after = read_all(older.path)
    assert version == NEWEST
    for table, rows in older.before.items():
        if table in DERIVED_OR_RETIRED:
            continue
        assert table in after, f"table {table} is gone"
        for key, row in rows.items():
            if table == "settings" and key[0] in SETTINGS_MOVED:
                continue
            assert key in after[table], f"{table} {key} is gone"
            new = after[table][key]
            assert {c: new[c] for c in row} == row, f"{table} {key} changed"
    counts = {t: len(rows) for t, rows in older.before.items()}
    assert counts["tickets"] == 14 and counts["applications"] == 5 and counts["pending_items"] == 3
    assert counts["evaluations"] == 4 and counts["bad_reviews"] == 1 and counts["notices"] == 1


def test_the_upgraded_file_has_the_schema_a_new_hall_gets(older: Older, tmp_path: Path):
    """Columns and indexes both: a step edited after its release (an index added to the first
    step, one dropped from the third) left halls made before the edit with other indexes than a
    new hall, which the numbered steps alone never corrected."""
    open_hall(older.path, clock=older.clock(), durable=False).close()
    open_hall(tmp_path / "new.db", durable=False).close()
    assert schema_of(older.path) == schema_of(tmp_path / "new.db")


def test_every_record_reads_back_through_the_facade_with_its_values(older: Older, upgraded):
    hall = upgraded
    old_tickets = {r["id"]: r for r in older.rows("tickets")}
    for day in (older.day_before, older.day):
        seen = hall.tickets(day)
        assert sorted(t.id for t in seen) == sorted(i for i, r in old_tickets.items() if r["day"] == day.isoformat())
        for t in seen:
            r = old_tickets[t.id]
            assert (t.number, t.category, t.status.value, t.priority.value, t.window, t.clerk, t.holder_id_masked,
                    t.phone_masked, t.print_state.value) == (r["number"], r["category"], r["status"], r["priority"],
                                                              r["window"], r["clerk"], r["holder_id_masked"],
                                                              r["phone"], r["print_state"])
    materials = {}
    for r in older.rows("application_materials"):
        materials.setdefault(r["application_number"], []).append(r)
    for r in older.rows("applications"):
        app = hall.get_application(r["number"])
        assert (app.state.value, app.applicant_name, app.applicant_id_masked, app.phone, app.visits, app.clerk,
                app.window, app.notice_number, app.undertaking) == (
            r["state"], r["applicant_name"], r["applicant_id_masked"], r["phone"], r["visits"], r["clerk"],
            r["window"], r["notice_number"], r["undertaking"])
        assert sorted((c.material_id, c.status.value) for c in app.materials) == sorted(
            (m["material_id"], m["status"]) for m in materials[r["number"]])
    for r in older.rows("pending_items"):
        (item,) = [p for p in hall.pending_items(application_number=r["application_number"]) if p.id == r["id"]]
        assert (item.name, item.status.value, item.deadline.isoformat(), item.supplied_how) == (
            r["name"], r["status"], r["deadline"], r["supplied_how"])
    (n,) = older.rows("notices")
    notice = hall.get_notice(n["number"])
    assert (notice.applicant_name, len(notice.items)) == (n["applicant_name"], len(json.loads(n["items"])))
    for r in older.rows("evaluations"):
        e = hall.evaluation_for(r["ticket_id"])
        assert (e.level, e.comment, e.window, e.clerk) == (r["level"], r["comment"], r["window"], r["clerk"])
    (b,) = older.rows("bad_reviews")
    (review,) = hall.bad_reviews()
    assert (review.id, review.status, review.callback_note, review.level) == (
        b["id"], b["status"], b["callback_note"], b["level"])
    for r in older.rows("appointments"):
        a = hall.find_appointment(r["code"])
        assert (a.status.value, a.holder_name, a.slot_start.strftime("%H:%M"), a.ticket_id) == (
            r["status"], r["holder_name"], r["slot_start"], r["ticket_id"])
    assert {(t.name, t.role, t.window) for t in hall.terminals()} == {
        (r["name"], r["role"], r["window"]) for r in older.rows("terminals")}
    assert {(s.login, s.name, s.role, s.active) for s in hall.staff()} == {
        (r["login"], r["name"], r["role"], bool(r["active"])) for r in older.rows("staff")}
    s = hall.settings()
    assert (s.display_notice, s.max_skips, s.hall_phone, s.hall_name) == (
        "今日下午三点起暂停办理出入境业务", 3, "0571-87654321", "杭州市西湖区民生服务中心")
    assert s.rongque_excluded == tuple(json.loads(older.before["settings"][("rongque_excluded",)]["value"]))


def test_what_every_terminal_reads_first_works_on_the_upgraded_file(older: Older, upgraded):
    """The kiosk, the display, the desks and the console read these as they start: each must read
    the older rows (old events' data, old catalog rows, old bookings' codes) without failing."""
    hall = upgraded
    events = hall.events_since(0, limit=10_000)
    assert len([e for e in events if e.id in {k[0] for k in older.before["events"]}]) == len(older.before["events"])
    status = hall.queue_status()
    assert (status.issued["A"], status.issued["D"], sum(status.waiting.values())) == (5, 2, 2)
    assert {c.ticket_number for c in hall.recent_calls(limit=20)} >= {"A001", "D001"}
    assert hall.hall_board() is not None and hall.catalog().matters
    assert len(hall.matters()) == len(older.before["matters"]) and hall.popular_matters()
    assert len(hall.applications(day_from=older.day_before)) == 5
    assert {p.id for p in hall.pending_items()} == {k[0] for k in older.before["pending_items"]}
    ratings = hall.export_ratings(older.day, older.day).splitlines()
    assert len(ratings) == 1 + 4 and sum("非常不满意" in line for line in ratings) == 1
    assert hall.tickets(older.day, print_state="failed") == []  # the roll was reprinted


def test_the_old_passwords_pin_and_terminal_tokens_still_work(older: Older, upgraded):
    hall = upgraded
    assert hall.authenticate("clerk09", "pass-clerk09").name == "孙悦"
    assert hall.authenticate("admin", "demo-admin").role == "manager"
    # a PIN kept in plain text by an older version is hashed away and keeps working
    assert hall.verify_manager_pin(older.made["manager_pin"], "1号取号机").ok
    assert "manager_pin" not in hall.settings().extra
    for name, token in older.made["terminals"].items():
        assert hall.terminal_for_token(token).name == name


# --- the day's figures ---------------------------------------------------------------------------


def expected_served(older: Older, day: dt.date) -> int:
    """Tickets finished as served. A ticket finished as 未到场 (no_show, recorded from schema 12
    on) counts as abandoned, not served, since migration 17: a release that kept no finish
    reason just finished the no-show, and nothing in its file tells it apart from a service."""
    return sum(r["status"] == "done" and r.get("finish_reason", "") != "no_show" for r in older.day_rows("tickets", day))


def first_calls(older: Older) -> dict[int, str]:
    """When each ticket was first called, from the events the older program logged."""
    out: dict[int, str] = {}
    for e in sorted(older.rows("events"), key=lambda e: e["id"]):
        if e["kind"] == "TicketCalled":
            out.setdefault(e["ticket_id"], e["at"])
    return out


def expected_waits(older: Older, day: dt.date) -> list[float]:
    """Minutes from issue to the first call of every served ticket: the wait the hall made the
    citizen do ends at the first call (migration 17's definition), even where a 过号 call-back or
    a transfer wrote a later call over the ticket's called_at in an older release."""
    calls = first_calls(older)
    served = [r for r in older.day_rows("tickets", day)
              if r["status"] == "done" and r.get("finish_reason", "") != "no_show"]
    return [(dt.datetime.fromisoformat(calls[r["id"]]) - dt.datetime.fromisoformat(r["issued_at"])).total_seconds() / 60
            for r in served]


def check_day_report(older: Older, report) -> None:
    tickets = older.day_rows("tickets")
    assert report.totals.issued == len(tickets) == 12
    assert report.totals.served == expected_served(older, older.day)
    assert report.totals.skipped == 1  # A003 never came back
    waits = expected_waits(older, older.day)
    assert report.totals.max_wait_min == pytest.approx(max(waits), abs=0.05)  # the report says tenths
    assert report.totals.avg_wait_min == pytest.approx(sum(waits) / len(waits), abs=0.05)
    by_cat = {g.key: g.issued for g in report.by_category}
    # a transferred ticket counts under the category it went to (D001 went to 税务)
    assert by_cat == {"A": 5, "B": 2, "C": 1, "D": 1, "E": 1, "F": 1, "H": 1}
    # the plain acceptance and the two 容缺 ones; the one-time notice is not an application
    assert (report.acceptances, report.rongque_acceptances, report.notices, report.applications) == (3, 2, 1, 3)
    # 一次办结 needs the 容缺 materials in: the two 容缺 applications still wait for theirs
    assert report.one_visit == 1
    assert (report.pending_open, report.pending_supplied, report.pending_overdue) == (2, 1, 0)
    assert (report.ratings, report.satisfied, report.open_bad_reviews) == (4, 3, 1)


def test_the_days_report_counts_what_was_done_by_the_current_definitions(older: Older, upgraded):
    check_day_report(older, upgraded.report(older.day))
    before = upgraded.report(older.day_before)  # summarised again from its tickets (migration 17)
    assert (before.totals.issued, before.totals.served, before.totals.skipped) == (2, 1, 1)
    assert (before.acceptances, before.applications, before.one_visit) == (1, 1, 1)


def test_the_next_morning_the_closed_days_summary_says_what_the_live_report_said(older: Older):
    """The first terminal opened the next working day summarises the upgraded day; its report
    must not change by being read from the summary instead of the tickets."""
    morning = older.day + dt.timedelta(days=3 if older.day.weekday() == 4 else 1)
    hall = open_hall(older.path, clock=older.clock("08:00", morning), durable=False)
    try:
        with hall.store.read():
            closed = hall.store.conn.execute("SELECT count(*) FROM day_totals WHERE day = ?",
                                             (older.day.isoformat(),)).fetchone()[0]
        assert closed == 1
        check_day_report(older, hall.report(older.day))
    finally:
        hall.close()


# --- the clerks go on ----------------------------------------------------------------------------


def test_the_next_ticket_continues_each_categorys_numbers(older: Older, upgraded):
    hall = upgraded
    hall.clock.now = dt.datetime.combine(older.day, dt.time(16, 0))
    numbers = {r["number"] for r in older.day_rows("tickets")}
    for category, expected in (("A", "A006"), ("B", "B003"), ("D", "D003"), ("E", "E001"), ("H", "H002")):
        t = hall.issue_ticket(category=category)
        assert t.number == expected and t.number not in numbers
    # and the calls go on in order: window 5 next calls the citizen waiting since 14:10
    assert hall.call_next(5, "clerk02").number == "A005"


def test_a_pending_item_can_be_supplied_and_the_application_completes(older: Older, upgraded):
    hall = upgraded
    hall.clock.now = dt.datetime.combine(older.day, dt.time(16, 30))
    for number in (older.made["rongque_application"], older.made["loan_application"]):
        (item,) = hall.pending_items(PendingStatus.OPEN, application_number=number)
        hall.supply_pending(item.id, how="post", by="clerk05")
        app = hall.get_application(number)
        # its materials all in, the application goes on as a plain acceptance
        assert app.state is ApplicationState.ACCEPTED and all(p.status is PendingStatus.SUPPLIED for p in app.pending)
    assert hall.report(older.day).one_visit == 3  # now done in one visit each, counted on the day accepted
    found = hall.application_progress(older.made["plain_application"])
    assert (found.state, found.applicant_name) == (ApplicationState.ACCEPTED, "孙*")
    assert hall.find_ticket(f"{older.day:%Y%m%d}-A001").holder_id_masked == "110105********002X"


# --- the key -------------------------------------------------------------------------------------


def test_the_old_key_moves_out_of_the_file_and_still_links_each_applicant(older: Older, upgraded):
    hall = upgraded
    key = old_key(older)
    assert keyfile.read_key(keyfile.key_path_for(older.path)) == key
    with hall.store.read():
        assert hall.store.conn.execute("SELECT 1 FROM settings WHERE key = '_hash_key'").fetchone() is None
    ids = older.made["ids"]
    hall.clock.now = dt.datetime.combine(older.day, dt.time(15, 30))
    waiting = hall.call_next(5, "clerk02")  # the citizen waiting since 14:10 first
    hall.finish(waiting.id, 5, "clerk02", reason="consult")
    # the citizen sent home with a one-time notice comes back with a new ticket: a second visit
    t = hall.issue_ticket(matter_code="330106-A-002", holder_name="李四", holder_id=ids["notice"])
    assert hall.call_next(5, "clerk02").id == t.id
    hall.start_service(t.id, 5, "clerk02")
    again = hall.accept(matter_code="330106-A-002", checks=all_received(hall, "330106-A-002"), applicant_name="李四",
                        applicant_id=ids["notice"], ticket_id=t.id, window=5, clerk="clerk02")
    (notice_app,) = [r["number"] for r in older.rows("applications") if r["state"] == "not_accepted"]
    with hall.store.read():
        prior = hall.store.conn.execute("SELECT prior_number FROM applications WHERE number = ?",
                                        (again.number,)).fetchone()[0]
    assert (again.visits, prior) == (2, notice_app)
    # the 容缺 exclusion list, kept as keyed hashes, still recognises its applicant
    assert hall.assess("330106-A-001", (), (), ids["excluded"]).excluded
    assert not hall.assess("330106-A-001", (), (), ids["applicant"]).excluded
    for link, token in older.made["follow"].items():  # QR codes printed before the upgrade
        kind, ref = link.split(":", 1)
        if kind == "t":
            assert hall.ticket_for_link(token).id == int(ref)
        else:
            assert hall.application_for_link(token).number == ref
    if "later" in older.made["appointments"]:  # a booking made with an ID number checks in with that card
        code = older.made["appointments"]["later"]
        hall.clock.now = dt.datetime.combine(older.day, dt.time(14, 55))
        with pytest.raises(InvalidAction, match="不符"):
            hall.issue_ticket(appointment_code=code, holder_id=ids["applicant"])
        t = hall.issue_ticket(appointment_code=code, holder_id=ids["later"], holder_name="吴大伟")
        assert t.number == "D003" and hall.find_appointment(code).status.value == "checked_in"


def test_opening_the_upgraded_file_again_changes_nothing(older: Older):
    open_hall(older.path, clock=older.clock(), durable=False).close()
    key_path = keyfile.key_path_for(older.path)
    first = read_all(older.path), key_path.read_bytes()
    open_hall(older.path, clock=older.clock(), durable=False).close()
    assert (read_all(older.path), key_path.read_bytes()) == first


# --- through the hall server ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in OLDER if n != "hall_b191723"])  # the first had no terminals
def test_the_hall_server_serves_an_upgraded_file_to_its_old_terminals(name: str, tmp_path: Path):
    """The server opens the older file as `serve` does (the upgrade, the key moving out); a
    console registered before the upgrade signs on with its old token and reads the records."""
    from hallnet.runner import BackgroundServer

    older = copy_older(name, tmp_path)
    hall = open_hall(older.path, clock=older.clock(), durable=False)
    try:
        with BackgroundServer(hall, daily_jobs=False) as server:
            client = open_hall(server.url, token=older.made["terminals"]["管理台"])
            try:
                client.authenticate("admin", "demo-admin")  # its token alone reads only what every terminal reads
                app = client.get_application(older.made["rongque_application"])
                assert (app.state, app.applicant_id_masked) == (ApplicationState.PENDING, "110105********002X")
                assert len(client.tickets(older.day)) == 12
                assert client.report(older.day).acceptances == 3
            finally:
                client.close()
    finally:
        hall.close()


def test_a_hall_of_the_release_before_keeps_its_first_calls_and_summaries(tmp_path: Path):
    """The step that mends the older halls' first calls changes nothing a hall made by the
    current code recorded: its first calls are already the first calls, so no closed day's
    summary is thrown away for nothing."""
    clock = FakeClock(dt.datetime(2026, 12, 3, 9, 0))
    path = tmp_path / "hall.db"
    hall = open_hall(path, clock=clock, durable=False)
    hall.import_catalog(SMALL_CATALOG, "测试目录")
    with_a_window(hall)
    hall.save_staff("clerk1", "王晓燕", "clerk", "pass-1111")
    hall.sign_in(1, "clerk1", "pass-1111")
    t = hall.issue_ticket(category="A")
    clock.advance(minutes=5)
    hall.call_next(1, "clerk1")
    clock.advance(minutes=2)
    hall.skip(t.id, 1, "clerk1")
    clock.advance(minutes=30)
    hall.call_back(t.id, 1, "clerk1")
    hall.start_service(t.id, 1, "clerk1")
    clock.advance(minutes=5)
    hall.finish(t.id, 1, "clerk1")
    clock.now = dt.datetime(2026, 12, 4, 9, 0)
    waited = hall.report(dt.date(2026, 12, 3)).totals.max_wait_min
    hall.close()
    _, before = read_all(path)
    assert before["day_totals"] and before["day_figures"]  # the day was closed
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 19")  # step 20, the mend of the first calls, runs again
    conn.commit()
    conn.close()
    hall = open_hall(path, clock=clock, durable=False)
    hall.close()
    _, after = read_all(path)
    assert waited == 5.0  # the 过号 call-back half an hour later did not lengthen the wait
    for table in ("tickets", "day_figures", "day_totals"):
        assert after[table] == before[table]
