"""A request body the server cannot take, said in Chinese.

msgspec words its refusals in English ("Expected `str`, got `int` - at `$.a`", "Input data was
truncated"), and it calls a string holding a lone surrogate escape (``"\\ud800"``) truncated.
Whoever reads the refusal — an integrator's log, a clerk's banner if a terminal ever sent such a
body — reads the hall's language, so the known shapes are translated here and anything else is
said in general words with its position, never in the engine's English.
"""

from __future__ import annotations

import json
import re

import msgspec

_TYPES = {"str": "文字", "int": "整数", "float": "数字", "bool": "true/false", "null": "null（空）",
          "object": "对象 {…}", "array": "列表 […]", "array-like": "列表 […]"}

_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Expected `(?P<want>[^`]+)`, got `(?P<got>[^`]+)`"), "应为{want}，收到的是{got}"),
    (re.compile(r"Object missing required field `(?P<field>[^`]+)`"), "缺少必填参数“{field}”"),
    (re.compile(r"Object contains unknown field `(?P<field>[^`]+)`"), "没有名为“{field}”的参数"),
    (re.compile(r"Invalid enum value (?P<value>.+)"), "取值 {value} 不在可选范围内"),
    (re.compile(r"Invalid RFC3339 encoded (?P<what>date|datetime|time)"), "不是有效的{what}"),
    (re.compile(r"Number out of range"), "数值超出范围"),
    (re.compile(r"Expected `(?P<want>[^`]+)` of length (?P<rule>[<>]=) ?(?P<n>\d+)"), "{want}的长度应{rule}{n}"),
    (re.compile(r"Expected `(?P<want>[^`]+)` (?P<rule>[<>]=?) ?(?P<n>-?\d+)"), "{want}应{rule}{n}"),
]
_WHAT = {"date": "日期（YYYY-MM-DD）", "datetime": "日期时间（RFC 3339）", "time": "时间（HH:MM:SS）"}
_RULES = {">=": "不小于", "<=": "不大于", ">": "大于", "<": "小于"}
_BYTE = re.compile(r"\(byte (\d+)\)")


def _word(name: str) -> str:
    """A msgspec type name in words; a union (`int | str`) as its members joined by 或."""
    return "或".join(_TYPES.get(part, part) for part in name.split(" | "))


def invalid_arguments(exc: msgspec.ValidationError) -> str:
    """Why the body's values do not fit the method's parameters, with where."""
    text = str(exc)
    where = ""
    if (m := _AT.search(text)) is not None:
        text = text[:m.start()]
        where = f"（位置：{m['path'].lstrip('.') or '整个请求'}）"
    for shape, words in _SHAPES:
        if (m := shape.fullmatch(text)) is not None:
            parts = {k: _word(v) for k, v in m.groupdict().items()}
            parts["what"] = _WHAT.get(m.groupdict().get("what") or "", "")
            parts["rule"] = _RULES.get(m.groupdict().get("rule") or "", "")
            return "参数不符合要求：" + words.format(**parts) + where
    return "参数不符合要求" + (where or "，请对照接口说明检查")


def not_json(exc: msgspec.DecodeError, body: bytes) -> str:
    """Why the body is not JSON the server reads."""
    text = str(exc)
    if "truncated" in text:
        try:
            json.loads(body)
        except ValueError:
            return "请求内容不是有效的JSON：内容在中途结束"
        # Python's reader takes lone surrogates; msgspec (rightly) does not, and calls it truncated.
        return "请求内容不是有效的JSON：文字中含有不成对的代理字符（\\uD800–\\uDFFF），不是有效的文字"
    if "UTF-8" in text:
        return "请求内容不是有效的JSON：不是 UTF-8 编码的文字"
    place = f"（第 {int(m[1]) + 1} 个字节处）" if (m := _BYTE.search(text)) is not None else ""
    return f"请求内容不是有效的JSON{place}"
