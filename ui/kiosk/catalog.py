"""The hall's catalog as the kiosk's screens read it: each matter and checklist asked once.

Every read of the hall takes the store's one lock, which a ticket being written or marked
printed on a pool thread holds for a while: a checklist read on the GUI thread for each tick
waited behind it, up to ~100 ms of frozen screen. The catalog changes rarely and says so
(CatalogImported, MatterSaved, ...): the window forgets this copy on such an event.
"""

from __future__ import annotations

from kiosk.models import Category, Checklist, Matter

MOST_CHECKLISTS = 512  # answer combinations kept; beyond that the copy starts again


class CatalogCopy:
    """Categories, matters and checklists as last read from the hall."""

    def __init__(self, hall) -> None:
        self.hall = hall
        self._categories: dict[str, Category] | None = None
        self._matters: dict[str, Matter] = {}
        self._checklists: dict[tuple[str, tuple[str, ...]], Checklist] = {}

    def category(self, prefix: str) -> Category | None:
        if self._categories is None:
            self._categories = {c.prefix: c for c in self.hall.categories()}
        return self._categories.get(prefix)

    def matter(self, code: str) -> Matter:
        if code not in self._matters:
            self._matters[code] = self.hall.get_matter(code)
        return self._matters[code]

    def checklist(self, code: str, answers: tuple[str, ...] = ()) -> Checklist:
        key = (code, tuple(answers))
        if key not in self._checklists:
            if len(self._checklists) >= MOST_CHECKLISTS:
                self._checklists.clear()
            self._checklists[key] = self.hall.checklist(code, key[1])
        return self._checklists[key]

    def forget(self) -> None:
        """The catalog changed: read it afresh."""
        self._categories = None
        self._matters.clear()
        self._checklists.clear()
