"""The kiosk's 常办事项: the matters citizens took most tickets for lately, one touch from home."""

def test_the_most_asked_for_matters_come_first_and_the_catalog_fills_the_rest(hall):
    for _ in range(3):
        hall.issue_ticket(matter_code="B-001")
    hall.issue_ticket(matter_code="A-001")
    assert [m.code for m in hall.popular_matters(limit=2)] == ["B-001", "A-001"]
    assert [m.code for m in hall.popular_matters(limit=5)] == ["B-001", "A-001"]  # only two in the catalog
