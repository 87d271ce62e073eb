"""Who looked at or changed citizens' personal data: the spec's "record who looked at or
changed what" (GB/T 35273 asks for the same record of access to personal information).

The hall server knows who is behind every request (the terminal by its token, the person by
the window's sign-in or the console's login), so it records each call of a method listed in
`PERSONAL_ACTIONS` as it answers it; the manager reads the records in the console's 查阅记录.
What the queue does (tickets issued, called, finished) is in the events table already and is
not repeated here: these records are about the data of a named person.

A record says which record was touched (an application or notice number, a ticket, a review),
never the personal data itself, so the records need no de-identifying of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from kiosk.hall_base import HallBase
from kiosk.models import AccessRecord
from kiosk.records import ts

# facade methods that show or change a person's data: method -> what the record calls it
PERSONAL_ACTIONS: dict[str, str] = {
    "get_application": "查看办件",
    "get_notice": "查看一次性告知书",
    "applications": "查询办件列表",
    "applications_at": "查看号票所办的件",
    "bad_reviews": "查看差评及回访电话",
    "appointments": "查看预约名单",
    "export_ratings": "导出评价数据",
    "accept": "受理",
    "refuse_with_notice": "出具一次性告知",
    "supply_pending": "登记补齐容缺材料",
    "complete_application": "办结办件",
    "record_callback": "记录差评回访",
    "close_bad_review": "差评整改完成",
    "follow_up_rating": "记录整改后再评价",
    "book_appointment": "登记预约",
    "cancel_appointment": "取消预约",
    "set_rongque_exclusions": "修改容缺失信名单",
    "purge_personal_data": "清除过期个人信息",
    "save_staff": "修改工作人员账号",
}

# where a method names the record it touches, or the part of a list it reads
_SUBJECT_ARGS = ("number", "application_number", "ticket_id", "review_id", "item_id", "code", "login", "day",
                 "day_from", "day_to", "date_from", "date_to", "state", "status")
_PREFIX = {"ticket_id": "号票#", "review_id": "差评#", "item_id": "容缺项#", "day_to": "至", "date_to": "至"}


def access_subject(method: str, kwargs: Mapping[str, Any], result: object) -> str:
    """The record a call touched, in words a manager can search for: the application, notice or
    booking it made, else the arguments that name it (a list's period and state: 全部 for all)."""
    if method in ("accept", "refuse_with_notice"):
        return str(getattr(result, "number", ""))
    if method == "book_appointment":
        return str(getattr(result, "code", ""))
    named = [f"{_PREFIX.get(name, '')}{getattr(value, 'value', value)}" for name in _SUBJECT_ARGS
             if (value := kwargs.get(name)) not in (None, "")]
    return " ".join(named)[:120] or "全部"


class AccessService(HallBase):
    def record_access(self, records: Iterable[AccessRecord]) -> int:
        """Store access records (the server sends them in batches); returns how many. They ride
        without a disk flush of their own, made durable by the hall's next durable commit."""
        rows = [(ts(r.at), r.at.date().isoformat(), r.terminal[:60], r.staff[:60], r.action[:60], r.subject[:120])
                for r in records]
        if rows:
            with self._tx(durable=False):
                self.store.conn.executemany(
                    "INSERT INTO access_log (at, day, terminal, staff, action, subject) VALUES (?, ?, ?, ?, ?, ?)",
                    rows)
        return len(rows)

    def access_records(self, day_from: dt.date | None = None, day_to: dt.date | None = None, subject: str = "",
                       staff: str = "", limit: int = 500) -> list[AccessRecord]:
        """The newest records first, of a period, of one record (its number, or part of it) or
        one staff login."""
        clauses, params = [], []
        for clause, value in (("day >= ?", day_from.isoformat() if day_from else None),
                              ("day <= ?", day_to.isoformat() if day_to else None),
                              ("instr(subject, ?) > 0", subject.strip() or None),
                              ("staff = ?", staff.strip() or None)):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.store.read():
            rows = self.store.conn.execute(
                f"SELECT at, terminal, staff, action, subject FROM access_log{where} ORDER BY at DESC, id DESC LIMIT ?",
                [*params, max(1, min(int(limit), 5000))]).fetchall()
        return [AccessRecord(dt.datetime.fromisoformat(at), terminal, staff, action, subject)
                for at, terminal, staff, action, subject in rows]
