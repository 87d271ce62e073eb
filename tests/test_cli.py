"""The command line works without a display and refuses bad input in one readable line."""

import json

import pytest
from support import ROOT
from support import demo_hall_file as demo_file
from support import main_py as cli


def test_help_lists_the_subcommands():
    out = cli("--help")
    assert out.returncode == 0
    for name in ("catalog", "report", "print", "run", "screenshot", "device", "simulate"):
        assert name in out.stdout


def test_catalog_export_writes_the_json_document_to_stdout(tmp_path):
    out = cli("catalog", "export", db=demo_file(tmp_path / "h.db"))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["categories"]) >= 6 and len(doc["matters"]) >= 30


def test_catalog_round_trip_through_a_file_and_validate(tmp_path):
    db = demo_file(tmp_path / "h.db")
    target = tmp_path / "cat.json"
    assert cli("catalog", "export", "--out", str(target), db=db).returncode == 0
    out = cli("catalog", "validate", str(target))
    assert out.returncode == 0 and "校验通过" in out.stdout
    assert cli("catalog", "import", str(target), db=db).returncode == 0


def test_a_malformed_import_says_where_and_changes_nothing(tmp_path):
    db = demo_file(tmp_path / "h.db")
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


def test_a_hall_file_given_with_db_never_receives_the_demo_accounts_or_matters(tmp_path):
    db = tmp_path / "real.db"
    for args in (("report",), ("catalog", "export"), ("terminal", "list"), ("staff", "list"), ("window", "list")):
        assert cli(*args, db=db).returncode == 0
    from kiosk import open_hall

    hall = open_hall(db)
    try:
        assert hall.staff() == [] and hall.windows() == [] and hall.categories() == []
    finally:
        hall.close()


def test_a_real_hall_is_set_up_from_the_command_line_alone(tmp_path):
    """The README's steps on an empty file: first manager, the catalog, a window, its PCs."""
    db = tmp_path / "hall.db"
    out = cli("staff", "add", "--login", "wang", "--name", "王主任", "--role", "manager", db=db, stdin="s3cret-pass\n")
    assert out.returncode == 0, out.stderr
    assert cli("catalog", "import", str(ROOT / "resources/catalog/sample_hall.json"), db=db).returncode == 0
    out = cli("window", "add", "--number", "3", "--name", "综合受理3号窗口", db=db)
    assert out.returncode == 0 and "所有分类" in out.stdout
    out = cli("window", "add", "--number", "5", "--name", "商事登记5号窗口", "--categories", "a", db=db)
    assert out.returncode == 0 and "A" in out.stdout, out.stderr
    out = cli("terminal", "add", "--role", "clerk", "--window", "3", "--name", "3号窗口", db=db)
    assert out.returncode == 0, out.stderr
    listed = cli("window", "list", db=db).stdout.splitlines()
    assert listed[0].split("\t")[0] == "窗口号" and listed[2].startswith("5\t商事登记5号窗口\tA 商事登记")
    from kiosk import open_hall

    hall = open_hall(db)
    try:
        assert hall.authenticate("wang", "s3cret-pass").role == "manager"
    finally:
        hall.close()


def test_a_forgotten_manager_password_is_reset_from_the_command_line(tmp_path):
    db = demo_file(tmp_path / "h.db")
    out = cli("staff", "password", "admin", db=db, stdin="brand-new-1\n")
    assert out.returncode == 0, out.stderr
    from kiosk import open_hall
    from kiosk.errors import AuthError

    hall = open_hall(db)
    try:
        assert hall.authenticate("admin", "brand-new-1").login == "admin"
        with pytest.raises(AuthError):
            hall.authenticate("admin", "demo-admin")
    finally:
        hall.close()


def test_an_account_without_a_password_is_not_made(tmp_path):
    db = tmp_path / "h.db"
    out = cli("staff", "add", "--login", "wang", "--name", "王主任", "--role", "manager", db=db)
    assert out.returncode == 1 and out.stderr.startswith("错误：") and out.stderr.count("\n") == 1
    assert not db.exists()  # asked before the hall is opened: not even an empty file is left
    out = cli("staff", "add", "--login", "wang", "--name", "王主任", "--role", "manager", db=db, stdin="12345\n")
    assert out.returncode == 1 and "至少6位" in out.stderr
    assert "还没有任何账号" in cli("staff", "list", db=db).stdout


def test_a_mistyped_command_line_is_answered_in_chinese():
    for args, words in ((("terminal", "add", "--role", "boss", "--name", "x"), "不是可选的值"),
                        (("serve", "--port", "abc"), "不是有效的整数"),
                        (("window", "add", "--number", "2"), "缺少必需的参数：--name"),
                        (("report", "--bogus"), "不认识的参数：--bogus")):
        out = cli(*args)
        assert out.returncode == 2 and words in out.stderr and out.stderr.startswith("用法："), out.stderr
        assert "error" not in out.stderr and "usage" not in out.stderr
