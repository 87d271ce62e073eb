"""`report --from D --to D [--csv FILE]`: the hall's figures, without a display."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from commands._common import friendly_errors, open_from_args

NAME = "report"
HELP = "大厅统计：取号、等待、办理、受理、容缺、跑一次、满意度（可导出CSV）"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD，实际为“{text}”") from exc


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=_date, help="开始日期 YYYY-MM-DD（默认今天）")
    parser.add_argument("--to", dest="date_to", type=_date, help="结束日期 YYYY-MM-DD（默认同开始日期）")
    parser.add_argument("--csv", type=Path, help="同时导出为CSV文件（表格软件可直接打开）")
    parser.add_argument("--ratings", type=Path, metavar="FILE",
                        help="导出期间内的好差评明细（按省级上报字段；.json 为JSON，其余为CSV）")


@friendly_errors
def run(args: argparse.Namespace) -> int:
    from kiosk.report_table import to_csv, to_text

    hall = open_from_args(args)
    first = args.date_from or hall.today()
    report = hall.report(first, args.date_to or first)
    print(to_text(report))
    if args.csv:
        args.csv.write_text(to_csv(report), encoding="utf-8-sig")
        print(f"\n已导出CSV：{args.csv}")
    if args.ratings:
        fmt = "json" if args.ratings.suffix.lower() == ".json" else "csv"
        args.ratings.write_text(hall.export_ratings(first, args.date_to or first, fmt), encoding="utf-8")
        print(f"\n已导出评价明细：{args.ratings}")
    return 0
