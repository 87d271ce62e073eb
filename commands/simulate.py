"""`simulate idcard|printer|scanner`: run one device simulator on a pty until Ctrl-C.

The first line printed is the port path to give the application (`--port` of the device
commands, or the hall's device settings). While it runs, lines typed on standard input
change its behaviour, e.g. `fault 41`, `fault silent`, `fault none`, `place 2`, `lift`,
`paper out`, `paper in`, `cover open`, `cover closed`, `offline on`, `scan YY20261125381604`,
`unplug`, `replug`.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

NAME = "simulate"
HELP = "在伪终端上运行设备模拟器（读卡器、打印机、扫码器），首行输出端口路径"

_DEFAULT_BAUD = {"idcard": 115200, "printer": 9600, "scanner": 9600}
_DEFAULT_CYCLE = 3.0
_DEFAULT_INTERVAL = 2.0
# which simulator each device-specific option belongs to
_OPTION_DEVICE = {"--cards": "idcard", "--fault": "idcard", "--cycle": "idcard", "--out": "printer",
                  "--paper-out": "printer", "--codes": "scanner", "--interval": "scanner", "--ending": "scanner"}
# the reader's faults that are a way of answering rather than a status code (devices/simulators/idcard.py)
_BEHAVIOUR_WORDS = {
    "checksum": "每个应答的校验和都是错的",
    "garbage": "每个应答前夹杂乱码",
    "split": "每个应答分三段、间隔30毫秒送出",
    "silent": "不作任何应答",
    "unplug": "端口消失，如同读卡器被拔出",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("device", choices=("idcard", "printer", "scanner"), help="模拟哪种设备")
    parser.add_argument("--baud", type=int, help="波特率（读卡器默认 115200，其余 9600）")
    parser.add_argument("--link", metavar="PATH", help="端口的固定路径（符号链接；缺省在临时目录）")
    parser.add_argument("--cards", metavar="FILE", help="读卡器：证件 JSON 文件（默认演示证件）")
    parser.add_argument(
        "--fault", metavar="F", help="读卡器：故障（SW3 码如 41，或 checksum/garbage/split/silent/unplug）"
    )
    parser.add_argument(
        "--cycle",
        type=float,
        metavar="S",
        help=f"读卡器：读过一张证件后隔几秒放下一张（默认 {_DEFAULT_CYCLE:g}；0 表示不自动放卡）",
    )
    parser.add_argument("--out", metavar="FILE", help="打印机：把打印内容追加到该文件")
    parser.add_argument("--paper-out", action="store_true", help="打印机：以缺纸状态启动")
    parser.add_argument("--codes", metavar="A,B,...", help="扫码器：依次发送的条码（逗号分隔）")
    parser.add_argument(
        "--interval", type=float, metavar="S", help=f"扫码器：发送间隔秒数（默认 {_DEFAULT_INTERVAL:g}）"
    )
    parser.add_argument(
        "--ending", choices=("cr", "lf", "crlf"), help="扫码器：行尾（默认 cr）"
    )


def _misplaced(args: argparse.Namespace) -> str:
    """Why an option given does not fit the device simulated, in one line ("" when all fit):
    argparse takes every device's options for any device, and the simulator ignored the others',
    so `simulate printer --fault 41` ran a healthy printer and said nothing of it."""
    from devices.events import device_label

    given = [option for option, device in _OPTION_DEVICE.items()
             if device != args.device and getattr(args, option.removeprefix("--").replace("-", "_")) not in (None, False)]
    if not given:
        return ""
    own = [option for option, device in _OPTION_DEVICE.items() if device == args.device]
    owners = dict.fromkeys(_OPTION_DEVICE[o] for o in given)
    whose = "，".join(f"{'、'.join(o for o in given if _OPTION_DEVICE[o] == d)} 只用于模拟{device_label(d)}"
                     for d in owners)
    hint = "，运行时可输入 paper out、cover open、offline on、silent on、unplug" if args.device == "printer" else ""
    return f"{whose}；模拟{device_label(args.device)}可用 {'、'.join(own)}{hint}"


def _fault_words(sim: Any, args: argparse.Namespace) -> str:
    """The fault the simulator starts with, in words ("" when it starts healthy)."""
    if args.device == "printer" and args.paper_out:
        return "缺纸；输入 paper in 装纸"
    fault = getattr(sim, "fault", None) if args.device == "idcard" else None
    if fault is None:
        return ""
    from devices.idcard.protocol import sw3_message

    words = _BEHAVIOUR_WORDS.get(fault) or f"读卡时答复状态码 {fault}（{sw3_message(int(fault, 16))}）"
    return f"{words}；输入 fault none 恢复正常"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # `kill` cleans up like Ctrl-C: pty closed, link removed


def run(args: argparse.Namespace) -> int:
    import signal

    from devices.events import device_label
    from devices.simulators.base import PtySimulator

    signal.signal(signal.SIGTERM, _interrupt)

    misplaced = _misplaced(args)
    if misplaced:
        print(f"错误：{misplaced}", file=sys.stderr)
        return 2
    try:
        sim = _build(args)
    except (ValueError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    assert isinstance(sim, PtySimulator)
    fault = _fault_words(sim, args)

    def ready(port: str) -> None:
        print(port, flush=True)
        print(f"模拟{device_label(args.device)}已启动，波特率 {sim.baud}；按 Ctrl-C 结束", file=sys.stderr, flush=True)
        if fault:
            print(f"模拟故障：{fault}", file=sys.stderr, flush=True)
        threading.Thread(target=_control_loop, args=(sim,), daemon=True).start()

    try:
        sim.run_forever(on_ready=ready)
    except OSError as exc:
        print(f"错误：无法创建伪终端：{exc}", file=sys.stderr)
        return 1
    return 0


def _build(args: argparse.Namespace) -> Any:
    baud = args.baud or _DEFAULT_BAUD[args.device]
    if args.device == "idcard":
        from devices.demo import DEMO_CARDS
        from devices.idcard.records import load_cards
        from devices.simulators.idcard import IdCardSimulator

        cards = load_cards(args.cards or DEMO_CARDS)
        if not cards:
            raise ValueError("证件文件中没有证件")
        cycle = _DEFAULT_CYCLE if args.cycle is None else (args.cycle if args.cycle > 0 else None)
        sim = IdCardSimulator(cards, baud=baud, fault=args.fault, link=args.link, auto_cycle=cycle)
        if cycle is None:
            sim.place(0)
        return sim
    if args.device == "printer":
        from devices.simulators.printer import PrinterSimulator

        sim = PrinterSimulator(baud=baud, out=args.out, link=args.link)
        sim.paper_out = args.paper_out
        return sim
    from devices.simulators.scanner import ScannerSimulator

    codes = [c.strip() for c in (args.codes or "").split(",") if c.strip()]
    return ScannerSimulator(
        baud=baud, ending=args.ending or "cr", codes=codes or None,
        interval=_DEFAULT_INTERVAL if args.interval is None else args.interval, link=args.link
    )


def _control_loop(sim: Any) -> None:
    """Apply commands typed on stdin; a bad line gets a one-line answer, never a crash."""
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            _apply(sim, words)
        except (ValueError, IndexError, AttributeError) as exc:
            print(f"无法执行：{' '.join(words)}（{exc}）", file=sys.stderr, flush=True)
        else:
            print(f"已执行：{' '.join(words)}", file=sys.stderr, flush=True)


def _apply(sim: Any, words: list[str]) -> None:
    verb, rest = words[0].lower(), words[1:]
    on = bool(rest) and rest[0].lower() in ("on", "out", "open", "1", "yes")
    if verb == "fault":
        sim.set_fault(rest[0] if rest else None)
    elif verb == "place":
        sim.place(int(rest[0]) if rest else 0)
    elif verb == "lift":
        sim.lift()
    elif verb == "paper":
        sim.set_state(paper_out=on)
    elif verb == "cover":
        sim.set_state(cover_open=on)
    elif verb == "offline":
        sim.set_state(offline=on)
    elif verb == "cutter":
        sim.set_state(cutter_error=on)
    elif verb == "silent":
        sim.set_state(silent=on)
    elif verb == "scan":
        sim.scan(" ".join(rest))
    elif verb == "unplug":
        sim.unplug()
    elif verb == "replug":
        sim.replug()
    else:
        raise ValueError("未知命令")
