"""`device read-id|printer-status|test-print|scan`: check a device without a display.

For the technician at a kiosk: each action opens the port given as a pyserial URL, does one
thing and says in one Chinese line what went wrong if it failed (exit status 1), never a
traceback. ID numbers are masked unless --full, as on every other screen of the hall.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

NAME = "device"
HELP = "设备诊断：读身份证、查询打印机状态、打印测试页、读扫码器（无需显示器）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    r = sub.add_parser("read-id", help="读一张证件并显示（证件号码默认打码）")
    r.add_argument("--port", required=True, metavar="URL", help="读卡器端口（pyserial URL，如 /dev/ttyUSB0）")
    r.add_argument("--baud", type=int, default=115200, help="读卡器当前波特率（默认 115200）")
    r.add_argument("--switch-baud", type=int, metavar="N", help="先用 0x60 命令把读卡器切换到该波特率")
    r.add_argument("--timeout", type=float, default=5.0, metavar="S", help="等待放卡的秒数（默认 5）")
    r.add_argument("--json", action="store_true", help="以 JSON 输出")
    r.add_argument("--full", action="store_true", help="显示完整证件号码（仅限授权人员）")

    s = sub.add_parser("printer-status", help="查询票据打印机状态（缺纸、开盖、脱机、切刀故障）")
    s.add_argument("--port", required=True, metavar="URL", help="打印机端口（pyserial URL 或文件路径）")
    s.add_argument("--baud", type=int, default=9600, help="波特率（默认 9600）")
    s.add_argument("--timeout", type=float, default=0.5, metavar="S", help="等待状态应答的秒数")
    s.add_argument("--json", action="store_true", help="以 JSON 输出")

    t = sub.add_parser("test-print", help="打印一张测试页")
    t.add_argument("--port", required=True, metavar="URL", help="打印机端口（pyserial URL 或文件路径）")
    t.add_argument("--baud", type=int, default=9600, help="波特率（默认 9600）")
    t.add_argument("--profile", default=None, help="打印机型号配置（默认 generic-80）")

    c = sub.add_parser("scan", help="读取扫码器送来的条码")
    c.add_argument("--port", required=True, metavar="URL", help="扫码器端口（pyserial URL）")
    c.add_argument("--baud", type=int, default=9600, help="波特率（默认 9600）")
    c.add_argument("--count", type=int, default=1, metavar="N", help="读取几个条码（默认 1）")
    c.add_argument("--timeout", type=float, default=10.0, metavar="S", help="最长等待秒数（默认 10）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    actions = {
        "read-id": _read_id,
        "printer-status": _printer_status,
        "test-print": _test_print,
        "scan": _scan,
    }
    try:
        return actions[args.action](args)
    except KeyboardInterrupt:
        return _fail("已取消")


# -- read-id -------------------------------------------------------------------------------

_LABELS = (
    ("type_label", "证件类型"),
    ("name", "姓名"),
    ("name_en", "英文姓名"),
    ("gender", "性别"),
    ("nation", "民族"),
    ("nationality", "国籍"),
    ("birth_date", "出生日期"),
    ("address", "住址"),
    ("id_number", "证件号码"),
    ("pass_number", "通行证号码"),
    ("issue_count", "签发次数"),
    ("renewal_count", "换证次数"),
    ("authority", "签发机关"),
)


def _read_id(args: argparse.Namespace) -> int:
    import datetime as dt

    from devices.idcard import IdCardReader, ReaderError, card_problem, card_to_dict

    reader = IdCardReader(args.port, args.baud, switch_baud=args.switch_baud)
    try:
        card = reader.read_once(timeout=args.timeout)
    except ReaderError as exc:
        return _fail(exc.message)
    except ValueError as exc:  # e.g. an unsupported --switch-baud
        return _fail(str(exc))
    record: dict[str, Any] = card_to_dict(card, full=args.full)
    problem = card_problem(card, dt.date.today())
    if args.json:
        record["problem"] = None if problem is None else {"kind": problem.kind, "message": problem.message}
        print(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        for key, label in _LABELS:
            if record.get(key):
                print(f"{label}：{record[key]}")
        print(f"有效期限：{record['valid_from']} 至 {record['valid_to']}")
        print(f"照片：{record['photo_bytes']} 字节（WLT）")
    if problem is not None:
        print(f"注意：{problem.message}", file=sys.stderr)
    return 0


# -- printer ---------------------------------------------------------------------------------


def _printer_status(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from devices.printer import TicketPrinter

    with TicketPrinter(args.port, args.baud, status_timeout=args.timeout) as printer:
        status = printer.status()
    if args.json:
        print(
            json.dumps(
                {**asdict(status), "ready": status.ready, "message": status.message}, ensure_ascii=False
            )
        )
        return 0 if status.ready else 1
    if not status.ready:
        return _fail(status.message)
    print(status.message)
    return 0


def _test_print(args: argparse.Namespace) -> int:
    from devices.printer import PrinterError, TicketPrinter
    from printing.escpos_ticket import build_test_page

    if args.profile:
        from printing.profiles import get_profile

        try:
            page = build_test_page(get_profile(args.profile))
        except ValueError as exc:
            return _fail(str(exc))
    else:
        page = build_test_page()
    with TicketPrinter(args.port, args.baud) as printer:
        try:
            printer.print(page)
        except PrinterError as exc:
            return _fail(exc.message)
    print(f"测试页已发送到 {args.port}（{len(page)} 字节）")
    return 0


# -- scan ------------------------------------------------------------------------------------

_KINDS = {"appointment": "预约码", "application": "办件编号", "unknown": "无法识别"}


def _scan(args: argparse.Namespace) -> int:
    from devices.ports import describe_port_error
    from devices.scanner import PORT_ERRORS, CodeScanner

    if args.count < 1:
        return _fail("--count 至少为 1")
    scanner = CodeScanner(args.port, args.baud)
    try:
        codes = scanner.read_codes(args.count, args.timeout)
    except PORT_ERRORS as exc:
        return _fail(f"无法读取扫码器端口 {args.port}：{describe_port_error(exc)}")
    for event in codes:
        if args.json:
            print(json.dumps({"code": event.code, "kind": event.kind}, ensure_ascii=False))
        else:
            print(f"{_KINDS.get(event.kind, event.kind)}\t{event.code}")
    if len(codes) < args.count:
        return _fail(f"{args.timeout:g} 秒内只收到 {len(codes)} 个条码（要求 {args.count} 个）")
    return 0
