"""The hall's daily (or date-range) report for the manager.

Organised as the reform is judged: queue figures first, then acceptance (容缺, one-time
notices, pending items), then the share of applications done in one visit and satisfaction,
then the same queue figures by category, window and clerk.
"""

from __future__ import annotations

from kiosk.models import GroupFigures, HallInfo, Report
from printing import pdf_layout as L

_HEAD = ["名称", "取号", "办结", "过号", "放弃", "转出", "平均等候", "90%等候", "最长等候", "平均办理"]


def _minutes(x: float) -> str:
    return f"{x:.1f}"


def _row(g: GroupFigures) -> tuple:
    return (g.label or g.key, g.issued, g.served, g.skipped, g.abandoned, g.handed_on, _minutes(g.avg_wait_min),
            _minutes(g.p90_wait_min), _minutes(g.max_wait_min), _minutes(g.avg_service_min))


def _group_table(groups: tuple[GroupFigures, ...], totals: GroupFigures):
    """One row per group and a 合计 row, so a reader can check the parts add up."""
    rows = [_row(g) for g in groups]
    if rows:
        rows.append(("合计",) + _row(totals)[1:])
    return L.grid(_HEAD, rows, [32, 11, 11, 11, 11, 11, 19, 19, 19, 19],
                  ["l"] + ["r"] * 9)


def build_report_pdf(report: Report, hall: HallInfo) -> bytes:
    """The report as A4 PDF bytes; minutes in the tables, shares as percentages."""
    one_day = report.date_from == report.date_to
    period = (L.fmt_date(report.date_from) if one_day
              else f"{L.fmt_date(report.date_from)} 至 {L.fmt_date(report.date_to)}")
    t = report.totals
    story: list = []
    story += L.title_block("服务大厅运行日报" if one_day else "服务大厅运行报表", hall.name, "统计期间", period)

    story.append(L.para("一、排队叫号", "h2"))
    story.append(L.fields([
        ("取号总数", t.issued), ("已办结", t.served),
        ("过号", t.skipped), ("放弃", t.abandoned),
        ("平均等候", f"{_minutes(t.avg_wait_min)} 分钟"), ("90%等候", f"{_minutes(t.p90_wait_min)} 分钟"),
        ("最长等候", f"{_minutes(t.max_wait_min)} 分钟"), ("平均办理", f"{_minutes(t.avg_service_min)} 分钟"),
    ]))

    story.append(L.para("二、受理与“最多跑一次”", "h2"))
    story.append(L.fields([
        ("办件总数", report.applications), ("受理", report.acceptances),
        ("其中容缺受理", report.rongque_acceptances), ("一次性告知", report.notices),
        ("容缺待补", report.pending_open), ("容缺已补齐", report.pending_supplied),
        ("容缺逾期", report.pending_overdue),
        ("一次办结", f"{report.one_visit} 件，占 {L.fmt_share(report.one_visit_share, report.applications)}"),
    ], label_mm=28))
    for definition in report.definitions:  # how the reform's figure is counted, beside the figure
        story.append(L.para(definition, "small"))

    story.append(L.para("三、好差评", "h2"))
    story.append(L.fields([
        ("评价数", report.ratings), ("满意（含基本满意）", report.satisfied),
        ("满意率", L.fmt_share(report.satisfaction, report.ratings)), ("未整改差评", report.open_bad_reviews),
    ], label_mm=34))

    for title, groups in (("四、按业务类别", report.by_category), ("五、按窗口", report.by_window),
                          ("六、按工作人员", report.by_clerk)):
        story.append(L.para(title, "h2"))
        story.append(_group_table(groups, t))
    story.append(L.spacer(2))
    story.append(L.para("注：等候、办理时长单位为分钟；超过8小时才办结的号（隔夜未办结）不计入办理时长；转出为在本窗口接待后转往其他窗口或分类的号，这段接待计入本窗口、本人和原分类的平均办理，该号的取号、办结计在最后办理它的分类和窗口；满意率为前三级评价（非常满意、满意、基本满意）所占比例。",
                        "small"))
    return L.render(story, hall, f"服务大厅运行报表 {period}")
