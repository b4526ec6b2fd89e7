"""Helpers of the card reader tests: answer builders and event words (the scripted port is
in serial_helpers)."""

from __future__ import annotations

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.driver import CardInserted, CardRemoved
from terminal.devices.cardreader.record import CardRecord
from terminal.devices.device import StateChanged

CARD = CardRecord(
    region_code="120000",
    ssn="120101198204171019",
    card_no="T10234560",
    card_sn="120000D1560000056751A11794535D05",
    name="张伟",
    atr="3B6D000080318065B0872701BC2D7A61AC9000",
    version="3.00",
    issue_date="20180101",
    expiry_date="20280101",
    terminal_no="120101000001",
    device_no="CR00001000",
)


def request(cmd: int, data: bytes = b"") -> bytes:
    return fr.encode_frame(cmd, data)


def answer(cmd: int, status: int = fr.ST_OK, payload: bytes = b"") -> bytes:
    return fr.encode_frame(cmd | fr.ANSWER_BIT, bytes([status]) + payload)


def card_answer(card: CardRecord = CARD) -> bytes:
    return answer(fr.CMD_READ_BASIC, fr.ST_OK, card.to_payload())


def kinds(events: list[object]) -> list[str]:
    """Events as words: the state of a StateChanged, card-inserted, card-removed."""
    words = []
    for event in events:
        if isinstance(event, StateChanged):
            words.append(event.state.value)
        elif isinstance(event, CardInserted):
            words.append("card-inserted")
        elif isinstance(event, CardRemoved):
            words.append("card-removed")
        else:
            raise AssertionError(f"not a card reader event: {event!r}")
    return words
