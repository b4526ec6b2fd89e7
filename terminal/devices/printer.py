"""The receipt printer (ESC/POS) and the cash drawer on it, as a Device with one owner thread.

`print_receipt(lines, open_drawer=...)` queues a job and returns a Future at
once; the owner thread sends it and the future completes (`Printed`) or fails
with a typed error. A failed job's error carries the job (`error.job.lines`),
so the UI offers Reprint; nothing about the sale depends on the printer. Jobs
never wait for a printer that is away: one that cannot be reached when its
job comes fails at once, and the printer reconnects by itself.

States (terminal.devices.device): CONNECTING until the link first opens;
READY; LOST when the link failed (a write that failed, a network printer that
closed the connection, a device file gone) or the paper ran out, each with its
sentence, and READY again once the printer answers or has paper; FAILED when
it will never work as configured (a malformed port URL, a missing library).
While idle the owner thread checks the link and, where the printer answers,
the paper sensor every `check_interval_s`; a near-end sensor is a PaperLow
event (ready, but a new roll will be needed soon).

The bytes of a receipt are built by `receipt_bytes` with escpos's Dummy
printer: initialise, Chinese mode for GB encodings (FS &), the drawer kick
(ESC p) so the drawer opens while the receipt prints, the lines in the
printer's encoding (a character it cannot hold prints as "?", and control
characters in the text are neutralised, so a drug name cannot cut the paper
or open the drawer), then feed and cut. A printer out of paper still gets the
drawer kick of a cash sale: the cash has to go into the drawer either way.
"""

from __future__ import annotations

import codecs
import collections
import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from terminal.devices.device import Device, DeviceState, DeviceThread, StateChanged
from terminal.devices.printer_links import (
    DummyPrinterLink,
    FilePrinterLink,
    NetworkPrinterLink,
    Paper,
    PrinterLink,
    SerialPrinterLink,
    UsbPrinterLink,
)
from terminal.devices.serial_link import FIRST_RETRY_S, Backoff
from terminal.errors import BadInput, EnvironmentFault, TerminalError
from terminal.settings import PrinterSettings

log = logging.getLogger(__name__)

INIT = b"\x1b@"
CHINESE_MODE = b"\x1c&"  # FS &: double-byte characters, as GB printers read them
_CHINESE_ENCODINGS = {"gbk", "gb2312", "gb18030", "big5", "big5hkscs"}
OUT_OF_PAPER = "The receipt printer is out of paper: load paper and press Reprint."
LOST = "The receipt printer stopped answering: check its cable and that it is switched on."

_DEFAULTS = PrinterSettings()


@dataclass(frozen=True)
class ReceiptJob:
    lines: tuple[str, ...]
    open_drawer: bool


@dataclass(frozen=True)
class Printed:
    job: ReceiptJob
    bytes_sent: int
    paper: Paper  # as the printer said before this job (UNKNOWN where it cannot say)


@dataclass(frozen=True)
class PaperLow:
    at: float = field(default_factory=time.monotonic)


PrinterEvent = StateChanged | PaperLow


class PrintFailed(EnvironmentFault):
    """A receipt did not print; `job` holds its lines for Reprint. Nothing about the sale is undone."""

    def __init__(self, message: str, job: ReceiptJob, *, detail: str | None = None,
                 drawer_opened: bool = False) -> None:
        super().__init__(message, detail=detail)
        self.job = job
        self.drawer_opened = drawer_opened


class PrinterOutOfPaper(PrintFailed):
    def __init__(self, job: ReceiptJob, *, drawer_opened: bool) -> None:
        super().__init__(OUT_OF_PAPER, job, drawer_opened=drawer_opened)


class PrinterLost(PrintFailed):
    def __init__(self, job: ReceiptJob, detail: str) -> None:
        super().__init__(f"{LOST} Press Reprint when it is back.", job, detail=detail)


class PrinterUnavailable(PrintFailed):
    """The printer could not be reached (or will never work as configured) when the job came."""


class PrinterClosed(PrintFailed):
    def __init__(self, job: ReceiptJob) -> None:
        super().__init__("The receipt printer was closed before this receipt printed; press Reprint.", job)


def _printable(line: str) -> str:
    # Control characters are printer commands (ESC, GS, DLE...): text must never carry one.
    return "".join("?" if unicodedata.category(ch) == "Cc" else ch for ch in line)


def receipt_bytes(lines: Sequence[str], *, encoding: str = "gbk", cut: bool = True, open_drawer: bool = False,
                  drawer_pin: int = 2) -> bytes:
    """The ESC/POS bytes of one receipt (see the module docstring for the order)."""
    from escpos.printer import Dummy

    out: Any = Dummy()
    out._raw(INIT)
    if codecs.lookup(encoding).name in _CHINESE_ENCODINGS:
        out._raw(CHINESE_MODE)
    if open_drawer:
        out.cashdraw(drawer_pin)
    for line in lines:
        out._raw(_printable(line).encode(encoding, errors="replace") + b"\n")
    if cut:
        out.cut()
    else:
        out.print_and_feed(6)  # past the tear bar
    return bytes(out.output)


def drawer_kick(drawer_pin: int = 2) -> bytes:
    from escpos.printer import Dummy

    out: Any = Dummy()
    out.cashdraw(drawer_pin)
    return bytes(out.output)


class ReceiptPrinter(DeviceThread[PaperLow]):
    """One receipt printer on one link (see the module docstring)."""

    def __init__(
        self,
        link: PrinterLink,
        *,
        name: str = "receipt printer",
        width: int = _DEFAULTS.width,
        encoding: str = _DEFAULTS.encoding,
        cut: bool = _DEFAULTS.cut,
        cash_drawer: bool = _DEFAULTS.cash_drawer,
        drawer_pin: int = _DEFAULTS.drawer_pin,
        paper_check: bool = _DEFAULTS.paper_check,
        answer_timeout_s: float = _DEFAULTS.answer_timeout_s,
        reconnect_interval_s: float = _DEFAULTS.reconnect_interval_s,
        check_interval_s: float = _DEFAULTS.check_interval_s,
        on_event: Callable[[PrinterEvent], None] | None = None,
    ) -> None:
        if min(answer_timeout_s, reconnect_interval_s, check_interval_s) <= 0:
            raise ValueError("the printer's timeouts and intervals must be positive")
        codecs.lookup(encoding)
        super().__init__(name, on_event=on_event)
        self.link = link
        self.width = width  # for the receipt's rendering: terminal.receipt.render_receipt(width=...)
        self.encoding, self.cut, self.cash_drawer, self.drawer_pin = encoding, cut, cash_drawer, drawer_pin
        self.paper_check = paper_check
        self.answer_timeout_s = answer_timeout_s
        self.check_interval_s = check_interval_s
        self._backoff = Backoff(min(FIRST_RETRY_S, reconnect_interval_s), reconnect_interval_s)
        self._jobs: collections.deque[tuple[ReceiptJob, Future[Printed]]] = collections.deque()
        self._queue = threading.Condition()
        self._last_job: ReceiptJob | None = None
        self._paper = Paper.UNKNOWN
        # Owner-thread state only.
        self._open = False
        self._was_ready = False

    # ------------------------------------------------------------------ for callers

    def print_receipt(self, lines: Sequence[str], *, open_drawer: bool = False) -> Future[Printed]:
        """Queue a receipt (and the drawer kick, if asked and a drawer is configured); never blocks."""
        if self._thread is None:
            raise RuntimeError("start() the receipt printer before printing")
        job = ReceiptJob(tuple(lines), open_drawer and self.cash_drawer)
        future: Future[Printed] = Future()
        with self._queue:
            self._last_job = job
            status = self.status
            if self._closing.is_set():
                future.set_exception(PrinterClosed(job))
            elif status.state is DeviceState.FAILED:
                future.set_exception(PrinterUnavailable(status.reason or LOST, job, detail=status.detail))
            else:
                self._jobs.append((job, future))
                self._queue.notify_all()
        return future

    @property
    def last_job(self) -> ReceiptJob | None:
        """The last receipt given to print, printed or not (for Reprint)."""
        return self._last_job

    @property
    def paper(self) -> Paper:
        """The paper as last reported (UNKNOWN for printers that cannot say)."""
        return self._paper

    def wait_ready(self, timeout_s: float) -> StateChanged:
        """The status once READY (or FAILED or CLOSED), or when timeout_s ran out."""
        settled = (DeviceState.READY, DeviceState.FAILED, DeviceState.CLOSED)
        return self._wait_status(lambda status: status.state in settled, timeout_s)

    def close(self) -> None:
        super().close()
        self._fail_waiting(PrinterClosed)

    # ------------------------------------------------------------------ owner thread

    def _wake(self) -> None:
        with self._queue:
            self._queue.notify_all()

    def _run(self) -> None:
        try:
            while not self._closing.is_set():
                if not self._open and not self._connect():
                    if self.state is DeviceState.FAILED:
                        return
                    self._fail_waiting(self._unavailable)  # a receipt never waits for a printer that is away
                    self._wait_for_job(self._backoff.next())
                    continue
                job = self._take_job(self.check_interval_s)
                if job is None:
                    self._check_idle()
                else:
                    self._print(*job)
        finally:
            self.link.close()
            self._fail_waiting(PrinterClosed if self._closing.is_set() else self._unavailable)

    def _connect(self) -> bool:
        try:
            self.link.open()
        except TerminalError as fault:
            if isinstance(fault, BadInput):
                self._set_state(DeviceState.FAILED, fault.cashier_message, fault.detail)
            else:
                self._set_state(DeviceState.LOST if self._was_ready else DeviceState.CONNECTING,
                                fault.cashier_message, fault.detail)
            return False
        self._open = True
        self._backoff.reset()
        try:
            self._refresh_paper()
        except Exception as exc:
            self._lost(exc)
            return False
        return True

    def _refresh_paper(self) -> Paper:
        """Ask the paper sensor (where the printer answers) and report READY, or LOST for no paper."""
        paper = self.link.paper(self.answer_timeout_s) if self.paper_check else Paper.UNKNOWN
        before, self._paper = self._paper, paper
        if paper is Paper.OUT:
            self._set_state(DeviceState.LOST, OUT_OF_PAPER, f"{self.link.label}: the paper end sensor is set")
            return paper
        self._was_ready = True
        self._set_state(DeviceState.READY)
        if paper is Paper.LOW and before is not Paper.LOW:
            self._emit(PaperLow())
        return paper

    def _check_idle(self) -> None:
        try:
            if self.link.gone():
                raise ConnectionResetError("the printer connection is gone")
            if self.paper_check:
                self._refresh_paper()
        except Exception as exc:
            self._lost(exc)

    def _print(self, job: ReceiptJob, future: Future[Printed]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            paper = self._prepare(job)
        except PrintFailed as exc:
            future.set_exception(exc)
            return
        try:
            if paper is Paper.OUT:
                if job.open_drawer:
                    self.link.write(drawer_kick(self.drawer_pin))
                future.set_exception(PrinterOutOfPaper(job, drawer_opened=job.open_drawer))
                return
            data = receipt_bytes(job.lines, encoding=self.encoding, cut=self.cut, open_drawer=job.open_drawer,
                                 drawer_pin=self.drawer_pin)
            self.link.write(data)
        except Exception as exc:
            self._lost(exc)
            future.set_exception(PrinterLost(job, f"{type(exc).__name__}: {exc}"))
            return
        future.set_result(Printed(job, len(data), paper))

    def _prepare(self, job: ReceiptJob) -> Paper:
        """The paper, asked on a link known to be alive: one that died since the last check (a network
        printer switched off and on between two sales) is reopened before the receipt goes into it.
        The paper query is itself a round trip, so a printer that answers it is surely there."""
        if self._open:
            try:
                if self.link.gone():
                    raise ConnectionResetError("the printer connection is gone")
                return self._refresh_paper()
            except Exception as exc:
                self._lost(exc)
        if self._connect():
            return self._paper
        raise self._unavailable(job)

    def _lost(self, exc: Exception) -> None:
        # A link error is expected (a cable pulled); anything else is a bug, logged with its traceback.
        log.warning("%s: lost: %s", self.name, exc, exc_info=not isinstance(exc, OSError))
        self.link.close()
        self._open = False
        self._set_state(DeviceState.LOST, LOST, f"{self.link.label}: {type(exc).__name__}: {exc}")

    def _take_job(self, timeout_s: float) -> tuple[ReceiptJob, Future[Printed]] | None:
        with self._queue:
            if not self._jobs and not self._closing.is_set():
                self._queue.wait(timeout_s)
            return self._jobs.popleft() if self._jobs and not self._closing.is_set() else None

    def _wait_for_job(self, timeout_s: float) -> None:
        with self._queue:
            if not self._jobs and not self._closing.is_set():
                self._queue.wait(timeout_s)

    def _unavailable(self, job: ReceiptJob) -> PrintFailed:
        status = self.status
        return PrinterUnavailable(status.reason or LOST, job, detail=status.detail)

    def _fail_waiting(self, error: Callable[[ReceiptJob], PrintFailed]) -> None:
        with self._queue:
            waiting = list(self._jobs)
            self._jobs.clear()
        for job, future in waiting:
            if future.set_running_or_notify_cancel():
                future.set_exception(error(job))


def printer_from_settings(settings: PrinterSettings, *, on_event: Callable[[PrinterEvent], None] | None = None,
                          link: PrinterLink | None = None) -> ReceiptPrinter | None:
    """A (not yet started) printer as configured; None when devices.printer.kind is "none". `link` gives
    the printer its transport (a demo's or a test's dummy it keeps a hand on) instead of the kind's."""
    if link is not None:
        pass
    elif settings.kind == "none":
        return None
    elif settings.kind == "dummy":
        link = DummyPrinterLink()
    elif settings.kind == "serial":
        assert settings.port is not None  # PrinterSettings.problem() refuses a serial printer without one
        link = SerialPrinterLink(settings.port, baudrate=settings.baudrate, timeout_s=settings.timeout_s)
    elif settings.kind == "network":
        assert settings.host is not None
        link = NetworkPrinterLink(settings.host, settings.network_port, timeout_s=settings.timeout_s)
    elif settings.kind == "file":
        assert settings.path is not None
        link = FilePrinterLink(settings.path)
    else:
        assert settings.usb_vendor_id is not None and settings.usb_product_id is not None
        link = UsbPrinterLink(int(settings.usb_vendor_id, 16), int(settings.usb_product_id, 16),
                              timeout_s=settings.timeout_s)
    return ReceiptPrinter(link, width=settings.width, encoding=settings.encoding, cut=settings.cut,
                          cash_drawer=settings.cash_drawer, drawer_pin=settings.drawer_pin,
                          paper_check=settings.paper_check, answer_timeout_s=settings.answer_timeout_s,
                          reconnect_interval_s=settings.reconnect_interval_s,
                          check_interval_s=settings.check_interval_s, on_event=on_event)


if TYPE_CHECKING:  # mypy checks that ReceiptPrinter is a Device; nothing runs
    _IS_A_DEVICE: type[Device[PrinterEvent]] = ReceiptPrinter
