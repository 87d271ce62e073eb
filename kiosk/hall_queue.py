"""The queue: issuing tickets, calling them to windows, and everything a clerk does to them.

Each action is one BEGIN IMMEDIATE transaction, so two windows calling at the same instant -
threads or separate processes on one file - are serialised by SQLite's write lock and can
never take the same ticket; the ticket counter lives in the same transaction as the ticket.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from kiosk import idnumber
from kiosk.errors import InvalidAction, NotFound, QueueFull, ValidationError
from kiosk.hall_appointments import AppointmentService
from kiosk.models import (
    FINISH_REASONS,
    NO_SHOW,
    Call,
    PrintState,
    Priority,
    QueueStatus,
    Ticket,
    TicketStatus,
    WindowState,
)
from kiosk.queue_rules import SERVICE_AVERAGE_WINDOW, call_priority_next, estimate_wait_minutes, ticket_number
from kiosk.records import (
    T_CALLED_AT,
    T_CATEGORY,
    T_CLERK,
    T_DAY,
    T_FINISH_REASON,
    T_FINISHED_AT,
    T_ID,
    T_NUMBER,
    T_STARTED_AT,
    T_STATUS,
    T_WINDOW,
    TICKET_COLUMNS,
    TICKET_WIDTH,
    new_ticket,
    parse_ts,
    serves,
    ticket_from_values,
    ts,
    where,
)

_ACTIVE = (TicketStatus.CALLED.value, TicketStatus.SERVING.value)

# What issuing needs before it writes, in one statement (parameters: day, priority rank, and
# the matter code or the category prefix): the category and its limits, the matter's name,
# the day's last number of the category (from the (day, number) index: the numbers are the
# counter, so no counter row is written per ticket), the people ahead (from the waiting index
# alone), the recent service time, the windows now serving the category and whether any
# window serves it at all.
_ISSUE_FACTS = (
    "SELECT c.prefix, c.name, c.daily_cap, c.warn_at, c.default_service_minutes, {matter_name},"
    " (SELECT number FROM tickets WHERE day = ?1 AND number BETWEEN c.prefix || '000' AND c.prefix || '999'"
    " ORDER BY number DESC LIMIT 1),"
    " (SELECT count(*) FROM tickets WHERE day = ?1 AND status = 'waiting' AND category = c.prefix AND prank <= ?2),"
    " (SELECT avg_service_s FROM service_stats WHERE category = c.prefix),"
    f" (SELECT count(*) FROM windows WHERE active = 1 AND paused = 0 AND clerk != '' AND {serves('c.prefix')}),"
    f" EXISTS (SELECT 1 FROM windows WHERE active = 1 AND {serves('c.prefix')})"
    " FROM {source}"
)
_ISSUE_FACTS_BY_MATTER = _ISSUE_FACTS.format(
    matter_name="m.name, m.active", source="matters m JOIN categories c ON c.prefix = m.category WHERE m.code = ?3")
_ISSUE_FACTS_BY_CATEGORY = _ISSUE_FACTS.format(matter_name="'', 1", source="categories c WHERE c.prefix = ?3")
_NO_CHOICES = "[]"
# a StrEnum member is equal to (and hashes as) its value: one lookup takes either
_PRIORITIES = {p.value: p for p in Priority}
_PRINT_STATES = {s.value: s for s in PrintState}
# the day's last number of every prefix A..Z, each one step down the (day, number) index
# a ticket by id, as ticket_from_values builds it
_TICKET_BY_ID = f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?"
# what calling needs of its window, with the status and number of the ticket it called last (its
# current one only while that is called or served) and the configuration's revision, so calling
# needs no read of its own for the settings
_CALLING_WINDOW = ("SELECT w.active, w.paused, w.clerk, w.categories, w.normal_streak, t.status, t.number,"
                   " (SELECT value FROM settings WHERE key = '_config_rev') FROM windows w"
                   " LEFT JOIN tickets t ON t.id = w.current_ticket WHERE w.number = ?")
# a ticket being called or served at a window (parameters: id, window)
_TICKET_AT_WINDOW = f"{_TICKET_BY_ID} AND window = ? AND status IN ('called', 'serving')"
_PRANK = TICKET_WIDTH  # the candidates' priority rank, after the ticket's columns


@functools.cache
def _candidates_sql(categories: int) -> str:
    """The best priority ticket and the oldest normal one a window may call, as rows of
    TICKET_COLUMNS and the rank (parameters: day, window and its `categories` prefixes, twice);
    each one step down the waiting index."""
    route = "(target_window = ? OR target_window IS NULL)"
    if categories:
        route = f"(target_window = ? OR (target_window IS NULL AND category IN ({','.join('?' * categories)})))"
    base = f"SELECT {TICKET_COLUMNS}, prank FROM tickets WHERE day = ? AND status = 'waiting' AND {route}"
    return (f"SELECT * FROM ({base} AND prank < 2 ORDER BY prank, arrival_at, id LIMIT 1)"
            f" UNION ALL SELECT * FROM ({base} AND prank = 2 ORDER BY arrival_at, id LIMIT 1)")


_ISSUED = ("SELECT p.x, (SELECT number FROM tickets WHERE day = ?1 AND number BETWEEN p.x || '000' AND p.x || '999'"
           " ORDER BY number DESC LIMIT 1) FROM (" + " UNION ALL ".join(f"SELECT '{chr(c)}' AS x" for c in range(65, 91))
           + ") p")


class QueueService(AppointmentService):
    # --- issuing -------------------------------------------------------------------

    def issue_ticket(
        self,
        *,
        matter_code: str = "",
        category: str = "",
        priority: Priority | str = Priority.NORMAL,
        holder_name: str = "",
        holder_id: str = "",
        phone: str = "",
        appointment_code: str = "",
        ticked: tuple[int, ...] = (),
        answers: tuple[str, ...] = (),
        print_state: PrintState = PrintState.PENDING,
    ) -> Ticket:
        """Take a number for a matter (or a bare category). Durable before it is printed."""
        conn = self.store.conn
        priority = _PRIORITIES.get(priority) if isinstance(priority, str) else None  # type: ignore[assignment]
        if priority is None:
            raise ValidationError([f"优先级应为 {'、'.join(p.value for p in Priority)} 之一"])
        print_state = _PRINT_STATES.get(print_state) if isinstance(print_state, str) else None  # type: ignore[assignment]
        if print_state is None:
            raise ValidationError([f"打印状态应为 {'、'.join(p.value for p in PrintState)} 之一"])
        problems = []
        if len(holder_name) > 100 or not holder_name.isprintable():  # a foreigner's card holds up to 60
            problems.append("姓名应为不超过100个可见字符")
        if phone and (wrong := idnumber.phone_problem(phone, "手机号码")):
            problems.append(wrong)
        if len(ticked) > 200 or len(answers) > 200 or (answers and any(len(a) > 500 for a in answers)):
            problems.append("勾选的材料或条件过多")
        if problems:
            raise ValidationError(problems, "取号")
        id_hash = ""
        # the key behind ID hashes and the answer's follow token, read now: the answer is built
        # after the commit (_Transaction.answer), and a missing key file must refuse the ticket
        # before anything is written, not after
        key = self.hash_key()
        if holder_id:
            holder_id = idnumber.validate(holder_id)  # raises with a readable message
            id_hash = idnumber.keyed_hash(holder_id, key)
        now = self.clock()
        day = now.date().isoformat()
        with self._tx() as tx:
            if appointment_code:
                # a booking decides the matter and, on time, jumps the normal queue; a green-channel
                # citizen (elderly, disabled) keeps the green channel whether on time or late
                booking, booked = self._claim_appointment(appointment_code, now, id_hash)
                priority = priority if priority is Priority.GREEN else booked
                appointment_code, matter_code = booking.code, booking.matter_code
            prank = priority.rank
            # one read for everything the ticket needs to know before it is written: its
            # category and limits, the people ahead of it and what the wait estimate rests on
            cat = conn.execute(_ISSUE_FACTS_BY_MATTER if matter_code else _ISSUE_FACTS_BY_CATEGORY,
                               (day, prank, matter_code or category)).fetchone()
            if cat is None:
                raise NotFound(f"没有编码为“{matter_code}”的事项" if matter_code else f"没有前缀为“{category}”的分类")
            (category, cat_name, cap, warn_at, default_minutes, matter_name, offered, last, ahead, avg_s, serving,
             served_somewhere) = cat
            if not served_somewhere:  # a number no window would ever call
                raise InvalidAction(f"“{cat_name}”暂无窗口办理，请咨询工作人员")
            if not offered and not appointment_code:  # a booking made before it was switched off is kept
                raise InvalidAction(f"“{matter_name}”已停止办理，请咨询工作人员")
            seq = int(last[1:]) + 1 if last else 1  # under the write lock: nobody else numbers now
            if seq > cap:
                raise QueueFull(f"“{cat_name}”今日号源已取完（每日{cap}个），请改日或网上办理")
            number = ticket_number(category, seq)
            est = estimate_wait_minutes(ahead, default_minutes * 60 if avg_s is None else avg_s, serving)
            stamp = ts(now)
            masked_name = idnumber.mask_name(holder_name)
            masked_id = idnumber.mask_id(holder_id) if holder_id else ""
            masked_phone = idnumber.mask_phone(phone) if phone else ""
            ticked_json = json.dumps(list(ticked)) if ticked else _NO_CHOICES
            answers_json = json.dumps(list(answers), ensure_ascii=False) if answers else _NO_CHOICES
            ticket_id = conn.execute(
                "INSERT INTO tickets (day, number, category, matter_code, priority, prank, status, issued_at,"
                " arrival_at, ahead, est_wait_min, holder_name, holder_id_masked, holder_id_hash, phone,"
                " appointment_code, print_state, ticked, answers)"
                " VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (day, number, category, matter_code, priority.value, prank, stamp, stamp, ahead, est, masked_name,
                 masked_id, id_hash, masked_phone, appointment_code, print_state.value, ticked_json, answers_json),
            ).lastrowid
            if appointment_code:
                self._mark_checked_in(appointment_code, ticket_id, now)
            self._event("TicketIssued", ticket_id=ticket_id, ticket_number=number, at=now, category=category,
                        priority=priority.value, matter=matter_code)
            if seq >= warn_at:
                self._event("CategoryNearCap", at=now, category=category, issued=seq, cap=cap,
                            message=f"“{cat_name}”今日已取{seq}号，上限{cap}号")
            # built from what was written, not read back: the ticket is the row just inserted; and
            # built after the commit, while the log's pages are on their way to the disk
            tx.answer = lambda: new_ticket(
                id=ticket_id, number=number, day=now.date(), category=category, category_name=cat_name,
                matter_code=matter_code, matter_name=matter_name, priority=priority, status=TicketStatus.WAITING,
                issued_at=now, arrival_at=now, ahead=ahead, est_wait_min=est, window=None, target_window=None,
                clerk="", called_at=None, started_at=None, finished_at=None, recalls=0, skips=0,
                holder_name=masked_name, holder_id_masked=masked_id, phone_masked=masked_phone,
                appointment_code=appointment_code, print_state=print_state, ticked=tuple(ticked),
                answers=tuple(answers), follow_token=self.follow_token("t", ticket_id),  # type: ignore[attr-defined]
                finish_reason="",
            )
        return tx.made  # type: ignore[no-any-return]

    def _estimate(self, category: str, ahead: int, default_minutes: float) -> int:
        """Minutes for `ahead` people in `category` (the same figures _ISSUE_FACTS reads)."""
        if ahead == 0:
            return 0
        avg_s, windows = self.store.conn.execute(
            "SELECT (SELECT avg_service_s FROM service_stats WHERE category = ?1),"
            f" (SELECT count(*) FROM windows WHERE active = 1 AND paused = 0 AND clerk != '' AND {serves('?1')})",
            (category,),
        ).fetchone()
        return estimate_wait_minutes(ahead, default_minutes * 60 if avg_s is None else avg_s, windows)

    def mark_printed(self, ticket_id: int, ok: bool, reason: str = "") -> Ticket:
        """Record the printer's answer; a failed ticket stays valid and can be reprinted.

        A success rides without a durable commit of its own (see `light_commit`): written at
        once, made durable by the hall's next durable commit. A power cut before that leaves the
        ticket `pending`, which loses nothing the hall needs (the citizen holds the paper). A
        failure is committed durably, because the reprint list staff see after the PIN (and
        after a power cut) is built from it. Only a failure is an event: it is what another
        screen may need to hear; a success is the normal case, kept in the ticket's row.
        """
        state = PrintState.PRINTED if ok else PrintState.FAILED
        with self._tx(durable=not self.light_commit("mark_printed", {"ok": ok})):
            conn = self.store.conn
            # a plain UPDATE and a read of the row: RETURNING keeps its rows in a table of its own
            # first, which cost more than the second statement
            if conn.execute("UPDATE tickets SET print_state = ? WHERE id = ?", (state.value, ticket_id)).rowcount != 1:
                raise NotFound(f"没有编号为{ticket_id}的号票")
            row = conn.execute(_TICKET_BY_ID, (ticket_id,)).fetchone()
            if not ok:
                self._event("TicketPrintFailed", ticket_id=ticket_id, ticket_number=row[T_NUMBER], reason=reason)
            ticket = ticket_from_values(row, self.follow_token("t", ticket_id))  # type: ignore[attr-defined]
        return ticket

    @staticmethod
    def light_commit(method: str, kwargs: dict[str, Any]) -> bool:
        """Whether a change may commit without an fsync of its own (the hall server asks this
        before it opens the transaction that also stores the answer): a printed ticket only."""
        return method == "mark_printed" and bool(kwargs.get("ok"))

    @staticmethod
    def repeatable(method: str, kwargs: dict[str, Any]) -> bool:
        """Whether a change made twice leaves the hall exactly as made once, so a retry needs no
        stored answer (the hall server then keeps none: no row, no pages logged and synced for
        it): a printed ticket, which only sets its own print state and records no event. Its
        retry answers the ticket as it is now."""
        return method == "mark_printed" and bool(kwargs.get("ok"))

    # --- calling -----------------------------------------------------------------------

    def call_next(self, window: int, clerk: str = "") -> Ticket | None:
        """Call the next ticket this window may serve, or None when nobody waits for it."""
        conn = self.store.conn
        self.hash_key()  # for the answer's follow token, built after the commit: refused before writing
        now = self.clock()
        day = now.date().isoformat()
        with self._tx() as tx:
            w = conn.execute(_CALLING_WINDOW, (window,)).fetchone()
            if w is None:
                raise NotFound(f"没有{window}号窗口")
            active, paused, window_clerk, categories, normal_streak, current_status, current_number, config_rev = w
            s = self._settings_at(config_rev)
            clerk = clerk or window_clerk
            if not active:
                raise InvalidAction(f"{window}号窗口已停用，不能叫号；请到启用的窗口签到")
            if paused:
                raise InvalidAction(f"{window}号窗口已暂停，请先恢复服务")
            if current_status in _ACTIVE:
                raise InvalidAction(f"{window}号窗口正在办理{current_number}号，请先办结、过号或转移")
            cats = json.loads(categories) if categories != _NO_CHOICES else ()
            # the best priority ticket and the oldest normal one, in one statement
            best_priority = best_normal = None
            for found in conn.execute(_candidates_sql(len(cats)), (day, window, *cats) * 2).fetchall():
                if found[_PRANK] < 2:
                    best_priority = found
                else:
                    best_normal = found
            take_priority = call_priority_next(s.priority_policy, s.priority_ratio, normal_streak,
                                               best_priority is not None, best_normal is not None)
            chosen = best_priority if take_priority else best_normal
            if chosen is None:
                return None
            stamp = ts(now)
            ticket_id = chosen[T_ID]
            updated = conn.execute(
                "UPDATE tickets SET status = 'called', window = ?1, clerk = ?2, called_at = ?3,"
                " first_called_at = coalesce(first_called_at, ?3) WHERE id = ?4 AND status = 'waiting'",
                (window, clerk, stamp, ticket_id),
            ).rowcount
            if updated != 1:  # cannot happen under the write lock; refuse rather than double-serve
                raise InvalidAction("该号码已被其他窗口叫走，请重试")
            conn.execute("UPDATE windows SET current_ticket = ?, normal_streak = ?, clerk = ? WHERE number = ?",
                         (ticket_id, 0 if take_priority else normal_streak + 1, clerk, window))
            self._event("TicketCalled", ticket_id=ticket_id, ticket_number=chosen[T_NUMBER], window=window,
                        clerk=clerk, at=now, recall=False)
            # the row as the UPDATE left it, built after the commit while the log is written
            called = list(chosen)
            called[T_STATUS], called[T_WINDOW], called[T_CLERK], called[T_CALLED_AT] = "called", window, clerk, stamp
            tx.answer = lambda: ticket_from_values(called, self.follow_token("t", ticket_id))  # type: ignore[attr-defined]
        return tx.made  # type: ignore[no-any-return]

    def recall(self, ticket_id: int, window: int, clerk: str = "") -> Call:
        """Announce the same ticket again; counted and marked as a recall."""
        now = self.clock()
        with self._tx():
            t = self._ticket_row(ticket_id)
            if t["status"] != TicketStatus.CALLED.value or t["window"] != window:
                raise InvalidAction(f"{t['number']}号不在{window}号窗口的呼叫中，不能重呼")
            self.store.conn.execute("UPDATE tickets SET recalls = recalls + 1 WHERE id = ?", (ticket_id,))
            self._event("TicketRecalled", ticket_id=ticket_id, ticket_number=t["number"], window=window,
                        clerk=clerk or t["clerk"], at=now, recall=True, recalls=t["recalls"] + 1)
        return Call(ticket_number=t["number"], window=window, recall=True, at=now, category=t["category"])

    def skip(self, ticket_id: int, window: int, clerk: str = "") -> Ticket:
        """过号: the citizen did not come. Kept for a call-back until skipped too often, then abandoned."""
        s = self.settings()
        with self._tx():
            t = self._ticket_row(ticket_id)
            if t["status"] != TicketStatus.CALLED.value or t["window"] != window:
                raise InvalidAction(f"{t['number']}号不在{window}号窗口的呼叫中，不能过号")
            if self._served_at(ticket_id):
                raise InvalidAction(f"{t['number']}号已在窗口受理、告知或补交材料，申请人来过，不能过号；请按办结")
            skips = t["skips"] + 1
            status = TicketStatus.ABANDONED if skips > s.max_skips else TicketStatus.SKIPPED
            self.store.conn.execute("UPDATE tickets SET status = ?, skips = ? WHERE id = ?",
                                    (status.value, skips, ticket_id))
            self._free_window(window)
            self._touch_day(t["day"])
            self._event("TicketAbandoned" if status is TicketStatus.ABANDONED else "TicketSkipped",
                        ticket_id=ticket_id, ticket_number=t["number"], window=window, clerk=clerk or t["clerk"],
                        skips=skips)
        return self.get_ticket(ticket_id)

    def call_back(self, ticket_id: int, window: int, clerk: str = "") -> Ticket:
        """Call a skipped ticket again when its holder turns up."""
        now = self.clock()
        with self._tx():
            t = self._ticket_row(ticket_id)
            w = self._window_row(window)
            if t["status"] != TicketStatus.SKIPPED.value:
                raise InvalidAction(f"{t['number']}号不是过号状态，不能过号重呼")
            if w["current_ticket"] is not None and self._is_active(w["current_ticket"]):
                raise InvalidAction(f"{window}号窗口正在办理其他号码，请先办结")
            cats = json.loads(w["categories"])
            routed = t["target_window"] == window if t["target_window"] is not None else (
                not cats or t["category"] in cats)
            if not routed:
                raise InvalidAction(f"{t['number']}号（{t['category_name'] or t['category']}）不由{window}号窗口办理，"
                                    "请引导申请人到办理该业务的窗口过号重呼")
            clerk = clerk or w["clerk"]
            self.store.conn.execute(
                "UPDATE tickets SET status = 'called', window = ?, clerk = ?, called_at = ? WHERE id = ?",
                (window, clerk, ts(now), ticket_id),
            )
            self.store.conn.execute("UPDATE windows SET current_ticket = ? WHERE number = ?", (ticket_id, window))
            self._touch_day(t["day"])
            self._event("TicketCalled", ticket_id=ticket_id, ticket_number=t["number"], window=window, clerk=clerk,
                        at=now, recall=True, call_back=True)
        return self.get_ticket(ticket_id)

    def start_service(self, ticket_id: int, window: int, clerk: str = "") -> Ticket:
        """The citizen reached the window: walking time ends, service time begins."""
        now = self.clock()
        with self._tx():
            t = self._ticket_row(ticket_id)
            if t["status"] != TicketStatus.CALLED.value or t["window"] != window:
                raise InvalidAction(f"{t['number']}号未被呼叫到{window}号窗口")
            self.store.conn.execute("UPDATE tickets SET status = 'serving', started_at = ? WHERE id = ?",
                                    (ts(now), ticket_id))
            self._touch_day(t["day"])
            self._event("ServiceStarted", ticket_id=ticket_id, ticket_number=t["number"], window=window,
                        clerk=clerk or t["clerk"], at=now)
        return self.get_ticket(ticket_id)

    def finish(self, ticket_id: int, window: int, clerk: str = "", reason: str = "") -> Ticket:
        """Service done; feeds the recent service time behind every wait estimate.

        `reason` says why a ticket ends with nothing accepted or refused (a key of
        FINISH_REASONS: 未到场, 仅咨询, ...); it travels on the TicketFinished event so the
        evaluator does not ask a citizen who never came for a rating.
        """
        if reason and reason not in FINISH_REASONS:
            raise ValidationError([f"办结原因应为{'、'.join(FINISH_REASONS.values())}之一"], "办结")
        conn = self.store.conn
        self.hash_key()  # for the answer's follow token, built after the commit: refused before writing
        now = self.clock()
        stamp = ts(now)
        with self._tx() as tx:
            if reason == NO_SHOW and self._served_at(ticket_id):
                number = self._ticket_row(ticket_id)["number"]
                raise InvalidAction(f"{number}号已在窗口受理、告知或补交材料，申请人来过，不能按“未到场”办结")
            # the ticket if it is being called or served at this window: the check and the
            # answer's columns in one read, then a plain UPDATE (RETURNING keeps its rows in a
            # table of its own first, which cost more than the read)
            t = conn.execute(_TICKET_AT_WINDOW, (ticket_id, window)).fetchone()
            if t is None:
                number = self._ticket_row(ticket_id)["number"]  # NotFound when there is no such ticket
                raise InvalidAction(f"{number}号不在{window}号窗口办理中，不能办结")
            started_at = t[T_STARTED_AT] or t[T_CALLED_AT] or stamp
            conn.execute("UPDATE tickets SET status = 'done', started_at = ?, finished_at = ?, finish_reason = ?"
                         " WHERE id = ?", (started_at, stamp, reason, ticket_id))
            service_s = max(0.0, (now - parse_ts(started_at)).total_seconds())  # type: ignore[operator]
            day, category = t[T_DAY], t[T_CATEGORY]
            if reason != NO_SHOW and day == now.date().isoformat():
                # a no-show was not served, and a ticket left at a window overnight would make
                # every wait estimate of its category count the night as service
                self._learn_service(category, service_s)
            # The window keeps the finished ticket as the one it called last: every reader takes a
            # window's ticket as current only while it is called or served (calling, current_ticket,
            # queue_status, pausing, signing out, disabling the window), so clearing it was one
            # more page logged and synced with every finish, for nothing.
            self._touch_day(day)
            self._event("TicketFinished", ticket_id=ticket_id, ticket_number=t[T_NUMBER], window=window,
                        clerk=clerk or t[T_CLERK], at=now, service_s=round(service_s, 1), reason=reason)
            # the row as the UPDATE left it, built after the commit while the log is written
            done = list(t)
            done[T_STATUS], done[T_STARTED_AT], done[T_FINISHED_AT], done[T_FINISH_REASON] = "done", started_at, stamp, reason
            tx.answer = lambda: ticket_from_values(done, self.follow_token("t", ticket_id))  # type: ignore[attr-defined]
        return tx.made  # type: ignore[no-any-return]

    def transfer(self, ticket_id: int, *, to_category: str = "", to_window: int | None = None,
                 window: int | None = None, clerk: str = "") -> Ticket:
        """Send a ticket to another category or window; it keeps its original arrival time."""
        conn = self.store.conn
        if not to_category and to_window is None:
            raise InvalidAction("请选择转移到的分类或窗口")
        with self._tx():
            t = self._ticket_row(ticket_id)
            if t["status"] not in (*_ACTIVE, TicketStatus.WAITING.value, TicketStatus.SKIPPED.value):
                raise InvalidAction(f"{t['number']}号已结束，不能转移")
            category = to_category or t["category"]
            if conn.execute("SELECT 1 FROM categories WHERE prefix = ?", (category,)).fetchone() is None:
                raise NotFound(f"没有前缀为“{category}”的分类")
            if to_window is None and category != t["category"] and conn.execute(
                    f"SELECT 1 FROM windows WHERE active = 1 AND {serves('?')}", (category,)).fetchone() is None:
                raise InvalidAction("转入的分类暂无窗口办理，转过去将无人叫号；请转到有窗口办理的分类")
            if to_window is not None:
                target = self._window_row(to_window)
                cats = json.loads(target["categories"])
                if cats and category not in cats:
                    raise InvalidAction(f"{to_window}号窗口不办理该分类的业务")
                if not target["active"] or not target["clerk"]:
                    # pinned to a window nobody calls from, the citizen would wait there for ever
                    raise InvalidAction(f"{to_window}号窗口{'已停用' if not target['active'] else '现在无人登录'}，"
                                        "转过去将无人叫号；请转到有人办理的窗口，或只转分类")
            leg_s = None
            if t["window"] is not None and t["status"] in _ACTIVE:
                self._free_window(t["window"])
                now = self.clock()
                started = t["started_at"] or t["called_at"]
                # the stint at this window ends here; the ticket keeps only its next one
                conn.execute("INSERT INTO service_legs (day, ticket_id, category, window, clerk, started_at, ended_at)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (t["day"], ticket_id, t["category"], t["window"], t["clerk"] or "", started, ts(now)))
                leg_s = round(max(0.0, (now - parse_ts(started)).total_seconds()), 1)  # type: ignore[operator]
                if t["day"] == now.date().isoformat():
                    # the window was busy with it that long: its category's wait estimates count it
                    self._learn_service(t["category"], leg_s)
            self._touch_day(t["day"])
            conn.execute(
                "UPDATE tickets SET status = 'waiting', category = ?, target_window = ?, window = NULL,"
                " called_at = NULL, started_at = NULL WHERE id = ?",
                (category, to_window, ticket_id),
            )
            self._event("TicketTransferred", ticket_id=ticket_id, ticket_number=t["number"], window=window,
                        clerk=clerk, from_category=t["category"], to_category=category, to_window=to_window,
                        service_s=leg_s)
        return self.get_ticket(ticket_id)

    def _learn_service(self, category: str, seconds: float) -> None:
        """Fold one stint at a window into its category's running average service time, which
        the wait estimates on tickets and the display use."""
        self.store.conn.execute(
            "INSERT INTO service_stats (category, avg_service_s, samples) VALUES (?, ?, 1)"
            " ON CONFLICT(category) DO UPDATE SET samples = samples + 1,"
            " avg_service_s = avg_service_s + (excluded.avg_service_s - avg_service_s) / min(samples + 1, ?)",
            (category, seconds, SERVICE_AVERAGE_WINDOW),
        )

    # --- windows ------------------------------------------------------------------------

    def pause_window(self, window: int, clerk: str = "", reason: str = "") -> None:
        with self._tx():
            w = self._window_row(window)
            if w["current_ticket"] is not None and self._is_active(w["current_ticket"]):
                raise InvalidAction(f"{window}号窗口仍有正在办理的号码，请先办结后再暂停")
            self.store.conn.execute("UPDATE windows SET paused = 1 WHERE number = ?", (window,))
            self._event("WindowPaused", window=window, clerk=clerk or w["clerk"], reason=reason)

    def resume_window(self, window: int, clerk: str = "") -> None:
        with self._tx():
            w = self._window_row(window)
            self.store.conn.execute("UPDATE windows SET paused = 0 WHERE number = ?", (window,))
            self._event("WindowResumed", window=window, clerk=clerk or w["clerk"])

    def current_ticket(self, window: int) -> Ticket | None:
        with self.store.read():
            w = self._window_row(window)
            if w["current_ticket"] is None or not self._is_active(w["current_ticket"]):
                return None
            return self.get_ticket(w["current_ticket"])

    def _free_window(self, window: int) -> None:
        self.store.conn.execute("UPDATE windows SET current_ticket = NULL WHERE number = ?", (window,))

    def _touch_day(self, day: str) -> None:
        """A ticket of a day already closed changed (left at a window overnight and finished in
        the morning, a 23:59 call answered after midnight): that day's summary is rebuilt."""
        if day < self.today().isoformat():
            self.reopen_day(day)  # type: ignore[attr-defined]

    def _served_at(self, ticket_id: int) -> bool:
        """Whether something was recorded for a citizen at this ticket (an acceptance, a one-time
        notice, a 容缺 item handed in): the citizen came, whatever the desk remembers."""
        return self.store.conn.execute("SELECT 1 FROM application_tickets WHERE ticket_id = ? LIMIT 1",
                                       (ticket_id,)).fetchone() is not None

    def _is_active(self, ticket_id: int) -> bool:
        row = self.store.conn.execute("SELECT status FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        return bool(row and row[0] in _ACTIVE)

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        cur = self.store.conn.execute(sql, params)
        rows = cur.fetchall()  # to the end: a statement left half-read would hold its read open
        return dict(zip([c[0] for c in cur.description], rows[0], strict=True)) if rows else None

    def _window_row(self, window: int) -> dict[str, Any]:
        row = self._one("SELECT * FROM windows WHERE number = ?", (window,))
        if row is None:
            raise NotFound(f"没有{window}号窗口")
        return row

    def _ticket_row(self, ticket_id: int) -> dict[str, Any]:
        """The stored ticket with its category and matter names, in one read."""
        row = self._one("SELECT t.*, c.name AS category_name, m.name AS matter_name FROM tickets t"
                        " LEFT JOIN categories c ON c.prefix = t.category LEFT JOIN matters m ON m.code = t.matter_code"
                        " WHERE t.id = ?", (ticket_id,))
        if row is None:
            raise NotFound(f"没有编号为{ticket_id}的号票")
        return row

    # --- looking -------------------------------------------------------------------------

    def get_ticket(self, ticket_id: int) -> Ticket:
        with self.store.read():
            row = self.store.conn.execute(_TICKET_BY_ID, (ticket_id,)).fetchone()
            if row is None:
                raise NotFound(f"没有编号为{ticket_id}的号票")
            return ticket_from_values(row, self.follow_token("t", ticket_id))  # type: ignore[attr-defined]

    def find_ticket(self, ref: str) -> Ticket | None:
        """A ticket by the reference on its paper (20261125-A001), or by number today (A001)."""
        ref = ref.strip().upper()
        if "-" in ref:
            day_s, number = ref.split("-", 1)
            try:
                day = dt.datetime.strptime(day_s, "%Y%m%d").date()
            except ValueError:
                return None
        else:
            day, number = self.today(), ref
        with self.store.read() as db:
            row = next(db.query("SELECT id FROM tickets WHERE day = ? AND number = ?", [day.isoformat(), number]), None)
        return self.get_ticket(row["id"]) if row else None

    def ticket_position(self, ticket_id: int) -> tuple[int, int]:
        """(people ahead now, estimated minutes) for a waiting ticket; (0, 0) otherwise."""
        with self.store.read():
            t = self._ticket_row(ticket_id)
            if t["status"] != TicketStatus.WAITING.value:
                return 0, 0
            ahead = self.store.conn.execute(
                "SELECT count(*) FROM tickets WHERE day = ? AND status = 'waiting' AND category = ?"
                " AND (prank < ? OR (prank = ? AND (arrival_at < ? OR (arrival_at = ? AND id < ?))))",
                (t["day"], t["category"], t["prank"], t["prank"], t["arrival_at"], t["arrival_at"], ticket_id),
            ).fetchone()[0]
            minutes = self.store.conn.execute(
                "SELECT default_service_minutes FROM categories WHERE prefix = ?", (t["category"],)
            ).fetchone()[0]
            return ahead, self._estimate(t["category"], ahead, minutes)

    def tickets(self, day: dt.date | None = None, status: TicketStatus | str | None = None,
                window: int | None = None, print_state: PrintState | str | None = None) -> list[Ticket]:
        """Tickets of a day, optionally by status, window or print state, in queue order."""
        clause, params = where(("day = ?", (day or self.today()).isoformat()),
                               ("status = ?", TicketStatus(status).value if status else None),
                               ("window = ?", window),
                               ("print_state = ?", PrintState(print_state).value if print_state else None))
        with self.store.read() as db:
            ids = [r["id"] for r in db.query(f"SELECT id FROM tickets{clause} ORDER BY prank, arrival_at, id", params)]
            return [self.get_ticket(i) for i in ids]

    def queue_status(self) -> QueueStatus:
        day = self.today().isoformat()
        with self.store.read() as db:
            waiting = {r["category"]: r["n"] for r in db.rows(
                "SELECT category, count(*) AS n FROM tickets WHERE day = ? AND status = 'waiting' GROUP BY category",
                [day])}
            issued = {prefix: int(last[1:]) for prefix, last in db.conn.execute(_ISSUED, [day]) if last}
            windows = tuple(
                WindowState(number=r["number"], name=r["name"], paused=bool(r["paused"]), clerk=r["clerk"],
                            current=r["current"] or "")
                for r in db.rows(
                    # a ticket left at a window overnight is the desk's to end, not the board's to
                    # show: a number from yesterday would send this morning's citizens to that window
                    "SELECT w.number, w.name, w.paused, w.clerk, (SELECT number FROM tickets t WHERE t.id ="
                    " w.current_ticket AND t.status IN ('called', 'serving') AND t.day = ?) AS current"
                    " FROM windows w WHERE w.active = 1 ORDER BY w.number", [day])
            )
            skipped = tuple(r[0] for r in db.conn.execute(
                "SELECT number FROM tickets WHERE day = ? AND status = 'skipped' ORDER BY called_at DESC LIMIT 30",
                [day]))
        return QueueStatus(waiting=waiting, issued=issued, windows=windows, skipped=skipped)

    def recent_calls(self, limit: int = 8) -> list[Call]:
        """The latest announcements, newest first, for the hall display: a call stands while its
        ticket is still at that window (called, served or finished there); one skipped, given up
        or transferred since would send a citizen reading the display to the wrong window."""
        day = self.today().isoformat()
        with self.store.read() as db:
            rows = list(db.query(
                "SELECT e.at, e.kind, e.window, e.data, t.category FROM events e JOIN tickets t ON t.id = e.ticket_id"
                " WHERE e.kind IN ('TicketCalled', 'TicketRecalled') AND e.at >= ?"
                " AND t.window = e.window AND t.status IN ('called', 'serving', 'done') ORDER BY e.id DESC LIMIT ?",
                [day, limit]))
        calls = []
        for r in rows:
            data = json.loads(r["data"])
            calls.append(Call(  # a 过号 call-back is a TicketCalled marked as a recall: shown as one
                ticket_number=data.get("number", ""), window=r["window"],
                recall=r["kind"] == "TicketRecalled" or bool(data.get("recall")),
                at=parse_ts(r["at"]), category=r["category"]))  # type: ignore[arg-type]
        return calls
