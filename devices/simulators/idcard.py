"""A simulated ID card reader on a pty, serving cards from a JSON file.

It speaks the frames of spec/devices.md: reset/status/id of the SAM, find, select, read
text+photo (and with fingerprint), appended address, and the 0x60 baud switch (answered at
the old rate, then paced at the new one). Like the real reader, find answers 80 after a
good read until the card is lifted and laid down again (`place()`), unless
`refind_after_read` models a reader that keeps answering 9F.

`fault` makes it misbehave, switchable at runtime with `set_fault()`:
- an SW3 code from the spec's table ("41", "0x41" or 0x41): 80 answers find, 81 answers
  select, every other code answers the read;
- "checksum": every answer carries a wrong checksum;
- "garbage": noise bytes before every answer;
- "split": every answer arrives in three pieces 30 ms apart;
- "silent": no answer at all;
- "unplug": the port disappears (EIO) until the fault is changed again.
"""

from __future__ import annotations

import itertools
import time

from devices.idcard.card import IdCard
from devices.idcard.protocol import (
    BAUD_PARAMS,
    FIND_CARD,
    READ_APPENDED_ADDRESS,
    READ_TEXT_PHOTO,
    READ_WITH_FINGERPRINT,
    RESET_SAM,
    SAM_ID,
    SAM_STATUS,
    SELECT_CARD,
    SET_BAUD,
    SW3_MESSAGES,
    SW_FOUND,
    SW_NO_CARD,
    SW_NO_ITEM,
    SW_OK,
    BadFrame,
    FrameDecoder,
    Request,
    build_card_data,
    build_response,
    parse_request,
)
from devices.idcard.records import card_serial
from devices.idcard.text import encode_card_text
from devices.simulators.base import PtySimulator

BEHAVIOUR_FAULTS = ("checksum", "garbage", "split", "silent", "unplug")
SW3_FAULTS = tuple(f"{code:02X}" for code in SW3_MESSAGES)
FAULTS = SW3_FAULTS + BEHAVIOUR_FAULTS

GARBAGE = bytes([0x00, 0x13, 0xFE, 0x55, 0x96, 0x69, 0xAA, 0x7F, 0xAA, 0xAA])
SPLIT_PIECES = 3
SPLIT_GAP = 0.03
SAM_ID_DATA = (
    (5).to_bytes(2, "little")
    + (1).to_bytes(2, "little")
    + (20260101).to_bytes(4, "little")
    + (330100001).to_bytes(4, "little")
    + (1234567).to_bytes(4, "little")
)


def normalise_fault(fault: str | int | None) -> str | None:
    """'41', '0x41', 0x41 -> '41'; names stay; None/'' -> None. Unknown faults raise."""
    if fault is None or fault == "" or fault == "none":
        return None
    if isinstance(fault, int):
        text = f"{fault:02X}"
    else:
        text = fault.strip()
        if text.lower() in BEHAVIOUR_FAULTS:
            return text.lower()
        text = text.upper().removeprefix("0X").zfill(2)
    if text not in SW3_FAULTS:
        raise ValueError(f"未知故障：{fault!r}（可选 {', '.join(FAULTS)}）")
    return text


class IdCardSimulator(PtySimulator):
    name = "idcard"

    def __init__(
        self,
        cards: list[IdCard] | None = None,
        *,
        baud: int = 115200,
        fault: str | int | None = None,
        link: str | None = None,
        refind_after_read: bool = False,
        auto_cycle: float | None = None,
    ) -> None:
        super().__init__(baud=baud, link=link)
        self.initial_baud = baud
        self.cards = list(cards or [])
        self.refind_after_read = refind_after_read
        self.auto_cycle = auto_cycle
        self._fault = normalise_fault(fault)
        self._decoder = FrameDecoder()
        self._card: IdCard | None = None
        self._serial = b""
        self._armed = False  # find answers 9F
        self._cycle = itertools.cycle(range(len(self.cards))) if self.cards else None
        self._next_place_at: float | None = None
        self.reads = 0  # successful text+photo reads
        self.requests: list[Request] = []
        if auto_cycle is not None and self._cycle is not None:
            self._next_place_at = 0.0

    # -- control (any thread) --------------------------------------------------------

    def start(self) -> str:
        port = super().start()
        if self._fault == "unplug":
            self.call(self._unplug)  # starts with the cable pulled
        return port

    @property
    def fault(self) -> str | None:
        return self._fault

    def set_fault(self, fault: str | int | None) -> None:
        """Switch the fault at runtime; leaving "unplug" plugs the port back in."""
        new = normalise_fault(fault)

        def apply() -> None:
            old, self._fault = self._fault, new
            if new == "unplug" and old != "unplug":
                self._unplug()
            elif old == "unplug" and new != "unplug":
                self._plug()

        self.call(apply)

    def place(self, card: IdCard | int, serial: bytes | None = None) -> None:
        """Lay a card (or cards[index]) on the reader; it can be read once."""
        chosen = self.cards[card] if isinstance(card, int) else card

        def apply() -> None:
            self._card = chosen
            self._serial = serial if serial is not None else card_serial(chosen)
            self._armed = True

        self.call(apply)

    def lift(self) -> None:
        """Take the card away."""

        def apply() -> None:
            self._card = None
            self._armed = False

        self.call(apply)

    @property
    def card(self) -> IdCard | None:
        return self._card

    # -- the protocol (simulator thread) ---------------------------------------------

    def on_plug(self) -> None:
        self.baud = self.initial_baud  # power-on default
        self._decoder.clear()

    def tick(self, now: float) -> None:
        if self._next_place_at is not None and now >= self._next_place_at and self._cycle is not None:
            self._next_place_at = None
            self._card = self.cards[next(self._cycle)]
            self._serial = card_serial(self._card)
            self._armed = True

    def on_bytes(self, data: bytes, received_at: float) -> None:
        for item in self._decoder.feed(data):
            if isinstance(item, BadFrame):
                self._answer(0x10, not_before=received_at)
                continue
            try:
                request = parse_request(item)
            except ValueError:
                self._answer(0x11, not_before=received_at)
                continue
            self.requests.append(request)
            self._handle(request, received_at)

    def _handle(self, request: Request, at: float) -> None:
        command = (request.cmd, request.para)
        fault = self._fault
        code = int(fault, 16) if fault in SW3_FAULTS else None
        if command in (RESET_SAM, SAM_STATUS):
            self._answer(SW_OK, not_before=at)
        elif command == SAM_ID:
            self._answer(SW_OK, SAM_ID_DATA, not_before=at)
        elif command == FIND_CARD:
            if code == SW_NO_CARD:
                self._answer(SW_NO_CARD, not_before=at)
            elif self._card is not None and self._armed:
                self._answer(SW_FOUND, bytes(4), not_before=at)
            else:
                self._answer(SW_NO_CARD, not_before=at)
        elif command == SELECT_CARD:
            if code == 0x81 or self._card is None:
                self._answer(0x81, not_before=at)
            else:
                self._answer(SW_OK, self._serial, not_before=at)
        elif command in (READ_TEXT_PHOTO, READ_WITH_FINGERPRINT):
            if code is not None and code not in (SW_NO_CARD, 0x81):
                self._answer(code, not_before=at)
            elif self._card is None:
                self._answer(0x41, not_before=at)
            else:
                fingerprint = b"" if command == READ_WITH_FINGERPRINT else None
                data = build_card_data(encode_card_text(self._card), self._card.photo, fingerprint)
                self._answer(SW_OK, data, not_before=at)
                self.reads += 1
                if not self.refind_after_read:
                    self._armed = False
                if self.auto_cycle is not None:
                    self._next_place_at = time.monotonic() + self.auto_cycle
        elif command == READ_APPENDED_ADDRESS:
            self._answer(SW_NO_ITEM, not_before=at)
        elif request.cmd == SET_BAUD:
            rates = {para: baud for baud, para in BAUD_PARAMS.items()}
            if request.para not in rates:
                self._answer(0x21, not_before=at)
            else:
                self._answer(SW_OK, not_before=at)
                self.baud = rates[request.para]
        else:
            self._answer(0x21, not_before=at)

    def _answer(self, sw3: int, data: bytes = b"", *, not_before: float) -> None:
        fault = self._fault
        if fault == "silent":
            return
        frame = build_response(sw3, data)
        if fault == "checksum":
            frame = frame[:-1] + bytes([frame[-1] ^ 0xFF])
        if fault == "garbage":
            frame = GARBAGE + frame
        if fault == "split":
            self.send(frame, not_before=not_before, pieces=SPLIT_PIECES, gap=SPLIT_GAP)
        else:
            self.send(frame, not_before=not_before)
