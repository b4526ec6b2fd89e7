"""Serial scanner reader against a scripted fake transport and pyserial's loop:// port.

The fake plays a script of reads (byte chunks, silences, failures) and the tests check
the script was used up, so each test proves the whole exchange happened.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import serial
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.devices.scan_codes import ScanTooLong, UnreadableScan
from terminal.devices.serial_scanner import (
    LineAssembler,
    ScannedLine,
    ScannerConnected,
    ScannerEvent,
    ScannerPortLost,
    ScannerUnavailable,
    SerialScanner,
)
from terminal.errors import BadInput, ConfigError, EnvironmentFault
from terminal.settings import SerialScannerSettings

SILENCE = b""
Step = bytes | BaseException


class ScriptedPort:
    """A serial port that answers read() from a script, then stays silent."""

    def __init__(self, *steps: Step, name: str = "fake") -> None:
        self.steps: list[Step] = list(steps)
        self.timeout: float | None = None
        self.port = name
        self.closed = False
        self.used_up = threading.Event()
        self._idle = threading.Event()

    @property
    def in_waiting(self) -> int:
        step = self.steps[0] if self.steps else SILENCE
        return len(step) if isinstance(step, bytes) else 0

    def read(self, size: int = 1) -> bytes:
        if self.closed:
            raise serial.SerialException("port is closed")
        if not self.steps:
            self.used_up.set()
            self._idle.wait(self.timeout or 0.05)
            return b""
        step = self.steps[0]
        if isinstance(step, BaseException):
            self.steps.pop(0)
            raise step
        chunk, rest = step[:size], step[size:]
        if rest:
            self.steps[0] = rest
        else:
            self.steps.pop(0)
        return chunk

    def close(self) -> None:
        self.closed = True


@contextmanager
def reading(port: object, **kwargs: object) -> Iterator[queue.Queue[ScannerEvent]]:
    events: queue.Queue[ScannerEvent] = queue.Queue()
    reader = SerialScanner(port, events.put, reconnect_interval_s=0.01, **kwargs)  # type: ignore[arg-type]
    reader.start()
    try:
        yield events
    finally:
        assert reader.stop()


def next_event(events: queue.Queue[ScannerEvent]) -> ScannerEvent:
    return events.get(timeout=5)


def lines_until_used_up(port: ScriptedPort, events: queue.Queue[ScannerEvent]) -> list[ScannerEvent]:
    assert port.used_up.wait(5), f"script not used up: {port.steps!r}"
    out = []
    while not events.empty():
        out.append(events.get_nowait())
    return out


def test_lines_are_assembled_across_split_reads_with_every_terminator() -> None:
    port = ScriptedPort(b"69010702", b"02353\r", b"\nABC123\r\n", SILENCE, b"X12345\nNHSAEC1", b".a.b\r")
    with reading(port) as events:
        got = lines_until_used_up(port, events)
    assert got[0] == ScannerConnected("fake")
    assert [e.text for e in got[1:] if isinstance(e, ScannedLine)] == [
        "6901070202353", "ABC123", "X12345", "NHSAEC1.a.b"]
    assert len(got) == 5
    assert port.closed and port.timeout == 0.1


def test_runaway_three_kilobyte_line_is_reported_once_and_not_buffered() -> None:
    port = ScriptedPort(b"A" * 1000, b"A" * 1000, b"A" * 1000, b"A" * 72, b"\r6901070202353\r\n")
    with reading(port) as events:
        got = lines_until_used_up(port, events)
    assert isinstance(got[1], ScanTooLong) and isinstance(got[1], BadInput)
    assert "too long" in got[1].cashier_message
    assert got[2] == ScannedLine("6901070202353", b"6901070202353", "utf-8")
    assert len(got) == 3


def test_line_without_terminator_is_bounded_forever() -> None:
    assembler = LineAssembler(64)
    out = [item for _ in range(100) for item in assembler.feed(b"x" * 50)]
    assert len(out) == 1 and assembler.partial == b""
    assert assembler.feed(b"tail\r") == []  # the discarded line's end
    assert assembler.feed(b"next\r") == [b"next"]


def test_gbk_text_and_undecodable_bytes() -> None:
    # GBK that is not also valid UTF-8 (short GBK texts can be, and then UTF-8 wins).
    port = ScriptedPort("中文123\r".encode("gbk"), b"\xff\xfe\xfd\xfc\r", b"ab\x00cd\r", b"ok-line\r")
    with reading(port) as events:
        got = lines_until_used_up(port, events)
    assert got[1] == ScannedLine("中文123", "中文123".encode("gbk"), "gbk")
    assert isinstance(got[2], UnreadableScan) and got[2].raw == b"\xff\xfe\xfd\xfc"
    assert isinstance(got[3], UnreadableScan) and got[3].raw == b"ab\x00cd"
    assert isinstance(got[4], ScannedLine) and got[4].text == "ok-line"


def test_utf8_is_tried_before_gbk() -> None:
    port = ScriptedPort("药品\r".encode())
    with reading(port) as events:
        got = lines_until_used_up(port, events)
    assert got[1] == ScannedLine("药品", "药品".encode(), "utf-8")


def test_unterminated_line_is_delivered_after_the_idle_time() -> None:
    port = ScriptedPort(b"6901070", b"202353")
    with reading(port, idle_flush_s=0.05) as events:
        assert next_event(events) == ScannerConnected("fake")
        line = next_event(events)
    assert line == ScannedLine("6901070202353", b"6901070202353", "utf-8", terminated=False)


def test_without_idle_flush_a_partial_line_waits_for_its_end() -> None:
    port = ScriptedPort(b"6901070", b"202353")
    with reading(port, idle_flush_s=None) as events:
        got = lines_until_used_up(port, events)
    assert got == [ScannerConnected("fake")]


def test_port_lost_then_back_through_the_factory() -> None:
    first = ScriptedPort(b"CODE-ONE\r", serial.SerialException("device disconnected"), name="scanner")
    second = ScriptedPort(b"CODE-TWO\r", name="scanner")
    opens: list[str] = []

    def factory() -> ScriptedPort:
        opens.append("open")
        if len(opens) == 1:
            return first
        if len(opens) <= 3:
            raise serial.SerialException("could not open port: No such file or directory")
        return second

    with reading(factory, port_name="scanner") as events:
        got = [next_event(events) for _ in range(5)]
        assert second.used_up.wait(5)
    assert got[0] == ScannerConnected("scanner")
    assert isinstance(got[1], ScannedLine) and got[1].text == "CODE-ONE"
    assert isinstance(got[2], ScannerPortLost) and isinstance(got[2], EnvironmentFault)
    assert "disconnected" in got[2].cashier_message
    # The failed reopens in between are not reported again: one outage, one message.
    assert got[3] == ScannerConnected("scanner")
    assert isinstance(got[4], ScannedLine) and got[4].text == "CODE-TWO"
    assert first.closed and second.closed and len(opens) == 4


def test_port_missing_at_start_is_reported_once_while_retrying() -> None:
    attempts = threading.Semaphore(0)

    def factory() -> ScriptedPort:
        attempts.release()
        raise serial.SerialException("[Errno 2] could not open port /dev/ttyACM9")

    with reading(factory, port_name="/dev/ttyACM9") as events:
        for _ in range(4):
            assert attempts.acquire(timeout=5)
        first = next_event(events)
        assert events.empty()
    assert isinstance(first, ScannerUnavailable)
    assert first.cashier_message.startswith("The barcode scanner at /dev/ttyACM9 cannot be reached")


def test_a_failing_consumer_does_not_stop_the_reader(caplog: pytest.LogCaptureFixture) -> None:
    port = ScriptedPort(b"FIRST1\r", b"SECOND\r")
    seen: list[ScannerEvent] = []

    def consumer(event: ScannerEvent) -> None:
        seen.append(event)
        if isinstance(event, ScannedLine) and event.text == "FIRST1":
            raise RuntimeError("consumer bug")

    reader = SerialScanner(port, consumer)
    with reader:
        assert port.used_up.wait(5)
    assert [e.text for e in seen if isinstance(e, ScannedLine)] == ["FIRST1", "SECOND"]
    assert "consumer bug" in caplog.text
    assert not reader.running


def test_loop_url_port_with_pyserial() -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    try:
        with reading(port) as events:
            assert next_event(events) == ScannerConnected("loop://")
            port.write(b"6901070202353\r\n")
            assert next_event(events) == ScannedLine("6901070202353", b"6901070202353", "utf-8")
    finally:
        port.close()


def test_reader_from_settings_requires_a_port() -> None:
    with pytest.raises(ConfigError):
        SerialScanner.from_settings(SerialScannerSettings(port=None), print)


def test_reader_from_settings_with_a_bad_url_reports_unavailable() -> None:
    events: queue.Queue[ScannerEvent] = queue.Queue()
    reader = SerialScanner.from_settings(
        SerialScannerSettings(port="nosuchscheme://x", reconnect_interval_s=0.01), events.put)
    with reader:
        event = next_event(events)
    assert isinstance(event, ScannerUnavailable)


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
