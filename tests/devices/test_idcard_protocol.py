"""The reader's frames, fed as bytes: pinned to the literal frames of spec/devices.md."""

from __future__ import annotations

import pytest

from devices.idcard.protocol import (
    FIND_CARD,
    READ_APPENDED_ADDRESS,
    READ_TEXT_PHOTO,
    READ_WITH_FINGERPRINT,
    RESET_SAM,
    SAM_ID,
    SAM_STATUS,
    SELECT_CARD,
    SW3_MESSAGES,
    BadFrame,
    Frame,
    FrameDecoder,
    build_card_data,
    build_request,
    build_response,
    build_set_baud,
    parse_request,
    parse_response,
    split_card_data,
    sw3_message,
)

pytestmark = pytest.mark.timeout(10)

SPEC_REQUESTS = {
    RESET_SAM: "AA AA AA 96 69 00 03 10 FF EC",
    SAM_STATUS: "AA AA AA 96 69 00 03 11 FF ED",
    SAM_ID: "AA AA AA 96 69 00 03 12 FF EE",
    FIND_CARD: "AA AA AA 96 69 00 03 20 01 22",
    SELECT_CARD: "AA AA AA 96 69 00 03 20 02 21",
    READ_TEXT_PHOTO: "AA AA AA 96 69 00 03 30 01 32",
    READ_APPENDED_ADDRESS: "AA AA AA 96 69 00 03 30 03 30",
    READ_WITH_FINGERPRINT: "AA AA AA 96 69 00 03 30 10 23",
}
FOUND = bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")


@pytest.mark.parametrize(("command", "frame"), SPEC_REQUESTS.items(), ids=lambda v: str(v))
def test_request_frames_match_the_spec_byte_for_byte(command: tuple[int, int], frame: str) -> None:
    assert build_request(*command) == bytes.fromhex(frame)


def test_found_answer_matches_the_spec() -> None:
    assert build_response(0x9F, bytes(4)) == FOUND
    [frame] = FrameDecoder().feed(FOUND)
    assert parse_response(frame).sw3 == 0x9F


def test_read_answer_is_1295_bytes_with_length_0508() -> None:
    frame = build_response(0x90, build_card_data(bytes(256), bytes(1024)))
    assert len(frame) == 1295
    assert frame[5:7] == b"\x05\x08"


def test_baud_switch_request_carries_the_rate_parameter() -> None:
    assert build_set_baud(9600) == build_request(0x60, 0x04)
    assert build_set_baud(115200)[7:9] == b"\x60\x00"
    with pytest.raises(ValueError):
        build_set_baud(4800)


def test_decoder_skips_garbage_before_the_preamble_and_counts_it() -> None:
    decoder = FrameDecoder()
    [frame] = decoder.feed(b"\x00\xff\xaa\x96\x13" + FOUND)
    assert parse_response(frame).sw3 == 0x9F
    assert decoder.skipped == 5


def test_decoder_handles_a_preamble_that_starts_inside_garbage_aa_bytes() -> None:
    [frame] = FrameDecoder().feed(b"\xaa\xaa" + FOUND)
    assert isinstance(frame, Frame)


def test_decoder_joins_a_frame_split_across_every_byte() -> None:
    decoder = FrameDecoder()
    frame = build_response(0x90, bytes(range(8)))
    out = []
    for byte in frame:
        out += decoder.feed(bytes([byte]))
    assert [parse_response(f).data for f in out] == [bytes(range(8))]
    assert decoder.skipped == 0


def test_decoder_reports_a_checksum_error_and_then_reads_the_next_frame() -> None:
    bad = FOUND[:-1] + b"\x00"
    items = FrameDecoder().feed(bad + FOUND)
    assert isinstance(items[0], BadFrame) and items[0].expected == 0x97 and items[0].received == 0
    assert isinstance(items[1], Frame)


def test_decoder_resyncs_after_an_impossible_length() -> None:
    noise = b"\xaa\xaa\xaa\x96\x69\xff\xff"
    decoder = FrameDecoder()
    [frame] = decoder.feed(noise + FOUND)
    assert isinstance(frame, Frame)
    assert decoder.skipped == len(noise)


def test_decoder_waits_for_the_rest_of_a_frame() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(FOUND[:9]) == []
    assert decoder.pending == 9
    assert len(decoder.feed(FOUND[9:])) == 1


def test_requests_parse_back() -> None:
    [frame] = FrameDecoder().feed(build_request(*FIND_CARD))
    request = parse_request(frame)
    assert (request.cmd, request.para) == FIND_CARD


def test_card_data_splits_by_its_length_fields() -> None:
    text, photo = bytes(range(256)), bytes(1024)
    data = split_card_data(build_card_data(text, photo))
    assert (data.text, data.photo) == (text, photo)
    with_fp = split_card_data(build_card_data(text, photo, b""), with_fingerprint=True)
    assert with_fp.fingerprint == b""
    with pytest.raises(ValueError):
        split_card_data(build_card_data(text, photo)[:-1])


SPEC_FAILURE_CODES = [
    0x91,
    0x10,
    0x11,
    0x21,
    0x23,
    0x24,
    0x31,
    0x32,
    0x33,
    0x40,
    0x41,
    0x47,
    0x60,
    0x66,
    0x80,
    0x81,
]


def test_every_failure_code_of_the_spec_has_a_chinese_message() -> None:
    assert sorted(SW3_MESSAGES) == sorted(SPEC_FAILURE_CODES)
    for code in SPEC_FAILURE_CODES:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in sw3_message(code))


def test_an_unknown_status_code_still_gets_a_message() -> None:
    assert "7E" in sw3_message(0x7E)
