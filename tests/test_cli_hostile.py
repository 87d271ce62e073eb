"""A battery of hostile command lines: each ends in output or one Chinese line, exit 0, 1 or 2
(argparse usage), never a traceback, and a refused one changes nothing in the hall file."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from support import SMALL_CATALOG

import main

TABLES = ("categories", "matters", "materials", "settings", "terminals", "windows", "staff", "appointments")


def fingerprint(db: Path) -> str:
    h = hashlib.sha256()
    with sqlite3.connect(db) as conn:
        for t in TABLES:
            for row in conn.execute(f"SELECT * FROM {t} ORDER BY 1"):
                h.update(repr(row).encode())
    return h.hexdigest()


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        rc = main.main(argv)
    except SystemExit as exc:  # argparse's own refusal of a malformed line: usage and one error line
        rc = int(exc.code or 0)
    out, err = capsys.readouterr()
    return rc, out, err


def hostile_files(d: Path) -> dict[str, Path]:
    """Name -> a file no catalog import should choke on."""
    good = json.dumps(SMALL_CATALOG, ensure_ascii=False)
    csv_head = "事项编码,序号,材料名称,形式,份数,必需,适用条件,主要材料,可容缺,免提交,备注\n"
    csv_row = "A-001,1,个体工商户设立登记申请书,原件,1,是,,是,否,否,\n"

    def doc_with(path: tuple, value: object) -> str:
        doc = json.loads(good)
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        return json.dumps(doc, ensure_ascii=False, allow_nan=True)

    texts: dict[str, bytes | str] = {
        "gbk.csv": (csv_head + csv_row).encode("gbk"),
        "gb18030.csv": (csv_head + csv_row.replace("申请书", "申请书𠀀")).encode("gb18030"),
        "utf16.csv": (csv_head + csv_row).encode("utf-16"),
        "junk.csv": bytes(range(256)) * 4,
        "empty.csv": b"",
        "header_only.csv": csv_head,
        "wrong_header.csv": "a,b,c\n1,2,3\n",
        "extra_cols.csv": csv_head + csv_row.rstrip("\n") + ",多余,列\n",
        "short_row.csv": csv_head + "A-001,1\n",
        "huge_field.csv": csv_head + "A-001,1," + "长" * 131_072 + ",原件,1,是,,是,否,否,\n",
        "huge_field2.csv": csv_head + "A-001,1,名," + "x" * 200_000 + ",1,是,,是,否,否,\n",
        "unknown_code.csv": csv_head + csv_row.replace("A-001", "NOPE"),
        "bad_bool.csv": csv_head + csv_row.replace(",是,,是,", ",也许,,是,"),
        "big_copies.csv": csv_head + csv_row.replace(",原件,1,", ",原件,99999999999999999999999,"),
        "neg_copies.csv": csv_head + csv_row.replace(",原件,1,", ",原件,-3,"),
        "nul.csv": csv_head + csv_row.replace("申请书", "申请\x00书"),
        "quote.csv": csv_head + 'A-001,1,"unterminated,原件,1,是,,是,否,否,\n',
        "fullwidth_id.csv": csv_head + csv_row.replace(",1,个体", ",１,个体"),
        "nested.json": "[" * 100_000 + "]" * 100_000,
        "nested_obj.json": '{"a":' * 50_000 + "1" + "}" * 50_000,
        "nested_mid.json": json.dumps({"categories": [], "matters": [[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]}),
        "nan.json": doc_with(("categories", 0, "default_service_minutes"), float("nan")),
        "inf.json": doc_with(("categories", 0, "default_service_minutes"), float("inf")),
        "neginf.json": doc_with(("categories", 0, "default_service_minutes"), float("-inf")),
        "e999.json": good.replace('"default_service_minutes": 10', '"default_service_minutes": 1e999'),
        "minutes_str.json": doc_with(("categories", 0, "default_service_minutes"), "十"),
        "minutes_zero.json": doc_with(("categories", 0, "default_service_minutes"), 0),
        "int63.json": doc_with(("matters", 0, "promised_days"), 2**63),
        "int64.json": doc_with(("matters", 0, "statutory_days"), 2**64 + 7),
        "intneg63.json": doc_with(("categories", 0, "sort_order"), -(2**63) - 1),
        "int5000.json": good.replace('"promised_days": 3', '"promised_days": ' + "9" * 5000),
        "int4000.json": good.replace('"promised_days": 3', '"promised_days": ' + "9" * 4000),
        "copies63.json": doc_with(("matters", 0, "materials", 0, "copies"), 2**63),
        "id_float.json": doc_with(("matters", 0, "materials", 0, "id"), 1.5),
        "cap_big.json": doc_with(("categories", 0, "daily_cap"), 10**30),
        "warn_str.json": doc_with(("categories", 0, "warn_at"), "many"),
        "long_name.json": doc_with(("matters", 0, "name"), "名" * 131_072),
        "long_code.json": doc_with(("matters", 0, "code"), "C" * 131_072),
        "long_notes.json": doc_with(("matters", 0, "materials", 0, "notes"), "注" * 131_072),
        "long_alias.json": doc_with(("matters", 0, "aliases"), ["别" * 131_072]),
        "many_alias.json": doc_with(("matters", 0, "aliases"), ["a"] * 10_000),
        "ctrl_name.json": doc_with(("matters", 0, "name"), "登记\x1b[31m"),
        "nul_name.json": doc_with(("matters", 0, "name"), "登\x00记"),
        "bidi_name.json": doc_with(("matters", 0, "name"), "登记\u202e"),
        "null_name.json": doc_with(("matters", 0, "name"), None),
        "list_name.json": doc_with(("matters", 0, "name"), ["a"]),
        "dict_name.json": doc_with(("matters", 0, "name"), {"a": 1}),
        "bool_days.json": doc_with(("matters", 0, "promised_days"), True),
        "prefix_long.json": doc_with(("categories", 0, "prefix"), "AB"),
        "prefix_lower.json": doc_with(("categories", 0, "prefix"), "a"),
        "prefix_fullwidth.json": doc_with(("categories", 0, "prefix"), "Ａ"),
        "materials_dict.json": doc_with(("matters", 0, "materials"), {"a": 1}),
        "materials_str.json": doc_with(("matters", 0, "materials"), "材料"),
        "material_num.json": doc_with(("matters", 0, "materials"), [1, 2, 3]),
        "key_rongque.json": doc_with(("matters", 0, "materials", 0, "rongque"), True),
        "initials_cn.json": doc_with(("matters", 0, "initials"), "个体"),
        "unknown_cat.json": doc_with(("matters", 0, "category"), "Z"),
        "top_list.json": "[]",
        "top_str.json": '"catalog"',
        "top_num.json": "42",
        "top_null.json": "null",
        "empty.json": "",
        "bom.json": "\ufeff" + good,
        "trailing.json": good + "garbage",
        "truncated.json": good[: len(good) // 2],
        "binary.json": bytes(range(256)),
        "gbk.json": good.encode("gbk"),
        "utf16.json": good.encode("utf-16"),
        "lone_surrogate.json": good.replace("个体工商户设立登记", "\\ud800"),
        "dup_prefix.json": json.dumps({"categories": SMALL_CATALOG["categories"] * 2, "matters": []}),
        "no_matters.json": json.dumps({"categories": []}),
        "rongque_days_big.json": doc_with(("matters", 0, "rongque_days"), 10**9),
        "promised_gt.json": doc_with(("matters", 0, "promised_days"), 3000),
    }
    paths = {}
    for name, content in texts.items():
        p = d / name
        if isinstance(content, str):
            p.write_text(content, encoding="utf-8")
        else:
            p.write_bytes(content)
        paths[name] = p
    return paths


@pytest.fixture(scope="module")
def battery(tmp_path_factory) -> tuple[Path, dict[str, Path], Path]:
    d = tmp_path_factory.mktemp("hostile")
    db = d / "hall.db"
    from kiosk import open_hall

    open_hall(db, seed_demo=True).close()  # the demo hall, once: --db files are never seeded
    (d / "folder").mkdir()
    (d / "text.db").write_text("not a hall", encoding="utf-8")
    other = sqlite3.connect(d / "other.db")
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    return db, hostile_files(d), d


def cases(files: dict[str, Path], d: Path) -> list[list[str]]:
    out: list[list[str]] = []
    for p in files.values():
        out.append(["catalog", "validate", str(p)])
        out.append(["catalog", "import", str(p)])
    out += [
        ["catalog", "import", str(files["nested.json"]), "--replace"],
        ["catalog", "import", str(d / "missing.json")],
        ["catalog", "import", str(d / "folder")],
        ["catalog", "validate", str(d / "folder")],
        ["catalog", "export", "--out", str(d / "folder")],
        ["catalog", "export", "--out", str(d / "nowhere" / "x.json")],
        ["report", "--from", "2026-13-01"],
        ["report", "--from", "2026-11-30", "--to", "2026-11-01"],
        ["report", "--from", "9999-12-31"],
        ["report", "--from", "0001-01-01", "--to", "0001-01-02"],
        ["report", "--from", "２０２６-11-01"],
        ["report", "--csv", str(d / "folder")],
        ["print", "ticket", "X" * 131_072, "--out", str(d / "t.bin")],
        ["print", "ticket", "--id", str(2**70), "--out", str(d / "t.bin")],
        ["print", "ticket", "--id", "-1", "--out", str(d / "t.bin")],
        ["print", "ticket", "20261125-A001", "--out", str(d / "folder")],
        ["print", "receipt", "\x00", "--out", str(d / "r.pdf")],
        ["print", "notice", "１２３", "--out", str(d / "n.pdf")],
        ["print", "checklist", "NOPE", "--out", str(d / "c.pdf")],
        ["print", "checklist", "330106-A-001", "--answer", "x" * 131_072, "--out", str(d / "c.pdf")],
        ["terminal", "add", "--role", "kiosk", "--name", "名" * 131_072],
        ["terminal", "add", "--role", "kiosk", "--name", "a\x00b"],
        ["terminal", "add", "--role", "clerk", "--window", str(2**63), "--name", "w"],
        ["terminal", "add", "--role", "clerk", "--window", "-1", "--name", "w"],
        ["terminal", "add", "--role", "clerk", "--window", "99999", "--name", "w"],
        ["terminal", "revoke", "没有这台"],
        ["terminal", "reissue", "\x1b[2J"],
        ["staff", "add", "--login", "a b", "--name", "名", "--role", "clerk"],
        ["staff", "add", "--login", "x" * 131_072, "--name", "名", "--role", "manager"],
        ["staff", "add", "--login", "admin", "--name", "抢占", "--role", "manager"],
        ["staff", "add", "--login", "new1", "--name", "\x00", "--role", "clerk"],
        ["staff", "add", "--login", "new2", "--name", "名", "--role", "boss"],
        ["staff", "password", "没有这个人"],
        ["window", "add", "--number", "1", "--name", "抢占1号窗口"],
        ["window", "add", "--number", "0", "--name", "零号"],
        ["window", "add", "--number", str(2**63), "--name", "大"],
        ["window", "add", "--number", "99", "--name", "名" * 131_072],
        ["window", "add", "--number", "98", "--name", "九十八", "--categories", "Z,\x00"],
    ]
    for target in ("folder", "text.db", "other.db"):
        out.append(["report", "--db", str(d / target)])
        out.append(["catalog", "export", "--db", str(d / target)])
        out.append(["terminal", "list", "--db", str(d / target)])
    return out


def test_no_hostile_command_line_ends_in_a_traceback_or_changes_the_hall(battery, capsys, monkeypatch):
    db, files, d = battery
    monkeypatch.setattr("sys.stdin", io.StringIO("secret-123\n" * 1000))  # `staff` reads its password
    all_cases = cases(files, d)
    assert len(all_cases) >= 120
    before = fingerprint(db)
    bad = []
    for argv in all_cases:
        argv = argv if "--db" in argv else [*argv, "--db", str(db)]
        rc, out, err = run(argv, capsys)
        if "Traceback" in err or "出现意外问题" in err or rc not in (0, 1, 2):
            bad.append((argv[:3], rc, err[-300:]))
        elif rc != 0 and argv[:2] in (["catalog", "import"], ["staff", "add"], ["staff", "password"],
                                      ["window", "add"]) and fingerprint(db) != before:
            bad.append((argv[:3], "changed the hall", err[-200:]))
        if rc != 0:
            assert len(err.strip().splitlines()) <= 30, argv[:3]  # a refusal, not a dump
        before = fingerprint(db)
    assert not bad, "\n".join(map(str, bad))
    print(f"{len(all_cases)} hostile command lines tried")
