"""The hall's configuration, editable by the manager without a programmer.

Stored as one JSON value per key in the `settings` table; unknown keys from a newer version
are kept, missing ones take the defaults below.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from kiosk.models import HallInfo

PRIORITY_POLICIES = ("strict", "ratio")
BAUD_RATES = (9600, 19200, 38400, 57600, 115200)


@dataclass(frozen=True)
class HallSettings:
    hall_code: str = "330106"
    hall_name: str = "政务服务中心"
    hall_address: str = ""
    hall_phone: str = ""
    follow_url: str = ""
    display_notice: str = ""  # the hall display's scrolling line; empty: a standard reminder
    # queue
    priority_policy: str = "strict"  # strict: priority always first; ratio: N normal to 1 priority
    priority_ratio: int = 3
    max_skips: int = 2  # a ticket skipped more often than this is abandoned
    appointment_grace_minutes: int = 15  # checked in later than slot end + this: a normal ticket
    # kiosk
    idle_seconds: int = 60
    helper_response_seconds: int = 120  # a helper call nobody took by then is raised again, marked late
    allow_phone_instead_of_id: bool = True
    allow_skip_id: bool = False
    # acceptance
    application_pattern: str = "{hall}{date:%Y%m%d}{seq:05d}"
    rongque_excluded: tuple[str, ...] = ()  # keyed hashes of ID numbers on the bad-credit list
    pending_overdue_policy: str = "terminate"  # terminate, or mark (keep open as overdue)
    bad_review_callback_days: int = 1
    bad_review_rectify_days: int = 15
    retention_days: int = 365
    # an unrated service counts as this level once this many working days passed (0: not counted)
    unrated_counts_as: int = 0
    unrated_after_days: int = 3
    # devices: pyserial URLs, every PC's unless its terminal.toml names its own; empty: not connected
    idcard_port: str = ""
    idcard_baud: int = 115200
    printer_port: str = ""
    printer_baud: int = 9600  # most receipt printers ship at 9600 8N1
    printer_profile: str = "generic-80"
    scanner_port: str = ""
    scanner_baud: int = 9600
    extra: dict = field(default_factory=dict)

    def validate(self) -> list[str]:
        """Every problem with these values, types first: a value of the wrong type or outside its
        range is refused before it is stored, so no setting can stop the hall from starting."""
        problems = type_problems(self)
        if problems:
            return problems
        for key, (low, high, name) in RANGES.items():
            value = getattr(self, key)
            if not low <= value <= high:
                problems.append(f"{name}应为{low}到{high}，实际为{value}")
        if self.priority_policy not in PRIORITY_POLICIES:
            problems.append(f"叫号策略应为 strict（优先号始终优先）或 ratio（按比例），实际为“{_shown(self.priority_policy)}”")
        if self.pending_overdue_policy not in ("terminate", "mark"):
            problems.append("容缺逾期处理方式应为 terminate（终止办件）或 mark（仅标记逾期）")
        if not (self.hall_code.isascii() and self.hall_code.isalnum() and 1 <= len(self.hall_code) <= 12):
            problems.append("大厅代码应为1到12位字母或数字（如行政区划代码330106）")
        else:
            problems += pattern_problems(self.application_pattern, self.hall_code)
        for key, name in (("idcard_baud", "身份证阅读器"), ("printer_baud", "打印机"), ("scanner_baud", "扫码器")):
            if getattr(self, key) not in BAUD_RATES:
                problems.append(f"{name}波特率应为 {'、'.join(map(str, BAUD_RATES))} 之一")
        for key in TEXT_FIELDS:
            value = getattr(self, key)
            if len(value) > 500 or any(not ch.isprintable() for ch in value):
                problems.append(f"{TEXT_NAMES.get(key, '设置项 ' + key)}应为不超过500个可见字符的文字")
        if not self.hall_name.strip() or len(self.hall_name) > 50:  # it heads every screen, ticket and receipt
            problems.append("大厅名称应为1到50个字（如杭州市西湖区民生服务中心）")
        url = self.follow_url
        if url and not (url.startswith(("http://", "https://")) and len(url) > 8 and " " not in url):
            # it is printed as a QR on every ticket and receipt: a phone must open it as a web page
            problems.append(f"公网访问地址应以 http:// 或 https:// 开头（如 https://hall.example.cn），实际为“{_shown(url)}”")
        if any(not (isinstance(h, str) and len(h) == 64 and all(c in "0123456789abcdef" for c in h))
               for h in self.rongque_excluded):
            problems.append("容缺排除名单应为证件号码的加密摘要（请在管理后台导入号码）")
        return problems


DEVICE_NAMES = {"idcard": "身份证阅读器", "printer": "取号打印机", "scanner": "扫码器"}
# what a PC's own device list may name (its ports, their baud rates, the printer's model)
DEVICE_KEYS = ("idcard_port", "idcard_baud", "printer_port", "printer_baud", "printer_profile", "scanner_port",
               "scanner_baud")


def device_problems(devices: object) -> list[str]:
    """What is wrong with a PC's own device list, by the hall settings' own rules (a port is
    text, a baud rate one of BAUD_RATES); whether a port names real hardware the PC finds out."""
    if not isinstance(devices, dict):
        return ["本机设备应为端口、波特率等设置项的列表"]
    unknown = sorted(str(k) for k in devices if k not in DEVICE_KEYS)
    if unknown:
        return [f"本机设备中有不认识的项：{'、'.join(unknown)}（可用：{'、'.join(DEVICE_KEYS)}）"]
    try:
        return HallSettings(**devices).validate()
    except TypeError as exc:
        return [f"本机设备有误：{exc}"]


# (lowest, highest, what it is called)
RANGES: dict[str, tuple[int, int, str]] = {
    "priority_ratio": (1, 100, "普通号与优先号的比例"),
    "max_skips": (0, 20, "过号可重呼次数"),
    "appointment_grace_minutes": (0, 240, "预约迟到宽限时间（分钟）"),
    "idle_seconds": (10, 3600, "无人操作返回首页的时间（秒）"),
    "helper_response_seconds": (15, 3600, "帮办响应时限（秒）"),
    "bad_review_callback_days": (0, 60, "差评回访期限（工作日）"),
    "bad_review_rectify_days": (0, 120, "差评整改期限（工作日）"),
    "retention_days": (1, 36500, "个人信息保存天数"),
    "unrated_counts_as": (0, 5, "未评价业务视同的评价等级（0为不计入）"),
    "unrated_after_days": (0, 60, "未评价业务视同评价的期限（工作日）"),
}


def _shown(value: object) -> str:
    text = str(value)
    return text[:40] + "…" if len(text) > 40 else text


def type_problems(settings: HallSettings) -> list[str]:
    problems = []
    for key, kind in FIELD_TYPES.items():
        value = getattr(settings, key)
        if kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind is tuple:
            ok = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
        elif kind is dict:
            ok = isinstance(value, dict)
        else:
            ok = isinstance(value, kind)
        if not ok:
            wanted = {int: "整数", str: "文字", bool: "是或否", tuple: "文字列表", dict: "对象"}[kind]
            problems.append(f"设置项 {key} 应为{wanted}，实际为“{_shown(value)}”")
    return problems


def pattern_problems(pattern: str, hall_code: str = "330106") -> list[str]:
    """The application-number pattern is tried on a sample before it is stored: `{x}` or a bad
    format would otherwise break every acceptance from then on."""
    import datetime as dt
    import re

    problems = []
    for key in ("{seq", "{date"):
        if key not in pattern:
            problems.append(f"办件编号规则须包含 {key}…}}，以保证编号永不重复")
    try:
        sample = pattern.format(hall=hall_code, date=dt.datetime(2026, 12, 31, 23, 59), seq=99999)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        return problems + [f"办件编号规则“{_shown(pattern)}”无法使用（{_shown(exc)}）：只能用 {{hall}}、{{date:%Y%m%d}}、{{seq:05d}}"]
    if not re.fullmatch(r"[A-Za-z0-9\-]{4,40}", sample, re.ASCII):
        problems.append(f"办件编号规则生成的编号“{_shown(sample)}”应为4到40位字母、数字或连字符")
    return problems


FIELDS = {f.name: f for f in dataclasses.fields(HallSettings)}
SECRET_KEYS = frozenset({"manager_pin"})  # kept hashed elsewhere (kiosk.hall_pin), never in settings
_KINDS = {"int": int, "str": str, "bool": bool, "dict": dict, "tuple[str, ...]": tuple}
FIELD_TYPES: dict[str, type] = {f.name: _KINDS[str(f.type)] for f in dataclasses.fields(HallSettings)}
TEXT_FIELDS = tuple(k for k, t in FIELD_TYPES.items() if t is str and k != "application_pattern")
# the text settings as the console names them, for messages a manager reads
TEXT_NAMES = {"hall_name": "大厅名称", "hall_code": "行政区划代码", "hall_address": "地址", "hall_phone": "电话",
              "follow_url": "公网访问地址", "display_notice": "大屏滚动通知"}


def settings_from_values(values: dict) -> HallSettings:
    """Stored values into settings; a value an older version let through that is of the wrong
    type or out of range falls back to its default (and is said in the log), so the hall starts."""
    known = {}
    extra = {}
    for key, value in values.items():
        if key in SECRET_KEYS:
            continue  # never read back among the settings every terminal may see
        if key in FIELDS and key != "extra":
            known[key] = tuple(value) if isinstance(value, list) else value
        else:
            extra[key] = value
    settings = HallSettings(**known, extra=extra)
    if not settings.validate():
        return settings
    defaults = HallSettings()
    good = {}
    for key, value in known.items():
        trial = dataclasses.replace(defaults, **{key: value})
        if not trial.validate():
            good[key] = value
        else:
            import logging

            logging.getLogger("kiosk.settings").warning("设置项 %s 的存储值无效，按默认值使用", key)
    return HallSettings(**good, extra=extra)


def settings_to_values(settings: HallSettings) -> dict:
    values = {k: getattr(settings, k) for k in FIELDS if k != "extra"}
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    values.update(settings.extra)
    return values


def hall_info(s: HallSettings) -> HallInfo:
    """Who the hall is (printed on tickets and receipts), from its settings: a terminal that
    keeps the settings prints without asking the hall again."""
    return HallInfo(code=s.hall_code, name=s.hall_name, address=s.hall_address, phone=s.hall_phone,
                    follow_url=s.follow_url)
