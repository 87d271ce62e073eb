"""Appointments (预约): a booking for a day and a time slot, checked in at the kiosk.

Checking in on time gives an appointment-priority ticket; after the slot's end plus the
hall's grace period the booking still gets a ticket, but a normal one ("late arrivals lose
the priority"). A booking code is used once.

A code is the day and six random digits, not a running number: a kiosk is public, and a code
one could work out from one's own (YY…0007 → YY…0008) would let a stranger check in someone
else's booking (its holder then finds it used) and read its masked name and time. Codes of
bookings made before carry a four-digit running number and are still read.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from kiosk import idnumber
from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.hall_base import HallBase
from kiosk.models import Appointment, AppointmentStatus, Priority
from kiosk.records import ts


class AppointmentService(HallBase):
    def book_appointment(self, *, matter_code: str, day: dt.date, slot_start: dt.time, slot_end: dt.time,
                         holder_name: str = "", id_number: str = "", phone: str = "") -> Appointment:
        """Record a booking (from the online portal's list, or made at the service desk)."""
        problems = []
        if slot_end <= slot_start:
            problems.append("预约时段的结束时间应晚于开始时间")
        if day < self.today():
            problems.append(f"预约日期{day}已过")
        if problems:
            raise ValidationError(problems, "预约")
        id_hash = idnumber.keyed_hash(idnumber.validate(id_number), self.hash_key()) if id_number else ""
        conn = self.store.conn
        with self._tx():
            if conn.execute("SELECT 1 FROM matters WHERE code = ?", (matter_code,)).fetchone() is None:
                raise NotFound(f"没有编码为“{matter_code}”的事项")
            code = _new_code(conn, day)
            conn.execute(
                "INSERT INTO appointments (code, matter_code, day, slot_start, slot_end, holder_name, holder_id_hash,"
                " phone, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?)",
                (code, matter_code, day.isoformat(), f"{slot_start:%H:%M}", f"{slot_end:%H:%M}",
                 idnumber.mask_name(holder_name), id_hash, idnumber.mask_phone(phone) if phone else "",
                 ts(self.clock())))
            self._event("AppointmentBooked", code=code, matter=matter_code, day=day.isoformat())
        return self.find_appointment(code)

    def find_appointment(self, code: str) -> Appointment:
        """A booking by its code, as scanned or typed; raises NotFound with a readable message."""
        with self.store.read() as db:
            r = next(db.query(
                "SELECT a.*, m.name AS matter_name FROM appointments a JOIN matters m ON m.code = a.matter_code"
                " WHERE a.code = ?", [code.strip().upper()]), None)
        if r is None:
            raise NotFound(f"没有预约码为“{code.strip()}”的预约，请核对或到服务台咨询")
        return _appointment(r)

    def appointments(self, day: dt.date | None = None) -> list[Appointment]:
        with self.store.read() as db:
            return [_appointment(r) for r in db.query(
                "SELECT a.*, m.name AS matter_name FROM appointments a JOIN matters m ON m.code = a.matter_code"
                " WHERE a.day = ? ORDER BY a.slot_start, a.code", [(day or self.today()).isoformat()])]

    def cancel_appointment(self, code: str) -> Appointment:
        with self._tx():
            a = self.find_appointment(code)
            if a.status is not AppointmentStatus.BOOKED:
                raise InvalidAction("该预约已签到或已取消，不能取消")
            self.store.conn.execute("UPDATE appointments SET status = 'cancelled' WHERE code = ?", (a.code,))
            self._event("AppointmentCancelled", code=a.code)
        return self.find_appointment(code)

    def appointment_priority(self, a: Appointment, now: dt.datetime) -> Priority:
        """On time (up to the slot's end plus the grace period): appointment priority; later: normal."""
        late_after = dt.datetime.combine(a.day, a.slot_end) + dt.timedelta(
            minutes=self.settings().appointment_grace_minutes)
        return Priority.APPOINTMENT if now <= late_after else Priority.NORMAL

    def _claim_appointment(self, code: str, now: dt.datetime, id_hash: str) -> tuple[Appointment, Priority]:
        """Inside the ticket's transaction: check the booking can be used now, by whom, and how.

        A booking made with an ID number is checked in with that person's card (or number): a
        code is printed, sent by text and seen over shoulders, and whoever typed it at a kiosk
        took the holder's booking, who then found it used."""
        a = self.find_appointment(code)
        if a.status is AppointmentStatus.CHECKED_IN:
            raise InvalidAction("该预约已经签到取号，请留意叫号；如号票遗失请到服务台")
        if a.status is AppointmentStatus.CANCELLED:
            raise InvalidAction("该预约已取消，请重新预约或直接取号")
        if a.day != now.date():
            raise InvalidAction(f"您的预约日期是{a.day:%Y年%m月%d日}，不是今天；今天可直接取普通号")
        booked_by = self.store.conn.execute("SELECT holder_id_hash FROM appointments WHERE code = ?",
                                            (a.code,)).fetchone()[0]
        if booked_by and not id_hash:
            raise InvalidAction("该预约登记了预约人身份证，请放置预约人本人的身份证后签到")
        if booked_by and id_hash != booked_by:
            raise InvalidAction("身份证与预约人不符，预约须由预约人本人签到；您可直接取普通号")
        return a, self.appointment_priority(a, now)

    def _mark_checked_in(self, code: str, ticket_id: int, now: dt.datetime) -> None:
        self.store.conn.execute(
            "UPDATE appointments SET status = 'checked_in', ticket_id = ?, checked_in_at = ? WHERE code = ?",
            (ticket_id, ts(now), code))


def _new_code(conn: Any, day: dt.date) -> str:
    """An unused code for the day: YY + YYYYMMDD + six random digits (a million per day)."""
    while True:
        code = f"YY{day:%Y%m%d}{secrets.randbelow(1_000_000):06d}"
        if conn.execute("SELECT 1 FROM appointments WHERE code = ?", (code,)).fetchone() is None:
            return code


def _appointment(r: dict[str, Any]) -> Appointment:
    return Appointment(
        code=r["code"], matter_code=r["matter_code"], matter_name=r["matter_name"],
        day=dt.date.fromisoformat(r["day"]), slot_start=dt.time.fromisoformat(r["slot_start"]),
        slot_end=dt.time.fromisoformat(r["slot_end"]), holder_name=r["holder_name"], phone_masked=r["phone"],
        status=AppointmentStatus(r["status"]), ticket_id=r["ticket_id"],
    )
