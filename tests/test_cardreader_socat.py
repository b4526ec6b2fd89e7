"""The driver against peers on the far end of a socat pty pair.

socat joins two ptys: the driver opens one end as its port, the test plays the
reader on the other (a peer that answers, sends garbage or stays silent), and
killing socat is an unplugged cable; starting it again is the replug.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import serial
from cardreader_helpers import CARD, answer, card_answer, kinds
from device_helpers import wait_state

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.driver import CardReader, CardReaderEvent
from terminal.devices.cardreader.errors import (
    ReaderDisconnected,
    ReaderLinkGarbled,
    ReaderTimeout,
)
from terminal.devices.device import DeviceState, EventLog
from terminal.devices.serial_link import serial_port_factory
from terminal.sim.pty_link import wait_for_path

pytestmark = pytest.mark.skipif(shutil.which("socat") is None, reason="socat is not installed")


class SocatPair:
    def __init__(self, tmp_path: Path) -> None:
        self.host = tmp_path / "host"
        self.device = tmp_path / "device"
        self.proc: subprocess.Popen[bytes] | None = None

    def plug(self) -> None:
        self.proc = subprocess.Popen(
            ["socat", "pty,raw,echo=0,link=" + str(self.host),
             "pty,raw,echo=0,link=" + str(self.device)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert wait_for_path(self.host, 5) and wait_for_path(self.device, 5)

    def unplug(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(5)
            self.proc = None


class Peer:
    """The device end: a thread that reacts to each host frame with `behaviour`."""

    def __init__(self, path: Path, behaviour: Callable[[fr.ParsedItem], bytes]) -> None:
        self.port = serial.serial_for_url(str(path), baudrate=9600, timeout=0.05)
        self.behaviour = behaviour
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        parser = fr.FrameParser()
        while not self.stop.is_set():
            try:
                chunk = self.port.read(256)
            except (serial.SerialException, OSError, TypeError):
                return  # the pair went away
            for item in parser.feed(chunk):
                reply = self.behaviour(item)
                if reply:
                    self.port.write(reply)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.port.close()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[SocatPair]:
    p = SocatPair(tmp_path)
    p.plug()
    yield p
    p.unplug()


@pytest.fixture
def events() -> EventLog[CardReaderEvent]:
    return EventLog()


@pytest.fixture
def reader(pair: SocatPair, events: EventLog[CardReaderEvent]) -> Iterator[CardReader]:
    r = CardReader(serial_port_factory(str(pair.host)), answer_timeout_s=0.3, retries=2,
                   reconnect_interval_s=0.05, on_event=events)
    r.start()
    r.wait_connected(5)
    yield r
    r.close()


def good_reader(item: fr.ParsedItem) -> bytes:
    if not isinstance(item, fr.Frame):
        return answer(item.cmd, fr.ST_BAD_FRAME)
    if item.cmd == fr.CMD_READ_BASIC:
        return card_answer()
    if item.cmd == fr.CMD_STATUS:
        return answer(fr.CMD_STATUS, fr.ST_OK, b"\x01")
    return answer(item.cmd)


def test_card_read_through_socat(pair: SocatPair, reader: CardReader) -> None:
    peer = Peer(pair.device, good_reader)
    try:
        assert reader.read_card() == CARD
    finally:
        peer.close()


def test_peer_that_sends_garbage(pair: SocatPair, reader: CardReader) -> None:
    rng = random.Random(3)
    # Garbage full of STX and ETX bytes, never a valid answer.
    peer = Peer(pair.device, lambda item: bytes(rng.choice([2, 3, 0, 0x82, 0xFF])
                                                  for _ in range(64)))
    try:
        with pytest.raises(ReaderLinkGarbled) as info:
            reader.read_card()
        assert "garbled" in info.value.cashier_message
    finally:
        peer.close()


def test_peer_that_sends_nothing(pair: SocatPair, reader: CardReader) -> None:
    with pytest.raises(ReaderTimeout) as info:
        reader.read_card()
    assert "does not answer" in info.value.cashier_message


def test_unplug_and_replug(pair: SocatPair, reader: CardReader, events: EventLog[CardReaderEvent]) -> None:
    peer = Peer(pair.device, good_reader)
    assert reader.read_card() == CARD
    pair.unplug()
    peer.close()
    lost = wait_state(events, DeviceState.LOST)
    assert lost.reason is not None and str(pair.host) in lost.reason
    with pytest.raises(ReaderDisconnected) as info:
        reader.read_card()
    assert "not connected" in info.value.cashier_message
    pair.plug()
    peer = Peer(pair.device, good_reader)
    try:
        reader.wait_connected(5)
        assert reader.read_card() == CARD
    finally:
        peer.close()
    assert kinds(events.drain())[-1] == "ready"
    assert reader.state is DeviceState.READY
