"""`staff add|list|password`: the hall's accounts from the command line.

A real hall's file starts empty: its first manager account is made here, so the manager can
sign in to the console and do the rest there. `password` is the way back in when the only
manager's password is forgotten. Passwords are asked for, never taken as an option: an option
would stay in the shell's history and in the process list.
"""

from __future__ import annotations

import argparse
import sys

from commands._common import friendly_errors, open_from_args, print_table

NAME = "staff"
HELP = "添加、列出大厅账号（管理员、窗口人员），重设密码；真实大厅的第一个管理员账号在这里建"
ROLE_WORDS = {"manager": "管理员", "clerk": "窗口人员"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="添加账号（随后询问密码两次；经管道时从标准输入读一行）")
    add.add_argument("--login", required=True, help="登录名：英文字母、数字或 _ - .")
    add.add_argument("--name", required=True, help="姓名（显示在窗口屏、评价器和回执上）")
    add.add_argument("--role", required=True, choices=("manager", "clerk"), help="manager=管理员；clerk=窗口人员")
    sub.add_parser("list", help="列出账号")
    password = sub.add_parser("password", help="为账号重设密码（该账号在各窗口的登录随即失效）")
    password.add_argument("login")


class PasswordNotGiven(Exception):
    """The password was not typed the same twice, or nothing came on standard input."""


def read_password(prompt: str = "密码") -> str:
    """The new password: typed twice without echo at a terminal; one line of standard input
    when piped (a script that sets up a hall), so nothing needs a terminal."""
    import getpass

    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line.strip():
            raise PasswordNotGiven("标准输入没有给出密码（请输入一行密码，或在终端中运行以便询问）")
        return line.rstrip("\r\n")
    first = getpass.getpass(f"{prompt}（至少6位）：")
    if getpass.getpass(f"再输入一次{prompt}：") != first:
        raise PasswordNotGiven("两次输入的密码不一致，没有做任何改动")
    return first


@friendly_errors
def run(args: argparse.Namespace) -> int:
    if args.action in ("add", "password"):
        try:  # asked before the hall is opened: nothing is created for a password that never came
            password = read_password()
        except PasswordNotGiven as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
    hall = open_from_args(args)
    try:
        if args.action == "add":
            staff = hall.save_staff(args.login, args.name, args.role, password, new=True)
            print(f"已添加{ROLE_WORDS[staff.role]}账号“{staff.login}”（{staff.name}），大厅数据库 {hall.location()}")
            if staff.role == "manager":
                print("可用此账号登录管理后台（run --role admin），在那里添加窗口、人员、事项并登记终端")
        elif args.action == "password":
            known = {s.login: s for s in hall.staff()}
            staff = known.get(args.login)
            if staff is None:
                print(f"错误：没有登录名为“{args.login}”的账号（staff list 列出全部）", file=sys.stderr)
                return 1
            hall.save_staff(staff.login, staff.name, staff.role, password, active=staff.active)
            print(f"已为账号“{staff.login}”（{staff.name}）重设密码；它在各窗口的登录已失效，请用新密码重新登录")
        else:
            print_table(("登录名", "姓名", "角色", "状态"),
                        [(s.login, s.name, ROLE_WORDS.get(s.role, s.role), "启用" if s.active else "停用")
                         for s in hall.staff()],
                        "还没有任何账号（staff add --role manager --login ... --name ... 建第一个管理员）")
    finally:
        hall.close()
    return 0
