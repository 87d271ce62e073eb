"""Opening the screens for a role, or all four for the demo, with the devices wired in."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk import Hall
from kiosk.long_lived import keep_long_lived_out_of_collections
from ui import errors
from ui.app import create_application, exec_unless_stopped, run_until_stopped
from ui.context import TerminalContext
from ui.device_keeper import DeviceKeeper
from ui.terminal import make_context
from ui.worker import end_jobs

log = logging.getLogger(__name__)
WARM_UP_AFTER_MS = 1500


def warm_up() -> None:
    """Import what the screens need after their first paint (see kiosk.storage.Store.db), then
    keep everything alive by now out of Python's full collections (kiosk.long_lived)."""
    import sqlite_utils  # noqa: F401

    keep_long_lived_out_of_collections()


def launch(hall: Hall, *, role: str, window: int = 1, orientation: str = "portrait", lang: str = "zh",
           windowed: bool = False, simulate: bool = False, hall_for: Callable[[str], Hall] | None = None,
           cover: QWidget | None = None, file_devices: dict | None = None) -> int:
    """Open the screens of `role`. `hall_for(screen)` gives each demo screen its own hall (its own
    client and token on the networked demo); without it every screen shares `hall`. `cover` (the
    screen that waited for the hall server) stays up until the terminal's own screens are shown,
    so a full-screen kiosk never shows the desktop in between."""
    app = create_application()

    def close_cover() -> None:
        nonlocal cover
        if cover is not None:
            cover.close()
            cover.deleteLater()
            cover = None

    errors.install()  # an error no screen caught is a message on the screen, not a silent traceback
    ctx = make_context(hall)
    ctx.follow_other_terminals()  # a display or clerk in another program still sees every call
    ctx.follow_the_day()
    contexts = [ctx]

    def context_for(screen: str) -> TerminalContext:
        if hall_for is None or screen == "kiosk":
            return ctx
        other = make_context(hall_for(screen))
        other.follow_the_day()
        contexts.append(other)
        return other

    # the PC's ports (terminal.toml, its registration, the hall's settings), opened again when the
    # console changes them. Simulators only on the demo or a kiosk tried with --simulators: there
    # a simulated card is laid on the reader every few seconds, so the ID step fills itself
    simulate = simulate and role in ("demo", "kiosk")
    devices = DeviceKeeper(ctx, role=role, file_devices=file_devices, simulate=simulate,
                           card_cycle=6.0 if simulate else None)
    opened: list[QWidget] = []
    try:
        if role in ("demo", "kiosk"):
            from ui.kiosk import KioskWindow

            kiosk = KioskWindow(ctx, orientation=orientation, lang=lang)
            devices.reopened_now.connect(kiosk.printer.poll)  # a reopened printer is asked at once
            kiosk.helper_called.connect(lambda screen: log.warning("帮办呼叫：%s", screen))
            opened.append(kiosk)
        if role in ("demo", "display"):
            from ui.display import HallDisplay

            opened.append(HallDisplay(context_for("display")))
        if role in ("demo", "clerk"):
            from ui.clerk import ClerkWorkbench

            # a window PC's own card reader fills the applicant (never a simulator: see above); the
            # demo's one simulated reader is the kiosk's and must not put a made-up person on a form
            opened.append(ClerkWorkbench(context_for("clerk"), window, card_reader=role == "clerk"))
        if role in ("demo", "evaluator"):
            from ui.evaluator import EvaluatorWindow

            opened.append(EvaluatorWindow(context_for("evaluator"), window))
        if role == "admin":
            from ui.admin import AdminConsole
            from ui.login import ManagerLogin

            close_cover()
            login = ManagerLogin(hall)
            # Ctrl+C or SIGTERM while it waits for the manager ends the program, as it does later
            if not exec_unless_stopped(login) or login.staff is None:
                return 0
            opened.append(AdminConsole(ctx, login.staff))
        if role == "demo":
            from ui.demo_desk import DemoDesk

            if hall_for is None:  # the demo on a local file, without a hall server
                from kiosk.seed import seed_demo_appointments

                seed_demo_appointments(hall)
            kiosk, display, workbench, evaluator = opened
            # the demo's clerk is already at window 1, so a newcomer can call the first ticket
            workbench.sign_in("clerk01", "demo-clerk01")  # type: ignore[attr-defined]
            desk = DemoDesk(kiosk, display, workbench, evaluator)
            opened.append(desk)
            screen = app.primaryScreen()
            if screen is not None:  # without a window manager "maximised" means nothing
                desk.setGeometry(screen.availableGeometry())
            desk.showMaximized()
        else:
            for w in opened:
                if windowed or role in ("clerk", "evaluator", "admin"):
                    w.show()
                else:
                    w.showFullScreen()
        close_cover()
        # what the first screen did without (sqlite-utils, for the reads after it) is imported
        # once the screen is up and idle, so the first citizen's tap does not pay for it
        QTimer.singleShot(WARM_UP_AFTER_MS, warm_up)
        return run_until_stopped(app)
    finally:
        close_cover()
        # what the screens started finishes (or is let go of) before the hall it uses is closed
        end_jobs()
        if role == "admin":  # stopped without its window closing (Ctrl+C): its manager signs out all the same
            for w in opened:
                w.sign_out()  # type: ignore[attr-defined]
        devices.stop()
        for c in contexts:
            c.close()
