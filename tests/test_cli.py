"""The command line works without a display and refuses bad input in one readable line."""

import json
import os
import subprocess
import sys

from support import ROOT


def cli(*args, db=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    cmd = [sys.executable, "main.py", *args] + (["--db", str(db)] if db else [])
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)


def test_help_lists_the_subcommands():
    out = cli("--help")
    assert out.returncode == 0
    for name in ("catalog", "report", "print", "run", "screenshot", "device", "simulate"):
        assert name in out.stdout


def test_catalog_export_writes_the_json_document_to_stdout(tmp_path):
    out = cli("catalog", "export", db=tmp_path / "h.db")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["categories"]) >= 6 and len(doc["matters"]) >= 30


def test_catalog_round_trip_through_a_file_and_validate(tmp_path):
    db = tmp_path / "h.db"
    target = tmp_path / "cat.json"
    assert cli("catalog", "export", "--out", str(target), db=db).returncode == 0
    out = cli("catalog", "validate", str(target))
    assert out.returncode == 0 and "校验通过" in out.stdout
    assert cli("catalog", "import", str(target), db=db).returncode == 0


def test_a_malformed_import_says_where_and_changes_nothing(tmp_path):
    db = tmp_path / "h.db"
    before = cli("catalog", "export", db=db).stdout
    bad = json.loads(before)
    bad["matters"][0]["materials"][0]["rongque"] = True
    bad["matters"][0]["name"] = "改名"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    out = cli("catalog", "import", str(path), db=db)
    assert out.returncode == 1
    assert "bad.json" in out.stderr and "matters[0].materials[0]" in out.stderr and "Traceback" not in out.stderr
    assert cli("catalog", "export", db=db).stdout == before


def test_report_prints_figures_and_writes_csv(tmp_path):
    csv_path = tmp_path / "r.csv"
    out = cli("report", "--from", "2026-11-01", "--to", "2026-11-25", "--csv", str(csv_path), db=tmp_path / "h.db")
    assert out.returncode == 0, out.stderr
    assert "一次办结率" in out.stdout and "满意率" in out.stdout
    assert csv_path.read_text(encoding="utf-8-sig").startswith("统计期间")


def test_run_without_a_display_explains_in_one_line(tmp_path):
    out = cli("run", db=tmp_path / "h.db")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "xvfb-run" in out.stderr
