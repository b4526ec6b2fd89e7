"""The card record: GBK decoding and validation of READ_BASIC fields."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from cardreader_helpers import CARD

from terminal.devices.cardreader.errors import CardDataInvalid
from terminal.devices.cardreader.record import FIELD_NAMES, CardRecord


def test_payload_round_trip_and_json_keys() -> None:
    payload = CARD.to_payload()
    assert payload.endswith(b"|") and payload.count(b"|") >= 11
    assert CardRecord.from_payload(payload) == CARD
    assert list(CARD.to_json()) == [
        "region_code", "ssn", "card_no", "card_sn", "name", "atr", "version",
        "issue_date", "expiry_date", "terminal_no", "device_no",
    ]
    assert CardRecord.from_json(CARD.to_json()) == CARD


def test_gbk_trail_byte_that_looks_like_the_separator() -> None:
    # "東" in GBK is 96 7C: its trail byte is "|". Splitting bytes before decoding
    # would break the name in two.
    assert "東".encode("gbk")[1:] == b"|"
    card = replace(CARD, name="王東")
    assert CardRecord.from_payload(card.to_payload()).name == "王東"


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"|",
        "|".join(["x"] * 10).encode() + b"|",  # ten fields
        CARD.to_payload() + b"extra|",  # twelve fields
        CARD.to_payload()[:-1],  # no terminating '|'
        b"\xff\xfe" + CARD.to_payload(),  # not GBK
        CARD.to_payload().replace(b"20280101", b"20281301"),  # month 13
        CARD.to_payload().replace(CARD.card_sn.encode(), CARD.card_sn[:31].encode()),
        CARD.to_payload().replace(b"20180101", b"2018-01-01"),
        CARD.to_payload().replace(b"120000|", b"12000A|", 1),
        CARD.to_payload().replace(CARD.ssn.encode(), b"12345"),
        CARD.to_payload().replace(b"20280101", b"20170101"),  # expires before issued
        CARD.to_payload().replace("张伟".encode("gbk"), b"   "),  # blank name
    ],
)
def test_malformed_card_data_is_a_typed_error(payload: bytes) -> None:
    with pytest.raises(CardDataInvalid) as info:
        CardRecord.from_payload(payload)
    assert info.value.cashier_message.endswith(".")


def test_expiry_is_inclusive() -> None:
    assert not CARD.is_expired(dt.date(2028, 1, 1))
    assert CARD.is_expired(dt.date(2028, 1, 2))


def test_from_json_names_missing_keys() -> None:
    obj = CARD.to_json()
    del obj["atr"]
    with pytest.raises(CardDataInvalid, match="atr"):
        CardRecord.from_json(obj)
    assert len(FIELD_NAMES) == 11
