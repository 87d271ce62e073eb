"""The kiosk's checklist slip: every material to bring, the missing ones marked, on ticket paper."""

from kiosk import open_hall
from printing.escpos_decode import decode_job
from printing.escpos_ticket import build_checklist_slip
from printing.profiles import get_profile


def test_the_slip_lists_every_material_and_marks_what_is_missing(tmp_path):
    hall = open_hall(tmp_path / "h.db", durable=False, seed_demo=True)
    matter = next(m for m in hall.matters() if any(x.shared for x in m.materials) and m.conditions)
    checklist = hall.checklist(matter.code, matter.conditions[:1])
    to_bring = checklist.to_bring
    have = {to_bring[0].id}
    profile = get_profile("generic-80")
    job = decode_job(build_checklist_slip(checklist, hall.info(), profile, have), profile.encoding)
    text = job.text
    assert matter.name in text and "办事材料清单" in text
    for material in to_bring:
        assert material.name[:8] in text.replace("\n", "")
    assert f"[有] {to_bring[0].name}"[:10] in text
    assert f"尚缺 {len(to_bring) - 1} 项" in text
    assert job.qr_payloads == [matter.code] and job.cut
