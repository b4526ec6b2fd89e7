"""The counter application: the station's events to the screens, the cashier's keys to the till.

This is the glue and only the glue. The station (terminal.app.station) owns the
journal, the service clients, the forwarder and the devices, each on its own
thread; its events arrive here through the bridge as queued signals. Work that
blocks runs on a worker: `network` (the cashier's service calls, in order),
`operators` (PIN checks: scrypt) and `output` (receipt PDFs and the printer).
The GUI thread only draws.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from terminal.app.receipts import Receipt
from terminal.app.scan_check import ScanSource
from terminal.app.session import Session, SignedIn
from terminal.app.station import CardRead, Station
from terminal.app.status import QueueStatus
from terminal.catalog import Catalog
from terminal.catalog_search import CatalogSearch
from terminal.devices.camera import CodeRejected, CodeSeen
from terminal.devices.cardreader.driver import CardInserted, CardRemoved
from terminal.devices.device import StateChanged
from terminal.devices.printer import PaperLow
from terminal.devices.serial_scanner import ScannedLine, ScanRejected
from terminal.errors import TerminalError
from terminal.offline.forwarder import Progress
from terminal.offline.health import Health, ServiceState
from terminal.offline.record import Txn
from terminal.operators import Operator
from terminal.receipt import WIDTH_80MM
from terminal.roles import Action
from terminal.settings import Settings
from terminal.ui import language
from terminal.ui.bridge import Bridge
from terminal.ui.counter_screens import DEVICES_PLACE, Screens
from terminal.ui.places import ScanTestSink
from terminal.ui.queue_control import QueueControl
from terminal.ui.receipt_output import Receipts
from terminal.ui.sentences import INFO, WARN, sentence
from terminal.ui.supervision_control import SupervisionControl
from terminal.ui.tasks import MainThread, Worker
from terminal.ui.till import Till
from terminal.ui.wedge_filter import WedgeFilter

log = logging.getLogger(__name__)

STATS_EVERY_MS = 30_000  # the oldest sale's age grows while nothing happens
IDLE_CHECK_MS = 1_000


def freeze_long_lived() -> None:
    """What the app built to start (Qt's wrappers, the price list, pypinyin's dictionaries, the search index)
    lives as long as the app: out of the cyclic collector's reach. Otherwise each full collection walks it
    all while holding the interpreter lock, on whichever thread it falls, and the GUI thread waited 50-90 ms
    for it (bench/ui_stall.py, a stay of 1,000 fees)."""
    gc.freeze()


class Activity(QObject):
    """Any key or click anywhere counts as the operator being there (the idle lock)."""

    def __init__(self, touch: Callable[[], None]) -> None:
        super().__init__()
        self._touch = touch

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress):
            self._touch()
        return False


class CounterApp(QObject):
    receipt_done = Signal(object)  # the PDF's Path once written (tests, the demo script)
    receipt_printed = Signal(object)  # the printer's Printed once the receipt is on paper
    started = Signal()  # the journal is open and the devices are starting

    def __init__(self, station: Station, session: Session, settings: Settings, *,
                 demo_panel: QWidget | None = None, config_file: Path | None = None, kiosk: bool = False) -> None:
        super().__init__()
        self.station, self.session, self.settings = station, session, settings
        self.kiosk = kiosk  # run --kiosk: the whole screen, no frame (see Screens.show)
        self.config_file = config_file  # the override file run --config named: the devices panel saves there
        self.main = MainThread()
        self.network = Worker("network", self.main)
        self.operators = Worker("operators", self.main)
        self.output = Worker("output", self.main)
        self.setup = Worker("setup", self.main)  # the devices panel's port scans and configuration writes
        self.bridge = Bridge()
        station.listen(self.bridge)
        self.till = Till(station, session, self.network)
        self.search_index: CatalogSearch | None = None
        self.start_error: str | None = None
        self._closed = False
        self.wedge = WedgeFilter(settings.devices.wedge)
        self.wedge.scanned.connect(self.wedge_scanned)
        self.wedge.broken_scan.connect(lambda: self.till.say(self.tr("The scan was cut off: scan again."), WARN))
        self.queue = QueueControl(self)
        self.supervision = SupervisionControl(self)
        self.screens = Screens(self, demo_panel)
        self.bridge.device_event.connect(self._device_event)
        self.bridge.journal_changed.connect(self._journal_changed)
        self.bridge.forwarder_progress.connect(self._progress)
        self.bridge.service_state.connect(self._health_changed)
        self.receipts = Receipts(settings, station, session, self.till, self.output, self.main)
        self.receipts.pdf_written.connect(self.receipt_done.emit)
        self.receipts.printed.connect(self.receipt_printed.emit)
        self.till.finished.connect(self._finished)
        # Off the checkout screen (the queue), the till's sentences still reach the cashier.
        self.till.message.connect(lambda text, _level: self.screens.status.showMessage(text, 15_000)
                                  if self.screens.window.current is not self.screens.checkout else None)
        self.till.catalog_ready.connect(self._catalog_ready)
        self.activity = Activity(session.touch)
        self._idle = QTimer(self)
        self._idle.timeout.connect(self._check_idle)
        self._stats = QTimer(self)
        self._stats.timeout.connect(self.refresh_queue)

    # ----- start and stop

    def start(self) -> None:
        """Show the sign-in screen at once; the journal opens and the devices start on the network worker."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.wedge)
            app.installEventFilter(self.activity)
        self.screens.show()
        self.network.run(self.station.start, lambda _none: self._started(), self._start_failed)
        self._idle.start(IDLE_CHECK_MS)
        self._stats.start(STATS_EVERY_MS)

    def _started(self) -> None:
        freeze_long_lived()
        self.till.load_prices()
        self.refresh_queue()
        self.started.emit()

    def _start_failed(self, exc: BaseException) -> None:
        self.start_error = sentence(exc)
        self.screens.signin.failed(self.start_error)

    def close(self) -> None:
        """Sign out (9002) and close everything, waiting for the workers to finish what they do; once."""
        if self._closed:
            return
        self._closed = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
            app.removeEventFilter(self.activity)
        self._idle.stop()
        self._stats.stop()
        if self.session.operator is not None:
            self.network.run(self.session.sign_out, lambda _p: None, lambda _e: None)
        if self.screens.customer is not None:
            self.screens.customer.close()  # else the app would wait for its window to close too
        # The cashier's last calls and the 9002 go out before the network closes; receipts are finished.
        self.network.close(wait=True, cancel_pending=False)
        self.operators.close(wait=True)
        self.output.close(wait=True, cancel_pending=False)
        self.setup.close(wait=True)
        self.station.close()
        gc.unfreeze()  # what was frozen at start may be collected again (a test process opens many counters)

    # ----- operators

    def sign_in(self, opter: str, pin: str) -> None:
        if self.start_error:
            self.screens.signin.failed(self.start_error)
            return
        # The PIN check on its worker (scrypt, the wrong-PIN counts), then 9001 on the network worker, after
        # any sale work still on its way.
        self.operators.run(lambda: self.session.book.verify(opter, pin), self._pin_ok,
                           lambda exc: self.screens.signin.failed(sentence(exc)))

    def _pin_ok(self, operator: Operator) -> None:
        self.network.run(lambda: self.session.begin(operator), self._signed_in,
                         lambda exc: self.screens.signin.failed(sentence(exc)))

    def _signed_in(self, signed: SignedIn) -> None:
        if self.start_error:  # the start failed while the PIN was being checked: nothing may be sold
            self.screens.signin.failed(self.start_error)
            return
        self.screens.signin.done()
        op = signed.operator
        self.screens.show_operator(f"{op.opter} {op.name} · {self.screens.role_name(op.role.value)}")
        if not op.can(Action.SELL):  # a technician: the devices panel (and the queue), no sales
            if not self.screens.open_home_place(DEVICES_PLACE):
                self.screens.open_queue()
            self.screens.status.showMessage(self.tr("Signed in as %1: this role does not sell.")
                                            .replace("%1", self.screens.role_name(op.role.value)), 15_000)
            return
        if self.screens.desks.home() is not None:  # a hospital desk (counter.desk): its screen, not the till
            self.screens.back()
        else:
            self.screens.open_checkout()
        if signed.problem:
            self.till.say(self.tr("Signed in. The service did not hear the sign-in: %1")
                          .replace("%1", language.cashier_text(signed.problem)), WARN)
        else:
            self.till.say(self.tr("Signed in: scan the e-voucher or read the card, then the drugs."), INFO)

    def lock(self) -> None:
        operator = self.session.operator
        if operator is None:
            return
        self.session.lock()
        self.screens.signin.show_locked(operator.opter, f"{operator.opter} {operator.name}")
        self.screens.open_signin()

    def sign_out(self) -> None:
        try:
            self.till.counter.check_can_sign_out()
        except TerminalError as exc:
            self.till.say(sentence(exc), WARN)
            return
        self.network.run(self.session.sign_out, self._signed_out, lambda exc: self._signed_out(sentence(exc)))

    def _signed_out(self, problem: str) -> None:
        self.screens.show_operator("")
        self.screens.signin.show_signed_out()
        self.screens.open_signin()
        if problem:
            self.screens.signin.say(language.cashier_text(problem), WARN)

    def selling(self) -> bool:
        return self.session.operator is not None and not self.session.locked

    def _check_idle(self) -> None:
        if self.session.idle_due():
            self.lock()

    def set_language(self, code: str) -> None:
        language.switch(code)
        self.screens.rebuild()

    # ----- events from the station

    def _device_event(self, event: object) -> None:
        if isinstance(event, StateChanged):
            self.screens.status.show_device(event)
            self.screens.device_changed(event)
            return
        if isinstance(event, (CardInserted, CardRemoved)):
            self.screens.device_changed(event)  # the devices panel's card presence; the sale hears the CardRead
            return
        if isinstance(event, PaperLow):
            self.screens.status.showMessage(self.tr("The receipt paper is running low: have a new roll ready."),
                                            60_000)
            return
        if isinstance(event, (CardRead, ScannedLine, CodeSeen)):
            self.session.touch()
            if not self.selling():
                self.screens.signin.say(self.tr("Sign in first: the card or code was not used."), WARN)
                return
            if self._to_sink(event):
                return
            self.screens.open_checkout()
        if isinstance(event, CardRead):
            if event.record is not None:
                self.till.card_read(event.record.card_no, event.record.card_sn)
            elif event.error is not None:
                self.till.say(sentence(event.error), WARN)
        elif isinstance(event, ScannedLine):
            self.till.scanned(event.text)
        elif isinstance(event, CodeSeen) and event.result.text is not None:
            self.till.scanned(event.result.text)
        elif isinstance(event, (ScanRejected, CodeRejected)) and self.selling() \
                and not self._refused_to_sink(event):
            self.till.say(sentence(event.error), WARN)

    def _to_sink(self, event: object) -> bool:
        """A scan or card for the screen on show when it takes them itself (terminal.ui.places.ScanSink)."""
        sink = self.screens.scan_sink()
        if sink is None:
            return False
        if isinstance(sink, ScanTestSink):  # the devices panel: which scanner read it, and a card's failure
            if isinstance(event, CardRead) and event.record is None and event.error is not None:
                return sink.take_refused(event.error, None)
            if isinstance(event, ScannedLine):
                return sink.take_scan_from(event.text, ScanSource.SERIAL)
            if isinstance(event, CodeSeen) and event.result.text is not None:
                return sink.take_scan_from(event.result.text, ScanSource.CAMERA)
        if isinstance(event, CardRead):
            record = event.record
            return record is not None and sink.take_card(record.card_no, record.card_sn)
        if isinstance(event, ScannedLine):
            return sink.take_scan(event.text)
        if isinstance(event, CodeSeen) and event.result.text is not None:
            return sink.take_scan(event.result.text)
        return False

    def _refused_to_sink(self, event: ScanRejected | CodeRejected) -> bool:
        """A code a scanner refused, for the devices panel's scanner test when it is on show."""
        sink = self.screens.scan_sink()
        if not isinstance(sink, ScanTestSink):
            return False
        source = ScanSource.SERIAL if isinstance(event, ScanRejected) else ScanSource.CAMERA
        return sink.take_refused(event.error, source)

    def wedge_scanned(self, text: str) -> None:
        if not self.selling():
            self.screens.signin.say(self.tr("Sign in first: the scan was not used."), WARN)
            return
        sink = self.screens.scan_sink()
        if isinstance(sink, ScanTestSink) and sink.take_scan_from(text, ScanSource.WEDGE):
            return
        if sink is not None and sink.take_scan(text):
            return
        self.screens.open_checkout()
        self.till.scanned(text)

    def _journal_changed(self, txn: object) -> None:
        if isinstance(txn, Txn):
            self.till.journal_changed(txn)
            for desk in self.screens.desks.controls.values():
                desk.journal_changed(txn)
        self.refresh_queue()

    def _progress(self, progress: object) -> None:
        if isinstance(progress, Progress):
            self.screens.status.show_progress(progress)
            self.screens.queue.show_progress(progress)

    def _health_changed(self, health: object) -> None:
        if not isinstance(health, Health):
            return
        self.screens.status.show_health(health)
        if health.state is not ServiceState.ONLINE:
            return
        if self.session.operator is not None and not self.station.client.sign_no:
            self.network.run(self.session.ensure_service_sign_in, lambda _none: None, lambda _exc: None)
        if self.till.catalog is None and self.station.checkout is not None:
            self.till.load_prices()  # it could not be had at start: the service is back

    # ----- the queue (terminal.ui.queue_control)

    def refresh_queue(self) -> None:
        self.queue.refresh()

    @property
    def queue_status(self) -> QueueStatus | None:
        return self.queue.status

    # ----- the catalog and receipts

    def _catalog_ready(self, catalog: Catalog) -> None:
        def built(index: CatalogSearch) -> None:
            self.search_index = index
            freeze_long_lived()

        self.output.run(lambda: CatalogSearch(catalog.values()), built, lambda exc: log.error("search: %s", exc))

    def search(self, text: str) -> list[tuple[str, str]]:
        index = self.search_index
        if index is None:
            return []
        out = []
        for match in index.search(text):
            item = match.item
            price = f"¥{item.pric}" if item.pric is not None else ""
            out.append((item.med_list_codg, f"{item.name}  {item.spec}  {price}  ({item.med_list_codg})"))
        return out

    def _finished(self, txn: Txn) -> None:
        self.receipts.sale_done(txn, self.till.tendered)

    def reprint(self) -> None:
        self.receipts.reprint()

    @property
    def last_receipt(self) -> Txn | None:
        return self.receipts.last

    def receipt_of(self, txn: Txn, *, width: int = WIDTH_80MM, reprint: bool = False) -> Receipt:
        return self.receipts.receipt_of(txn, width=width, reprint=reprint)
