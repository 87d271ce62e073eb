"""`catalog validate|import|export`: the matters catalog as JSON, materials as CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands._common import friendly_errors, open_from_args

NAME = "catalog"
HELP = "事项目录：校验、导入、导出（JSON，材料可用CSV）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    v = sub.add_parser("validate", help="校验目录文件（JSON）或材料表（CSV），不写入")
    v.add_argument("file", type=Path)
    i = sub.add_parser("import", help="导入目录文件（JSON）或材料表（CSV）；有错则不做任何改动")
    i.add_argument("file", type=Path)
    i.add_argument("--replace", action="store_true", help="先清空现有事项再导入（仅JSON）")
    e = sub.add_parser("export", help="导出整个目录为JSON（或 --csv 导出材料表）")
    e.add_argument("--out", type=Path, help="写入文件；缺省写到标准输出")
    e.add_argument("--csv", action="store_true", help="导出材料表CSV，便于用表格软件编辑")


@friendly_errors
def run(args: argparse.Namespace) -> int:
    from kiosk import catalog as catalog_io

    if args.action == "validate":
        text = catalog_io.decode_text(args.file.read_bytes(), args.file.name)
        if args.file.suffix.lower() == ".csv":
            hall = open_from_args(args)
            rows = catalog_io.materials_from_csv(text, {m.code for m in hall.matters()}, args.file.name)
            print(f"{args.file.name}：校验通过，{sum(len(v) for v in rows.values())}条材料，涉及{len(rows)}个事项")
        else:
            parsed = catalog_io.parse_json(text, args.file.name)
            print(f"{args.file.name}：校验通过，{len(parsed.categories)}个分类，{len(parsed.matters)}个事项")
        return 0
    if args.action == "import" and args.replace and args.file.suffix.lower() == ".csv":
        # a materials table replaces the materials of the matters it names and nothing else:
        # there is no "everything first" to clear, and ignoring the option would hide that
        print("错误：--replace 只用于导入目录文件（JSON）；材料表（CSV）只替换表中列出的事项的材料，"
              "请去掉 --replace 再导入", file=sys.stderr)
        return 2
    hall = open_from_args(args)
    if args.action == "import":
        text = catalog_io.decode_text(args.file.read_bytes(), args.file.name)
        if args.file.suffix.lower() == ".csv":
            n = hall.import_materials_csv(text, args.file.name)
            print(f"已导入{n}条材料")
        else:
            parsed = hall.import_catalog(text, args.file.name, replace_all=args.replace)
            print(f"已导入{len(parsed.categories)}个分类，{len(parsed.matters)}个事项")
        return 0
    import json

    out = hall.export_materials_csv() if args.csv else json.dumps(hall.export_catalog(), ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(out, encoding="utf-8-sig" if args.csv else "utf-8")
        print(f"已导出到 {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(out + ("" if out.endswith("\n") else "\n"))
    return 0
