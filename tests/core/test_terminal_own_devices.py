"""A registered PC may have its own devices, set from the console: its whole list (ports, baud
rates, printer model), checked by the hall settings' rules, or None for the hall's settings."""

import pytest

from kiosk.errors import NotFound, ValidationError


def test_a_pc_given_its_own_devices_keeps_them_and_can_go_back_to_the_halls(hall):
    hall.add_terminal("二楼取号机", "kiosk", place="二楼电梯口")
    own = {"printer_port": " /dev/ttyUSB1 ", "printer_baud": 19200, "idcard_port": "/dev/ttyACM0"}
    changed = hall.set_terminal_devices("二楼取号机", own, by="admin")
    assert changed.devices == {"printer_port": "/dev/ttyUSB1", "printer_baud": 19200, "idcard_port": "/dev/ttyACM0"}
    (listed,) = [t for t in hall.terminals() if t.name == "二楼取号机"]
    assert listed.devices == changed.devices and listed.place == "二楼电梯口"  # the rest of it unchanged
    assert hall.set_terminal_devices("二楼取号机", None).devices is None


@pytest.mark.parametrize(("devices", "words"), [
    ({"printer_baud": 12345}, "波特率"),
    ({"printer_port": 3}, "printer_port"),
    ({"paper": "A4"}, "不认识的项：paper"),
    ({"idcard_baud": True}, "idcard_baud|bool|true/false"),  # over the network refused at the door, same class
])
def test_a_device_list_the_halls_rules_refuse_changes_nothing(hall, devices, words):
    hall.add_terminal("取号机A", "kiosk")
    hall.set_terminal_devices("取号机A", {"printer_port": "/dev/ttyUSB0"})
    with pytest.raises(ValidationError, match=words):
        hall.set_terminal_devices("取号机A", devices)
    assert next(t for t in hall.terminals() if t.name == "取号机A").devices == {"printer_port": "/dev/ttyUSB0"}


def test_devices_for_an_unregistered_pc_are_refused(hall):
    with pytest.raises(NotFound, match="没有名为“无此终端”的终端"):
        hall.set_terminal_devices("无此终端", {"printer_port": "/dev/ttyUSB0"})
