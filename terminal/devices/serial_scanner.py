"""Serial barcode scanner: text lines ended by CR, CR LF or LF, read on one owner thread.

The scanner is a Device (terminal.devices.device) on a SerialLink: the port is an
injected pyserial object (serial.serial_for_url, so a device, a pty path,
`socket://` or `loop://` all work) or a factory that opens one, which lets the
reader reconnect when a USB scanner is unplugged and plugged back. Its events
(ScannerEvent), given to the one subscriber on the owner thread:

- StateChanged: the port is connecting, ready, lost (reopened by itself), failed
  (a malformed port URL) or closed; the reason says what the cashier can do.
- ScannedLine: one code, decoded (UTF-8 first, then GBK, as configured).
- ScanRejected: a line that is not a usable code, with its BadInput (from
  scan_codes): ScanTooLong for a line longer than max_line_bytes (reported as soon
  as it passes the limit, then discarded up to its terminator, never buffered),
  UnreadableScan for bytes in no known encoding or binary data.

Empty lines are ignored: a CR LF split across two reads ends the line at the CR
and leaves an empty "line" before the LF, and no scanner sends an empty code.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from terminal.devices.device import Device, DeviceState, DeviceThread, StateChanged
from terminal.devices.scan_codes import ScanTooLong, UnreadableScan, decode_scan
from terminal.devices.serial_link import PortFactory, SerialLink, SerialPort, serial_port_factory
from terminal.errors import BadInput, ConfigError
from terminal.settings import SerialScannerSettings

_TERMINATOR = re.compile(rb"\r\n|\r|\n")
_MAX_READ = 4096
WRITE_TIMEOUT_S = 1.0


@dataclass(frozen=True)
class ScannedLine:
    text: str
    raw: bytes
    encoding: str
    # False when the line was delivered after idle_flush_s without a terminator.
    terminated: bool = True


@dataclass(frozen=True)
class ScanRejected:
    """A line that is not a usable code (ScanTooLong, UnreadableScan)."""

    error: BadInput


ScannerEvent = StateChanged | ScannedLine | ScanRejected


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


def serial_scanner_from_settings(
    settings: SerialScannerSettings,
    *,
    port: str | None = None,
    on_event: Callable[[ScannerEvent], None] | None = None,
) -> SerialScanner:
    """A (not yet started) scanner that opens, and reopens, the configured port URL (or `port`)."""
    url = port or settings.port
    if not url:
        raise ConfigError("No serial scanner port is configured (devices.serial_scanner.port).")
    return SerialScanner(
        serial_port_factory(url, baudrate=settings.baudrate, read_timeout_s=settings.read_timeout_s,
                            write_timeout_s=WRITE_TIMEOUT_S),
        max_line_bytes=settings.max_line_bytes, encodings=settings.encodings,
        read_timeout_s=settings.read_timeout_s, idle_flush_s=settings.idle_flush_s,
        reconnect_interval_s=settings.reconnect_interval_s, on_event=on_event,
    )


class SerialScanner(DeviceThread[ScannedLine | ScanRejected]):
    """Reads a serial scanner on its own thread; see the module docstring for the events."""

    def __init__(
        self,
        port: SerialPort | PortFactory,
        *,
        name: str = "serial scanner",
        port_label: str | None = None,
        max_line_bytes: int = 2048,
        encodings: Sequence[str] = ("utf-8", "gbk"),
        read_timeout_s: float = 0.1,
        idle_flush_s: float | None = 0.5,
        reconnect_interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        on_event: Callable[[ScannerEvent], None] | None = None,
    ) -> None:
        self._link = SerialLink(port, label=port_label, read_timeout_s=read_timeout_s,
                                reconnect_interval_s=reconnect_interval_s)
        super().__init__(name, on_event=on_event, thread_name=f"serial-scanner {self._link.label}")
        self._assembler = LineAssembler(max_line_bytes)
        self._encodings = tuple(encodings)
        self._idle_flush_s = idle_flush_s
        self._clock = clock

    # -- the owner thread ------------------------------------------------------------------------

    def _wake(self) -> None:
        self._link.wake()

    def _run(self) -> None:
        self._link.run(self._closing, self._set_state, self._serve)

    def _serve(self, port: SerialPort) -> None:
        self._assembler.reset()
        self._set_state(DeviceState.READY)
        last_data = self._clock()
        while not self._closing.is_set():
            data = port.read(max(1, min(port.in_waiting, _MAX_READ)))
            now = self._clock()
            if data:
                last_data = now
                for item in self._assembler.feed(data):
                    self._deliver(item)
            elif (self._idle_flush_s is not None and self._assembler.partial
                  and now - last_data >= self._idle_flush_s):
                self._deliver(self._assembler.take_partial(), terminated=False)

    def _deliver(self, item: bytes | _Overflow, *, terminated: bool = True) -> None:
        if isinstance(item, _Overflow):
            self._emit(ScanRejected(ScanTooLong(item.size, f"bytes and more in one line (limit "
                                                           f"{self._assembler.max_line_bytes})")))
            return
        try:
            line = decode_line(item, self._encodings)
        except BadInput as exc:  # UnreadableScan, or ScanTooLong for a long enough line
            self._emit(ScanRejected(exc))
            return
        self._emit(line if terminated else ScannedLine(line.text, line.raw, line.encoding, False))


if TYPE_CHECKING:  # mypy checks that SerialScanner is a Device; nothing runs
    _IS_A_DEVICE: type[Device[ScannerEvent]] = SerialScanner
