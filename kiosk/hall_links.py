"""Links a citizen's phone follows: an unguessable token per ticket and per application.

The token is a keyed hash of the record's id under the hall's secret, so nothing new is
written when a ticket is issued, a token cannot be guessed from the sequential number, and
only the hall (the server, where there is one) can turn a token back into its record.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import threading

from kiosk.hall_base import HallBase
from kiosk.models import Application, Ticket

# tokens kept in memory: the tickets being stepped just now (issued and printed, called and
# finished); an older one is made again in microseconds. A day's worth (20,000) was ~3 MB held
# by every terminal and the server, and grew ~160 KiB per 1,000 kiosk visits
_TOKENS_KEPT = 512
APPLICATION_DAYS = 400  # an application's link keeps working this long after it was received


class LinkService(HallBase):
    _links_lock = threading.Lock()

    def follow_token(self, kind: str, key: object) -> str:
        """16 URL-safe characters (96 bits) for a ticket id ("t") or an application number ("a").

        Every queue step returns its ticket with its token, so the tokens of the last few
        hundred tickets are kept (issue and print result come together); the cache starts over
        beyond that."""
        tokens = self.__dict__.get("_follow_tokens")
        if tokens is None:
            self._link_key = hmac.new(self.hash_key(), b"follow-links", hashlib.sha256).digest()
            tokens = self._follow_tokens = {}
        token = tokens.get((kind, key))
        if token is None:
            if len(tokens) >= _TOKENS_KEPT:
                tokens.clear()
            digest = hmac.digest(self._link_key, f"{kind}:{key}".encode(), "sha256")[:12]
            token = tokens[(kind, key)] = base64.urlsafe_b64encode(digest).decode()
        return token

    def ticket_for_link(self, token: str) -> Ticket | None:
        """Today's ticket behind a link, or None (unknown, or a ticket of another day)."""
        if len(token) != 16:
            return None
        day = self.today().isoformat()
        with self._links_lock:
            cache = getattr(self, "_ticket_links", None)
            if cache is None or cache[0] != day:
                cache = (day, {}, 0)
            _, links, last_id = cache
            if token not in links:
                with self.store.read():
                    rows = self.store.conn.execute("SELECT id FROM tickets WHERE day = ? AND id > ? ORDER BY id",
                                                   (day, last_id)).fetchall()
                for (ticket_id,) in rows:
                    links[self.follow_token("t", ticket_id)] = ticket_id
                    last_id = ticket_id
            self._ticket_links = (day, links, last_id)
            ticket_id = links.get(token)
        return self.get_ticket(ticket_id) if ticket_id else None  # type: ignore[attr-defined]

    def application_for_link(self, token: str) -> Application | None:
        if len(token) != 16:
            return None
        since = (self.today() - dt.timedelta(days=APPLICATION_DAYS)).isoformat()
        with self._links_lock:
            links, last_rowid = getattr(self, "_application_links", ({}, 0))
            if token not in links:
                with self.store.read():
                    rows = self.store.conn.execute(
                        "SELECT rowid, number FROM applications WHERE rowid > ? AND received_at >= ? ORDER BY rowid",
                        (last_rowid, since)).fetchall()
                for rowid, number in rows:
                    links[self.follow_token("a", number)] = number
                    last_rowid = rowid
            self._application_links = (links, last_rowid)
            number = links.get(token)
        return self.application_progress(number) if number else None  # type: ignore[attr-defined]

