"""Personal data kept only as long as the hall's retention setting says (GB/T 35273).

After `retention_days`, tickets and appointments lose the holder's name, ID hash and phone, and
applications and notices (with or without an ID number) keep only the masked name: the figures (waits, visits, acceptances) stay, the person
goes. The keyed ID hash is cleared too, so old records can no longer be linked to anyone.

An application still waiting for its 容缺 materials keeps its applicant until it closes, however
old: the clerk calls that phone about the missing material, and the visit it ends in is counted
for that person. The day of the oldest one held back is remembered, and each purge starts there
for applications, so it is de-identified at the first purge after it is accepted or terminated.
"""

from __future__ import annotations

import datetime as dt
import json

from kiosk.hall_base import HallBase
from kiosk.idnumber import mask_name

OPEN_STATES = "('pending', 'pending_overdue')"  # still waiting for materials: the applicant is needed


class PrivacyService(HallBase):
    def purge_personal_data(self, today: dt.date | None = None) -> int:
        """De-identify records older than the retention period; returns how many changed."""
        days = self.settings().retention_days
        if days < 1:  # settings refuse it; a value from an old file must not mean "keep forever"
            days = 1
        cutoff = ((today or self.today()) - dt.timedelta(days=days)).isoformat()
        conn = self.store.conn
        with self.store.read():
            marks = dict(conn.execute("SELECT key, value FROM settings WHERE key IN ('_purged_before', '_purge_held_from')"))
        since = json.loads(marks.get("_purged_before", '""'))
        if since >= cutoff:
            return 0  # already done up to here: opening a terminal stays cheap however old the file
        changed = 0
        span = (since, cutoff)
        held_from = json.loads(marks.get("_purge_held_from", '""')) or since
        app_span = (min(since, held_from), cutoff)  # applications held back by an earlier purge too
        with self._tx():
            changed += conn.execute(
                "UPDATE tickets SET holder_name = '', holder_id_masked = '', holder_id_hash = '', phone = ''"
                " WHERE day >= ? AND day < ? AND (holder_name != '' OR holder_id_hash != '' OR phone != '')",
                span).rowcount
            for table, days, still_open in (("applications", app_span, f" AND state NOT IN {OPEN_STATES}"),
                                            ("notices", span, "")):
                # a name without an ID number (a notice to someone who showed none) is personal data too
                rows = conn.execute(
                    f"SELECT rowid, applicant_name FROM {table} WHERE day >= ? AND day < ?{still_open}"
                    " AND (applicant_id_hash != '' OR applicant_id_masked != '' OR applicant_name != '')", days).fetchall()
                conn.executemany(
                    f"UPDATE {table} SET applicant_name = ?, applicant_id_hash = '', applicant_id_masked = ''"
                    " WHERE rowid = ?", [(mask_name(name), rowid) for rowid, name in rows])
                changed += len(rows)
            changed += conn.execute(
                "UPDATE appointments SET holder_name = '', holder_id_hash = '', phone = '' WHERE day >= ? AND day < ?"
                " AND (holder_name != '' OR holder_id_hash != '' OR phone != '')", span).rowcount
            conn.execute("UPDATE applications SET phone = '' WHERE day >= ? AND day < ? AND phone != ''"
                         f" AND state NOT IN {OPEN_STATES}", app_span)
            held = conn.execute(f"SELECT min(day) FROM applications WHERE day >= ? AND day < ? AND state IN {OPEN_STATES}",
                                app_span).fetchone()[0]
            conn.execute("UPDATE evaluations SET phone = '' WHERE day >= ? AND day < ? AND phone != ''", span)
            conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                             " DO UPDATE SET value = excluded.value",
                             [("_purged_before", json.dumps(cutoff)), ("_purge_held_from", json.dumps(held or ""))])
            if changed:
                self._event("PersonalDataPurged", records=changed, before=cutoff)
        return changed
