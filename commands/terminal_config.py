"""A terminal's settings: the command line first, then `HALL_TOKEN`, then the terminal's
config file (TOML), so a window PC starts with a plain `main.py run`.

    # terminal.toml (in the user's config folder, or given with --config)
    hall = "https://192.168.1.10:8470"   # the hall server
    token = "…"                          # printed by `terminal add` on the server
    role = "clerk"                       # kiosk / clerk / display / evaluator / admin
    window = 3                           # clerk and evaluator
    cafile = "/etc/service-hall/ca.pem"  # the hall's own certificate authority, for https
    orientation = "portrait"             # kiosk
    lang = "zh"

    [devices]                            # this PC's own devices, when they differ from the hall's
    printer_port = "/dev/ttyUSB0"        # settings (a port not named here: not connected)
    printer_baud = 9600
    idcard_port = "/dev/ttyACM0"
"""

from __future__ import annotations

import argparse
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class TerminalConfig:
    role: str = "demo"
    window: int = 1
    hall: str = ""
    token: str = ""
    cafile: str | None = None
    orientation: str = "portrait"
    lang: str = "zh"
    devices: dict | None = None  # the PC's own [devices], replacing the hall's device settings


def devices_from(file: dict, path: Path) -> dict | None:
    """The `[devices]` table, checked by the hall settings' own rules (ports as text, baud rates
    from the list) and as pyserial URLs with a known printer model, or None when there is none."""
    devices = file.get("devices")
    if devices is None:
        return None
    from devices.ports import device_list_problems

    problems = device_list_problems(devices)
    if problems:
        raise ConfigError(f"终端配置文件 {path} 的 [devices] 有误：{'；'.join(problems)}")
    return dict(devices)


def default_config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("service-hall-terminal", appauthor=False)) / "terminal.toml"


def load_file(path: Path, required: bool) -> dict:
    if not path.exists():
        if required:
            raise ConfigError(f"找不到终端配置文件 {path}")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取终端配置文件 {path}：{exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"终端配置文件 {path} 格式有误：{exc}") from None
    known = {"hall", "token", "role", "window", "cafile", "orientation", "lang", "devices"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"终端配置文件 {path} 中有不认识的项：{'、'.join(unknown)}（可用：{'、'.join(sorted(known))}）")
    return data


def resolve(args: argparse.Namespace) -> TerminalConfig:
    from kiosk.hall_terminals import token_problem

    path = Path(args.config) if args.config else default_config_path()
    file = load_file(path, required=bool(args.config))
    from kiosk.hall_terminals import run_role

    # `manager` is what `terminal add` registers the console as: the same screen as `admin`
    role = run_role(args.role or file.get("role") or "demo")
    if role not in ("demo", "kiosk", "clerk", "display", "evaluator", "admin"):
        raise ConfigError(f"终端角色“{role}”不对：应为 kiosk、clerk、display、evaluator、admin 之一")
    window = args.window if args.window is not None else file.get("window", 1)
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        raise ConfigError(f"窗口号应为正整数，实际为“{window}”")
    if args.hall and getattr(args, "db", None):
        raise ConfigError("--hall（连大厅服务器）和 --db（直接打开本机数据库）只能给一个")
    # a hall file named on the command line is what the user asked for now: the config's server
    # address is for the PC's everyday start, and must not quietly win over it
    hall = args.hall or ("" if getattr(args, "db", None) else file.get("hall")) or ""
    if hall and not hall.lower().startswith(("http://", "https://")):
        raise ConfigError(f"大厅服务器地址应以 http:// 或 https:// 开头，实际为“{hall}”")
    token = args.token or os.environ.get("HALL_TOKEN") or file.get("token") or ""
    if hall and not token:
        raise ConfigError(f"连接大厅服务器需要本终端的令牌：用 --token、环境变量 HALL_TOKEN 或在 {path} 中写 token = \"…\"")
    problem = token_problem(token) if hall else ""
    if problem:
        raise ConfigError(problem)
    if hall and role == "demo":
        raise ConfigError("连接大厅服务器时请用 --role 指明本终端是什么（kiosk、clerk、display、evaluator、admin）")
    for key in ("orientation", "lang", "cafile", "token"):
        if key in file and not isinstance(file[key], str):
            raise ConfigError(f"终端配置文件中 {key} 应为文字")
    return TerminalConfig(role=role, window=window, hall=hall, token=token, cafile=args_or(file, "cafile"),
                          orientation=args.orientation or file.get("orientation", "portrait"),
                          lang=args.lang or file.get("lang", "zh"), devices=devices_from(file, path))


def args_or(file: dict, key: str) -> str | None:
    value = file.get(key)
    return str(value) if value else None
