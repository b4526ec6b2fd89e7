"""The answer ledger on byte sequences: frames encoded, fed through the parser, attributed.

No threads and no port: each test writes commands into the ledger as the driver
would, feeds the bytes a reader sends through a FrameParser, and checks which
written command each answer is credited to.
"""

from __future__ import annotations

import pytest

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.ledger import SILENT_BEEP, STATUS, AnswerLedger, Sent, probe_for

READ = fr.CMD_READ_BASIC
A, B = "request A", "request B"  # owners; the ledger compares them by identity


def answer(cmd: int, status: int = fr.ST_OK, payload: bytes = b"") -> bytes:
    return fr.encode_frame(cmd | fr.ANSWER_BIT, bytes([status]) + payload)


def damaged(frame: bytes) -> bytes:
    out = bytearray(frame)
    out[-2] ^= 0x5A  # the BCC
    return bytes(out)


class Reader:
    """The bytes a reader sends, parsed and credited as the driver's owner thread does."""

    def __init__(self, ledger: AnswerLedger) -> None:
        self.ledger = ledger
        self.parser = fr.FrameParser(accept_cmds=fr.HOST_ANSWER_CMDS)

    def says(self, data: bytes, *, pieces: int = 1) -> list[Sent | None]:
        credited: list[Sent | None] = []
        cut = max(1, len(data) // pieces)
        for start in range(0, len(data), cut):
            for item in self.parser.feed(data[start:start + cut]):
                if isinstance(item, fr.CorruptFrame):
                    credited.append(self.ledger.damaged(item.cmd))
                elif item.cmd not in fr.EVENTS:
                    credited.append(self.ledger.answered(item.cmd))
        return credited


@pytest.fixture
def ledger() -> AnswerLedger:
    ledger = AnswerLedger()
    ledger.new_port(reconnect=False)
    return ledger


def test_answers_in_order_are_credited_in_order(ledger: AnswerLedger) -> None:
    status = ledger.written(fr.CMD_STATUS, A)
    read = ledger.written(READ, A)
    beep = ledger.written(fr.CMD_BEEP, A)
    card = answer(READ, payload="张伟|".encode("gbk"))
    got = Reader(ledger).says(answer(fr.CMD_STATUS, payload=b"\x01") + card + answer(fr.CMD_BEEP),
                              pieces=7)
    assert got == [status, read, beep]
    assert len(ledger) == 0 and not ledger.owes(B)


def test_an_answer_takes_out_everything_written_before_it(ledger: AnswerLedger) -> None:
    lost_status = ledger.written(fr.CMD_STATUS, A)  # its answer never comes
    read = ledger.written(READ, A)
    assert Reader(ledger).says(answer(READ)) == [read]
    assert lost_status not in ledger.owed and len(ledger) == 0


def test_a_late_answer_of_an_earlier_attempt_is_never_the_next_commands(ledger: AnswerLedger) -> None:
    reader = Reader(ledger)
    first_try = ledger.written(READ, A)
    second_try = ledger.written(READ, A)  # A timed out and tried again
    # The answer to the first attempt arrives: A's, and the second one is still owed.
    assert reader.says(answer(READ, payload=b"card of patient 1")) == [first_try]
    assert ledger.owed == (second_try,)
    # B must not send READ straight away: the next READ answer would be A's.
    assert ledger.owes(B) and not ledger.owes(A)
    assert ledger.probe_for(READ) == STATUS
    probe = ledger.written(fr.CMD_STATUS, B, probe=True)
    # A's late answer (the card was swapped meanwhile), then B's probe answer, merged.
    got = reader.says(answer(READ, payload=b"card of patient 1, late")
                      + answer(fr.CMD_STATUS, payload=b"\x01"), pieces=3)
    assert got == [second_try, probe]
    assert got[0] is not None and got[0].owner is A  # dropped as late, not B's
    assert not ledger.owes(B)
    read = ledger.written(READ, B)
    assert reader.says(answer(READ, payload=b"card of patient 2")) == [read]


def test_probe_kinds() -> None:
    assert probe_for(READ, after_reconnect=False) == STATUS
    assert probe_for(fr.CMD_RESET, after_reconnect=False) == STATUS
    assert probe_for(fr.CMD_STATUS, after_reconnect=False) == SILENT_BEEP
    assert probe_for(READ, after_reconnect=True) == SILENT_BEEP
    assert probe_for(fr.CMD_STATUS, after_reconnect=True) == SILENT_BEEP
    assert probe_for(fr.CMD_BEEP, after_reconnect=True) == STATUS
    assert SILENT_BEEP == (fr.CMD_BEEP, b"\x00")


def test_status_after_an_unanswered_status_is_probed_with_a_silent_beep(ledger: AnswerLedger) -> None:
    reader = Reader(ledger)
    first = ledger.written(fr.CMD_STATUS, A)  # its answer is lost
    second = ledger.written(fr.CMD_STATUS, A)
    # The second attempt's answer: the ledger cannot tell, and credits the oldest.
    assert reader.says(answer(fr.CMD_STATUS, payload=b"\x01")) == [first]
    assert ledger.owed == (second,)
    assert ledger.owes(B) and ledger.probe_for(fr.CMD_STATUS) == SILENT_BEEP
    probe = ledger.written(fr.CMD_BEEP, B, probe=True)
    assert reader.says(answer(fr.CMD_BEEP)) == [probe]
    assert not ledger.owes(B)  # the beep's answer shows the second STATUS will never come


def test_damaged_answers_are_credited_to_the_oldest_when_the_codes_agree(ledger: AnswerLedger) -> None:
    reader = Reader(ledger)
    first, second = ledger.written(READ, A), ledger.written(READ, A)
    got = reader.says(damaged(answer(READ)) + damaged(answer(READ)))
    assert got == [first, second]
    third = ledger.written(READ, A)
    assert reader.says(answer(READ)) == [third]
    assert len(ledger) == 0 and not ledger.owes(B)  # every READ answered: no probe needed


def test_a_damaged_answer_of_another_kind_is_not_credited(ledger: AnswerLedger) -> None:
    status = ledger.written(fr.CMD_STATUS, A)
    read = ledger.written(READ, B)
    # Claims to answer READ while STATUS is the oldest: it could be noise, and READ's
    # real answer may still come. Nothing is credited.
    assert Reader(ledger).says(damaged(answer(READ))) == [None]
    assert ledger.owed == (status, read)


def test_after_a_reconnect_the_ledger_doubts_until_a_probe_is_answered(ledger: AnswerLedger) -> None:
    reader = Reader(ledger)
    ledger.written(READ, A)  # written before the unplug, never answered on that port
    ledger.new_port(reconnect=True)
    assert len(ledger) == 0 and ledger.doubt
    assert ledger.owes(B)  # even with nothing written on this port
    assert ledger.probe_for(READ) == SILENT_BEEP
    probe = ledger.written(fr.CMD_BEEP, B, probe=True)
    # A bridge hands over what the reader said before the reconnect: A's READ answer.
    # Nothing on this port asked for it.
    assert reader.says(answer(READ, payload=b"old card")) == [None]
    assert ledger.doubt
    # A damaged beep answer may be from before the reconnect too: still in doubt.
    assert reader.says(damaged(answer(fr.CMD_BEEP))) == [probe]
    assert ledger.doubt and ledger.owes(B)
    retry = ledger.written(fr.CMD_BEEP, B, probe=True)
    assert reader.says(answer(fr.CMD_BEEP)) == [retry]
    assert not ledger.doubt and not ledger.owes(B)
    read = ledger.written(READ, B)
    assert reader.says(answer(READ, payload=b"new card")) == [read]


def test_the_first_port_is_not_in_doubt() -> None:
    ledger = AnswerLedger()
    ledger.new_port(reconnect=False)
    assert not ledger.doubt and not ledger.owes(A)


def test_unsolicited_answers_and_events_are_credited_to_nothing(ledger: AnswerLedger) -> None:
    reader = Reader(ledger)
    assert reader.says(answer(READ)) == [None]  # nothing written at all
    status = ledger.written(fr.CMD_STATUS, A)
    assert reader.says(answer(fr.CMD_RESET)) == [None]  # a kind nobody asked for
    assert ledger.owed == (status,)
    # Card events are not answers, even handed to the ledger by mistake.
    assert ledger.answered(fr.EVT_CARD_INSERTED) is None
    assert ledger.owed == (status,)
    assert reader.says(b"\x00\xffnoise\x02\x03" + answer(fr.CMD_STATUS, payload=b"\x00")) == [status]
