"""Serial scanner reader against the shared scripted port and pyserial's loop:// port.

The scripted port plays reads (byte chunks, silences, failures); the scripted_port
fixture fails a test whose script was not used up, so each test proves the whole
exchange happened.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import serial
from device_helpers import wait_state
from hypothesis import given, settings
from hypothesis import strategies as st
from serial_helpers import Chunk, Fail, ScriptedPort, Silence

from terminal.devices.device import DeviceState, EventLog, StateChanged
from terminal.devices.scan_codes import ScanTooLong, UnreadableScan
from terminal.devices.serial_scanner import (
    LineAssembler,
    ScannedLine,
    ScannerEvent,
    ScanRejected,
    SerialScanner,
    serial_scanner_from_settings,
)
from terminal.errors import BadInput, ConfigError
from terminal.settings import SerialScannerSettings

MakePort = Callable[..., ScriptedPort]
WAIT_S = 10.0


@contextmanager
def reading(port: object, **kwargs: object) -> Iterator[EventLog[ScannerEvent]]:
    events: EventLog[ScannerEvent] = EventLog()
    reader = SerialScanner(port, reconnect_interval_s=0.01, on_event=events, **kwargs)  # type: ignore[arg-type]
    reader.start()
    try:
        yield events
    finally:
        reader.close()
        assert not reader.running


def words(events: list[ScannerEvent]) -> list[str]:
    """Each event as a word: its state, "line", or the rejected error's type."""
    out = []
    for event in events:
        if isinstance(event, StateChanged):
            out.append(event.state.value)
        elif isinstance(event, ScannedLine):
            out.append("line")
        else:
            out.append(type(event.error).__name__)
    return out


def until_used_up(port: ScriptedPort, events: EventLog[ScannerEvent]) -> list[ScannerEvent]:
    port.wait_used_up(WAIT_S)
    return events.drain()


def test_lines_are_assembled_across_split_reads_with_every_terminator(scripted_port: MakePort) -> None:
    port = scripted_port(Chunk(b"69010702"), Chunk(b"02353\r"), Chunk(b"\nABC123\r\n"), Silence(),
                         Chunk(b"X12345\nNHSAEC1"), Chunk(b".a.b\r"), name="fake")
    with reading(port) as events:
        got = until_used_up(port, events)
    assert words(got) == ["connecting", "ready", "line", "line", "line", "line"]
    assert [e.text for e in got if isinstance(e, ScannedLine)] == [
        "6901070202353", "ABC123", "X12345", "NHSAEC1.a.b"]
    assert not port.is_open and port.timeout == 0.1  # clamped: a read must time out


def test_runaway_three_kilobyte_line_is_reported_once_and_not_buffered(scripted_port: MakePort) -> None:
    port = scripted_port(Chunk(b"A" * 1000), Chunk(b"A" * 1000), Chunk(b"A" * 1000), Chunk(b"A" * 72),
                         Chunk(b"\r6901070202353\r\n"))
    with reading(port) as events:
        got = until_used_up(port, events)
    assert words(got) == ["connecting", "ready", "ScanTooLong", "line"]
    rejected = got[2]
    assert isinstance(rejected, ScanRejected) and isinstance(rejected.error, ScanTooLong)
    assert isinstance(rejected.error, BadInput)
    assert "too long" in rejected.error.cashier_message
    assert got[3] == ScannedLine("6901070202353", b"6901070202353", "utf-8")


def test_line_without_terminator_is_bounded_forever() -> None:
    assembler = LineAssembler(64)
    out = [item for _ in range(100) for item in assembler.feed(b"x" * 50)]
    assert len(out) == 1 and assembler.partial == b""
    assert assembler.feed(b"tail\r") == []  # the discarded line's end
    assert assembler.feed(b"next\r") == [b"next"]


def test_gbk_text_and_undecodable_bytes(scripted_port: MakePort) -> None:
    # GBK that is not also valid UTF-8 (short GBK texts can be, and then UTF-8 wins).
    port = scripted_port(Chunk("中文123\r".encode("gbk")), Chunk(b"\xff\xfe\xfd\xfc\r"), Chunk(b"ab\x00cd\r"),
                         Chunk(b"ok-line\r"))
    with reading(port) as events:
        got = until_used_up(port, events)[2:]
    assert got[0] == ScannedLine("中文123", "中文123".encode("gbk"), "gbk")
    assert isinstance(got[1], ScanRejected) and isinstance(got[1].error, UnreadableScan)
    assert got[1].error.raw == b"\xff\xfe\xfd\xfc"
    assert isinstance(got[2], ScanRejected) and isinstance(got[2].error, UnreadableScan)
    assert got[2].error.raw == b"ab\x00cd"
    assert isinstance(got[3], ScannedLine) and got[3].text == "ok-line"


def test_utf8_is_tried_before_gbk(scripted_port: MakePort) -> None:
    port = scripted_port(Chunk("药品\r".encode()))
    with reading(port) as events:
        got = until_used_up(port, events)
    assert got[2:] == [ScannedLine("药品", "药品".encode(), "utf-8")]


def test_unterminated_line_is_delivered_after_the_idle_time(scripted_port: MakePort) -> None:
    port = scripted_port(Chunk(b"6901070"), Chunk(b"202353"))
    with reading(port, idle_flush_s=0.05) as events:
        line = events.next(WAIT_S, ScannedLine)
    assert line == ScannedLine("6901070202353", b"6901070202353", "utf-8", terminated=False)


def test_without_idle_flush_a_partial_line_waits_for_its_end(scripted_port: MakePort) -> None:
    port = scripted_port(Chunk(b"6901070"), Chunk(b"202353"))
    with reading(port, idle_flush_s=None) as events:
        got = until_used_up(port, events)
    assert words(got) == ["connecting", "ready"]


def test_port_lost_then_back_through_the_factory(scripted_port: MakePort) -> None:
    first = scripted_port(Chunk(b"CODE-ONE\r"), Fail(serial.SerialException("device disconnected")))
    second = scripted_port(Chunk(b"CODE-TWO\r"))
    opens: list[str] = []

    def factory() -> ScriptedPort:
        opens.append("open")
        if len(opens) == 1:
            return first
        if len(opens) <= 3:
            raise serial.SerialException(2, "could not open port scanner: No such file or directory")
        return second

    with reading(factory, port_label="scanner") as events:
        second.wait_used_up(WAIT_S)
        got = events.drain()
    assert words(got) == ["connecting", "ready", "line", "lost", "ready", "line"]
    lost = got[3]
    assert isinstance(lost, StateChanged) and lost.reason is not None
    assert lost.reason.startswith("The serial port scanner cannot be used: check the cable")
    assert "device disconnected" in (lost.detail or "")
    # The failed reopens in between are not reported again: one outage, one message.
    assert isinstance(got[2], ScannedLine) and got[2].text == "CODE-ONE"
    assert isinstance(got[5], ScannedLine) and got[5].text == "CODE-TWO"
    assert not first.is_open and not second.is_open and len(opens) == 4


def test_port_missing_at_start_is_reported_once_while_retrying() -> None:
    attempts = threading.Semaphore(0)

    def factory() -> ScriptedPort:
        attempts.release()
        raise serial.SerialException(2, "could not open port /dev/ttyACM9")

    with reading(factory, port_label="/dev/ttyACM9") as events:
        for _ in range(4):
            assert attempts.acquire(timeout=WAIT_S)
        got = events.drain()
    assert words(got) == ["connecting", "connecting"]
    missing = got[1]
    assert isinstance(missing, StateChanged)
    assert missing.reason == ("The serial port /dev/ttyACM9 cannot be used: check the cable and that the "
                              "device is switched on.")


def test_a_failing_consumer_does_not_stop_the_reader(scripted_port: MakePort,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    port = scripted_port(Chunk(b"FIRST1\r"), Chunk(b"SECOND\r"))
    seen: list[ScannerEvent] = []

    def consumer(event: ScannerEvent) -> None:
        seen.append(event)
        if isinstance(event, ScannedLine) and event.text == "FIRST1":
            raise RuntimeError("consumer bug")

    reader = SerialScanner(port, on_event=consumer)
    with reader:
        port.wait_used_up(WAIT_S)
    assert [e.text for e in seen if isinstance(e, ScannedLine)] == ["FIRST1", "SECOND"]
    assert "consumer bug" in caplog.text
    assert not reader.running


def test_loop_url_port_with_pyserial() -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    try:
        with reading(port) as events:
            assert wait_state(events, DeviceState.READY).device == "serial scanner"
            port.write(b"6901070202353\r\n")
            assert events.next(WAIT_S, ScannedLine) == ScannedLine("6901070202353", b"6901070202353", "utf-8")
    finally:
        port.close()


def test_reader_from_settings_requires_a_port() -> None:
    with pytest.raises(ConfigError):
        serial_scanner_from_settings(SerialScannerSettings(port=None))


def test_reader_from_settings_with_a_bad_url_fails_for_good() -> None:
    events: EventLog[ScannerEvent] = EventLog()
    reader = serial_scanner_from_settings(
        SerialScannerSettings(port="nosuchscheme://x", reconnect_interval_s=0.01), on_event=events)
    with reader:
        failed = wait_state(events, DeviceState.FAILED)
        deadline = time.monotonic() + WAIT_S
        while reader.running:  # FAILED: the owner thread stops trying, before close()
            assert time.monotonic() < deadline, "the reader kept trying a malformed URL"
            time.sleep(0.01)
    assert failed.reason == ("The serial port 'nosuchscheme://x' is not a port name or URL this terminal "
                             "understands.")


@settings(max_examples=300, deadline=None)
@given(
    codes=st.lists(st.binary(min_size=1, max_size=80).filter(lambda b: b"\r" not in b and b"\n" not in b),
                   max_size=12),
    data=st.data(),
)
def test_property_lines_survive_any_split_and_any_terminator(codes: list[bytes], data: st.DataObject) -> None:
    ends = data.draw(st.lists(st.sampled_from([b"\r", b"\r\n", b"\n"]), min_size=len(codes),
                              max_size=len(codes)))
    stream = b"".join(code + end for code, end in zip(codes, ends, strict=True))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=20)))
    assembler = LineAssembler(80)
    out: list[object] = []
    for start, stop in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        out += assembler.feed(stream[start:stop])
    assert out == codes
    assert assembler.partial == b""


@settings(max_examples=100, deadline=None)
@given(size=st.integers(81, 5000), chunk=st.integers(1, 700))
def test_property_overlong_line_is_one_overflow_and_never_held(size: int, chunk: int) -> None:
    assembler = LineAssembler(80)
    stream = b"x" * size + b"\r\nOK\r"
    out: list[object] = []
    for start in range(0, len(stream), chunk):
        out += assembler.feed(stream[start:start + chunk])
        assert len(assembler.partial) <= 80
    assert len(out) == 2 and not isinstance(out[0], bytes) and out[1] == b"OK"
