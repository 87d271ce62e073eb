"""A citizen's whole visit through the real drivers and simulators on pseudo-terminals:
card read -> ticket printed -> called -> shown and announced -> accepted with 容缺 ->
receipt PDF -> rated at the counter."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from kiosk import open_hall  # noqa: E402
from kiosk.models import MaterialStatus, PrintState  # noqa: E402
from printing.escpos_decode import decode_job  # noqa: E402
from ui.app import create_application  # noqa: E402
from ui.terminal import connect_devices, make_context  # noqa: E402
from ui.worker import drain_jobs  # noqa: E402

MATTER = "330106-A-001"  # 个体工商户设立登记: 经营场所使用证明 may follow later (容缺)
WINDOW = 1


@pytest.fixture(params=["one_file", "hall_server"])
def screens_hall(request: pytest.FixtureRequest, tmp_path: Path):
    """(hall behind everything, hall for each screen): one local file shared by all four screens,
    or a hall server on loopback that each screen reaches with its own client and role token."""
    if request.param == "one_file":
        hall = open_hall(tmp_path / "hall.db", seed_demo=True)
        yield hall, lambda screen: hall
        hall.close()
        return
    from commands.demo_hall import DemoHall

    demo = DemoHall.start(tmp_path / "hall.db")
    try:
        yield demo.hall, demo.client
    finally:
        demo.stop()


def test_a_visit_from_the_card_reader_to_the_rating(qtbot, tmp_path: Path, screens_hall):
    from pypdf import PdfReader

    from ui.clerk import ClerkWorkbench
    from ui.display import HallDisplay
    from ui.evaluator import EvaluatorWindow
    from ui.kiosk import KioskWindow

    create_application()
    hall, hall_for = screens_hall
    ctx = make_context(hall_for("kiosk"))
    contexts = [ctx] + [make_context(hall_for(screen)) for screen in ("display", "clerk", "evaluator")]
    devices = connect_devices(ctx, simulate_missing=True)  # reader, printer, scanner simulators on ptys
    try:
        kiosk = KioskWindow(ctx, poll_printer=False)
        display = HallDisplay(contexts[1])
        workbench = ClerkWorkbench(contexts[2], WINDOW)
        evaluator = EvaluatorWindow(contexts[3], WINDOW)
        for w in (kiosk, display, workbench, evaluator):
            qtbot.addWidget(w)
            w.show()
        assert workbench.sign_in("clerk01", "demo-clerk01")

        # the citizen picks the matter, has the two key materials but not the premises proof
        # (the kiosk's own tests press these buttons one by one; here its actions stand in for them)
        kiosk.choose_category("A")
        kiosk.choose_matter(MATTER)
        for material_id in (1, 2):
            kiosk.tick(material_id, True)
        kiosk.to_identity()
        assert kiosk.current == "identity"

        # the ID card is laid on the simulated reader and read through the real driver
        devices.demo.idcard.place(0)  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: bool(kiosk.session.id_number), timeout=5000)
        card_id = kiosk.session.id_number
        ticket = kiosk.take_ticket()
        assert ticket is not None

        # the ticket's bytes reach the simulated printer over its pty
        printer = devices.demo.printer  # type: ignore[union-attr]
        qtbot.waitUntil(lambda: ticket.ref.encode() in printer.output(), timeout=5000)
        printed = decode_job(printer.output())
        assert ticket.number in printed.text and card_id not in printed.text
        qtbot.waitUntil(lambda: hall.get_ticket(ticket.id).print_state is PrintState.PRINTED, timeout=3000)

        # the clerk calls it; the display shows it and says it
        called = workbench.call_next()
        assert called is not None and called.id == ticket.id
        qtbot.waitUntil(lambda: display.last_announcement != "", timeout=3000)
        assert display.last_announcement == f"请 {ticket.number} 号 到 {WINDOW} 号窗口 办理"

        # the material check comes prefilled from the kiosk's ticks; the clerk marks what was not
        # brought as 缺, and accepts with 容缺 after reading the confirmation
        panel = workbench.acceptance
        for m in panel.table.unchecked():
            panel.table.set_status(m.id, MaterialStatus.MISSING)
        form = panel.applicant
        form.name.setText("张明远")
        form.id_number.setText(card_id)
        form.phone.setText("13857112345")
        assert panel.assessment.outcome == "accept_pending"
        qtbot.mouseClick(panel.undertaking, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.rongque_btn, Qt.MouseButton.LeftButton)
        with qtbot.waitSignal(panel.decided) as got:
            qtbot.mouseClick(panel.confirm_dialog.ok_btn, Qt.MouseButton.LeftButton)
        application = got.args[0]
        assert application.pending and application.ticket_ids == (ticket.id,)

        receipt = tmp_path / "receipt.pdf"
        workbench.save_pdf(receipt, "receipt")
        qtbot.waitUntil(lambda: receipt.exists() and receipt.stat().st_size > 1000, timeout=15000)
        text = "".join(p.extract_text() or "" for p in PdfReader(str(receipt)).pages)
        assert application.number in text and "经营场所使用证明" in text

        # service finishes; the evaluator at the counter asks, the citizen taps 非常满意
        qtbot.mouseClick(workbench.finish().ok_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: evaluator.state == "asking", timeout=3000)
        evaluator.rate(5)
        stored = hall.evaluation_for(ticket.id)
        assert stored is not None and stored.level == 5 and stored.window == WINDOW
    finally:
        drain_jobs()
        devices.stop()
        for c in contexts:
            c.close()
