"""The one door into the hall: `open_hall(path)` returns a `Hall`.

Every method takes and returns plain data (see kiosk.models), runs each change in one
transaction and publishes an event after it commits. A networked hall server can implement
the same methods and the screens will not notice.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from kiosk.errors import HallError
from kiosk.hall_acceptance import AcceptanceService
from kiosk.hall_access import AccessService
from kiosk.hall_admin import AdminService
from kiosk.hall_base import Clock
from kiosk.hall_daily import DailyService
from kiosk.hall_evaluation import EvaluationService
from kiosk.hall_helpers import HelperService
from kiosk.hall_links import LinkService
from kiosk.hall_pin import PinService
from kiosk.hall_privacy import PrivacyService
from kiosk.hall_queue import QueueService
from kiosk.hall_report import ReportService
from kiosk.hall_terminals import TerminalService
from kiosk.storage import Store, default_db_path


class Hall(QueueService, AcceptanceService, EvaluationService, ReportService, PrivacyService, AdminService,
           TerminalService, DailyService, PinService, HelperService, LinkService, AccessService):
    """The service facade. See the README for the list of actions."""


def is_server_url(path: object) -> bool:
    return isinstance(path, str) and path.lower().startswith(("http://", "https://"))


def open_hall(path: str | Path | None = None, *, clock: Clock | None = None, durable: bool = True,
              seed_demo: bool = False, token: str = "", cafile: str | None = None) -> Hall:
    """Open (creating and migrating as needed) the hall stored at `path`.

    With no path, the file in the user's data directory. `seed_demo` fills an empty hall with
    the sample catalog, windows and staff so it works at once. Given a hall server's address
    (`http://host:port` or `https://...`) and this terminal's token, the same facade reached
    over the network: the same methods, records and refusals.
    """
    if is_server_url(path):
        from hallnet.client import HallClient  # the network client, only for networked terminals

        client = HallClient(str(path), token, cafile=cafile)
        try:
            # a wrong address or token is said now, in one line, not at the first tap; and the
            # server says who it takes the PC for (`client.me`: name, role, window, devices)
            client.ping()
        except BaseException:
            client.close()
            raise
        return client  # type: ignore[return-value]
    store = Store(path or default_db_path(), durable=durable)
    hall = Hall(store, clock=clock)
    if seed_demo:
        from kiosk.seed import seed_if_empty

        seed_if_empty(hall)
    hall._migrate_manager_pin()  # noqa: SLF001 - a plain-text PIN of an older version is hashed away
    hall.migrate_hash_key()  # a key an older version kept inside the hall file moves out to its own file
    hall.run_daily_jobs()  # overdue 容缺 items and personal data past retention are dealt with before anything else
    hall.close_recent_days()  # and yesterday's figures are summarised, so reports never wait for them
    with contextlib.suppress(HallError):  # a missing key file is said where an ID number needs it
        hall.hash_key()  # read (or made) now, not inside the first ticket's durable commit
    return hall
