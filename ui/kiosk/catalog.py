"""The hall's catalog as the kiosk's screens read it: the whole of it read once, checklists
worked out from it on the kiosk.

Every read of the hall takes the store's one lock, which a ticket being written or marked
printed on a pool thread holds for a while: a checklist read on the GUI thread for each tick
waited behind it, up to ~100 ms of frozen screen. And a networked kiosk whose hall server is
out of reach still promises that checklists can be looked at (only tickets pause): a matter
nobody had opened since the start would have had to be asked for then. So the categories and
every matter with its materials are read in one go, the first time a screen needs any of them
(the home screen, as it is built), and a checklist is worked out from its matter by the same
rule the hall uses (`kiosk.acceptance_rules.checklist_for`). The catalog changes rarely and
says so (CatalogImported, MatterSaved, ...): the window forgets this copy on such an event.
"""

from __future__ import annotations

from kiosk.acceptance_rules import checklist_for
from kiosk.errors import AccessDenied, ServerUnavailable
from kiosk.models import Category, Checklist, Matter

MOST_CHECKLISTS = 512  # answer combinations kept; beyond that the copy starts again


class CatalogCopy:
    """Categories, matters and checklists as last read from the hall."""

    def __init__(self, hall) -> None:
        self.hall = hall
        self._categories: dict[str, Category] | None = None  # None: never read
        self._matters: dict[str, Matter] = {}  # in the hall's order
        self._checklists: dict[tuple[str, tuple[str, ...]], Checklist] = {}
        self._stale = True  # to be read (again): not yet, or the hall said its catalog changed

    def _fill(self) -> dict[str, Category]:
        if self._stale:
            try:
                categories = {c.prefix: c for c in self.hall.categories()}
                matters = {m.code: m for m in self.hall.matters()}
            except (ServerUnavailable, AccessDenied):  # server away, or this kiosk's token refused
                if self._categories is None:
                    raise
                return self._categories  # the server away: the last catalog known, asked again next time
            self._categories, self._matters, self._stale = categories, matters, False
            self._checklists.clear()
        return self._categories

    def categories(self) -> list[Category]:
        return list(self._fill().values())

    def category(self, prefix: str) -> Category | None:
        return self._fill().get(prefix)

    def matters(self, category: str | None = None) -> list[Matter]:
        """The hall's matters in its order, or one category's."""
        self._fill()
        return [m for m in self._matters.values() if category is None or m.category == category]

    def matter(self, code: str) -> Matter:
        self._fill()
        if code not in self._matters:
            # a code from a ticket of a matter that is gone (or added since, its event not yet
            # read): asked of the hall, which names it or refuses
            self._matters[code] = self.hall.get_matter(code)
        return self._matters[code]

    def checklist(self, code: str, answers: tuple[str, ...] = ()) -> Checklist:
        key = (code, tuple(answers))
        if key not in self._checklists:
            if len(self._checklists) >= MOST_CHECKLISTS:
                self._checklists.clear()
            self._checklists[key] = checklist_for(self.matter(code), key[1])
        return self._checklists[key]

    def forget(self) -> None:
        """The catalog changed: read it afresh at the next look (until that read succeeds, a
        kiosk whose server is away goes on showing the catalog it has)."""
        self._stale = True
