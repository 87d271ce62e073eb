"""Queue rules as plain functions: numbering, which class to call next, the wait estimate."""

from __future__ import annotations

import math

from kiosk.models import Priority


def ticket_number(prefix: str, seq: int) -> str:
    """A001 .. A999: the category prefix and three digits."""
    return f"{prefix}{seq:03d}"


def call_priority_next(policy: str, ratio: int, normal_streak: int, has_priority: bool, has_normal: bool) -> bool:
    """Whether the next call takes the best priority ticket rather than the oldest normal one.

    strict: a waiting priority ticket always goes first.
    ratio:  N normal to 1 priority: once N normal tickets were called since the last priority
            one, a waiting priority ticket goes next; before that normal tickets keep their turn,
            so a stream of priority tickets cannot starve the normal queue.
    """
    if not has_priority:
        return False
    if not has_normal:
        return True
    if policy == "strict":
        return True
    return normal_streak >= ratio


def estimate_wait_minutes(ahead: int, avg_service_s: float, serving_windows: int) -> int:
    """People ahead times the recent average service time, shared by the windows serving them."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * avg_service_s / max(1, serving_windows) / 60)


SERVICE_AVERAGE_WINDOW = 20
"""The wait estimate follows roughly the last 20 services of a category (a running average
that weighs each new service 1/20 once 20 are known), so a slow morning fades by afternoon."""


def priority_rank(priority: Priority | str) -> int:
    return Priority(priority).rank
