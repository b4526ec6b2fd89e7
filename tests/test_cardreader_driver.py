"""The card reader driver against a scripted port that checks the whole exchange.

Every port comes from the scripted_port fixture, which fails a test whose script
was not used up or whose writes differ from it.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from cardreader_helpers import CARD, answer, card_answer, kinds, request
from serial_helpers import ScriptedPort, Step

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.driver import CardReader, CardReaderEvent
from terminal.devices.cardreader.errors import (
    CardAuthFailed,
    CardDataInvalid,
    CardExpired,
    CardNotPresent,
    CardReadFailed,
    ReaderClosed,
    ReaderDisconnected,
    ReaderLinkGarbled,
    ReaderProtocolError,
    ReaderTimeout,
    ReaderUnusable,
)
from terminal.devices.device import DeviceState, EventLog
from terminal.devices.serial_link import serial_port_factory
from terminal.errors import BadInput, EnvironmentFault, TerminalError

READ = request(fr.CMD_READ_BASIC)
# Tests whose scripts answer at once use a generous answer timeout, so a busy
# machine never causes a retry the script does not expect; tests of timeouts
# pass SHORT.
FAST = {"answer_timeout_s": 1.0, "retries": 2, "reconnect_interval_s": 0.05}
SHORT = 0.2
TODAY = dt.date(2026, 1, 1)


MakeReader = Callable[..., CardReader]
MakePort = Callable[..., ScriptedPort]


@pytest.fixture
def make_reader() -> Iterator[MakeReader]:
    readers: list[CardReader] = []

    def make(port: object, **kwargs: object) -> CardReader:
        options = {**FAST, **kwargs}
        reader = CardReader(port, **options)  # type: ignore[arg-type]
        reader.start()
        readers.append(reader)
        return reader

    yield make
    for reader in readers:
        reader.close()


def test_read_card(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(Step(READ, [card_answer()]))
    reader = make_reader(port)
    assert reader.read_card(today=TODAY) == CARD
    port.assert_done()


def test_split_reads_and_noise_before_the_answer(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(Step(READ, [b"\x00\xff\x02\x02\x03\x10", card_answer()]), max_read=1)
    assert make_reader(port).read_card(today=TODAY) == CARD
    port.assert_done()


def test_bad_bcc_answer_is_discarded_and_the_command_retried(make_reader: MakeReader, scripted_port: MakePort) -> None:
    damaged = bytearray(card_answer())
    damaged[-2] ^= 0x5A
    port = scripted_port(Step(READ, [bytes(damaged)]), Step(READ, [card_answer()]))
    assert make_reader(port, answer_timeout_s=5.0).read_card(today=TODAY) == CARD
    port.assert_done()  # the retry went out at once, not after the 5 s timeout


def test_bad_frame_status_is_retried(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(
        Step(READ, [answer(fr.CMD_READ_BASIC, fr.ST_BAD_FRAME)]),
        Step(READ, [card_answer()]),
    )
    assert make_reader(port).read_card(today=TODAY) == CARD
    port.assert_done()


def test_silent_reader_is_a_timeout_after_the_retries(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(Step(READ), Step(READ), Step(READ))
    with pytest.raises(ReaderTimeout) as info:
        make_reader(port, answer_timeout_s=SHORT).read_card()
    assert isinstance(info.value, EnvironmentFault)
    assert "does not answer" in info.value.cashier_message
    port.assert_done()


def test_reader_sending_only_garbage_is_a_garbled_link(make_reader: MakeReader, scripted_port: MakePort) -> None:
    junk = bytes(range(0x04, 0x40))
    port = scripted_port(Step(READ, [junk]), Step(READ, [junk]), Step(READ, [junk]))
    with pytest.raises(ReaderLinkGarbled) as info:
        make_reader(port, answer_timeout_s=SHORT).read_card()
    assert "garbled" in info.value.cashier_message
    port.assert_done()


def test_damaged_answers_every_time_is_a_garbled_link(make_reader: MakeReader, scripted_port: MakePort) -> None:
    damaged = bytearray(card_answer())
    damaged[-2] ^= 1
    port = scripted_port(*[Step(READ, [bytes(damaged)])] * 3)
    with pytest.raises(ReaderLinkGarbled):
        make_reader(port).read_card()
    port.assert_done()


def test_event_in_the_middle_of_an_exchange(make_reader: MakeReader, scripted_port: MakePort) -> None:
    events: EventLog[CardReaderEvent] = EventLog()
    answer_bytes = card_answer()
    # The insert event and the first part of the answer arrive merged in one read,
    # the rest of the answer later: the event is delivered, the answer still matched.
    port = scripted_port(Step(READ, [fr.encode_frame(0x40) + answer_bytes[:10],
                                     (0.05, answer_bytes[10:])]))
    reader = make_reader(port, on_event=events)
    assert reader.read_card(today=TODAY) == CARD
    assert kinds(events.drain()) == ["connecting", "ready", "card-inserted"]
    assert reader.card_present is True
    port.assert_done()


@pytest.mark.parametrize(
    ("status", "error", "family"),
    [
        (fr.ST_NO_CARD, CardNotPresent, BadInput),
        (fr.ST_READ_ERROR, CardReadFailed, BadInput),
        (fr.ST_AUTH_FAILED, CardAuthFailed, BadInput),
        (fr.ST_UNKNOWN_COMMAND, ReaderProtocolError, EnvironmentFault),
        (0x7E, ReaderProtocolError, EnvironmentFault),
    ],
)
def test_status_bytes_map_to_typed_errors(
    make_reader: MakeReader, scripted_port: MakePort, status: int, error: type[TerminalError],
    family: type[TerminalError],
) -> None:
    port = scripted_port(Step(READ, [answer(fr.CMD_READ_BASIC, status)]))
    with pytest.raises(error) as info:
        make_reader(port).read_card()
    assert isinstance(info.value, family)
    message = info.value.cashier_message
    assert message.endswith(".") and "\n" not in message
    port.assert_done()


def test_no_card_message_tells_the_cashier_what_to_do(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(Step(READ, [answer(fr.CMD_READ_BASIC, fr.ST_NO_CARD)]))
    with pytest.raises(CardNotPresent) as info:
        make_reader(port).read_card()
    assert info.value.cashier_message == (
        "No card in the reader: insert the social security card chip first."
    )


def test_waits_for_an_insert_event_then_reads(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(
        Step(READ, [answer(fr.CMD_READ_BASIC, fr.ST_NO_CARD), (0.2, fr.encode_frame(0x40))]),
        Step(READ, [card_answer()]),
    )
    assert make_reader(port).read_card(wait_s=5.0, today=TODAY) == CARD
    port.assert_done()


@pytest.mark.parametrize(
    "payload",
    [b"\xff\xff\xff|", "|".join(["1"] * 10).encode() + b"|", CARD.to_payload() + b"x|"],
)
def test_undecodable_or_wrong_field_count_is_never_a_card(
    make_reader: MakeReader, scripted_port: MakePort, payload: bytes
) -> None:
    port = scripted_port(Step(READ, [answer(fr.CMD_READ_BASIC, fr.ST_OK, payload)]))
    with pytest.raises(CardDataInvalid):
        make_reader(port).read_card()
    port.assert_done()


def test_expired_card_is_refused_unless_allowed(make_reader: MakeReader, scripted_port: MakePort) -> None:
    old = replace(CARD, expiry_date="20230601", issue_date="20130601")
    port = scripted_port(Step(READ, [card_answer(old)]), Step(READ, [card_answer(old)]))
    reader = make_reader(port)
    with pytest.raises(CardExpired) as info:
        reader.read_card(today=TODAY)
    assert "expired on 2023-06-01" in info.value.cashier_message
    assert reader.read_card(today=TODAY, allow_expired=True) == old
    port.assert_done()


def test_status_beep_reset(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(
        Step(request(fr.CMD_STATUS), [answer(fr.CMD_STATUS, fr.ST_OK, b"\x01")]),
        Step(request(fr.CMD_BEEP, b"\x05"), [answer(fr.CMD_BEEP)]),
        Step(request(fr.CMD_RESET), [answer(fr.CMD_RESET)]),
        Step(request(fr.CMD_STATUS), [answer(fr.CMD_STATUS, fr.ST_OK, b"\x00")]),
    )
    reader = make_reader(port)
    assert reader.has_card() is True
    reader.beep(5)
    reader.reset()
    assert reader.has_card() is False
    port.assert_done()


def test_late_answer_of_a_retried_command_is_not_taken_for_the_next(
    make_reader: MakeReader, scripted_port: MakePort,
) -> None:
    other = replace(CARD, name="王芳", card_no="T10234577")
    third = replace(CARD, name="李秀英", card_no="T10234611")
    port = scripted_port(
        # Attempt 1 is answered late (0.3 s > 0.2 s timeout), during attempt 2.
        Step(READ, [(0.3, card_answer())]),
        # Attempt 2's answer (another card: it was swapped) comes later still, at 0.5 s.
        Step(READ, [(0.3, card_answer(other))]),
        # So the next read first probes with STATUS; the reader answers in order, so
        # the probe's answer comes after the late one, which is dropped...
        Step(request(fr.CMD_STATUS), [(0.25, answer(fr.CMD_STATUS, fr.ST_OK, b"\x01"))]),
        # ...and only then is READ_BASIC sent again, and its answer is the read's.
        Step(READ, [card_answer(third)]),
    )
    reader = make_reader(port, answer_timeout_s=SHORT)
    assert reader.read_card(today=TODAY) == CARD
    assert reader.read_card(today=TODAY) == third
    port.assert_done()


def test_commands_from_many_threads_are_serialised(make_reader: MakeReader, scripted_port: MakePort) -> None:
    status = request(fr.CMD_STATUS)
    port = scripted_port(*[Step(status, [answer(fr.CMD_STATUS, fr.ST_OK, b"\x01")])] * 8)
    reader = make_reader(port)
    results: list[bool] = []
    threads = [threading.Thread(target=lambda: results.append(reader.has_card())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert results == [True] * 8
    port.assert_done()


def test_port_missing_then_appearing(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(Step(READ, [card_answer()]))
    attempts = []

    def factory() -> ScriptedPort:
        attempts.append(1)
        if len(attempts) < 3:
            raise OSError(2, "No such file or directory: '/dev/ttyUSB0'")
        return port

    events: EventLog[CardReaderEvent] = EventLog()
    reader = make_reader(factory, on_event=events)
    assert reader.read_card(today=TODAY) == CARD
    # Two failed opens are one CONNECTING with the reason (the same both times).
    got = events.drain()
    assert kinds(got) == ["connecting", "connecting", "ready"]
    assert got[1].reason is not None and "cannot be used" in got[1].reason  # type: ignore[union-attr]
    port.assert_done()


def test_missing_port_is_a_typed_error(make_reader: MakeReader, scripted_port: MakePort) -> None:
    def factory() -> ScriptedPort:
        raise OSError(2, "No such file or directory: '/dev/ttyUSB9'")

    reader = make_reader(factory, port_label="/dev/ttyUSB9")
    with pytest.raises(ReaderDisconnected) as info:
        reader.wait_connected(5, fail_fast=True)
    assert "/dev/ttyUSB9" in (info.value.detail or "")
    assert info.value.cashier_message.startswith("The card reader is not connected")
    assert reader.state is DeviceState.CONNECTING
    with pytest.raises(ReaderDisconnected):
        reader.read_card()


def test_malformed_port_url_fails_for_good(make_reader: MakeReader) -> None:
    events: EventLog[CardReaderEvent] = EventLog()
    reader = make_reader(serial_port_factory("nosuchscheme://x"), on_event=events)
    with pytest.raises(ReaderUnusable) as info:
        reader.wait_connected(5)
    assert "not a port name or URL" in info.value.cashier_message
    assert kinds(events.drain()) == ["connecting", "failed"]
    with pytest.raises(ReaderUnusable):  # at once: the owner thread has stopped trying
        reader.read_card()
    assert not reader.running


def test_unplug_during_a_read_then_replug(make_reader: MakeReader, scripted_port: MakePort) -> None:
    first = scripted_port(Step(READ))
    second = scripted_port(
        # After a reconnect the first command is preceded by a silent beep: its
        # answer shows nothing said before the reconnect is still on its way.
        Step(request(fr.CMD_BEEP, b"\x00"), [answer(fr.CMD_BEEP)]),
        Step(READ, [card_answer()]),
    )
    ports = [first, second]
    events: EventLog[CardReaderEvent] = EventLog()
    reader = make_reader(lambda: ports.pop(0), answer_timeout_s=1.0, on_event=events)
    threading.Timer(0.1, first.unplug).start()
    assert reader.read_card(today=TODAY) == CARD
    assert kinds(events.drain()) == ["connecting", "ready", "lost", "ready"]
    first.assert_done()
    second.assert_done()


def test_close_fails_waiting_callers_and_stops_the_thread(scripted_port: MakePort) -> None:
    port = scripted_port(Step(READ))
    reader = CardReader(port, answer_timeout_s=30, retries=0)
    reader.start()
    errors: list[Exception] = []

    def call() -> None:
        try:
            reader.read_card()
        except Exception as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    deadline = time.monotonic() + 10
    while not port.writes:  # the READ is out and unanswered: now close
        assert time.monotonic() < deadline, "the read never went out"
        time.sleep(0.01)
    reader.close()
    caller.join(10)
    assert not caller.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], ReaderClosed)
    assert isinstance(errors[0], EnvironmentFault)
    assert not port.is_open and not reader.running
    assert reader.state is DeviceState.CLOSED
    with pytest.raises(ReaderClosed):
        reader.submit(fr.CMD_STATUS)


def test_status_after_an_unanswered_status_syncs_with_a_silent_beep(
    make_reader: MakeReader, scripted_port: MakePort,
) -> None:
    status = request(fr.CMD_STATUS)
    port = scripted_port(
        Step(status),  # lost
        Step(status, [answer(fr.CMD_STATUS, fr.ST_OK, b"\x01")]),
        # One STATUS is still owed: a zero-length beep proves it will never come.
        Step(request(fr.CMD_BEEP, b"\x00"), [answer(fr.CMD_BEEP)]),
        Step(status, [answer(fr.CMD_STATUS, fr.ST_OK, b"\x00")]),
    )
    reader = make_reader(port, answer_timeout_s=SHORT)
    assert reader.has_card() is True
    assert reader.has_card() is False
    port.assert_done()


def test_damaged_answers_are_credited_in_order(make_reader: MakeReader, scripted_port: MakePort) -> None:
    damaged = bytearray(card_answer())
    damaged[-2] ^= 0x21
    port = scripted_port(
        Step(READ, [bytes(damaged)]),
        Step(READ, [bytes(damaged)]),
        Step(READ, [card_answer()]),
        # Every READ was answered (two damaged, one good): nothing is owed, so the
        # next read goes out directly, without a probe.
        Step(READ, [card_answer()]),
    )
    reader = make_reader(port)
    assert reader.read_card(today=TODAY) == CARD
    assert reader.read_card(today=TODAY) == CARD
    port.assert_done()


def test_read_card_async(make_reader: MakeReader, scripted_port: MakePort) -> None:
    port = scripted_port(
        Step(READ, [card_answer()]),
        Step(READ, [answer(fr.CMD_READ_BASIC, fr.ST_NO_CARD)]),
    )
    reader = make_reader(port)
    assert reader.read_card_async(today=TODAY).result(timeout=5) == CARD
    with pytest.raises(CardNotPresent):
        reader.read_card_async().result(timeout=5)
    port.assert_done()
