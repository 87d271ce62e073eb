"""What crosses the network: an explicit list of facade methods, each with the roles that may
call it. Routes (server) and methods (client) are both derived from the facade's own
signatures here, so the two transports cannot drift apart.

Nothing internal is listed: not the hash secret, not `close`, not file locations, not the
token lookup or the request log. The terminal registry is the manager's (the console's 终端登记).
A method missing here simply does not exist remotely.
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from dataclasses import dataclass
from typing import Any

import msgspec

from kiosk import errors
from kiosk.hall import Hall

ROLES = ("kiosk", "display", "evaluator", "clerk", "manager")

# every terminal may read what the hall shows everyone
_READ = {
    "info", "settings", "today", "categories", "matters", "get_matter", "catalog", "search_matters",
    "checklist", "queue_status", "recent_calls", "windows", "staff_name", "latest_event_id", "events_since",
    "popular_matters",
}
# (no ticket look-ups by id or number: a kiosk asking for ticket 1, 2, 3... read every holder's
# masked data and phone link; the citizen follows their ticket on the phone page)
_KIOSK = _READ | {
    "issue_ticket", "mark_printed", "find_appointment", "ticket_position",
    "application_progress", "application_for_link", "tickets", "call_helper", "helper_call", "report_devices",
    # leaving the kiosk's full screen: the hall counts the wrong tries, the kiosk never sees the PIN
    "manager_pin_is_set", "verify_manager_pin", "set_first_manager_pin",
}
_EVALUATOR = _READ | {"evaluate", "evaluation_for", "get_ticket", "current_ticket", "staff"}
_CLERK = _READ | {
    "staff", "sign_in", "sign_out", "call_next", "recall", "skip", "call_back", "start_service", "finish",
    "transfer", "pause_window", "resume_window", "current_ticket", "get_ticket", "tickets", "find_ticket",
    "issue_ticket", "assess", "accept", "refuse_with_notice", "pending_items", "supply_pending",
    "preview_accept", "preview_notice",
    "get_application", "application_progress", "get_notice", "applications", "applications_at",
    "complete_application", "deadline", "evaluation_for", "find_appointment", "helper_calls", "helper_call", "take_helper_call",
    "close_helper_call", "escalate_helper_calls", "report_devices", "hall_board",
}
_MANAGER_ONLY = {
    "authenticate", "save_window", "save_staff", "update_settings", "reload_settings", "import_catalog",
    # asked by the console's sign-in before anyone signed in: yes or no, never whose account
    "has_manager_account",
    "export_catalog", "export_materials_csv", "import_materials_csv", "save_category", "save_categories",
    "save_matter",
    "delete_matter", "calendar_years", "calendar_text", "load_calendar_year", "set_rongque_exclusions",
    "report", "close_days", "check_overdue", "bad_reviews", "record_callback", "close_bad_review",
    "follow_up_rating", "appointments", "book_appointment", "cancel_appointment", "terminals",
    "purge_personal_data", "set_manager_pin", "export_ratings", "access_records",
    # the console registers the hall's PCs (the terminal command on the server does the same)
    "add_terminal", "update_terminal", "revoke_terminal", "reissue_terminal", "set_terminal_devices",
    # the console signs its manager out (the server names the console: only its own session ends)
    "end_console_session",
}
# What a manager's console may do with no manager signed in on it: what every terminal reads,
# and signing in or out. Its token travels on a USB stick, so the token alone is no manager:
# everything else waits for a manager's login on that very console, as a window PC's token acts
# only with a clerk signed in at its window (hallnet.server.Gate).
CONSOLE_WITHOUT_SIGN_IN = frozenset(_READ | {"authenticate", "has_manager_account", "manager_pin_is_set",
                                             "end_console_session"})
# the manager's console oversees the whole hall, so it may do whatever any terminal may
_MANAGER = _KIOSK | _EVALUATOR | _CLERK | _MANAGER_ONLY

ACCESS: dict[str, frozenset[str]] = {}
for _role, _names in (("kiosk", _KIOSK), ("display", _READ), ("evaluator", _EVALUATOR), ("clerk", _CLERK),
                      ("manager", _MANAGER)):
    for _name in _names:
        ACCESS[_name] = ACCESS.get(_name, frozenset()) | {_role}

# methods that change the hall: sent with an idempotency key, answered once
_READ_ONLY_NAMES = {
    "info", "settings", "today", "categories", "matters", "get_matter", "catalog", "search_matters", "checklist",
    "queue_status", "recent_calls", "windows", "staff_name", "latest_event_id", "events_since", "find_appointment",
    "find_ticket", "ticket_position", "get_ticket", "application_progress", "application_for_link", "tickets",
    "evaluation_for",
    "current_ticket", "staff", "assess", "pending_items", "get_application", "get_notice", "applications",
    "applications_at",
    "deadline", "authenticate", "export_catalog", "export_materials_csv", "calendar_years", "calendar_text",
    "report", "bad_reviews", "appointments", "terminals", "helper_call", "helper_calls", "hall_board",
    "manager_pin_is_set", "export_ratings", "popular_matters", "preview_accept", "preview_notice",
    "access_records", "has_manager_account",
}

# changes whose answer holds a new token: never kept for a retry (the hall keeps tokens only as
# hashes), so a retry after a lost answer is made again (refused as already registered, or a
# newer token that voids the lost one)
SECRET_ANSWERS = frozenset({"add_terminal", "reissue_terminal"})

# HTTP status of each refusal; the body names the class so the client raises the same one
ERROR_STATUS: dict[type[errors.HallError], int] = {
    errors.NotFound: 404,
    errors.ValidationError: 422,
    errors.InvalidAction: 409,
    errors.QueueFull: 409,
    errors.AuthError: 403,
    errors.AccessDenied: 403,
    errors.SignInNeeded: 403,
    errors.TooManyTries: 429,
    errors.StorageBusy: 503,
    errors.ServerUnavailable: 503,
    errors.HallError: 400,
}


def _all_errors(cls: type[errors.HallError]) -> dict[str, type[errors.HallError]]:
    out = {cls.__name__: cls}
    for sub in cls.__subclasses__():
        out.update(_all_errors(sub))
    return out


# every refusal the core defines (kiosk.hall imports them all), so the client raises the same class
ERROR_CLASSES: dict[str, type[errors.HallError]] = _all_errors(errors.HallError)


class ErrorBody(msgspec.Struct):
    """Every refusal: the same class name and Chinese message the in-process hall raises."""

    error: str
    message: str
    problems: list[str] = []
    source: str = ""


def error_body(exc: errors.HallError) -> ErrorBody:
    name = type(exc).__name__ if ERROR_CLASSES.get(type(exc).__name__) is type(exc) else "HallError"
    if isinstance(exc, errors.ValidationError):
        return ErrorBody(name, str(exc), list(exc.problems), exc.source)
    return ErrorBody(name, str(exc))


def error_status(exc: errors.HallError) -> int:
    return next((ERROR_STATUS[c] for c in type(exc).__mro__ if c in ERROR_STATUS), 400)


def raise_error(body: ErrorBody) -> typing.NoReturn:
    """Re-raise on the terminal exactly what the hall raised on the server."""
    cls = ERROR_CLASSES.get(body.error, errors.HallError)
    if issubclass(cls, errors.ValidationError):
        raise cls(body.problems or [body.message], body.source)
    raise cls(body.message)


def _is_stringish(tp: Any) -> bool:
    return tp is str or (isinstance(tp, type) and issubclass(tp, enum.Enum))


def wire_type(tp: Any) -> Any:
    """The facade's hint as msgspec can take it: a union of several string-like types (an enum or
    its plain value, as in `Priority | str`) travels as `str`; the facade accepts either."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(tp)
        stringish = [m for m in members if _is_stringish(m)]
        if len(stringish) > 1:
            rest = [wire_type(m) for m in members if not _is_stringish(m)]
            out: Any = str
            for m in rest:
                out = out | m
            return out
        return typing.Union[tuple(wire_type(m) for m in members)]  # noqa: UP007
    if tp is object:
        return Any
    return tp


@dataclass(frozen=True)
class RemoteMethod:
    """One facade method as it crosses the network."""

    name: str
    roles: frozenset[str]
    changes: bool  # sent with an idempotency key
    signature: inspect.Signature  # the facade's own, without self
    args: type[msgspec.Struct]  # the request body
    returns: Any  # the answer's type
    params: tuple[str, ...]
    var_keyword: str = ""  # `**changes` travels as one object field of that name


def _derive(name: str) -> RemoteMethod:
    fn = getattr(Hall, name)
    sig = inspect.signature(fn)
    hints = typing.get_type_hints(fn)
    params = [p for p in sig.parameters.values() if p.name != "self"]
    fields: list[tuple] = []
    var_kw = ""
    for p in params:
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            var_kw = p.name
            fields.append((p.name, dict[str, Any], msgspec.field(default_factory=dict)))
        elif p.default is inspect.Parameter.empty:
            fields.append((p.name, wire_type(hints[p.name])))
        else:
            fields.append((p.name, wire_type(hints[p.name]), p.default))
    required = [f for f in fields if len(f) == 2]
    optional = [f for f in fields if len(f) == 3]
    args = msgspec.defstruct(f"{name}_args", required + optional, forbid_unknown_fields=True, kw_only=True)
    return RemoteMethod(name=name, roles=ACCESS[name], changes=name not in _READ_ONLY_NAMES,
                        signature=sig.replace(parameters=params), args=args,
                        returns=wire_type(hints.get("return", Any)), params=tuple(p.name for p in params),
                        var_keyword=var_kw)


METHODS: dict[str, RemoteMethod] = {name: _derive(name) for name in sorted(ACCESS)}


def call_arguments(method: RemoteMethod, args: msgspec.Struct) -> dict[str, Any]:
    """The decoded body as keyword arguments for the facade."""
    out = {name: getattr(args, name) for name in method.params if name != method.var_keyword}
    if method.var_keyword:
        out.update(getattr(args, method.var_keyword))
    return out
