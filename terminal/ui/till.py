"""The till behind the counter screen: the sale in progress and the work it sends to the workers.

Thin glue: the rules are the core's (terminal.counter for the sale, the offline
Checkout for identify/quote/complete, route_scan for what a code is); the
network work runs on one worker thread in the cashier's order; every result
comes back on the GUI thread and the screen redraws from the model. Nothing here
blocks: a key press returns at once, whatever the service or the devices do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QObject, Signal

from terminal.catalog import Catalog
from terminal.client import OutcomeUnknown
from terminal.counter import Counter, CounterSale, Phase
from terminal.devices.scan_codes import DrugBarcodeScan, ScanRouter, VoucherScan, lookup_barcode
from terminal.errors import BadInput, TerminalError
from terminal.offline.checkout import Checkout
from terminal.offline.identity import Identity
from terminal.offline.record import Txn
from terminal.pharmacy_sale import Buyer
from terminal.policy import Policy
from terminal.ui.tasks import Worker

log = logging.getLogger(__name__)

INFO, WARN, ERROR = "info", "warn", "error"


def sentence(exc: BaseException) -> str:
    """What the cashier reads for an error: the typed error's sentence, or a plain apology for a bug."""
    if isinstance(exc, TerminalError):
        return exc.cashier_message
    log.error("unexpected error", exc_info=exc)
    return "Something went wrong inside the terminal; the sale is kept. Call the technician."


class Till(QObject):
    """One counter's sale flow. Signals go to the screens; methods are called on the GUI thread."""

    changed = Signal()  # the sale, the person or the quote changed: redraw
    message = Signal(str, str)  # a sentence for the cashier and its level (info, warn, error)
    finished = Signal(object)  # the sale's journal row once settled or queued offline (receipt, drawer)
    catalog_ready = Signal(object)  # the catalog, once known (search, barcode lookup)

    def __init__(self, checkout: Checkout, router: ScanRouter, network: Worker) -> None:
        super().__init__()
        self.checkout = checkout
        self.router = router
        self.network = network
        self.counter = Counter()
        self.catalog: Catalog | None = None
        self.policy: Policy | None = None
        self.tendered: Decimal | None = None
        self._quote_rows: dict[str, Txn] = {}

    @property
    def sale(self) -> CounterSale:
        return self.counter.sale

    # ----- start-up

    def load_prices(self) -> None:
        def loaded(result: tuple[Catalog, Policy, bool]) -> None:
            self.catalog, self.policy, _fresh = result
            self.catalog_ready.emit(self.catalog)

        self.network.run(self.checkout.prices, loaded, self._failed)

    # ----- what the cashier does

    def scanned(self, text: str) -> None:
        """A code from any scanner: an e-voucher identifies the person, a box barcode rings up a drug."""
        try:
            scan = self.router.route(text)
            if isinstance(scan, VoucherScan):
                self.identify(Buyer(voucher=scan.text))
            elif isinstance(scan, DrugBarcodeScan):
                if self.catalog is None:
                    raise BadInput("The price list is still loading: scan again in a moment.")
                self.add_item(lookup_barcode(scan, self.catalog).med_list_codg)
        except TerminalError as exc:
            self.say(exc.cashier_message, WARN)

    def card_read(self, card_no: str, card_sn: str) -> None:
        self.identify(Buyer(card_no=card_no, card_sn=card_sn))

    def identify(self, buyer: Buyer) -> None:
        if not self._start_if_done():
            return
        if self.sale.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            self.say("The sale is being settled: wait for the receipt, then scan again.", WARN)
            return
        self.say("Identifying the person…", INFO)

        def identified(identity: Identity) -> None:
            try:
                self.sale.set_person(identity)
            except TerminalError as exc:
                self.say(exc.cashier_message, WARN)
                return
            if identity.suspended:
                self.say(identity.warning or "This person's insurance is suspended: sell for cash.", ERROR)
            elif not identity.online:
                self.say("The settlement service cannot be reached: this sale is an offline estimate.", WARN)
            else:
                self.say("Person identified.", INFO)
            self.changed.emit()

        self.network.run(lambda: self.checkout.identify(buyer), identified, self._failed)

    def add_item(self, code: str, cnt: Decimal = Decimal(1)) -> None:
        if not self._start_if_done():
            return
        if self.catalog is None or code not in self.catalog:
            self.say(f"{code} is not in the price list.", WARN)
            return
        self._do(lambda: self.sale.add(self.catalog[code], cnt) if self.catalog else None)

    def set_quantity(self, index: int, text: str) -> None:
        try:
            cnt = Decimal(text.strip())
        except (InvalidOperation, ValueError):
            self.say("The quantity must be a number, such as 2 or 0.5.", WARN)
            return
        self._do(lambda: self.sale.set_quantity(index, cnt))

    def void_line(self, index: int) -> None:
        self._do(lambda: self.sale.void_line(index))

    def void_sale(self) -> None:
        self._do(self.counter.void)

    def toggle_account(self) -> None:
        self._do(lambda: self.sale.set_acct_used(not self.sale.acct_used))

    def hold(self) -> None:
        self._do(self.counter.hold, "Sale held: F7 takes it back.")

    def resume(self) -> None:
        self._do(self.counter.resume)

    def next_customer(self) -> None:
        self._do(self.counter.next_customer)

    def presettle(self) -> None:
        """F9: the split of these lines, from the service (or the engine's estimate offline)."""
        sale = self.sale
        try:
            version = sale.begin_quote()
        except TerminalError as exc:
            self.say(exc.cashier_message, WARN)
            return
        identity: Identity = sale.person
        basket, acct_used = sale.basket(), sale.acct_used
        row = self._quote_rows.get(sale.row_id or "")
        self.changed.emit()

        def quoted(txn: Txn) -> None:
            self._quote_rows[txn.local_id] = txn
            answer = txn.estimate or {}
            if sale.quoted(version, txn.local_id, answer, []):
                estimated = bool(answer.get("estimate"))
                self.say("Offline estimate: the service will confirm it later." if estimated
                         else "Pre-settled: the split is shown.", WARN if estimated else INFO)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            sale.quote_failed(version, sentence(exc))
            self._failed(exc)

        self.network.run(lambda: self.checkout.quote(identity, basket, acct_used=acct_used, row=row), quoted,
                         failed)

    def settle(self, tendered: Decimal | None = None) -> None:
        """F10/Enter: settle the quoted sale once, whatever is pressed or scanned meanwhile."""
        sale = self.sale
        try:
            sale.begin_settle()
        except TerminalError as exc:
            self.say(exc.cashier_message, WARN)
            return
        self.tendered = tendered
        row = self._quote_rows[sale.row_id or ""]
        identity: Identity = sale.person
        self.say("Settling…", INFO)
        self.changed.emit()

        def done(txn: Txn) -> None:
            sale.settled(txn)
            self.say("Settled: the receipt is printing." if txn.state.value == "settled"
                     else "Sold offline on the estimate: the sale will be forwarded when the service is back.",
                     INFO)
            self.changed.emit()
            self.finished.emit(txn)

        def failed(exc: BaseException) -> None:
            in_doubt = isinstance(exc, OutcomeUnknown)
            sale.settle_failed(sentence(exc), in_doubt=in_doubt)
            self.say(sentence(exc), ERROR)
            self.changed.emit()

        self.network.run(lambda: self.checkout.complete(row, identity), done, failed)

    def journal_changed(self, txn: Txn) -> None:
        """A journal step committed elsewhere (the forwarder resolved this sale's unknown outcome)."""
        sale = self.sale
        if sale.phase is Phase.IN_DOUBT and txn.local_id == sale.row_id and txn.state.value == "settled":
            sale.settled(txn)
            self.say("The service confirmed the settlement: the receipt is printing.", INFO)
            self.changed.emit()
            self.finished.emit(txn)

    # ----- helpers

    def say(self, text: str, level: str = INFO) -> None:
        self.sale.message = text
        self.message.emit(text, level)

    def _do(self, action: Callable[[], Any], done_message: str | None = None) -> None:
        try:
            action()
        except TerminalError as exc:
            self.say(exc.cashier_message, WARN)
            return
        if done_message:
            self.say(done_message, INFO)
        self.changed.emit()

    def _start_if_done(self) -> bool:
        """A scan or a card after a finished sale starts the next customer's sale."""
        if self.sale.phase is Phase.DONE:
            self.counter.next_customer()
            self.changed.emit()
        return True

    def _failed(self, exc: BaseException) -> None:
        self.say(sentence(exc), ERROR)
        self.changed.emit()
