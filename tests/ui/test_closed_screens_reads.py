"""A console or hall display deleted while its read is in flight: the answer lands on nothing."""

from __future__ import annotations

import threading


def test_a_console_deleted_while_its_reads_are_in_flight_takes_their_answers_quietly(qtbot, demo_ctx):
    from console_support import sign_in
    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.errors import ServerUnavailable
    from ui.admin import AdminConsole
    from ui.worker import drain_jobs

    console = AdminConsole(demo_ctx, sign_in(demo_ctx.hall))
    drain_jobs()
    held = threading.Event()

    def slow_failing_read():
        held.wait(5)
        raise ServerUnavailable("与大厅服务器的连接已中断")

    def slow_read():
        held.wait(5)
        return console_read()

    reports = console.reports
    console_read = reports._read_today
    reports._read_today = slow_read
    reports.refresh_today()
    reports._read_today = slow_failing_read
    reports.refresh_today()
    console.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    held.set()
    assert drain_jobs()


def test_a_hall_display_deleted_while_its_read_is_in_flight_takes_the_answer_quietly(qtbot, demo_ctx, tmp_path):
    from PySide6.QtCore import QCoreApplication, QEvent

    from ui.display import HallDisplay
    from ui.voice import Announcer, VoiceBuilder
    from ui.worker import drain_jobs

    # not given to qtbot, which would close it again after the test deleted it
    display = HallDisplay(demo_ctx, announcer=Announcer(VoiceBuilder(tmp_path / "voice", espeak=None,
                                                                     recorded_dir=tmp_path / "none"), play_audio=False))
    drain_jobs()
    held = threading.Event()
    read = display._read

    def slow_read():
        held.wait(5)
        return read()

    display._read = slow_read
    display.refresh()
    display.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    held.set()
    assert drain_jobs()
