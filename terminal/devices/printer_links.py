"""How the receipt printer is reached: python-escpos backends behind one small interface.

A link opens, writes bytes, asks the paper sensor, says cheaply whether it is
known to be gone, and closes. Only the printer's owner thread calls it. Every
failure to open is a typed error sorted by terminal.faults (BadInput, such as
a malformed port URL or a missing library, makes the printer FAILED; an
EnvironmentFault keeps it retrying); a failure while open is an OSError the
printer treats as the printer lost.

The paper sensor is ESC/POS real-time status (DLE EOT 4). Links that can read
(serial, network, USB) ask it; a printer that stays silent is UNKNOWN and
prints anyway. escpos's own paper_status() is not used: it reads an empty
answer as "plenty of paper" and blocks for the link's whole timeout.
"""

from __future__ import annotations

import errno
import importlib.util
import logging
import os
import select
import socket
from enum import Enum
from typing import Any, Protocol

from terminal.devices.serial_link import serial_port_factory
from terminal.errors import BadInput, ConfigError, EnvironmentFault
from terminal.faults import file_fault, serial_fault, socket_fault

log = logging.getLogger(__name__)

PAPER_STATUS_QUERY = b"\x10\x04\x04"  # DLE EOT 4: the roll paper sensor


class Paper(Enum):
    OK = "ok"
    LOW = "low"  # the near-end sensor: a new roll will be needed soon
    OUT = "out"
    UNKNOWN = "unknown"  # the link cannot ask, or the printer did not answer


def paper_from_status(answer: bytes) -> Paper:
    """The paper state in a DLE EOT 4 answer (its last byte); UNKNOWN for anything else."""
    if not answer:
        return Paper.UNKNOWN
    status = answer[-1]
    if status & 0x93 != 0x12:  # bits 1 and 4 are always set, 0 and 7 never: not a status byte
        return Paper.UNKNOWN
    if status & 0x60:
        return Paper.OUT
    if status & 0x0C:
        return Paper.LOW
    return Paper.OK


class PrinterLink(Protocol):
    label: str

    def open(self) -> None: ...

    def write(self, data: bytes) -> None: ...

    def paper(self, timeout_s: float) -> Paper: ...

    def gone(self) -> bool: ...

    def close(self) -> None: ...


def _not_there(what: str, detail: str) -> EnvironmentFault:
    return EnvironmentFault(f"The receipt printer ({what}) cannot be reached: check its cable and that it is "
                            "switched on.", detail=detail)


class DummyPrinterLink:
    """escpos's Dummy printer: the bytes are kept in memory (`output`, `writes`). For demos and tests,
    `paper` can be set and the printer `unplug()`ged and `plug_in()` again."""

    def __init__(self, label: str = "dummy") -> None:
        from escpos.printer import Dummy

        self.label = label
        self._dummy: Any = Dummy()
        self.writes: list[bytes] = []
        self.paper_state = Paper.OK
        self.unplugged = False

    @property
    def output(self) -> bytes:
        return bytes(self._dummy.output)

    def unplug(self) -> None:
        self.unplugged = True

    def plug_in(self) -> None:
        self.unplugged = False

    def open(self) -> None:
        if self.unplugged:
            raise _not_there(self.label, "the dummy printer is unplugged")

    def write(self, data: bytes) -> None:
        if self.unplugged:
            raise OSError(errno.ENODEV, "the dummy printer is unplugged")
        self._dummy._raw(data)
        self.writes.append(data)

    def paper(self, timeout_s: float) -> Paper:
        if self.unplugged:
            raise OSError(errno.ENODEV, "the dummy printer is unplugged")
        return self.paper_state

    def gone(self) -> bool:
        return self.unplugged

    def close(self) -> None:
        """Nothing to release: the bytes stay readable."""


class NetworkPrinterLink:
    """A printer on TCP (port 9100 by convention), one connection kept open."""

    def __init__(self, host: str, port: int = 9100, *, timeout_s: float = 5.0) -> None:
        self.host, self.port, self.timeout_s = host, port, timeout_s
        self.label = f"{host}:{port}"
        self._printer: Any = None

    def open(self) -> None:
        from escpos.printer import Network

        # Connected here rather than by escpos's open(), which drops the socket of a failed attempt unclosed.
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout_s)
        except OSError as exc:
            # Sorted by the one rule for sockets (an unknown host name is the configuration's fault),
            # in the printer's own words.
            if isinstance(socket_fault(exc, self.label), BadInput):
                raise ConfigError(f"The receipt printer's host name {self.host} is not known: check "
                                  "devices.printer.host.", detail=str(exc)) from None
            raise _not_there(self.label, str(exc)) from None
        printer = Network(self.host, self.port, timeout=self.timeout_s)
        printer.device = sock
        self._printer = printer

    def _socket(self) -> socket.socket:
        if self._printer is None or not self._printer.device:
            raise OSError(errno.ENOTCONN, "the printer connection is closed")
        sock: socket.socket = self._printer.device
        return sock

    def write(self, data: bytes) -> None:
        self._socket()
        self._printer._raw(data)

    def paper(self, timeout_s: float) -> Paper:
        sock = self._socket()
        if not self._drain(sock):
            raise ConnectionResetError(errno.ECONNRESET, "the printer closed the connection")
        sock.sendall(PAPER_STATUS_QUERY)
        sock.settimeout(timeout_s)
        try:
            answer = sock.recv(16)
        except TimeoutError:
            return Paper.UNKNOWN
        finally:
            sock.settimeout(self.timeout_s)
        if not answer:
            raise ConnectionResetError(errno.ECONNRESET, "the printer closed the connection")
        return paper_from_status(answer)

    def gone(self) -> bool:
        try:
            sock = self._socket()
            readable, _, _ = select.select([sock], [], [], 0)
            # Readable with nothing to read: the printer closed the connection (unplugged, switched off).
            return bool(readable) and not self._drain(sock)
        except OSError:
            return True

    def _drain(self, sock: socket.socket) -> bool:
        """Drop what the printer sent unasked (a late status answer, so it is not taken for the next
        one); False when the printer has closed the connection."""
        sock.settimeout(0)
        try:
            while sock.recv(256):
                pass
            return False
        except BlockingIOError:
            return True
        finally:
            sock.settimeout(self.timeout_s)

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            printer.close()


class SerialPrinterLink:
    """A printer on a serial port, opened as the other serial devices open theirs (a device path, a pty, or
    any pyserial URL); escpos's Serial only writes to it."""

    def __init__(self, port: str, *, baudrate: int = 9600, timeout_s: float = 5.0) -> None:
        self.port, self.baudrate, self.timeout_s = port, baudrate, timeout_s
        self.label = port
        self._printer: Any = None

    def open(self) -> None:
        from escpos.printer import Serial

        try:
            device = serial_port_factory(self.port, baudrate=self.baudrate, read_timeout_s=0.5,
                                         write_timeout_s=self.timeout_s)()
        except (OSError, ValueError) as exc:
            raise serial_fault(exc, self.port) from None
        printer = Serial(devfile=self.port, baudrate=self.baudrate)
        printer.device = device
        self._printer = printer

    def _device(self) -> Any:
        if self._printer is None or not self._printer.device:
            raise OSError(errno.ENOTCONN, "the printer port is closed")
        return self._printer.device

    def write(self, data: bytes) -> None:
        device = self._device()
        # Room for the bytes at the line's speed (10 bits a byte), as well as the printer's own pace.
        device.write_timeout = self.timeout_s + len(data) * 10 / self.baudrate
        self._printer._raw(data)
        device.flush()

    def paper(self, timeout_s: float) -> Paper:
        device = self._device()
        device.reset_input_buffer()
        device.write(PAPER_STATUS_QUERY)
        device.timeout = timeout_s
        return paper_from_status(device.read(1))

    def gone(self) -> bool:
        # A USB-serial adapter pulled out takes its device file with it; URLs cannot be checked this cheaply.
        return self._printer is None or (self.port.startswith("/") and not os.path.exists(self.port))

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # a vanished port may refuse even that; it is gone either way
                log.debug("closing the printer port %s failed", self.port, exc_info=True)


class FilePrinterLink:
    """A printer behind a device file (/dev/usb/lp0), or a file that collects the bytes. Write only."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.label = path
        self._printer: Any = None

    def open(self) -> None:
        from escpos.printer import File

        try:
            # Appending, never creating: a missing /dev/usb/lp0 is an unplugged printer, not a new file.
            # Non-blocking at open only: a FIFO without a reader must fail, not hang the owner thread.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK | os.O_CLOEXEC)
            os.set_blocking(fd, True)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                raise _not_there(self.path, str(exc)) from None
            raise file_fault(exc, self.path, "receipt printer", config=True) from None
        printer = File(devfile=self.path)
        printer.device = os.fdopen(fd, "wb")
        self._printer = printer

    def write(self, data: bytes) -> None:
        if self._printer is None or not self._printer.device:
            raise OSError(errno.ENOTCONN, "the printer file is closed")
        self._printer._raw(data)

    def paper(self, timeout_s: float) -> Paper:
        return Paper.UNKNOWN

    def gone(self) -> bool:
        return self._printer is None or not os.path.exists(self.path)

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except OSError:
                log.debug("closing the printer file %s failed", self.path, exc_info=True)


class UsbPrinterLink:
    """A USB printer by vendor and product id, through pyusb (not installed by default: most counter
    printers also offer serial or network, and pyusb needs libusb and a udev rule)."""

    def __init__(self, vendor_id: int, product_id: int, *, timeout_s: float = 5.0) -> None:
        self.vendor_id, self.product_id, self.timeout_s = vendor_id, product_id, timeout_s
        self.label = f"USB {vendor_id:04x}:{product_id:04x}"
        self._printer: Any = None

    def open(self) -> None:
        if importlib.util.find_spec("usb") is None:
            raise ConfigError("USB receipt printers need the pyusb package: install it (pip install pyusb) or "
                              "connect the printer by serial or network.")
        from escpos.exceptions import DeviceNotFoundError
        from escpos.printer import Usb

        printer = Usb(self.vendor_id, self.product_id, timeout=int(self.timeout_s * 1000))
        try:
            printer.open()
        except DeviceNotFoundError as exc:
            raise _not_there(self.label, str(exc)) from None
        self._printer = printer

    def write(self, data: bytes) -> None:
        if self._printer is None or not self._printer.device:
            raise OSError(errno.ENOTCONN, "the USB printer is closed")
        self._printer._raw(data)

    def paper(self, timeout_s: float) -> Paper:
        printer = self._printer
        if printer is None or not printer.device:
            raise OSError(errno.ENOTCONN, "the USB printer is closed")
        printer._raw(PAPER_STATUS_QUERY)
        try:
            answer = printer.device.read(printer.in_ep, 16, int(timeout_s * 1000))
        except OSError as exc:  # pyusb's USBTimeoutError: a printer that does not answer status
            if type(exc).__name__ == "USBTimeoutError":
                return Paper.UNKNOWN
            raise
        return paper_from_status(bytes(answer))

    def gone(self) -> bool:
        return self._printer is None

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:
                log.debug("closing %s failed", self.label, exc_info=True)
