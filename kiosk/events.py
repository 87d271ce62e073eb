"""In-process publish/subscribe for events that happened (after commit, never before).

Listeners get plain HallEvent records; a screen wraps its listener in a Qt bridge, a future
hall server forwards them over the network. A failing listener never breaks the hall.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from kiosk.models import HallEvent

log = logging.getLogger(__name__)
Listener = Callable[[HallEvent], None]

# published by a networked hall's client, never stored (id 0): the hall server went away or came
# back; and pushed by the server to a terminal that was away too long: re-read everything
SERVER_LOST = "ServerLost"
SERVER_BACK = "ServerBack"
RESYNC = "Resync"

# what kiosk.hall_catalog publishes when the catalog changes: a screen holding a copy of the
# catalog reads it again on any of these (a kind added there must be added here; a test reads
# that module's kinds and checks)
CATALOG_EVENTS = frozenset({"CatalogImported", "MaterialsImported", "CategorySaved", "MatterSaved", "MatterDeleted"})


REPLAYED = "replayed"  # the data key a networked terminal's client puts on an event it missed and hears late


def replayed(event: HallEvent) -> bool:
    """Whether the event is one this terminal missed while its link was down and hears late, on
    its return (the client marks them; a local hall never does): a screen shows what it changed
    but does not announce it, since the moment has passed (a call spoken 20 s late to a hall
    whose citizen has already gone, a rating asked of the next citizen)."""
    return bool(event.data.get(REPLAYED))


def refusal(event: HallEvent) -> str:
    """The server's words when a ServerLost means it answers but refuses this terminal's token
    (revoked, or replaced by a new one), else "": such a terminal will not come back by waiting,
    so its screen asks for staff instead of saying it reconnects."""
    return str(event.data.get("refused") or "") if event.kind == SERVER_LOST else ""


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns the function that removes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def publish(self, events: list[HallEvent]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for event in events:
            for listener in listeners:
                try:
                    listener(event)
                except Exception:  # a screen's bug must not undo or block the hall's work
                    log.exception("event listener failed on %s", event.kind)
