"""One demo hall per file: a second start would re-token the first one's terminals."""

from __future__ import annotations

import pytest

from commands.demo_hall import DemoHall
from kiosk.errors import HallError


def test_a_second_demo_on_the_same_file_is_refused_and_the_first_keeps_working(tmp_path):
    first = DemoHall.start(tmp_path / "hall.db")
    try:
        with pytest.raises(HallError, match="已由另一个大厅服务器使用"):
            DemoHall.start(tmp_path / "hall.db")
        kiosk = first.client("kiosk")
        assert kiosk.issue_ticket(category="A").number == "A001"  # its token was not voided
    finally:
        first.stop()
    again = DemoHall.start(tmp_path / "hall.db")  # the first one stopped: the file is free
    again.stop()
