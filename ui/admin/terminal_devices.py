"""A registered PC's own devices, on the console's 终端登记 tab.

Most kiosks of a hall are alike, and the 设置 tab's device ports serve them all. A PC whose
hardware differs (a printer on another port, a window PC with its reader elsewhere, a kiosk
without a scanner) gets its own list here; the PC reads it from the hall server when it starts,
so nobody edits a file on that PC. Only the devices its kind uses are offered: a window PC
reads cards, a kiosk also prints and scans, a display or an evaluator uses none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QWidget

from devices.ports import device_list_problems
from kiosk.hall_terminals import run_role
from kiosk.settings import BAUD_RATES, DEVICE_NAMES, HallSettings
from ui.admin.common import muted_label, options_combo, side_by_side
from ui.terminal import ROLE_DEVICES

BAUDS = {str(b): str(b) for b in BAUD_RATES}


class DeviceFields(QGroupBox):
    """`show_for(role, devices, hall_settings)` fills it; `devices()` is what to store (None: the
    hall's settings); `problems()` what is wrong with the ports typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("本机设备", parent)
        from printing.profiles import PROFILES
        from ui.admin.settings_tab import profile_words

        form = QFormLayout(self)
        self.own = QCheckBox("本机单独设置（否则按“设置”页的设备端口）")
        self.own.toggled.connect(self._enable)
        form.addRow(self.own)
        self.ports: dict[str, QLineEdit] = {}
        self.bauds: dict[str, QComboBox] = {}
        self.rows: dict[str, list[QWidget]] = {}
        for key, name in DEVICE_NAMES.items():
            port = QLineEdit()
            port.setPlaceholderText("未连接")
            port.setToolTip("如 /dev/ttyUSB0、COM3、socket://10.0.0.5:9100；留空即本机没有这台设备")
            baud = options_combo(BAUDS)
            self.ports[key], self.bauds[key] = port, baud
            row = side_by_side(port, baud)
            form.addRow(name, row)
            self.rows[key] = [row, form.labelForField(row)]
            if key == "printer":  # its model on the next line, in the 设置 tab's words (the code in its tooltip)
                self.profile = options_combo({p: profile_words(p) for p in PROFILES})
                # a long model is cut short in the box rather than widening the form
                self.profile.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                self.profile.setMinimumContentsLength(6)
                for i in range(self.profile.count()):
                    self.profile.setItemData(i, f"{self.profile.itemText(i)}（型号代码 {self.profile.itemData(i)}）",
                                             Qt.ItemDataRole.ToolTipRole)
                form.addRow("打印机型号", self.profile)
                self.rows[key] += [self.profile, form.labelForField(self.profile)]
        self.note = muted_label("")
        form.addRow(self.note)
        self.wanted: tuple[str, ...] = ()

    def show_for(self, role: str, devices: dict | None, hall: HallSettings) -> None:
        """The PC's own list, or the hall's settings shown greyed as what it uses now."""
        self.wanted = ROLE_DEVICES.get(run_role(role), ())
        shown = {**{f"{k}_port": "" for k in DEVICE_NAMES}, **devices} if devices is not None else {}
        for key in DEVICE_NAMES:
            self.ports[key].setText(str(shown.get(f"{key}_port", getattr(hall, f"{key}_port"))))
            baud = str(shown.get(f"{key}_baud", getattr(hall, f"{key}_baud")))
            self.bauds[key].setCurrentIndex(max(0, self.bauds[key].findData(baud)))
            for w in self.rows[key]:
                w.setVisible(key in self.wanted)
        self.profile.setCurrentIndex(max(0, self.profile.findData(str(shown.get("printer_profile",
                                                                                  hall.printer_profile)))))
        self.own.blockSignals(True)
        self.own.setChecked(devices is not None and bool(self.wanted))
        self.own.blockSignals(False)
        self.own.setVisible(bool(self.wanted))
        self.note.setText("" if self.wanted else "这类终端不用读卡器、打印机或扫码器。")
        self.note.setVisible(not self.wanted)
        self._enable()

    def _enable(self) -> None:
        on = self.own.isChecked()
        for widget in (*self.ports.values(), *self.bauds.values(), self.profile):
            widget.setEnabled(on)

    def devices(self) -> dict[str, str | int] | None:
        """The list to store: the devices this kind of PC uses, or None for the hall's settings."""
        if not self.own.isChecked() or not self.wanted:
            return None
        out: dict[str, str | int] = {}
        for key in self.wanted:
            out[f"{key}_port"] = self.ports[key].text().strip()
            out[f"{key}_baud"] = int(self.bauds[key].currentData())
        if "printer" in self.wanted:
            out["printer_profile"] = str(self.profile.currentData())
        return out

    def problems(self) -> list[str]:
        devices = self.devices()
        if devices is None:
            return []
        return device_list_problems(devices)
