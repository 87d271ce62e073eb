"""How fast the printing builders are: a ticket must not delay the kiosk, a receipt the clerk.

Figures: the ticket build (median of each round of 200, median and max over rounds; aim < 5 ms), the one-off font load,
and the receipt PDF once the font is loaded, built in turns with a floor document (a one-page
PDF with the same font and ten lines), median and max over rounds (aim < 50 ms).

    .venv/bin/python bench/print_bench.py
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.models import (  # noqa: E402
    Application,
    ApplicationState,
    HallInfo,
    MaterialCheck,
    MaterialStatus,
    PendingItem,
    PendingStatus,
    Priority,
    Ticket,
    TicketStatus,
)

HALL = HallInfo("330106", "杭州市西湖区民生服务中心", "杭州市西湖区文三路 100 号", "0571-88888888",
                "https://hall.example/track?ref={ref}")
NOW = dt.datetime(2026, 11, 25, 9, 3)
TICKET = Ticket(
    id=1, number="A001", day=NOW.date(), category="A", category_name="综合受理", matter_code="330106-A-001",
    matter_name="个体工商户设立登记", priority=Priority.GREEN, status=TicketStatus.WAITING, issued_at=NOW,
    arrival_at=NOW, ahead=12, est_wait_min=35, holder_name="张*",
)
NUMBER = "330106202611250001"
APPLICATION = Application(
    number=NUMBER, matter_code="330106-A-001", matter_name="个体工商户设立登记",
    department="西湖区市场监督管理局", state=ApplicationState.PENDING, applicant_name="张*",
    applicant_id_masked="330106********1234", phone="13812345678", received_at=NOW,
    accepted_at=NOW + dt.timedelta(minutes=20), promised_date=dt.date(2026, 11, 30), promised_provisional=False,
    clerk="wang", clerk_name="王晓燕", window=3, fee="不收费", delivery="pickup",
    materials=tuple(
        MaterialCheck(i, f"申请材料第{i}项（原件及复印件）", MaterialStatus.RECEIVED, form="原件", copies=1)
        for i in range(1, 9)
    ),
    pending=(PendingItem(1, NUMBER, 9, "食品经营许可相关说明", dt.date(2026, 11, 30), False, PendingStatus.OPEN),),
)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def floor_pdf() -> bytes:
    """The floor of any A4 document here: one page with the CJK font and a few lines, no layout."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from printing import pdf_layout

    fonts = pdf_layout.load_fonts()
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4)
    c.setFont(fonts.name, 12)
    for i in range(10):
        c.drawString(72, 760 - i * 18, f"受理回执 第{i}行 {NUMBER}")
    c.showPage()
    c.save()
    return buf.getvalue()


def main() -> int:
    rounds, per_round = 5, 10
    t0 = time.perf_counter()
    from printing.escpos_ticket import build_ticket
    from printing.profiles import PROFILES

    print(f"import ticket builder       {ms(time.perf_counter() - t0)}")
    ok = True
    for name in ("generic-80", "gbk-58-raster"):
        profile = PROFILES[name]
        build_ticket(TICKET, HALL, profile)  # warm up (the raster profile imports qrcode once)
        medians = []
        for _ in range(rounds):
            runs = []
            for _ in range(200):
                t = time.perf_counter()
                data = build_ticket(TICKET, HALL, profile)
                runs.append(time.perf_counter() - t)
            medians.append(statistics.median(runs))
            worst = max(runs)
        met = max(medians) < 0.005
        ok &= met
        print(f"ticket {name:<14}       median of rounds {ms(statistics.median(medians))}, max {ms(max(medians))}"
              f" (last round's slowest build {ms(worst)}; {len(data)} bytes; aim < 5 ms: {'met' if met else 'NOT met'})")

    t0 = time.perf_counter()
    from printing import pdf_layout
    from printing.pdf_receipt import build_receipt_pdf

    t1 = time.perf_counter()
    pdf_layout.load_fonts()
    t2 = time.perf_counter()
    print(f"import PDF builders         {ms(t1 - t0)}")
    print(f"font load + reportlab       {ms(t2 - t1)}  (once per process)")
    t = time.perf_counter()
    data = build_receipt_pdf(APPLICATION, HALL)
    print(f"first receipt               {ms(time.perf_counter() - t)}")
    floor_pdf()
    receipts, floors, round_medians = [], [], []
    for _ in range(rounds):  # the floor and the receipt take turns, build by build
        got = []
        for _ in range(per_round):
            t = time.perf_counter()
            floor_pdf()
            floors.append(time.perf_counter() - t)
            t = time.perf_counter()
            data = build_receipt_pdf(APPLICATION, HALL)
            got.append(time.perf_counter() - t)
        receipts += got
        round_medians.append(statistics.median(got))
    met = max(round_medians) < 0.050
    ok &= met
    print(f"floor (1-page PDF, CJK font, 10 lines) median {ms(statistics.median(floors))}  max {ms(max(floors))}")
    print(f"receipt PDF                 median {ms(statistics.median(receipts))}  max {ms(max(receipts))}"
          f"  (round medians {', '.join(f'{m * 1000:.1f}' for m in round_medians)} ms; {len(data):,} bytes,"
          f" {rounds} x {per_round} builds)")
    print(f"aim: receipt PDF < 50 ms in every round's median: {'met' if met else 'NOT met'}")
    print("all aims:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
