"""`screenshot --out DIR`: render every screen to PNG offscreen, no display needed."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

NAME = "screenshot"
HELP = "把所有界面（取号机横竖屏、长者模式、英文、窗口、显示屏、评价器、管理后台）渲染为PNG"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="输出目录")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.screenshots import render_all

    paths = render_all(args.out)
    for p in paths:
        print(p)
    print(f"共{len(paths)}张截图：{args.out}")
    return 0
