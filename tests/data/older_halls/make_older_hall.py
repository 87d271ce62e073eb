"""Make a hall file the way an older release of this program made it, for the upgrade tests.

Run it with an OLD checkout as the working directory, so that checkout's `kiosk` is the one
imported (never this repository's current one):

    git worktree add /tmp/old_REV REV
    cd /tmp/old_REV && /path/to/.venv/bin/python /path/to/make_older_hall.py OUT.db --day 2026-11-24

It plays two days of a small hall through that version's own facade, on a fixed clock: the
demo hall seeded, a settings change, the 容缺 exclusion list, clerks signed in, tickets in
several categories (with holders' ID numbers and phones) called, served, finished, skipped,
called back and transferred, a plain acceptance, a one-time notice, 容缺 acceptances with one
item supplied and others left open, ratings including a bad one with its callback, bookings
(one checked in, one left for later), terminals and a helper call where the version has them.
Facade signatures changed between releases, so each step asks the old code what it offers.

Beside OUT.db it leaves OUT.json: what only the making program knew and the tests need (the ID
numbers typed, terminal tokens, follow-link tokens, the PIN), and, for a version that keeps the
ID-hash key in its own file, OUT.db.key. The hall file is VACUUMed so it stays small.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, os.getcwd())  # the old checkout's kiosk, ahead of any installed one

import kiosk  # noqa: E402
from kiosk import open_hall  # noqa: E402
from kiosk.models import MaterialCheck, MaterialStatus, Priority  # noqa: E402

APPLICANT_ID = "11010519491231002X"  # 容缺 acceptance, comes back after the upgrade
NOTICE_ID = "33010619900101123X"  # one-time notice
LOAN_ID = "330106198001010013"  # 容缺 acceptance with two items, one supplied
PLAIN_ID = "11010119900307803X"  # plain acceptance, the bad rating
EXCLUDED_ID = "110101198001010053"  # on the 容缺 exclusion list
BOOKED_ID = "330106199203150027"  # the booking checked in
LATER_ID = "330106197506060011"  # the booking left for the afternoon
MANAGER_PIN = "7315"


class Clock:
    """The hall's wall clock, moved by hand so the day is the same every time it is made."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, hhmm: str) -> None:
        h, m = map(int, hhmm.split(":"))
        self.now = self.now.replace(hour=h, minute=m, second=0, microsecond=0)


def accepts(method: object, name: str) -> bool:
    return name in inspect.signature(method).parameters  # type: ignore[arg-type]


def checks_for(hall, matter_code: str, missing: tuple[int, ...] = ()) -> tuple[MaterialCheck, ...]:
    """Every material the applicant must bring, received, except `missing` (by material id)."""
    out = []
    for m in hall.checklist(matter_code).to_bring:
        status = MaterialStatus.MISSING if m.id in missing else MaterialStatus.RECEIVED
        out.append(MaterialCheck(material_id=m.id, name=m.name, status=status,
                                 reason="未带" if m.id in missing else ""))
    return tuple(out)


def finish(hall, ticket, window: int, clerk: str, reason: str = "") -> None:
    if reason and accepts(hall.finish, "reason"):
        hall.finish(ticket.id, window, clerk, reason=reason)
    else:
        hall.finish(ticket.id, window, clerk)


def make(out: Path, day: dt.date) -> dict:
    for p in (out, out.with_name(out.name + ".key"), out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
        p.unlink(missing_ok=True)
    day0 = day - dt.timedelta(days=1 if day.weekday() else 3)  # the working day before
    clock = Clock(dt.datetime.combine(day0, dt.time(8, 30)))
    hall = open_hall(out, clock=clock, seed_demo=True, durable=False)
    facade = type(hall)  # what this version's facade offers
    manifest: dict = {"ids": {"applicant": APPLICANT_ID, "notice": NOTICE_ID, "loan": LOAN_ID, "plain": PLAIN_ID,
                              "excluded": EXCLUDED_ID, "booked": BOOKED_ID, "later": LATER_ID},
                      "day_before": day0.isoformat(), "day": day.isoformat(), "terminals": {}, "follow": {},
                      "appointments": {}}

    # --- the manager sets the hall up -------------------------------------------------------
    changes: dict[str, object] = {"display_notice": "今日下午三点起暂停办理出入境业务", "max_skips": 3,
                                  "hall_phone": "0571-87654321"}
    if hasattr(hall.settings(), "manager_pin") and not hasattr(facade, "set_manager_pin"):
        changes["manager_pin"] = MANAGER_PIN  # this version kept the PIN among the settings
    hall.update_settings(**changes)
    if hasattr(facade, "set_manager_pin"):
        hall.set_manager_pin(MANAGER_PIN)
    manifest["manager_pin"] = MANAGER_PIN
    hall.set_rongque_exclusions([EXCLUDED_ID])
    hall.save_staff("clerk09", "孙悦", "clerk", "pass-clerk09")
    if hasattr(facade, "add_terminal"):
        for name, role, window in (("1号取号机", "kiosk", None), ("5号窗口电脑", "clerk", 5),
                                   ("评价器5", "evaluator", 5), ("管理台", "manager", None)):
            kwargs = {"place": "一楼大厅"} if accepts(hall.add_terminal, "place") else {}
            _, token = hall.add_terminal(name, role, window, **kwargs)
            manifest["terminals"][name] = token

    signed = {5: "clerk02", 6: "clerk03", 8: "clerk05", 9: "clerk04"}
    for window, login in signed.items():
        hall.sign_in(window, login, f"demo-{login}")

    # --- the day before: a short morning, summarised when the manager reads it next day -------
    t = hall.issue_ticket(matter_code="330106-A-005", holder_name="钱多多", phone="13900002222")
    hall.mark_printed(t.id, True)
    clock.at("08:42")
    u = hall.issue_ticket(category="C")
    hall.mark_printed(u.id, True)
    clock.at("08:50")
    c = hall.call_next(5, "clerk02")
    hall.start_service(c.id, 5, "clerk02")
    clock.at("09:02")
    hall.accept(matter_code="330106-A-005", checks=checks_for(hall, "330106-A-005"), applicant_name="钱多多",
                applicant_id="110101198505050016", phone="13900002222", ticket_id=c.id, window=5, clerk="clerk02")
    finish(hall, c, 5, "clerk02")
    clock.at("09:05")
    c = hall.call_next(8, "clerk05")
    clock.at("09:08")
    hall.skip(c.id, 8, "clerk05")
    clock.at("17:30")
    for window in signed:
        hall.sign_out(window)

    # --- the day itself --------------------------------------------------------------------
    clock.now = dt.datetime.combine(day, dt.time(8, 20))
    hall.report(day0)  # the manager reads yesterday's figures (closing that day as this version did)
    if hasattr(facade, "book_appointment"):
        for who, id_number, start, end in (("booked", BOOKED_ID, "09:00", "09:30"), ("later", LATER_ID, "15:00", "15:30")):
            b = hall.book_appointment(matter_code="330106-D-008", day=day, slot_start=dt.time.fromisoformat(start),
                                      slot_end=dt.time.fromisoformat(end), holder_name="周小川" if who == "booked" else "吴大伟",
                                      id_number=id_number, phone="13600003333")
            manifest["appointments"][who] = b.code
    clock.at("08:30")
    for window, login in signed.items():
        hall.sign_in(window, login, f"demo-{login}")

    def issue(at: str, printed: bool = True, **kw: object) -> object:
        clock.at(at)
        t = hall.issue_ticket(**kw)
        hall.mark_printed(t.id, printed, "" if printed else "缺纸")
        return t

    def call(at: str, window: int, expected: object, start: bool = True) -> object:
        clock.at(at)
        t = hall.call_next(window, signed[window])
        assert t is not None and t.id == expected.id, (window, t and t.number, expected.number)
        if start:
            hall.start_service(t.id, window, signed[window])
        return t

    a1 = issue("08:31", matter_code="330106-A-001", holder_name="张三", holder_id=APPLICANT_ID, phone="13800001234")
    a2 = issue("08:33", matter_code="330106-A-002", holder_name="李四", holder_id=NOTICE_ID, phone="13800005678")
    c1 = issue("08:34", matter_code="330106-C-001", holder_name="孙七", holder_id=PLAIN_ID, phone="13300004444")
    f1 = issue("08:35", matter_code="330106-F-002", holder_name="王五", holder_id=LOAN_ID, phone="13700001111")
    b1 = issue("08:36", category="B")
    d1 = issue("08:38", matter_code="330106-D-001", holder_name="赵六", phone="13500002222")
    b2 = issue("08:41", category="B", printed=False)  # the roll ran out; reprinted later
    a3 = issue("08:44", matter_code="330106-A-007")

    call("08:45", 5, a1)
    call("08:46", 8, c1)
    clock.at("08:52")
    plain = hall.accept(matter_code="330106-C-001", checks=checks_for(hall, "330106-C-001"), applicant_name="孙七",
                        applicant_id=PLAIN_ID, phone="13300004444", ticket_id=c1.id, window=8, clerk="clerk05")
    manifest["plain_application"] = plain.number
    finish(hall, c1, 8, "clerk05")
    clock.at("08:54")
    hall.evaluate(c1.id, 1, "等了很久，窗口态度也不好",
                  **({"reasons": ("态度", "等候太久")} if accepts(hall.evaluate, "reasons") else {}),
                  **({"phone": "13300004444"} if accepts(hall.evaluate, "phone") else {}))
    if "booked" in manifest["appointments"]:  # checked in on time at the kiosk
        d2 = issue("08:55", appointment_code=manifest["appointments"]["booked"], holder_name="周小川",
                   holder_id=BOOKED_ID)
    else:  # no bookings in this version: an elderly citizen in the green channel instead
        d2 = issue("08:55", matter_code="330106-D-008", holder_name="周小川", holder_id=BOOKED_ID,
                   priority=Priority.GREEN)
    clock.at("08:58")
    app = hall.accept(matter_code="330106-A-001", checks=checks_for(hall, "330106-A-001", missing=(3,)),
                      applicant_name="张三", applicant_id=APPLICANT_ID, phone="13800001234", ticket_id=a1.id, window=5,
                      clerk="clerk02", undertaking_signed=True)
    manifest["rongque_application"] = app.number
    finish(hall, a1, 5, "clerk02")
    call("09:00", 5, a2)
    call("09:01", 6, b1, start=False)
    call("09:02", 9, d1)
    clock.at("09:04")
    hall.skip(b1.id, 6, "clerk03")
    call("09:05", 6, b2)
    clock.at("09:06")
    hall.mark_printed(b2.id, True)  # reprinted once the paper was back
    clock.at("09:07")
    notice = hall.refuse_with_notice(matter_code="330106-A-002", checks=checks_for(hall, "330106-A-002", missing=(2,)),
                                     applicant_name="李四", applicant_id=NOTICE_ID, phone="13800005678",
                                     ticket_id=a2.id, window=5, clerk="clerk02")
    manifest["notice"] = notice.number
    finish(hall, a2, 5, "clerk02")
    call("09:10", 8, f1)
    a5 = issue("09:11", matter_code="330106-A-001", holder_name="冯十")
    call("09:12", 5, a3, start=False)
    clock.at("09:14")
    hall.skip(a3.id, 5, "clerk02")  # never came back
    clock.at("09:18")
    hall.transfer(d1.id, to_category="E", window=9, clerk="clerk04")  # a tax question: sent on to 税务
    call("09:19", 9, d2)
    clock.at("09:20")
    finish(hall, b2, 6, "clerk03", reason="consult")
    clock.at("09:21")
    hall.evaluate(b2.id, 4)
    clock.at("09:25")
    loan = hall.accept(matter_code="330106-F-002", checks=checks_for(hall, "330106-F-002", missing=(5, 6)),
                       applicant_name="王五", applicant_id=LOAN_ID, phone="13700001111", ticket_id=f1.id, window=8,
                       clerk="clerk05", undertaking_signed=True)
    manifest["loan_application"] = loan.number
    finish(hall, f1, 8, "clerk05")
    clock.at("09:27")
    hall.evaluate(f1.id, 5)
    clock.at("09:30")
    finish(hall, d2, 9, "clerk04", reason="other")
    clock.at("09:40")
    hall.call_back(b1.id, 6, "clerk03")  # the no-show turned up
    hall.start_service(b1.id, 6, "clerk03")
    clock.at("09:55")
    finish(hall, b1, 6, "clerk03", reason="consult")
    call("10:00", 6, d1)  # the citizen sent on to 税务
    clock.at("10:10")
    finish(hall, d1, 6, "clerk03", reason="consult")
    clock.at("10:11")
    hall.evaluate(d1.id, 5)
    call("10:15", 5, a5, start=False)
    clock.at("10:18")
    finish(hall, a5, 5, "clerk02", reason="no_show")  # nobody came; a version without reasons just finishes

    if hasattr(facade, "call_helper"):
        clock.at("10:30")
        helper = hall.call_helper(reason="asked", screen="checklist", matter_code="330106-A-001",
                                  **({"terminal": "1号取号机"} if accepts(hall.call_helper, "terminal") else {}))
        clock.at("10:32")
        hall.take_helper_call(helper.id, "clerk01")
        clock.at("10:40")
        hall.close_helper_call(helper.id, "clerk01")

    # one of the loan's two missing papers arrives by post; the bad rating is called back
    clock.at("11:00")
    item = next(p for p in hall.pending_items(application_number=loan.number) if p.material_id == 5)
    hall.supply_pending(item.id, how="post", by="clerk05")
    (review,) = hall.bad_reviews()
    clock.at("11:30")
    hall.record_callback(review.id, "已电话回访，市民反映等候时间长，已致歉", "admin")

    # the afternoon: two citizens still waiting when the file is copied
    a4 = issue("14:10", matter_code="330106-A-006", holder_name="郑九", phone="13100006666")
    issue("14:12", category="H")
    if hasattr(facade, "follow_token"):
        manifest["follow"] = {f"t:{a4.id}": hall.follow_token("t", a4.id),
                              f"a:{app.number}": hall.follow_token("a", app.number)}
    clock.at("14:20")
    hall.close()

    key_path = out.with_name(out.name + ".key")
    conn = sqlite3.connect(out)
    try:  # the last connection to close copies the log into the file and removes it
        conn.execute("VACUUM")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    manifest["schema_version"] = version
    manifest["key_file"] = key_path.exists()
    manifest["clock_end"] = clock.now.isoformat()
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--day", type=dt.date.fromisoformat, required=True, help="a weekday, YYYY-MM-DD")
    args = parser.parse_args()
    if not Path(kiosk.__file__).resolve().is_relative_to(Path.cwd().resolve()):
        print(f"kiosk came from {kiosk.__file__}, not the old checkout in {Path.cwd()}", file=sys.stderr)
        return 2
    if args.day.weekday() >= 5:
        print("--day must be a weekday", file=sys.stderr)
        return 2
    out = args.out.resolve()
    manifest = make(out, args.day)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    manifest["commit"] = commit
    out.with_suffix(".json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out.name}: commit {commit}, schema version {manifest['schema_version']}, "
          f"key file {'beside it' if manifest['key_file'] else 'none (key inside the file)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
