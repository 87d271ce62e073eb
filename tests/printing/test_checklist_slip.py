"""The kiosk's checklist slip: every material to bring, the missing ones marked, on ticket paper."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from printing_data import MATTER, make_checklist, make_hall

from kiosk import open_hall
from kiosk.models import Checklist, HallInfo
from printing.escpos_decode import Text, decode_job
from printing.escpos_ticket import build_checklist_slip
from printing.profiles import PROFILES, get_profile

PRINTED_ON = dt.date(2026, 11, 25)


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


def test_the_slip_tells_the_halls_phone_address_and_date_above_the_qr() -> None:
    """The slip is what a citizen missing a key material leaves with: whom to ask, where to come back."""
    hall = make_hall()
    profile = PROFILES["generic-80"]
    job = decode_job(build_checklist_slip(make_checklist(), hall, profile, {1}, printed_on=PRINTED_ON))
    assert "咨询电话：0571-88888888" in job.lines
    assert "地址：杭州市西湖区文三路 100 号" in job.lines
    assert "打印日期：2026-11-25" in job.lines
    qr_at = job.items.index(next(c for c in job.commands("qr_store")))
    said_at = [i for i, it in enumerate(job.items)
               if isinstance(it, Text) and it.text.startswith(("咨询电话", "地址", "打印日期"))]
    assert len(said_at) == 3 and max(said_at) < qr_at


def test_a_hall_without_phone_or_address_prints_no_empty_labels() -> None:
    hall = HallInfo(code="330106", name="杭州市西湖区民生服务中心")
    job = decode_job(build_checklist_slip(make_checklist(), hall, printed_on=PRINTED_ON))
    assert not any(line.startswith(("咨询电话", "地址")) for line in job.lines)
    assert "打印日期：2026-11-25" in job.lines


def _with_wide_punctuation(checklist: Checklist) -> Checklist:
    first = dataclasses.replace(MATTER.materials[0], name="“个体工商户”登记（备案）申请书·正本…副本×2",
                                notes="须由“经营者”本人签字——代签无效；×不接受传真件……" + "·" * 20)
    return dataclasses.replace(checklist, items=(dataclasses.replace(checklist.items[0], material=first),)
                               + checklist.items[1:])


@pytest.mark.parametrize("name", ["generic-58", "generic-80", "gbk-58-raster", "gbk-80"])
def test_every_printed_line_of_a_slip_full_of_wide_punctuation_fits_the_paper(name: str) -> None:
    profile = PROFILES[name]
    slip = build_checklist_slip(_with_wide_punctuation(make_checklist()), make_hall(), profile, {1},
                                printed_on=PRINTED_ON)
    job = decode_job(slip, profile.encoding)
    widths = job.line_dots()
    assert [(d, line) for d, line in widths if d > profile.dots_per_line] == []
    assert "代签无效；×不接受传真件……" + "·" * 20 in "".join(job.lines)
