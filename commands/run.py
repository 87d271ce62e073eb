"""`run [--role ...]`: open the hall's screens. With no role, the demo: kiosk, clerk
workbench, hall display and evaluator side by side on one screen, with simulated devices."""

from __future__ import annotations

import argparse
import sys

NAME = "run"
HELP = "打开界面：默认演示大厅（取号机、窗口工作台、大厅显示屏、评价器）；--role 只开一个终端"
ROLES = ("demo", "kiosk", "clerk", "display", "evaluator", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=ROLES, default="demo",
                        help="demo=演示全部；kiosk=取号机；clerk=窗口工作台；display=大厅显示屏；evaluator=评价器；admin=管理后台")
    parser.add_argument("--window", type=int, default=1, help="窗口号（clerk、evaluator 用）")
    parser.add_argument("--orientation", choices=("portrait", "landscape"), default="portrait",
                        help="取号机屏幕方向")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--windowed", action="store_true", help="取号机、显示屏不全屏（调试用）")
    parser.add_argument("--no-simulators", action="store_true",
                        help="不启动模拟设备（未在设置中配置端口的设备视为未连接）")


def run(args: argparse.Namespace) -> int:
    from ui.display_check import require_display

    if not require_display():
        return 2
    from kiosk import open_hall
    from kiosk.errors import HallError

    try:
        hall = open_hall(args.db, seed_demo=True)
    except HallError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    from ui.launcher import launch

    return launch(hall, role=args.role, window=args.window, orientation=args.orientation, lang=args.lang,
                  windowed=args.windowed, simulate=not args.no_simulators)
