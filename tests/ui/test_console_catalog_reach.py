"""What the manager changes in the catalog reaches a running kiosk: a materials sheet imported at
the console shows on the kiosk's checklist, and every kind of catalog event the core publishes
is one the kiosk takes as "the catalog changed", by one rule rather than a list that can miss
the next one (MaterialsImported once did)."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from test_kiosk import MATTER, all_text, make_kiosk  # noqa: E402  (the kiosk tests' matter and window)

from kiosk.events import RESYNC, SERVER_BACK, SERVER_LOST  # noqa: E402
from kiosk.models import Staff  # noqa: E402
from ui.kiosk.window import is_catalog_event  # noqa: E402
from ui.worker import wait_for_jobs  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NEW_NAME = "新版设立登记申请书（2027版）"


def published_kinds(path: Path) -> set[str]:
    return set(re.findall(r'_event\(\s*"([A-Za-z]+)"', path.read_text(encoding="utf-8")))


def test_a_materials_sheet_imported_at_the_console_shows_on_a_running_kiosk(qtbot, kiosk_ctx, tmp_path):
    from ui.admin import AdminConsole

    hall = kiosk_ctx.hall
    w = make_kiosk(qtbot, kiosk_ctx)
    console = AdminConsole(kiosk_ctx, Staff(login="admin", name="陈建华", role="manager"))
    qtbot.addWidget(console)
    wait_for_jobs()
    w.choose_matter(MATTER)  # the kiosk has read the catalog and shows the checklist
    old_name = hall.get_matter(MATTER).materials[0].name
    assert old_name in all_text(w) and NEW_NAME not in all_text(w)
    w.reset_to_home()

    rows = list(csv.reader(io.StringIO(hall.export_materials_csv())))
    changed = 0
    for row in rows[1:]:
        if row[0] == MATTER and row[2] == old_name:
            row[2], changed = NEW_NAME, changed + 1
    assert changed == 1
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    sheet = tmp_path / "materials.csv"
    sheet.write_text(out.getvalue(), encoding="utf-8-sig")
    assert console.catalog.import_materials_file(sheet), console.catalog.last_message

    qtbot.waitUntil(lambda: w._catalog_changed, timeout=3000)  # the kiosk heard the import
    w.reset_to_home()
    w.choose_matter(MATTER)
    shown = all_text(w)
    assert NEW_NAME in shown and old_name not in shown


def test_every_catalog_event_the_core_publishes_is_heard_by_the_kiosk_and_nothing_else_is():
    catalog_kinds = published_kinds(ROOT / "kiosk" / "hall_catalog.py")
    assert {"CatalogImported", "MaterialsImported", "CategorySaved", "MatterSaved", "MatterDeleted"} <= catalog_kinds
    missed = sorted(k for k in catalog_kinds if not is_catalog_event(k))
    assert not missed, f"catalog events the kiosk would not hear: {missed}"
    others = set().union(*(published_kinds(p) for p in (ROOT / "kiosk").glob("*.py")
                           if p.name != "hall_catalog.py"))
    assert "CategoryNearCap" in others and "WindowSaved" in others and "StaffSaved" in others
    rebuilt_for_nothing = sorted(k for k in others if is_catalog_event(k))
    assert not rebuilt_for_nothing, f"not catalog changes, yet the kiosk would rebuild its screens: {rebuilt_for_nothing}"
    assert is_catalog_event(RESYNC)  # a terminal that missed events reads the catalog again
    assert not is_catalog_event(SERVER_LOST) and not is_catalog_event(SERVER_BACK)
