"""The 终端登记 tab names a PC's printer model as the 设置 tab does (paper width, characters,
cutter), not by the code it is stored as (generic-80); the code stays what is saved."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from kiosk.settings import HallSettings  # noqa: E402
from printing.profiles import PROFILES  # noqa: E402
from ui.admin.settings_tab import profile_words  # noqa: E402
from ui.admin.terminal_devices import DeviceFields  # noqa: E402


def test_a_pcs_printer_model_is_shown_in_words_and_stored_as_its_code(qtbot):
    fields = DeviceFields()
    qtbot.addWidget(fields)
    shown = {fields.profile.itemData(i): fields.profile.itemText(i) for i in range(fields.profile.count())}
    assert shown == {name: profile_words(name) for name in PROFILES}
    assert not set(shown.values()) & set(PROFILES)  # no raw code in the list a manager reads
    assert "generic-80" in fields.profile.itemData(fields.profile.findData("generic-80"), Qt.ItemDataRole.ToolTipRole)

    other = next(name for name in PROFILES if name != "generic-80")
    fields.show_for("kiosk", {"printer_port": "/dev/ttyUSB1", "printer_baud": 9600, "printer_profile": other},
                    HallSettings())
    assert fields.profile.currentText() == profile_words(other)
    assert fields.devices()["printer_profile"] == other
