import datetime as dt

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
