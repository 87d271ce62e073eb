"""A report as rows of text: for the terminal, and as CSV for spreadsheets."""

from __future__ import annotations

from kiosk.csv_cells import csv_line
from kiosk.models import DEVICE_NAMES, GroupFigures, Report

# the words of the console's table and the PDF (办结, 等候), so a manager comparing them reads the same
GROUP_HEADERS = ("分组", "名称", "取号", "办结", "过号", "放弃", "转出", "平均等候(分)", "90%等候(分)", "最长等候(分)",
                 "平均办理(分)")


def group_rows(report: Report) -> list[tuple]:
    def row(kind: str, g: GroupFigures) -> tuple:
        return (kind, g.label, g.issued, g.served, g.skipped, g.abandoned, g.handed_on, g.avg_wait_min, g.p90_wait_min,
                g.max_wait_min, g.avg_service_min)

    rows = [row("合计", report.totals)]
    rows += [row("分类", g) for g in report.by_category]
    rows += [row("窗口", g) for g in report.by_window]
    rows += [row("人员", g) for g in report.by_clerk]
    return rows


def share_text(share: float, part: int, whole: int) -> str:
    """"87.5%（7/8）", or "—（0/0）" when there is nothing to take a share of: no ratings is not 0%."""
    return f"{share:.1%}（{part}/{whole}）" if whole else f"—（{part}/{whole}）"


def summary_rows(report: Report) -> list[tuple[str, str]]:
    return [
        ("受理", str(report.acceptances)),
        ("其中容缺受理", str(report.rongque_acceptances)),
        ("一次性告知", str(report.notices)),
        ("容缺待补（未到期）", str(report.pending_open)),
        ("容缺已补齐", str(report.pending_supplied)),
        ("容缺逾期", str(report.pending_overdue)),
        ("一次办结率（跑一次）", share_text(report.one_visit_share, report.one_visit, report.applications)),
        ("评价数", str(report.ratings)),
        ("满意率", share_text(report.satisfaction, report.satisfied, report.ratings)),
        ("未办结差评", str(report.open_bad_reviews)),
        ("帮办呼叫", f"{report.helper_calls}（超时未接 {report.helper_calls_late}）"),
        ("帮办接手时间（中位/最长）", _seconds(report.helper_take_median_s) + " / " + _seconds(report.helper_take_longest_s)
         if report.helper_calls else "—"),
    ] + [(f"设备停用：{d.terminal} {DEVICE_NAMES.get(d.device, d.device)}", f"{_seconds(d.seconds)}（{d.episodes}次）")
         for d in report.device_downtime]


def _seconds(value: float) -> str:
    """90 -> "1分30秒"; the hall reads waits in minutes and seconds, not decimals."""
    minutes, seconds = divmod(round(value), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}小时{minutes}分"
    return f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"


def to_csv(report: Report) -> str:
    """The report for a spreadsheet. Window, staff and category names come from the hall's
    own data, so every text cell is guarded against being run as a formula (kiosk.csv_cells);
    the 名称 column is kept as text too, because a clerk without a name is listed by 工号 and
    "007" must not open as 7."""
    lines = [csv_line(("统计期间", f"{report.date_from} 至 {report.date_to}")), csv_line(()), csv_line(GROUP_HEADERS)]
    lines += [csv_line(r, id_columns=frozenset({1})) for r in group_rows(report)]
    lines += [csv_line(()), csv_line(("指标", "数值"))]
    lines += [csv_line(r) for r in summary_rows(report)]
    lines.append(csv_line(()))
    lines += [csv_line(("口径", d)) for d in report.definitions]
    return "".join(lines)


def to_text(report: Report) -> str:
    lines = [f"大厅统计  {report.date_from} 至 {report.date_to}", ""]
    widths = (4, 14, 7, 7, 6, 6, 6, 12, 12, 12, 12)

    def fmt(cells: tuple) -> str:
        parts = []
        for cell, width in zip(cells, widths, strict=True):
            text = str(cell)
            pad = width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
            parts.append(text + " " * max(1, pad))
        return "".join(parts).rstrip()

    lines.append(fmt(GROUP_HEADERS))
    lines += [fmt(r) for r in group_rows(report)]
    lines.append("")
    lines += [f"{k}：{v}" for k, v in summary_rows(report)]
    if report.definitions:
        lines += ["", "口径："] + [f"  {d}" for d in report.definitions]
    return "\n".join(lines)
