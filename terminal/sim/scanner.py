"""A simulated serial barcode scanner on a pty, for technicians and tests.

The simulator owns the master side of a pty whose slave is symlinked at PATH; a
terminal configured with that PATH as its scanner port reads it exactly as it
would read /dev/ttyACM0. Codes are written as a scanner sends them: the payload,
then the terminator, paced at the configured baud rate (so a long code arrives
in pieces, as on a real line).

Unlike terminal.sim.pty_link.PtyLink, this pty does not keep its own slave end
open: the master then sees a hang-up while nobody has PATH open, which tells the
simulator when a reader connects. It waits for one before the first code (pyserial
flushes the input when it opens a port, so codes sent earlier would be lost) and
pauses while the reader is away. `wait_for_reader=False` plays regardless, like a
real scanner whose codes are lost when nobody listens.

Codes file: either a JSON list, whose items are strings (sent as UTF-8) or
objects {"text": "...", "encoding": "gbk"}, {"hex": "00ff..."} or
{"base64": "..."}, each optionally with "terminator": "cr" | "crlf" | "lf" |
"none" (default: the simulator's); or a text file with one code per line (the
line's bytes are sent as they are, so a non-UTF-8 line stays non-UTF-8; blank
lines are skipped).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import errno
import fcntl
import itertools
import json
import os
import select
import struct
import termios
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terminal.errors import BadInput
from terminal.files import read_file_bytes
from terminal.sim.pty_link import PtyLink

TERMINATORS = {"cr": b"\r", "crlf": b"\r\n", "lf": b"\n", "none": b""}
# After a reader appears, give it time to finish opening (pyserial configures the
# port and flushes its input right after open()).
READER_SETTLE_S = 0.2
# How long a write may wait for a reader that stopped reading before the rest of
# the code is dropped.
WRITE_STALL_S = 2.0

Report = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class Code:
    payload: bytes
    # None: the simulator's default terminator.
    terminator: bytes | None = None


def load_codes(path: str | os.PathLike[str]) -> list[Code]:
    """Codes from a JSON list or a text file of one code per line (see the module docstring)."""
    raw = read_file_bytes(Path(path), "codes")
    codes = parse_codes(raw, str(path))
    if not codes:
        raise BadInput(f"The codes file {path} holds no codes.")
    return codes


def parse_codes(raw: bytes, name: str = "codes") -> list[Code]:
    data: Any = None
    if raw.lstrip().startswith(b"["):
        # Not JSON after all (ISO 15434 codes start with "[)>"): read it as lines.
        with contextlib.suppress(UnicodeDecodeError, json.JSONDecodeError):
            data = json.loads(raw.decode("utf-8"))
    if isinstance(data, list):
        return [_code_from_json(item, f"{name} item {i + 1}") for i, item in enumerate(data)]
    return [Code(line) for line in raw.replace(b"\r\n", b"\n").split(b"\n") if line.strip()]


def _code_from_json(item: Any, where: str) -> Code:
    if isinstance(item, str):
        return Code(item.encode("utf-8"))
    if not isinstance(item, dict):
        raise BadInput(f"The {where} must be a string or an object.")
    terminator = item.get("terminator")
    if terminator is not None and terminator not in TERMINATORS:
        raise BadInput(f"The {where} has an unknown terminator; use cr, crlf, lf or none.",
                       detail=repr(terminator))
    end = None if terminator is None else TERMINATORS[terminator]
    try:
        if "hex" in item:
            return Code(bytes.fromhex(item["hex"]), end)
        if "base64" in item:
            return Code(base64.b64decode(item["base64"], validate=True), end)
        if "text" in item:
            return Code(str(item["text"]).encode(item.get("encoding", "utf-8")), end)
    except (ValueError, TypeError, LookupError, binascii.Error) as exc:
        raise BadInput(f"The {where} cannot be turned into bytes.", detail=str(exc)) from None
    raise BadInput(f"The {where} needs one of the keys text, hex or base64.")


class ScannerPty(PtyLink):
    """The scanner's pty: the slave is let go so the simulator can wait for a reader to open it."""

    def __init__(self, link: str | os.PathLike[str]) -> None:
        super().__init__(link, keep_slave_open=False)

    @property
    def link(self) -> Path:
        return self.path

    def reader_present(self) -> bool:
        return self.host_connected()

    def drain_input(self) -> None:
        """Discard anything the reader wrote to the scanner (a scanner ignores commands)."""
        with contextlib.suppress(BlockingIOError):
            while True:
                try:
                    if not os.read(self.master_fd, 4096):
                        return
                except OSError as exc:
                    if exc.errno == errno.EIO:  # no reader
                        return
                    raise

    def write_all(self, data: bytes, stop: threading.Event) -> int:
        """Write all of data unless the reader stalls for WRITE_STALL_S; returns bytes written."""
        sent = 0
        deadline = time.monotonic() + WRITE_STALL_S
        while sent < len(data) and not stop.is_set():
            _, ready, _ = select.select([], [self.master_fd], [], 0.05)
            if not ready:
                if time.monotonic() >= deadline:
                    break
                continue
            try:
                sent += os.write(self.master_fd, data[sent:])
                deadline = time.monotonic() + WRITE_STALL_S
            except BlockingIOError:
                continue
        return sent

    def unread_bytes(self) -> int:
        """Bytes written that the reader has not read yet (0 if it cannot be told)."""
        try:
            fd = os.open(self.slave_name, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        except OSError:
            return 0
        try:
            count: int = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
            return count
        except OSError:
            return 0
        finally:
            os.close(fd)


class ScannerSim:
    """Plays codes into a ScannerPty as a serial scanner would."""

    def __init__(
        self,
        link: str | os.PathLike[str],
        *,
        interval_s: float = 0.5,
        terminator: bytes = b"\r",
        baudrate: int = 9600,
        wait_for_reader: bool = True,
        linger_s: float = 5.0,
        report: Report | None = None,
    ) -> None:
        self.pty = ScannerPty(link)
        self.interval_s = interval_s
        self.terminator = terminator
        self.baudrate = baudrate
        self.wait_for_reader = wait_for_reader
        self.linger_s = linger_s
        self.stop_event = threading.Event()
        self._report = report or (lambda event: None)
        self._reader_seen = False
        self._line_free_at = 0.0

    def __enter__(self) -> ScannerSim:
        self.pty.open()
        self._report({"event": "ready", "link": str(self.pty.link), "pty": self.pty.slave_name})
        return self

    def __exit__(self, *exc: object) -> None:
        self.pty.close()

    def stop(self) -> None:
        self.stop_event.set()

    def play(self, codes: Iterable[Code]) -> int:
        """Send each code (waiting `interval_s` before it); returns how many were sent whole."""
        sent = 0
        pending = iter(codes)
        # Wait for the reader before taking a code, so a technician typing codes on
        # stdin already sees "reader_connected".
        for index in itertools.count():
            if not self._await_reader():
                break
            code = next(pending, None)
            if code is None or self.stop_event.wait(self.interval_s) or not self._await_reader():
                break
            data = code.payload + (self.terminator if code.terminator is None else code.terminator)
            written = self._send(data)
            self._report({"event": "sent", "index": index, "bytes": written,
                          **({"dropped": len(data) - written} if written < len(data) else {})})
            sent += written == len(data)
        self._linger()
        self._report({"event": "done", "sent": sent})
        return sent

    def _await_reader(self) -> bool:
        """True once a reader is there (or we do not wait for one); False when stopped."""
        if not self.wait_for_reader:
            return not self.stop_event.is_set()
        while not self.stop_event.is_set():
            self.pty.drain_input()
            if self.pty.reader_present():
                if not self._reader_seen:
                    self._reader_seen = True
                    self._report({"event": "reader_connected"})
                    if self.stop_event.wait(READER_SETTLE_S):
                        return False
                    continue  # still there after settling?
                return True
            if self._reader_seen:
                self._reader_seen = False
                self._report({"event": "reader_gone"})
            self.stop_event.wait(0.02)
        return False

    def _send(self, data: bytes) -> int:
        if self.baudrate <= 0:
            return self.pty.write_all(data, self.stop_event)
        # 8N1: ten bits on the wire per byte. Each ~10 ms slice waits until the line is
        # free of the previous one, so the last byte is written when the wire would
        # deliver it, and back-to-back codes never go faster than the baud rate.
        bytes_per_s = self.baudrate / 10
        step = max(1, int(bytes_per_s / 100))
        written = 0
        for offset in range(0, len(data), step):
            wait = self._line_free_at - time.monotonic()
            if wait > 0 and self.stop_event.wait(wait):
                break
            chunk = data[offset:offset + step]
            n = self.pty.write_all(chunk, self.stop_event)
            written += n
            self._line_free_at = max(time.monotonic(), self._line_free_at) + n / bytes_per_s
            if n < len(chunk):
                break
        return written

    def _linger(self) -> None:
        """Before closing, let the reader take what is still in the pty (closing drops it)."""
        deadline = time.monotonic() + self.linger_s
        # The pty moves written bytes to the reader's side asynchronously: give it a moment
        # before trusting the count of unread bytes.
        if self.stop_event.wait(0.1):
            return
        while time.monotonic() < deadline and not self.stop_event.is_set():
            if not self.pty.reader_present() or self.pty.unread_bytes() == 0:
                return
            self.stop_event.wait(0.02)


def cycle(codes: list[Code], loop: bool) -> Iterator[Code]:
    while True:
        yield from codes
        if not loop:
            return


def line_codes(fd: int, stop: threading.Event) -> Iterator[Code]:
    """Codes typed by a technician, one per line on `fd` (stdin), until end of input or stop.

    A line "hex:0a1b..." sends those bytes; any other line is sent as it was typed.
    """
    pending = b""
    while not stop.is_set():
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            line = line.rstrip(b"\r")
            if not line.strip():
                continue
            if line.startswith(b"hex:"):
                try:
                    yield Code(bytes.fromhex(line[4:].decode("ascii")))
                except (ValueError, UnicodeDecodeError):
                    continue  # a typo at the keyboard; the technician sees nothing was sent
            else:
                yield Code(line)
        if not chunk:
            if pending.strip():
                yield Code(pending.rstrip(b"\r"))
            return
