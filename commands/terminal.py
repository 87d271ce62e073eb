"""`terminal add|list|move|devices|revoke|reissue`: the PCs allowed to reach the hall server, each with a role.

`add` prints the new terminal's token as the last line of its output; only its hash is kept,
so it cannot be shown again (`reissue` gives a new one and voids the old).
"""

from __future__ import annotations

import argparse

from commands._common import friendly_errors, open_from_args, print_table
from kiosk.errors import InvalidAction
from kiosk.hall_terminals import ROLE_NAMES
from kiosk.settings import DEVICE_NAMES

NAME = "terminal"
HELP = "登记、列出、注销大厅终端（取号机、显示屏、评价器、窗口工作台、管理后台）及其令牌"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="登记一台终端，最后一行输出它的令牌")
    add.add_argument("--role", required=True, choices=(*ROLE_NAMES, "admin"),
                     help="kiosk=取号机；display=显示屏；evaluator=评价器；clerk=窗口工作台；"
                          "manager=管理后台（也可写 admin，与 run --role admin 同名）")
    add.add_argument("--window", type=int, help="窗口号（clerk、evaluator 必填）")
    add.add_argument("--name", required=True, help="终端名称，如“1号窗口”“大厅取号机A”")
    add.add_argument("--place", default="", help="摆放位置，如“一楼东侧入口”（帮办呼叫时告诉工作人员去哪里）")
    sub.add_parser("list", help="列出已登记的终端")
    move = sub.add_parser("move", help="把窗口工作台或评价器改到另一个窗口，或改它的摆放位置（令牌不变）")
    move.add_argument("name")
    move.add_argument("--window", type=int, help="新的窗口号（不写则不变；只有 clerk、evaluator 属于窗口）")
    move.add_argument("--place", help="新的摆放位置（不写则不变）")
    devices = sub.add_parser("devices", help="为一台终端单独设置设备端口（运行中的终端随即按此重新连接）；--hall-settings 改回按大厅设置")
    devices.add_argument("name")
    devices.add_argument("--hall-settings", action="store_true", help="不再单独设置：按大厅“设置”中的设备端口")
    for key, name in DEVICE_NAMES.items():
        devices.add_argument(f"--{key}-port", metavar="URL",
                             help=f"{name}端口，如 /dev/ttyUSB0、COM3、socket://10.0.0.5:9100（不写或写 \"\" 即本机没有）")
        devices.add_argument(f"--{key}-baud", type=int, metavar="N", help=f"{name}波特率（不写则按大厅设置）")
    devices.add_argument("--printer-profile", metavar="MODEL", help="打印机型号（不写则按大厅设置）")
    revoke = sub.add_parser("revoke", help="注销终端：其令牌立即失效")
    revoke.add_argument("name")
    reissue = sub.add_parser("reissue", help="为终端换发新令牌（旧令牌失效），最后一行输出新令牌")
    reissue.add_argument("name")


@friendly_errors
def run(args: argparse.Namespace) -> int:
    _check_options(args)  # before the hall is opened: a refused line leaves it as it was
    hall = open_from_args(args, seed_demo=False)
    try:
        if args.action == "add":
            # `run --role admin` opens the console a `manager` terminal is registered for: one word for both
            role = "manager" if args.role == "admin" else args.role
            terminal, token = hall.add_terminal(args.name, role, args.window, args.place)
            where = f"，{terminal.window}号窗口" if terminal.window else ""
            print(f"已登记终端“{terminal.name}”（{ROLE_NAMES[terminal.role]}{where}）。令牌只显示这一次，请填入该终端的配置：")
            print(token)
        elif args.action == "reissue":
            terminal, token = hall.reissue_terminal(args.name)
            print(f"已为终端“{terminal.name}”换发新令牌，旧令牌已失效：")
            print(token)
        elif args.action == "move":
            current = next((t for t in hall.terminals() if t.name == args.name), None)
            place = args.place if args.place is not None else (current.place if current else "")
            window = args.window if args.window is not None else (current.window if current else None)
            terminal = hall.update_terminal(args.name, window, place, by="terminal move")
            where = f"{terminal.window}号窗口" if terminal.window else "不属于窗口"
            print(f"已更新终端“{terminal.name}”：{where}，位置“{terminal.place or '—'}”；令牌不变")
        elif args.action == "devices":
            terminal = hall.set_terminal_devices(args.name, None if args.hall_settings else _devices(args, hall),
                                                 by="terminal devices")
            d = terminal.devices or {}
            shown = "；".join(f"{name} {d.get(key + '_port') or '无'}"
                             + (f"（{d.get(key + '_baud')}）" if d.get(key + "_port") else "")
                             for key, name in DEVICE_NAMES.items())
            print(f"终端“{terminal.name}”的设备：{shown if terminal.devices is not None else '按大厅设置'}"
                  "（它若正在运行，随即按此重新连接；它的 terminal.toml 另写了 [devices] 的除外）")
        elif args.action == "revoke":
            terminal = hall.revoke_terminal(args.name)
            print(f"已注销终端“{terminal.name}”，其令牌不再有效")
        else:
            print_table(("名称", "类型", "窗口", "状态", "最近在线", "设备"),
                        [_terminal_row(t) for t in hall.terminals()],
                        "还没有登记任何终端（terminal add --role ... --name ...）")
    finally:
        hall.close()
    return 0


def _device_options(args: argparse.Namespace) -> list[str]:
    """The device options given on the line (`terminal devices`), as typed."""
    given = [f"--{key}-{what}" for key in DEVICE_NAMES for what in ("port", "baud")
             if getattr(args, f"{key}_{what}") is not None]  # `--printer-port ""` is given: no printer
    return given + (["--printer-profile"] if args.printer_profile else [])


def _check_options(args: argparse.Namespace) -> None:
    """Refuse, in one line, what argparse lets through but would do something else than meant:
    `devices NAME` alone took every device away from the PC, `move NAME` alone changed nothing
    and said it had, and a window 0 was reported as a missing window number."""
    if getattr(args, "window", None) is not None and args.window < 1:
        raise InvalidAction(f"窗口号应为正整数（1、2、3……），实际为 {args.window}")
    if args.action == "move" and args.window is None and args.place is None:
        raise InvalidAction(f"没有给出终端“{args.name}”要改的：请用 --window 给出新的窗口号（窗口工作台和评价器），"
                            "或用 --place 给出新的摆放位置，两者可同时给")
    if args.action == "devices":
        given = _device_options(args)
        if args.hall_settings and given:
            raise InvalidAction(f"--hall-settings（按大厅设置）不能与 {'、'.join(given)} 同时使用")
        if not args.hall_settings and not given:
            ports = "、".join(f"--{key}-port" for key in DEVICE_NAMES)
            raise InvalidAction(f"没有给出设备：请用 {ports}（及 --…-baud、--printer-profile）列出本机的设备，"
                                "不写的端口即本机没有；或用 --hall-settings 改回按大厅设置")


def _terminal_row(t) -> tuple[str, ...]:  # noqa: ANN001 - a Terminal
    """One registered PC as `terminal list` shows it."""
    seen = f"最近在线 {t.last_seen_at:%Y-%m-%d %H:%M}" if t.last_seen_at else "从未连接"
    ports = "、".join(f"{k.removesuffix('_port')}={v or '无'}" for k, v in (t.devices or {}).items()
                     if k.endswith("_port"))
    return (t.name, ROLE_NAMES.get(t.role, t.role), f"{t.window}号窗口" if t.window else "—",
            "已注销" if t.revoked_at else "有效", seen, f"本机设备 {ports}" if t.devices is not None else "设备按大厅设置")


def _devices(args: argparse.Namespace, hall) -> dict:  # noqa: ANN001 - the opened hall
    """The PC's whole device list from the options: ports as given (none: not connected), baud
    rates and model from the hall's settings where not given; checked as any device list is."""
    from devices.ports import device_list_problems
    from kiosk.errors import ValidationError

    s = hall.settings()
    devices: dict = {}
    for key in DEVICE_NAMES:
        devices[f"{key}_port"] = (getattr(args, f"{key}_port") or "").strip()
        baud = getattr(args, f"{key}_baud")
        devices[f"{key}_baud"] = baud if baud is not None else getattr(s, f"{key}_baud")
    devices["printer_profile"] = args.printer_profile or s.printer_profile
    problems = device_list_problems(devices)
    if problems:
        raise ValidationError(problems, f"终端“{args.name}”的设备")
    return devices
