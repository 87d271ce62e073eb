"""A matter's checklist (材料清单) for the kiosk: what this applicant must bring, nothing else.

The kiosk has already asked the conditions, so the sheet lists first what to bring for the
applicant's situation, then what the hall fetches itself (免提交: never send a citizen to fetch
what the hall can), then the conditional items that do not apply with their condition, so a
citizen whose situation differs can see it at once.
"""

from __future__ import annotations

from kiosk.models import Checklist, HallInfo, Material
from printing import pdf_layout as L
from printing.privacy import mask_valid_ids


def _notes(m: Material) -> str:
    parts = []
    if m.condition:
        parts.append(f"适用情形：{m.condition}")
    if not m.key:
        parts.append("次要材料")
    if m.rongque:
        parts.append("可容缺（可先受理、限期补齐）")
    if m.notes:
        parts.append(mask_valid_ids(m.notes))
    return "；".join(parts) or "—"


def build_checklist_pdf(checklist: Checklist, hall: HallInfo) -> bytes:
    """The checklist for one matter and one applicant's answers, as A4 PDF bytes (no QR: no number yet)."""
    matter = checklist.matter
    story: list = []
    story += L.title_block(matter.name, "办事材料清单", "事项编码", matter.code)
    story.append(L.fields([
        ("承办部门*", matter.department),
        ("事项类型", matter.type or "—"),
        ("收费标准", matter.fee or "不收费"),
        ("承诺时限", f"{matter.promised_days} 个工作日"),
        ("法定时限", f"{matter.statutory_days} 个工作日"),
        ("网上办理", "可网上申请" if matter.online else "窗口办理"),
        ("材料份数", f"需携带 {len(checklist.to_bring)} 项，免提交 {len(checklist.shared)} 项"),
        ("您的情形*", "；".join(checklist.answers) if checklist.answers else "无特殊情形"),
    ]))

    story.append(L.para("一、需要携带的材料", "h2"))
    rows = [(i, m.name, m.form, m.copies, _notes(m)) for i, m in enumerate(checklist.to_bring, 1)]
    story.append(L.grid(["序号", "材料名称", "形式", "份数", "说明"], rows, [12, 64, 26, 12, 62],
                        ["c", "l", "c", "c", "l"], empty="无需携带材料"))

    story.append(L.para("二、免提交材料（由大厅通过数据共享获取，无需携带）", "h2"))
    rows = [(i, m.name, "免提交", _notes(m)) for i, m in enumerate(checklist.shared, 1)]
    story.append(L.grid(["序号", "材料名称", "标记", "说明"], rows, [12, 78, 22, 62], ["c", "l", "c", "l"]))

    other = [i.material for i in checklist.items if not i.needed]
    if other:
        story.append(L.para("三、其他情形下需要的材料（与您选择的情形无关）", "h2"))
        rows = [(i, m.name, m.condition or "—") for i, m in enumerate(other, 1)]
        story.append(L.grid(["序号", "材料名称", "适用情形"], rows, [12, 90, 72], ["c", "l", "l"]))

    story.append(L.spacer(3))
    tips = (
        "以上材料齐全、符合要求的，可一次办结，无需再跑。复印件请使用 A4 纸；标“可容缺”的次要材料暂缺时，"
        "可签署承诺书先行受理、限期补齐。"
    )
    if hall.phone:
        tips += f"如有疑问请咨询服务台或致电 {hall.phone}。"
    story.append(L.para(tips, "indent"))
    if matter.source:
        story.append(L.para(f"依据：{matter.source}", "small"))
    return L.render(story, hall, f"材料清单 {matter.name}")
