"""Helpers shared by the subcommands: opening the hall and reporting refusals in one line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import wraps


def open_from_args(args: argparse.Namespace, *, seed_demo: bool = True):
    """The hall at --db as it is, or with no --db the demo hall in the user's data directory
    (seeded on first use). A file named with --db is never filled with the demo's matters and
    accounts: it may be a real hall's first day, and the demo's published passwords must not
    become a way into it."""
    from kiosk import open_hall

    db = getattr(args, "db", None)
    return open_hall(db, seed_demo=seed_demo and db is None)


def print_table(heading: tuple[str, ...], rows: list[tuple[object, ...]], empty: str) -> None:
    """A list for a terminal window or a spreadsheet: a heading and tab-separated rows, or the
    `empty` line (saying how to add the first one) when there is nothing to list."""
    if not rows:
        print(empty)
        return
    for row in (heading, *rows):
        print("\t".join(str(cell) for cell in row))


def friendly_errors(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn the hall's refusals into one readable line and exit code 1, never a traceback."""

    @wraps(run)
    def wrapper(args: argparse.Namespace) -> int:
        from kiosk.errors import HallError

        try:
            return run(args)
        except HallError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"错误：无法读写文件 {exc.filename or ''}（{exc.strerror or exc}）", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("已取消", file=sys.stderr)
            return 130
        except Exception as exc:  # a defect: the user still gets one line, the log the details
            import logging

            logging.getLogger("commands").debug("unexpected error", exc_info=True)
            text = str(exc).splitlines()[0][:200] if str(exc) else ""
            print(f"错误：出现意外问题（{type(exc).__name__}{'：' + text if text else ''}），没有做任何改动；"
                  "请把这一行告诉维护人员", file=sys.stderr)
            return 2

    return wrapper
