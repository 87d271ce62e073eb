"""`serve --db PATH [--host H] [--port P] [--certfile F --keyfile F]`: the hall server.

One process owns the hall file; every terminal of the hall reaches it over the LAN with its
token (`terminal add`). It runs the daily jobs itself and stops cleanly on SIGTERM or Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

NAME = "serve"
HELP = "运行大厅服务器：独占大厅数据库，各终端通过局域网连接（需先用 terminal add 登记终端）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="监听地址（默认只在本机 127.0.0.1；局域网内服务各终端用 0.0.0.0）")
    parser.add_argument("--port", type=int, default=8470, help="端口（默认 8470）")
    parser.add_argument("--certfile", help="TLS 证书文件（PEM），与 --keyfile 一起启用 https")
    parser.add_argument("--keyfile", help="TLS 私钥文件（PEM）")
    parser.add_argument("--demo", action="store_true", help="空数据库时填入演示事项、窗口和人员")


def run(args: argparse.Namespace) -> int:
    from hallnet import server_log
    from kiosk.errors import HallError

    if bool(args.certfile) != bool(args.keyfile):
        print("错误：启用 https 需要同时给出 --certfile 和 --keyfile", file=sys.stderr)
        return 2
    for label, path in (("证书", args.certfile), ("私钥", args.keyfile)):
        if path and not Path(path).is_file():
            print(f"错误：找不到{label}文件 {path}", file=sys.stderr)
            return 2
    if not 0 < args.port < 65536:
        print(f"错误：端口应在 1 到 65535 之间，实际为 {args.port}", file=sys.stderr)
        return 2
    if args.db and Path(args.db).is_dir():
        print(f"错误：--db 应为大厅数据库文件，{args.db} 是一个文件夹", file=sys.stderr)
        return 2
    if args.certfile:
        from hallnet.runner import tls_problem

        problem = tls_problem(args.certfile, args.keyfile)
        if problem:
            print(f"错误：{problem}", file=sys.stderr)
            return 2
    server_log.configure()
    from hallnet.runner import hall_file_held, listen_on, serve_forever
    from kiosk import open_hall
    from kiosk.storage import default_db_path

    with contextlib.ExitStack() as held:
        try:
            # the file first (a second server on it is told so, whatever port it asked for), then
            # the port; only then is the hall opened (its daily jobs run) and the address announced
            held.enter_context(hall_file_held(Path(args.db or default_db_path()).resolve()))
            listener = held.enter_context(listen_on(args.host, args.port))
        except HallError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        try:
            hall = open_hall(args.db, seed_demo=args.demo)
        except HallError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        except Exception as exc:  # e.g. a file that is not a hall database
            print(f"错误：无法打开大厅数据库 {args.db or ''}：{exc}", file=sys.stderr)
            return 1
        scheme = "https" if args.certfile else "http"
        print(f"大厅服务器：{scheme}://{args.host}:{args.port}  数据库：{hall.location()}", file=sys.stderr, flush=True)
        for line in missing_for_a_working_hall(hall, args.db):
            print(line, file=sys.stderr, flush=True)
        try:
            serve_forever(hall, listener, certfile=args.certfile, keyfile=args.keyfile)
        finally:
            hall.close()
    print("大厅服务器已停止", file=sys.stderr)
    return 0


def missing_for_a_working_hall(hall, db: str | None) -> list[str]:  # noqa: ANN001 - the opened hall
    """What a hall's first start still lacks, each with the command that adds it: a server on
    an empty file runs, but no terminal could do anything with it yet."""
    where = f"--db {db} " if db else ""
    lines = []
    if not hall.has_manager_account():
        lines.append(f"  没有管理员账号：main.py staff add {where}--role manager --login 登录名 --name 姓名")
    if not hall.categories():
        lines.append(f"  没有事项：main.py catalog import {where}事项.json（或 resources/catalog/sample_hall.json）")
    if not hall.windows():
        lines.append(f"  没有窗口：main.py window add {where}--number 1 --name 综合受理1号窗口（或在管理后台添加）")
    if not hall.terminals():
        lines.append(f"  没有登记终端：main.py terminal add {where}--role kiosk --name 大厅取号机A（每台终端一次）")
    return ["提示：这个大厅还不能对外服务，缺少：", *lines] if lines else []
