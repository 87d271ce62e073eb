"""One citizen's visit to the kiosk: what they chose, ticked and showed, until the screen resets.

Kept in one object so forgetting the citizen (idle reset, finishing) is one assignment and
nothing personal can linger in a forgotten attribute (GB/T 35273: keep only what is needed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kiosk.models import Priority, Ticket


@dataclass
class Session:
    category: str = ""  # prefix chosen on the home screen
    guide: bool = False  # browsing the 办事指南 rather than taking a ticket
    matter_code: str = ""
    answers: list[str] = field(default_factory=list)  # conditions answered 是
    answered: set[str] = field(default_factory=set)  # conditions answered at all
    ticked: set[int] = field(default_factory=set)  # material ids the citizen has
    lacking: set[int] = field(default_factory=set)  # material ids the citizen said they do not have
    name: str = ""  # full name from the card: only ever shown masked
    id_number: str = ""  # full number from the card: only ever shown masked, sent to the hall
    phone: str = ""
    skip_id: bool = False
    green: bool = False  # 绿色通道 chosen
    appointment_code: str = ""  # a booking checked in with 确认签到, for its matter only
    appointment_matter: str = ""  # the booked matter: choosing another one drops the check-in
    appointment_today: bool = False
    appointment_until: dt.datetime | None = None  # later than this the hall gives a normal ticket
    card_message: str = ""  # why a card was refused
    ticket: Ticket | None = None

    @property
    def priority(self) -> Priority:
        if self.green:
            return Priority.GREEN
        if self.appointment_code and self.appointment_today:
            return Priority.APPOINTMENT  # what the kiosk asks for; the hall decides (on time or late)
        return Priority.NORMAL

    @property
    def identified(self) -> bool:
        """Whether the ID step is done: a card read, a phone number, or skipping where allowed."""
        return bool(self.id_number) or len(self.phone) == 11 or self.skip_id
