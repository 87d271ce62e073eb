"""容缺受理通知书 and the 承诺书 the citizen signs.

Two pages on purpose: the notice is the citizen's copy, the signed undertaking stays with the
hall. The undertaking states the consequence in plain words (late means the application is
terminated and must be made again), because a deadline without its consequence is the usual
reason a 容缺 application ends in a second and third visit.
"""

from __future__ import annotations

from kiosk.models import Application, HallInfo
from printing import pdf_layout as L
from printing.pdf_layout import qr_caption
from printing.pdf_receipt import PROVISIONAL_NOTE, applicant_fields, deadline, pending_table, promised
from printing.privacy import id_field, mask_valid_ids

CONSEQUENCE = "如未在上述期限内补齐全部材料，本次申请予以终止，已受理的申请不再继续办理，须重新提出申请。"


def default_undertaking(app: Application) -> str:
    """The standard text when the hall has not configured its own."""
    items = "、".join(f"《{p.name}》" for p in app.pending) or "上述材料"
    return (
        f"本人（本单位）申请办理“{app.matter_name}”事项，因{items}暂未提供，申请容缺受理。"
        "现郑重承诺：一、已提交的申请材料真实、合法、有效；"
        "二、在下列期限内补齐容缺材料，补交的材料与申请时承诺的内容一致；"
        f"三、{CONSEQUENCE}"
        "四、如提供虚假材料，愿意承担相应的法律责任。"
    )


def build_rongque_pdf(app: Application, hall: HallInfo) -> bytes:
    """容缺受理通知书 (page 1) and 容缺受理承诺书 (page 2) as A4 PDF bytes."""
    if not app.pending:
        raise ValueError(f"办件 {app.number} 没有容缺材料，无需容缺受理通知书")
    provisional = any(p.provisional for p in app.pending) or app.promised_provisional
    story: list = []
    story += L.title_block("容缺受理通知书", hall.name, "办件编号", app.number)
    story.append(L.para(f"{app.applicant_name}：", "body"))
    story.append(L.para(
        f"你（单位）于{L.fmt_date(app.received_at.date())}申请办理的“{app.matter_name}”事项，"
        "主要申请材料齐全、符合法定形式，部分次要材料尚待补正。根据容缺受理有关规定，"
        f"本中心于{L.fmt_date((app.accepted_at or app.received_at).date())}予以容缺受理，"
        f"承诺办结日期为{promised(app)}。请在下列期限前补齐以下材料：", "indent"))
    story.append(L.spacer(2))
    story.append(pending_table(app))
    story.append(L.spacer(2))
    story.append(L.para(
        f"材料可到任一综合受理窗口补交，补交时请携带本通知书。{CONSEQUENCE}"
        f"办件进度可扫描右上角二维码或凭办件编号 {app.number} 查询。"
        + (f"咨询电话：{hall.phone}。" if hall.phone else ""), "indent"))
    if provisional:
        story.append(L.para(PROVISIONAL_NOTE, "small"))
    story.append(L.spacer(2))
    story.append(L.fields(applicant_fields(app)))
    story.append(L.signature_lines(
        (f"受理人：{L.markup(app.clerk_name)}（{L.markup(L.fmt_window(app.window))}）", "（受理专用章）"),
        ("", f"{L.markup(L.fmt_date((app.accepted_at or app.received_at).date()))}"),
    ))

    story += L.new_titled_page()
    story += undertaking_story(app, hall)
    return L.render(story, hall, f"容缺受理通知书 {app.number}", qr_payload=hall.follow_payload(app.number, app.follow_token, "a"),
                    qr_caption=qr_caption(hall, app.follow_token))


def undertaking_story(app: Application, hall: HallInfo) -> list:
    """The 容缺受理承诺书 page: the text, what is owed by when, and the lines to sign."""
    provisional = any(p.provisional for p in app.pending) or app.promised_provisional
    story: list = []
    story += L.title_block("容缺受理承诺书", hall.name, "办件编号", app.number)
    story.append(L.para(mask_valid_ids(app.undertaking or default_undertaking(app)), "indent"))
    story.append(L.spacer(3))
    rows = [(i, p.name, deadline(p.deadline, p.provisional)) for i, p in enumerate(app.pending, 1)]
    story.append(L.grid(["序号", "承诺补齐的材料", "补齐期限"], rows, [12, 110, 44], ["c", "l", "c"]))
    story.append(L.spacer(2))
    story.append(L.para(f"承诺人已知悉：{CONSEQUENCE}", "indent"))
    if provisional:
        story.append(L.para(PROVISIONAL_NOTE, "small"))
    story.append(L.signature_lines(
        (f"承诺人（签名）：{L.blank(9)}", f"日期：{L.DATE_BLANK}"),
        (f"证件号码：{L.markup(id_field(app.applicant_id_masked))}", f"联系电话：{L.blank(8)}"),
        (f"受理人（签名）：{L.blank(9)}", f"日期：{L.DATE_BLANK}"),
    ))
    return story


def build_undertaking_pdf(app: Application, hall: HallInfo) -> bytes:
    """The 承诺书 alone, printed for signing before the 容缺 acceptance is recorded.

    The application has no number yet (`app` is the hall's preview), so the page carries the
    placeholder and no QR code; the signed paper is filed with the receipt that follows.
    """
    if not app.pending:
        raise ValueError("没有容缺材料，无需承诺书")
    return L.render(undertaking_story(app, hall), hall, "容缺受理承诺书")
