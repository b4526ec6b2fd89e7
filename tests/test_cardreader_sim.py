"""The real driver against the simulated reader over a real pty, fault by fault."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial
from cardreader_helpers import kinds

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.driver import CardInserted, CardReader, CardReaderEvent, CardRemoved
from terminal.devices.cardreader.errors import (
    CardDataInvalid,
    CardExpired,
    CardNotPresent,
    CardReadFailed,
    ReaderLinkGarbled,
    ReaderTimeout,
)
from terminal.devices.cardreader.record import CardRecord
from terminal.devices.device import EventLog
from terminal.devices.serial_link import serial_port_factory
from terminal.errors import TerminalError
from terminal.sim.card_reader import CardReaderSim
from terminal.sim.card_reader_cards import SimCard, default_cards_path, load_cards
from terminal.sim.card_reader_faults import Faults
from terminal.sim.pty_link import PtyLink

CARDS = load_cards(default_cards_path())
FIRST = CardRecord.from_payload(CARDS[0].payload)
SECOND = CardRecord.from_payload(CARDS[1].payload)


class Bench:
    """A simulator on a pty at tmp_path/reader and drivers connected to it."""

    def __init__(self, tmp_path: Path) -> None:
        self.link = tmp_path / "reader"
        self.sims: list[CardReaderSim] = []
        self.readers: list[CardReader] = []
        self.events: EventLog[CardReaderEvent] = EventLog()  # of the last reader made

    def sim(self, faults: str = "", *, cards: list[SimCard] | None = None,
            inserted: int | None = 1, pace: bool = False, seed: int = 7) -> CardReaderSim:
        sim = CardReaderSim(self.link, cards or CARDS, faults=Faults.parse(faults), seed=seed,
                            pace=pace, inserted=inserted).start()
        self.sims.append(sim)
        return sim

    def reader(self, **options: float) -> CardReader:
        # A generous answer timeout by default: a busy test machine must not turn a
        # slow thread into a fault. Tests of timeouts pass a short one.
        settings = {"answer_timeout_s": 2.0, "retries": 2, "reconnect_interval_s": 0.05, **options}
        self.events = EventLog()
        reader = CardReader(serial_port_factory(str(self.link)), on_event=self.events, **settings)  # type: ignore[arg-type]
        reader.start()
        reader.wait_connected(5)
        self.readers.append(reader)
        return reader

    def close(self) -> None:
        for reader in self.readers:
            reader.close()
        for sim in self.sims:
            sim.stop()


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    b = Bench(tmp_path)
    yield b
    b.close()
    assert not b.link.exists(), "the simulator left its link behind"


def read_many(reader: CardReader, n: int, expected: CardRecord = FIRST) -> list[str]:
    """n reads; each must be the right card or a typed error (its class name)."""
    outcomes = []
    for _ in range(n):
        try:
            card = reader.read_card()
        except TerminalError as exc:
            assert exc.cashier_message.endswith(".")
            outcomes.append(type(exc).__name__)
        else:
            assert card == expected, "a wrong card came out"
            outcomes.append("card")
    return outcomes


def wait_for_reconnect(events: EventLog[CardReaderEvent], timeout_s: float = 10) -> list[str]:
    """Event words (cardreader_helpers.kinds) up to the first "ready" after a "lost", a
    word repeated (a state with another reason) counted once; fails if it never comes."""
    seen: list[str] = []
    while (event := events.next(timeout_s)) is not None:
        word = kinds([event])[0]
        if not seen or seen[-1] != word:
            seen.append(word)
        if word == "ready" and "lost" in seen:
            return seen
    raise AssertionError(f"the reader did not come back, only {seen}")


def test_reads_the_inserted_card_at_9600_baud(bench: Bench) -> None:
    bench.sim(pace=True)
    reader = bench.reader()
    assert reader.read_card() == FIRST
    assert reader.has_card() is True
    reader.beep(2)
    reader.reset()


def test_insert_remove_and_waiting_for_a_card(bench: Bench) -> None:
    sim = bench.sim(inserted=None)
    reader = bench.reader()
    with pytest.raises(CardNotPresent):
        reader.read_card()
    got: list[CardRecord] = []
    waiter = threading.Thread(target=lambda: got.append(reader.read_card(wait_s=5)))
    waiter.start()
    threading.Timer(0.3, sim.insert, args=(2,)).start()
    waiter.join(10)
    assert got == [SECOND]
    assert bench.events.next(10, CardInserted) is not None
    assert sim.remove() == "ok removed"
    assert bench.events.next(10, CardRemoved) is not None
    assert reader.card_present is False
    assert reader.has_card() is False


def test_expired_card_is_refused(bench: Bench) -> None:
    sim = bench.sim()
    reader = bench.reader()
    assert sim.insert(len(CARDS)).startswith("ok inserted")
    with pytest.raises(CardExpired):
        reader.read_card()


def test_cards_the_reader_cannot_read_or_that_hold_bad_data(bench: Bench, tmp_path: Path) -> None:
    path = tmp_path / "cards.json"
    path.write_text(json.dumps([
        {**FIRST.to_json(), "status": "read-error"},
        {"name": "bad gbk", "raw_hex": "ffff7c"},
        {"name": "ten fields", "raw_hex": ("31" + "7c") * 10},
    ]), encoding="utf-8")
    sim = bench.sim(cards=load_cards(path))
    reader = bench.reader()
    with pytest.raises(CardReadFailed):
        reader.read_card()
    for number in (2, 3):
        sim.insert(number)
        with pytest.raises(CardDataInvalid):
            reader.read_card()


# One test per fault kind: the right card or a typed error, never a wrong card,
# never a hang (every driver wait is bounded; a hang would fail the run).

def test_fault_noise(bench: Bench) -> None:
    bench.sim("noise=1:16")
    assert read_many(bench.reader(), 10) == ["card"] * 10


def test_fault_bad_bcc_sometimes(bench: Bench) -> None:
    sim = bench.sim("bad-bcc=0.5")
    outcomes = read_many(bench.reader(), 15)
    # Seed 7 starts with nine damaged answers in a row: three reads fail, then cards.
    assert "card" in outcomes and "ReaderLinkGarbled" in outcomes
    assert sim.answers_sent > 15


def test_fault_bad_bcc_always(bench: Bench) -> None:
    bench.sim("bad-bcc=1")
    with pytest.raises(ReaderLinkGarbled):
        bench.reader().read_card()


def test_fault_split(bench: Bench) -> None:
    bench.sim("split")
    assert read_many(bench.reader(), 10) == ["card"] * 10


def test_fault_dropped_answers(bench: Bench) -> None:
    bench.sim("drop=0.5")
    outcomes = read_many(bench.reader(answer_timeout_s=0.2), 5)
    assert set(outcomes) <= {"card", "ReaderTimeout"}
    assert "card" in outcomes  # the retries get through: not every read may fail


def test_fault_reader_never_answers(bench: Bench) -> None:
    bench.sim("drop=1")
    with pytest.raises(ReaderTimeout):
        bench.reader(answer_timeout_s=0.2).read_card()


def test_fault_slow_answers_within_the_timeout(bench: Bench) -> None:
    bench.sim("slow=1:300ms")
    assert read_many(bench.reader(answer_timeout_s=1.0), 3) == ["card"] * 3


def test_fault_slow_answers_beyond_the_timeout(bench: Bench) -> None:
    bench.sim("slow=1:700ms")
    # Attempt 1's answer arrives during attempt 2 and is accepted; the late answers
    # that follow are drained, never taken for the next read (which may run out of
    # time behind them: a typed error, never a wrong card).
    outcomes = read_many(bench.reader(answer_timeout_s=0.5), 3)
    assert outcomes[0] == "card"
    assert set(outcomes) <= {"card", "ReaderTimeout"}


def test_fault_slow_answers_while_cards_are_swapped(bench: Bench) -> None:
    # Answers later than the timeout, and a different card before every read: a
    # late answer about the previous card must never be taken for the new one.
    sim = bench.sim("slow=0.5:400ms", seed=2)
    reader = bench.reader(answer_timeout_s=0.15)
    records = [CardRecord.from_payload(card.payload) for card in CARDS]
    right = 0
    for n in range(8):
        number = 3 if n % 2 else 10
        sim.insert(number)
        try:
            card = reader.read_card()
        except TerminalError:
            continue
        assert card == records[number - 1], f"read {n}: got {card.name}"
        right += 1
    assert right >= 1, "no read got through: the test would pass on a dead driver"


def test_fault_unplugs_under_slow_answers_while_cards_are_swapped(bench: Bench) -> None:
    # Answers still queued when the reader is unplugged must never surface as the
    # answer to a command sent after the replug (a soak run once found one).
    sim = bench.sim("slow=0.5:300ms,drop=0.1,disconnect-after=3:100ms", seed=1)
    reader = bench.reader(answer_timeout_s=0.2)
    records = [CardRecord.from_payload(card.payload) for card in CARDS]
    right = 0
    for n in range(7):
        number = 1 + (n * 7) % 14
        sim.insert(number)
        try:
            card = reader.read_card()
        except TerminalError:
            continue
        assert card == records[number - 1], f"read {n}: got {card.name}"
        right += 1
    assert sim.disconnects >= 2
    assert right >= 1, "no read got through: the test would pass on a dead driver"


def test_fault_disconnect_and_come_back(bench: Bench) -> None:
    sim = bench.sim("disconnect-after=2:300ms")
    reader = bench.reader(answer_timeout_s=0.5)
    assert reader.read_card() == FIRST
    assert reader.read_card() == FIRST  # the second answer: unplugged right after
    assert wait_for_reconnect(bench.events) == ["connecting", "ready", "lost", "ready"]
    # After a reconnect the driver probes first (a silent beep), so this read takes
    # two answers and unplugs the reader again.
    assert reader.read_card() == FIRST
    assert wait_for_reconnect(bench.events) == ["lost", "ready"]
    assert reader.read_card() == FIRST
    assert sim.disconnects >= 2


def test_all_faults_at_once(bench: Bench) -> None:
    bench.sim("noise=0.3,bad-bcc=0.2,split=0.5,drop=0.2,slow=0.2:150ms,disconnect-after=7:200ms",
              seed=11)
    outcomes = read_many(bench.reader(answer_timeout_s=0.3), 10)
    assert "card" in outcomes


def test_live_fault_change_through_control_lines(bench: Bench) -> None:
    sim = bench.sim()
    reader = bench.reader(answer_timeout_s=0.2)
    assert sim.control("fault drop 1").startswith("ok")
    with pytest.raises(ReaderTimeout):
        reader.read_card()
    assert sim.control("fault clear") == "ok faults cleared"
    assert reader.read_card() == FIRST
    assert sim.control("fault teleport 1").startswith("error:")
    spec = "noise=0.2:8,bad-bcc=0.1,split=1,drop=0.1,slow=0.5:300ms,disconnect-after=5:1000ms"
    assert Faults.parse(spec).describe() == spec
    assert Faults.parse("garbage=1,dropped_answer=0.5,disconnect=2").describe() == (
        "noise=1:8,drop=0.5,disconnect-after=2:1000ms"
    )
    assert "(expired 2023-06-01)" in sim.control("list")
    assert "张伟" in sim.control("list")
    assert sim.control("status").startswith("card=1 ")


# The simulator's own side of the protocol, seen from a plain serial port.

@pytest.fixture
def raw_port(bench: Bench) -> Iterator[Callable[[bytes, int], bytes]]:
    bench.sim()
    port = serial.serial_for_url(str(bench.link), baudrate=9600, timeout=2)

    def exchange(data: bytes, expect: int) -> bytes:
        port.write(data)
        return bytes(port.read(expect))

    yield exchange
    port.close()


def test_sim_resyncs_on_host_garbage(raw_port: Callable[[bytes, int], bytes]) -> None:
    ans = fr.encode_frame(fr.CMD_STATUS | fr.ANSWER_BIT, b"\x00\x01")
    assert raw_port(b"\xff\x02\x00\x00\x02\x07" + fr.encode_frame(fr.CMD_STATUS), len(ans)) == ans


def test_sim_answers_bad_frame_and_unknown_command(raw_port: Callable[[bytes, int], bytes]) -> None:
    damaged = bytearray(fr.encode_frame(fr.CMD_STATUS))
    damaged[-2] ^= 0x10
    bad = fr.encode_frame(fr.CMD_STATUS | fr.ANSWER_BIT, bytes([fr.ST_BAD_FRAME]))
    assert raw_port(bytes(damaged), len(bad)) == bad
    unknown = fr.encode_frame(0x09 | fr.ANSWER_BIT, bytes([fr.ST_UNKNOWN_COMMAND]))
    assert raw_port(fr.encode_frame(0x09), len(unknown)) == unknown


def test_disconnect_control_line_unplugs_and_replugs(bench: Bench) -> None:
    sim = bench.sim()
    reader = bench.reader()
    assert reader.read_card() == FIRST
    assert sim.control("disconnect 200ms") == "ok unplugged for 0.2s"
    assert wait_for_reconnect(bench.events) == ["connecting", "ready", "lost", "ready"]
    assert reader.read_card() == FIRST


def test_pty_link_open_close_reopen(tmp_path: Path) -> None:
    link = PtyLink(tmp_path / "dev")
    with link:
        assert link.path.is_symlink()
        port = serial.serial_for_url(str(link.path), timeout=1)
        try:
            port.write(b"\x02abc")
            assert link.read(16, timeout_s=1) == b"\x02abc"
            assert link.write(b"xyz\x00\x03\r\n") == 7
            assert port.read(7) == b"xyz\x00\x03\r\n"  # raw: no CR/LF translation, no echo
        finally:
            port.close()
        link.close()
        assert not link.path.exists()
        link.open()
        assert link.path.is_symlink()
    assert not link.path.exists()


def test_pty_link_refuses_to_replace_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "precious"
    target.write_text("keep me")
    with pytest.raises(FileExistsError):
        PtyLink(target).open()
    assert target.read_text() == "keep me"


def test_injected_port_object_without_timeout_reopens_after_unplug(bench: Bench) -> None:
    sim = bench.sim()
    port = serial.serial_for_url(str(bench.link), baudrate=9600)  # timeout None: blocking
    events: EventLog[CardReaderEvent] = EventLog()
    reader = CardReader(port, answer_timeout_s=0.5, reconnect_interval_s=0.05, on_event=events)
    reader.start()
    try:
        reader.wait_connected(5)
        assert reader.read_card() == FIRST
        sim.control("disconnect 200ms")
        assert wait_for_reconnect(events)[-2:] == ["lost", "ready"]
        assert reader.read_card() == FIRST
    finally:
        reader.close()
    assert not port.is_open
