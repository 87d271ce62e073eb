"""Acceptance at the window (受理): material check, 容缺 with pending items, one-time notices.

An application (办件) is linked to the tickets that led to it and to the citizen through a
keyed hash of the ID number, never the number itself, so visits can be counted across days.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from kiosk import idnumber
from kiosk.acceptance_rules import (
    complete_checks,
    split_problems,
    unexplained_defects,
    verdict_message,
    what_to_bring,
)
from kiosk.errors import AlreadyAccepted, InvalidAction, NotFound, ValidationError
from kiosk.hall_calendar import CalendarService
from kiosk.hall_catalog import CatalogService
from kiosk.models import (
    Application,
    ApplicationState,
    Assessment,
    MaterialCheck,
    MaterialStatus,
    Notice,
    NoticeItem,
    PendingItem,
    PendingStatus,
)
from kiosk.records import parse_ts, ts, where

T = TypeVar("T")
PREVIEW_NUMBER = "（确认后生成）"  # a previewed paper's number: the real one is taken when it is recorded
SUPPLY_WAYS = {"on_site": "现场补交", "post": "邮寄补交", "online": "网上补交"}
UNDERTAKING = (
    "本人承诺：所缺材料将在上述期限内补齐，所提交材料真实有效。逾期未补齐的，同意终止本次办理，"
    "由此产生的后果由本人承担。"
)


MAX_NAME = 100  # a foreigner's name on a permanent residence card runs to 60 characters
MAX_REASON = 200  # why a material is missing or defective, printed on the notice


def _text_problems(name: str, checks: tuple[MaterialCheck, ...]) -> list[str]:
    """What a decision's free text may not be: an empty or unprintable name, a name or a reason
    too long for the receipt and the notice (a 5,000-character name printed nine pages)."""
    problems = []
    if not name.strip():
        problems.append("请填写申请人姓名")
    elif len(name.strip()) > MAX_NAME or not name.isprintable():
        problems.append(f"申请人姓名应为不超过{MAX_NAME}个可见字符")
    long = [c.name for c in checks if len(c.reason) > MAX_REASON]
    if long:
        problems.append(f"“{'、'.join(long)}”的说明过长（最多{MAX_REASON}个字）")
    return problems


class AcceptanceService(CalendarService, CatalogService):
    # --- deciding ------------------------------------------------------------------

    def assess(self, matter_code: str, answers: tuple[str, ...], checks: tuple[MaterialCheck, ...],
               applicant_id: str = "") -> Assessment:
        """What the rules make of this check; stores nothing."""
        matter = self.get_matter(matter_code)
        full = complete_checks(self.checklist(matter_code, tuple(answers)), tuple(checks))
        excluded = self._excluded(applicant_id)
        blocking, pendable = split_problems(full, excluded)
        outcome = "refuse" if blocking else "accept_pending" if pendable else "accept"
        deadline = None
        provisional = False
        if outcome == "accept_pending":
            d = self.deadline(self.today(), matter.rongque_days or matter.promised_days)
            deadline, provisional = d.date, d.provisional
        message = verdict_message(blocking, pendable, excluded)
        unexplained = unexplained_defects(full)
        if unexplained:
            message += "。" + "；".join(unexplained)
        return Assessment(outcome=outcome, message=message, unexplained=tuple(unexplained),
                          blocking=blocking, pending=pendable, deadline=deadline,
                          deadline_provisional=provisional, excluded=excluded)

    def _excluded(self, applicant_id: str) -> bool:
        if not applicant_id or not idnumber.is_valid(applicant_id):
            return False
        return idnumber.keyed_hash(applicant_id, self.hash_key()) in self.settings().rongque_excluded

    def set_rongque_exclusions(self, id_numbers: list[str]) -> int:
        """The hall's bad-credit list for 容缺; stored only as keyed hashes."""
        hashes = []
        problems = []
        for i, n in enumerate(id_numbers, start=1):
            try:
                hashes.append(idnumber.keyed_hash(idnumber.validate(n), self.hash_key()))
            except idnumber.InvalidIdNumber as exc:
                problems.append(f"第{i}个：{exc}")
        if problems:
            raise ValidationError(problems, "容缺排除名单")
        self.update_settings(rongque_excluded=tuple(sorted(set(hashes))))  # type: ignore[attr-defined]
        return len(hashes)

    # --- accepting -----------------------------------------------------------------

    def accept(self, *, matter_code: str, answers: tuple[str, ...] = (), checks: tuple[MaterialCheck, ...] = (),
               applicant_name: str, applicant_id: str, phone: str = "", delivery: str = "pickup",
               ticket_id: int | None = None, window: int | None = None, clerk: str = "",
               pending_days: int | None = None, undertaking_signed: bool = False, another: bool = False
               ) -> Application:
        """Accept, or accept with pending items (容缺) when only 容缺-able secondary materials are short.
        `another`: the clerk confirmed a second application of the same matter for the same person
        at this ticket (else refused as AlreadyAccepted, the retry of a lost answer)."""
        matter = self.get_matter(matter_code)
        applicant_id = self._applicant(applicant_name, applicant_id, phone, delivery, tuple(checks))
        a = self.assess(matter_code, answers, checks, applicant_id)
        if a.unexplained:
            raise ValidationError(list(a.unexplained), "材料核验")
        if a.outcome == "refuse":
            keys = [c.name for c in a.blocking if c.key]
            if keys:
                raise InvalidAction(f"主要材料“{'、'.join(keys)}”缺失或有误，主要材料不允许容缺，请出具一次性告知书")
            raise InvalidAction(a.message)
        days = matter.rongque_days or matter.promised_days
        if a.pending:
            if not undertaking_signed:
                raise InvalidAction("容缺受理须申请人签署承诺书后方可受理")
            if pending_days is not None:
                if not 1 <= pending_days <= matter.promised_days:
                    raise ValidationError([f"补齐期限应为1到{matter.promised_days}个工作日（不超过承诺时限）"])
                days = pending_days
        now = self.clock()
        today = now.date()
        promised = self.deadline(today, matter.promised_days)
        full = complete_checks(self.checklist(matter_code, tuple(answers)), tuple(checks))
        state = ApplicationState.PENDING if a.pending else ApplicationState.ACCEPTED
        with self._tx():
            number = self._next_application_number(now)
            id_hash = idnumber.keyed_hash(applicant_id, self.hash_key())
            if ticket_id is not None and not another:
                self._not_accepted_yet(ticket_id, matter_code, id_hash, matter.name)
            visits, prior = self._visits_for(id_hash, matter_code, ticket_id, today)
            self._insert_application(number, matter_code, state, applicant_name, applicant_id, id_hash, phone,
                                     answers, now, window, clerk, delivery, visits, prior,
                                     promised_date=promised.date, promised_provisional=promised.provisional,
                                     accepted=True, undertaking=UNDERTAKING if a.pending else "")
            self._insert_materials(number, full)
            if ticket_id is not None:
                self._link_ticket(number, ticket_id)
            pending_deadline = self.deadline(today, days)
            for c in a.pending:
                self.store.conn.execute(
                    "INSERT INTO pending_items (application_number, material_id, name, day, days, deadline,"
                    " provisional, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'open')",
                    (number, c.material_id, c.name, today.isoformat(), days, pending_deadline.date.isoformat(),
                     int(pending_deadline.provisional)),
                )
            self._event("ApplicationAccepted", window=window, clerk=clerk, ticket_id=ticket_id, number=number,
                        matter=matter_code, rongque=bool(a.pending), visits=visits)
        return self.get_application(number)

    def refuse_with_notice(self, *, matter_code: str, answers: tuple[str, ...] = (),
                           checks: tuple[MaterialCheck, ...] = (), applicant_name: str, applicant_id: str = "",
                           phone: str = "", ticket_id: int | None = None, window: int | None = None,
                           clerk: str = "") -> Notice:
        """一次性告知: one written, dated notice listing every missing or defective item."""
        matter = self.get_matter(matter_code)
        if problems := _text_problems(applicant_name, tuple(checks)):
            raise ValidationError(problems)
        if applicant_id:
            applicant_id = idnumber.validate(applicant_id)
        a = self.assess(matter_code, answers, checks, applicant_id)
        if a.unexplained:
            raise ValidationError(list(a.unexplained), "材料核验")
        problems = a.blocking + a.pending
        if not problems:
            raise InvalidAction("材料齐全，应当受理，不能出具一次性告知书")
        notes = {m.id: m.notes for m in matter.materials}
        items = tuple(
            NoticeItem(name=c.name, problem=c.status.value, reason=c.reason or ("未提供" if c.status is
                       MaterialStatus.MISSING else "不符合要求"), what_to_bring=what_to_bring(c, notes.get(c.material_id, "")))
            for c in problems
        )
        now = self.clock()
        today = now.date()
        full = complete_checks(self.checklist(matter_code, tuple(answers)), tuple(checks))
        with self._tx():
            number = self._next_application_number(now)
            id_hash = idnumber.keyed_hash(applicant_id, self.hash_key()) if applicant_id else ""
            visits, prior = self._visits_for(id_hash, matter_code, ticket_id, today)
            notice_number = f"GZ{number}"
            self._insert_application(number, matter_code, ApplicationState.NOT_ACCEPTED, applicant_name, applicant_id,
                                     id_hash, phone, answers, now, window, clerk, "pickup", visits, prior,
                                     notice_number=notice_number)
            self._insert_materials(number, full)
            if ticket_id is not None:
                self._link_ticket(number, ticket_id)
            self.store.conn.execute(
                "INSERT INTO notices (number, application_number, matter_code, applicant_name, applicant_id_masked,"
                " applicant_id_hash, issued_at, day, clerk, window, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (notice_number, number, matter_code, applicant_name.strip(),
                 idnumber.mask_id(applicant_id) if applicant_id else "", id_hash, ts(now), today.isoformat(), clerk,
                 window, json.dumps([i.__dict__ for i in items], ensure_ascii=False)),
            )
            self._event("NoticeGiven", window=window, clerk=clerk, ticket_id=ticket_id, number=notice_number,
                        application=number, matter=matter_code, items=len(items))
        return self.get_notice(notice_number)

    # --- previewing ---------------------------------------------------------------------

    def preview_accept(self, *, matter_code: str, answers: tuple[str, ...] = (),
                       checks: tuple[MaterialCheck, ...] = (), applicant_name: str, applicant_id: str,
                       phone: str = "", delivery: str = "pickup", ticket_id: int | None = None,
                       window: int | None = None, clerk: str = "", pending_days: int | None = None,
                       undertaking_signed: bool = False, another: bool = False) -> Application:
        """The application `accept` would record, with every check it makes, recorded nowhere.

        The clerk's confirmation shows the receipt printed from this, so what the citizen is
        shown is what the hall stores; its number is a placeholder until the real one is taken.
        """
        def run() -> Application:
            return self.accept(matter_code=matter_code, answers=answers, checks=checks,
                               applicant_name=applicant_name, applicant_id=applicant_id, phone=phone,
                               delivery=delivery, ticket_id=ticket_id, window=window, clerk=clerk,
                               pending_days=pending_days, undertaking_signed=undertaking_signed, another=another)
        app = self._dry_run(run)
        return replace(app, number=PREVIEW_NUMBER, follow_token="")

    def preview_notice(self, *, matter_code: str, answers: tuple[str, ...] = (),
                       checks: tuple[MaterialCheck, ...] = (), applicant_name: str, applicant_id: str = "",
                       phone: str = "", ticket_id: int | None = None, window: int | None = None,
                       clerk: str = "") -> Notice:
        """The one-time notice `refuse_with_notice` would record, recorded nowhere (see preview_accept)."""
        def run() -> Notice:
            return self.refuse_with_notice(matter_code=matter_code, answers=answers, checks=checks,
                                           applicant_name=applicant_name, applicant_id=applicant_id, phone=phone,
                                           ticket_id=ticket_id, window=window, clerk=clerk)
        notice = self._dry_run(run)
        return replace(notice, number=PREVIEW_NUMBER, application_number="")

    def _dry_run(self, action: Callable[[], T]) -> T:
        """Run a change and undo it: nothing stored, no event told. Inside a caller's transaction
        (the hall server answers a request in one) only this change is undone, to a savepoint."""
        with self.store.lock:
            conn = self.store.conn
            queued = list(self._pending)
            if not conn.in_transaction:
                try:
                    with self._tx():
                        raise _RolledBack(action())
                except _RolledBack as done:
                    return done.result  # type: ignore[no-any-return]
            conn.execute("SAVEPOINT dry_run")
            try:
                return action()
            finally:
                conn.execute("ROLLBACK TO dry_run")
                conn.execute("RELEASE dry_run")
                self._pending = queued

    def _applicant(self, name: str, id_number: str, phone: str, delivery: str,
                   checks: tuple[MaterialCheck, ...] = ()) -> str:
        problems = _text_problems(name, checks)
        if delivery not in ("pickup", "post"):
            problems.append("结果送达方式应为窗口领取或邮寄")
        if phone and (wrong := idnumber.phone_problem(phone, "联系电话")):
            problems.append(wrong)
        if problems:
            raise ValidationError(problems)
        if not id_number:
            raise ValidationError(["受理须核验申请人身份证件号码"])
        return idnumber.validate(id_number)

    def _not_accepted_yet(self, ticket_id: int, matter_code: str, id_hash: str, matter_name: str) -> None:
        """Refuse a second acceptance of the same matter for the same person at the same ticket:
        what a desk does when the answer to its first was lost (the network, a restart) and the
        clerk presses 受理 again. Applications received before the ticket was taken (a 容缺
        material handed in at it) are not this visit's."""
        row = self.store.conn.execute(
            "SELECT a.number, t.number FROM application_tickets x JOIN applications a ON a.number = x.application_number"
            " JOIN tickets t ON t.id = x.ticket_id WHERE x.ticket_id = ? AND a.matter_code = ? AND a.applicant_id_hash = ?"
            " AND a.accepted_at IS NOT NULL AND a.received_at >= t.issued_at LIMIT 1",
            (ticket_id, matter_code, id_hash)).fetchone()
        if row is not None:
            raise AlreadyAccepted(f"{row[1]}号已为这位申请人受理了“{matter_name}”（办件编号 {row[0]}），不再重复受理；"
                                  "可在文书栏补打回执。确需再办一件同样的事项，请确认“再受理一件”")

    def _next_application_number(self, now: dt.datetime) -> str:
        """From the configured pattern; the daily sequence and the primary key keep it unique forever."""
        conn = self.store.conn
        pattern = self.settings().application_pattern
        day = now.date().isoformat()
        while True:
            seq = conn.execute(
                "INSERT INTO application_counters (day, last) VALUES (?, 1) ON CONFLICT(day) DO UPDATE"
                " SET last = last + 1 RETURNING last", (day,)).fetchone()[0]
            number = pattern.format(hall=self.settings().hall_code, date=now, seq=seq)
            if conn.execute("SELECT 1 FROM applications WHERE number = ?", (number,)).fetchone() is None:
                return number

    def _visits_for(self, id_hash: str, matter_code: str, ticket_id: int | None, today: dt.date
                    ) -> tuple[int, str]:
        """Visits so far for this person and matter, and the earlier application carried on.

        The spec counts "the first ticket, and each later ticket for the same matter until it is
        accepted": an earlier application refused with a notice or terminated carries its visits
        over, and so does every earlier ticket of the same person for the matter that was served
        and ended with no application at all (told at the window what was missing, or only
        consulted) — else a citizen sent home with a spoken list counted as done in one visit.
        The person is the applicant's ID number or, where the clerk typed none, the one the
        ticket was taken with."""
        conn = self.store.conn
        people = [h for h in {id_hash, self._holder_hash(ticket_id)} if h]
        if not people:
            return 1, ""
        marks = ", ".join("?" * len(people))
        prior = conn.execute(
            "SELECT number, visits, day, received_at FROM applications WHERE matter_code = ?"
            f" AND (applicant_id_hash IN ({marks}) OR number IN (SELECT x.application_number FROM application_tickets x"
            f" JOIN tickets t ON t.id = x.ticket_id WHERE t.holder_id_hash IN ({marks})))"
            " AND state IN ('not_accepted', 'terminated') AND superseded_by = '' ORDER BY received_at DESC LIMIT 1",
            (matter_code, *people, *people)).fetchone()
        last = conn.execute(
            f"SELECT max(received_at) FROM applications WHERE matter_code = ? AND applicant_id_hash IN ({marks})",
            (matter_code, *people)).fetchone()[0]
        since = max(last or "", prior[3] if prior else "")  # tickets before it were counted then
        served_before = conn.execute(
            f"SELECT count(*) FROM tickets t WHERE t.holder_id_hash IN ({marks}) AND t.matter_code = ?"
            " AND t.status = 'done' AND t.finish_reason != 'no_show' AND t.id != ? AND t.issued_at > ?"
            " AND NOT EXISTS (SELECT 1 FROM application_tickets x WHERE x.ticket_id = t.id)",
            (*people, matter_code, ticket_id or 0, since)).fetchone()[0]
        if prior is None:
            return 1 + served_before, ""
        number, visits, day, _ = prior
        same_ticket = ticket_id is not None and conn.execute(
            "SELECT 1 FROM application_tickets WHERE application_number = ? AND ticket_id = ?",
            (number, ticket_id)).fetchone() is not None
        new_visit = not same_ticket and (ticket_id is not None or day != today.isoformat())
        return visits + served_before + (1 if new_visit else 0), number

    def _holder_hash(self, ticket_id: int | None) -> str:
        if ticket_id is None:
            return ""
        row = self.store.conn.execute("SELECT holder_id_hash FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        return row[0] if row else ""

    def _insert_application(self, number: str, matter_code: str, state: ApplicationState, name: str, id_number: str,
                            id_hash: str, phone: str, answers: tuple[str, ...], now: dt.datetime,
                            window: int | None, clerk: str, delivery: str, visits: int, prior: str, *,
                            promised_date: dt.date | None = None, promised_provisional: bool = False,
                            accepted: bool = False, undertaking: str = "", notice_number: str = "") -> None:
        conn = self.store.conn
        conn.execute(
            "INSERT INTO applications (number, matter_code, state, applicant_name, applicant_id_masked,"
            " applicant_id_hash, phone, answers, received_at, accepted_at, day, promised_date, promised_provisional,"
            " clerk, window, delivery, notice_number, undertaking, prior_number, visits)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, matter_code, state.value, name.strip(), idnumber.mask_id(id_number) if id_number else "",
             id_hash, phone.strip(), json.dumps(list(answers), ensure_ascii=False), ts(now),
             ts(now) if accepted else None, now.date().isoformat(),
             promised_date.isoformat() if promised_date else None, int(promised_provisional), clerk, window,
             delivery, notice_number, undertaking, prior, visits),
        )
        if prior:
            conn.execute("UPDATE applications SET superseded_by = ? WHERE number = ?", (number, prior))
            prior_day = conn.execute("SELECT day FROM applications WHERE number = ?", (prior,)).fetchone()[0]
            self.reopen_day(prior_day)  # type: ignore[attr-defined]  # a terminated one no longer counts there
            for (tid,) in conn.execute("SELECT ticket_id FROM application_tickets WHERE application_number = ?",
                                       (prior,)).fetchall():
                self._link_ticket(number, tid)

    def _insert_materials(self, number: str, checks: tuple[MaterialCheck, ...]) -> None:
        self.store.conn.executemany(
            "INSERT INTO application_materials (application_number, material_id, name, status, reason, form, copies,"
            " key, rongque) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(number, c.material_id, c.name, c.status.value, c.reason, c.form, c.copies, int(c.key), int(c.rongque))
             for c in checks],
        )

    def _link_ticket(self, number: str, ticket_id: int) -> None:
        self.store.conn.execute("INSERT OR IGNORE INTO application_tickets (application_number, ticket_id)"
                                " VALUES (?, ?)", (number, ticket_id))

    # --- pending items -------------------------------------------------------------

    def pending_items(self, status: PendingStatus | str | None = None, application_number: str | None = None
                      ) -> list[PendingItem]:
        """Open, supplied or overdue items; overdue ones are brought up to date first."""
        self.check_overdue()
        clause, params = where(("status = ?", PendingStatus(status).value if status else None),
                               ("application_number = ?", application_number))
        with self.store.read() as db:
            return [_pending_from_row(r) for r in db.query(
                f"SELECT * FROM pending_items{clause} ORDER BY deadline, id", params)]

    def supply_pending(self, item_id: int, *, how: str = "on_site", by: str = "", on: dt.date | None = None,
                       ticket_id: int | None = None) -> PendingItem:
        """A pending material has arrived; when the last one does, the application is complete."""
        if how not in SUPPLY_WAYS:
            raise ValidationError([f"补交方式应为{'、'.join(SUPPLY_WAYS.values())}之一"])
        if len(by) > MAX_NAME or not by.isprintable():
            raise ValidationError([f"经办人应为不超过{MAX_NAME}个可见字符"])
        today = self.today()
        on = on or today
        if on > today:
            raise ValidationError([f"补交日期{on:%Y年%m月%d日}晚于今天"])
        self.check_overdue()  # a deadline that passed since the last sweep takes effect first
        with self._tx():
            conn = self.store.conn
            row = conn.execute("SELECT application_number, status, name, deadline FROM pending_items WHERE id = ?",
                               (item_id,)).fetchone()
            if row is None:
                raise NotFound(f"没有编号为{item_id}的待补材料")
            number, status, name, deadline = row
            app_state, app_day, superseded_by = conn.execute(
                "SELECT state, day, superseded_by FROM applications WHERE number = ?", (number,)).fetchone()
            if status == PendingStatus.SUPPLIED.value:
                raise InvalidAction(f"“{name}”已经补交")
            if on.isoformat() < app_day:  # a date before the application cannot be when it arrived
                raise ValidationError([f"补交日期{on:%Y年%m月%d日}早于办件受理日期{app_day}"])
            late = on > dt.date.fromisoformat(deadline)
            # A terminated application whose material arrived by its deadline (a letter posted
            # on time, registered the next morning after the midnight sweep) was never late: it
            # goes on, unless it was applied for again or another of its items was missed.
            if app_state == ApplicationState.TERMINATED.value and (late or superseded_by):
                raise InvalidAction(f"办件{number}已因逾期终止，请重新申请" if not superseded_by else
                                    f"办件{number}已因逾期终止，申请人已重新申请（办件{superseded_by}）")
            if late and self.settings().pending_overdue_policy == "terminate":
                # the date decides, not whether a sweep happened to run: a late supply never accepts
                raise InvalidAction(f"“{name}”的补齐期限为{deadline}，已逾期，办件应予终止，请重新申请")
            conn.execute("UPDATE pending_items SET status = 'supplied', supplied_on = ?, supplied_how = ?,"
                         " supplied_by = ? WHERE id = ?", (on.isoformat(), how, by.strip(), item_id))
            conn.execute("UPDATE application_materials SET status = 'received', reason = '' WHERE"
                         " application_number = ? AND material_id = (SELECT material_id FROM pending_items WHERE id = ?)",
                         (number, item_id))
            if how == "on_site" and ticket_id is not None:
                new_ticket = conn.execute(
                    "SELECT 1 FROM tickets t WHERE t.id = ? AND NOT EXISTS (SELECT 1 FROM application_tickets at"
                    " JOIN tickets t2 ON t2.id = at.ticket_id WHERE at.application_number = ? AND t2.id = t.id)",
                    (ticket_id, number)).fetchone()
                if new_ticket:
                    self._link_ticket(number, ticket_id)
                    conn.execute("UPDATE applications SET visits = visits + 1 WHERE number = ?", (number,))
                    self.reopen_day(app_day)  # type: ignore[attr-defined]
            left = dict(conn.execute("SELECT status, count(*) FROM pending_items WHERE application_number = ?"
                                     " AND status != 'supplied' GROUP BY status", (number,)).fetchall())
            remaining = sum(left.values())
            if app_state == ApplicationState.TERMINATED.value and left.get("overdue"):
                raise InvalidAction(f"办件{number}还有其他材料已逾期未补，已终止，请重新申请")
            state = "accepted" if remaining == 0 else "pending" if not left.get("overdue") else app_state
            if state != app_state:
                conn.execute("UPDATE applications SET state = ?, closed_at = NULL WHERE number = ?", (state, number))
                self.reopen_day(app_day)  # type: ignore[attr-defined]  # done in one visit now, or again
            self._event("PendingSupplied", number=number, item=item_id, how=how, by=by, complete=remaining == 0)
        return next(p for p in self.pending_items(application_number=number) if p.id == item_id)

    def check_overdue(self) -> list[str]:
        """Mark items past their deadline overdue; terminate their applications under the hall's policy."""
        today = self.today().isoformat()
        conn = self.store.conn
        with self.store.read():
            due = conn.execute("SELECT 1 FROM pending_items WHERE status = 'open' AND deadline < ? LIMIT 1",
                               (today,)).fetchone()
        if due is None:
            return []
        policy = self.settings().pending_overdue_policy
        changed: list[str] = []
        with self._tx():
            numbers = [r[0] for r in conn.execute(
                "SELECT DISTINCT application_number FROM pending_items WHERE status = 'open' AND deadline < ?",
                (today,)).fetchall()]
            conn.execute("UPDATE pending_items SET status = 'overdue' WHERE status = 'open' AND deadline < ?", (today,))
            for number in numbers:
                state = ApplicationState.TERMINATED if policy == "terminate" else ApplicationState.PENDING_OVERDUE
                conn.execute("UPDATE applications SET state = ?, closed_at = ? WHERE number = ? AND state IN"
                             " ('pending', 'pending_overdue')",
                             (state.value, ts(self.clock()) if state is ApplicationState.TERMINATED else None, number))
                app_day = conn.execute("SELECT day FROM applications WHERE number = ?", (number,)).fetchone()[0]
                self.reopen_day(app_day)  # type: ignore[attr-defined]  # no longer done in one visit
                self._event("ApplicationTerminated" if state is ApplicationState.TERMINATED else "PendingOverdue",
                            number=number, policy=policy)
                changed.append(number)
        return changed

    def complete_application(self, number: str, clerk: str = "") -> Application:
        with self._tx():
            row = self.store.conn.execute("SELECT state FROM applications WHERE number = ?", (number,)).fetchone()
            if row is None:
                raise NotFound(f"没有办件编号为{number}的办件")
            if row[0] != ApplicationState.ACCEPTED.value:
                raise InvalidAction(f"办件状态为“{ApplicationState(row[0]).label}”，不能办结")
            self.store.conn.execute("UPDATE applications SET state = 'completed', closed_at = ? WHERE number = ?",
                                    (ts(self.clock()), number))
            self._event("ApplicationCompleted", number=number, clerk=clerk)
        return self.get_application(number)

    # --- looking -------------------------------------------------------------------

    def get_application(self, number: str) -> Application:
        with self.store.read() as db:
            r = next(db.query(
                "SELECT a.*, m.name AS matter_name, m.department, m.fee FROM applications a"
                " JOIN matters m ON m.code = a.matter_code WHERE a.number = ?", [number]), None)
            if r is None:
                raise NotFound(f"没有办件编号为{number}的办件")
            materials = tuple(
                MaterialCheck(material_id=m["material_id"], name=m["name"], status=MaterialStatus(m["status"]),
                              reason=m["reason"], form=m["form"], copies=m["copies"], key=bool(m["key"]),
                              rongque=bool(m["rongque"]))
                for m in db.query("SELECT * FROM application_materials WHERE application_number = ?"
                                  " ORDER BY material_id", [number]))
            pending = tuple(_pending_from_row(p) for p in db.query(
                "SELECT * FROM pending_items WHERE application_number = ? ORDER BY id", [number]))
            tickets = tuple(t["ticket_id"] for t in db.query(
                "SELECT ticket_id FROM application_tickets WHERE application_number = ? ORDER BY ticket_id", [number]))
        return Application(
            number=r["number"], matter_code=r["matter_code"], matter_name=r["matter_name"],
            department=r["department"], state=ApplicationState(r["state"]),
            applicant_name=r["applicant_name"], applicant_id_masked=r["applicant_id_masked"],
            phone=r["phone"], received_at=parse_ts(r["received_at"]),  # type: ignore[arg-type]
            accepted_at=parse_ts(r["accepted_at"]),
            promised_date=dt.date.fromisoformat(r["promised_date"]) if r["promised_date"] else None,
            promised_provisional=bool(r["promised_provisional"]), clerk=r["clerk"],
            clerk_name=self.staff_name(r["clerk"]) if r["clerk"] else "",  # type: ignore[attr-defined]
            window=r["window"], fee=r["fee"], delivery=r["delivery"], materials=materials, pending=pending,
            ticket_ids=tickets, notice_number=r["notice_number"], visits=r["visits"], undertaking=r["undertaking"],
            follow_token=self.follow_token("a", r["number"]),  # type: ignore[attr-defined]
        )

    def application_progress(self, number: str) -> Application:
        """For the kiosk's progress look-up and the phone page: what a citizen needs to know of
        where their application stands, and nothing more, because anyone standing at the kiosk
        (or typing numbers into it) can read it: the name masked, no ID, phone, clerk, signed
        undertaking, materials or follow link."""
        app = self.get_application(number.strip())
        return replace(app, applicant_name=idnumber.mask_name(app.applicant_name), applicant_id_masked="",
                       phone="", clerk="", clerk_name="", materials=(), ticket_ids=(), undertaking="",
                       follow_token="")

    def applications(self, state: ApplicationState | str | None = None, day_from: dt.date | None = None,
                     day_to: dt.date | None = None, limit: int = 500) -> list[Application]:
        clause, params = where(("state = ?", ApplicationState(state).value if state else None),
                               ("day >= ?", day_from.isoformat() if day_from else None),
                               ("day <= ?", day_to.isoformat() if day_to else None))
        with self.store.read() as db:
            numbers = [r["number"] for r in db.query(
                f"SELECT number FROM applications{clause} ORDER BY received_at DESC LIMIT ?", [*params, limit])]
        return [self.get_application(n) for n in numbers]

    def applications_at(self, ticket_id: int) -> list[Application]:
        """The applications a ticket took part in, oldest first: accepted or refused at it, or whose
        容缺 items were handed in at it. The desk asks before 办结 when it remembers nothing of
        its own (restarted, or the decision made on another PC), so it never asks why a citizen
        who was served "did not come"."""
        with self.store.read() as db:
            numbers = [r[0] for r in db.conn.execute(
                "SELECT application_number FROM application_tickets WHERE ticket_id = ? ORDER BY application_number",
                (ticket_id,))]
        return [self.get_application(n) for n in numbers]

    def get_notice(self, number: str) -> Notice:
        """A stored one-time notice, for reprinting exactly as given."""
        with self.store.read() as db:
            r = next(db.query("SELECT n.*, m.name AS matter_name, m.department FROM notices n JOIN matters m"
                              " ON m.code = n.matter_code WHERE n.number = ?", [number]), None)
        if r is None:
            raise NotFound(f"没有编号为{number}的一次性告知书")
        return Notice(
            number=r["number"], matter_code=r["matter_code"], matter_name=r["matter_name"],
            department=r["department"], applicant_name=r["applicant_name"],
            applicant_id_masked=r["applicant_id_masked"], issued_at=parse_ts(r["issued_at"]),  # type: ignore[arg-type]
            clerk=r["clerk"], clerk_name=self.staff_name(r["clerk"]) if r["clerk"] else "",  # type: ignore[attr-defined]
            window=r["window"], items=tuple(NoticeItem(**i) for i in json.loads(r["items"])),
            application_number=r["application_number"],
        )


def _pending_from_row(r: dict[str, Any]) -> PendingItem:
    return PendingItem(
        id=r["id"], application_number=r["application_number"], material_id=r["material_id"], name=r["name"],
        deadline=dt.date.fromisoformat(r["deadline"]), provisional=bool(r["provisional"]),
        status=PendingStatus(r["status"]),
        supplied_on=dt.date.fromisoformat(r["supplied_on"]) if r["supplied_on"] else None,
        supplied_how=r["supplied_how"], supplied_by=r["supplied_by"],
    )


class _RolledBack(Exception):  # noqa: N818 - not an error: carries a dry run's result out of its transaction
    """Raised to undo a dry run's transaction while keeping what it produced."""

    def __init__(self, result: object) -> None:
        super().__init__("dry run")
        self.result = result
