"""Offscreen pictures of the workbench, for reviews and the manual.

Drives the given hall through a real session (sign in, a ticket for 个体工商户设立登记 with
the premises proof not brought, a 容缺 acceptance), so pass a demo or throwaway hall.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk import idnumber
from kiosk.errors import HallError
from kiosk.models import MaterialStatus
from ui.context import TerminalContext

DEMO_ID_FIRST17 = "33010619850312004"
DEMO_ID = DEMO_ID_FIRST17 + idnumber.check_digit(DEMO_ID_FIRST17)


def _demo_login(hall) -> tuple[str, str]:
    from kiosk.seed import DEMO_HALL

    staff = json.loads(DEMO_HALL.read_text(encoding="utf-8")).get("staff", [])
    known = {s.login for s in hall.staff()}
    for s in staff:
        if s["role"] == "clerk" and s["login"] in known:
            return s["login"], s["password"]
    return "", ""


def _rongque_matter(hall) -> tuple[str, tuple[int, ...]]:
    """A matter with a 容缺 material, and the ids of every other needed material (ticked)."""
    for m in hall.matters():
        if any(x.rongque and x.required for x in m.materials):
            ticked = tuple(x.id for x in m.materials if x.required and not x.rongque and not x.shared)
            return m.code, ticked
    m = hall.matters()[0]
    return m.code, ()


def render_screenshots(ctx: TerminalContext, out_dir: Path, window: int = 3,
                       size: tuple[int, int] = (1366, 768)) -> list[Path]:
    """Signed out; a called ticket with the 容缺 verdict, before and after the undertaking is
    signed; the pending-items tab."""
    from PySide6.QtWidgets import QApplication

    from ui.app import create_application
    from ui.clerk.workbench import ClerkWorkbench

    create_application()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    hall = ctx.hall
    wb = ClerkWorkbench(ctx, window)
    wb.resize(*size)
    wb.show()
    paths: list[Path] = []
    tag = f"{size[0]}x{size[1]}"

    def shot(name: str, widget=None) -> None:  # noqa: ANN001 - the workbench or one of its dialogs
        from ui.worker import wait_for_jobs

        ctx.hall_events.drain_now()
        wait_for_jobs()  # a dialog's page preview is rendered in the pool
        for _ in range(3):  # its pages arrive, then are laid out
            QApplication.processEvents()
        target = widget or wb
        target.repaint()
        path = out_dir / f"clerk-{name}-{tag}.png"
        target.grab().save(str(path))
        paths.append(path)

    shot("signed-out")
    login, password = _demo_login(hall)
    if not wb.sign_in(login, password):
        _dispose(wb)
        return paths
    code, ticked = _rongque_matter(hall)
    try:
        hall.issue_ticket(matter_code=code, holder_name="张伟", holder_id=DEMO_ID, phone="13857112345",
                          ticked=ticked, priority="green")
    except HallError:
        pass
    wb.call_next()
    try:  # someone waiting behind, issued after the call so the policy cannot call them first
        hall.issue_ticket(matter_code=code)
    except HallError:
        pass
    wb.start()
    if wb.ticket is None or wb.ticket.matter_code != code:  # a busy hall called someone else first
        wb.acceptance.load_ticket(wb.ticket, draft={"matter_code": code, "answers": []})
    for m in hall.get_matter(code).materials:  # the same picture whatever was ticked
        if m.required:
            wb.acceptance.table.set_status(m.id, MaterialStatus.MISSING if m.rongque else MaterialStatus.RECEIVED)
    form = wb.acceptance.applicant
    form.fill_from_card("张伟", DEMO_ID)  # as the desk's card reader would: the number shown masked
    form.phone.setText("13857112345")
    wb.acceptance.matter.setFocus()
    shot("rongque-verdict")
    wb.acceptance.undertaking.setChecked(True)
    shot("rongque-signed")
    dialog = wb.acceptance.request("accept_pending")
    if dialog is not None:
        shot("confirm", dialog)
        dialog.printers.choose_saving()
        dialog.accept()
    else:
        wb.acceptance.accept(rongque=True)
    shot("decided")
    finish = wb.finish()
    if finish is not None:
        finish.accept()
    wb.tabs.setCurrentIndex(1)
    if wb.pending.table.rowCount():
        wb.pending.table.selectRow(0)  # the item the citizen has come back with
    shot("pending")
    _dispose(wb)
    return paths


def _dispose(widget) -> None:
    """Let queued worker results land, then delete the widget while Qt is still fully alive.

    Left to the garbage collector at interpreter exit, a closed window and the worker's signal
    objects could be torn down in the wrong order ("shared QObject was deleted directly").
    """
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from ui.worker import wait_for_jobs

    widget.close()
    wait_for_jobs()
    QApplication.processEvents()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
