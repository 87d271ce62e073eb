"""Guards for the Qt tests: each one starts on a clean QApplication."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def _starts_without_qt_leftovers():
    """No window and no widget awaiting deferred deletion is left over from an earlier test.

    Leftovers are not harmless: outside a running event loop deleteLater() only queues the
    deletion, and the next test that spins the loop (a qtbot.waitUntil) pays for all of them
    at once, which once made a 5 s wait in test_voice time out after test_kiosk_layout.
    The root conftest's _no_qt_leftovers clears them after every test; this pins that down.
    """
    if "PySide6.QtWidgets" in sys.modules:  # never import Qt (or create an application) just to look
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        left = app.topLevelWidgets() if isinstance(app, QApplication) else []
        names = sorted({type(w).__name__ for w in left})
        assert len(left) == 0, f"an earlier test left {len(left)} top-level widgets: {names}"


@pytest.fixture(autouse=True)
def _plays_no_sound():
    """The machine running the tests plays nothing and makes no speech: elder-mode kiosks would
    run espeak-ng and a player at every screen. What would have been said is still recorded
    (`PromptVoice.said`); a test that listens to the sound itself asks for `speaker`."""
    from ui.voice.playback import silenced

    with silenced():
        yield


@pytest.fixture
def kiosk_ctx(tmp_path):
    """A kiosk's context on the demo hall (a file of its own), with a printer that takes every
    ticket; every kiosk job has ended before the hall closes."""
    from kiosk import open_hall
    from ui.app import create_application
    from ui.context import TerminalContext
    from ui.worker import drain_jobs

    create_application()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    c = TerminalContext(hall=hall, send_ticket=lambda data: None, printer_status=lambda: (True, ""))
    yield c
    assert drain_jobs(), "a kiosk job or its callback was still running"  # none may reach the next test
    c.close()
    hall.close()


@pytest.fixture
def demo_ctx(tmp_path):
    """A desk's or console's context on the demo hall (a file of its own); every job the screens
    started has ended, its callback included, before the hall closes. Waiting for the pool alone
    (`wait_for_jobs`) left the callbacks to whichever loop turned next: the root conftest's
    clean-up, on screens already deleted and a hall already closed, or the next test, and a
    preview still rendering after 5 s ran on into the next desk test."""
    from kiosk import open_hall
    from ui.app import create_application
    from ui.context import TerminalContext
    from ui.worker import drain_jobs

    create_application()
    hall = open_hall(tmp_path / "h.db", seed_demo=True, durable=False)
    context = TerminalContext(hall)
    yield context
    drain_jobs()  # what it could not end, the root conftest names as the test's leak
    context.close()
    hall.close()


@pytest.fixture
def console(qtbot, demo_ctx):
    """The manager's console on the demo hall."""
    from console_support import open_console

    return open_console(qtbot, demo_ctx)


class Speaker:
    """Stands in for the PC's sound output: records what it is asked to play, as a player does."""

    name = "speaker"

    def __init__(self) -> None:
        self.played: list[bytes] = []

    def play(self, path, on_done) -> None:  # noqa: ANN001 - a WAV path, the players' callback
        from pathlib import Path

        self.played.append(Path(path).read_bytes())
        on_done()

    def stop(self) -> None:
        pass


@pytest.fixture
def speaker(monkeypatch) -> Speaker:
    """This PC's speaker: what ui.voice.playback.best_player would have played through."""
    import ui.voice.playback

    speaker = Speaker()
    monkeypatch.setattr(ui.voice.playback, "best_player", lambda parent=None: speaker)
    return speaker
