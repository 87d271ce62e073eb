"""argparse's own words in Chinese: a mistyped command line is answered in the user's language.

argparse looks its messages up through gettext at the moment it uses them (`argparse._`), and
this program ships no message catalogue for it, so the lookup is pointed at the table below.
A message not listed stays as argparse wrote it.
"""

from __future__ import annotations

import argparse

WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "%(value)r 不是可选的值（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值（应为 %(type)s）",
    "expected one argument": "后面应跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少跟一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要参数 %s 之一",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项 %s",
    "expected %s argument": "后面应跟 %s 个值",
    "expected %s arguments": "后面应跟 %s 个值",
}
# `int` and `float` are what the type names in "invalid %(type)s value" are here
TYPE_WORDS = {"int": "整数", "float": "数字"}


def _words(message: str) -> str:
    return WORDS.get(message, message)


def _counted(singular: str, plural: str, n: int) -> str:
    return _words(singular if n == 1 else plural)


def use_chinese() -> None:
    """Have argparse speak Chinese from now on in this process."""
    argparse._ = _words  # type: ignore[attr-defined]
    argparse.ngettext = _counted  # type: ignore[attr-defined]
    original = argparse.ArgumentParser._get_value

    def get_value(self: argparse.ArgumentParser, action: argparse.Action, arg_string: str) -> object:
        try:
            return original(self, action, arg_string)
        except argparse.ArgumentError as exc:  # name the expected kind in words, not as a type's name
            for name, word in TYPE_WORDS.items():
                if getattr(action.type, "__name__", None) == name:
                    raise argparse.ArgumentError(action, f"{arg_string!r} 不是有效的{word}") from None
            raise exc

    if not getattr(argparse.ArgumentParser._get_value, "in_chinese", False):
        get_value.in_chinese = True  # type: ignore[attr-defined]
        argparse.ArgumentParser._get_value = get_value  # type: ignore[method-assign]
