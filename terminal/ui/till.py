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
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from terminal.app.session import Session
from terminal.app.station import Station
from terminal.catalog import Catalog
from terminal.client import OutcomeUnknown
from terminal.counter import Counter, CounterSale, Phase
from terminal.devices.scan_codes import DrugBarcodeScan, TraceabilityScan, VoucherScan, lookup_barcode
from terminal.errors import TerminalError
from terminal.money import fmt_amount, parse_cash
from terminal.offline.checkout import Checkout, cash_instead
from terminal.offline.identity import Identity
from terminal.offline.record import Txn
from terminal.offline.states import Kind, State
from terminal.operators import NotAllowed
from terminal.pharmacy_sale import Buyer
from terminal.policy import Policy
from terminal.roles import Action
from terminal.ui.language import cashier_text
from terminal.ui.sentences import ERROR, INFO, WARN, NotStarted, sentence
from terminal.ui.tasks import Worker
from terminal.ui.till_rules import TillRules

log = logging.getLogger(__name__)
T = TypeVar("T")

class Till(QObject):
    """One counter's sale flow. Signals go to the screens; methods are called on the GUI thread."""

    changed = Signal()  # the sale, the person or the quote changed: redraw
    message = Signal(str, str)  # a sentence for the cashier and its level (info, warn, error)
    finished = Signal(object)  # the sale's journal row once settled or queued offline (receipt, drawer)
    catalog_ready = Signal(object)  # the catalog, once known (search, barcode lookup)

    def __init__(self, station: Station, session: Session, network: Worker) -> None:
        super().__init__()
        self.station = station
        self.session = session
        self.router = station.router
        self.network = network
        self.counter = Counter()
        self.catalog: Catalog | None = None
        self.policy: Policy | None = None
        self.tendered: Decimal | None = None
        self.identifying = 0  # identifications on their way: F9 waits for them
        self._last_voucher: str | None = None
        self._loading_prices = False
        self._quote_rows: dict[str, Txn] = {}
        self.rules = TillRules(self)

    @property
    def sale(self) -> CounterSale:
        return self.counter.sale

    @property
    def checkout(self) -> Checkout:
        """The station's checkout, once its journal is open (read on the network worker)."""
        if self.station.checkout is None:
            raise NotStarted()
        return self.station.checkout

    def _net(self, job: Callable[[], T], done: Callable[[T], None],
             failed: Callable[[BaseException], None] | None = None) -> None:
        """Network work, in the cashier's order; the service sign-in the session still owes goes first."""
        def work() -> T:
            self.session.ensure_service_sign_in()
            return job()

        self.network.run(work, done, failed or self.failed)

    # ----- start-up

    def load_prices(self) -> None:
        """The price list and policy (the service's, or the journal's copy); again until one is there."""
        if self._loading_prices:
            return
        self._loading_prices = True

        def loaded(result: tuple[Catalog, Policy, bool]) -> None:
            self._loading_prices = False
            self.catalog, self.policy, _fresh = result
            self.catalog_ready.emit(self.catalog)

        def failed(exc: BaseException) -> None:
            self._loading_prices = False  # a scan, or the service coming back, asks again
            self.failed(exc)

        self._net(lambda: self.checkout.prices(), loaded, failed)

    # ----- what the cashier does

    def scanned(self, text: str) -> None:
        """A code from any scanner: an e-voucher identifies the person, a box barcode rings up a drug."""
        if not self.may(Action.SELL):
            return
        try:
            scan = self.router.route(text)
            if isinstance(scan, VoucherScan):
                if scan.text == self._last_voucher:
                    # The camera reports a code still in view again, a scanner may be triggered twice:
                    # an e-voucher serves once, so a repeat of the one just used is not a new customer.
                    return
                self._last_voucher = scan.text
                self.identify(Buyer(voucher=scan.text))
            elif isinstance(scan, DrugBarcodeScan):
                if self.catalog is None:
                    self.load_prices()
                    raise NotStarted()
                self.add_item(lookup_barcode(scan, self.catalog).med_list_codg)
            elif isinstance(scan, TraceabilityScan) and self._start_if_done():
                self.rules.code_scanned(scan.code)
        except TerminalError as exc:
            self.say(sentence(exc), WARN)

    def card_read(self, card_no: str, card_sn: str) -> None:
        if not self.may(Action.SELL):
            return
        self.identify(Buyer(card_no=card_no, card_sn=card_sn))

    def identify(self, buyer: Buyer) -> None:
        if not self._start_if_done():
            return
        if self.sale.phase in (Phase.SETTLING, Phase.IN_DOUBT):
            self.say(self.tr("The sale is being settled: wait for the receipt, then scan again."), WARN)
            return
        self.say(self.tr("Identifying the person…"), INFO)
        self.identifying += 1

        def identified(identity: Identity) -> None:
            self.identifying -= 1
            try:
                self.sale.set_person(identity)
            except TerminalError as exc:
                self.say(sentence(exc), WARN)
                return
            if identity.suspended:
                self.say(cashier_text(identity.warning) if identity.warning
                         else self.tr("This person's insurance is suspended: sell for cash."), ERROR)
            elif not identity.online:
                self.say(self.tr("The settlement service cannot be reached: this sale is an offline estimate."),
                         WARN)
            else:
                self.say(self.tr("Person identified: scan the drugs, then F9 to pre-settle."), INFO)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            self.identifying -= 1
            self._last_voucher = None  # not identified: the same code may be shown again
            self.failed(exc)

        self._net(lambda: self.checkout.identify(buyer), identified, failed)

    def add_item(self, code: str, cnt: Decimal = Decimal(1)) -> None:
        if not self.may(Action.SELL):
            return
        if not self._start_if_done():
            return
        if self.catalog is None or code not in self.catalog:
            self.say(self.tr("%1 is not in the price list.").replace("%1", code), WARN)
            return
        self.rules.chosen = None  # the next code goes to the drug just rung up
        waiting = len(self.sale.pending_codes)
        self.do(lambda: self.sale.add(self.catalog[code], cnt) if self.catalog else None)
        self.rules.took_waiting(waiting)

    def set_quantity(self, index: int, text: str) -> None:
        try:
            cnt = Decimal(text.strip())
        except (InvalidOperation, ValueError):
            self.say(self.tr("The quantity must be a number, such as 2 or 0.5."), WARN)
            return
        def change() -> None:
            dropped = self.sale.set_quantity(index, cnt)
            if dropped:
                self.say(self.tr("%n box code(s) dropped with the boxes taken off the line.", "", len(dropped)),
                         WARN)

        self.do(change)

    def void_line(self, index: int) -> None:
        self.do(lambda: self.sale.void_line(index))

    def void_sale(self) -> None:
        self.rules.chosen = None
        self.do(self.counter.void)

    def toggle_account(self) -> None:
        self.do(lambda: self.sale.set_acct_used(not self.sale.acct_used))

    def hold(self) -> None:
        self.rules.chosen = None
        self.do(self.counter.hold, self.tr("Sale held: F7 takes it back."))

    def resume(self) -> None:
        self.rules.chosen = None
        self.do(self.counter.resume)

    def next_customer(self) -> None:
        self.rules.chosen = None
        self.do(self.counter.next_customer)

    def presettle(self) -> None:
        """F9: the split of these lines, from the service (or the engine's estimate offline)."""
        if not self.may(Action.SELL):
            return
        sale = self.sale
        if self.identifying:
            self.say(self.tr("Still identifying the person: press F9 again in a moment."), WARN)
            return
        try:
            version = sale.begin_quote()
        except TerminalError as exc:
            self.say(sentence(exc), WARN)
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
                no_cash = Decimal(str(answer.get("psn_cash_pay", "0"))) == 0
                if estimated:
                    self.say(self.tr("Offline estimate: the service will confirm it later. F10 to settle."), WARN)
                elif no_cash:
                    self.say(self.tr("Pre-settled: nothing to pay in cash. Enter or F10 settles."), INFO)
                else:
                    self.say(self.tr("Pre-settled: the split is shown. Type the cash received, then F10."), INFO)
            self.changed.emit()

        def failed(exc: BaseException) -> None:
            if cash_instead(exc) and sale.offer_cash(version, sentence(exc)):
                self.say(self.tr("%1 F10 sells it for cash, without insurance; F12 voids it.")
                         .replace("%1", sentence(exc)), ERROR)
                self.changed.emit()
                return
            sale.quote_failed(version, sentence(exc))
            self.failed(exc)

        buyer_id = sale.buyer_id
        self._net(lambda: self.checkout.quote(identity, basket, acct_used=acct_used, row=row, buyer_id=buyer_id),
                  quoted, failed)

    def settle(self, tendered: Decimal | None = None) -> None:
        """F10/Enter: settle the quoted sale once, whatever is pressed or scanned meanwhile."""
        if not self.may(Action.SELL):
            return
        sale = self.sale
        try:
            sale.begin_settle()
        except TerminalError as exc:
            self.say(sentence(exc), WARN)
            return
        self.tendered = tendered
        self.say(self.tr("Settling…"), INFO)
        self.changed.emit()
        if sale.cash_reason is not None:
            basket = sale.basket()
            self._net(lambda: self.checkout.sell_for_cash(basket), lambda txn: self._done(sale, txn),
                      lambda exc: self._settle_failed(sale, exc, insurance=False))
            return
        row = self._quote_rows[sale.row_id or ""]
        identity: Identity = sale.person
        self._net(lambda: self.checkout.complete(row, identity), lambda txn: self._done(sale, txn),
                  lambda exc: self._settle_failed(sale, exc, insurance=True))

    def _done(self, sale: CounterSale, txn: Txn) -> None:
        sale.settled(txn)
        if txn.kind is Kind.CASH_SALE:
            self.say(self.tr("Sold for cash, without insurance: the receipt is printing."), INFO)
        elif txn.state is State.SETTLED:
            self.say(self.tr("Settled: the receipt is printing."), INFO)
        else:
            self.say(self.tr("Sold offline on the estimate: the sale will be forwarded when the service is back."),
                     INFO)
        self.changed.emit()
        self.finished.emit(txn)

    def _settle_failed(self, sale: CounterSale, exc: BaseException, *, insurance: bool) -> None:
        in_doubt = isinstance(exc, OutcomeUnknown)
        sale.settle_failed(sentence(exc), in_doubt=in_doubt)
        if in_doubt:
            self.say(self.tr("%1 The terminal keeps asking the service; Esc serves the next customer meanwhile.")
                     .replace("%1", sentence(exc)), ERROR)
        elif insurance and cash_instead(exc) and sale.offer_cash(sale.version, sentence(exc)):
            self.say(self.tr("%1 F10 sells it for cash, without insurance; F12 voids it.")
                     .replace("%1", sentence(exc)), ERROR)
        else:
            self.say(sentence(exc), ERROR)
        self.changed.emit()

    def confirm(self, text: str) -> bool:
        """Enter: on a pre-settled sale, settle it, with `text` as the cash received when it is an amount
        (a code or a name is never an amount of cash: it goes on to the search). False: not taken."""
        if self.sale.phase is not Phase.QUOTED or (text.strip() and parse_cash(text) is None):
            return False
        return self.settle_with(text)

    def settle_with(self, text: str) -> bool:
        """F10 with what is typed as the cash received (nothing typed: none counted); False when refused."""
        tendered = None
        if text.strip():
            tendered = parse_cash(text)
            if tendered is None:
                self.say(self.tr("Type the cash received as an amount, such as 100 or 52.50, then F10."), WARN)
                return False
            due = Decimal(str((self.sale.quote or {}).get("psn_cash_pay", "0")))
            if self.sale.phase is Phase.QUOTED and tendered < due:
                self.say(self.tr("%1 received is less than the %2 cash due: type what the customer gave.")
                         .replace("%1", fmt_amount(tendered)).replace("%2", fmt_amount(due)), WARN)
                return False
        self.settle(tendered)
        return True

    def journal_changed(self, txn: Txn) -> None:
        """A journal step committed elsewhere: the forwarder resolved the unknown outcome of a sale here."""
        sale = self.counter.in_doubt(txn.local_id)
        if sale is not None and txn.state in (State.REVERSED, State.PRE_SETTLED):
            self.counter.undone(sale)
            self.say(self.tr("Sale %1, whose outcome was unknown, was undone by a supervisor: nothing of it stands.")
                     .replace("%1", txn.local_id), WARN)
            self.changed.emit()
            return
        if sale is None or txn.state not in (State.SETTLED, State.FORWARDED_SETTLED):
            return
        self.counter.resolved(sale, txn)
        self.say(self.tr("The service confirmed the settlement: the receipt is printing."), INFO)
        self.changed.emit()
        self.finished.emit(txn)

    def set_aside(self) -> None:
        """Esc on a sale whose outcome is unknown: the terminal keeps checking it; the next customer."""
        self.do(self.counter.set_aside, self.tr("Set aside while the service is asked: its receipt prints once "
                                                 "the service answers. Next customer."))

    # ----- helpers

    def may(self, action: Action) -> bool:
        """Whether the signed-in operator's role allows `action`; if not, the sentence says who may."""
        operator = self.session.operator
        if operator is None:
            return True  # the window lets no one act before sign-in; tests drive the till directly
        try:
            operator.require(action)
        except NotAllowed as exc:
            self.say(sentence(exc), WARN)
            return False
        return True

    def say(self, text: str, level: str = INFO) -> None:
        self.sale.message = text
        self.message.emit(text, level)

    def do(self, action: Callable[[], Any], done_message: str | None = None) -> None:
        try:
            action()
        except TerminalError as exc:
            self.say(sentence(exc), WARN)
            return
        if done_message:
            self.say(done_message, INFO)
        self.changed.emit()

    def _start_if_done(self) -> bool:
        """A scan or a card after a finished sale starts the next customer's sale."""
        if self.sale.phase is Phase.DONE:
            self.rules.chosen = None
            self.counter.next_customer()
            self.changed.emit()
        return True

    def failed(self, exc: BaseException) -> None:
        self.say(sentence(exc), ERROR)
        self.changed.emit()
