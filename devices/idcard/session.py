"""One open port to an ID card reader: send a request, collect its answer, raise clearly.

Kept apart from the polling thread so the diagnostics' one-shot read and the background
reader run the same find -> select -> read code.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import serial

from devices.idcard.card import IdCard
from devices.idcard.protocol import (
    BAUD_PARAMS,
    FIND_CARD,
    READ_TEXT_PHOTO,
    SELECT_CARD,
    SET_BAUD,
    SW_FOUND,
    SW_NO_CARD,
    SW_OK,
    BadFrame,
    FrameDecoder,
    Response,
    build_request,
    parse_response,
    split_card_data,
    sw3_message,
)
from devices.idcard.text import CardFormatError, parse_card_text
from devices.ports import read_some

BAUD_SWITCH_SETTLE = 0.005  # the spec: wait about 5 ms after a baud change


class ReaderError(Exception):
    """A reader problem with a message for staff; `kind` groups it for events."""

    kind = "error"

    def __init__(self, message: str, *, code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class ReaderTimeout(ReaderError):
    kind = "no_response"

    def __init__(self) -> None:
        super().__init__("读卡器无响应")


class ReaderGarbled(ReaderError):
    """Bytes came but no frame: line noise, a wrong baud rate, or a different device."""

    kind = "garbled"


class ReaderChecksumError(ReaderError):
    kind = "checksum"

    def __init__(self) -> None:
        super().__init__("读卡器数据校验错误（线路干扰或波特率不符），请重新放置证件")


class ReaderStatusError(ReaderError):
    """The reader answered with a failure SW3."""

    kind = "status"

    def __init__(self, code: int) -> None:
        super().__init__(sw3_message(code), code=code)


class CardUnreadable(ReaderError):
    """The reader answered 'success' but the text or lengths make no sense."""

    kind = "format"


class NoCard(ReaderError):
    kind = "no_card"

    def __init__(self) -> None:
        super().__init__(sw3_message(SW_NO_CARD), code=SW_NO_CARD)


class ReaderSession:
    """Request/answer exchanges on an open port. Port failures propagate as OSError."""

    def __init__(
        self,
        port: serial.SerialBase,
        *,
        response_timeout: float = 1.0,
        read_timeout: float = 3.0,
        on_noise: Callable[[int], None] | None = None,
    ) -> None:
        self.port = port
        self.response_timeout = response_timeout
        self.read_timeout = read_timeout  # the RF read of text + photo takes a real reader ~1 s
        self._on_noise = on_noise

    def exchange(self, cmd: int, para: int, timeout: float | None = None) -> Response:
        """Send one request and return its answer, whatever its SW3."""
        self.port.reset_input_buffer()  # a late answer to an earlier request is stale
        self.port.write(build_request(cmd, para))
        decoder = FrameDecoder()
        deadline = time.monotonic() + (timeout if timeout is not None else self.response_timeout)
        while True:
            for item in decoder.feed(read_some(self.port)):
                if isinstance(item, BadFrame):
                    raise ReaderChecksumError()
                if decoder.skipped and self._on_noise is not None:
                    self._on_noise(decoder.skipped)
                try:
                    return parse_response(item)
                except ValueError:
                    raise ReaderGarbled("读卡器应答格式错误") from None
            if time.monotonic() >= deadline:
                received = decoder.skipped + decoder.pending
                if received:
                    raise ReaderGarbled(f"读卡器应答无法识别（收到{received}字节无效数据）")
                raise ReaderTimeout()

    def find(self) -> bool:
        """True when a card is there (9F), False for 80 (none, or already read)."""
        answer = self.exchange(*FIND_CARD)
        if answer.sw3 == SW_FOUND:
            return True
        if answer.sw3 == SW_NO_CARD:
            return False
        raise ReaderStatusError(answer.sw3)

    def select(self) -> bytes:
        """The card's 8-byte serial, which tells one card from another."""
        answer = self.exchange(*SELECT_CARD)
        if answer.sw3 != SW_OK:
            raise ReaderStatusError(answer.sw3)
        if len(answer.data) < 8:
            raise CardUnreadable("选卡应答缺少卡序列号")
        return answer.data[:8]

    def read(self) -> IdCard:
        """Read text + photo of the selected card."""
        answer = self.exchange(*READ_TEXT_PHOTO, timeout=self.read_timeout)
        if answer.sw3 != SW_OK:
            raise ReaderStatusError(answer.sw3)
        try:
            data = split_card_data(answer.data)
            return parse_card_text(data.text, data.photo)
        except CardFormatError as exc:  # e.g. an impossible date: a misread, the citizen tries again
            raise CardUnreadable(f"{exc}，请重新放卡") from None
        except ValueError as exc:
            raise CardUnreadable(f"证件信息无法识别：{exc}，请重新放卡") from None

    def switch_baud(self, baud: int) -> None:
        """Tell the reader to change rate (command 0x60), wait 5 ms, follow it."""
        if baud not in BAUD_PARAMS:
            raise ValueError(f"读卡器不支持波特率 {baud}（可选 {sorted(BAUD_PARAMS)}）")
        if self.port.baudrate == baud:
            return
        answer = self.exchange(SET_BAUD, BAUD_PARAMS[baud])
        if answer.sw3 != SW_OK:
            raise ReaderStatusError(answer.sw3)
        time.sleep(BAUD_SWITCH_SETTLE)
        self.port.baudrate = baud

    def read_card_now(self) -> tuple[bytes, IdCard] | None:
        """find -> select -> read once; None when no card is there."""
        if not self.find():
            return None
        serial_no = self.select()
        return serial_no, self.read()
