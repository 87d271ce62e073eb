"""`main.py print ...` end to end against a temporary hall: files written, refusals in one line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import main
from printing.escpos_decode import decode_job


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "hall.db"


def run(db: Path, *argv: str) -> int:
    return main.main(["--db", str(db), "print", *argv])


def test_print_ticket_by_ref_writes_decodable_escpos(db: Path, tmp_path: Path) -> None:
    from kiosk import open_hall

    hall = open_hall(db, seed_demo=True)
    ticket = hall.issue_ticket(matter_code=hall.matters()[0].code)
    out = tmp_path / "t.bin"
    assert run(db, "ticket", ticket.ref, "--out", str(out)) == 0
    job = decode_job(out.read_bytes(), "gb18030")
    assert ticket.number in job.lines
    assert job.qr_payloads == [hall.info().follow_payload(ticket.ref, ticket.follow_token)]


def test_print_ticket_by_id_with_a_gbk_raster_profile(db: Path, tmp_path: Path) -> None:
    from kiosk import open_hall

    hall = open_hall(db, seed_demo=True)
    ticket = hall.issue_ticket(matter_code=hall.matters()[0].code)
    out = tmp_path / "t.bin"
    assert run(db, "ticket", "--id", str(ticket.id), "--profile", "gbk-58-raster", "--out", str(out)) == 0
    job = decode_job(out.read_bytes(), "gbk")
    assert len(job.raster_images()) == 1


def test_unknown_ticket_is_one_chinese_line_and_exit_1(db: Path, tmp_path: Path, capsys) -> None:
    assert run(db, "ticket", "20200101-Z999", "--out", str(tmp_path / "t.bin")) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and err.count("\n") == 1
    assert not (tmp_path / "t.bin").exists()


def test_unknown_profile_lists_the_known_ones(db: Path, tmp_path: Path, capsys) -> None:
    assert run(db, "ticket", "A001", "--profile", "nope", "--out", str(tmp_path / "t.bin")) == 1
    assert "generic-80" in capsys.readouterr().err


def test_print_checklist_with_answers_writes_a_pdf(db: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from kiosk import open_hall

    matter = open_hall(db, seed_demo=True).matters()[0]
    out = tmp_path / "c.pdf"
    args = ["checklist", matter.code, "--out", str(out)]
    if matter.conditions:
        args += ["--answer", matter.conditions[0]]
    assert run(db, *args) == 0
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert matter.name in text.replace("\n", "")


def test_unknown_matter_is_refused_with_the_halls_message(db: Path, tmp_path: Path, capsys) -> None:
    assert run(db, "checklist", "NO-SUCH", "--out", str(tmp_path / "c.pdf")) == 1
    assert capsys.readouterr().err.startswith("错误：")


@pytest.mark.parametrize("document", ["receipt", "notice", "rongque"])
def test_unknown_application_or_notice_number_is_refused(db: Path, tmp_path: Path, capsys, document: str) -> None:
    assert run(db, document, "NO-SUCH-NUMBER", "--out", str(tmp_path / "x.pdf")) == 1
    assert capsys.readouterr().err.startswith("错误：")


def test_report_range_backwards_is_refused(db: Path, tmp_path: Path, capsys) -> None:
    code = run(db, "report", "--from", "2026-11-30", "--to", "2026-11-25", "--out", str(tmp_path / "r.pdf"))
    assert code == 1
    assert capsys.readouterr().err.startswith("错误：")


def test_test_page_needs_no_hall(tmp_path: Path) -> None:
    out = tmp_path / "p.bin"
    assert main.main(["print", "test-page", "--profile", "generic-58", "--out", str(out)]) == 0
    assert "配置：generic-58" in decode_job(out.read_bytes()).lines
