"""`terminal`, `simulate` and `catalog` lines that argparse lets through but that did something
else than meant, or nothing while saying otherwise: each is refused in one Chinese line and
changes nothing. And `terminal list` says what its columns are."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, demo_hall_file, digest
from support import main_py as cli

from kiosk import open_hall


def refused_in_one_line(out: subprocess.CompletedProcess) -> str:
    assert out.returncode in (1, 2), (out.returncode, out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in out.stderr, out.stderr
    assert out.stdout == ""
    return lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = demo_hall_file(tmp_path / "hall.db")
    assert cli("terminal", "add", "--role", "kiosk", "--name", "二楼取号机", db=path).returncode == 0
    assert cli("terminal", "add", "--role", "clerk", "--window", "3", "--name", "3号窗口", db=path).returncode == 0
    assert cli("terminal", "devices", "二楼取号机", "--printer-port", "/dev/ttyUSB1", db=path).returncode == 0
    return path


def test_terminal_devices_with_no_device_option_is_refused_instead_of_taking_every_device_away(db):
    before = digest(db)
    line = refused_in_one_line(cli("terminal", "devices", "二楼取号机", db=db))
    assert "--printer-port" in line and "--hall-settings" in line
    line = refused_in_one_line(cli("terminal", "devices", "二楼取号机", "--hall-settings", "--printer-baud", "9600",
                                   db=db))
    assert "--hall-settings" in line and "--printer-baud" in line
    assert digest(db) == before
    assert "printer=/dev/ttyUSB1" in cli("terminal", "list", db=db).stdout
    # a PC with no devices at all is said so in as many words
    cleared = cli("terminal", "devices", "二楼取号机", "--printer-port", "", db=db)
    assert cleared.returncode == 0 and "取号打印机 无" in cleared.stdout, cleared.stderr


def test_terminal_move_says_what_to_give_and_what_a_window_number_is(db):
    before = digest(db)
    line = refused_in_one_line(cli("terminal", "move", "二楼取号机", db=db))
    assert "--window" in line and "--place" in line
    line = refused_in_one_line(cli("terminal", "move", "3号窗口", "--window", "0", db=db))
    assert "窗口号应为正整数" in line
    line = refused_in_one_line(cli("terminal", "add", "--role", "clerk", "--window", "-2", "--name", "w", db=db))
    assert "窗口号应为正整数" in line
    assert digest(db) == before
    # a new place alone keeps the window PC on its window
    moved = cli("terminal", "move", "3号窗口", "--place", "二楼东侧", db=db)
    assert moved.returncode == 0 and "3号窗口，位置“二楼东侧”" in moved.stdout, moved.stderr


def test_terminal_list_has_a_heading_and_add_takes_admin_for_the_managers_console(db):
    added = cli("terminal", "add", "--role", "admin", "--name", "主任电脑", db=db)
    assert added.returncode == 0 and "管理后台" in added.stdout, added.stderr
    hall = open_hall(db)
    try:
        assert next(t.role for t in hall.terminals() if t.name == "主任电脑") == "manager"
    finally:
        hall.close()
    rows = cli("terminal", "list", db=db).stdout.splitlines()
    assert rows[0].split("\t") == ["名称", "类型", "窗口", "状态", "最近在线", "设备"]
    assert len(rows) == 4 and all(len(row.split("\t")) == 6 for row in rows)
    assert "admin" in cli("terminal", "add", "--help").stdout


def test_catalog_import_of_a_materials_table_with_replace_is_refused_not_ignored(db, tmp_path):
    exported = cli("catalog", "export", "--csv", db=db)
    table = tmp_path / "materials.csv"
    table.write_text(exported.stdout, encoding="utf-8")
    before = digest(db)
    line = refused_in_one_line(cli("catalog", "import", str(table), "--replace", db=db))
    assert "--replace" in line and "JSON" in line
    assert digest(db) == before


@pytest.mark.parametrize("argv", [["printer", "--fault", "41"], ["scanner", "--paper-out"], ["idcard", "--codes", "x"]])
def test_simulate_refuses_another_devices_option_instead_of_ignoring_it(argv):
    line = refused_in_one_line(cli("simulate", *argv, timeout=20))
    assert argv[1] in line and "只用于" in line


def test_simulate_says_which_fault_it_starts_with():
    proc = subprocess.Popen([sys.executable, "main.py", "simulate", "idcard", "--fault", "41"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().strip()  # the port, first
        assert "已启动" in proc.stderr.readline()
        said = proc.stderr.readline()
        assert said.startswith("模拟故障：") and "41" in said and "读取证件失败" in said, said
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
