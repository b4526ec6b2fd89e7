"""The serial link both serial devices (card reader, serial scanner) stand on.

A SerialLink owns where the port comes from: an injected port object (pyserial, or a
test's scripted fake), reopened with `.open()` after a loss, or a factory that opens
a new one (which is what finds a USB device plugged back in, or a pty recreated).
It opens the port with the read timeout clamped (a blocking read must always time
out, or the owner thread would never see close()), closes it, wakes a blocked read
(cancel_read), and reopens it with exponential backoff: the first retry after
min(0.2 s, reconnect_interval_s), doubling up to reconnect_interval_s. So a pty
recreated a moment later is picked up at once, and an absent device costs at most
one attempt per interval.

Failures to open are sorted by `terminal.faults.serial_fault`. An OSError (pyserial's
SerialException is one) is the environment: the link keeps retrying and reports
CONNECTING, or LOST if the port had been open, with that sentence as the reason.
Anything else (a ValueError for a malformed URL, a port object that cannot be
reopened) will not mend itself: the link reports FAILED and stops.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from terminal.devices.device import DeviceState
from terminal.errors import EnvironmentFault, TerminalError
from terminal.faults import serial_fault

log = logging.getLogger(__name__)

FIRST_RETRY_S = 0.2


class SerialPort(Protocol):
    """What the devices need of a port: the pyserial subset they use (cancel_read is
    optional; without it a blocked read ends at its timeout)."""

    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...

    def close(self) -> None: ...


PortFactory = Callable[[], SerialPort]
# How a link reports to its device: DeviceThread._set_state(state, reason, detail).
StateReport = Callable[[DeviceState, str | None, str | None], None]
# Waits up to the given seconds; True when the device is closing (threading.Event.wait).
Wait = Callable[[float], bool]


@dataclass(frozen=True)
class SerialUrl:
    """A port factory opening `port` (a URL) with pyserial, 8N1; it names its port, so a
    link labels itself by it."""

    port: str
    baudrate: int = 9600
    read_timeout_s: float = 0.05
    write_timeout_s: float = 1.0

    def __call__(self) -> SerialPort:
        import serial  # only the serial devices need pyserial

        # write_timeout: a port that never drains (flow control stuck, peer gone) must
        # raise, not block the owner thread forever.
        port: SerialPort = serial.serial_for_url(
            self.port, baudrate=self.baudrate, bytesize=8, parity="N", stopbits=1,
            timeout=self.read_timeout_s, write_timeout=self.write_timeout_s,
        )
        return port


def serial_port_factory(url: str, *, baudrate: int = 9600, read_timeout_s: float = 0.05,
                        write_timeout_s: float = 1.0) -> PortFactory:
    """A factory opening `url`: a device path, a pty, loop://, socket://..."""
    return SerialUrl(url, baudrate, read_timeout_s, write_timeout_s)


class Backoff:
    """Delays before reopening: `first_s`, doubling, capped at `cap_s`; reset() after a success."""

    def __init__(self, first_s: float, cap_s: float) -> None:
        if first_s <= 0 or cap_s < first_s:
            raise ValueError("backoff delays must be positive, the cap at least the first")
        self.first_s = first_s
        self.cap_s = cap_s
        self._next = first_s

    def next(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.cap_s)
        return delay

    def reset(self) -> None:
        self._next = self.first_s


class PortNotReopenable(EnvironmentFault):
    def __init__(self, port: str) -> None:
        super().__init__(f"The serial port {port} was lost and cannot be opened again: restart the checkout.",
                         detail="the injected port object has no open()")


class SerialLink:
    """One serial port as a device uses it; see the module docstring."""

    def __init__(
        self,
        source: SerialPort | PortFactory,
        *,
        label: str | None = None,
        read_timeout_s: float = 0.05,
        reconnect_interval_s: float = 1.0,
    ) -> None:
        if read_timeout_s <= 0 or reconnect_interval_s <= 0:
            raise ValueError("the read timeout and the reconnect interval must be positive")
        self._source = source
        self.label = label or str(getattr(source, "port", None) or getattr(source, "name", None)
                                  or "serial port")
        self.read_timeout_s = read_timeout_s
        self.backoff = Backoff(min(FIRST_RETRY_S, reconnect_interval_s), reconnect_interval_s)
        self._lock = threading.Lock()  # the port is read by wake() from other threads
        self._port: SerialPort | None = None
        self.opens = 0  # successful opens: more than one means a reconnect

    @property
    def port(self) -> SerialPort | None:
        return self._port

    # ------------------------------------------------------------------ one port

    def open(self) -> SerialPort:
        """Open the port once (raises what the source raised)."""
        source = self._source
        if callable(source):
            port = source()
        else:
            port = source
            if not getattr(port, "is_open", True):
                opener = getattr(port, "open", None)
                if not callable(opener):
                    raise PortNotReopenable(self.label)
                opener()
        if port.timeout is None or port.timeout > self.read_timeout_s:
            port.timeout = self.read_timeout_s
        with self._lock:
            self._port = port
        self.opens += 1
        return port

    def close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:  # a vanished device may refuse even that; it is gone either way
                log.debug("%s: closing the port failed", self.label, exc_info=True)

    def wake(self) -> None:
        """Interrupt a blocked read (any thread); without cancel_read it ends at its timeout."""
        with self._lock:
            cancel = getattr(self._port, "cancel_read", None)
        if cancel is not None:
            with contextlib.suppress(Exception):  # the port may be half-closed
                cancel()

    # ------------------------------------------------------- the device's loop

    def run(self, closing: threading.Event, report: StateReport, serve: Callable[[SerialPort], None],
            *, wait: Wait | None = None) -> None:
        """Open, `serve(port)` until it raises (the port is lost), reopen; until closing is
        set or the port can never open. `serve` reports READY once it is set up."""
        wait = wait or closing.wait
        try:
            while not closing.is_set():
                port = self.connect(wait, report)
                if port is None:
                    return
                try:
                    serve(port)
                except Exception as exc:
                    if closing.is_set():
                        return
                    self.lost(exc, report)
        finally:
            self.close()

    def connect(self, wait: Wait, report: StateReport) -> SerialPort | None:
        """The open port: at once the first time, after the backoff delay after a loss,
        retrying with backoff; None when closing or when it will never open."""
        if self.opens and wait(self.backoff.next()):
            return None
        while True:
            try:
                port = self.open()
            except Exception as exc:
                fault = exc if isinstance(exc, PortNotReopenable) else serial_fault(exc, self.label)
                if not isinstance(exc, OSError):
                    report(DeviceState.FAILED, fault.cashier_message, fault.detail)
                    return None
                report(DeviceState.LOST if self.opens else DeviceState.CONNECTING,
                       fault.cashier_message, fault.detail)
                if wait(self.backoff.next()):
                    return None
                continue
            self.backoff.reset()
            return port

    def lost(self, exc: Exception, report: StateReport) -> None:
        """The open port failed: close it and report LOST."""
        # A port error is expected (a cable pulled); anything else is a bug in the
        # device's code, logged with its traceback before the port is reopened.
        log.warning("%s: port lost: %s", self.label, exc, exc_info=not isinstance(exc, OSError))
        self.close()
        fault: TerminalError
        if isinstance(exc, OSError):
            fault = serial_fault(exc, self.label)
        else:  # not the port's fault, but it is reopened all the same
            fault = EnvironmentFault(f"The serial port {self.label} stopped working; the terminal opens it again.",
                                     detail=f"{type(exc).__name__}: {exc}")
        report(DeviceState.LOST, fault.cashier_message, fault.detail)
