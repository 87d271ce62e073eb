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

MIGRATIONS: list[tuple[int, list[str]]] = [
    (1, V1_QUEUE_AND_CATALOG),
]
