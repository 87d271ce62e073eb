"""Tickets read back as a printer would: text in its encoding, the QR payload, the cut."""

from __future__ import annotations

import pytest
from printing_data import make_hall, make_ticket, make_url_hall

from kiosk.models import HallInfo, Priority, Ticket
from printing.escpos_decode import Command, decode, decode_job
from printing.escpos_ticket import (
    DEFAULT_NOTICE,
    MISSING_GLYPH,
    build_test_page,
    build_ticket,
    encode_text,
    qr_native,
    qr_raster,
)
from printing.profiles import PROFILES, PrinterProfile, get_profile

GB80 = PROFILES["generic-80"]
GBK58R = PROFILES["gbk-58-raster"]


# --- fixtures (see printing_data for why there is no conftest here) ---


@pytest.fixture
def hall() -> HallInfo:
    return make_hall()


@pytest.fixture
def ticket() -> Ticket:
    return make_ticket()


@pytest.fixture
def url_hall() -> HallInfo:
    return make_url_hall()


def test_ticket_reads_back_with_hall_number_matter_wait_time_and_notice(ticket: Ticket, hall: HallInfo) -> None:
    job = decode_job(build_ticket(ticket, hall, GB80), "gb18030")
    text = job.text
    assert hall.name in job.lines
    assert "A001" in job.lines
    assert "业务类别：综合受理" in job.lines
    assert "办理事项：个体工商户设立登记" in job.lines
    assert "您前面还有 3 人等候" in job.lines
    assert "预计等候约 24 分钟" in job.lines
    assert "取号时间：2026-11-25 09:03" in job.lines
    assert DEFAULT_NOTICE in text
    assert "20261125-A001" in text


def test_ticket_starts_with_init_and_two_byte_mode_then_prints_number_large(ticket: Ticket, hall: HallInfo) -> None:
    data = build_ticket(ticket, hall, GB80)
    assert data.startswith(b"\x1b@\x1c&")
    items = decode(data)
    number_at = items.index(next(i for i in items if getattr(i, "text", None) == "A001"))
    size = items[number_at - 1]
    assert isinstance(size, Command) and size.name == "size"
    assert size.args[0] >= 0x44  # at least 5x5: read from across the hall
    assert items[number_at + 2] == Command("size", (0,))  # back to normal at once


def test_ticket_qr_is_native_gs_k_with_the_spec_bytes(ticket: Ticket, url_hall: HallInfo) -> None:
    data = build_ticket(ticket, url_hall, GB80)
    payload = url_hall.follow_payload(ticket.ref, ticket.follow_token).encode()
    n = len(payload) + 3
    expected = (
        b"\x1d\x28\x6b\x04\x00\x31\x41\x32\x00"
        + b"\x1d\x28\x6b\x03\x00\x31\x43\x06"
        + b"\x1d\x28\x6b\x03\x00\x31\x45\x31"
        + b"\x1d\x28\x6b" + bytes([n % 256, n // 256]) + b"\x31\x50\x30" + payload
        + b"\x1d\x28\x6b\x03\x00\x31\x51\x30"
    )
    assert expected in data
    # a link with the unguessable token, never the sequential number
    assert decode_job(data).qr_payloads == ["https://hall.example/t/Qm9keS1Ub2tlbjEy"]
    assert "扫码查看排队进度" in decode_job(data).text


def test_native_qr_bytes_match_python_escpos(url_hall: HallInfo) -> None:
    """The library is the second witness for the hand-written GS ( k framing."""
    from escpos.printer import Dummy

    payload = url_hall.follow_payload("20261125-A001")
    d = Dummy()
    d.qr(payload, ec=1, size=6, native=True)
    assert qr_native(payload, module=6, level="M") == d.output


def test_ticket_qr_without_follow_url_carries_the_bare_ref_and_says_so(ticket: Ticket, hall: HallInfo) -> None:
    job = decode_job(build_ticket(ticket, hall, GB80))
    assert job.qr_payloads == ["20261125-A001"]
    assert "号票编号  20261125-A001" in job.text and "扫码查看" not in job.text


def test_ticket_with_native_qr_is_under_one_kilobyte(url_hall: HallInfo) -> None:
    long = make_ticket(matter_name="建设工程规划许可证核发（建筑类）及其变更、延续、补证" * 2, priority=Priority.GREEN)
    for name in ("generic-80", "generic-58", "gbk-80", "utf8-80"):
        assert len(build_ticket(long, url_hall, PROFILES[name])) < 1024, name


@pytest.mark.parametrize(("cut", "tail"), [("full", b"\x1d\x56\x00"), ("partial", b"\x1d\x56\x01")])
def test_ticket_ends_with_feed_then_the_profiles_cut(ticket: Ticket, hall: HallInfo, cut: str, tail: bytes) -> None:
    profile = PrinterProfile("t", cut=cut)  # type: ignore[arg-type]
    data = build_ticket(ticket, hall, profile)
    assert data.endswith(b"\x1b\x64\x04" + tail)
    assert decode_job(data).cut == cut


def test_ticket_for_a_printer_without_cutter_has_no_cut(ticket: Ticket, hall: HallInfo) -> None:
    assert decode_job(build_ticket(ticket, hall, GBK58R), "gbk").cut is None


def test_priority_label_printed_only_when_not_normal(hall: HallInfo) -> None:
    normal = decode_job(build_ticket(make_ticket(), hall, GB80)).text
    green = decode_job(build_ticket(make_ticket(priority=Priority.GREEN), hall, GB80)).text
    appt = decode_job(build_ticket(make_ticket(priority=Priority.APPOINTMENT), hall, GB80)).text
    assert "【" not in normal
    assert "【绿色通道】" in green
    assert "【预约】" in appt


def test_nobody_ahead_says_so_instead_of_zero_minutes(hall: HallInfo) -> None:
    text = decode_job(build_ticket(make_ticket(ahead=0, est_wait_min=0), hall, GB80)).text
    assert "您前面没有人等候" in text
    assert "0 分钟" not in text


def test_ticket_never_carries_a_full_id_number(hall: HallInfo) -> None:
    full = "33010619900307123X"
    t = make_ticket(holder_name="张三", matter_name=f"证明 {full}", holder_id_masked="330106********123X")
    data = build_ticket(t, hall, GB80)
    text = decode_job(data).text
    assert full.encode() not in data
    assert "330106********123X" in text
    assert "取号人：张*" in text


def test_control_characters_in_data_cannot_inject_printer_commands(hall: HallInfo) -> None:
    t = make_ticket(matter_name="登记\x1d\x56\x00\x1b@事项")
    job = decode_job(build_ticket(t, hall, GB80))
    assert "办理事项：登记V@事项" in job.lines  # the printable rest is harmless text
    assert len(job.commands("cut")) == 1
    assert len(job.commands("init")) == 1


def test_long_matter_name_wraps_within_the_paper_width(hall: HallInfo) -> None:
    t = make_ticket(matter_name="建设工程规划许可证核发（建筑类）及其变更、延续、补证")
    for profile in (GB80, PROFILES["generic-58"]):
        job = decode_job(build_ticket(t, hall, profile))
        assert all(dots <= profile.dots_per_line for dots, _ in job.line_dots())
        assert "补证" in job.text


#: Punctuation Unicode calls ambiguous-width (a terminal draws it narrow) but a GB printer in
#: two-byte mode prints full width: the lines that overflowed when it was counted as one column.
WIDE_PUNCTUATION_NAME = "“最多跑一次”·个体工商户（含·分支机构）设立——变更—注销…登记×3" + "·" * 30 + "—" * 10


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_printed_line_of_a_ticket_full_of_wide_punctuation_fits_the_paper(hall: HallInfo, name: str) -> None:
    profile = PROFILES[name]
    t = make_ticket(matter_name=WIDE_PUNCTUATION_NAME, holder_name="阿卜杜热合曼·买买提", priority=Priority.GREEN)
    job = decode_job(build_ticket(t, hall, profile), profile.encoding)
    widths = job.line_dots()
    too_wide = [(dots, line) for dots, line in widths if dots > profile.dots_per_line]
    assert too_wide == []
    # wrapped where the paper ends, not early: the matter's first line is filled to the last glyph
    first = next(dots for dots, line in widths if line.startswith("办理事项："))
    assert first > profile.dots_per_line - 24
    assert "".join(job.lines).count("·" * 30 + "—" * 10) == 1  # nothing lost at the breaks


def test_an_id_number_split_by_the_line_break_is_still_masked(hall: HallInfo) -> None:
    """Masking happens before wrapping: each half of a broken ID would not look like an ID."""
    full = "330106199003071234"
    for profile in (GB80, PROFILES["generic-58"]):
        for pad in range(profile.chars_per_line):
            t = make_ticket(matter_name="x" * pad + " " + full + " 证明")
            data = build_ticket(t, hall, profile)
            joined = "".join(decode_job(data, profile.encoding).lines)
            assert full not in joined and full[-8:].encode() not in data
            assert "330106********1234" in joined


@pytest.mark.parametrize("line", ["（1）", "·", "¥", "〇", "“”《》—"])
def test_punctuation_only_lines_go_as_gbk_two_byte_codes(line: str) -> None:
    """python-escpos sends these through Western code pages; we must not."""
    gbk = PROFILES["gbk-80"]
    data = encode_text(line, gbk)
    assert data.decode("gbk") == line.replace("¥", "￥")
    assert b"?" not in data
    expected = line.replace("¥", "￥")
    assert len(data) == sum(2 if ord(c) > 0x7F else 1 for c in expected)  # two bytes each, no Latin-1


def test_yen_sign_becomes_the_two_byte_fullwidth_form_on_gb_printers() -> None:
    assert encode_text("¥10", PROFILES["gbk-80"]) == "￥10".encode("gbk")
    assert encode_text("¥10", GB80) == b"\xa3\xa410"  # not the four-byte 81 30 84 36


def test_gbk_printer_gets_a_visible_substitute_for_extension_characters() -> None:
    data = encode_text("王䶮", PROFILES["gbk-80"])
    assert data.decode("gbk") == "王" + MISSING_GLYPH
    data = encode_text("𠮷野家", PROFILES["gbk-80"])
    assert data.decode("gbk") == MISSING_GLYPH + "野家"


def test_gb18030_printer_gets_extension_characters_as_four_byte_codes() -> None:
    assert encode_text("王䶮", GB80).decode("gb18030") == "王䶮"


def test_utf8_profile_sends_utf8_and_no_two_byte_mode(ticket: Ticket, hall: HallInfo) -> None:
    profile = PROFILES["utf8-80"]
    data = build_ticket(ticket, hall, profile)
    assert b"\x1c&" not in data
    assert data.startswith(b"\x1b@\x1c.")
    assert "业务类别：综合受理" in decode_job(data, "utf-8").lines


def test_gbk_ticket_decodes_strictly_as_gbk(hall: HallInfo) -> None:
    t = make_ticket(matter_name="补领（换领）证明·收费¥5", holder_name="𠮷*")
    job = decode_job(build_ticket(t, hall, PROFILES["gbk-80"]), "gbk")
    assert "办理事项：补领（换领）证明·收费￥5" in job.lines
    assert f"取号人：{MISSING_GLYPH}*" in job.lines


def test_raster_profile_sends_a_gs_v_0_image_that_scans_to_the_payload(ticket: Ticket, url_hall: HallInfo) -> None:
    import zxingcpp

    job = decode_job(build_ticket(ticket, url_hall, GBK58R), "gbk")
    assert job.qr_payloads == []
    (image,) = job.raster_images()
    assert image.width <= GBK58R.dots_per_line
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == url_hall.follow_payload(ticket.ref, ticket.follow_token)


def test_raster_qr_shrinks_modules_to_fit_narrow_paper() -> None:
    data = qr_raster("x" * 200, module=8, max_dots=384)
    width_bytes = data[4] | data[5] << 8
    assert width_bytes * 8 <= 384 + 7


def test_same_ticket_gives_the_same_bytes_so_a_failed_print_can_be_rebuilt(ticket: Ticket, hall: HallInfo) -> None:
    assert build_ticket(ticket, hall, GB80) == build_ticket(ticket, hall, GB80)


def test_custom_notice_line_replaces_the_default(ticket: Ticket, hall: HallInfo) -> None:
    text = decode_job(build_ticket(ticket, hall, GB80, notice="今日16:30停止取号")).text
    assert "今日16:30停止取号" in text and DEFAULT_NOTICE not in text


def test_test_page_shows_chinese_profile_native_qr_punctuation_and_cut() -> None:
    job = decode_job(build_test_page(), "gb18030")
    assert any("政务服务大厅" in line for line in job.lines)
    assert "配置：generic-80" in job.lines
    assert job.qr_payloads == ["ESC/POS TEST"]
    assert any(line.startswith("标点：（1）·￥") for line in job.lines)
    assert job.cut == "partial"


def test_test_page_for_raster_printer_also_prints_a_raster_qr() -> None:
    job = decode_job(build_test_page(GBK58R), "gbk")
    assert job.qr_payloads == ["ESC/POS TEST"]
    assert len(job.raster_images()) == 1
    assert "编码：gbk" in job.lines


def test_decoder_refuses_gb_text_sent_without_two_byte_mode() -> None:
    with pytest.raises(ValueError, match="FS &"):
        decode(b"\x1b@" + "中文".encode("gb18030"))


def test_decoder_refuses_unknown_and_truncated_commands() -> None:
    with pytest.raises(ValueError, match="unknown"):
        decode(b"\x1b@\x1b\x99")
    with pytest.raises(ValueError, match="short"):
        decode(b"\x1d(k\x10\x00\x31\x50\x30abc")


def test_unknown_profile_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="generic-80"):
        get_profile("epson-9000")


def test_profile_refuses_paper_width_it_cannot_lay_out() -> None:
    with pytest.raises(ValueError):
        PrinterProfile("odd", paper_mm=72)
