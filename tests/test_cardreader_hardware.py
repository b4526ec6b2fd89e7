"""Real card reader tests: run only with `pytest --card-reader-port /dev/ttyUSB0`.

Put a valid social security card in the reader before running.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from terminal.devices.cardreader.driver import CardReader
from terminal.devices.cardreader.errors import CardExpired, CardNotPresent
from terminal.devices.cardreader.record import CardRecord
from terminal.devices.device import DeviceState
from terminal.devices.serial_link import serial_port_factory

pytestmark = pytest.mark.hardware


@pytest.fixture
def real_reader(card_reader_port: str) -> Iterator[CardReader]:
    reader = CardReader(serial_port_factory(card_reader_port))
    reader.start()
    reader.wait_connected(5, fail_fast=True)
    yield reader
    reader.close()


def test_real_reader_answers_status_and_beeps(real_reader: CardReader) -> None:
    assert real_reader.state is DeviceState.READY
    present = real_reader.has_card()
    assert isinstance(present, bool)
    assert real_reader.card_present is present
    # A read agrees with the STATUS answer: a card if one is in, "no card" if not.
    if present:
        try:
            assert isinstance(real_reader.read_card(allow_expired=True), CardRecord)
        except CardExpired:
            pytest.fail("allow_expired must not refuse an expired card")
    else:
        with pytest.raises(CardNotPresent):
            real_reader.read_card()
    real_reader.beep(1)


def test_real_reader_reads_the_inserted_card(real_reader: CardReader) -> None:
    if not real_reader.has_card():
        with pytest.raises(CardNotPresent):
            real_reader.read_card()
        pytest.skip("no card in the real reader")
    card = real_reader.read_card(allow_expired=True)
    assert isinstance(card, CardRecord)
    assert len(card.card_sn) == 32
    # A second read returns the same card: nothing stale or mixed up.
    assert real_reader.read_card(allow_expired=True) == card
