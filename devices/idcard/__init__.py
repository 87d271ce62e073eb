"""Resident ID card readers (SAM module on a serial port): protocol, card text, driver.

from devices.idcard import IdCardReader
reader = IdCardReader("/dev/ttyUSB0", on_event=hall_bridge)
reader.start()                 # CardRead / CardRejected / DeviceFault ... to the callback
card = IdCardReader(url).read_once(timeout=5)   # one-shot, for diagnostics
"""

from devices.idcard.card import CardType, IdCard, set_photo_decoder
from devices.idcard.checks import CardProblem, card_problem
from devices.idcard.reader import IdCardReader
from devices.idcard.records import card_from_dict, card_to_dict, load_cards
from devices.idcard.session import (
    CardUnreadable,
    NoCard,
    ReaderChecksumError,
    ReaderError,
    ReaderGarbled,
    ReaderStatusError,
    ReaderTimeout,
)
from devices.idcard.text import CardFormatError, encode_card_text, parse_card_text

__all__ = [
    "CardFormatError",
    "CardProblem",
    "CardType",
    "CardUnreadable",
    "IdCard",
    "IdCardReader",
    "NoCard",
    "ReaderChecksumError",
    "ReaderError",
    "ReaderGarbled",
    "ReaderStatusError",
    "ReaderTimeout",
    "card_from_dict",
    "card_problem",
    "card_to_dict",
    "encode_card_text",
    "load_cards",
    "parse_card_text",
    "set_photo_decoder",
]
