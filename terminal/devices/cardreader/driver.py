"""Host driver of the serial card reader: one owner thread does all port I/O.

Callers (the UI adapter, the CLI) call `status()`, `read_card()`, `beep()` and
`reset()` from any thread; each becomes a request the owner thread sends, matches
against the answer (CMD | 0x80), retries on timeout, on a damaged answer and on a
"bad frame" status, and resolves through a future. Every wait is bounded, so a
dead reader gives ReaderTimeout, never a hang.

Answers carry no sequence number, so a late answer to an earlier attempt could be
taken for the answer to a later command (the previous patient's card!). The owner
thread keeps a ledger of commands written and not yet answered; since the reader
answers in order, an answer belongs to the oldest unanswered command of its kind,
and everything written before that is answered or lost. A command that would be
sent while older ones are still owed is preceded by a probe of another kind
(STATUS, or a silent BEEP 0 before a STATUS); once the probe is answered nothing
older can arrive, and the next answer of the command's kind is the command's own.
The first command after a reconnect is probed the same way (with a BEEP 0), as
what was said before the reconnect is unknown.

Unsolicited card inserted / removed frames and link status (connected, lost,
reconnected) become ReaderEvents, delivered to an optional callback (called on
the owner thread: it must return quickly and must not call the driver) and to a
bounded queue read with `next_event()`.

The port is injected: either an open-able port object (pyserial or a test fake)
or a factory that opens a new one, which is what makes reconnect possible after a
USB reader is unplugged and plugged back in (or a pty is recreated).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Protocol

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.errors import (
    CardAuthFailed,
    CardExpired,
    CardNotPresent,
    CardReadFailed,
    ReaderClosed,
    ReaderDisconnected,
    ReaderLinkGarbled,
    ReaderProtocolError,
    ReaderTimeout,
)
from terminal.devices.cardreader.record import CardRecord
from terminal.errors import ConfigError, TerminalError
from terminal.settings import CardReaderSettings

log = logging.getLogger(__name__)

# How long one blocking read may wait before the owner thread re-checks deadlines
# and its request queue. A new request also interrupts the read (cancel_read).
READ_SLICE_S = 0.05
WRITE_TIMEOUT_S = 1.0
DISCONNECTED_GRACE_S = 1.0
EVENT_QUEUE_LEN = 256

EVENT_CONNECTED = "connected"
EVENT_LOST = "lost"
EVENT_RECONNECTED = "reconnected"
EVENT_CARD_INSERTED = "card-inserted"
EVENT_CARD_REMOVED = "card-removed"


class SerialPort(Protocol):
    """What the driver needs of a port: the pyserial API subset it uses."""

    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes, /) -> int | None: ...

    def close(self) -> None: ...


PortFactory = Callable[[], SerialPort]


def serial_port_factory(url: str, *, baudrate: int = 9600) -> PortFactory:
    """A factory opening `url` with pyserial: device path, pty, loop://, socket://..."""

    def open_port() -> SerialPort:
        import serial  # heavy-ish and optional: only drivers that talk serial need it

        # write_timeout: a port that never drains (flow control stuck, peer gone)
        # must raise, not block the owner thread forever.
        port: SerialPort = serial.serial_for_url(
            url, baudrate=baudrate, bytesize=8, parity="N", stopbits=1,
            timeout=READ_SLICE_S, write_timeout=WRITE_TIMEOUT_S,
        )
        return port

    return open_port


def card_reader_from_settings(
    settings: CardReaderSettings,
    *,
    port: str | None = None,
    on_event: Callable[[ReaderEvent], None] | None = None,
) -> CardReader:
    """A (not yet started) CardReader on the configured port, or on `port` if given.

    A simulator and a real reader differ only in the port: a pty link such as
    /tmp/card-reader, or /dev/ttyUSB0.
    """
    url = port or settings.port
    if not url:
        raise ConfigError(
            "No card reader port is configured: set devices.card_reader.port or give --port."
        )
    return CardReader(
        serial_port_factory(url, baudrate=settings.baudrate),
        port_label=url,
        answer_timeout_s=settings.answer_timeout_s,
        retries=settings.retries,
        reconnect_interval_s=settings.reconnect_interval_s,
        on_event=on_event,
    )


@dataclass(frozen=True)
class ReaderEvent:
    kind: str
    at: float = field(default_factory=time.monotonic)
    detail: str | None = None


@dataclass(frozen=True)
class Answer:
    status: int
    payload: bytes


@dataclass
class _Request:
    cmd: int
    data: bytes
    expires: float
    future: Future[Answer] = field(default_factory=Future)
    attempts: int = 0
    probes: int = 0  # sync probes sent (see _start)
    probe_cmd: int = -1
    syncing: bool = False
    attempt_deadline: float = 0.0
    noise_mark: int = -1  # parser's noise counter when the request started
    queued_at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True, eq=False)
class _Sent:
    """One command written to the port, waiting for its answer."""

    cmd: int
    req: _Request
    probe: bool


_STATUS_ERRORS: dict[int, Callable[[str], TerminalError]] = {
    fr.ST_NO_CARD: lambda d: CardNotPresent(detail=d),
    fr.ST_READ_ERROR: lambda d: CardReadFailed(detail=d),
    fr.ST_AUTH_FAILED: lambda d: CardAuthFailed(detail=d),
    fr.ST_UNKNOWN_COMMAND: lambda d: ReaderProtocolError(detail=d),
    fr.ST_BAD_FRAME: lambda d: ReaderLinkGarbled(detail=d),
}


def raise_for_status(cmd: int, status: int) -> None:
    """The typed error for a non-OK status byte of an answer to `cmd`."""
    if status == fr.ST_OK:
        return
    detail = f"command 0x{cmd:02X} answered status 0x{status:02X}"
    make = _STATUS_ERRORS.get(status)
    if make is None:
        raise ReaderProtocolError(detail=detail)
    raise make(detail)


class CardReader:
    """Driver of one card reader on one serial port (see module docstring)."""

    def __init__(
        self,
        port: SerialPort | PortFactory,
        *,
        name: str = "card reader",
        port_label: str | None = None,
        answer_timeout_s: float = 1.0,
        retries: int = 2,
        reconnect_interval_s: float = 1.0,
        on_event: Callable[[ReaderEvent], None] | None = None,
    ) -> None:
        if answer_timeout_s <= 0 or retries < 0 or reconnect_interval_s <= 0:
            raise ValueError("timeouts must be positive and retries non-negative")
        self.name = name
        self._label = port_label
        self.answer_timeout_s = answer_timeout_s
        self.retries = retries
        self.reconnect_interval_s = reconnect_interval_s
        self._source = port
        self._on_event = on_event
        self._parser = fr.FrameParser(accept_cmds=fr.HOST_ANSWER_CMDS)

        self._lock = threading.Condition()  # guards everything below shared with callers
        self._pending: collections.deque[_Request] = collections.deque()
        self._events: collections.deque[ReaderEvent] = collections.deque(maxlen=EVENT_QUEUE_LEN)
        self._port: SerialPort | None = None
        self._connected = False
        self._ever_connected = False
        self._open_attempts = 0
        self._last_open_error: str | None = None
        self._inserts = 0
        self._card_present: bool | None = None
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None

        # Owner-thread state only.
        self._current: _Request | None = None
        # The ledger: commands written and not yet answered, oldest first.
        self._sent: collections.deque[_Sent] = collections.deque()
        # After a reconnect, answers to commands written before it may still come
        # (a serial-to-TCP bridge keeps what the reader said meanwhile): the next
        # command is preceded by a probe whose own answer ends the doubt.
        self._doubt_after_reconnect = False

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> CardReader:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._run, name=f"{self.name} owner", daemon=True)
        self._thread.start()
        return self

    def close(self, timeout_s: float = 2.0) -> None:
        """Stop the owner thread, fail what is still queued, close the port."""
        self._closing.set()
        self._wake_reader()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("%s: owner thread did not stop within %.1fs", self.name, timeout_s)
            self._thread = None
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
            self._lock.notify_all()
        for req in pending:
            _fail(req, ReaderClosed())

    def __enter__(self) -> CardReader:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        return self._connected

    @property
    def card_present(self) -> bool | None:
        """Last known card presence (from events and STATUS answers); None if unknown."""
        return self._card_present

    def wait_connected(self, timeout_s: float, *, fail_fast: bool = False) -> None:
        """Block until the port is open; ReaderDisconnected if it is not within timeout_s.

        With fail_fast, give up as soon as the first attempt to open the port failed
        (a command-line user who named a wrong port should not wait).
        """
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while not self._connected:
                left = deadline - time.monotonic()
                if left <= 0 or self._closing.is_set() or (fail_fast and self._open_attempts):
                    raise ReaderDisconnected(self._port_label(), detail=self._last_open_error)
                self._lock.wait(left)

    # ------------------------------------------------------------------ commands

    def submit(self, cmd: int, data: bytes = b"") -> Future[Answer]:
        """Queue one command without waiting: the future gets its answer (any status)
        or a typed error, within the command's budget (see `budget_s`)."""
        if cmd not in fr.COMMANDS:
            raise ValueError(f"0x{cmd:02X} is not a card reader command")
        if self._thread is None:
            raise RuntimeError("start() the card reader before sending commands")
        req = _Request(cmd, data, time.monotonic() + self.budget_s)
        with self._lock:
            if self._closing.is_set():
                raise ReaderClosed()
            self._pending.append(req)
        self._wake_reader()
        return req.future

    @property
    def budget_s(self) -> float:
        """The longest one command may take: every attempt of the sync probe and of
        the command, and one reconnect."""
        return 2 * (self.retries + 1) * self.answer_timeout_s + self.reconnect_interval_s

    def command(self, cmd: int, data: bytes = b"") -> Answer:
        """Send one command and return its answer (any status); typed errors on failure."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("the card reader must not be called from its own event callback")
        future = self.submit(cmd, data)
        try:
            return future.result(timeout=self.budget_s + 2.0)
        except FutureTimeout:
            # The owner thread enforces deadlines; this is the last guard against a hang.
            raise ReaderTimeout(detail=f"no result for command 0x{cmd:02X}") from None

    def read_card_async(
        self, *, allow_expired: bool = False, today: dt.date | None = None
    ) -> Future[CardRecord]:
        """Read the card without blocking (e.g. from a GUI on a card-inserted event).

        The future resolves on the owner thread with the record or a typed error,
        exactly as `read_card()` without waiting for an insert.
        """
        outer: Future[CardRecord] = Future()

        def decode(done: Future[Answer]) -> None:
            try:
                outer.set_result(self._record_from(done.result(), allow_expired, today))
            except Exception as exc:  # typed errors, and bugs too: never a silent future
                outer.set_exception(exc)

        self.submit(fr.CMD_READ_BASIC).add_done_callback(decode)
        return outer

    def status(self) -> bool:
        """True if a card is in the reader."""
        answer = self.command(fr.CMD_STATUS)
        raise_for_status(fr.CMD_STATUS, answer.status)
        if len(answer.payload) != 1 or answer.payload[0] not in (0, 1):
            raise ReaderProtocolError(detail=f"STATUS answer {answer.payload.hex()} is not 0/1")
        self._card_present = answer.payload[0] == 1
        return self._card_present

    def beep(self, tenths: int = 1) -> None:
        if not 0 <= tenths <= 255:
            raise ValueError("beep length is 0..255 tenths of a second")
        raise_for_status(fr.CMD_BEEP, self.command(fr.CMD_BEEP, bytes([tenths])).status)

    def reset(self) -> None:
        raise_for_status(fr.CMD_RESET, self.command(fr.CMD_RESET).status)

    def read_card(
        self,
        *,
        wait_s: float = 0.0,
        allow_expired: bool = False,
        today: dt.date | None = None,
    ) -> CardRecord:
        """Read the card in the reader; with wait_s, wait that long for one to be inserted.

        An expired card raises CardExpired unless allow_expired (a technician reading
        a card to look at it); the record itself never hides that it has expired.
        """
        deadline = time.monotonic() + wait_s
        while True:
            with self._lock:
                inserts_before = self._inserts
            answer = self.command(fr.CMD_READ_BASIC)
            if answer.status == fr.ST_NO_CARD:
                self._card_present = False
                if self._wait_insert(inserts_before, deadline - time.monotonic()):
                    continue
            return self._record_from(answer, allow_expired, today)

    def _record_from(
        self, answer: Answer, allow_expired: bool, today: dt.date | None
    ) -> CardRecord:
        if answer.status == fr.ST_NO_CARD:
            self._card_present = False
        raise_for_status(fr.CMD_READ_BASIC, answer.status)
        record = CardRecord.from_payload(answer.payload)
        self._card_present = True
        if not allow_expired and record.is_expired(today):
            raise CardExpired(record.expiry_date, detail=f"card {record.card_no}")
        return record

    def next_event(self, timeout_s: float = 0.0) -> ReaderEvent | None:
        """The oldest undelivered event, waiting up to timeout_s for one."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while not self._events:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._lock.wait(left)
            return self._events.popleft()

    def _wait_insert(self, inserts_before: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while self._inserts == inserts_before:
                left = deadline - time.monotonic()
                if left <= 0 or self._closing.is_set():
                    return False
                self._lock.wait(left)
            return True

    # -------------------------------------------------------------- owner thread

    def _port_label(self) -> str:
        if self._label:
            return self._label
        return str(getattr(self._source, "port", None) or getattr(self._source, "name", self.name))

    def _wake_reader(self) -> None:
        # Interrupt a blocking read so a new request goes out at once; ports
        # without cancel_read are picked up within READ_SLICE_S.
        port = self._port
        cancel = getattr(port, "cancel_read", None)
        if cancel is not None:
            with contextlib.suppress(OSError, ValueError, TypeError):
                cancel()

    def _emit(self, kind: str, detail: str | None = None) -> None:
        event = ReaderEvent(kind, detail=detail)
        with self._lock:
            if kind == EVENT_CARD_INSERTED:
                self._inserts += 1
                self._card_present = True
            elif kind == EVENT_CARD_REMOVED:
                self._card_present = False
            self._events.append(event)
            self._lock.notify_all()
        if self._on_event is not None:
            try:
                self._on_event(event)
            except Exception:  # a faulty listener must not kill the port's thread
                log.exception("%s: event callback failed", self.name)

    def _run(self) -> None:
        try:
            while not self._closing.is_set():
                if self._port is None and not self._try_open():
                    self._expire_pending(time.monotonic())
                    self._closing.wait(self.reconnect_interval_s)
                    continue
                try:
                    self._step()
                except Exception as exc:  # SerialException, OSError, fakes' errors alike
                    self._lost(exc)
        finally:
            self._close_port()
            if self._current is not None:
                _fail(self._current, ReaderClosed())
                self._current = None

    def _try_open(self) -> bool:
        source = self._source
        try:
            if callable(source):
                port = source()
            else:
                port = source
                if not getattr(port, "is_open", True):
                    port.open()  # type: ignore[attr-defined]
            if port.timeout is None or port.timeout > READ_SLICE_S:
                # A blocking read without a timeout would never let the thread see
                # its deadlines or a close().
                port.timeout = READ_SLICE_S
        except Exception as exc:
            with self._lock:
                self._open_attempts += 1
                self._last_open_error = str(exc)
                self._lock.notify_all()
            return False
        with self._lock:
            self._port = port
            self._open_attempts += 1
            self._connected = True
            reconnected = self._ever_connected
            self._ever_connected = True
            self._lock.notify_all()
        self._parser.reset()
        self._doubt_after_reconnect = reconnected
        self._emit(EVENT_RECONNECTED if reconnected else EVENT_CONNECTED)
        return True

    def _close_port(self) -> None:
        with self._lock:
            port, self._port = self._port, None
            self._connected = False
            self._lock.notify_all()
        if port is not None:
            try:
                port.close()
            except Exception:
                log.debug("%s: closing the port failed", self.name, exc_info=True)

    def _lost(self, exc: BaseException) -> None:
        # Port errors are expected (unplugged cable); anything else is a bug in this
        # driver, logged with its traceback before the port is reopened.
        log.warning("%s: port lost: %s", self.name, exc, exc_info=not isinstance(exc, OSError))
        with self._lock:
            self._last_open_error = str(exc)
        self._close_port()
        if self._current is not None:
            # Sent again on the new port if attempts and time remain; what was half
            # received on the old one is not noise of the new one.
            self._current.queued_at = time.monotonic()
            self._current.noise_mark = -1
            with self._lock:
                self._pending.appendleft(self._current)
            self._current = None
        self._sent.clear()  # nothing written to the old port can be answered any more
        self._emit(EVENT_LOST, detail=str(exc))

    def _expire_pending(self, now: float) -> None:
        # While the port is gone a request waits for it a little (a replug, a pty
        # recreated), not its whole budget: the cashier should hear "not connected"
        # within a second or two.
        grace = max(2 * self.reconnect_interval_s, DISCONNECTED_GRACE_S)
        with self._lock:
            expired = [
                r for r in self._pending
                if now >= r.expires or r.future.done()
                or (not self._connected and now - r.queued_at >= grace)
            ]
            for req in expired:
                self._pending.remove(req)
        for req in expired:
            if self._connected:
                _fail(req, ReaderTimeout(detail=f"command 0x{req.cmd:02X} waited too long"))
            else:
                _fail(req, ReaderDisconnected(self._port_label(), detail=self._last_open_error))

    def _step(self) -> None:
        port = self._port
        assert port is not None
        now = time.monotonic()
        if self._current is None:
            self._expire_pending(now)
            with self._lock:
                req = self._pending.popleft() if self._pending else None
            if req is not None:
                self._start(req)
        waiting = port.in_waiting
        chunk = port.read(waiting if waiting > 0 else 1)
        if chunk:
            for item in self._parser.feed(chunk):
                self._handle(item)
        self._check_deadline(time.monotonic())

    def _start(self, req: _Request) -> None:
        if req.attempts > self.retries:
            _fail(req, ReaderDisconnected(self._port_label(), detail="lost during the command"))
            return
        self._current = req
        if req.noise_mark < 0:
            req.noise_mark = self._noise()
        if self._owes_answers(req):
            # An earlier command may still be answered. The reader answers in order,
            # so once a probe of another kind is answered every older command is
            # answered or lost, and the next answer of our kind is ours.
            req.syncing = True
            self._send_probe(req)
        else:
            req.syncing = False
            self._send(req)

    def _owes_answers(self, req: _Request) -> bool:
        return self._doubt_after_reconnect or any(sent.req is not req for sent in self._sent)

    def _write(self, req: _Request, cmd: int, data: bytes, *, probe: bool) -> None:
        port = self._port
        assert port is not None
        self._sent.append(_Sent(cmd, req, probe))
        log.debug("%s: -> 0x%02X%s, ledger %d", self.name, cmd, " (probe)" if probe else "",
                  len(self._sent))
        req.attempt_deadline = time.monotonic() + self.answer_timeout_s
        port.write(fr.encode_frame(cmd, data))

    def _send(self, req: _Request) -> None:
        req.attempts += 1
        self._write(req, req.cmd, req.data, probe=False)

    def _send_probe(self, req: _Request) -> None:
        req.probes += 1
        cmd, data = _probe_for(req.cmd, self._doubt_after_reconnect)
        req.probe_cmd = cmd
        self._write(req, cmd, data, probe=True)

    def _resend(self, req: _Request, error: TerminalError) -> None:
        """Send the current step again (probe or command) or give up with `error`."""
        sent = req.probes if req.syncing else req.attempts
        if sent <= self.retries and time.monotonic() < req.expires:
            log.info("%s: retrying 0x%02X: %s", self.name, req.cmd, error.detail)
            if req.syncing:
                self._send_probe(req)
            else:
                self._send(req)
        else:
            self._finish(req, error=error)

    def _finish(self, req: _Request, answer: Answer | None = None,
                error: TerminalError | None = None) -> None:
        self._current = None
        if error is not None:
            _fail(req, error)
        elif answer is not None and not req.future.done():
            req.future.set_result(answer)

    def _attribute(self, cmd: int) -> _Sent | None:
        """The sent command an answer to `cmd` belongs to (oldest first, as the reader
        answers in order); it and everything sent before it leave the ledger."""
        for index, sent in enumerate(self._sent):
            if sent.cmd == cmd:
                for _ in range(index + 1):
                    self._sent.popleft()
                return sent
        return None

    def _handle(self, item: fr.ParsedItem) -> None:
        req = self._current
        if isinstance(item, fr.CorruptFrame):
            log.info("%s: damaged frame 0x%02X dropped", self.name, item.cmd)
            sent = None
            if self._sent and item.cmd == self._sent[0].cmd | fr.ANSWER_BIT:
                # A damaged answer still answers something. Crediting it to the
                # oldest command, and only when the codes agree, can never credit a
                # command whose answer is still to come (the reader answers in order).
                sent = self._sent.popleft()
            if req is None:
                return
            if sent is not None and sent.req is not req:
                if req.syncing and not self._owes_answers(req):
                    self._end_sync(req)
            elif item.cmd == _expected_answer(req):
                self._resend(req, ReaderLinkGarbled(detail="answer failed its BCC check"))
            return
        if item.cmd == fr.EVT_CARD_INSERTED:
            self._emit(EVENT_CARD_INSERTED)
            return
        if item.cmd == fr.EVT_CARD_REMOVED:
            self._emit(EVENT_CARD_REMOVED)
            return
        sent = self._attribute(item.cmd & ~fr.ANSWER_BIT)
        log.debug("%s: <- 0x%02X for %s, ledger %d", self.name, item.cmd,
                  "nothing" if sent is None else f"0x{sent.cmd:02X}", len(self._sent))
        if sent is None:
            log.info("%s: unsolicited answer 0x%02X dropped", self.name, item.cmd)
            return
        if req is None or sent.req is not req:
            log.info("%s: late answer 0x%02X of an earlier command dropped", self.name, item.cmd)
            if req is not None and req.syncing and not self._owes_answers(req):
                self._end_sync(req)
            return
        if sent.probe:
            # The answer to our own probe: nothing written before it can come now.
            self._doubt_after_reconnect = False
            if req.syncing and not self._owes_answers(req):
                self._end_sync(req)
            return
        # The answer to the current command (to this attempt or an earlier one).
        if not item.data:
            self._resend(req, ReaderProtocolError(detail="answer without status byte"))
        elif item.data[0] == fr.ST_BAD_FRAME:
            self._resend(req, ReaderLinkGarbled(detail="reader reported a bad frame"))
        else:
            self._finish(req, Answer(item.data[0], item.data[1:]))

    def _end_sync(self, req: _Request) -> None:
        req.syncing = False
        self._send(req)

    def _noise(self) -> int:
        p = self._parser
        return p.discarded_bytes + p.pending + p.corrupt_frames

    def _check_deadline(self, now: float) -> None:
        req = self._current
        if req is None or now < req.attempt_deadline:
            return
        noise = self._noise() - req.noise_mark
        if noise > 0:
            # The reader talks but nothing it says is a valid answer: wrong baud
            # rate, a damaged cable or another device on the port.
            error: TerminalError = ReaderLinkGarbled(
                detail=f"{noise} bytes of noise and no valid answer to 0x{req.cmd:02X}"
            )
        else:
            error = ReaderTimeout(
                detail=f"no answer to 0x{req.cmd:02X} after "
                f"{req.attempts + req.probes} attempt(s)"
            )
        self._resend(req, error)

def _probe_for(cmd: int, after_reconnect: bool) -> tuple[int, bytes]:
    """A harmless command of another kind than `cmd`, to sync the answer ledger.

    After a reconnect the ledger knows nothing of what may still be on its way, so
    the probe is the command least likely to be among it: a silent BEEP 0.
    """
    silent_beep = (fr.CMD_BEEP, b"\x00")  # a beep of zero tenths
    if after_reconnect:
        return silent_beep if cmd != fr.CMD_BEEP else (fr.CMD_STATUS, b"")
    return (fr.CMD_STATUS, b"") if cmd != fr.CMD_STATUS else silent_beep


def _expected_answer(req: _Request) -> int:
    cmd = req.probe_cmd if req.syncing else req.cmd
    return cmd | fr.ANSWER_BIT


def _fail(req: _Request, error: TerminalError) -> None:
    if not req.future.done():
        req.future.set_exception(error)
