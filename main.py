"""Service-hall terminal: wiring only. Parses the command line and hands over to a command.

Each module in `commands/` is one subcommand (NAME, HELP, add_arguments, run). They import
their heavy dependencies inside `run`, so `--help` and the display-less commands start fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import commands


def build_parser() -> argparse.ArgumentParser:
    from commands.argparse_words import use_chinese

    use_chinese()  # a mistyped command line is answered in Chinese, like everything else
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="政务服务大厅终端：取号机、窗口工作台、大厅显示屏、评价器和管理后台",
    )
    parser.add_argument("--db", metavar="PATH", help="大厅数据库文件（默认在用户数据目录）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"commands.{info.name}")
        if not hasattr(module, "NAME"):
            continue
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # --db may stand anywhere on the line, also after a subcommand's own arguments
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--db")
    known, rest = pre.parse_known_args(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(rest)
    args.db = known.db
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    return int(args._run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
