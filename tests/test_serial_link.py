"""The serial link: opening, sorting failures, backoff and the serve/lost/reopen loop.

Waits are injected (a recorder instead of the clock), so backoff is checked by the
delays asked for, never by wall time.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable

import pytest
import serial
from serial_helpers import Chunk, Fail, ScriptedPort

from terminal.devices.device import DeviceState
from terminal.devices.serial_link import Backoff, SerialLink, SerialPort, serial_port_factory

MakePort = Callable[..., ScriptedPort]


class Recorder:
    """Stands in for the device: records the states reported and the waits asked for."""

    def __init__(self, stop_after_waits: int = 1000) -> None:
        self.reports: list[tuple[DeviceState, str | None, str | None]] = []
        self.waits: list[float] = []
        self.stop_after_waits = stop_after_waits

    def report(self, state: DeviceState, reason: str | None, detail: str | None) -> None:
        self.reports.append((state, reason, detail))

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return len(self.waits) >= self.stop_after_waits  # True: "the device is closing"

    @property
    def states(self) -> list[DeviceState]:
        return [state for state, _, _ in self.reports]


def failing(errors: list[BaseException], port: SerialPort | None = None) -> Callable[[], SerialPort]:
    """A factory raising each error in turn, then returning `port`."""
    def factory() -> SerialPort:
        if errors:
            raise errors.pop(0)
        assert port is not None, "the factory was called once too often"
        return port
    return factory


def test_backoff_doubles_up_to_the_interval_and_resets() -> None:
    backoff = Backoff(0.2, 1.0)
    assert [backoff.next() for _ in range(6)] == [0.2, 0.4, 0.8, 1.0, 1.0, 1.0]
    backoff.reset()
    assert backoff.next() == 0.2
    with pytest.raises(ValueError):
        Backoff(0.5, 0.1)


def test_first_retry_is_never_later_than_the_interval() -> None:
    link = SerialLink(failing([]), reconnect_interval_s=0.05)
    assert (link.backoff.first_s, link.backoff.cap_s) == (0.05, 0.05)
    link = SerialLink(failing([]), reconnect_interval_s=5.0)
    assert [link.backoff.next() for _ in range(7)] == [0.2, 0.4, 0.8, 1.6, 3.2, 5.0, 5.0]


def test_absent_port_retries_with_backoff_and_reports_once(scripted_port: MakePort) -> None:
    port = scripted_port()
    missing = [serial.SerialException(errno.ENOENT, "could not open port /dev/ttyUSB7")
               for _ in range(5)]
    link = SerialLink(failing(missing, port), label="/dev/ttyUSB7", reconnect_interval_s=1.0)
    rec = Recorder()
    assert link.connect(rec.wait, rec.report) is port
    assert rec.waits == [0.2, 0.4, 0.8, 1.0, 1.0]  # five failures, five waits, then open
    # The same failure each time: one CONNECTING with its sentence (the device
    # emits a StateChanged only when the reason changes, see test_device_model).
    assert set(rec.reports) == {rec.reports[0]}
    state, reason, detail = rec.reports[0]
    assert state is DeviceState.CONNECTING
    assert reason == ("The serial port /dev/ttyUSB7 cannot be used: check the cable and that the device "
                      "is switched on.")
    assert "could not open port" in (detail or "")
    assert link.opens == 1


def test_after_a_loss_the_first_reopen_waits_the_first_delay(scripted_port: MakePort) -> None:
    first, second = scripted_port(), scripted_port()
    ports = [first, second]
    link = SerialLink(lambda: ports.pop(0), reconnect_interval_s=1.0)
    rec = Recorder()
    assert link.connect(rec.wait, rec.report) is first
    assert rec.waits == []  # at start: at once
    link.lost(OSError(errno.EIO, "Input/output error"), rec.report)
    assert not first.is_open and link.port is None
    assert rec.states == [DeviceState.LOST]
    assert link.connect(rec.wait, rec.report) is second
    assert rec.waits == [0.2]
    assert link.opens == 2


def test_reopen_failures_after_a_loss_are_lost_not_connecting(scripted_port: MakePort) -> None:
    ports: list[object] = [scripted_port(), OSError(errno.ENOENT, "gone"), scripted_port()]

    def factory() -> SerialPort:
        item = ports.pop(0)
        if isinstance(item, BaseException):
            raise item
        assert isinstance(item, ScriptedPort)
        return item

    link = SerialLink(factory, label="/tmp/reader")
    rec = Recorder()
    link.connect(rec.wait, rec.report)
    link.lost(OSError(errno.EIO, "Input/output error"), rec.report)
    link.connect(rec.wait, rec.report)
    assert rec.states == [DeviceState.LOST, DeviceState.LOST]
    assert rec.waits == [0.2, 0.4]


@pytest.mark.parametrize(("error", "sentence"), [
    (serial.SerialException(errno.EACCES, "Permission denied"), "dialout group"),
    (serial.SerialException(errno.EBUSY, "Device or resource busy"), "in use by another program"),
    (PermissionError(errno.EPERM, "Operation not permitted"), "dialout group"),
])
def test_os_errors_keep_retrying_with_the_sorted_sentence(error: BaseException, sentence: str) -> None:
    link = SerialLink(failing([error, error]), label="/dev/ttyS0")
    rec = Recorder(stop_after_waits=2)
    assert link.connect(rec.wait, rec.report) is None  # the "device" closed while retrying
    assert rec.states == [DeviceState.CONNECTING, DeviceState.CONNECTING]
    assert sentence in (rec.reports[0][1] or "")


def test_a_malformed_url_is_failed_at_once() -> None:
    link = SerialLink(serial_port_factory("nosuchscheme://x"))
    rec = Recorder()
    assert link.connect(rec.wait, rec.report) is None
    assert rec.waits == []  # not retried
    assert rec.states == [DeviceState.FAILED]
    assert rec.reports[0][1] == ("The serial port 'nosuchscheme://x' is not a port name or URL this "
                                 "terminal understands.")


def test_any_other_failure_to_open_is_failed() -> None:
    link = SerialLink(failing([TypeError("a driver bug")]), label="x")
    rec = Recorder()
    assert link.connect(rec.wait, rec.report) is None
    assert rec.states == [DeviceState.FAILED]


def test_injected_port_is_used_as_given_and_reopened_after_a_loss(scripted_port: MakePort) -> None:
    port = scripted_port(timeout=None)
    link = SerialLink(port, read_timeout_s=0.05)
    rec = Recorder()
    assert link.connect(rec.wait, rec.report) is port
    assert port.timeout == 0.05  # clamped: a blocking read must time out
    assert link.label == "scripted"
    link.lost(OSError(errno.EIO, "unplugged"), rec.report)
    assert not port.is_open
    assert link.connect(rec.wait, rec.report) is port and port.is_open  # port.open() again


def test_injected_port_without_open_cannot_come_back() -> None:
    class OneShot:
        timeout: float | None = 0.01
        in_waiting = 0
        is_open = False

        def read(self, size: int = 1) -> bytes:
            return b""

        def write(self, data: bytes, /) -> int:
            return len(data)

        def close(self) -> None:
            self.is_open = False

    link = SerialLink(OneShot(), label="/dev/ttyUSB3")
    rec = Recorder()
    assert link.connect(rec.wait, rec.report) is None
    assert rec.states == [DeviceState.FAILED]
    assert "cannot be opened again" in (rec.reports[0][1] or "")


def test_a_shorter_port_timeout_is_kept(scripted_port: MakePort) -> None:
    port = scripted_port(timeout=0.01)
    SerialLink(port, read_timeout_s=0.1).open()
    assert port.timeout == 0.01


def test_run_serves_reopens_after_a_loss_and_closes(scripted_port: MakePort) -> None:
    first = scripted_port(Chunk(b"one"), Fail(OSError(errno.EIO, "unplugged")))
    second = scripted_port(Chunk(b"two"))
    ports = [first, second]
    closing = threading.Event()
    rec = Recorder()
    got: list[bytes] = []

    def serve(port: SerialPort) -> None:
        rec.report(DeviceState.READY, None, None)
        while not closing.is_set():
            data = port.read(16)
            got.append(data)
            if data == b"two":
                closing.set()

    link = SerialLink(lambda: ports.pop(0))
    link.run(closing, rec.report, serve, wait=rec.wait)
    assert got == [b"one", b"two"]
    assert rec.states == [DeviceState.READY, DeviceState.LOST, DeviceState.READY]
    assert rec.waits == [0.2]
    assert not first.is_open and not second.is_open and link.port is None


def test_wake_cancels_the_read_of_the_open_port_and_survives_a_broken_one(scripted_port: MakePort) -> None:
    port = scripted_port()
    cancels: list[str] = []
    port.cancel_read = lambda: cancels.append("cancel")  # type: ignore[method-assign]
    link = SerialLink(port)
    link.wake()
    assert cancels == []  # not open yet: nothing to wake
    link.open()
    link.wake()
    assert cancels == ["cancel"]

    def half_closed() -> None:
        raise serial.SerialException("cancel_read on a vanished device")

    port.cancel_read = half_closed  # type: ignore[method-assign]
    link.wake()  # must not raise into the caller (close(), submit())
    link.close()
    link.wake()
    assert link.port is None


def test_a_url_factory_names_its_port_and_opens_it_with_pyserial() -> None:
    link = SerialLink(serial_port_factory("loop://", baudrate=19200, read_timeout_s=0.02))
    assert link.label == "loop://"
    port = link.open()
    try:
        assert isinstance(port, serial.SerialBase)
        assert (port.baudrate, port.timeout, port.write_timeout) == (19200, 0.02, 1.0)
        assert (port.bytesize, port.parity, port.stopbits) == (8, "N", 1)
        port.write(b"ping")
        assert port.read(4) == b"ping"
    finally:
        link.close()
