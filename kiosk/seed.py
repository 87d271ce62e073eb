"""The demo hall: the sample catalog, windows, staff and settings from `resources/`."""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.hall import Hall
from kiosk.models import Window

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_CATALOG = RESOURCES / "catalog" / "sample_hall.json"
DEMO_HALL = RESOURCES / "demo_hall.json"


def seed_if_empty(hall: Hall, catalog_path: Path = SAMPLE_CATALOG, hall_path: Path = DEMO_HALL) -> bool:
    """Fill a hall that has no categories yet; returns whether it did."""
    if hall.categories():
        return False
    hall.import_catalog(catalog_path.read_text(encoding="utf-8"), source=catalog_path.name)
    demo = json.loads(hall_path.read_text(encoding="utf-8"))
    info = demo.get("hall", {})
    settings = dict(demo.get("settings", {}))
    settings.pop("rongque_excluded_ids", None)  # ID numbers are stored only as keyed hashes
    hall.update_settings(
        hall_code=info.get("code", "330106"), hall_name=info.get("name", "政务服务中心"),
        hall_address=info.get("address", ""), hall_phone=info.get("phone", ""), follow_url=info.get("follow_url", ""),
        **{k: v for k, v in settings.items() if hasattr(hall.settings(), k)},
    )
    if settings.get("manager_pin") and not hall.manager_pin_is_set():
        hall.set_manager_pin(settings["manager_pin"])  # the demo's own PIN; a real hall has none until set
    for w in demo.get("windows", []):
        hall.save_window(Window(number=w["number"], name=w["name"], categories=tuple(w.get("categories", []))))
    for s in demo.get("staff", []):
        hall.save_staff(s["login"], s["name"], s["role"], s["password"])
    return True


def seed_demo_appointments(hall: Hall) -> list[str]:
    """Three bookings for today on the demo hall (once a day), so check-in can be tried at once."""
    import datetime as dt

    today = hall.today()
    existing = hall.appointments(today)
    if existing:
        return [a.code for a in existing]
    matters = [m for m in hall.matters() if m.category in ("A", "B", "C")][:3]
    now = hall.clock()
    start = now.replace(minute=0, second=0, microsecond=0)
    codes = []
    for i, (matter, name) in enumerate(zip(matters, ("李明", "王芳", "赵磊"), strict=False)):
        slot = start + dt.timedelta(hours=i)
        if slot.date() != today:
            break
        codes.append(hall.book_appointment(matter_code=matter.code, day=today, slot_start=slot.time(),
                                           slot_end=min(slot + dt.timedelta(minutes=59), dt.datetime.combine(
                                               today, dt.time(23, 59))).time(), holder_name=name).code)
    return codes
