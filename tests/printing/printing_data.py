"""Hand-built records for the printing tests: the builders take plain data, so no hall is needed.

A plain module, not a conftest.py: a second conftest module would shadow tests/conftest.py for
the tests that do `from conftest import ROOT`. Each test module declares the fixtures it uses.
"""

from __future__ import annotations

import datetime as dt

from kiosk.models import (
    Application,
    ApplicationState,
    Checklist,
    ChecklistItem,
    GroupFigures,
    HallInfo,
    Material,
    MaterialCheck,
    MaterialStatus,
    Matter,
    Notice,
    NoticeItem,
    PendingItem,
    PendingStatus,
    Priority,
    Report,
    Ticket,
    TicketStatus,
)

ISSUED = dt.datetime(2026, 11, 25, 9, 3)


def make_hall() -> HallInfo:
    return HallInfo(
        code="330106",
        name="杭州市西湖区民生服务中心",
        address="杭州市西湖区文三路 100 号",
        phone="0571-88888888",
    )


def make_url_hall() -> HallInfo:
    hall = make_hall()
    return HallInfo(hall.code, hall.name, hall.address, hall.phone, "https://hall.example")


def make_ticket(**changes) -> Ticket:
    base = dict(
        id=7,
        number="A001",
        day=ISSUED.date(),
        category="A",
        category_name="综合受理",
        matter_code="330106-GT-001",
        matter_name="个体工商户设立登记",
        priority=Priority.NORMAL,
        status=TicketStatus.WAITING,
        issued_at=ISSUED,
        arrival_at=ISSUED,
        ahead=3,
        est_wait_min=24,
        follow_token="Qm9keS1Ub2tlbjEy",
    )
    base.update(changes)
    return Ticket(**base)


def make_application(**changes) -> Application:
    number = "330106202611250001"
    base = dict(
        number=number,
        follow_token="QXBwbGljYXRpb24x",
        matter_code="330106-GT-001",
        matter_name="个体工商户设立登记",
        department="西湖区市场监督管理局",
        state=ApplicationState.PENDING,
        applicant_name="张*",
        applicant_id_masked="330106********1234",
        phone="13812345678",
        received_at=dt.datetime(2026, 11, 25, 9, 20),
        accepted_at=dt.datetime(2026, 11, 25, 9, 41),
        promised_date=dt.date(2026, 11, 30),
        promised_provisional=False,
        clerk="wang",
        clerk_name="王晓燕",
        window=3,
        fee="不收费",
        delivery="pickup",
        materials=(
            MaterialCheck(1, "个体工商户登记（备案）申请书", MaterialStatus.RECEIVED, form="原件"),
            MaterialCheck(2, "经营者身份证明", MaterialStatus.SHARED, form="电子"),
            MaterialCheck(3, "经营场所使用证明", MaterialStatus.RECEIVED, form="复印件", copies=2),
            MaterialCheck(4, "委托代理人身份证明", MaterialStatus.NOT_APPLICABLE),
            MaterialCheck(5, "食品经营许可相关说明", MaterialStatus.MISSING, key=False, rongque=True),
        ),
        pending=(
            PendingItem(
                id=1,
                application_number=number,
                material_id=5,
                name="食品经营许可相关说明",
                deadline=dt.date(2026, 11, 30),
                provisional=False,
                status=PendingStatus.OPEN,
            ),
        ),
        undertaking="",
    )
    base.update(changes)
    return Application(**base)


def make_notice() -> Notice:
    return Notice(
        number="GZ330106202611250003",
        matter_code="330106-GT-001",
        matter_name="个体工商户设立登记",
        department="西湖区市场监督管理局",
        applicant_name="李*",
        applicant_id_masked="330106********5678",
        issued_at=dt.datetime(2026, 11, 25, 10, 15),
        clerk="wang",
        clerk_name="王晓燕",
        window=3,
        items=(
            NoticeItem("经营场所使用证明", "missing", "未提交", "房屋租赁合同或产权证明复印件 1 份"),
            NoticeItem(
                "个体工商户登记（备案）申请书",
                "defective",
                "经营者签名与身份证件姓名不一致",
                "由经营者本人重新签名的申请书原件",
            ),
        ),
    )


MATTER = Matter(
    code="330106-GT-001",
    name="个体工商户设立登记",
    department="西湖区市场监督管理局",
    category="A",
    promised_days=3,
    statutory_days=15,
    fee="不收费",
    type="行政许可",
    materials=(
        Material("个体工商户登记（备案）申请书", form="原件", id=1),
        Material("经营者身份证明", form="原件", shared=True, notes="通过人口库核验", id=2),
        Material("经营场所使用证明", form="复印件", copies=2, id=3),
        Material(
            "委托代理人身份证明及授权委托书",
            required=False,
            condition="委托代理人办理的",
            id=4,
        ),
        Material(
            "食品经营许可相关说明", required=False, condition="从事食品经营的", key=False, rongque=True, id=5
        ),
    ),
)


def make_checklist() -> Checklist:
    items = (
        ChecklistItem(MATTER.materials[0], needed=True, bring=True),
        ChecklistItem(MATTER.materials[1], needed=True, bring=False),
        ChecklistItem(MATTER.materials[2], needed=True, bring=True),
        ChecklistItem(MATTER.materials[3], needed=False, bring=False),
        ChecklistItem(MATTER.materials[4], needed=True, bring=True),
    )
    return Checklist(matter=MATTER, answers=("从事食品经营的",), items=items)


def figures(key: str, label: str, issued: int, served: int) -> GroupFigures:
    return GroupFigures(key, label, issued, served, 2, 1, 12.5, 25.0, 41.0, 9.2)


def make_report() -> Report:
    return Report(
        date_from=dt.date(2026, 11, 25),
        date_to=dt.date(2026, 11, 25),
        totals=figures("all", "全部", 182, 171),
        by_category=(figures("A", "综合受理", 120, 114), figures("B", "不动产登记", 62, 57)),
        by_window=(figures("1", "1号窗口", 60, 58), figures("3", "3号窗口", 122, 113)),
        by_clerk=(figures("wang", "王晓燕", 95, 90), figures("chen", "陈建国", 87, 81)),
        acceptances=96,
        rongque_acceptances=11,
        notices=7,
        pending_open=9,
        pending_supplied=30,
        pending_overdue=1,
        applications=103,
        one_visit=97,
        one_visit_share=97 / 103,
        ratings=140,
        satisfied=137,
        satisfaction=137 / 140,
        open_bad_reviews=1,
    )
