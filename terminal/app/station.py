"""One counter's resources, assembled from its settings: the journal, the service, the forwarder, the devices.

The app and the demo build a Station, give it one listener, start it and close
it; nothing here knows Qt. Each resource keeps its own owner thread (the journal,
each device, the forwarder); the cashier's network work runs on the app's one
network worker through `checkout`, and the forwarder has a client of its own, so
the two never share a connection; the forwarder gives way to the cashier's
calls (terminal.right_of_way). The listener hears every event on the thread
that produced it and must only hand it on (the UI's bridge re-emits it as a
signal).

A card inserted in the reader is read at once (on the reader's thread) and
reported as a CardRead, so the cashier never presses a key for it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

from terminal.app.device_history import DeviceHistory
from terminal.client import SettlementClient, client_from_settings
from terminal.devices.camera import CameraScanner, camera_scanner_from_settings
from terminal.devices.cardreader.driver import CardInserted, CardReader, card_reader_from_settings
from terminal.devices.cardreader.record import CardRecord
from terminal.devices.device import DeviceState, DeviceThread, StateChanged
from terminal.devices.printer import ReceiptPrinter, printer_from_settings
from terminal.devices.printer_links import PrinterLink
from terminal.devices.scan_codes import ScanRouter
from terminal.devices.serial_scanner import SerialScanner, serial_scanner_from_settings
from terminal.errors import TerminalError
from terminal.offline import audit
from terminal.offline.checkout import Checkout
from terminal.offline.forwarder import Forwarder, Progress
from terminal.offline.health import Health, ServiceHealth, ServiceState
from terminal.offline.journal import Journal, JournalClosed
from terminal.offline.record import Txn
from terminal.offline.states import State
from terminal.right_of_way import RightOfWay
from terminal.settings import Settings, journal_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardRead:
    """The card just inserted (or asked for with F2), read; or why it could not be."""

    record: CardRecord | None
    error: TerminalError | None = None
    at: float = dataclasses.field(default_factory=time.monotonic)


class Listener(Protocol):
    """Where the station's events go; every method is called on the thread that produced the event."""

    def on_device_event(self, event: object) -> None: ...

    def on_journal_change(self, txn: object) -> None: ...

    def on_forwarder_progress(self, progress: object) -> None: ...

    def on_service_health(self, health: object) -> None: ...


class _Nobody:
    def on_device_event(self, event: object) -> None:
        pass

    def on_journal_change(self, txn: object) -> None:
        pass

    def on_forwarder_progress(self, progress: object) -> None:
        pass

    def on_service_health(self, health: object) -> None:
        pass


class Station:
    def __init__(self, settings: Settings, journal_file: str, client: SettlementClient,
                 forward_client: SettlementClient, *, card_reader: CardReader | None = None,
                 scanner: SerialScanner | None = None, camera: CameraScanner | None = None,
                 printer: ReceiptPrinter | None = None, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.listener: Listener = _Nobody()
        self.health = ServiceHealth(clock=clock, on_change=self._health_changed)
        client.observer = self.health
        forward_client.observer = self.health
        self.client = client
        self.forward_client = forward_client
        self.journal = Journal(journal_file, till=settings.terminal.dev_no, clock=clock, defer_check=True,
                               on_change=self._journal_changed)
        self.card_reader = card_reader
        self.scanner = scanner
        self.camera = camera
        self.printer = printer
        self.clock = clock
        self.router = ScanRouter.from_settings(settings.voucher)
        self.checkout: Checkout | None = None
        # The cashier's calls go first: the forwarder gives way to them before each message it sends.
        self.right_of_way = RightOfWay()
        client.right_of_way = self.right_of_way
        self.forwarder = Forwarder(self.journal, forward_client, settings.offline, on_progress=self._progress,
                                   clock=clock, right_of_way=self.right_of_way)
        # Each device's connects and disconnects since start, for the technician's devices panel.
        self.device_history = DeviceHistory()
        self.metrics: Any = None  # terminal.app.metrics.Metrics while the endpoint is served
        for device in self.devices:
            device.subscribe(self._device_event)
        self._started = False

    @classmethod
    def from_settings(cls, settings: Settings, *, service_url: str | None = None,
                      printer_link: PrinterLink | None = None) -> Station:
        """The counter as configured: devices with a port (the camera when enabled, the printer unless its
        kind is none) and the service; `printer_link` is a printer transport to use instead (the demo's)."""
        devices = settings.devices
        reader = card_reader_from_settings(devices.card_reader) if devices.card_reader.port else None
        scanner = serial_scanner_from_settings(devices.serial_scanner) if devices.serial_scanner.port else None
        camera = camera_scanner_from_settings(devices.camera, devices.decoder) if devices.camera.enabled else None
        printer = printer_from_settings(devices.printer, link=printer_link)
        return cls(settings, str(journal_path(settings)), client_from_settings(settings, url=service_url),
                   client_from_settings(settings, url=service_url), card_reader=reader, scanner=scanner,
                   camera=camera, printer=printer)

    @property
    def devices(self) -> list[DeviceThread[Any]]:
        found: list[DeviceThread[Any]] = [d for d in (self.card_reader, self.scanner, self.camera, self.printer)
                                          if d is not None]
        return found

    # ----- lifecycle

    def listen(self, listener: Listener) -> None:
        self.listener = listener

    def open_journal(self) -> None:
        """Open the journal (its own thread); raises its typed fault (damaged, full disk, wrong folder)."""
        self.journal.start()
        self.checkout = Checkout(self.journal, self.client, self.settings, clock=self.clock)

    def start(self) -> None:
        """The forwarder and the devices; the journal must be open."""
        if self.checkout is None:
            self.open_journal()
        self.forwarder.start()
        for device in self.devices:
            device.start()
        self._started = True
        metrics = self.settings.metrics
        if metrics.port is not None and self.metrics is None:
            # Imported here: prometheus-client is loaded only by a counter that serves metrics.
            from terminal.app.metrics import Metrics

            served = Metrics(self, journal_path(self.settings), (self.client, self.forward_client))
            if served.serve(metrics.bind, metrics.port):
                self.metrics = served

    # ----- what the metrics read (terminal.app.metrics; any thread)

    def health_now(self) -> Health | None:
        return self.health.health

    def device_states(self) -> list[tuple[str, DeviceState, int]]:
        return [(d.name, d.state, self.device_history.disconnections(d.name)) for d in self.devices]

    def camera_counts(self) -> tuple[int, int, float | None] | None:
        if self.camera is None:
            return None
        stats = self.camera.stats()
        return stats.frames_captured, stats.frames_decoded, stats.decode_ms[-1] if stats.decode_ms else None

    def close(self) -> None:
        if self.metrics is not None:
            self.metrics.close()
        for device in self.devices:
            try:
                device.close()
            except Exception:  # one device's failure must not keep the others or the journal open
                log.exception("closing %s", device.name)
        if self._started:
            self.forwarder.close(timeout_s=5.0)
        self.journal.close()
        self.client.close()
        self.forward_client.close()

    # ----- the audit trail (any thread: the row is written on the journal's)

    def audit(self, event: audit.Event, operator: str, *, subject: str | None = None,
              approved_by: str | None = None, detail: dict[str, Any] | None = None) -> None:
        """One audit row, queued to the journal's thread without waiting (the GUI thread may call it)."""
        if self.checkout is None:
            return  # the journal never opened: there is nowhere to write, and nothing was done
        done = self.journal.submit(lambda t: audit.record(t, event, operator, subject=subject,
                                                          approved_by=approved_by, detail=detail))
        done.add_done_callback(_audit_written)

    # ----- the operator, on the service (network worker thread)

    def sign_in(self, opter: str, opter_name: str) -> str:
        """9001 as this operator: every later message carries their number and the sign_no."""
        for client in (self.client, self.forward_client):
            client.institution = dataclasses.replace(client.institution, opter=opter, opter_name=opter_name)
        sign_no = self.client.sign_in()
        self.forward_client.sign_no = sign_no
        if self.checkout is not None:
            self.checkout.operator = opter
        return sign_no

    def sign_out(self) -> None:
        """9002 for the signed-in operator (a failure is the caller's to report; the session ends anyway)."""
        try:
            self.client.sign_out()
        finally:
            self.client.sign_no = ""
            self.forward_client.sign_no = ""

    # ----- the card reader

    def read_card(self) -> None:
        """Ask the reader for the card in it; the answer comes back as a CardRead event."""
        reader = self.card_reader
        if reader is None:
            return
        reader.read_card_async().add_done_callback(self._card_answer)

    def _card_answer(self, done: Future[CardRecord]) -> None:
        try:
            event = CardRead(done.result())
        except TerminalError as exc:
            event = CardRead(None, exc)
        except Exception as exc:  # a bug in the driver: reported as such, never a silent card
            log.exception("reading the card failed")
            event = CardRead(None, TerminalError("The card could not be read: take it out and insert it again.",
                                                 detail=repr(exc)))
        self.listener.on_device_event(event)

    # ----- events, on the thread that produced them

    def _device_event(self, event: object) -> None:
        if isinstance(event, StateChanged):
            self.device_history.record(event)  # before the listener, so the panel it wakes finds it
        self.listener.on_device_event(event)
        if isinstance(event, CardInserted):
            self.read_card()

    def _journal_changed(self, txn: Txn) -> None:
        self.listener.on_journal_change(txn)
        if txn.state is State.OFFLINE_QUEUED:
            self.forwarder.wake()

    def _progress(self, progress: Progress) -> None:
        self.listener.on_forwarder_progress(progress)

    def _health_changed(self, health: Health) -> None:
        self.listener.on_service_health(health)
        if health.state is ServiceState.ONLINE and self.forwarder.circuit_open:
            # The cashier's call got through while the forwarder waits for its next probe: the backlog goes now,
            # not up to a probe interval later (after an outage of the whole chain, each counter's first sale
            # starts its drain, so the counters' drains start spread as their sales are).
            self.forwarder.wake()


def _audit_written(done: Future[Any]) -> None:
    exc = done.exception()
    if isinstance(exc, JournalClosed):  # a sign-out while the counter closes: the journal went first
        log.warning("audit row not written: the journal is closed")
    elif exc is not None:
        log.error("audit row not written: %s", exc)
