"""The hall's configuration, editable by the manager without a programmer.

Stored as one JSON value per key in the `settings` table; unknown keys from a newer version
are kept, missing ones take the defaults below.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

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
    manager_pin: str = "2468"
    allow_phone_instead_of_id: bool = True
    allow_skip_id: bool = False
    # acceptance
    application_pattern: str = "{hall}{date:%Y%m%d}{seq:05d}"
    rongque_excluded: tuple[str, ...] = ()  # keyed hashes of ID numbers on the bad-credit list
    pending_overdue_policy: str = "terminate"  # terminate, or mark (keep open as overdue)
    bad_review_callback_days: int = 1
    bad_review_rectify_days: int = 15
    retention_days: int = 365
    # devices: pyserial URLs; empty means the demo's simulators
    idcard_port: str = ""
    idcard_baud: int = 115200
    printer_port: str = ""
    printer_baud: int = 9600  # most receipt printers ship at 9600 8N1
    printer_profile: str = "generic-80"
    scanner_port: str = ""
    scanner_baud: int = 9600
    extra: dict = field(default_factory=dict)

    def validate(self) -> list[str]:
        problems = []
        if self.priority_policy not in PRIORITY_POLICIES:
            problems.append(f"叫号策略应为 strict（优先号始终优先）或 ratio（按比例），实际为“{self.priority_policy}”")
        if self.priority_ratio < 1:
            problems.append("普通号与优先号的比例应至少为1")
        if self.appointment_grace_minutes < 0:
            problems.append("预约迟到宽限时间不能为负数")
        if self.max_skips < 0:
            problems.append("过号可重呼次数不能为负数")
        if self.idle_seconds < 10:
            problems.append("无人操作返回首页的时间不能少于10秒")
        if not (self.manager_pin.isdigit() and 4 <= len(self.manager_pin) <= 8):
            problems.append("管理员PIN应为4到8位数字")
        if self.pending_overdue_policy not in ("terminate", "mark"):
            problems.append("容缺逾期处理方式应为 terminate（终止办件）或 mark（仅标记逾期）")
        for key in ("{seq", "{date"):
            if key not in self.application_pattern:
                problems.append(f"办件编号规则须包含 {key}…}}，以保证编号永不重复")
        if self.retention_days < 1:
            problems.append("个人信息保存天数应至少为1天（0或负数会让个人信息永不清除）")
        if self.bad_review_callback_days < 0 or self.bad_review_rectify_days < 0:
            problems.append("差评回访和整改期限不能为负数")
        for key, name in (("idcard_baud", "身份证阅读器"), ("printer_baud", "打印机"), ("scanner_baud", "扫码器")):
            if getattr(self, key) not in BAUD_RATES:
                problems.append(f"{name}波特率应为 {'、'.join(map(str, BAUD_RATES))} 之一")
        return problems


FIELDS = {f.name: f for f in dataclasses.fields(HallSettings)}


def settings_from_values(values: dict) -> HallSettings:
    known = {}
    extra = {}
    for key, value in values.items():
        if key in FIELDS and key != "extra":
            known[key] = tuple(value) if isinstance(value, list) else value
        else:
            extra[key] = value
    return HallSettings(**known, extra=extra)


def settings_to_values(settings: HallSettings) -> dict:
    values = {k: getattr(settings, k) for k in FIELDS if k != "extra"}
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    values.update(settings.extra)
    return values
