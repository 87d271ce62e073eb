"""The catalog of matters as one JSON document, and materials as CSV for spreadsheets.

Validation collects every problem with its place (file, JSON path or CSV row) in Chinese, so
a manager can fix a whole file in one go; nothing is stored unless the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from kiosk.errors import ValidationError
from kiosk.models import Catalog, Category, Material, Matter

FORMS = ("原件", "复印件", "原件和复印件", "电子")
CSV_FIELDS = ("事项编码", "序号", "材料名称", "形式", "份数", "必需", "适用条件", "主要材料", "可容缺", "免提交", "备注")
# written on export, read when present: a material table from before English names still imports
CSV_EN_FIELDS = ("材料英文名称", "适用条件英文")
CSV_ON_SITE = "现场填写"  # written on export; a sheet made before it existed reads as 否
_TRUE = {"是", "true", "1", "yes", "y", "√", "TRUE", "True"}
_FALSE = {"否", "false", "0", "no", "n", "", "FALSE", "False"}


MAX_INT = 1_000_000  # no count, day or number of copies in a catalog comes near this; SQLite's limit is 2^63
TEXT_LIMITS = {"code": 64, "name": 200, "prefix": 1, "category": 1, "department": 200, "initials": 64,
               "name_en": 200, "department_en": 200}
MAX_TEXT = 4000  # notes, conditions, sources: a paragraph, not a book


def shown(value: Any, limit: int = 40) -> str:
    """A value as a refusal may quote it: short, one line."""
    text = repr(value) if not isinstance(value, str) else value
    text = "".join(ch if ch.isprintable() else "?" for ch in text[: limit + 1])
    return text[:limit] + "…" if len(text) > limit else text


def decode_text(data: bytes, source: str = "文件") -> str:
    """A file's text whether saved as UTF-8 (with or without BOM) or by Chinese Excel (GB18030/GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(["文件编码无法识别：请另存为 UTF-8 或 GB18030（GBK）编码"], source)


def _bool(value: Any, where: str, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, str)) and str(value).strip() in _TRUE:
        return True
    if isinstance(value, (int, str)) and str(value).strip() in _FALSE:
        return False
    problems.append(f"{where}：应为“是”或“否”（true/false），实际为“{shown(value)}”")
    return False


def _int(value: Any, where: str, problems: list[str], *, minimum: int = 0, maximum: int = MAX_INT) -> int:
    number: int | None
    if isinstance(value, bool) or isinstance(value, float):
        number = int(value) if isinstance(value, float) and value.is_integer() else None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]{1,12}\s*", value, re.ASCII):
        number = int(value)
    else:
        number = None
    if number is None:
        problems.append(f"{where}：应为整数，实际为“{shown(value)}”")
        return minimum
    if number < minimum:
        problems.append(f"{where}：不能小于{minimum}，实际为{shown(number)}")
        return minimum
    if number > maximum:
        problems.append(f"{where}：不能大于{maximum}，实际为{shown(number)}")
        return maximum
    return number


def _text(obj: dict, key: str, where: str, problems: list[str], *, required: bool = True) -> str:
    value = obj.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f"{where}.{key}：应为文字，实际为{type(value).__name__}")
        return ""
    if required and not value.strip():
        problems.append(f"{where}.{key}：不能为空")
    limit = TEXT_LIMITS.get(key, MAX_TEXT)
    if len(value) > limit:
        problems.append(f"{where}.{key}：最长{limit}个字符，实际为{len(value)}个")
        return ""
    if any(not ch.isprintable() and ch not in "\n\t" for ch in value):
        problems.append(f"{where}.{key}：含有控制字符")
        return ""
    return value.strip()


def parse_material(raw: Any, where: str, problems: list[str], default_id: int) -> Material | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}：应为一个对象")
        return None
    name = _text(raw, "name", where, problems)
    form = _text(raw, "form", where, problems, required=False) or "原件"
    if form not in FORMS:
        problems.append(f"{where}.form：应为{'、'.join(FORMS)}之一，实际为“{shown(form)}”")
    condition = _text(raw, "condition", where, problems, required=False)
    required = _bool(raw.get("required", not condition), f"{where}.required", problems)
    key = _bool(raw.get("key", True), f"{where}.key", problems)
    rongque = _bool(raw.get("rongque", False), f"{where}.rongque", problems)
    shared = _bool(raw.get("shared", False), f"{where}.shared", problems)
    on_site = _bool(raw.get("on_site", False), f"{where}.on_site", problems)
    if rongque and key:
        problems.append(f"{where}：“{name}”是主要材料，主要材料不允许容缺")
    if required and condition:
        problems.append(f"{where}：“{name}”有适用条件，required 应为 false")
    if not required and not condition:
        problems.append(f"{where}：“{name}”不是必需材料，须写明适用条件")
    condition_en = _text(raw, "condition_en", where, problems, required=False)
    if condition_en and not condition:
        problems.append(f"{where}：“{name}”没有适用条件，不能填写适用条件的英文（condition_en）")
    return Material(
        id=_int(raw.get("id", default_id), f"{where}.id", problems, minimum=1),
        name=name,
        form=form,
        copies=_int(raw.get("copies", 1), f"{where}.copies", problems, minimum=0),
        required=required,
        condition=condition,
        key=key,
        rongque=rongque,
        shared=shared,
        notes=_text(raw, "notes", where, problems, required=False),
        name_en=_text(raw, "name_en", where, problems, required=False),
        condition_en=condition_en,
        on_site=on_site,
    )


def parse_matter(raw: Any, where: str, problems: list[str], prefixes: set[str]) -> Matter | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}：应为一个对象")
        return None
    code = _text(raw, "code", where, problems)
    name = _text(raw, "name", where, problems)
    category = _text(raw, "category", where, problems)
    if category and category not in prefixes:
        problems.append(f"{where}.category：分类“{category}”不存在")
    promised = _int(raw.get("promised_days"), f"{where}.promised_days", problems, maximum=3650)
    statutory = _int(raw.get("statutory_days"), f"{where}.statutory_days", problems, maximum=3650)
    if promised > statutory:
        problems.append(f"{where}：承诺时限{promised}个工作日不能超过法定时限{statutory}个工作日")
    rongque_days = _int(raw.get("rongque_days", 0), f"{where}.rongque_days", problems)
    if rongque_days > promised:
        problems.append(f"{where}.rongque_days：容缺补正期限{rongque_days}天不能超过承诺时限{promised}天")
    raw_materials = raw.get("materials", [])
    if not isinstance(raw_materials, list):
        problems.append(f"{where}.materials：应为列表")
        raw_materials = []
    materials = []
    for i, m in enumerate(raw_materials):
        parsed = parse_material(m, f"{where}.materials[{i}]", problems, i + 1)
        if parsed:
            materials.append(parsed)
    ids = [m.id for m in materials]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}.materials：材料序号有重复")
    named = [(m.name, m.condition) for m in materials]
    for name, _ in sorted({n for n in named if named.count(n) > 1}):  # the citizen would be asked twice
        problems.append(f"{where}.materials：材料“{shown(name)}”列了两次")
    if not raw_materials:
        problems.append(f"{where}.materials：至少要列一项材料（一张空清单会告诉群众什么都不用带）")
    _check_condition_english(materials, where, problems)
    aliases = _words(raw, "aliases", where, problems)
    aliases_en = _words(raw, "aliases_en", where, problems)
    if any(not a.isascii() for a in aliases_en):
        problems.append(f"{where}.aliases_en：英文常用词只能用英文字母、数字和符号")
        aliases_en = []
    initials = _text(raw, "initials", where, problems, required=False).upper()
    if initials and not re.fullmatch(r"[A-Z]+", initials):
        problems.append(f"{where}.initials：拼音首字母只能是英文字母，实际为“{shown(initials)}”")
    online = _bool(raw.get("online", False), f"{where}.online", problems)
    active = _bool(raw.get("active", True), f"{where}.active", problems)
    return Matter(
        code=code,
        name=name,
        department=_text(raw, "department", where, problems),
        category=category,
        promised_days=promised,
        statutory_days=statutory,
        fee=_text(raw, "fee", where, problems, required=False) or "不收费",
        online=online,
        rongque_days=rongque_days,
        initials=initials or initials_of(name),
        aliases=tuple(aliases),
        aliases_en=tuple(aliases_en),
        type=_text(raw, "type", where, problems, required=False),
        source=_text(raw, "source", where, problems, required=False),
        materials=tuple(materials),
        name_en=_text(raw, "name_en", where, problems, required=False),
        department_en=_text(raw, "department_en", where, problems, required=False),
        active=active,
    )


def _check_condition_english(materials: list[Material], where: str, problems: list[str]) -> None:
    """The citizen answers each condition once, so one condition has one English wording."""
    wording: dict[str, str] = {}
    for m in materials:
        if not m.condition_en:
            continue
        first = wording.setdefault(m.condition, m.condition_en)
        if first != m.condition_en:
            problems.append(f"{where}.materials：适用条件“{shown(m.condition)}”的英文前后不一致"
                            f"（“{shown(first)}”与“{shown(m.condition_en)}”）")


def parse_category(raw: Any, where: str, problems: list[str]) -> Category | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}：应为一个对象")
        return None
    prefix = _text(raw, "prefix", where, problems)
    if prefix and not re.fullmatch(r"[A-Z]", prefix):
        problems.append(f"{where}.prefix：号码前缀应为一个大写英文字母，实际为“{shown(prefix)}”")
    cap = _int(raw.get("daily_cap", 999), f"{where}.daily_cap", problems, minimum=1)
    if cap > 999:
        problems.append(f"{where}.daily_cap：号码为三位数，每日上限不能超过999")
    warn = _int(raw.get("warn_at", max(1, cap - cap // 10)), f"{where}.warn_at", problems, minimum=1)
    if warn > cap:
        problems.append(f"{where}.warn_at：预警数{warn}不能大于每日上限{cap}")
    raw_minutes = raw.get("default_service_minutes", 8)
    minutes = float(raw_minutes) if isinstance(raw_minutes, (int, float)) and not isinstance(raw_minutes, bool) \
        and abs(raw_minutes) < 1e9 else math.nan
    if not (math.isfinite(minutes) and 0.5 <= minutes <= 480):  # NaN and Infinity never pass
        problems.append(f"{where}.default_service_minutes：应为0.5到480之间的分钟数，实际为“{shown(raw_minutes)}”")
        minutes = 8.0
    return Category(
        prefix=prefix,
        name=_text(raw, "name", where, problems),
        daily_cap=cap,
        warn_at=warn,
        default_service_minutes=minutes,
        sort_order=_int(raw.get("sort_order", 0), f"{where}.sort_order", problems),
        name_en=_text(raw, "name_en", where, problems, required=False),
    )


def parse_document(doc: Any, source: str = "目录文件", known_prefixes: frozenset[str] = frozenset()) -> Catalog:
    """Turn a catalog document into models, or raise ValidationError listing every problem.
    `known_prefixes`: the hall's categories, which a file adding matters need not repeat."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ValidationError(["文件顶层应为一个对象，包含 categories 和 matters"], source)
    raw_cats = doc.get("categories")
    raw_matters = doc.get("matters")
    if not isinstance(raw_cats, list):
        problems.append("categories：缺少分类列表")
        raw_cats = []
    if not isinstance(raw_matters, list):
        problems.append("matters：缺少事项列表")
        raw_matters = []
    categories = [c for i, raw in enumerate(raw_cats) if (c := parse_category(raw, f"categories[{i}]", problems))]
    prefixes = [c.prefix for c in categories]
    for p in {p for p in prefixes if prefixes.count(p) > 1}:
        problems.append(f"categories：号码前缀“{p}”重复")
    matters = [
        m
        for i, raw in enumerate(raw_matters)
        if (m := parse_matter(raw, f"matters[{i}]", problems, set(prefixes) | known_prefixes))
    ]
    codes = [m.code for m in matters]
    for c in {c for c in codes if codes.count(c) > 1}:
        problems.append(f"matters：事项编码“{c}”重复")
    if problems:
        raise ValidationError(problems, source)
    return Catalog(categories=tuple(categories), matters=tuple(matters))


MAX_DEPTH = 20  # a catalog is four levels deep; far deeper is an attack on the parser


def _no_constant(name: str) -> float:
    raise ValueError(f"不接受 {name}（不是数字）")


def parse_json(text: str, source: str = "目录文件", known_prefixes: frozenset[str] = frozenset()) -> Catalog:
    if _depth_exceeds(text, MAX_DEPTH):
        raise ValidationError([f"JSON嵌套超过{MAX_DEPTH}层，不是目录文件"], source)
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValidationError([f"第{exc.lineno}行第{exc.colno}列：不是有效的JSON（{exc.msg}）"], source) from None
    except (ValueError, RecursionError) as exc:  # NaN/Infinity, an integer of thousands of digits
        raise ValidationError([f"不是有效的目录文件：{shown(str(exc), 80)}"], source) from None
    return parse_document(doc, source, known_prefixes)


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than `limit` (checked before parsing)."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


_WORD_BREAKS = re.compile(r"[、，,；;\n]+")


def split_words(text: str) -> tuple[str, ...]:
    """A matter's search words as a manager types them in one line: separated by 、，,；; or line
    breaks (an English word may hold a space: "ID card"); blanks dropped, each word once, in order."""
    words = (w.strip() for w in _WORD_BREAKS.split(text))
    return tuple(dict.fromkeys(w for w in words if w))


def _words(raw: dict, key: str, where: str, problems: list[str]) -> list[str]:
    """A matter's list of search words (`aliases`, `aliases_en`): what a citizen may type or touch."""
    words = raw.get(key, [])
    if not isinstance(words, list) or not all(isinstance(a, str) and 0 < len(a) <= 200 and a.isprintable()
                                              for a in words) or len(words) > 100:
        problems.append(f"{where}.{key}：应为文字列表（最多100个，每个1到200字）")
        return []
    return words


def to_document(catalog: Catalog) -> dict:
    """The JSON document that `parse_document` reads back unchanged."""
    return {
        "categories": [asdict(c) for c in catalog.categories],
        "matters": [
            {**{k: v for k, v in asdict(m).items() if k != "materials"}, "aliases": list(m.aliases),
             "aliases_en": list(m.aliases_en),
             "materials": [asdict(x) for x in m.materials]}
            for m in catalog.matters
        ],
    }


def to_json(catalog: Catalog) -> str:
    return json.dumps(to_document(catalog), ensure_ascii=False, indent=1)


def materials_to_csv(matters: Iterable[Matter]) -> str:
    """Materials of the given matters, one row each, with Chinese headers for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((*CSV_FIELDS, CSV_ON_SITE, *CSV_EN_FIELDS))
    yes = {True: "是", False: "否"}
    for matter in matters:
        for m in matter.materials:
            writer.writerow([matter.code, m.id, m.name, m.form, m.copies, yes[m.required], m.condition,
                             yes[m.key], yes[m.rongque], yes[m.shared], m.notes, yes[m.on_site], m.name_en,
                             m.condition_en])
    return out.getvalue()


def materials_from_csv(text: str, known_codes: set[str], source: str = "材料表") -> dict[str, tuple[Material, ...]]:
    """Materials per matter code from CSV; every row checked, errors name the row number."""
    text = text.lstrip("\ufeff")  # spreadsheets save a BOM
    # newline="": the csv module reads line ends itself, so a lone CR inside a cell is data
    reader = csv.DictReader(io.StringIO(text, newline=""))
    problems: list[str] = []
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        raise ValidationError([f"不是有效的CSV：{exc}"], source) from None
    missing = [f for f in CSV_FIELDS if f not in fieldnames]
    if missing:
        raise ValidationError([f"表头缺少列：{'、'.join(missing)}"], source)
    try:
        rows = list(reader)
    except csv.Error as exc:  # e.g. a field larger than the csv module's limit
        raise ValidationError([f"第{reader.line_num}行：不是有效的CSV（{exc}）"], source) from None
    result: dict[str, list[Material]] = {}
    for row_no, row in enumerate(rows, start=2):
        where = f"第{row_no}行"
        # the trailing 现场填写 and English cells may be left off (a sheet from before them, or a
        # spreadsheet that drops empty trailing cells)
        if None in row or any(row[f] is None for f in CSV_FIELDS):
            problems.append(f"{where}：列数与表头不一致")
            continue
        code = (row["事项编码"] or "").strip()
        if code not in known_codes:
            problems.append(f"{where}：事项编码“{shown(code)}”不存在")
            continue
        raw = {
            "id": row["序号"], "name": row["材料名称"], "form": row["形式"], "copies": row["份数"],
            "required": row["必需"], "condition": row["适用条件"], "key": row["主要材料"],
            "rongque": row["可容缺"], "shared": row["免提交"], "notes": row["备注"],
            "name_en": row.get("材料英文名称") or "", "condition_en": row.get("适用条件英文") or "",
            "on_site": row.get(CSV_ON_SITE) or "否",
        }
        material = parse_material(raw, where, problems, len(result.get(code, [])) + 1)
        if material:
            result.setdefault(code, []).append(material)
    for code, items in result.items():
        ids = [m.id for m in items]
        if len(set(ids)) != len(ids):
            problems.append(f"事项“{code}”：材料序号有重复")
        _check_condition_english(items, f"事项“{code}”", problems)
    if problems:
        raise ValidationError(problems, source)
    return {code: tuple(items) for code, items in result.items()}


def initials_of(name: str) -> str:
    """Pinyin initials for search (个体工商户 -> GTGSH); computed once when a matter is stored."""
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(ch for ch in "".join(letters).upper() if "A" <= ch <= "Z")
