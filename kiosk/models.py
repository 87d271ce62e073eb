"""The hall's plain data: small frozen dataclasses that cross the service facade.

Nothing here holds a storage handle or a Qt type, so a networked hall server can send the
same records over the wire and the screens will not notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Priority(StrEnum):
    """Queue classes, highest first."""

    GREEN = "green"  # 绿色通道: elderly, disabled, service members
    APPOINTMENT = "appointment"  # 预约 checked in on time
    NORMAL = "normal"

    @property
    def rank(self) -> int:
        return {"green": 0, "appointment": 1, "normal": 2}[self.value]

    @property
    def label(self) -> str:
        return {"green": "绿色通道", "appointment": "预约", "normal": "普通"}[self.value]


class TicketStatus(StrEnum):
    WAITING = "waiting"  # in the queue (also after a transfer)
    CALLED = "called"  # announced, citizen walking to the window
    SERVING = "serving"  # at the window
    SKIPPED = "skipped"  # 过号: did not come; may be called back
    ABANDONED = "abandoned"  # skipped too often, or left
    DONE = "done"  # service finished


class PrintState(StrEnum):
    PENDING = "pending"  # stored, not yet sent to a printer
    PRINTED = "printed"
    FAILED = "failed"  # printer refused; can be reprinted
    NONE = "none"  # no paper ticket wanted (e.g. phone number only)


@dataclass(frozen=True)
class Category:
    """A queue category: its prefix letter starts every ticket number (A001)."""

    prefix: str
    name: str
    daily_cap: int = 999
    warn_at: int = 900
    default_service_minutes: float = 8.0
    sort_order: int = 0
    name_en: str = ""


@dataclass(frozen=True)
class Material:
    """One line of a matter's checklist."""

    name: str
    form: str = "原件"  # 原件 / 复印件 / 原件和复印件 / 电子
    copies: int = 1
    required: bool = True  # False: needed only when `condition` holds
    condition: str = ""  # the condition's text, e.g. "委托代理人办理的"
    key: bool = True  # 主要材料; False: secondary
    rongque: bool = False  # may be 容缺 (only ever for secondary materials)
    shared: bool = False  # 免提交: the hall fetches it from shared data
    notes: str = ""
    id: int = 0  # stable id inside one matter (1, 2, 3 ...)
    # English for the kiosk's English mode; blank falls back to the Chinese, which stays the
    # official wording the clerk works with
    name_en: str = ""
    condition_en: str = ""
    on_site: bool = False  # 现场填写: a form the window hands out and the applicant fills in there

    @property
    def provided_by_hall(self) -> bool:
        """Fetched by the hall (数据共享) or filled in at the window: never something to bring,
        so never counted as missing and never on a one-time notice's list."""
        return self.shared or self.on_site


@dataclass(frozen=True)
class Matter:
    """A 事项: one thing a citizen can apply for."""

    code: str
    name: str
    department: str
    category: str  # category prefix
    promised_days: int
    statutory_days: int
    fee: str = "不收费"
    online: bool = False
    rongque_days: int = 0  # default deadline for pending items; 0 = the promised time
    initials: str = ""  # pinyin initials for search, e.g. GTGSHSLDJ
    aliases: tuple[str, ...] = ()
    type: str = ""  # 行政许可 / 公共服务 / 行政确认 ...
    source: str = ""  # the published guide this checklist follows
    materials: tuple[Material, ...] = ()
    name_en: str = ""  # English for the kiosk's English mode; blank shows the Chinese
    department_en: str = ""
    aliases_en: tuple[str, ...] = ()  # English mode's common words to touch or type ("business", "ID card")
    active: bool = True  # 停用: no longer offered (abolished or moved online); kept for its records

    @property
    def conditions(self) -> tuple[str, ...]:
        """The distinct conditions the applicant must answer, in checklist order."""
        seen: list[str] = []
        for m in self.materials:
            if m.condition and m.condition not in seen:
                seen.append(m.condition)
        return tuple(seen)


@dataclass(frozen=True)
class Catalog:
    categories: tuple[Category, ...]
    matters: tuple[Matter, ...]


@dataclass(frozen=True)
class Window:
    """A counter. No categories means a general (全科) window that serves every category."""

    number: int
    name: str
    categories: tuple[str, ...] = ()
    active: bool = True

    @property
    def general(self) -> bool:
        return not self.categories

    def serves(self, category: str) -> bool:
        return self.general or category in self.categories


@dataclass(frozen=True)
class Staff:
    login: str
    name: str
    role: str  # "manager" or "clerk"
    active: bool = True


@dataclass(frozen=True)
class Ticket:
    """A queue ticket as the citizen, the clerk and the display see it."""

    id: int
    number: str  # A001
    day: dt.date
    category: str
    category_name: str
    matter_code: str
    matter_name: str
    priority: Priority
    status: TicketStatus
    issued_at: dt.datetime
    arrival_at: dt.datetime  # kept across transfers: the place in the queue
    ahead: int = 0  # people ahead when issued (or when asked)
    est_wait_min: int = 0
    window: int | None = None  # window serving or called to
    target_window: int | None = None  # transferred to one window in particular
    clerk: str = ""
    called_at: dt.datetime | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    recalls: int = 0
    skips: int = 0
    holder_name: str = ""  # masked (张*)
    holder_id_masked: str = ""  # 330106********1234
    phone_masked: str = ""
    appointment_code: str = ""
    print_state: PrintState = PrintState.PENDING
    ticked: tuple[int, ...] = ()  # material ids the citizen ticked at the kiosk
    answers: tuple[str, ...] = ()  # conditions the citizen answered "yes"
    follow_token: str = ""  # unguessable: the citizen's phone follows the ticket with it, never by number
    finish_reason: str = ""  # why a ticket ended with no decision: a key of FINISH_REASONS, or ""

    @property
    def ref(self) -> str:
        """What the citizen can type or scan to follow the ticket: 20261125-A001."""
        return f"{self.day:%Y%m%d}-{self.number}"


@dataclass(frozen=True)
class IssueWarning:
    """Issued, but the category is near its daily cap."""

    category: str
    issued: int
    cap: int


@dataclass(frozen=True)
class QueueStatus:
    """Waiting counts for a screen: per category, and what each window is doing."""

    waiting: dict[str, int]
    issued: dict[str, int]
    windows: tuple[WindowState, ...]
    skipped: tuple[str, ...] = ()  # today's 过号 numbers that may still be called back, newest first


@dataclass(frozen=True)
class WindowState:
    number: int
    name: str
    paused: bool
    clerk: str
    current: str  # today's ticket number called or served there, "" when free (one left overnight is the desk's to end)


@dataclass(frozen=True)
class Call:
    """One announcement: 请 A001 号 到 3 号窗口 办理."""

    ticket_number: str
    window: int
    recall: bool
    at: dt.datetime
    category: str = ""

    @property
    def text(self) -> str:
        return f"请 {self.ticket_number} 号 到 {self.window} 号窗口 办理"


@dataclass(frozen=True)
class HallEvent:
    """Published after each committed change; listeners never see uncommitted state."""

    id: int
    kind: str  # TicketIssued, TicketCalled, TicketRecalled, ...
    at: dt.datetime
    ticket_id: int | None = None
    ticket_number: str = ""
    window: int | None = None
    clerk: str = ""
    data: dict = field(default_factory=dict)


# --- acceptance (受理) ---------------------------------------------------------------


class MaterialStatus(StrEnum):
    RECEIVED = "received"
    MISSING = "missing"
    DEFECTIVE = "defective"
    SHARED = "shared"  # fetched from shared data by the hall
    NOT_APPLICABLE = "not_applicable"  # its condition does not hold


class ApplicationState(StrEnum):
    ACCEPTED = "accepted"
    PENDING = "pending"  # accepted with 容缺 items open
    PENDING_OVERDUE = "pending_overdue"
    TERMINATED = "terminated"
    COMPLETED = "completed"
    NOT_ACCEPTED = "not_accepted"  # one-time notice given

    @property
    def label(self) -> str:
        return {
            "accepted": "已受理",
            "pending": "容缺受理（待补齐）",
            "pending_overdue": "容缺逾期",
            "terminated": "已终止",
            "completed": "已办结",
            "not_accepted": "不予受理（已一次性告知）",
        }[self.value]


class PendingStatus(StrEnum):
    OPEN = "open"
    SUPPLIED = "supplied"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class MaterialCheck:
    """What the clerk found for one material."""

    material_id: int
    name: str
    status: MaterialStatus
    reason: str = ""
    form: str = ""
    copies: int = 1
    key: bool = True
    rongque: bool = False
    on_site: bool = False  # a form filled in at the window: never a reason to refuse or to come back


@dataclass(frozen=True)
class ChecklistItem:
    """A material as it applies to one applicant's situation."""

    material: Material
    needed: bool  # False: condition does not hold
    bring: bool  # needed, not fetched by the hall and not a form filled in at the window


@dataclass(frozen=True)
class Checklist:
    matter: Matter
    answers: tuple[str, ...]
    items: tuple[ChecklistItem, ...]

    @property
    def to_bring(self) -> tuple[Material, ...]:
        return tuple(i.material for i in self.items if i.bring)

    @property
    def shared(self) -> tuple[Material, ...]:
        return tuple(i.material for i in self.items if i.needed and i.material.shared)

    @property
    def on_site(self) -> tuple[Material, ...]:
        """Needed forms the window hands out and the applicant fills in there."""
        return tuple(i.material for i in self.items if i.needed and i.material.on_site and not i.material.shared)


@dataclass(frozen=True)
class PendingItem:
    id: int
    application_number: str
    material_id: int
    name: str
    deadline: dt.date
    provisional: bool  # the deadline reaches a year with no loaded calendar
    status: PendingStatus
    supplied_on: dt.date | None = None
    supplied_how: str = ""  # on_site / post / online
    supplied_by: str = ""


@dataclass(frozen=True)
class NoticeItem:
    name: str
    problem: str  # missing / defective
    reason: str
    what_to_bring: str


@dataclass(frozen=True)
class Notice:
    """一次性告知书: every missing or defective item at once, written and dated."""

    number: str
    matter_code: str
    matter_name: str
    department: str
    applicant_name: str  # masked
    applicant_id_masked: str
    issued_at: dt.datetime
    clerk: str
    clerk_name: str
    window: int | None
    items: tuple[NoticeItem, ...]
    application_number: str = ""


@dataclass(frozen=True)
class Application:
    """A 办件: from acceptance (or refusal) to completion."""

    number: str
    matter_code: str
    matter_name: str
    department: str
    state: ApplicationState
    applicant_name: str  # masked for display
    applicant_id_masked: str
    phone: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    promised_date: dt.date | None
    promised_provisional: bool
    clerk: str
    clerk_name: str
    window: int | None
    fee: str
    delivery: str  # pickup / post
    materials: tuple[MaterialCheck, ...] = ()
    pending: tuple[PendingItem, ...] = ()
    ticket_ids: tuple[int, ...] = ()
    notice_number: str = ""
    visits: int = 1
    undertaking: str = ""  # 承诺书 text the applicant signed for 容缺
    follow_token: str = ""  # unguessable: the receipt's QR opens the progress page with it


@dataclass(frozen=True)
class Evaluation:
    id: int
    ticket_id: int
    level: int  # 5 非常满意 .. 1 非常不满意
    at: dt.datetime
    window: int | None
    clerk: str
    comment: str = ""
    follow_up_level: int | None = None
    reasons: tuple[str, ...] = ()  # for a bad rating: from BAD_REVIEW_REASONS
    phone_masked: str = ""  # the callback number the citizen left, masked


EVALUATION_LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_REVIEW_REASONS = ("态度", "效率", "材料要求不清", "等候太久", "其他")

# why a clerk finished a ticket without accepting or refusing anything: the figures can then
# tell a served citizen from one who never came, and a no-show is never asked for a rating
NO_SHOW = "no_show"
FINISH_REASONS = {NO_SHOW: "未到场（过号未来）", "consult": "仅咨询", "told_missing": "材料不齐，已口头告知",
                  "other": "其他"}


@dataclass(frozen=True)
class BadReview:
    id: int
    evaluation_id: int
    ticket_id: int
    level: int
    opened_at: dt.datetime
    callback_due: dt.date
    rectify_due: dt.date
    status: str  # open / called_back / closed
    called_back_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    resolution: str = ""
    follow_up_level: int | None = None
    callback_note: str = ""  # what the callback found, as the one who called wrote it
    provisional: bool = False  # deadlines counted into a year whose holiday schedule is not loaded yet
    reasons: tuple[str, ...] = ()
    phone: str = ""  # the number to call back (the manager's console only)
    clerk: str = ""
    window: int | None = None


# --- the hall itself and its figures --------------------------------------------------


@dataclass(frozen=True)
class HallInfo:
    """Who the hall is, as printed on tickets and receipts."""

    code: str  # administrative code of the hall, e.g. 330106
    name: str  # 杭州市西湖区民生服务中心
    address: str = ""
    phone: str = ""
    follow_url: str = ""  # the hall server's public address, e.g. "https://hall.example"; empty: no links

    def follow_payload(self, ref: str, token: str = "", kind: str = "t") -> str:
        """What a QR code carries so the citizen can follow a ticket (kind "t") or an application
        ("a"): a link with the unguessable token when the hall has a public address, otherwise
        the plain reference, which the label beside the code then names as what it is."""
        if self.follow_url and token:
            return f"{self.follow_url.rstrip('/')}/{kind}/{token}"
        return ref

    def has_links(self, token: str) -> bool:
        return bool(self.follow_url and token)


@dataclass(frozen=True)
class GroupFigures:
    """Queue figures for the whole hall or one category, window or clerk."""

    key: str
    label: str
    issued: int = 0
    served: int = 0
    skipped: int = 0
    abandoned: int = 0
    avg_wait_min: float = 0.0
    p90_wait_min: float = 0.0
    max_wait_min: float = 0.0
    avg_service_min: float = 0.0  # per stint at a window, stints handed on by a transfer included
    handed_on: int = 0  # stints that ended in a transfer to another window or category


@dataclass(frozen=True)
class Report:
    """The hall's figures for a day or a date range."""

    date_from: dt.date
    date_to: dt.date
    totals: GroupFigures
    by_category: tuple[GroupFigures, ...] = ()
    by_window: tuple[GroupFigures, ...] = ()
    by_clerk: tuple[GroupFigures, ...] = ()
    acceptances: int = 0
    rongque_acceptances: int = 0
    notices: int = 0
    pending_open: int = 0
    pending_supplied: int = 0
    pending_overdue: int = 0
    applications: int = 0
    one_visit: int = 0
    one_visit_share: float = 0.0  # 0..1
    ratings: int = 0
    satisfied: int = 0  # the top three levels
    satisfaction: float = 0.0  # 0..1
    open_bad_reviews: int = 0
    helper_calls: int = 0
    helper_calls_late: int = 0
    helper_take_median_s: float = 0.0  # from the call to a staff member taking it
    helper_take_longest_s: float = 0.0
    device_downtime: tuple[DowntimeFigure, ...] = ()
    definitions: tuple[str, ...] = ()  # how the figures are counted, printed beside them
    unrated_counted: int = 0  # served tickets nobody rated, counted at the hall's default level


@dataclass(frozen=True)
class Assessment:
    """What the rules make of a material check, before the clerk commits to it."""

    outcome: str  # "accept", "accept_pending" (容缺) or "refuse" (one-time notice)
    message: str  # the reason in plain Chinese, for the clerk and the citizen
    blocking: tuple[MaterialCheck, ...] = ()  # missing/defective items that prevent acceptance
    pending: tuple[MaterialCheck, ...] = ()  # missing/defective items that may follow later (容缺)
    deadline: dt.date | None = None  # default deadline of the pending items
    deadline_provisional: bool = False
    excluded: bool = False  # applicant on the hall's 容缺 exclusion list
    unexplained: tuple[str, ...] = ()  # defective materials still without a reason: nothing can be decided


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Appointment:
    """A booking for a day and a time slot; its code is checked in at the kiosk (YY + date + seq)."""

    code: str
    matter_code: str
    matter_name: str
    day: dt.date
    slot_start: dt.time
    slot_end: dt.time
    holder_name: str  # masked
    phone_masked: str
    status: AppointmentStatus
    ticket_id: int | None = None


@dataclass(frozen=True)
class PinCheck:
    """The answer to a manager PIN typed at a kiosk; wrong tries are counted by the hall."""

    ok: bool
    message: str = ""  # for the dialog, in Chinese
    tries_left: int = 0
    locked_seconds: int = 0  # > 0: locked out for this long
    unset: bool = False  # no PIN yet: the kiosk asks staff to set one


# --- terminals of a networked hall ------------------------------------------------------

TERMINAL_ROLES = ("kiosk", "display", "evaluator", "clerk", "manager")


@dataclass(frozen=True)
class Terminal:
    """A PC registered with the hall server: what it may do follows from its role (and window)."""

    name: str
    role: str  # one of TERMINAL_ROLES
    window: int | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None
    last_seen_at: dt.datetime | None = None
    place: str = ""  # where it stands, told to whoever answers its helper call
    # its own devices (ports, baud rates, printer model) where they differ from the hall's device
    # settings; None: the hall's settings (see ui.terminal.device_settings)
    devices: dict[str, str | int] | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


# --- helpers on the floor, devices, and the hall as the manager sees it ----------------------

HELPER_REASONS = {
    "asked": "市民呼叫帮办",
    "missing_material": "缺少材料，需打印一次性告知单",
    "reprint": "号票打印失败，需补打",
    "printer": "取号机不能打印号票",
    "server": "取号机与大厅服务器断开",
}


@dataclass(frozen=True)
class HelperCall:
    """A citizen at a kiosk asked for a person; one staff member takes it, everyone sees that."""

    id: int
    terminal: str  # the kiosk's registered name
    place: str  # where it stands, e.g. 一楼东侧
    screen: str  # what the citizen was doing: home, checklist, identity, ticket ...
    matter_code: str
    matter_name: str
    reason: str  # a key of HELPER_REASONS
    at: dt.datetime
    taken_by: str = ""
    taken_by_name: str = ""
    taken_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    late: bool = False  # nobody took it within the hall's set time: raised again

    @property
    def reason_label(self) -> str:
        return HELPER_REASONS.get(self.reason, self.reason)

    @property
    def status(self) -> str:
        return "closed" if self.closed_at else "taken" if self.taken_at else "open"


DEVICE_NAMES = {"idcard": "身份证阅读器", "printer": "取号打印机", "scanner": "扫码器"}
DEVICE_STATES = {
    "ok": "正常", "paper_low": "纸将用完", "paper_out": "缺纸", "cover_open": "纸仓盖打开",
    "cutter_error": "切刀故障", "offline": "未连接", "error": "故障",
}


@dataclass(frozen=True)
class DeviceState:
    """One device of a terminal as it last reported it."""

    device: str  # idcard / printer / scanner
    state: str  # a key of DEVICE_STATES
    message: str = ""
    since: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.state in ("ok", "paper_low")


@dataclass(frozen=True)
class TerminalStatus:
    name: str
    role: str
    window: int | None
    place: str
    online: bool
    last_seen: dt.datetime | None
    devices: tuple[DeviceState, ...] = ()


@dataclass(frozen=True)
class BoardWindow:
    number: int
    name: str
    clerk: str
    clerk_name: str
    current: str
    paused: bool
    active: bool


@dataclass(frozen=True)
class Alarm:
    """Something on the floor that needs a person until someone deals with it."""

    kind: str  # paper_out / device / offline / helper
    text: str
    since: dt.datetime | None = None
    terminal: str = ""


@dataclass(frozen=True)
class HallBoard:
    """The hall live, as the manager's console and the clerks' alarm strip show it."""

    at: dt.datetime
    terminals: tuple[TerminalStatus, ...]
    windows: tuple[BoardWindow, ...]
    waiting: dict[str, int]
    helper_calls: tuple[HelperCall, ...]
    alarms: tuple[Alarm, ...]


@dataclass(frozen=True)
class DowntimeFigure:
    terminal: str
    device: str
    seconds: float
    episodes: int


@dataclass(frozen=True)
class AccessRecord:
    """Who looked at or changed a person's data: which terminal, signed in as whom, did what to
    which record (by its number: never the data itself)."""

    at: dt.datetime
    terminal: str
    staff: str  # the login signed in at that terminal ("" where nobody was: a kiosk)
    action: str  # in words, e.g. 查看办件
    subject: str  # the record's number, e.g. an application number, 号票#12
