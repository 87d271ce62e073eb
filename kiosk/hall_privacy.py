"""Personal data kept only as long as the hall's retention setting says (GB/T 35273).

After `retention_days`, tickets and appointments lose the holder's name, ID hash and phone, and
applications and notices (with or without an ID number) keep only the masked name: the figures (waits, visits, acceptances) stay, the person
goes. The keyed ID hash is cleared too, so old records can no longer be linked to anyone.

An application still waiting for its 容缺 materials keeps its applicant until it closes (or, in
a hall that marks overdue items rather than terminating, until its deadline is older than the
retention period): the clerk calls that phone about the missing material, and the visit it
ends in is counted for that person. The day of the oldest one held back is remembered, and each purge starts there
for applications, so it is de-identified at the first purge after it is accepted or terminated.
"""

from __future__ import annotations

import datetime as dt
import json

from kiosk.hall_base import HallBase
from kiosk.idnumber import mask_name

# still waiting for materials, so the applicant is needed: pending, or overdue (the hall marks
# rather than terminates) with a deadline within the retention period (?1: the cut-off day); an
# item overdue for longer than the hall keeps personal data is chased no more
HELD = ("(state = 'pending' OR (state = 'pending_overdue' AND EXISTS (SELECT 1 FROM pending_items p"
        " WHERE p.application_number = applications.number AND p.deadline >= ?1)))")


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
            for table, (start, end), still_open in (("applications", app_span, f" AND NOT {HELD}"),
                                                    ("notices", span, "")):
                # a name without an ID number (a notice to someone who showed none) is personal data too
                rows = [(mask_name(name), rowid) for rowid, name, has_id in conn.execute(
                    f"SELECT rowid, applicant_name, applicant_id_hash != '' OR applicant_id_masked != '' FROM {table}"
                    f" WHERE day >= ?2 AND day < ?1{still_open} AND (applicant_id_hash != ''"
                    " OR applicant_id_masked != '' OR applicant_name != '')", (end, start))
                    if has_id or mask_name(name) != name]  # one de-identified before is left alone
                conn.executemany(f"UPDATE {table} SET applicant_name = ?, applicant_id_hash = '',"
                                 " applicant_id_masked = '' WHERE rowid = ?", rows)
                changed += len(rows)
            changed += conn.execute(
                "UPDATE appointments SET holder_name = '', holder_id_hash = '', phone = '' WHERE day >= ? AND day < ?"
                " AND (holder_name != '' OR holder_id_hash != '' OR phone != '')", span).rowcount
            conn.execute(f"UPDATE applications SET phone = '' WHERE day >= ?2 AND day < ?1 AND phone != '' AND NOT {HELD}",
                         (cutoff, app_span[0]))
            held = conn.execute(f"SELECT min(day) FROM applications WHERE day >= ?2 AND day < ?1 AND {HELD}",
                                (cutoff, app_span[0])).fetchone()[0]
            conn.execute("UPDATE evaluations SET phone = '' WHERE day >= ? AND day < ? AND phone != ''", span)
            conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key)"
                             " DO UPDATE SET value = excluded.value",
                             [("_purged_before", json.dumps(cutoff)), ("_purge_held_from", json.dumps(held or ""))])
            if changed:
                self._event("PersonalDataPurged", records=changed, before=cutoff)
        return changed
