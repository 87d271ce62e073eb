"""The schema as numbered steps. Never edit a released step: add the next one.

`PRAGMA user_version` records the last step applied; `Store.migrate` applies the rest on open,
each step in its own transaction.
"""

from __future__ import annotations

V1_QUEUE_AND_CATALOG = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE categories (
        prefix TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_en TEXT NOT NULL DEFAULT '',
        daily_cap INTEGER NOT NULL,
        warn_at INTEGER NOT NULL,
        default_service_minutes REAL NOT NULL,
        sort_order INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE matters (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        department TEXT NOT NULL,
        category TEXT NOT NULL REFERENCES categories(prefix),
        type TEXT NOT NULL DEFAULT '',
        promised_days INTEGER NOT NULL,
        statutory_days INTEGER NOT NULL,
        fee TEXT NOT NULL DEFAULT '',
        online INTEGER NOT NULL DEFAULT 0,
        rongque_days INTEGER NOT NULL DEFAULT 0,
        initials TEXT NOT NULL DEFAULT '',
        aliases TEXT NOT NULL DEFAULT '[]',
        source TEXT NOT NULL DEFAULT '',
        sort_order INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE materials (
        matter_code TEXT NOT NULL REFERENCES matters(code) ON DELETE CASCADE,
        id INTEGER NOT NULL,
        name TEXT NOT NULL,
        form TEXT NOT NULL,
        copies INTEGER NOT NULL,
        required INTEGER NOT NULL,
        condition TEXT NOT NULL DEFAULT '',
        key INTEGER NOT NULL,
        rongque INTEGER NOT NULL,
        shared INTEGER NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (matter_code, id)
    )""",
    """CREATE TABLE windows (
        number INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        categories TEXT NOT NULL DEFAULT '[]',
        active INTEGER NOT NULL DEFAULT 1,
        paused INTEGER NOT NULL DEFAULT 0,
        clerk TEXT NOT NULL DEFAULT '',
        current_ticket INTEGER,
        normal_streak INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE staff (
        login TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('manager', 'clerk')),
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1
    )""",
    """CREATE TABLE ticket_counters (
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        last INTEGER NOT NULL,
        PRIMARY KEY (day, category)
    )""",
    """CREATE TABLE tickets (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        number TEXT NOT NULL,
        category TEXT NOT NULL,
        matter_code TEXT NOT NULL DEFAULT '',
        priority TEXT NOT NULL,
        prank INTEGER NOT NULL,
        status TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        arrival_at TEXT NOT NULL,
        ahead INTEGER NOT NULL DEFAULT 0,
        est_wait_min INTEGER NOT NULL DEFAULT 0,
        window INTEGER,
        target_window INTEGER,
        clerk TEXT NOT NULL DEFAULT '',
        called_at TEXT,
        started_at TEXT,
        finished_at TEXT,
        recalls INTEGER NOT NULL DEFAULT 0,
        skips INTEGER NOT NULL DEFAULT 0,
        holder_name TEXT NOT NULL DEFAULT '',
        holder_id_masked TEXT NOT NULL DEFAULT '',
        holder_id_hash TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        appointment_code TEXT NOT NULL DEFAULT '',
        print_state TEXT NOT NULL DEFAULT 'pending',
        ticked TEXT NOT NULL DEFAULT '[]',
        answers TEXT NOT NULL DEFAULT '[]',
        UNIQUE (day, number)
    )""",
    "CREATE INDEX tickets_waiting ON tickets (day, prank, arrival_at, id) WHERE status = 'waiting'",
    # people ahead in one category: counted from the index alone, however long the day
    "CREATE INDEX tickets_waiting_category ON tickets (day, category, prank) WHERE status = 'waiting'",
    "CREATE INDEX tickets_holder ON tickets (holder_id_hash) WHERE holder_id_hash != ''",
    """CREATE TABLE service_stats (
        category TEXT PRIMARY KEY,
        avg_service_s REAL NOT NULL,
        samples INTEGER NOT NULL
    )""",
    """CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        ticket_id INTEGER,
        window INTEGER,
        clerk TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}'
    )""",
    "CREATE INDEX events_ticket ON events (ticket_id)",
]

V2_ACCEPTANCE = [
    """CREATE TABLE application_counters (
        day TEXT PRIMARY KEY,
        last INTEGER NOT NULL
    )""",
    """CREATE TABLE applications (
        number TEXT PRIMARY KEY,
        matter_code TEXT NOT NULL,
        state TEXT NOT NULL,
        applicant_name TEXT NOT NULL,
        applicant_id_masked TEXT NOT NULL DEFAULT '',
        applicant_id_hash TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        answers TEXT NOT NULL DEFAULT '[]',
        received_at TEXT NOT NULL,
        accepted_at TEXT,
        day TEXT NOT NULL,
        promised_date TEXT,
        promised_provisional INTEGER NOT NULL DEFAULT 0,
        clerk TEXT NOT NULL DEFAULT '',
        window INTEGER,
        delivery TEXT NOT NULL DEFAULT 'pickup',
        notice_number TEXT NOT NULL DEFAULT '',
        undertaking TEXT NOT NULL DEFAULT '',
        prior_number TEXT NOT NULL DEFAULT '',
        superseded_by TEXT NOT NULL DEFAULT '',
        visits INTEGER NOT NULL DEFAULT 1,
        closed_at TEXT
    )""",
    "CREATE INDEX applications_day ON applications (day, state)",
    "CREATE INDEX applications_applicant ON applications (applicant_id_hash, matter_code)",
    """CREATE TABLE application_materials (
        application_number TEXT NOT NULL REFERENCES applications(number),
        material_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        form TEXT NOT NULL DEFAULT '',
        copies INTEGER NOT NULL DEFAULT 1,
        key INTEGER NOT NULL DEFAULT 1,
        rongque INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (application_number, material_id)
    )""",
    """CREATE TABLE application_tickets (
        application_number TEXT NOT NULL REFERENCES applications(number),
        ticket_id INTEGER NOT NULL,
        PRIMARY KEY (application_number, ticket_id)
    )""",
    "CREATE INDEX application_tickets_ticket ON application_tickets (ticket_id)",
    """CREATE TABLE pending_items (
        id INTEGER PRIMARY KEY,
        application_number TEXT NOT NULL REFERENCES applications(number),
        material_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        day TEXT NOT NULL,
        days INTEGER NOT NULL,
        deadline TEXT NOT NULL,
        provisional INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL,
        supplied_on TEXT,
        supplied_how TEXT NOT NULL DEFAULT '',
        supplied_by TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX pending_items_status ON pending_items (status, deadline)",
    "CREATE INDEX pending_items_application ON pending_items (application_number)",
    "CREATE INDEX pending_items_day ON pending_items (day, status)",
    """CREATE TABLE notices (
        number TEXT PRIMARY KEY,
        application_number TEXT NOT NULL DEFAULT '',
        matter_code TEXT NOT NULL,
        applicant_name TEXT NOT NULL,
        applicant_id_masked TEXT NOT NULL DEFAULT '',
        applicant_id_hash TEXT NOT NULL DEFAULT '',
        issued_at TEXT NOT NULL,
        day TEXT NOT NULL,
        clerk TEXT NOT NULL DEFAULT '',
        window INTEGER,
        items TEXT NOT NULL
    )""",
    "CREATE INDEX notices_day ON notices (day)",
    """CREATE TABLE calendar_years (
        year INTEGER PRIMARY KEY,
        data TEXT NOT NULL,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
]

V3_EVALUATIONS_AND_FIGURES = [
    """CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        ticket_id INTEGER NOT NULL UNIQUE,
        level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
        at TEXT NOT NULL,
        day TEXT NOT NULL,
        window INTEGER,
        clerk TEXT NOT NULL DEFAULT '',
        comment TEXT NOT NULL DEFAULT '',
        follow_up_level INTEGER,
        follow_up_at TEXT
    )""",
    "CREATE INDEX evaluations_day ON evaluations (day)",
    """CREATE TABLE bad_reviews (
        id INTEGER PRIMARY KEY,
        evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
        ticket_id INTEGER NOT NULL,
        level INTEGER NOT NULL,
        opened_at TEXT NOT NULL,
        callback_due TEXT NOT NULL,
        rectify_due TEXT NOT NULL,
        status TEXT NOT NULL,
        called_back_at TEXT,
        callback_note TEXT NOT NULL DEFAULT '',
        closed_at TEXT,
        resolution TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX bad_reviews_status ON bad_reviews (status)",
    # Figures of closed days, so a year's report reads a few thousand rows, not millions.
    """CREATE TABLE day_figures (
        day TEXT NOT NULL,
        category TEXT NOT NULL,
        window INTEGER NOT NULL,
        clerk TEXT NOT NULL,
        issued INTEGER NOT NULL,
        served INTEGER NOT NULL,
        skipped INTEGER NOT NULL,
        abandoned INTEGER NOT NULL,
        wait_n INTEGER NOT NULL,
        wait_sum REAL NOT NULL,
        wait_max REAL NOT NULL,
        service_n INTEGER NOT NULL,
        service_sum REAL NOT NULL,
        wait_hist TEXT NOT NULL,
        PRIMARY KEY (day, category, window, clerk)
    )""",
    """CREATE TABLE day_totals (
        day TEXT PRIMARY KEY,
        acceptances INTEGER NOT NULL,
        rongque_acceptances INTEGER NOT NULL,
        notices INTEGER NOT NULL,
        applications INTEGER NOT NULL,
        one_visit INTEGER NOT NULL,
        ratings INTEGER NOT NULL,
        satisfied INTEGER NOT NULL
    )""",
]

V4_APPOINTMENTS = [
    """CREATE TABLE appointment_counters (
        day TEXT PRIMARY KEY,
        last INTEGER NOT NULL
    )""",
    """CREATE TABLE appointments (
        code TEXT PRIMARY KEY,
        matter_code TEXT NOT NULL REFERENCES matters(code),
        day TEXT NOT NULL,
        slot_start TEXT NOT NULL,
        slot_end TEXT NOT NULL,
        holder_name TEXT NOT NULL DEFAULT '',
        holder_id_hash TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        ticket_id INTEGER,
        created_at TEXT NOT NULL,
        checked_in_at TEXT
    )""",
    "CREATE INDEX appointments_day ON appointments (day, slot_start)",
]

V5_PROVISIONAL_REVIEWS = [
    # a bad review opened in December may count its deadlines into a year with no calendar yet
    "ALTER TABLE bad_reviews ADD COLUMN provisional INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE bad_reviews ADD COLUMN callback_days INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE bad_reviews ADD COLUMN rectify_days INTEGER NOT NULL DEFAULT 15",
]

V6_TERMINALS_AND_REQUESTS = [
    # every PC of a networked hall is a registered terminal; only its token's hash is kept
    """CREATE TABLE terminals (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        window INTEGER,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        last_seen_at TEXT
    )""",
    # the answer to each change a terminal sent with an idempotency key, stored in the change's
    # own transaction: a retried request whose answer was lost gets that answer, not a second change
    """CREATE TABLE request_results (
        key TEXT PRIMARY KEY,
        terminal TEXT NOT NULL,
        at TEXT NOT NULL,
        status INTEGER NOT NULL,
        body BLOB NOT NULL
    )""",
    "CREATE INDEX request_results_at ON request_results (at)",
]

V7_HELPERS_AND_DEVICES = [
    # a kiosk's 呼叫帮办 reaches a person: stored, taken by one staff member, raised again when late
    """CREATE TABLE helper_calls (
        id INTEGER PRIMARY KEY,
        terminal TEXT NOT NULL,
        place TEXT NOT NULL DEFAULT '',
        screen TEXT NOT NULL DEFAULT '',
        matter_code TEXT NOT NULL DEFAULT '',
        matter_name TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        taken_by TEXT NOT NULL DEFAULT '',
        taken_at TEXT,
        closed_at TEXT,
        late INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX helper_calls_open ON helper_calls (closed_at, at)",
    # each terminal's devices as last reported, and every stretch a device was out of order
    """CREATE TABLE device_states (
        terminal TEXT NOT NULL,
        device TEXT NOT NULL,
        state TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        since TEXT NOT NULL,
        PRIMARY KEY (terminal, device)
    )""",
    """CREATE TABLE device_downtime (
        id INTEGER PRIMARY KEY,
        terminal TEXT NOT NULL,
        device TEXT NOT NULL,
        state TEXT NOT NULL,
        started TEXT NOT NULL,
        ended TEXT
    )""",
    "CREATE INDEX device_downtime_started ON device_downtime (started)",
    "ALTER TABLE terminals ADD COLUMN place TEXT NOT NULL DEFAULT ''",
]

V8_LEANER_TICKET_WRITES = [
    # Every ticket and every event paid for an index nothing reads: no query looks tickets up
    # by the ID hash (privacy purges by day) and events are read by id and kind, never by
    # ticket. Each was one more page written, and logged, in every durable queue step.
    "DROP INDEX IF EXISTS tickets_holder",
    "DROP INDEX IF EXISTS events_ticket",
]

V9_PIN_TRIES_AND_RATING_REASONS = [
    # wrong manager-PIN tries per kiosk, kept in the hall file so that neither cancelling the
    # dialog nor restarting the kiosk resets them
    """CREATE TABLE pin_tries (
        terminal TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        lockouts INTEGER NOT NULL,
        locked_until TEXT
    )""",
    # 好差评 closes its loop: why a bad rating was given, and a number to call back on
    "ALTER TABLE evaluations ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE evaluations ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
]

V10_ENGLISH_NAMES = [
    # English names for the kiosk's English mode, beside the official Chinese ones; blank
    # until a catalog brings them, and then the Chinese is shown
    "ALTER TABLE matters ADD COLUMN name_en TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE matters ADD COLUMN department_en TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE materials ADD COLUMN name_en TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE materials ADD COLUMN condition_en TEXT NOT NULL DEFAULT ''",
]

V11_FORMS_FILLED_ON_SITE = [
    # a form the window hands out and the applicant fills in there (申领登记表, 参保登记表):
    # never something to bring, so the kiosk never calls it missing
    "ALTER TABLE materials ADD COLUMN on_site INTEGER NOT NULL DEFAULT 0",
    # a hall stored before this step: the guides say so in the notes; re-importing the catalog
    # sets the flag exactly
    "UPDATE materials SET on_site = 1 WHERE shared = 0 AND (notes LIKE '%窗口现场填写%'"
    " OR notes LIKE '%窗口领取，现场填写%' OR notes LIKE '%窗口现场打印%')",
]

V12_FINISH_REASONS = [
    # why a ticket was finished with no decision (未到场, 仅咨询, ...): a no-show is not rated
    "ALTER TABLE tickets ADD COLUMN finish_reason TEXT NOT NULL DEFAULT ''",
]

V13_NUMBERS_ARE_THE_COUNTER = [
    # A ticket took its number from a counter row written in the same transaction: one more
    # statement and one more page logged and synced per ticket. The day's last number of a
    # category is the top of the (day, number) index, under the same write lock, so the
    # counters go; the version step also keeps an older program, which would number from the
    # counters, from issuing into this file.
    "DROP TABLE IF EXISTS ticket_counters",
]

V14_LEANER_REQUEST_RESULTS = [
    # Every change a terminal sends stores its answer in the change's own transaction, and each
    # index on that row is one more page logged and synced with the change. The index on the
    # time served only the daily purge of old answers, which can as well read the table once a
    # day: the answer now costs its row and its key.
    "DROP INDEX IF EXISTS request_results_at",
]

V15_ENGLISH_COMMON_WORDS = [
    # English mode's common words: the kiosk showed the Chinese aliases as its touch-to-search
    # chips to a citizen who reads English; a matter may now carry English ones (JSON list).
    "ALTER TABLE matters ADD COLUMN aliases_en TEXT NOT NULL DEFAULT '[]'",
]

V16_TERMINAL_DEVICES = [
    # A PC's own devices, set from the console where its hardware differs from the hall's device
    # settings ('' = the hall's settings; else a JSON object of ports, baud rates and printer model).
    "ALTER TABLE terminals ADD COLUMN devices TEXT NOT NULL DEFAULT ''",
]

V17_TRUER_WAITS = [
    # The wait the hall made a citizen do ends at the first call: a 过号 call-back overwrote
    # called_at, so an hour the citizen spent away was published as waiting, and a transfer
    # cleared it, so the first window's service was counted as waiting too.
    "ALTER TABLE tickets ADD COLUMN first_called_at TEXT",
    "UPDATE tickets SET first_called_at = called_at WHERE called_at IS NOT NULL",
    # Closed days were summarised with a no-show counted as served and an application still
    # waiting for its 容缺 materials counted as done in one visit: their summaries are derived
    # data, so they go, and each is built again by the same SQL the next time it is reported.
    "DELETE FROM day_figures",
    "DELETE FROM day_totals",
    # booking codes end in random digits now: the running number per day is not kept any more
    "DROP TABLE IF EXISTS appointment_counters",
]

V18_ACCESS_LOG = [
    # who looked at or changed a person's data (the spec's "record who looked at or changed
    # what"): one row per request the hall server answered for a method of
    # kiosk.hall_access.PERSONAL_ACTIONS; the record's number, never the data itself
    """CREATE TABLE IF NOT EXISTS access_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        day TEXT NOT NULL,
        terminal TEXT NOT NULL,
        staff TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS access_log_day ON access_log (day)",
]

V19_MATTERS_SWITCHED_OFF = [
    # a matter abolished or moved online could not leave the kiosk once it had an application
    # (its records need it, so it cannot be deleted): 停用 keeps it and stops offering it
    "ALTER TABLE matters ADD COLUMN active INTEGER NOT NULL DEFAULT 1",
]

V20_OLDER_HALLS_MADE_WHOLE = [
    # Steps 1 and 3 were edited after halls had been made with them (2026-11-25): a hall made
    # before the edit never got the index the people-ahead count of every ticket reads, and kept
    # an index on (day, status) nothing reads, one more page written with every queue step.
    "CREATE INDEX IF NOT EXISTS tickets_waiting_category ON tickets (day, category, prank) WHERE status = 'waiting'",
    "DROP INDEX IF EXISTS tickets_day_status",
    # step 17 as first released kept the booking codes' counters, which nothing reads since
    "DROP TABLE IF EXISTS appointment_counters",
    # Step 17 began each older ticket's wait-ending first call at its called_at, which the
    # releases before it overwrote with a 过号 call-back and cleared on a transfer: such a
    # citizen's wait ran to the call-back or to the call at the second window. The first call
    # is in the events every release logged; the summaries of the days it changes go, to be
    # built again from the tickets (one pass over the events, not one look-up per ticket: the
    # events have no index by ticket).
    """CREATE TEMP TABLE first_calls AS
        SELECT t.id, t.day, c.at FROM tickets t JOIN (SELECT ticket_id, min(at) AS at FROM events
            WHERE kind = 'TicketCalled' AND ticket_id IS NOT NULL GROUP BY ticket_id) c ON c.ticket_id = t.id
        WHERE t.first_called_at IS NULL OR c.at < t.first_called_at""",
    "DELETE FROM day_figures WHERE day IN (SELECT day FROM temp.first_calls)",
    "DELETE FROM day_totals WHERE day IN (SELECT day FROM temp.first_calls)",
    "UPDATE tickets SET first_called_at = f.at FROM temp.first_calls f WHERE f.id = tickets.id",
    "DROP TABLE temp.first_calls",
]

V21_CONSOLE_SESSIONS = [
    # the manager signed in on each console PC: a console's token alone may only read what every
    # terminal reads, as a window PC's token acts only with a clerk signed in there. Kept in the
    # file so a server restart signs nobody out; a session opened on an earlier day is not honoured.
    """CREATE TABLE IF NOT EXISTS console_sessions (
        terminal TEXT PRIMARY KEY,
        login TEXT NOT NULL,
        opened_at TEXT NOT NULL
    )""",
]

# A transferred ticket's first window served the citizen too: each stint that ends in a transfer
# is kept, so the day's figures credit that window and clerk with it (a ticket keeps only its
# last window; before, the first window's service counted for nobody). No personal data here.
V22_SERVICE_LEGS = [
    """CREATE TABLE IF NOT EXISTS service_legs (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        ticket_id INTEGER NOT NULL,
        category TEXT NOT NULL,
        window INTEGER NOT NULL,
        clerk TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS service_legs_day ON service_legs (day)",
    "ALTER TABLE day_figures ADD COLUMN handed_on INTEGER NOT NULL DEFAULT 0",
]

MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, V1_QUEUE_AND_CATALOG),
    (2, V2_ACCEPTANCE),
    (3, V3_EVALUATIONS_AND_FIGURES),
    (4, V4_APPOINTMENTS),
    (5, V5_PROVISIONAL_REVIEWS),
    (6, V6_TERMINALS_AND_REQUESTS),
    (7, V7_HELPERS_AND_DEVICES),
    (8, V8_LEANER_TICKET_WRITES),
    (9, V9_PIN_TRIES_AND_RATING_REASONS),
    (10, V10_ENGLISH_NAMES),
    (11, V11_FORMS_FILLED_ON_SITE),
    (12, V12_FINISH_REASONS),
    (13, V13_NUMBERS_ARE_THE_COUNTER),
    (14, V14_LEANER_REQUEST_RESULTS),
    (15, V15_ENGLISH_COMMON_WORDS),
    (16, V16_TERMINAL_DEVICES),
    (17, V17_TRUER_WAITS),
    (18, V18_ACCESS_LOG),
    (19, V19_MATTERS_SWITCHED_OFF),
    (20, V20_OLDER_HALLS_MADE_WHOLE),
    (21, V21_CONSOLE_SESSIONS),
    (22, V22_SERVICE_LEGS),
]
