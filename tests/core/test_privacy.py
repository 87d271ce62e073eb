import datetime as dt

import pytest

from kiosk.errors import AuthError, ValidationError
from kiosk.models import MaterialCheck, MaterialStatus

ID = "11010519491231002X"


def test_personal_data_past_the_retention_period_is_removed_but_the_figures_stay(hall, clock):
    hall.update_settings(retention_days=30)
    t = hall.issue_ticket(category="A", holder_name="张三", holder_id=ID, phone="13800001234")
    checks = tuple(MaterialCheck(i, str(i), MaterialStatus.RECEIVED) for i in (1, 2, 3))
    app = hall.accept(matter_code="A-001", checks=checks, applicant_name="张三", applicant_id=ID,
                      phone="13800001234", ticket_id=t.id)
    assert hall.purge_personal_data() == 0  # still within the period
    clock.advance(days=31)
    hall.purge_personal_data()  # the day's first change has already run it: either way the data goes
    old = hall.get_ticket(t.id)
    assert (old.holder_name, old.holder_id_masked, old.phone_masked) == ("", "", "")
    kept = hall.get_application(app.number)
    assert kept.applicant_name == "张*" and kept.phone == ""
    assert hall.report(dt.date(2026, 11, 25)).acceptances == 1


def test_each_day_is_purged_once(hall, clock):
    hall.update_settings(retention_days=1)
    hall.issue_ticket(category="A", holder_name="张三")
    clock.advance(days=2)
    hall.purge_personal_data()
    assert hall.purge_personal_data() == 0
    assert [e.data["records"] for e in hall.events_since(0) if e.kind == "PersonalDataPurged"] == [1]


def test_the_purge_also_covers_appointments_and_notices_without_an_id_number(hall, backing, clock):
    hall.update_settings(retention_days=30)
    booking = hall.book_appointment(matter_code="A-001", day=clock.now.date(), slot_start=dt.time(9, 0),
                                    slot_end=dt.time(10, 0), holder_name="李四", id_number=ID, phone="13800001234")
    checks = (MaterialCheck(1, "1", MaterialStatus.MISSING),)
    notice = hall.refuse_with_notice(matter_code="A-001", checks=checks, applicant_name="王五")  # no ID shown
    clock.advance(days=31)
    hall.purge_personal_data()
    conn = backing.store.conn
    assert conn.execute("SELECT holder_name, holder_id_hash, phone FROM appointments WHERE code = ?",
                        (booking.code,)).fetchone() == ("", "", "")
    assert conn.execute("SELECT applicant_name FROM notices WHERE number = ?", (notice.number,)).fetchone()[0] == "王*"
    assert conn.execute("SELECT applicant_name FROM applications WHERE number = ?",
                        (notice.application_number,)).fetchone()[0] == "王*"


@pytest.mark.parametrize("days", [0, -5])
def test_a_retention_of_zero_or_less_is_refused(hall, days):
    with pytest.raises(ValidationError, match="保存天数"):
        hall.update_settings(retention_days=days)
    assert hall.settings().retention_days == 365


def test_an_unknown_login_costs_the_same_password_hashing_as_a_known_one(hall, monkeypatch):
    import kiosk.hall_admin

    checked = []
    real = kiosk.hall_admin.verify_password
    monkeypatch.setattr(kiosk.hall_admin, "verify_password", lambda p, h: checked.append(h) or real(p, h))
    for login in ("clerk1", "nobody"):
        with pytest.raises(AuthError):
            hall.authenticate(login, "wrong-password")
    assert len(checked) == 2 and all(h.startswith("pbkdf2_sha256$") for h in checked)


def test_an_application_still_waiting_for_its_rongque_material_keeps_its_applicant_until_it_closes(hall, clock):
    """A short retention must not take the phone the clerk calls about the missing material;
    once the material is in, the first purge after de-identifies it like any other."""
    from kiosk.models import ApplicationState

    hall.update_settings(retention_days=2)
    checks = (MaterialCheck(1, "个体工商户设立登记申请书", MaterialStatus.RECEIVED),
              MaterialCheck(2, "经营者身份证明", MaterialStatus.RECEIVED),
              MaterialCheck(3, "经营场所使用证明", MaterialStatus.MISSING))
    waiting = hall.accept(matter_code="A-001", checks=checks, applicant_name="张三", applicant_id=ID,
                          phone="13800001234", undertaking_signed=True)
    complete = checks[:2] + (MaterialCheck(3, "经营场所使用证明", MaterialStatus.RECEIVED),)
    done = hall.accept(matter_code="A-001", checks=complete, applicant_name="李四",
                       applicant_id="33010619900101123X", phone="13900001234")
    assert waiting.state is ApplicationState.PENDING and done.state is ApplicationState.ACCEPTED
    clock.advance(days=3)
    hall.purge_personal_data()
    kept = hall.get_application(waiting.number)
    assert (kept.applicant_name, kept.phone, kept.applicant_id_masked) == ("张三", "13800001234", "110105********002X")
    gone = hall.get_application(done.number)
    assert (gone.applicant_name, gone.phone, gone.applicant_id_masked) == ("李*", "", "")

    (item,) = kept.pending
    hall.supply_pending(item.id, by="clerk1")
    clock.advance(days=1)
    hall.purge_personal_data()
    closed = hall.get_application(waiting.number)
    assert closed.state is ApplicationState.ACCEPTED
    assert (closed.applicant_name, closed.phone, closed.applicant_id_masked) == ("张*", "", "")


def test_five_wrong_passwords_lock_the_login_and_the_right_one_then_waits_too(hall, clock):
    for _ in range(4):
        with pytest.raises(AuthError, match="账号或密码不正确"):
            hall.sign_in(1, "clerk2", "wrong-password")
    with pytest.raises(AuthError, match="错误次数过多"):
        hall.sign_in(1, "clerk2", "wrong-password")
    with pytest.raises(AuthError, match="错误次数过多"):
        hall.sign_in(1, "clerk2", "pass-2222")
    clock.advance(seconds=31)
    assert hall.sign_in(1, "clerk2", "pass-2222").login == "clerk2"


def test_five_wrong_passwords_at_the_console_sign_in_lock_the_login_as_at_a_window(hall, clock):
    """The console signs in with `authenticate`: a copied console token must not be a way to try
    the manager's password as fast as the server answers."""
    for _ in range(4):
        with pytest.raises(AuthError, match="账号或密码不正确"):
            hall.authenticate("clerk2", "wrong-password")
    with pytest.raises(AuthError, match="错误次数过多"):
        hall.authenticate("clerk2", "wrong-password")
    with pytest.raises(AuthError, match="错误次数过多"):
        hall.sign_in(1, "clerk2", "pass-2222")  # one count per login, wherever it is typed
    clock.advance(seconds=31)
    assert hall.authenticate("clerk2", "pass-2222").login == "clerk2"


def test_wrong_passwords_sent_side_by_side_share_the_same_five_tries(hall, backing, monkeypatch):
    """A window PC sending guesses in parallel had each see the count before the others: 160
    passwords checked in a minute instead of five per lock-out."""
    import threading
    import time

    from kiosk.hall import Hall

    checked = []
    real = Hall._check_password

    def slow(self, login, password):
        checked.append(password)
        time.sleep(0.05)  # every guess is being checked while the others arrive
        return real(self, login, password)

    monkeypatch.setattr(Hall, "_check_password", slow)
    answers = []

    def guess(i: int) -> None:
        try:
            hall.sign_in(1, "clerk2", f"guess-{i}")
        except AuthError as exc:
            answers.append(str(exc))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == 5 and len(answers) == 30
    with pytest.raises(AuthError, match="错误次数过多"):
        hall.sign_in(1, "clerk2", "pass-2222")


def test_an_overdue_rongque_item_chased_longer_than_the_retention_period_lets_its_applicant_go(hall, clock):
    """A hall that marks overdue items instead of terminating keeps such applications open for
    ever; the applicant is kept only while the deadline is within the retention period, and
    what was de-identified once is not counted again day after day."""
    hall.update_settings(retention_days=3, pending_overdue_policy="mark")
    checks = (MaterialCheck(1, "个体工商户设立登记申请书", MaterialStatus.RECEIVED),
              MaterialCheck(2, "经营者身份证明", MaterialStatus.RECEIVED),
              MaterialCheck(3, "经营场所使用证明", MaterialStatus.MISSING))
    app = hall.accept(matter_code="A-001", checks=checks, applicant_name="张三", applicant_id=ID,
                      phone="13800001234", undertaking_signed=True, pending_days=1)
    clock.advance(days=4)  # overdue, but only just: still chased
    hall.purge_personal_data()
    assert hall.get_application(app.number).phone == "13800001234"
    clock.advance(days=10)
    hall.purge_personal_data()
    gone = hall.get_application(app.number)
    assert gone.state.value == "pending_overdue" and (gone.applicant_name, gone.phone) == ("张*", "")
    counts = []
    for _ in range(3):
        clock.advance(days=1)
        counts.append(hall.purge_personal_data())
    assert counts == [0, 0, 0]


def test_a_sign_in_that_fails_for_another_reason_than_the_password_is_not_counted(hall, backing, monkeypatch):
    from kiosk.errors import StorageBusy
    from kiosk.hall import Hall

    def busy(self, login, password):
        raise StorageBusy("大厅数据库正被其他程序占用")

    monkeypatch.setattr(Hall, "_check_password", busy)
    for _ in range(8):
        with pytest.raises(StorageBusy):
            hall.sign_in(1, "clerk2", "pass-2222")
    monkeypatch.undo()
    assert hall.sign_in(1, "clerk2", "pass-2222").login == "clerk2"
