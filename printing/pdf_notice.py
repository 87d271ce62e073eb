"""一次性告知书: every missing or defective item at once, written and dated.

《中华人民共和国行政许可法》第三十二条 requires the notice to be given once, in writing, on the
spot or within five days; the citation, the full list and the date are therefore always there,
and each item says what to bring, not only what is wrong, so the next visit is the last one.
"""

from __future__ import annotations

from kiosk.models import HallInfo, Notice
from printing import pdf_layout as L
from printing.privacy import id_field, mask_valid_ids

PROBLEM = {"missing": "缺少", "defective": "有误"}
LAW = "《中华人民共和国行政许可法》第三十二条"


def build_notice_pdf(notice: Notice, hall: HallInfo) -> bytes:
    """The one-time notice as A4 PDF bytes. The QR carries the application number if there is one."""
    story: list = []
    story += L.title_block("一次性告知书", hall.name, "告知书编号", notice.number)
    story.append(L.para(f"{notice.applicant_name}：", "body"))
    story.append(L.para(
        f"你（单位）于{L.fmt_date(notice.issued_at.date())}申请办理的“{notice.matter_name}”事项，"
        f"经审查，申请材料不齐全或者不符合法定形式。根据{LAW}的规定，"
        f"现将需要补正的全部内容一次性告知如下（共 {len(notice.items)} 项）：", "indent"))
    story.append(L.spacer(2))
    rows = [
        (i, it.name, PROBLEM.get(it.problem, it.problem), mask_valid_ids(it.reason), mask_valid_ids(it.what_to_bring))
        for i, it in enumerate(notice.items, 1)
    ]
    story.append(L.grid(["序号", "材料名称", "问题", "具体原因", "需补正（携带）的材料"], rows,
                        [12, 50, 20, 46, 56], ["c", "l", "c", "l", "l"]))
    story.append(L.spacer(2))
    story.append(L.para(
        "请按上述要求补正全部材料后，到本中心任一综合受理窗口提交；补正材料齐全、符合法定形式的，"
        "当场予以受理。补正时请携带本告知书。除上述内容外，不再要求补正其他材料。", "indent"))
    if hall.phone:
        story.append(L.para(f"咨询电话：{hall.phone}", "indent"))
    story.append(L.spacer(3))
    story.append(L.fields([
        ("申请人", notice.applicant_name),
        ("证件号码", id_field(notice.applicant_id_masked)),
        ("事项名称*", notice.matter_name),
        ("承办部门*", notice.department),
        ("经办人", notice.clerk_name),
        ("告知窗口", L.fmt_window(notice.window)),
        ("告知时间", L.fmt_datetime(notice.issued_at)),
        ("关联办件", notice.application_number or "—"),
    ]))
    story.append(L.signature_lines(
        (f"申请人签收：{L.blank(9)}", f"签收日期：{L.DATE_BLANK}"),
        (f"经办人：{L.markup(notice.clerk_name)}", "（服务中心印章）"),
        ("", L.markup(L.fmt_date(notice.issued_at.date()))),
    ))
    payload = hall.follow_payload(notice.application_number) if notice.application_number else None
    return L.render(story, hall, f"一次性告知书 {notice.number}", qr_payload=payload,
                    qr_caption=L.qr_caption(hall, ""))
