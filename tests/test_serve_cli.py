"""`serve`, `terminal` and `run --hall` on the command line: a real server process on a loopback
port, its one-line request log, its daily jobs, a clean stop on SIGTERM, and refusals in one line."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from support import ROOT
from support import demo_hall_file as demo_file
from support import main_py as cli

from hallnet.runner import free_port


def start_server(db: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "main.py", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    give_up = time.monotonic() + 20
    while time.monotonic() < give_up:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=0.5).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.05)
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read() if proc.stderr else "server exited")
    proc.kill()
    raise AssertionError("the server did not start")


def test_terminal_add_prints_the_token_last_and_list_and_revoke_do_what_they_say(tmp_path):
    db = tmp_path / "hall.db"
    demo_file(db)  # the demo hall, with its windows (a --db file is never seeded by the CLI)
    added = cli("terminal", "add", "--role", "clerk", "--window", "3", "--name", "3号窗口", db=db)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    assert token not in db.read_bytes().decode("latin-1")  # only its hash is stored
    listed = cli("terminal", "list", db=db)
    assert "3号窗口" in listed.stdout and "窗口工作台" in listed.stdout and "有效" in listed.stdout
    assert "设备按大厅设置" in listed.stdout  # no list of its own yet (the console sets one)
    moved = cli("terminal", "move", "3号窗口", "--window", "2", "--place", "二楼", db=db)
    assert moved.returncode == 0 and "2号窗口" in moved.stdout, moved.stderr
    bad_move = cli("terminal", "move", "3号窗口", db=db)  # nothing to change: says what to give
    assert bad_move.returncode == 1 and "--window" in bad_move.stderr and "Traceback" not in bad_move.stderr
    assert "2号窗口" in cli("terminal", "list", db=db).stdout
    assert cli("terminal", "revoke", "3号窗口", db=db).returncode == 0
    assert "已注销" in cli("terminal", "list", db=db).stdout
    again = cli("terminal", "add", "--role", "clerk", "--name", "无窗口", db=db)
    assert again.returncode == 1 and "须指定窗口号" in again.stderr and "Traceback" not in again.stderr


def test_the_server_logs_each_request_runs_the_daily_jobs_and_stops_cleanly_on_sigterm(tmp_path):
    db = tmp_path / "hall.db"
    demo_file(db)
    token = cli("terminal", "add", "--role", "kiosk", "--name", "取号机A", db=db).stdout.strip().splitlines()[-1]
    port = free_port()
    proc = start_server(db, port)
    try:
        url = f"http://127.0.0.1:{port}"
        auth = {"Authorization": f"Bearer {token}"}
        answer = httpx.post(f"{url}/api/issue_ticket", json={"category": "A"}, headers=auth, timeout=5)
        assert answer.status_code == 200 and answer.json()["number"] == "A001"
        refused = httpx.post(f"{url}/api/save_window", json={"window": {"number": 1, "name": "x"}},
                             headers=auth, timeout=5)
        assert refused.status_code == 403 and "无权" in refused.json()["message"]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    lines = err.splitlines()
    assert any("取号机A POST /api/issue_ticket 200" in line for line in lines), err
    assert any("取号机A POST /api/save_window 403" in line for line in lines), err
    assert any("每日任务 " + dt.date.today().isoformat() in line for line in lines), err
    assert "Traceback" not in err


def test_serve_refuses_bad_arguments_in_one_line(tmp_path):
    out = cli("serve", "--certfile", "missing.pem", db=tmp_path / "h.db")
    assert out.returncode == 2 and "--keyfile" in out.stderr
    out = cli("serve", db=tmp_path)
    assert out.returncode == 2 and "文件夹" in out.stderr
    out = cli("serve", "--port", "70000", db=tmp_path / "h.db")
    assert out.returncode == 2 and "端口" in out.stderr


def test_run_against_a_server_needs_a_token_and_a_role_and_says_so(tmp_path):
    out = cli("run", "--hall", "http://127.0.0.1:1", "--role", "kiosk", "--config", str(tmp_path / "none.toml"))
    assert out.returncode == 2 and "找不到终端配置文件" in out.stderr
    config = tmp_path / "terminal.toml"
    config.write_text('hall = "http://127.0.0.1:1"\nrole = "kiosk"\n', encoding="utf-8")
    out = cli("run", "--config", str(config))
    assert out.returncode == 2 and "令牌" in out.stderr and "Traceback" not in out.stderr
    config.write_text('hall = "ftp://x"\n', encoding="utf-8")
    out = cli("run", "--config", str(config), "--token", "t", "--role", "kiosk")
    assert out.returncode == 2 and "http://" in out.stderr
    config.write_text('hall = [1,\n', encoding="utf-8")
    out = cli("run", "--config", str(config))
    assert out.returncode == 2 and "格式有误" in out.stderr


def _terminal_process(*args: str, out: Path) -> subprocess.Popen:
    """A terminal started as a PC starts it, on the offscreen platform (no display here)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "main.py", "run", *args], cwd=ROOT, env=env,
                            stdout=out.open("w"), stderr=subprocess.STDOUT, text=True)


def _wait_for(text: str, out: Path, proc: subprocess.Popen, seconds: float = 30) -> None:
    give_up = time.monotonic() + seconds
    while text not in out.read_text(encoding="utf-8"):
        assert proc.poll() is None, out.read_text(encoding="utf-8")
        assert time.monotonic() < give_up, out.read_text(encoding="utf-8")
        time.sleep(0.1)


def test_a_window_pc_switched_on_before_the_server_waits_and_opens_its_desk_once_the_server_starts(tmp_path):
    """The hall's PCs are switched on together; the server's is often not first. The desk used
    to print “正在自动重连” and exit, leaving the clerk to start it again by hand."""
    db = tmp_path / "hall.db"
    demo_file(db)
    token = cli("terminal", "add", "--role", "clerk", "--window", "1", "--name", "1号窗口",
                db=db).stdout.strip().splitlines()[-1]
    port = free_port()
    out = tmp_path / "desk.txt"
    desk = _terminal_process("--role", "clerk", "--window", "1", "--hall", f"http://127.0.0.1:{port}",
                             "--token", token, out=out)
    server = None
    try:
        _wait_for("暂时连不上：无法连接", out, desk)
        time.sleep(2)  # a few tries fail meanwhile; the desk goes on waiting
        assert desk.poll() is None, out.read_text(encoding="utf-8")
        server = start_server(db, port)
        _wait_for("已连上大厅服务器", out, desk)
        time.sleep(2)  # the desk is built on the hall it reached
        assert desk.poll() is None, out.read_text(encoding="utf-8")
        desk.send_signal(signal.SIGTERM)
        assert desk.wait(timeout=15) == 0
    finally:
        for proc in (desk, server):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert "Traceback" not in out.read_text(encoding="utf-8")


def test_a_token_pasted_with_chinese_or_full_width_characters_is_refused_in_words(tmp_path):
    out = tmp_path / "kiosk.txt"
    proc = _terminal_process("--role", "kiosk", "--windowed", "--hall", "http://127.0.0.1:1",
                             "--token", "令牌：abc", out=out)
    assert proc.wait(timeout=60) == 2
    text = out.read_text(encoding="utf-8")
    assert "令牌有误" in text and "Traceback" not in text, text


def test_a_kiosk_whose_token_is_refused_at_start_stays_on_screen_saying_so_and_takes_a_new_config(tmp_path):
    """Quitting left a public kiosk showing the desktop between its supervisor's restarts. The
    kiosk says it needs staff, asks again every 10 s, and a new terminal.toml put in place
    meanwhile is used at the next try: no restart."""
    db = tmp_path / "hall.db"
    demo_file(db)
    old = cli("terminal", "add", "--role", "kiosk", "--name", "取号机A", db=db).stdout.strip().splitlines()[-1]
    assert cli("terminal", "revoke", "取号机A", db=db).returncode == 0
    port = free_port()
    config = tmp_path / "terminal.toml"
    config.write_text(f'hall = "http://127.0.0.1:{port}"\ntoken = "{old}"\nrole = "kiosk"\n', encoding="utf-8")
    server = start_server(db, port)
    out = tmp_path / "kiosk.txt"
    kiosk = _terminal_process("--windowed", "--config", str(config), out=out)
    try:
        _wait_for("拒绝了本终端的令牌", out, kiosk)
        time.sleep(1)
        assert kiosk.poll() is None, out.read_text(encoding="utf-8")
        new = cli("terminal", "add", "--role", "kiosk", "--name", "取号机B", db=db).stdout.strip().splitlines()[-1]
        config.write_text(f'hall = "http://127.0.0.1:{port}"\ntoken = "{new}"\nrole = "kiosk"\n', encoding="utf-8")
        _wait_for("已连上大厅服务器", out, kiosk, seconds=30)
        time.sleep(1)
        assert kiosk.poll() is None, out.read_text(encoding="utf-8")
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=15) == 0
    finally:
        for proc in (kiosk, server):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    text = out.read_text(encoding="utf-8")
    assert "令牌无效或已注销" in text and "Traceback" not in text


def test_a_window_pc_opens_on_its_registered_window_and_not_as_another_kind_of_terminal(tmp_path):
    """The server binds a window PC to its registered window: a desk opened on another (a config
    without `window` defaults to 1) had every action refused. A clerk token is not a kiosk."""
    db = tmp_path / "hall.db"
    demo_file(db)
    token = cli("terminal", "add", "--role", "clerk", "--window", "3", "--name", "3号窗口",
                db=db).stdout.strip().splitlines()[-1]
    port = free_port()
    server = start_server(db, port)
    url = f"http://127.0.0.1:{port}"
    out, wrong = tmp_path / "desk.txt", tmp_path / "kiosk.txt"
    desk = _terminal_process("--role", "clerk", "--hall", url, "--token", token, out=out)
    kiosk = _terminal_process("--role", "kiosk", "--windowed", "--hall", url, "--token", token, out=wrong)
    try:
        _wait_for("按登记打开3号窗口", out, desk)
        assert kiosk.wait(timeout=60) == 3  # its supervisor does not start it again and again
        desk.send_signal(signal.SIGTERM)
        assert desk.wait(timeout=15) == 0
    finally:
        for proc in (desk, kiosk, server):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    said = wrong.read_text(encoding="utf-8")
    assert "登记为窗口工作台“3号窗口”，不能作为取号机打开" in said and "--role clerk" in said
    assert "Traceback" not in said + out.read_text(encoding="utf-8")


def test_terminal_devices_gives_a_pc_its_own_ports_checked_and_back_to_the_halls(tmp_path):
    db = tmp_path / "hall.db"
    demo_file(db)
    assert cli("terminal", "add", "--role", "kiosk", "--name", "二楼取号机", db=db).returncode == 0
    out = cli("terminal", "devices", "二楼取号机", "--printer-port", "/dev/ttyUSB1", "--printer-baud", "19200", db=db)
    assert out.returncode == 0 and "取号打印机 /dev/ttyUSB1（19200）；扫码器 无" in out.stdout, out.stderr
    assert "本机设备 idcard=无、printer=/dev/ttyUSB1、scanner=无" in cli("terminal", "list", db=db).stdout
    for bad, words in ((["--printer-port", "bogus://x"], "端口“bogus://x”无效"), (["--printer-baud", "123"], "波特率")):
        refused = cli("terminal", "devices", "二楼取号机", *bad, db=db)
        assert refused.returncode == 1 and words in refused.stderr and "Traceback" not in refused.stderr
    assert "printer=/dev/ttyUSB1" in cli("terminal", "list", db=db).stdout  # a refusal changed nothing
    back = cli("terminal", "devices", "二楼取号机", "--hall-settings", db=db)
    assert back.returncode == 0 and "按大厅设置" in back.stdout
    assert "设备按大厅设置" in cli("terminal", "list", db=db).stdout


def test_a_server_on_an_empty_hall_file_says_what_the_hall_still_lacks_and_how_to_add_it(tmp_path):
    db = tmp_path / "hall.db"
    port = free_port()
    proc = start_server(db, port)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and "还不能对外服务" in err
    for step in ("staff add", "catalog import", "window add", "terminal add"):
        assert f"main.py {step} --db {db}" in err, err
    ready = tmp_path / "ready.db"
    demo_file(ready)
    assert cli("terminal", "add", "--role", "kiosk", "--name", "取号机A", db=ready).returncode == 0
    proc = start_server(ready, free_port())
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and "还不能对外服务" not in err
