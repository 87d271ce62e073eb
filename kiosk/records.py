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


def ticket_from_row(r: dict[str, Any], category_name: str = "", matter_name: str = "",
                    follow_token: str = "") -> Ticket:
    return Ticket(
        id=r["id"],
        number=r["number"],
        day=dt.date.fromisoformat(r["day"]),
        category=r["category"],
        category_name=category_name,
        matter_code=r["matter_code"],
        matter_name=matter_name,
        priority=_PRIORITIES[r["priority"]],
        status=_STATUSES[r["status"]],
        issued_at=parse_ts(r["issued_at"]),  # type: ignore[arg-type]
        arrival_at=parse_ts(r["arrival_at"]),  # type: ignore[arg-type]
        ahead=r["ahead"],
        est_wait_min=r["est_wait_min"],
        window=r["window"],
        target_window=r["target_window"],
        clerk=r["clerk"],
        called_at=parse_ts(r["called_at"]),
        started_at=parse_ts(r["started_at"]),
        finished_at=parse_ts(r["finished_at"]),
        recalls=r["recalls"],
        skips=r["skips"],
        holder_name=r["holder_name"],
        holder_id_masked=r["holder_id_masked"],
        phone_masked=r["phone"],
        appointment_code=r["appointment_code"],
        print_state=_PRINT_STATES[r["print_state"]],
        ticked=_json_tuple(r["ticked"]),
        answers=_json_tuple(r["answers"]),
        follow_token=follow_token,
        finish_reason=r.get("finish_reason") or "",
    )


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
