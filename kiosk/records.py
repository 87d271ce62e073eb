"""Rows to models. Storage rows never leave the core: the facade returns these dataclasses."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from kiosk.models import Category, Material, Matter, PrintState, Priority, Ticket, TicketStatus, Window


def ts(value: dt.datetime) -> str:
    """Stored times sort as text: 2026-11-25 09:30:00.000000 (local hall time)."""
    return value.isoformat(sep=" ", timespec="microseconds")


def parse_ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def category_from_row(r: dict[str, Any]) -> Category:
    return Category(
        prefix=r["prefix"], name=r["name"], name_en=r["name_en"], daily_cap=r["daily_cap"], warn_at=r["warn_at"],
        default_service_minutes=r["default_service_minutes"], sort_order=r["sort_order"],
    )


def material_from_row(r: dict[str, Any]) -> Material:
    return Material(
        id=r["id"], name=r["name"], form=r["form"], copies=r["copies"], required=bool(r["required"]),
        condition=r["condition"], key=bool(r["key"]), rongque=bool(r["rongque"]), shared=bool(r["shared"]),
        notes=r["notes"], name_en=r["name_en"], condition_en=r["condition_en"], on_site=bool(r["on_site"]),
    )


def matter_from_row(r: dict[str, Any], materials: tuple[Material, ...]) -> Matter:
    return Matter(
        code=r["code"], name=r["name"], department=r["department"], category=r["category"], type=r["type"],
        promised_days=r["promised_days"], statutory_days=r["statutory_days"], fee=r["fee"], online=bool(r["online"]),
        rongque_days=r["rongque_days"], initials=r["initials"], aliases=tuple(json.loads(r["aliases"])),
        source=r["source"], materials=materials, name_en=r["name_en"], department_en=r["department_en"],
        aliases_en=tuple(json.loads(r["aliases_en"])), active=bool(r["active"]),
    )


def window_from_row(r: dict[str, Any]) -> Window:
    return Window(number=r["number"], name=r["name"], categories=tuple(json.loads(r["categories"])),
                  active=bool(r["active"]))


# every queue step returns a ticket: plain dict lookups instead of Enum(value) calls, and no
# JSON parser for the empty lists most tickets carry, keep that off the step's time
_PRIORITIES = {p.value: p for p in Priority}
_STATUSES = {s.value: s for s in TicketStatus}
_PRINT_STATES = {s.value: s for s in PrintState}


def _json_tuple(text: str) -> tuple:
    return () if text == "[]" else tuple(json.loads(text))


# A ticket as one positional row, in the order of Ticket's fields (its category's and matter's
# names where Ticket has them, the follow token left to the caller): what every queue step reads
# or gets back for its answer. A dict per row and Ticket's frozen __init__ (one object.__setattr__
# per field, ~4 us for 30 fields) cost each step more than the statement that read the row.
TICKET_COLUMNS = (
    "tickets.id, tickets.number, tickets.day, tickets.category,"
    " (SELECT name FROM categories WHERE prefix = tickets.category), tickets.matter_code,"
    " (SELECT name FROM matters WHERE code = tickets.matter_code), tickets.priority, tickets.status,"
    " tickets.issued_at, tickets.arrival_at, tickets.ahead, tickets.est_wait_min, tickets.window,"
    " tickets.target_window, tickets.clerk, tickets.called_at, tickets.started_at, tickets.finished_at,"
    " tickets.recalls, tickets.skips, tickets.holder_name, tickets.holder_id_masked, tickets.phone,"
    " tickets.appointment_code, tickets.print_state, tickets.ticked, tickets.answers, tickets.finish_reason"
)
# where TICKET_COLUMNS puts what a step looks at or changes before it builds the ticket
T_ID, T_NUMBER, T_DAY, T_CATEGORY, T_STATUS, T_WINDOW, T_CLERK = 0, 1, 2, 3, 8, 13, 15
T_CALLED_AT, T_STARTED_AT, T_FINISHED_AT, T_FINISH_REASON = 16, 17, 18, 28
_TICKET_FIELDS = (
    "id", "number", "day", "category", "category_name", "matter_code", "matter_name", "priority", "status",
    "issued_at", "arrival_at", "ahead", "est_wait_min", "window", "target_window", "clerk", "called_at",
    "started_at", "finished_at", "recalls", "skips", "holder_name", "holder_id_masked", "phone_masked",
    "appointment_code", "print_state", "ticked", "answers", "follow_token", "finish_reason",
)
TICKET_WIDTH = len(_TICKET_FIELDS) - 1  # the columns of TICKET_COLUMNS: all but the follow token
_new = object.__new__
_fromiso = dt.datetime.fromisoformat
_dayiso = dt.date.fromisoformat


def new_ticket(**fields: Any) -> Ticket:
    """A Ticket from every one of its fields, given in field order, without running the frozen
    dataclass's __init__ (which sets each field through object.__setattr__): the same object,
    equal to and hashing as Ticket(**fields), built in a tenth of the time. tests/core checks that
    the two agree field for field, so a field added to Ticket cannot be forgotten here."""
    ticket = _new(Ticket)
    ticket.__dict__.update(fields)
    return ticket


def ticket_from_values(v: tuple, follow_token: str) -> Ticket:
    """The Ticket for one row of TICKET_COLUMNS."""
    ticket = _new(Ticket)
    ticket.__dict__.update(zip(_TICKET_FIELDS, (
        v[0], v[1], _dayiso(v[2]), v[3], v[4] or "", v[5], v[6] or "", _PRIORITIES[v[7]], _STATUSES[v[8]],
        _fromiso(v[9]), _fromiso(v[10]), v[11], v[12], v[13], v[14], v[15],
        _fromiso(v[16]) if v[16] else None, _fromiso(v[17]) if v[17] else None,
        _fromiso(v[18]) if v[18] else None,
        v[19], v[20], v[21], v[22], v[23], v[24], _PRINT_STATES[v[25]], _json_tuple(v[26]), _json_tuple(v[27]),
        follow_token, v[28] or "",
    ), strict=True))
    return ticket


def serves(category: str) -> str:
    """SQL, true for a row of `windows` that serves `category` (an SQL expression: a column or a
    parameter): a general window (no categories ticked) or one that lists it."""
    return (f"(windows.categories = '[]' OR EXISTS (SELECT 1 FROM json_each(windows.categories)"
            f" WHERE value = {category}))")


def where(*conditions: tuple[str, object]) -> tuple[str, list[object]]:
    """' WHERE a = ? AND b >= ?' and its parameters, from (fragment, value) pairs; a pair whose
    value is None or empty is a filter the caller did not ask for and is left out."""
    kept = [(sql, value) for sql, value in conditions if value is not None and value != ""]
    if not kept:
        return "", []
    return " WHERE " + " AND ".join(sql for sql, _ in kept), [value for _, value in kept]
