"""The pharmacy sale, online or offline, journaled before every message and every answer.

Three steps, as the counter takes them (the commands run all three in a row):

- identify(buyer): who is buying (terminal.offline.identity); a voucher is checked
  here first, so a forged or expired code never reaches the service;
- quote(identity, basket): the journal row (draft), then 2101 and "pre-settled"
  with the service's split; offline, the engine's estimate on the journal's copy
  of the catalog and policy. A changed basket quotes the same row again;
- complete(row): "sending" with its msgid is written, and only then does 2102
  leave; the answer settles the row. When the service cannot be reached (the
  request never left: NetworkUnreachable) the sale goes offline within the
  limits, queued for the forwarder with the same msgid and its sale time. An
  unknown outcome is never sold again: the row stays "sending" and the same
  message is resent until the service says what happened.

Runs on a worker thread (the CLI's main thread, or the app's network worker),
never on the GUI thread: it waits for the network and for the journal.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from terminal.catalog import Catalog
from terminal.client import MalformedAnswer, NetworkUnreachable, OutcomeUnknown, ServiceRefused, SettlementClient
from terminal.errors import BadInput, InsuranceCannotPay
from terminal.offline.estimate import Person, check_limits, estimate
from terminal.offline.identity import Identity, identify_offline, identify_online
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import Kind, State
from terminal.pharmacy_sale import Buyer, basket_lines, cash_setlinfo, pharmacy_sale_input, price_basket
from terminal.policy import Policy, PolicyError
from terminal.protocol import fmt_time
from terminal.settings import Settings
from terminal.traceability import split_codes
from terminal.voucher import load_public_key, verify_voucher

log = logging.getLogger(__name__)


def process_owner() -> str:
    """Who holds a transaction or a lease: this process, recognisably, on this host."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class NoOfflineCatalog(BadInput):
    def __init__(self) -> None:
        super().__init__("The settlement service cannot be reached and this terminal has no price list copy "
                         "yet, so it cannot sell on insurance offline; sell for cash.")


class CodeAlreadySold(BadInput):
    def __init__(self, line: int, code: str, local_id: str) -> None:
        super().__init__(f"The traceability code {code} on line {line} was already sold at this counter (sale "
                         f"{local_id}): each box is sold once; take that box back.", detail=code)
        self.line, self.code = line, code


class OfflineRefused(InsuranceCannotPay):
    """What the terminal knows offline says this person cannot be sold to on insurance."""


def cash_instead(exc: BaseException) -> bool:
    """Whether this failure to sell on insurance leaves a cash sale to offer: a limit reached offline,
    what the terminal knows offline refusing this person, or the service refusing the sale."""
    return isinstance(exc, (InsuranceCannotPay, ServiceRefused, PolicyError))


class Checkout:
    def __init__(self, journal: Journal, client: SettlementClient, settings: Settings, *,
                 clock: Any = time.time, operator: str | None = None) -> None:
        self.journal = journal
        self.client = client
        self.settings = settings
        self.limits = settings.offline
        self.clock = clock
        self.operator = operator or settings.terminal.opter
        self.owner = process_owner()
        self.public_key = load_public_key(settings.voucher.issuer_key_path())

    # ----- the catalog and policy, online or from the journal's copy

    def prices(self) -> tuple[Catalog, Policy, bool]:
        """The catalog and policy, and whether the service answered: refreshed when the copy is stale."""
        copy = self.journal.run(lambda t: t.catalog_copy())
        now = self.clock()
        # Refreshed at the first sale of each day at the latest, and whenever older than the limit.
        fresh = (copy is not None and now - copy[3] < self.limits.catalog_max_age_h * 3600
                 and datetime.fromtimestamp(copy[3]).date() == datetime.fromtimestamp(now).date())
        if not fresh or copy is None:
            try:
                catalog, policy, ver = self.client.download_catalog()
                self.journal.run(lambda t: t.save_catalog(ver, catalog.to_json(), policy.to_json()))
                return catalog, policy, True
            except (NetworkUnreachable, OutcomeUnknown):
                if copy is None:
                    raise NoOfflineCatalog() from None
                log.info("service unreachable; using the catalog copy of %s", copy[0])
        assert copy is not None
        return Catalog.from_json(copy[1]), Policy.from_json(copy[2]), fresh

    # ----- the three steps

    def identify(self, buyer: Buyer) -> Identity:
        claims = None
        if buyer.voucher:
            claims = verify_voucher(buyer.voucher, self.public_key, now=int(self.clock()),
                                    clock_skew_s=self.settings.voucher.clock_skew_s)
        try:
            return identify_online(self.client, self.journal, buyer, claims)
        except NetworkUnreachable:
            return identify_offline(self.journal, buyer, claims)

    def quote(self, identity: Identity, basket: object, *, acct_used: bool = True, row: Txn | None = None,
              buyer_id: str | None = None) -> Txn:
        """The row of this sale with its split: the service's (pre-settled) or the engine's estimate (draft).
        `buyer_id`: the buyer of a restricted drug, recorded with the sale."""
        if identity.suspended and not identity.online:
            raise OfflineRefused("The last answer of the settlement service said this person's insurance is "
                                 "suspended; sell for cash.")
        catalog, policy, _fresh = self.prices()
        sale_time = row.sale_time if row is not None else fmt_time(datetime.fromtimestamp(self.clock()))
        drugdetail = price_basket(basket, catalog, sale_time)
        self.check_codes(drugdetail, row)
        if identity.online:
            sale = pharmacy_sale_input(identity.cert, psn_no=identity.psn_no or "", insutype=identity.insutype or "",
                                       acct_used=acct_used, drugdetail=drugdetail, fee_time=sale_time)
            row = self._draft(identity, sale, row, buyer_id)
            try:
                _answer, pre = self.client.settlement("2101", sale, "drugdetail")
            except NetworkUnreachable:
                pass  # quoted offline below
            except ServiceRefused as exc:
                self._note(row, exc)
                raise
            else:
                return self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, estimate=pre.setlinfo,
                                                         last_error=None))
        return self._quote_offline(identity, drugdetail, sale_time, catalog, policy, acct_used, row, buyer_id)

    def check_codes(self, drugdetail: list[dict[str, Any]], row: Txn | None) -> None:
        """CodeAlreadySold for a box this counter's journal already holds as sold (this sale's row aside)."""
        lines = [(n, split_codes(entry.get("drug_trac_codg"))) for n, entry in enumerate(drugdetail, start=1)]
        wanted = [code for _n, codes in lines for code in codes]
        if not wanted:
            return
        besides = row.local_id if row is not None else None
        sold = self.journal.run(lambda t: t.codes_sold(wanted, besides))
        for n, codes in lines:
            for code in codes:
                if code in sold:
                    raise CodeAlreadySold(n, code, sold[code])

    def complete(self, row: Txn, identity: Identity) -> Txn:
        """Settle a quoted row: 2102 when it was quoted by the service, the offline queue otherwise."""
        self.check_codes(row.request.get("drugdetail") or [], row)
        if row.state is State.PRE_SETTLED:
            try:
                return self.send(row)
            except _GoOffline as offline:
                return self._queue_offline(offline.row, identity)
        if row.state is State.DRAFT and row.estimate and row.estimate.get("estimate"):
            return self._queue_offline(row, identity)
        raise BadInput(f"Sale {row.local_id} is {row.state.value}: it cannot be settled now.")

    def sell_for_cash(self, basket: object) -> Txn:
        """The basket sold for cash without insurance: journaled and settled at once, with a receipt number;
        the service never hears of it (no message, no forwarding, not in its reconciliation)."""
        catalog, _policy, _fresh = self.prices()
        sale_time = fmt_time(datetime.fromtimestamp(self.clock()))
        drugdetail = price_basket(basket, catalog, sale_time)
        info = cash_setlinfo(drugdetail, sale_time)
        total = Decimal(info["medfee_sumamt"])
        row = self.journal.run(lambda t: t.create(Kind.CASH_SALE, sale_time=sale_time, operator=self.operator,
                                                  request={"drugdetail": drugdetail}, medfee=total))
        return self.journal.run(lambda t: t.step(row.local_id, State.SETTLED, answer={"setlinfo": info},
                                                 estimate=info, cash_collected=total, setl_time=sale_time,
                                                 receipt=True, last_error=None))

    def sell(self, buyer: Buyer, basket: object, *, acct_used: bool = True) -> Txn:
        """Settle the sale online, or queue it offline within the limits; the journal row it ends in."""
        identity = self.identify(buyer)
        return self.complete(self.quote(identity, basket, acct_used=acct_used), identity)

    # ----- online

    def send(self, row: Txn) -> Txn:
        """2102 for a pre-settled row: journaled as sending (with its msgid) before it leaves."""
        msgid = self.client.next_msgid()
        hold_s = self._hold_s()
        row = self.journal.run(lambda t: t.step(row.local_id, State.SENDING, msgid=msgid, infno="2102",
                                                attempted=True, hold=self.owner, hold_s=hold_s))
        try:
            answer, settlement = self.client.settlement("2102", row.request, "drugdetail", msgid=msgid)
        except NetworkUnreachable:
            raise _GoOffline(row) from None  # never reached the service: the same msgid goes later
        except ServiceRefused as exc:
            self._refused(row, exc)
            raise
        except (OutcomeUnknown, MalformedAnswer) as exc:
            return self.resolve_now(row, exc)
        return self._settled(row, answer.output.data, settlement.setlinfo, settlement.totals.psn_cash_pay)

    def resolve_now(self, row: Txn, cause: Exception) -> Txn:
        """One immediate resend of a message whose outcome is unknown (the same msgid, the same body)."""
        assert row.msgid is not None
        first = str(cause)
        self.journal.run(lambda t: t.step(row.local_id, State.SENDING, last_error=first, hold=self.owner,
                                          hold_s=self._hold_s()))
        try:
            answer, settlement = self.client.settlement("2102", row.request, "drugdetail", msgid=row.msgid)
        except ServiceRefused as exc:
            self._refused(row, exc)
            raise
        except (OutcomeUnknown, MalformedAnswer, NetworkUnreachable) as exc:
            # Still unknown: the row stays in doubt, for the forwarder to resolve; never sold again.
            text = str(exc)
            self.journal.run(lambda t: t.step(row.local_id, State.SENDING, last_error=text, attempted=True,
                                              next_attempt_at=self.clock()))
            if isinstance(exc, OutcomeUnknown):
                raise
            raise OutcomeUnknown("2102", row.msgid, text) from None
        return self._settled(row, answer.output.data, settlement.setlinfo, settlement.totals.psn_cash_pay)

    def _draft(self, identity: Identity, sale: dict[str, Any], row: Txn | None, buyer_id: str | None) -> Txn:
        medfee = Decimal(sale["data"]["medfee_sumamt"])
        if row is None:
            def create(t: Any) -> Txn:
                made: Txn = t.create(
                    Kind.PHARMACY_SALE, sale_time=sale["data"]["fee_ocur_time"], operator=self.operator,
                    request=sale, medfee=medfee, psn_no=identity.psn_no, insutype=identity.insutype,
                    person_key=identity.person_key, infno="2102")
                return t.step(made.local_id, State.DRAFT, buyer_id=buyer_id) if buyer_id else made
            return self.journal.run(create)
        if row.state not in (State.DRAFT, State.PRE_SETTLED):
            raise BadInput(f"Sale {row.local_id} is {row.state.value}: its basket can no longer change.")
        # The basket changed after a quote: the same row, quoted again (its old split no longer holds).
        return self.journal.run(lambda t: t.step(row.local_id, State.DRAFT, request=sale, estimate=None,
                                                 medfee=medfee, psn_no=identity.psn_no, insutype=identity.insutype,
                                                 buyer_id=buyer_id))

    def _settled(self, row: Txn, output: dict[str, Any], setlinfo: dict[str, Any], cash: Decimal) -> Txn:
        return self.journal.run(lambda t: t.step(
            row.local_id, State.SETTLED, answer=output, setl_time=setlinfo.get("setl_time"), cash_collected=cash,
            receipt=True, last_error=None))

    def _refused(self, row: Txn, exc: ServiceRefused) -> None:
        # A definite no: nothing happened, and the next attempt takes a new msgid.
        text = exc.cashier_message
        self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, msgid=None, last_error=text))

    # ----- offline

    def _quote_offline(self, identity: Identity, drugdetail: list[dict[str, Any]], sale_time: str,
                       catalog: Catalog, policy: Policy, acct_used: bool, row: Txn | None,
                       buyer_id: str | None) -> Txn:
        sale, estimated = self._offline_terms(identity, drugdetail, sale_time, catalog, policy, acct_used)
        # The limits are checked again, binding, in the write that queues the sale; checked here too so
        # the cashier learns before the customer pays that this one must be sold for cash.
        outstanding = self.journal.run(lambda t: t.outstanding())
        check_limits(self.limits, outstanding, Decimal(estimated["medfee_sumamt"]), self.clock())
        row = self._draft(identity, sale, row, buyer_id)
        # An offline quote stays a draft: nothing was pre-settled by the service.
        return self.journal.run(lambda t: t.step(row.local_id, State.DRAFT, request=sale, estimate=estimated,
                                                 last_error="the service could not be reached"))

    def _offline_terms(self, identity: Identity, drugdetail: list[dict[str, Any]], sale_time: str,
                       catalog: Catalog, policy: Policy, acct_used: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """The request a forwarded sale carries (the card or the voucher text) and the engine's estimate."""
        person = Person(identity.psn_no, identity.insutype, identity.psn_type)
        estimated = estimate(basket_lines(drugdetail, catalog), person, policy)
        sale = pharmacy_sale_input(identity.buyer.offline_certificate(), psn_no=person.psn_no or "",
                                   insutype=person.insutype or "", acct_used=acct_used, drugdetail=drugdetail,
                                   fee_time=sale_time)
        return sale, estimated

    def _queue_offline(self, row: Txn, identity: Identity) -> Txn:
        """Queue a quoted sale for forwarding, within the limits (checked in the same write)."""
        request, estimated = row.request, row.estimate
        if not (estimated and estimated.get("estimate")):
            # Quoted by the service, then it could not be reached for 2102: estimate it now.
            catalog, policy, _fresh = self.prices()
            request, estimated = self._offline_terms(identity, row.request["drugdetail"], row.sale_time, catalog,
                                                     policy, row.request["data"].get("acct_used_flag") == "1")
        medfee = Decimal(estimated["medfee_sumamt"])
        msgid = row.msgid or self.client.next_msgid()
        now = self.clock()

        def guard(outstanding: Any) -> None:
            check_limits(self.limits, outstanding, medfee, now)

        try:
            return self.journal.run(lambda t: t.step(
                row.local_id, State.OFFLINE_QUEUED, msgid=msgid, request=request, estimate=estimated,
                cash_collected=Decimal(estimated["psn_cash_pay"]), receipt=True, next_attempt_at=now,
                last_error="the service could not be reached; sold offline", guard=guard))
        except BadInput as exc:
            if row.state is State.SENDING:
                # Its 2102 never left: nothing happened, and the next attempt takes a new msgid.
                text = exc.cashier_message
                self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, msgid=None, last_error=text))
            else:
                self._note(row, exc)
            raise

    def _note(self, row: Txn, exc: Exception) -> None:
        text = exc.cashier_message if isinstance(exc, BadInput) else str(exc)
        self.journal.run(lambda t: t.step(row.local_id, t.get(row.local_id).state, last_error=text))

    def _hold_s(self) -> float:
        # Long enough for every attempt of one message, so no other process resolves it meanwhile.
        connect, read = self.client.timeouts
        return (connect + read) * (self.client.connect_retries + 1) + 30.0


class _GoOffline(Exception):
    """The service cannot be reached after the sale was marked sending: it never left, it may go offline."""

    def __init__(self, row: Txn) -> None:
        super().__init__("offline")
        self.row = row


__all__ = ["Buyer", "Checkout", "Identity", "NoOfflineCatalog", "OfflineRefused", "process_owner"]
