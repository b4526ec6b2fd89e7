"""Host driver of the serial card reader: one owner thread does all port I/O.

Callers (the UI adapter, the CLI) call `has_card()`, `read_card()`, `beep()` and
`reset()` from any thread; each becomes a request the owner thread sends, matches
against its answer, retries and resolves through a future (`exchange`, with the
answer ledger of `ledger`). Every wait is bounded, so a dead reader gives
ReaderTimeout, never a hang.

The driver is a Device (terminal.devices.device): CardReaderEvent is StateChanged
(the port: connecting, ready, lost, failed, closed) or CardInserted / CardRemoved
(the reader's unsolicited frames), given to the one subscriber on the owner thread;
it must return quickly and must not call the driver.

The port is injected: an open-able port object (pyserial or a test fake) or a
factory that opens a new one, on a SerialLink that reopens it after a loss.
"""

from __future__ import annotations

import collections
import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from terminal.devices.cardreader import frames as fr
from terminal.devices.cardreader.errors import (
    CardExpired,
    ReaderClosed,
    ReaderDisconnected,
    ReaderProtocolError,
    ReaderTimeout,
    ReaderUnusable,
)
from terminal.devices.cardreader.exchange import Answer, Exchange, Request, fail, raise_for_status
from terminal.devices.cardreader.record import CardRecord
from terminal.devices.device import Device, DeviceState, DeviceThread, StateChanged
from terminal.devices.serial_link import PortFactory, SerialLink, SerialPort, serial_port_factory
from terminal.errors import ConfigError, TerminalError
from terminal.settings import CardReaderSettings

# How long one blocking read may wait before the owner thread re-checks deadlines
# and its request queue. A new request also interrupts the read (cancel_read).
READ_SLICE_S = 0.05
WRITE_TIMEOUT_S = 1.0
DISCONNECTED_GRACE_S = 1.0


@dataclass(frozen=True)
class CardInserted:
    at: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class CardRemoved:
    at: float = field(default_factory=time.monotonic)


CardReaderEvent = StateChanged | CardInserted | CardRemoved


def card_reader_from_settings(
    settings: CardReaderSettings,
    *,
    port: str | None = None,
    on_event: Callable[[CardReaderEvent], None] | None = None,
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
        serial_port_factory(url, baudrate=settings.baudrate, read_timeout_s=READ_SLICE_S,
                            write_timeout_s=WRITE_TIMEOUT_S),
        answer_timeout_s=settings.answer_timeout_s,
        retries=settings.retries,
        reconnect_interval_s=settings.reconnect_interval_s,
        on_event=on_event,
    )


# The defaults are the settings' (declared once, in terminal.settings).
_DEFAULTS = CardReaderSettings()


class CardReader(DeviceThread[CardInserted | CardRemoved]):
    """Driver of one card reader on one serial port (see module docstring)."""

    def __init__(
        self,
        port: SerialPort | PortFactory,
        *,
        name: str = "card reader",
        port_label: str | None = None,
        answer_timeout_s: float = _DEFAULTS.answer_timeout_s,
        retries: int = _DEFAULTS.retries,
        reconnect_interval_s: float = _DEFAULTS.reconnect_interval_s,
        on_event: Callable[[CardReaderEvent], None] | None = None,
    ) -> None:
        if answer_timeout_s <= 0 or retries < 0 or reconnect_interval_s <= 0:
            raise ValueError("timeouts must be positive and retries non-negative")
        super().__init__(name, on_event=on_event)
        self.answer_timeout_s = answer_timeout_s
        self.retries = retries
        self.reconnect_interval_s = reconnect_interval_s
        self._link = SerialLink(port, label=port_label, read_timeout_s=READ_SLICE_S,
                                reconnect_interval_s=reconnect_interval_s)
        self._lock = threading.Condition()  # guards everything below shared with callers
        self._pending: collections.deque[Request] = collections.deque()
        self._inserts = 0
        self._card_present: bool | None = None
        # Owner-thread state only.
        self._exchange = Exchange(name=name, port_label=self._link.label,
                                  answer_timeout_s=answer_timeout_s, retries=retries,
                                  on_card=self._card_event)

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Stop the owner thread, fail what is still queued, close the port."""
        super().close()
        self._fail_pending(ReaderClosed)
        with self._lock:
            self._lock.notify_all()  # a read_card() waiting for an insert

    @property
    def port_label(self) -> str:
        """The port as the technician configured it (for screens and logs)."""
        return self._link.label

    @property
    def card_present(self) -> bool | None:
        """Last known card presence (from events and STATUS answers); None if unknown."""
        return self._card_present

    def wait_connected(self, timeout_s: float, *, fail_fast: bool = False) -> None:
        """Block until the port is open (READY); ReaderDisconnected if it is not within timeout_s.

        With fail_fast, give up as soon as an attempt to open the port failed (a
        command-line user who named a wrong port should not wait).
        """
        if self._thread is None:
            raise RuntimeError("start() the card reader before waiting for it")

        def settled(status: StateChanged) -> bool:
            if status.state in (DeviceState.READY, DeviceState.FAILED, DeviceState.CLOSED):
                return True
            return fail_fast and status.reason is not None  # an attempt to open failed

        if self._wait_status(settled, timeout_s).state is not DeviceState.READY:
            raise self._unavailable()

    # ------------------------------------------------------------------ commands

    def submit(self, cmd: int, data: bytes = b"") -> Future[Answer]:
        """Queue one command without waiting: the future gets its answer (any status)
        or a typed error, within the command's budget (see `budget_s`)."""
        if cmd not in fr.COMMANDS:
            raise ValueError(f"0x{cmd:02X} is not a card reader command")
        if self._thread is None:
            raise RuntimeError("start() the card reader before sending commands")
        req = Request(cmd, data, time.monotonic() + self.budget_s)
        with self._lock:
            if self._closing.is_set():
                raise ReaderClosed()
            if self.state is DeviceState.FAILED:  # nobody would ever send it
                fail(req, self._unavailable())
                return req.future
            self._pending.append(req)
        self._link.wake()
        return req.future

    @property
    def budget_s(self) -> float:
        """The longest one command may take: every attempt of the sync probe and of
        the command, and one reconnect."""
        return 2 * (self.retries + 1) * self.answer_timeout_s + self.reconnect_interval_s

    def command(self, cmd: int, data: bytes = b"") -> Answer:
        """Send one command and return its answer (any status); typed errors on failure."""
        if self._on_owner_thread():
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
        """Read the card without blocking (e.g. from a GUI on a CardInserted event).

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

    def has_card(self) -> bool:
        """True if a card is in the reader: asks it (the STATUS command).

        Not `status`, which every device has: its last StateChanged.
        """
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

    def beep_async(self, tenths: int = 2) -> Future[None]:
        """Sound the reader's buzzer (BEEP, 0x03) without blocking: the future ends once the reader
        answered, or with a typed error (a technician's test from the devices panel)."""
        if not 0 <= tenths <= 255:
            raise ValueError("beep length is 0..255 tenths of a second")
        outer: Future[None] = Future()

        def answered(done: Future[Answer]) -> None:
            try:
                raise_for_status(fr.CMD_BEEP, done.result().status)
                outer.set_result(None)
            except Exception as exc:  # typed errors, and bugs too: never a silent future
                outer.set_exception(exc)

        self.submit(fr.CMD_BEEP, bytes([tenths])).add_done_callback(answered)
        return outer

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

    def _wait_insert(self, inserts_before: int, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while self._inserts == inserts_before:
                left = deadline - time.monotonic()
                if left <= 0 or self._closing.is_set():
                    return False
                self._lock.wait(left)
            return True

    def _unavailable(self) -> TerminalError:
        """The error for a command that cannot go out: not connected (yet), or never."""
        status = self.status
        if status.state is DeviceState.FAILED and status.reason:
            return ReaderUnusable(status.reason, detail=status.detail)
        return ReaderDisconnected(self._link.label, detail=status.detail)

    def _fail_pending(self, error: Callable[[], TerminalError]) -> None:
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
        for req in pending:
            fail(req, error())

    # -------------------------------------------------------------- owner thread

    def _wake(self) -> None:
        self._link.wake()

    def _card_event(self, cmd: int) -> None:
        with self._lock:
            if cmd == fr.EVT_CARD_INSERTED:
                self._inserts += 1
                self._card_present = True
            else:
                self._card_present = False
            self._lock.notify_all()
        self._emit(CardInserted() if cmd == fr.EVT_CARD_INSERTED else CardRemoved())

    def _run(self) -> None:
        try:
            self._link.run(self._closing, self._set_state, self._serve, wait=self._wait_for_port)
        finally:
            error: Callable[[], TerminalError] = (
                ReaderClosed if self._closing.is_set() else self._unavailable)
            self._exchange.abandon(error())
            self._fail_pending(error)

    def _wait_for_port(self, delay_s: float) -> bool:
        # While the port is away, a request waits for it a little (a replug, a pty
        # recreated), not its whole budget: the cashier should hear "not connected"
        # within a second or two.
        self._expire_pending(time.monotonic(), connected=False)
        return self._closing.wait(delay_s)

    def _serve(self, port: SerialPort) -> None:
        self._exchange.new_port(port.write, reconnect=self._link.opens > 1)
        self._set_state(DeviceState.READY)
        try:
            while not self._closing.is_set():
                self._step(port)
        except Exception:
            req = self._exchange.port_lost()
            if req is not None:
                with self._lock:
                    self._pending.appendleft(req)
            raise

    def _step(self, port: SerialPort) -> None:
        exchange = self._exchange
        if exchange.current is None:
            self._expire_pending(time.monotonic(), connected=True)
            with self._lock:
                req = self._pending.popleft() if self._pending else None
            if req is not None:
                exchange.start(req)
        waiting = port.in_waiting
        chunk = port.read(waiting if waiting > 0 else 1)
        if chunk:
            exchange.feed(chunk)
        exchange.check_deadline(time.monotonic())

    def _expire_pending(self, now: float, *, connected: bool) -> None:
        grace = max(2 * self.reconnect_interval_s, DISCONNECTED_GRACE_S)
        with self._lock:
            expired = [
                r for r in self._pending
                if now >= r.expires or r.future.done()
                or (not connected and now - r.queued_at >= grace)
            ]
            for req in expired:
                self._pending.remove(req)
        for req in expired:
            if connected:
                fail(req, ReaderTimeout(detail=f"command 0x{req.cmd:02X} waited too long"))
            else:
                fail(req, self._unavailable())


if TYPE_CHECKING:  # mypy checks that CardReader is a Device; nothing runs
    _IS_A_DEVICE: type[Device[CardReaderEvent]] = CardReader
