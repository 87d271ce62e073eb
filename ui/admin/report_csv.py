"""The report as CSV rows: one table a spreadsheet can sum, then the acceptance figures."""

from __future__ import annotations

import csv
import io

from kiosk.models import GroupFigures, Report

HEAD = ("分组", "名称", "取号", "办结", "过号", "放弃", "平均等候(分钟)", "90%等候(分钟)", "最长等候(分钟)",
        "平均办理(分钟)")


def _row(group: str, g: GroupFigures) -> list[object]:
    return [group, g.label or g.key, g.issued, g.served, g.skipped, g.abandoned, f"{g.avg_wait_min:.1f}",
            f"{g.p90_wait_min:.1f}", f"{g.max_wait_min:.1f}", f"{g.avg_service_min:.1f}"]


def summary(report: Report) -> list[tuple[str, str]]:
    """The reform's figures in words, for the screen and the CSV alike."""
    return [
        ("办件总数", str(report.applications)), ("受理", str(report.acceptances)),
        ("其中容缺受理", str(report.rongque_acceptances)), ("一次性告知", str(report.notices)),
        ("容缺待补", str(report.pending_open)), ("容缺已补齐", str(report.pending_supplied)),
        ("容缺逾期", str(report.pending_overdue)),
        ("一次办结", f"{report.one_visit}（{report.one_visit_share:.1%}）"),
        ("评价数", str(report.ratings)), ("满意率", f"{report.satisfaction:.1%}"),
        ("未办结差评", str(report.open_bad_reviews)),
    ]


def report_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["统计期间", report.date_from.isoformat(), report.date_to.isoformat()])
    w.writerow(HEAD)
    w.writerow(_row("合计", report.totals))
    for group, items in (("分类", report.by_category), ("窗口", report.by_window), ("人员", report.by_clerk)):
        for g in items:
            w.writerow(_row(group, g))
    w.writerow([])
    for label, value in summary(report):
        w.writerow([label, value])
    return buf.getvalue()
