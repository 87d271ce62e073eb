import datetime as dt
import itertools
import re

import pytest

from kiosk.errors import InvalidAction, NotFound, ValidationError
from kiosk.models import AppointmentStatus, Priority


def book(hall, day=dt.date(2026, 11, 25), start=dt.time(9, 30), end=dt.time(10, 0)):
    return hall.book_appointment(matter_code="A-001", day=day, slot_start=start, slot_end=end, holder_name="张三",
                                 phone="13800001234")


def test_a_booking_gets_a_code_the_scanner_recognises(hall):
    from devices.scanner import classify_code

    a = book(hall)
    assert re.fullmatch(r"YY20261125\d{6}", a.code) and classify_code(a.code) == "appointment"
    assert (a.holder_name, a.phone_masked, a.status) == ("张*", "138****1234", AppointmentStatus.BOOKED)
    assert [x.code for x in hall.appointments()] == [a.code]


def test_a_booking_code_cannot_be_worked_out_from_another(hall):
    """A public kiosk checks in whatever code is typed: the next citizen's code must not follow
    from one's own, as a running number does."""
    codes = [book(hall).code for _ in range(30)]
    numbers = sorted(int(c[10:]) for c in codes)
    assert len(set(numbers)) == 30
    assert sum(1 for a, b in itertools.pairwise(numbers) if b - a == 1) < 3


def test_a_code_of_a_booking_made_before_codes_were_random_still_checks_in(hall, backing):
    a = book(hall)
    backing.store.conn.execute("UPDATE appointments SET code = 'YY202611250001' WHERE code = ?", (a.code,))
    t = hall.issue_ticket(appointment_code="YY202611250001")
    assert t.priority is Priority.APPOINTMENT


def test_checking_in_on_time_gives_an_appointment_ticket_for_the_booked_matter(hall, clock):
    a = book(hall)
    clock.now = dt.datetime(2026, 11, 25, 10, 10)  # within the 15 minutes' grace
    t = hall.issue_ticket(appointment_code=a.code.lower())
    assert (t.priority, t.matter_code, t.appointment_code) == (Priority.APPOINTMENT, "A-001", a.code)
    used = hall.find_appointment(a.code)
    assert used.status is AppointmentStatus.CHECKED_IN and used.ticket_id == t.id


def test_a_late_arrival_still_gets_a_ticket_but_loses_the_priority(hall, clock):
    a = book(hall)
    clock.now = dt.datetime(2026, 11, 25, 10, 16)
    assert hall.issue_ticket(appointment_code=a.code).priority is Priority.NORMAL


def test_a_booking_is_used_once_and_only_on_its_day(hall, clock):
    a = book(hall)
    other_day = book(hall, day=dt.date(2026, 11, 26))
    hall.issue_ticket(appointment_code=a.code)
    with pytest.raises(InvalidAction, match="已经签到"):
        hall.issue_ticket(appointment_code=a.code)
    with pytest.raises(InvalidAction, match="不是今天"):
        hall.issue_ticket(appointment_code=other_day.code)
    with pytest.raises(NotFound, match="请核对"):
        hall.issue_ticket(appointment_code="YY202611259999")
    assert hall.queue_status().issued["A"] == 1  # refused check-ins used no number


def test_a_cancelled_booking_cannot_be_checked_in(hall):
    a = book(hall)
    hall.cancel_appointment(a.code)
    with pytest.raises(InvalidAction, match="已取消"):
        hall.issue_ticket(appointment_code=a.code)


def test_a_slot_must_end_after_it_starts_and_not_be_in_the_past(hall):
    with pytest.raises(ValidationError, match="结束时间"):
        book(hall, start=dt.time(10), end=dt.time(9))
    with pytest.raises(ValidationError, match="已过"):
        book(hall, day=dt.date(2026, 11, 24))


def test_the_demo_hall_books_three_appointments_for_today_once(tmp_path, clock):
    from kiosk import open_hall
    from kiosk.seed import seed_demo_appointments

    demo = open_hall(tmp_path / "demo.db", clock=clock, durable=False, seed_demo=True)
    codes = seed_demo_appointments(demo)
    assert len(codes) == 3 and seed_demo_appointments(demo) == codes
    assert demo.issue_ticket(appointment_code=codes[0]).priority is Priority.APPOINTMENT


def test_a_booking_made_with_an_id_number_is_checked_in_by_that_person_only(hall, clock):
    a = hall.book_appointment(matter_code="A-001", day=dt.date(2026, 11, 25), slot_start=dt.time(9, 30),
                              slot_end=dt.time(10, 0), holder_name="张三", id_number="11010519491231002X")
    with pytest.raises(InvalidAction, match="预约人本人的身份证"):
        hall.issue_ticket(appointment_code=a.code, phone="13800001234")  # a code seen over a shoulder
    with pytest.raises(InvalidAction, match="与预约人不符"):
        hall.issue_ticket(appointment_code=a.code, holder_id="33010619900101123X")
    assert hall.find_appointment(a.code).status is AppointmentStatus.BOOKED  # still the holder's
    t = hall.issue_ticket(appointment_code=a.code, holder_id="11010519491231002X", holder_name="张三")
    assert t.priority is Priority.APPOINTMENT


def test_a_green_channel_citizen_keeps_the_green_channel_when_checking_in_late(hall, clock):
    a = book(hall)
    clock.now = dt.datetime(2026, 11, 25, 11, 0)  # long after the slot and its grace
    assert hall.issue_ticket(appointment_code=a.code, priority="green").priority is Priority.GREEN
    late = book(hall)
    assert hall.issue_ticket(appointment_code=late.code, priority="appointment").priority is Priority.NORMAL
