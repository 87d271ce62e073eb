"""`run [--role ...] [--hall URL --token T]`: open the hall's screens.

With no role, the demo: a hall server on a loopback port owns the demo hall file, and the
kiosk, clerk workbench, hall display and evaluator each reach it through their own client and
token, side by side on one screen with simulated devices; the networked path a real hall runs.
With `--hall URL` one terminal reaches a hall server; with a file path (`--db`) or nothing and
a role, one terminal opens a local hall file directly, as a single-PC hall does.
"""

from __future__ import annotations

import argparse
import contextlib
import sys

NAME = "run"
HELP = "打开界面：默认演示大厅（本机大厅服务器及取号机、窗口工作台、显示屏、评价器）；--role 只开一个终端"
ROLES = ("demo", "kiosk", "clerk", "display", "evaluator", "admin", "manager")
NOT_THIS_TERMINAL = 3  # exit status: the hall server registered this PC as another kind of terminal


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=ROLES,
                        help="demo=演示全部；kiosk=取号机；clerk=窗口工作台；display=大厅显示屏；evaluator=评价器；admin（或 manager）=管理后台")
    parser.add_argument("--window", type=int, help="窗口号（clerk、evaluator 用）")
    parser.add_argument("--hall", metavar="URL", help="大厅服务器地址，如 https://192.168.1.10:8470（不填则直接打开本机数据库）")
    parser.add_argument("--token", help="本终端的令牌（也可写在终端配置文件中，或放在环境变量 HALL_TOKEN）")
    parser.add_argument("--config", metavar="FILE", help="终端配置文件（TOML，默认在用户配置目录的 terminal.toml）")
    parser.add_argument("--orientation", choices=("portrait", "landscape"), help="取号机屏幕方向")
    parser.add_argument("--lang", choices=("zh", "en"))
    parser.add_argument("--windowed", action="store_true", help="取号机、显示屏不全屏（调试用）")
    parser.add_argument("--no-simulators", action="store_true",
                        help="演示大厅也不启动模拟设备（未配置端口的设备视为未连接）")
    parser.add_argument("--simulators", action="store_true",
                        help="用模拟设备代替本机未配置端口的设备（试用、培训用；会定时放一张虚构的身份证，"
                             "切勿用于对外服务的终端）")
    parser.add_argument("--no-supervise", action="store_true",
                        help="全屏取号机意外退出时不自动重新启动（默认会重启）")


def supervise(argv: list[str], *, restart_delay: float = 2.0, max_delay: float = 60.0,
              spawn=None, sleep=None, command: list[str] | None = None) -> int:
    """Run the full-screen kiosk as a child and start it again whenever it dies: a crash or a
    kill must not leave a public terminal showing the desktop. It ends when the kiosk exits
    normally, which needs the manager's PIN, or when the supervisor itself is asked to stop
    (SIGTERM from the PC's service manager, Ctrl+C): the stop is passed on to the kiosk, which
    closes its hall and devices, and nothing is started again. Without that a stop ended the
    supervisor alone and left the kiosk running with nobody watching it."""
    import signal
    import subprocess
    import threading
    import time

    stopping = threading.Event()
    child: list[subprocess.Popen] = []

    def stop(signum: int, frame: object) -> None:
        stopping.set()
        if child and child[-1].poll() is None:
            child[-1].send_signal(signal.SIGTERM)  # the kiosk's own stop: it closes cleanly

    def run_child(cmd: list[str]) -> int:
        process = subprocess.Popen(cmd)
        child.append(process)
        if stopping.is_set():  # asked to stop while it was starting
            process.send_signal(signal.SIGTERM)
        return process.wait()

    spawn = spawn or run_child
    sleep = sleep or stopping.wait
    cmd = command or [sys.executable, sys.argv[0] if sys.argv[0].endswith(".py") else "main.py", *argv,
                      "--no-supervise"]
    delay = restart_delay
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            started = time.monotonic()
            code = spawn(cmd)
            if stopping.is_set():
                print("取号机已按要求停止", file=sys.stderr)
                return 0
            if code == 0:
                return 0
            if code == NOT_THIS_TERMINAL:  # registered as another kind of PC: starting again cannot help
                print("取号机无法按本机的登记启动（原因见上一行），不再自动重新启动", file=sys.stderr)
                return code
            print(f"取号机意外退出（代码{code}），{delay:.0f}秒后重新启动", file=sys.stderr)
            sleep(delay)
            if stopping.is_set():
                print("取号机已按要求停止", file=sys.stderr)
                return 0
            # a kiosk that keeps dying at once waits longer each time; one that ran a while starts quickly
            delay = restart_delay if time.monotonic() - started > 60 else min(delay * 2, max_delay)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(args: argparse.Namespace) -> int:
    from commands.terminal_config import ConfigError, resolve

    try:
        conf = resolve(args)
    except ConfigError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    if conf.role == "kiosk" and not args.windowed and not args.no_supervise:
        return supervise(sys.argv[1:])
    from ui.display_check import require_display

    if not require_display():
        return 2
    from ui.app import catch_stop_signals

    catch_stop_signals()  # Ctrl+C while the hall opens ends it as cleanly as Ctrl+C later
    from kiosk.errors import HallError

    demo = None
    cover = None
    try:
        if conf.role == "demo":
            from commands.demo_hall import DemoHall

            demo = DemoHall.start(args.db)
            hall_for = demo.client
            hall = hall_for("kiosk")
        else:
            hall_for = None
            hall, cover = _open_or_wait(conf, args)
            if hall is None:
                return 0
    except HallError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        if demo is not None:
            demo.stop()
        return 1
    # the demo's screens each have their own registration; one terminal follows its own
    registered = conf if conf.role == "demo" else _as_registered(conf, getattr(hall, "me", None) or {})
    if registered is None:
        hall.close()
        if cover is not None:
            cover.close()
        return NOT_THIS_TERMINAL
    conf = registered
    from ui.launcher import launch

    try:
        return launch(hall, role=conf.role, window=conf.window, orientation=conf.orientation, lang=conf.lang,
                      windowed=args.windowed, hall_for=hall_for, cover=cover, file_devices=conf.devices,
                      # simulators only on the demo or when asked for: a real terminal with a device
                      # left unconfigured says it is not connected, never reads a made-up card
                      simulate=(conf.role == "demo" and not args.no_simulators) or args.simulators)
    except HallError as exc:  # refused while the screens were being built (the server lost just then)
        from kiosk.errors import ServerUnavailable

        why = "打开时与大厅服务器的连接中断，请重新启动本终端" if isinstance(exc, ServerUnavailable) else str(exc)
        print(f"错误：终端未能打开：{why}", file=sys.stderr)
        return 1
    finally:
        if demo is not None:
            demo.stop()


def _open_or_wait(conf, args: argparse.Namespace):  # noqa: ANN001, ANN202 - the resolved terminal config
    """The terminal's hall, opened now; or, when its hall server does not answer yet (the PCs of
    a hall are switched on together, the server's often not first) or refuses the PC's token,
    after waiting on a screen that says so (ui.server_wait). Returns (hall or None when the
    operator stopped the wait, the wait screen or None)."""
    from kiosk import open_hall
    from kiosk.errors import AccessDenied, ServerUnavailable

    def connect():  # noqa: ANN202
        fresh = conf
        if conf.hall:  # a new terminal.toml put in place while the PC waits is used at the next try
            from commands.terminal_config import ConfigError, resolve

            with contextlib.suppress(ConfigError):
                fresh = resolve(args)
        # only the default demo file is filled with the demo: a file given with --db may be a real hall
        return open_hall(conf.hall or args.db, seed_demo=not conf.hall and not args.db, token=fresh.token,
                         cafile=fresh.cafile)

    try:
        return connect(), None
    except (ServerUnavailable, AccessDenied) as exc:
        if not conf.hall:
            raise
        failure = exc
    from ui.server_wait import wait_for_hall

    if isinstance(failure, ServerUnavailable):
        # the client says what went wrong (no such host, nothing at that port, https to an http server...)
        print(f"大厅服务器 {conf.hall} 暂时连不上：{failure}；本机继续等待，连上后自动打开", file=sys.stderr)
    else:
        print(f"大厅服务器 {conf.hall} 拒绝了本终端的令牌：{failure}；本机将每隔10秒再问一次", file=sys.stderr)
    hall, cover = wait_for_hall(connect, role=conf.role, url=conf.hall, lang=conf.lang, first_failure=failure,
                                full_screen=conf.role in ("kiosk", "display") and not args.windowed)
    if hall is not None:
        print(f"已连上大厅服务器 {conf.hall}", file=sys.stderr)
    else:
        cover.close()
    return hall, cover


def _as_registered(conf, me: dict):  # noqa: ANN001, ANN202 - the resolved terminal config
    """The config as the hall server registered this PC (`me`, from its ping): the server binds a
    window PC to its registered window, so a desk opened on another (a config file without
    `window`, or a typo) would have every action refused; it opens on the registered one. A PC
    registered as another kind of terminal cannot be opened as this one: None, said in one line."""
    from dataclasses import replace

    from kiosk.hall_terminals import role_name, run_role

    if not me:  # a local hall file, or the demo: nothing registered to follow
        return conf
    role = run_role(str(me.get("role")))
    if role != conf.role:
        print(f"错误：本机在大厅服务器登记为{role_name(role)}“{me.get('terminal')}”，不能作为{role_name(conf.role)}打开；"
              f"请用 --role {role}，或请管理员为本机另行登记", file=sys.stderr)
        return None
    window = me.get("window")
    if window is not None and window != conf.window:
        print(f"本机登记在{window}号窗口，按登记打开{window}号窗口（配置中写的是{conf.window}号）", file=sys.stderr)
        return replace(conf, window=window)
    return conf
