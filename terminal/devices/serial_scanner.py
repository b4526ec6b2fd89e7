"""Serial barcode scanner: text lines ended by CR, CR LF or LF, read on one owner thread.

The port is injected: a pyserial object (serial.serial_for_url, so a device, a pty
path, `socket://` or `loop://` all work) or a factory that opens one, which lets the
reader reconnect when a USB scanner is unplugged and plugged back. Everything the
reader has to say leaves its thread through the `on_event` callback (pass a queue's
`put` to hand events to another thread):

- ScannedLine: one code, decoded (UTF-8 first, then GBK, as configured).
- ScannerConnected: the port is open (at start and after every reconnect).
- ScanTooLong / UnreadableScan (BadInput, from scan_codes): a line longer than
  max_line_bytes (reported as soon as it passes the limit, then discarded up to
  its terminator, never buffered), bytes in no known encoding or binary data.
- ScannerUnavailable / ScannerPortLost (EnvironmentFault): the port cannot be
  opened, or it failed while open. Reported once per outage while reconnecting.

Empty lines are ignored: a CR LF split across two reads ends the line at the CR
and leaves an empty "line" before the LF, and no scanner sends an empty code.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from terminal.devices.scan_codes import ScanTooLong, UnreadableScan, decode_scan
from terminal.errors import EnvironmentFault, TerminalError
from terminal.settings import SerialScannerSettings

log = logging.getLogger(__name__)

_TERMINATOR = re.compile(rb"\r\n|\r|\n")
_MAX_READ = 4096


@runtime_checkable
class SerialPort(Protocol):
    """What the reader needs of a pyserial object (or a test's scripted fake)."""

    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...


PortFactory = Callable[[], SerialPort]


class ScannerUnavailable(EnvironmentFault):
    def __init__(self, port: str, detail: str) -> None:
        super().__init__(f"The barcode scanner at {port} cannot be reached; check that it is plugged in "
                         "(the terminal keeps trying).", detail=detail)


class ScannerPortLost(EnvironmentFault):
    def __init__(self, port: str, detail: str) -> None:
        super().__init__(f"The barcode scanner at {port} was disconnected; check its cable (the terminal "
                         "reconnects by itself).", detail=detail)


@dataclass(frozen=True)
class ScannedLine:
    text: str
    raw: bytes
    encoding: str
    # False when the line was delivered after idle_flush_s without a terminator.
    terminated: bool = True


@dataclass(frozen=True)
class ScannerConnected:
    port: str


ScannerEvent = ScannedLine | ScannerConnected | TerminalError


@dataclass(frozen=True)
class _Overflow:
    size: int


class LineAssembler:
    """Bytes in, whole lines out, with a bound on how much one line may hold."""

    def __init__(self, max_line_bytes: int) -> None:
        self.max_line_bytes = max_line_bytes
        self._partial = bytearray()
        self._discarding = False

    @property
    def partial(self) -> bytes:
        return bytes(self._partial)

    def feed(self, data: bytes) -> list[bytes | _Overflow]:
        out: list[bytes | _Overflow] = []
        parts = _TERMINATOR.split(data)
        for i, part in enumerate(parts):
            self._append(part, out)
            if i < len(parts) - 1:
                if self._partial and not self._discarding:
                    out.append(bytes(self._partial))
                self._partial.clear()
                self._discarding = False
        return out

    def take_partial(self) -> bytes:
        """The unterminated line so far (for an idle flush); the assembler starts afresh."""
        partial = bytes(self._partial)
        self._partial.clear()
        return partial

    def reset(self) -> None:
        self._partial.clear()
        self._discarding = False

    def _append(self, part: bytes, out: list[bytes | _Overflow]) -> None:
        if self._discarding or not part:
            return
        self._partial += part
        if len(self._partial) > self.max_line_bytes:
            out.append(_Overflow(len(self._partial)))
            self._partial.clear()
            self._discarding = True


def decode_line(raw: bytes, encodings: Sequence[str]) -> ScannedLine:
    """Decode one line with the first encoding that fits; UnreadableScan otherwise."""
    for encoding in encodings:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            decode_scan(text)  # refuses control characters (binary data) and oversize text
        except UnreadableScan as exc:
            raise UnreadableScan(raw, exc.detail or "binary data") from None
        return ScannedLine(text=text, raw=raw, encoding=encoding)
    raise UnreadableScan(raw, f"not {' or '.join(encodings)}: {raw[:32].hex()}")


class SerialScanner:
    """Reads a serial scanner on its own thread; see the module docstring for the events."""

    def __init__(
        self,
        port: SerialPort | PortFactory,
        on_event: Callable[[ScannerEvent], None],
        *,
        port_name: str | None = None,
        max_line_bytes: int = 2048,
        encodings: Sequence[str] = ("utf-8", "gbk"),
        read_timeout_s: float = 0.1,
        idle_flush_s: float | None = 0.5,
        reconnect_interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._port_source = port
        self._on_event = on_event
        self.port_name = port_name or str(getattr(port, "port", None) or getattr(port, "name", "serial port"))
        self._assembler = LineAssembler(max_line_bytes)
        self._encodings = tuple(encodings)
        self._read_timeout_s = read_timeout_s
        self._idle_flush_s = idle_flush_s
        self._reconnect_interval_s = reconnect_interval_s
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: SerialPort | None = None
        self._first_open = True

    @classmethod
    def from_settings(cls, settings: SerialScannerSettings,
                      on_event: Callable[[ScannerEvent], None]) -> SerialScanner:
        """A reader that opens (and reopens) the configured port URL with pyserial."""
        url = settings.port
        if url is None:
            from terminal.errors import ConfigError

            raise ConfigError("No serial scanner port is configured (devices.serial_scanner.port).")

        def open_port() -> SerialPort:
            import serial

            port: SerialPort = serial.serial_for_url(url, baudrate=settings.baudrate,
                                                     timeout=settings.read_timeout_s)
            return port

        return cls(open_port, on_event, port_name=url, max_line_bytes=settings.max_line_bytes,
                   encodings=settings.encodings, read_timeout_s=settings.read_timeout_s,
                   idle_flush_s=settings.idle_flush_s, reconnect_interval_s=settings.reconnect_interval_s)

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the serial scanner reader is already started")
        self._thread = threading.Thread(target=self._run, name=f"serial-scanner {self.port_name}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop the reader and close the port; False if the thread did not end in time."""
        self._stop.set()
        port = self._port
        cancel = getattr(port, "cancel_read", None)
        if callable(cancel):
            try:
                cancel()
            except Exception:  # the port may be half-closed; the read timeout still ends the wait
                log.debug("cancel_read failed", exc_info=True)
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def __enter__(self) -> SerialScanner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the owner thread ------------------------------------------------------------------------

    def _run(self) -> None:
        outage_reported = False
        last_data = self._clock()
        try:
            while not self._stop.is_set():
                if self._port is None:
                    try:
                        self._port = self._open()
                    except Exception as exc:  # OSError/SerialException, or a bad URL (ValueError)
                        if not outage_reported:
                            self._emit(ScannerUnavailable(self.port_name, _describe(exc)))
                            outage_reported = True
                        self._stop.wait(self._reconnect_interval_s)
                        continue
                    outage_reported = False
                    self._assembler.reset()
                    last_data = self._clock()
                    self._emit(ScannerConnected(self.port_name))
                try:
                    data = self._port.read(max(1, min(self._port.in_waiting, _MAX_READ)))
                except Exception as exc:
                    if self._stop.is_set():
                        break
                    if not isinstance(exc, OSError):  # SerialException is an OSError
                        log.exception("unexpected failure reading %s", self.port_name)
                    self._close_port()
                    self._emit(ScannerPortLost(self.port_name, _describe(exc)))
                    outage_reported = True
                    self._stop.wait(self._reconnect_interval_s)
                    continue
                now = self._clock()
                if data:
                    last_data = now
                    for item in self._assembler.feed(data):
                        self._deliver(item)
                elif (self._idle_flush_s is not None and self._assembler.partial
                      and now - last_data >= self._idle_flush_s):
                    self._deliver(self._assembler.take_partial(), terminated=False)
        finally:
            self._close_port()

    def _open(self) -> SerialPort:
        source = self._port_source
        if isinstance(source, SerialPort):
            # An injected port object: use it as given the first time, reopen it after a loss.
            if not self._first_open or not getattr(source, "is_open", True):
                opener = getattr(source, "open", None)
                if not callable(opener):
                    raise OSError("the injected port cannot be reopened")
                opener()
            port = source
        else:
            port = source()
        self._first_open = False
        # Every read must time out, or stop() could wait on a silent scanner forever.
        if port.timeout is None or port.timeout > self._read_timeout_s:
            port.timeout = self._read_timeout_s
        return port

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("closing %s failed", self.port_name, exc_info=True)

    def _deliver(self, item: bytes | _Overflow, *, terminated: bool = True) -> None:
        if isinstance(item, _Overflow):
            self._emit(ScanTooLong(item.size, f"bytes and more in one line (limit "
                                              f"{self._assembler.max_line_bytes})"))
            return
        try:
            line = decode_line(item, self._encodings)
        except TerminalError as exc:
            self._emit(exc)
            return
        self._emit(line if terminated else ScannedLine(line.text, line.raw, line.encoding, False))

    def _emit(self, event: ScannerEvent) -> None:
        try:
            self._on_event(event)
        except Exception:  # a faulty consumer must not kill the port's thread
            log.exception("serial scanner event handler failed on %r", event)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
