"""受理回执: what the citizen takes home once the application is accepted.

It carries every field the domain asks for (spec/domain.md), so the citizen never has to come
back to ask when, where or how: the application number with its QR code, the promised date
(marked 暂定 when it reaches a year whose holidays are not yet published), what the hall
received, what is still owed and by when, and how the result reaches them.
"""

from __future__ import annotations

from kiosk.idnumber import mask_phone
from kiosk.models import Application, HallInfo, MaterialCheck, MaterialStatus, PendingStatus
from printing import pdf_layout as L
from printing.pdf_layout import qr_caption
from printing.privacy import id_field

MATERIAL_STATUS = {
    MaterialStatus.RECEIVED: "已收取",
    MaterialStatus.SHARED: "免提交（共享获取）",
    MaterialStatus.MISSING: "缺",
    MaterialStatus.DEFECTIVE: "有误，需补正",
    MaterialStatus.NOT_APPLICABLE: "不适用",
}
PENDING_STATUS = {PendingStatus.OPEN: "待补齐", PendingStatus.SUPPLIED: "已补齐", PendingStatus.OVERDUE: "已逾期"}
PROVISIONAL_NOTE = (
    "注：标“暂定”的日期跨入尚未公布法定节假日安排的年度，暂按周末推算；"
    "安排公布后将重新核定，如有变化另行告知。"
)


def material_status(m: MaterialCheck, pending_ids: set[int]) -> str:
    """A material owed under 容缺 is 容缺待补, not simply 缺: the citizen must see the difference."""
    if m.material_id in pending_ids:
        return "容缺待补"
    return MATERIAL_STATUS.get(m.status, str(m.status))


def promised(app: Application) -> str:
    text = L.fmt_date(app.promised_date)
    return f"{text}（暂定）" if app.promised_date and app.promised_provisional else text


def deadline(d, provisional: bool) -> str:
    return f"{L.fmt_date(d)}（暂定）" if provisional else L.fmt_date(d)


def applicant_fields(app: Application) -> list[tuple[str, object]]:
    """The top block shared by the receipt and the 容缺 notice."""
    return [
        ("办件编号", app.number),
        ("办件状态", app.state.label),
        ("事项名称*", app.matter_name),
        ("承办部门*", app.department),
        ("申请人", app.applicant_name),
        ("证件号码", id_field(app.applicant_id_masked)),
        ("联系电话", mask_phone(app.phone) if app.phone else "—"),
        ("受理窗口", L.fmt_window(app.window)),
    ]


def pending_table(app: Application):
    rows = [
        (i, p.name, deadline(p.deadline, p.provisional), PENDING_STATUS.get(p.status, str(p.status)))
        for i, p in enumerate(app.pending, 1)
    ]
    return L.grid(["序号", "容缺材料名称", "补齐期限", "状态"], rows, [12, 88, 42, 24], ["c", "l", "c", "c"])


def build_receipt_pdf(app: Application, hall: HallInfo) -> bytes:
    """The acceptance receipt (受理回执) for one application, as A4 PDF bytes."""
    story: list = []
    story += L.title_block("受理回执", hall.name, "办件编号", app.number)
    fields = applicant_fields(app) + [
        ("收件时间", L.fmt_datetime(app.received_at)),
        ("受理时间", L.fmt_datetime(app.accepted_at)),
        ("承诺办结日期", promised(app)),
        ("收费标准", app.fee or "不收费"),
        ("受理人", f"{app.clerk_name}（工号 {app.clerk}）" if app.clerk else app.clerk_name),
        ("结果送达方式", L.DELIVERY.get(app.delivery, app.delivery)),
    ]
    story.append(L.fields(fields))

    story.append(L.para("一、已收取的申请材料", "h2"))
    pending_ids = {p.material_id for p in app.pending}
    rows = [
        (i, m.name, m.form or "—", m.copies, material_status(m, pending_ids))
        for i, m in enumerate((m for m in app.materials if m.status is not MaterialStatus.NOT_APPLICABLE), 1)
    ]
    story.append(L.grid(["序号", "材料名称", "形式", "份数", "状态"], rows, [12, 80, 26, 12, 36],
                        ["c", "l", "c", "c", "c"]))

    if app.pending:
        story.append(L.para("二、容缺待补材料", "h2"))
        story.append(L.para(
            "本件按容缺方式受理。请在下列期限前补齐材料（可到任一综合窗口补交）；"
            "逾期未补齐的，本次申请将予以终止，须重新申请。", "indent"))
        story.append(L.spacer(2))
        story.append(pending_table(app))

    n = "三" if app.pending else "二"
    story.append(L.para(f"{n}、办理进度查询与结果领取", "h2"))
    follow = [f"扫描右上角二维码，或凭办件编号 {app.number} 在大厅自助终端、服务台查询办理进度。"]
    if hall.phone:
        follow.append(f"咨询电话：{hall.phone}。")
    if app.delivery == "post":
        follow.append("办理结果将邮寄送达，请保持联系电话畅通。")
    else:
        follow.append(f"办结后请凭本回执和本人身份证件到{hall.name}领取办理结果。")
    story.append(L.para("".join(follow), "indent"))
    if app.promised_provisional or any(p.provisional for p in app.pending):
        story.append(L.spacer(1))
        story.append(L.para(PROVISIONAL_NOTE, "small"))

    story.append(L.signature_lines(
        (f"申请人（签名）：{L.blank(9)}", f"日期：{L.DATE_BLANK}"),
        (f"受理人：{L.markup(app.clerk_name)}", "（受理专用章）"),
    ))
    return L.render(story, hall, f"受理回执 {app.number}", qr_payload=hall.follow_payload(app.number, app.follow_token, "a"),
                    qr_caption=qr_caption(hall, app.follow_token))
