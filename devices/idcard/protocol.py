"""The ID card reader's serial frames (spec/devices.md), with no knowledge of ports.

Frame: preamble `AA AA AA 96 69`, a 2-byte big-endian length (bytes after it, checksum
included), the body (request: cmd, para; response: SW1 SW2 SW3 then data), and a checksum
that XORs every byte from the length to the last body byte. `FrameDecoder` takes bytes as
they come (garbage before the preamble, a frame split over many reads) and hands back whole
frames, or a `BadFrame` when the checksum does not match. Both the driver and the simulator
use it, and tests pin it to the literal frames of the spec.
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"

# Longest legal frame: read with fingerprint = SW 3 + lengths 6 + 256 + 1024 + 1024 + chk 1.
MAX_LENGTH = 0x0A00

# Commands as (cmd, para).
RESET_SAM = (0x10, 0xFF)
SAM_STATUS = (0x11, 0xFF)
SAM_ID = (0x12, 0xFF)
FIND_CARD = (0x20, 0x01)
SELECT_CARD = (0x20, 0x02)
READ_TEXT_PHOTO = (0x30, 0x01)
READ_APPENDED_ADDRESS = (0x30, 0x03)
READ_WITH_FINGERPRINT = (0x30, 0x10)
SET_BAUD = 0x60

# Parameter of command 0x60 for each rate (00 keeps the default 115200).
BAUD_PARAMS = {115200: 0x00, 57600: 0x01, 38400: 0x02, 19200: 0x03, 9600: 0x04}

SW_OK = 0x90
SW_FOUND = 0x9F
SW_NO_ITEM = 0x91
SW_NO_CARD = 0x80

TEXT_LENGTH = 256
PHOTO_LENGTH = 1024

# Every failure status of the spec's SW3 table, in words a clerk or citizen can act on.
SW3_MESSAGES: dict[int, str] = {
    0x91: "证件中没有该项信息",
    0x10: "读卡器收到的数据校验错误，请重新放置证件",
    0x11: "读卡器收到的数据长度错误，请重新放置证件",
    0x21: "读卡器不支持该命令或参数，请联系工作人员",
    0x23: "读卡器不允许此操作，请联系工作人员",
    0x24: "读卡器发生未知错误，请联系工作人员",
    0x31: "证件认证读卡器失败，请重新放置证件",
    0x32: "读卡器认证证件失败，请确认证件真实有效后重新放置",
    0x33: "证件信息校验失败，请重新放置证件",
    0x40: "无法识别的证件类型，请使用身份证、居住证或永居证",
    0x41: "读取证件失败，请重新放置证件",
    0x47: "读卡器取随机数失败，请重新放置证件",
    0x60: "读卡器安全模块自检失败，请联系工作人员",
    0x66: "读卡器安全模块未授权，请联系工作人员",
    0x80: "未找到证件，请将证件放在读卡区",
    0x81: "选取证件失败，请重新放置证件",
}


def sw3_message(code: int) -> str:
    """The Chinese message for a failure status; codes outside the table still get one."""
    return SW3_MESSAGES.get(code, f"读卡器返回未知状态码 {code:02X}，请联系工作人员")


def checksum(data: bytes) -> int:
    """XOR of all bytes (the caller passes length + body)."""
    value = 0
    for byte in data:
        value ^= byte
    return value


def build_frame(body: bytes) -> bytes:
    """Wrap a body (cmd+para, or SW+data) in preamble, length and checksum."""
    head = (len(body) + 1).to_bytes(2, "big") + body
    return PREAMBLE + head + bytes([checksum(head)])


def build_request(cmd: int, para: int) -> bytes:
    """A whole request frame, e.g. build_request(*FIND_CARD)."""
    return build_frame(bytes([cmd, para]))


def build_response(sw3: int, data: bytes = b"", *, sw1: int = 0, sw2: int = 0) -> bytes:
    """A whole response frame (the simulator's side)."""
    return build_frame(bytes([sw1, sw2, sw3]) + data)


def build_set_baud(baud: int) -> bytes:
    """Request switching the reader to `baud` (one of BAUD_PARAMS)."""
    try:
        para = BAUD_PARAMS[baud]
    except KeyError:
        raise ValueError(f"读卡器不支持波特率 {baud}（可选 {sorted(BAUD_PARAMS)}）") from None
    return build_request(SET_BAUD, para)


@dataclass(frozen=True)
class Frame:
    """A frame whose checksum matched; `body` is what lies between length and checksum."""

    body: bytes


@dataclass(frozen=True)
class BadFrame:
    """A frame whose checksum did not match; it is dropped whole."""

    body: bytes
    expected: int
    received: int


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    @property
    def ok(self) -> bool:
        return self.sw3 == SW_OK


def parse_request(frame: Frame) -> Request:
    if len(frame.body) < 2:
        raise ValueError("request frame shorter than cmd + para")
    return Request(frame.body[0], frame.body[1])


def parse_response(frame: Frame) -> Response:
    if len(frame.body) < 3:
        raise ValueError("response frame shorter than SW1 SW2 SW3")
    b = frame.body
    return Response(b[0], b[1], b[2], bytes(b[3:]))


class FrameDecoder:
    """Accumulates bytes and yields frames; `skipped` counts bytes that were not a frame.

    Garbage is dropped up to the next preamble. A length that is impossible (shorter than a
    status + checksum, or longer than MAX_LENGTH) means the preamble was noise: skip one byte
    and search again. A checksum mismatch drops the whole frame and reports a BadFrame.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.skipped = 0

    @property
    def pending(self) -> int:
        """Bytes held while waiting for the rest of a frame."""
        return len(self._buf)

    def clear(self) -> None:
        self._buf.clear()
        self.skipped = 0

    def feed(self, data: bytes) -> list[Frame | BadFrame]:
        self._buf += data
        out: list[Frame | BadFrame] = []
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                # Keep a tail that may be the start of a preamble split across reads.
                keep = _preamble_prefix_len(self._buf)
                drop = len(self._buf) - keep
                self.skipped += drop
                del self._buf[:drop]
                return out
            if start:
                self.skipped += start
                del self._buf[:start]
            if len(self._buf) < 7:
                return out
            length = int.from_bytes(self._buf[5:7], "big")
            if length < 3 or length > MAX_LENGTH:
                self.skipped += 1
                del self._buf[:1]
                continue
            end = 7 + length
            if len(self._buf) < end:
                return out
            body = bytes(self._buf[7 : end - 1])
            expected = checksum(self._buf[5 : end - 1])
            received = self._buf[end - 1]
            del self._buf[:end]
            out.append(Frame(body) if expected == received else BadFrame(body, expected, received))


def _preamble_prefix_len(buf: bytearray) -> int:
    """Length of the longest suffix of buf that is a proper prefix of PREAMBLE."""
    for n in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf.endswith(PREAMBLE[:n]):
            return n
    return 0


@dataclass(frozen=True)
class CardData:
    """The payload of a text+photo read, split into its parts."""

    text: bytes
    photo: bytes
    fingerprint: bytes = b""


def split_card_data(data: bytes, *, with_fingerprint: bool = False) -> CardData:
    """Split the data of a 0x30 01 (or 0x30 10) answer by its length fields.

    Raises ValueError if the lengths do not add up, which a checksum-valid frame from a
    confused reader can still do.
    """
    header = 6 if with_fingerprint else 4
    if len(data) < header:
        raise ValueError("读卡数据过短")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    fp_len = int.from_bytes(data[4:6], "big") if with_fingerprint else 0
    if len(data) != header + text_len + photo_len + fp_len:
        raise ValueError(f"读卡数据长度不符：{len(data)} 字节，应为 {header + text_len + photo_len + fp_len}")
    text = data[header : header + text_len]
    photo = data[header + text_len : header + text_len + photo_len]
    fingerprint = data[header + text_len + photo_len :]
    return CardData(bytes(text), bytes(photo), bytes(fingerprint))


def build_card_data(text: bytes, photo: bytes, fingerprint: bytes | None = None) -> bytes:
    """The data part of a read answer (the simulator's side)."""
    head = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
    if fingerprint is None:
        return head + text + photo
    return head + len(fingerprint).to_bytes(2, "big") + text + photo + fingerprint
