"""`window add|list`: the hall's windows (counters) from the command line.

A window PC is registered to its window (`terminal add --role clerk --window 3`), so the window
must exist first; on a real hall's first day that is here or in the console's 窗口 tab.
"""

from __future__ import annotations

import argparse

from commands._common import friendly_errors, open_from_args, print_table

NAME = "window"
HELP = "添加、列出大厅的窗口（先有窗口，才能为它登记窗口工作台和评价器）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="添加一个窗口")
    add.add_argument("--number", type=int, required=True, help="窗口号（正整数，叫号时念出）")
    add.add_argument("--name", required=True, help="窗口名称，如“综合受理3号窗口”")
    add.add_argument("--categories", default="", metavar="A,B",
                     help="办理的分类字母，逗号分隔；不写即综合窗口，办理所有分类")
    sub.add_parser("list", help="列出窗口")


@friendly_errors
def run(args: argparse.Namespace) -> int:
    from kiosk.models import Window

    hall = open_from_args(args)
    try:
        if args.action == "add":
            categories = tuple(c.strip().upper() for c in args.categories.replace("，", ",").split(",") if c.strip())
            hall.save_window(Window(number=args.number, name=args.name, categories=categories), new=True)
            serves = "、".join(categories) if categories else "所有分类（综合窗口）"
            print(f"已添加{args.number}号窗口“{args.name.strip()}”，办理{serves}；大厅数据库 {hall.location()}")
        else:
            names = {c.prefix: c.name for c in hall.categories()}
            print_table(("窗口号", "名称", "办理", "状态"),
                        [(w.number, w.name,
                          "、".join(f"{c} {names.get(c, '')}".strip() for c in w.categories) or "所有分类（综合窗口）",
                          "启用" if w.active else "停用") for w in hall.windows()],
                        "还没有任何窗口（window add --number 1 --name 综合受理1号窗口）")
    finally:
        hall.close()
    return 0
