"""Every screen rendered to PNG offscreen, on a demo hall with a morning's activity in it.

The busy scenes (display, manager console) run a whole morning through the facade on a clock
the scene moves by hand: tickets arrive over two hours, six windows call, serve and finish
them in minutes that vary by category, some citizens are accepted, one gets a one-time notice,
one a 容缺 acceptance, and most rate the service. So the report's averages, the per-window
chart and the satisfaction rate are real figures, not zeros.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk import Hall, idnumber, open_hall
from kiosk.errors import HallError
from kiosk.models import DeviceState, MaterialCheck, MaterialStatus, Ticket, TicketStatus

MORNING = dt.time(8, 30)
SCENE_MINUTES = 125  # 08:30 to 10:35
# window: clerk (demo_hall.json); 1 and 2 take any category, the others their own
SCENE_WINDOWS = {1: "clerk01", 2: "clerk04", 5: "clerk02", 6: "clerk03", 8: "clerk05", 9: "clerk06"}
# how often each category is asked for, and its service minutes (low, high)
SCENE_MIX = {"A": (30, (12, 24)), "B": (20, (15, 28)), "C": (15, (5, 11)), "D": (15, (6, 13)),
             "E": (8, (8, 15)), "F": (8, (5, 10)), "G": (2, (8, 14)), "H": (2, (10, 16))}
SCENE_ARRIVALS = 52
RATINGS = (5, 5, 4, 5, 3, 5, 4, 5, 5, 4)  # most citizens are satisfied ...
# ... and two are not: the manager has called the first back and still has to call the second
BAD_REVIEWS = {6: (2, "等候时间太长"), 21: (1, "叫号声音太小，没听到，差点过号")}
CALLBACK_NOTE = "已电话联系申请人，说明高峰时段排队情况并致歉"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


class SceneClock:
    """A clock the scene moves by hand, so waits and service times are real minutes."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


@dataclass
class _Desk:
    window: int
    clerk: str
    ticket: Ticket | None = None
    start_at: int = 0  # minute the service starts (the citizen walks up)
    end_at: int = 0  # minute it finishes


def scene_clock(day: dt.date | None = None) -> SceneClock:
    return SceneClock(dt.datetime.combine(day or dt.date.today(), MORNING))


def _demo_id(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 50))
    first17 = f"330106{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + idnumber.check_digit(first17)


def _checks(hall: Hall, code: str, missing: str = "") -> tuple[MaterialCheck, ...]:
    """Every needed material received; with `missing` ("key" / "rongque") one of that kind not brought."""
    out, gone = [], False
    for item in hall.checklist(code, ()).items:
        m = item.material
        if not item.needed:
            continue
        status = MaterialStatus.SHARED if m.shared else MaterialStatus.RECEIVED
        if not gone and not m.shared and ((missing == "key" and m.key) or
                                          (missing == "rongque" and m.rongque and not m.key)):
            status, gone = MaterialStatus.MISSING, True
        out.append(MaterialCheck(material_id=m.id, name=m.name, status=status,
                                 reason="未携带" if status is MaterialStatus.MISSING else "",
                                 key=m.key, rongque=m.rongque))
    return tuple(out) if gone or not missing else ()


def _decide(hall: Hall, desk: _Desk, rng: random.Random, served: int) -> None:
    """At the end of a service with a matter: accept, 容缺 or notice, as a clerk would."""
    t = desk.ticket
    if t is None or not t.matter_code:
        return
    name = rng.choice(SURNAMES) + rng.choice("伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞")
    person = {"applicant_name": name, "applicant_id": _demo_id(rng), "phone": f"138{rng.randrange(10**8):08d}"}
    where = {"matter_code": t.matter_code, "ticket_id": t.id, "window": desk.window, "clerk": desk.clerk}
    try:
        if served % 9 == 4 and (checks := _checks(hall, t.matter_code, "key")):
            hall.refuse_with_notice(**where, checks=checks, **person)
        elif served % 7 == 2 and (checks := _checks(hall, t.matter_code, "rongque")):
            hall.accept(**where, checks=checks, undertaking_signed=True, **person)
        else:
            hall.accept(**where, checks=_checks(hall, t.matter_code), **person)
    except HallError:
        pass  # a matter the simple scene cannot decide stays a plain service


def demo_activity(hall: Hall, clock: SceneClock | None = None, seed: int = 20171) -> None:
    """A morning in the hall. With `clock` (the hall's own), waits and service times are real
    minutes; without one the same steps happen at once."""
    rng = random.Random(seed)
    desks = [_Desk(w, login) for w, login in SCENE_WINDOWS.items()]
    for d in desks:
        try:
            hall.sign_in(d.window, d.clerk, f"demo-{d.clerk}")
        except HallError:
            pass
    staffed = {w.number for w in hall.queue_status().windows if w.clerk}
    desks = [d for d in desks if d.window in staffed]
    by_cat: dict[str, list[str]] = {}
    for m in hall.matters():
        by_cat.setdefault(m.category, []).append(m.code)
    cats = [c for c in SCENE_MIX if by_cat.get(c)]
    arrivals = sorted(rng.randrange(SCENE_MINUTES - 5) for _ in range(SCENE_ARRIVALS))
    service = {c: SCENE_MIX[c][1] for c in cats}
    served = rated = skipped = 0
    for minute in range(SCENE_MINUTES):
        for _ in range(arrivals.count(minute)):
            cat = rng.choices(cats, weights=[SCENE_MIX[c][0] for c in cats])[0]
            green = rng.random() < 0.08
            try:
                hall.issue_ticket(matter_code=rng.choice(by_cat[cat]), priority="green" if green else "normal")
            except HallError:
                pass
        for d in desks:
            t = d.ticket
            if t is not None and minute == d.start_at:
                if skipped < 2 and t.id % 11 == 5:  # nobody came: 过号
                    hall.skip(t.id, d.window, d.clerk)
                    d.ticket, skipped = None, skipped + 1
                    continue
                d.ticket = hall.start_service(t.id, d.window, d.clerk)
            elif t is not None and minute >= d.end_at and minute > d.start_at:
                _decide(hall, d, rng, served)
                hall.finish(t.id, d.window, d.clerk)
                served += 1
                level, comment = BAD_REVIEWS.get(served, (RATINGS[rated % len(RATINGS)], ""))
                if served in BAD_REVIEWS or served % 4 != 3:  # not everyone rates
                    hall.evaluate(t.id, level, comment)
                    rated += 1
                d.ticket = None
            if d.ticket is None and minute < SCENE_MINUTES - 1:
                t = hall.call_next(d.window, d.clerk)
                if t is not None:
                    low, high = service.get(t.category, (8, 15))
                    d.ticket, d.start_at = t, minute + rng.randint(1, 2)
                    d.end_at = d.start_at + rng.randint(low, high)
        if clock is not None:
            clock.advance(1)
    reviews = hall.bad_reviews()
    if len(reviews) > 1:
        hall.record_callback(reviews[0].id, CALLBACK_NOTE)  # the earlier one
    # the first window has just finished, so a screen can show a fresh call there
    first = desks[0] if desks else None
    if first is not None and first.ticket is not None:
        if first.ticket.status is TicketStatus.CALLED:
            hall.start_service(first.ticket.id, first.window, first.clerk)
        hall.finish(first.ticket.id, first.window, first.clerk)
    floor_scene(hall, desks[0].clerk if desks else "")


FLOOR_TERMINALS = (("大厅取号机A", "kiosk", "一楼东侧入口"), ("大厅取号机B", "kiosk", "二楼电梯口"),
                   ("大厅显示屏", "display", "一楼等候区"))


def floor_scene(hall: Hall, clerk: str) -> None:
    """The floor as the board shows it: two kiosks (one out of paper), the display, one helper
    call taken and one waiting."""
    known = {t.name for t in hall.terminals()}
    for name, role, place in FLOOR_TERMINALS:
        if name not in known:
            hall.add_terminal(name, role, None, place)
    now = hall.clock()
    hall.mark_terminals_seen({"大厅取号机A": now, "大厅显示屏": now, "大厅取号机B": now - dt.timedelta(minutes=4)})
    hall.report_devices((DeviceState("idcard", "ok"), DeviceState("printer", "paper_low", "打印机就绪（打印纸即将用完）"),
                         DeviceState("scanner", "ok")), terminal="大厅取号机A")
    hall.report_devices((DeviceState("idcard", "ok"), DeviceState("printer", "paper_out", "打印机缺纸，请装入打印纸"),
                         DeviceState("scanner", "ok")), terminal="大厅取号机B")
    matter = next(iter(hall.matters()), None)
    taken = hall.call_helper(reason="missing_material", screen="checklist",
                             matter_code=matter.code if matter else "", terminal="大厅取号机A")
    hall.call_helper(reason="printer", screen="home", terminal="大厅取号机B")
    if clerk:
        hall.take_helper_call(taken.id, clerk)


def render_all(out_dir: Path) -> list[Path]:
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui import evaluator
    from ui.admin import render_screenshots as admin_shots
    from ui.app import create_application
    from ui.clerk import render_screenshots as clerk_shots
    from ui.display import render_screenshots as display_shots
    from ui.kiosk import render_screenshots as kiosk_shots
    from ui.server_wait import render_screenshots as wait_shots
    from ui.terminal import make_context
    from ui.voice.playback import silenced
    from ui.worker import drain_jobs

    create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp, silenced():  # pictures: no chime, no spoken call
        # the clerk's and the evaluator's renderers play their own scene on the hall they get
        for render, busy in ((kiosk_shots, True), (clerk_shots, False), (evaluator.render_screenshots, False),
                             (display_shots, True), (admin_shots, True)):
            clock = scene_clock() if busy else None
            hall = open_hall(Path(tmp) / f"{render.__module__}.db", seed_demo=True, clock=clock)
            if busy:
                demo_activity(hall, clock)
            ctx = make_context(hall)
            ctx.send_ticket = lambda data: None
            ctx.printer_status = lambda: (True, "打印机就绪")
            try:
                paths += render(ctx, out_dir)
            finally:
                # the screens rendered go, and what they asked the hall for comes, before the hall closes
                QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
                drain_jobs()
                ctx.close()
                hall.close()
    paths += wait_shots(out_dir)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return paths
