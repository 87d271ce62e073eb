"""The last safety net (ui.errors): an error no screen caught is said on the screen in plain
words, the hall's own for a HallError, never a traceback and never silence."""

from __future__ import annotations

import logging
import sys

import pytest
import test_kiosk_layout  # a sibling test module, on pytest's rootdir path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.errors import ServerUnavailable
from ui import errors

ctx = test_kiosk_layout.ctx  # the sample hall's kiosk context, as the layout tests have it
LOST = "与大厅服务器的连接已中断，正在自动重连；本次操作未完成，请稍后再试"


@pytest.fixture
def net(monkeypatch):
    """ui.errors as the launcher installs it, for this test only (pytest-qt's own capture off)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install()


def _raise_in_a_slot(qtbot, error: Exception) -> None:
    def slot() -> None:
        raise error

    QTimer.singleShot(0, slot)
    qtbot.wait(50)


@pytest.mark.qt_no_exception_capture
def test_a_hall_error_nothing_caught_is_shown_on_the_window_in_its_own_words(qtbot, net, caplog, capsys):
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    with caplog.at_level(logging.WARNING, logger="ui.errors"):
        _raise_in_a_slot(qtbot, ServerUnavailable(LOST))
    banner = window.findChild(QLabel, "hallErrorBanner")
    assert banner is not None and banner.isVisible() and banner.text() == "⚠ " + LOST
    assert banner.geometry().bottom() < window.height() and banner.width() <= window.width()
    assert "Traceback" not in capsys.readouterr().err
    assert any(LOST in r.getMessage() for r in caplog.records)


@pytest.mark.qt_no_exception_capture
def test_a_defect_is_an_apology_on_the_screen_and_a_traceback_in_the_log_only(qtbot, net, caplog, capsys):
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        _raise_in_a_slot(qtbot, ZeroDivisionError("division by zero"))
    banner = window.findChild(QLabel, "hallErrorBanner")
    assert banner is not None and banner.text() == "⚠ " + errors.INTERNAL
    assert "ZeroDivisionError" not in banner.text()
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert logged and logged[0].exc_info[0] is ZeroDivisionError  # the technician gets the traceback
    assert "Traceback" not in capsys.readouterr().err


def test_a_window_with_its_own_message_line_gets_the_error_there_in_its_language(qtbot):
    seen = []

    class Desk(QWidget):
        def show_hall_error(self, said):
            seen.append(said)

    desk = Desk()
    qtbot.addWidget(desk)
    desk.show()
    qtbot.waitExposed(desk)
    desk.activateWindow()
    error = ServerUnavailable(LOST)
    errors.show(error)
    assert seen == [error] and desk.findChild(QLabel, "hallErrorBanner") is None


def test_the_kiosk_says_an_uncaught_hall_error_in_its_notice_in_the_citizens_language(qtbot, ctx):
    from ui.kiosk import KioskWindow

    kiosk = KioskWindow(ctx, lang="en", poll_printer=False)
    qtbot.addWidget(kiosk)
    kiosk.show()
    qtbot.waitExposed(kiosk)
    kiosk.show_hall_error(ServerUnavailable(LOST))
    assert kiosk.notice.isVisible()
    assert kiosk.notice.title.text() == "That did not work"
    assert kiosk.notice.text.text().startswith("The connection to the hall server was lost")


def test_an_error_reported_off_the_gui_thread_is_logged_and_touches_no_window(qtbot, caplog):
    import threading

    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    error = ServerUnavailable(LOST)
    with caplog.at_level(logging.WARNING, logger="ui.errors"):
        worker = threading.Thread(target=errors.report, args=(type(error), error, None))
        worker.start()
        worker.join()
    assert any(LOST in r.getMessage() for r in caplog.records)
    assert window.findChild(QLabel, "hallErrorBanner") is None
