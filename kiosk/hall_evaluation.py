"""好差评: five levels per served ticket; the two lowest open a bad review with working-day
deadlines for the callback and the rectification, and the citizen may rate once more after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.hall_calendar import CalendarService
from kiosk.models import EVALUATION_LEVELS, BadReview, Evaluation
from kiosk.records import parse_ts, ts, where

BAD_LEVELS = (1, 2)


class EvaluationService(CalendarService):
    def evaluate(self, ticket_id: int, level: int, comment: str = "") -> Evaluation:
        if level not in EVALUATION_LEVELS:
            raise ValidationError(["评价等级应为1到5（非常不满意到非常满意）"])
        now = self.clock()
        s = self.settings()
        with self._tx():
            conn = self.store.conn
            t = conn.execute("SELECT status, window, clerk, number FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
            if t is None:
                raise NotFound(f"没有编号为{ticket_id}的号票")
            if t[0] != "done":
                raise InvalidAction(f"{t[3]}号尚未办结，办结后才能评价")
            if conn.execute("SELECT 1 FROM evaluations WHERE ticket_id = ?", (ticket_id,)).fetchone():
                raise InvalidAction(f"{t[3]}号已经评价过了")
            cur = conn.execute(
                "INSERT INTO evaluations (ticket_id, level, at, day, window, clerk, comment) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ticket_id, level, ts(now), now.date().isoformat(), t[1], t[2], comment.strip()),
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
                          follow_up_level=r["follow_up_level"])

    def bad_reviews(self, status: str | None = None) -> list[BadReview]:
        clause, params = where(("b.status = ?", status))
        with self.store.read() as db:
            return [_review(r) for r in db.query(
                "SELECT b.*, e.follow_up_level FROM bad_reviews b JOIN evaluations e ON e.id = b.evaluation_id"
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
        resolution=r["resolution"], follow_up_level=r["follow_up_level"], provisional=bool(r["provisional"]),
    )
