"""`print ticket|receipt|rongque|notice|checklist|report|test-page`: documents to files.

Writes the same bytes the screens send to the printers (ESC/POS for tickets, A4 PDF for the
rest), so a clerk can reprint from the command line and a technician can inspect a job
without a printer. Heavy imports (reportlab, the hall) happen inside `run`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from commands._common import friendly_errors, open_from_args

NAME = "print"
HELP = "打印（输出到文件）：取号凭条、受理回执、容缺受理通知书、一次性告知书、材料清单、运行报表"


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="document", required=True, metavar="DOCUMENT")

    def out(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", type=Path, required=True, metavar="FILE", help="写入的文件")

    t = sub.add_parser("ticket", help="取号凭条（ESC/POS 字节）")
    t.add_argument("ref", nargs="?", help="凭条上的查询号，如 20261125-A001，或当天的号码 A001")
    t.add_argument("--id", type=int, help="按凭条编号（内部 id）查找")
    t.add_argument("--profile", default="generic-80", help="打印机型号配置（默认 generic-80）")
    out(t)
    r = sub.add_parser("receipt", help="受理回执（PDF）")
    r.add_argument("number", help="办件编号")
    out(r)
    rq = sub.add_parser("rongque", help="容缺受理通知书与承诺书（PDF）")
    rq.add_argument("number", help="办件编号")
    out(rq)
    n = sub.add_parser("notice", help="一次性告知书（PDF）")
    n.add_argument("number", help="告知书编号")
    out(n)
    c = sub.add_parser("checklist", help="事项材料清单（PDF）")
    c.add_argument("matter", help="事项编码")
    c.add_argument("--answer", action="append", default=[], metavar="TEXT",
                   help="申请人符合的情形（可重复），如 --answer 委托代理人办理的")
    out(c)
    rp = sub.add_parser("report", help="运行报表（PDF）")
    rp.add_argument("--from", dest="date_from", type=_date, help="起始日期 YYYY-MM-DD（默认今天）")
    rp.add_argument("--to", dest="date_to", type=_date, help="截止日期 YYYY-MM-DD（默认同起始日期）")
    out(rp)
    tp = sub.add_parser("test-page", help="打印机测试页（ESC/POS 字节，不需要大厅数据）")
    tp.add_argument("--profile", default="generic-80", help="打印机型号配置（默认 generic-80）")
    out(tp)


def _fail(message: str) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return 1


def _facade(hall: object, method: str):
    """The facade method, or None while the hall does not offer it yet (said in one line)."""
    return getattr(hall, method, None)


def _build(args: argparse.Namespace) -> bytes | str:
    """The document's bytes, or a message saying why there are none."""
    from printing.profiles import get_profile

    if args.document == "test-page":
        from printing.escpos_ticket import build_test_page

        return build_test_page(get_profile(args.profile))

    hall = open_from_args(args)
    info = hall.info()
    if args.document == "ticket":
        from printing.escpos_ticket import build_ticket

        profile = get_profile(args.profile)  # check the name before looking anything up
        if args.id is not None:
            ticket = hall.get_ticket(args.id)
        elif args.ref:
            ticket = hall.find_ticket(args.ref)
            if ticket is None:
                return f"找不到取号凭条 {args.ref}"
        else:
            return "请给出凭条查询号（如 20261125-A001）或 --id"
        return build_ticket(ticket, info, profile)

    lookups = {
        "receipt": ("get_application", "printing.pdf_receipt", "build_receipt_pdf", lambda: (args.number,)),
        "rongque": ("get_application", "printing.pdf_rongque", "build_rongque_pdf", lambda: (args.number,)),
        "notice": ("get_notice", "printing.pdf_notice", "build_notice_pdf", lambda: (args.number,)),
        "checklist": ("checklist", "printing.pdf_checklist", "build_checklist_pdf",
                      lambda: (args.matter, tuple(args.answer))),
        "report": ("report", "printing.pdf_report", "build_report_pdf", lambda: _report_range(args, hall)),
    }
    method, module_name, builder, arguments = lookups[args.document]
    fetch = _facade(hall, method)
    if fetch is None:
        return f"当前大厅服务不支持 {method}，无法打印（请升级大厅服务）"
    import importlib

    record = fetch(*arguments())
    return getattr(importlib.import_module(module_name), builder)(record, info)


def _report_range(args: argparse.Namespace, hall) -> tuple[dt.date, dt.date]:
    today = hall.today() if hasattr(hall, "today") else dt.date.today()
    date_from = args.date_from or today
    date_to = args.date_to or date_from
    if date_to < date_from:
        raise ValueError(f"截止日期 {date_to} 早于起始日期 {date_from}")
    return date_from, date_to


@friendly_errors
def run(args: argparse.Namespace) -> int:
    from printing.fonts import FontNotFound

    try:
        result = _build(args)
    except FontNotFound as exc:
        return _fail(str(exc))
    except ValueError as exc:  # unknown profile, a range backwards, a 容缺 notice without items
        return _fail(str(exc))
    if isinstance(result, str):
        return _fail(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(result)
    print(f"已写入 {args.out}（{len(result):,} 字节）")
    return 0
