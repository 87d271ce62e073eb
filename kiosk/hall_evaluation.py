"""好差评: five levels per served ticket; the two lowest open a bad review with working-day
deadlines for the callback and the rectification, and the citizen may rate once more after it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kiosk.csv_cells import csv_line
from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.hall_calendar import CalendarService
from kiosk.idnumber import mask_phone, phone_problem
from kiosk.models import BAD_REVIEW_REASONS, EVALUATION_LEVELS, NO_SHOW, BadReview, Evaluation
from kiosk.records import parse_ts, ts, where

BAD_LEVELS = (1, 2)
# 一次一评 on site: the citizen rates the service just finished, at the window. A rating given
# longer after the service's end is not an on-site rating (a script on an evaluator PC could
# otherwise back-fill a clerk's unrated services of any day with whatever it liked).
RATE_WITHIN = dt.timedelta(minutes=30)
EXPORT_HEADERS = ("评价渠道", "办件编号", "事项编码", "事项名称", "实施部门", "窗口", "工号", "工作人员", "评价等级",
                  "评价等级名称", "差评原因", "评价时间")


class EvaluationService(CalendarService):
    def evaluate(self, ticket_id: int, level: int, comment: str = "", reasons: tuple[str, ...] = (),
                 phone: str = "", given_seconds_ago: int = 0) -> Evaluation:
        """One rating per served ticket. A bad one (不满意, 非常不满意) carries its reasons and may
        leave a phone number for the callback the hall promises.

        `given_seconds_ago`: an evaluator that kept a rating while the server was away says how
        long ago the citizen gave it, so the rating counts on the day it was given and a bad
        one's callback deadline runs from then (a rating kept overnight would otherwise count
        the next day and promise the callback a day late). An age, not a time: the evaluator
        PC's clock may be off, its own measure of elapsed time is not. Never earlier than the
        service's end, never later than now; a day already summarised is summarised again."""
        if level not in EVALUATION_LEVELS:
            raise ValidationError(["评价等级应为1到5（非常不满意到非常满意）"])
        reasons = tuple(dict.fromkeys(reasons))
        if level in BAD_LEVELS and not reasons and comment.strip():
            reasons = ("其他",)  # a written complaint is a reason of its own
        problems = []
        if level in BAD_LEVELS and not reasons:
            problems.append(f"请选择不满意的原因（{'、'.join(BAD_REVIEW_REASONS)}，可多选）")
        if level not in BAD_LEVELS and (reasons or phone):
            problems.append("只有“不满意”或“非常不满意”的评价需要填写原因和回访电话")
        if any(r not in BAD_REVIEW_REASONS for r in reasons):
            problems.append(f"不满意的原因应为{'、'.join(BAD_REVIEW_REASONS)}之一")
        phone = phone.strip()
        if phone and (wrong := phone_problem(phone, "回访电话")):
            problems.append(wrong)
        if len(comment) > 500:
            problems.append("评价留言最多500字")
        if not isinstance(given_seconds_ago, int) or isinstance(given_seconds_ago, bool) or given_seconds_ago < 0:
            problems.append("评价时间应为若干秒之前（0或正整数）")
        if problems:
            raise ValidationError(problems, "评价")
        now = self.clock()
        s = self.settings()
        with self._tx():
            conn = self.store.conn
            t = conn.execute("SELECT status, window, clerk, number, finish_reason, finished_at FROM tickets"
                             " WHERE id = ?", (ticket_id,)).fetchone()
            if t is None:
                raise NotFound(f"没有编号为{ticket_id}的号票")
            if t[0] != "done":
                raise InvalidAction(f"{t[3]}号尚未办结，办结后才能评价")
            if t[4] == NO_SHOW:
                raise InvalidAction(f"{t[3]}号申请人未到场，没有办理，不能评价")
            if conn.execute("SELECT 1 FROM evaluations WHERE ticket_id = ?", (ticket_id,)).fetchone():
                raise InvalidAction(f"{t[3]}号已经评价过了")
            finished = parse_ts(t[5]) or now
            if given_seconds_ago:
                now = max(now - dt.timedelta(seconds=min(given_seconds_ago, 10 ** 9)), min(finished, now))
            if now - finished > RATE_WITHIN:
                raise InvalidAction(f"{t[3]}号办结已超过{RATE_WITHIN.seconds // 60}分钟，现场评价只能在办结后当场进行")
            if now.date() < self.today():  # type: ignore[attr-defined]
                self.reopen_day(now.date().isoformat())  # type: ignore[attr-defined]
            cur = conn.execute(
                "INSERT INTO evaluations (ticket_id, level, at, day, window, clerk, comment, reasons, phone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ticket_id, level, ts(now), now.date().isoformat(), t[1], t[2], comment.strip(),
                 json.dumps(list(reasons), ensure_ascii=False), phone),
            )
            evaluation_id = cur.lastrowid
            self._event("EvaluationGiven", ticket_id=ticket_id, ticket_number=t[3], window=t[1], clerk=t[2],
                        level=level)
            if level in BAD_LEVELS:
                callback = self.deadline(now.date(), s.bad_review_callback_days)
                rectify = self.deadline(now.date(), s.bad_review_rectify_days)
                conn.execute(
                    "INSERT INTO bad_reviews (evaluation_id, ticket_id, level, opened_at, callback_due, rectify_due,"
                    " status, provisional, callback_days, rectify_days) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
                    (evaluation_id, ticket_id, level, ts(now), callback.date.isoformat(), rectify.date.isoformat(),
                     int(callback.provisional or rectify.provisional), s.bad_review_callback_days,
                     s.bad_review_rectify_days),
                )
                self._event("BadReviewOpened", ticket_id=ticket_id, ticket_number=t[3], window=t[1], clerk=t[2],
                            level=level, callback_due=callback.date.isoformat())
        return self.evaluation_for(ticket_id)  # type: ignore[return-value]

    def evaluation_for(self, ticket_id: int) -> Evaluation | None:
        with self.store.read() as db:
            r = next(db.query("SELECT * FROM evaluations WHERE ticket_id = ?", [ticket_id]), None)
        if r is None:
            return None
        return Evaluation(id=r["id"], ticket_id=r["ticket_id"], level=r["level"], at=parse_ts(r["at"]),  # type: ignore
                          window=r["window"], clerk=r["clerk"], comment=r["comment"],
                          follow_up_level=r["follow_up_level"], reasons=tuple(json.loads(r["reasons"])),
                          phone_masked=mask_phone(r["phone"]) if r["phone"] else "")

    def bad_reviews(self, status: str | None = None) -> list[BadReview]:
        clause, params = where(("b.status = ?", status))
        with self.store.read() as db:
            return [_review(r) for r in db.query(
                "SELECT b.*, e.follow_up_level, e.reasons, e.phone, e.clerk, e.window FROM bad_reviews b"
                " JOIN evaluations e ON e.id = b.evaluation_id"
                f"{clause} ORDER BY b.id", params)]

    def record_callback(self, review_id: int, note: str, clerk: str = "") -> BadReview:
        if not note.strip():
            raise ValidationError(["请填写回访情况"])
        with self._tx():
            self._review_row(review_id, allowed=("open",))
            self.store.conn.execute("UPDATE bad_reviews SET status = 'called_back', called_back_at = ?,"
                                    " callback_note = ? WHERE id = ?", (ts(self.clock()), note.strip(), review_id))
            self._event("BadReviewCalledBack", clerk=clerk, review=review_id)
        return self._get_review(review_id)

    def close_bad_review(self, review_id: int, resolution: str, clerk: str = "") -> BadReview:
        """Rectified: closed with what was done."""
        if not resolution.strip():
            raise ValidationError(["请填写整改情况"])
        with self._tx():
            self._review_row(review_id, allowed=("open", "called_back"))
            self.store.conn.execute("UPDATE bad_reviews SET status = 'closed', closed_at = ?, resolution = ?"
                                    " WHERE id = ?", (ts(self.clock()), resolution.strip(), review_id))
            self._event("BadReviewClosed", clerk=clerk, review=review_id)
        return self._get_review(review_id)

    def follow_up_rating(self, review_id: int, level: int) -> BadReview:
        """The citizen's one further rating after rectification."""
        if level not in EVALUATION_LEVELS:
            raise ValidationError(["评价等级应为1到5"])
        with self._tx():
            r = self._review_row(review_id, allowed=("closed",))
            conn = self.store.conn
            if conn.execute("SELECT follow_up_level FROM evaluations WHERE id = ?", (r["evaluation_id"],)).fetchone()[0]:
                raise InvalidAction("整改后的再次评价只能进行一次")
            conn.execute("UPDATE evaluations SET follow_up_level = ?, follow_up_at = ? WHERE id = ?",
                         (level, ts(self.clock()), r["evaluation_id"]))
            self._event("FollowUpRated", review=review_id, level=level)
        return self._get_review(review_id)

    def export_ratings(self, date_from: dt.date, date_to: dt.date, fmt: str = "csv") -> str:
        """The period's ratings in the fields provinces collect (GB/T 39735, 国办发〔2019〕51号):
        channel, application number, matter code and name, department, window, staff, level,
        reasons, time. CSV (with BOM, for spreadsheets) or JSON.

        The CSV is for opening in Excel, so its cells are written for it (kiosk.csv_cells): a
        matter, window or staff name that would start a formula is quoted, and the identifier
        columns (办件编号, 事项编码, 工号) stay text, so a 19-digit 办件编号 keeps every digit. The
        JSON is for programs and carries the raw values."""
        if fmt not in ("csv", "json"):
            raise ValidationError(["导出格式应为 csv 或 json"])
        if date_to < date_from:
            raise ValidationError([f"结束日期{date_to}早于开始日期{date_from}"])
        with self.store.read() as db:
            rows = list(db.query(
                "SELECT e.*, t.matter_code, m.name AS matter_name, m.department, s.name AS staff_name,"
                " (SELECT at2.application_number FROM application_tickets at2 WHERE at2.ticket_id = e.ticket_id"
                "  ORDER BY at2.application_number DESC LIMIT 1) AS application_number"
                " FROM evaluations e JOIN tickets t ON t.id = e.ticket_id"
                " LEFT JOIN matters m ON m.code = t.matter_code LEFT JOIN staff s ON s.login = e.clerk"
                " WHERE e.day BETWEEN ? AND ? ORDER BY e.at, e.id", [date_from.isoformat(), date_to.isoformat()]))
        records = [{
            "channel": "评价器", "application_number": r["application_number"] or "",
            "matter_code": r["matter_code"] or "", "matter_name": r["matter_name"] or "",
            "department": r["department"] or "", "window": r["window"], "staff_number": r["clerk"],
            "staff_name": r["staff_name"] or r["clerk"], "level": r["level"], "level_name": EVALUATION_LEVELS[r["level"]],
            "reasons": json.loads(r["reasons"]), "time": r["at"],
        } for r in rows]
        if fmt == "json":
            return json.dumps({"date_from": date_from.isoformat(), "date_to": date_to.isoformat(),
                               "ratings": records}, ensure_ascii=False, indent=1)
        ids = frozenset(EXPORT_HEADERS.index(h) for h in ("办件编号", "事项编码", "工号"))
        lines = [csv_line(EXPORT_HEADERS)]
        lines += [csv_line((x["channel"], x["application_number"], x["matter_code"], x["matter_name"], x["department"],
                            x["window"], x["staff_number"], x["staff_name"], x["level"], x["level_name"],
                            "、".join(x["reasons"]), x["time"]), ids) for x in records]
        return "\ufeff" + "".join(lines)

    def _review_row(self, review_id: int, allowed: tuple[str, ...]) -> dict[str, Any]:
        cur = self.store.conn.execute("SELECT * FROM bad_reviews WHERE id = ?", (review_id,))
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"没有编号为{review_id}的差评")
        r = dict(zip([c[0] for c in cur.description], row, strict=True))
        if r["status"] not in allowed:
            names = {"open": "待回访", "called_back": "已回访待整改", "closed": "已整改"}
            raise InvalidAction(f"该差评当前为“{names.get(r['status'], r['status'])}”，不能进行此操作")
        return r

    def _get_review(self, review_id: int) -> BadReview:
        return next(r for r in self.bad_reviews() if r.id == review_id)


def _review(r: dict[str, Any]) -> BadReview:
    return BadReview(
        id=r["id"], evaluation_id=r["evaluation_id"], ticket_id=r["ticket_id"], level=r["level"],
        opened_at=parse_ts(r["opened_at"]),  # type: ignore[arg-type]
        callback_due=dt.date.fromisoformat(r["callback_due"]), rectify_due=dt.date.fromisoformat(r["rectify_due"]),
        status=r["status"], called_back_at=parse_ts(r["called_back_at"]), closed_at=parse_ts(r["closed_at"]),
        resolution=r["resolution"], follow_up_level=r["follow_up_level"], callback_note=r["callback_note"] or "",
        provisional=bool(r["provisional"]),
        reasons=tuple(json.loads(r["reasons"])), phone=r["phone"], clerk=r["clerk"], window=r["window"],
    )
