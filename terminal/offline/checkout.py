"""The pharmacy sale, online or offline, journaled before every message and every answer.

Online: the journal row is written (draft), pre-settled (2101), marked sending
with its msgid, and only then is 2102 sent; its answer settles the row. When
the service cannot be reached (NetworkUnreachable: the request never left), the
sale may go offline within the limits: the engine estimates the split from the
journal's copy of the catalog and policy, the cashier collects the estimated
cash, and the forwarder settles it later with the same msgid and the original
sale time. An unknown outcome is never sold again: the row stays "sending" and
the same message is resent until the service says what happened.

Runs on a worker thread (the CLI's main thread, or the app's network worker),
never on the GUI thread: it waits for the network and for the journal.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from terminal.catalog import Catalog
from terminal.client import MalformedAnswer, NetworkUnreachable, OutcomeUnknown, ServiceRefused, SettlementClient
from terminal.domain import CertType
from terminal.errors import BadInput
from terminal.offline.estimate import Person, check_limits, estimate
from terminal.offline.journal import Journal
from terminal.offline.record import Txn
from terminal.offline.states import Kind, State
from terminal.pharmacy_sale import basket_lines, pharmacy_sale_input, price_basket
from terminal.policy import Policy
from terminal.protocol import fmt_time
from terminal.settings import Settings
from terminal.voucher import load_public_key, verify_voucher

log = logging.getLogger(__name__)


def process_owner() -> str:
    """Who holds a transaction or a lease: this process, recognisably, on this host."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class NoOfflineCatalog(BadInput):
    def __init__(self) -> None:
        super().__init__("The settlement service cannot be reached and this terminal has no price list copy "
                         "yet, so it cannot sell on insurance offline; sell for cash.")


class OfflineRefused(BadInput):
    """What the terminal knows offline says this person cannot be sold to on insurance."""


@dataclass(frozen=True)
class Buyer:
    """Who is buying, as the counter read them: a social security card, or a scanned e-voucher."""

    card_no: str | None = None
    card_sn: str | None = None
    voucher: str | None = None

    def __post_init__(self) -> None:
        if bool(self.voucher) == bool(self.card_no and self.card_sn):
            raise ValueError("a buyer is a card (number and card_sn) or an e-voucher, not both or neither")

    def person_key(self, psn_no: str | None) -> str:
        """A stable key for the journal's copy of what 1101 said, without storing the card number."""
        basis = f"card:{self.card_no}" if self.card_no else f"psn:{psn_no}"
        return hashlib.sha256(basis.encode()).hexdigest()

    def offline_certificate(self) -> dict[str, str]:
        """The certificate a forwarded sale carries: the card, or the voucher text itself."""
        if self.card_no:
            return {"mdtrt_cert_type": CertType.SOCIAL_SECURITY_CARD.value, "mdtrt_cert_no": self.card_no,
                    "card_sn": self.card_sn or ""}
        return {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": self.voucher or "", "card_sn": ""}


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

    # ----- selling

    def sell(self, buyer: Buyer, basket: object, *, acct_used: bool = True) -> Txn:
        """Settle the sale online, or queue it offline within the limits; the journal row it ends in."""
        claims = None
        sale_ts = self.clock()
        if buyer.voucher:
            # Checked here first in any case: a forged or expired code never reaches the service.
            claims = verify_voucher(buyer.voucher, self.public_key, now=int(sale_ts),
                                    clock_skew_s=self.settings.voucher.clock_skew_s)
        catalog, policy, _fresh = self.prices()
        sale_time = fmt_time(datetime.fromtimestamp(sale_ts))
        drugdetail = price_basket(basket, catalog, sale_time)
        try:
            return self._sell_online(buyer, claims, drugdetail, sale_time, acct_used)
        except _GoOffline as offline:
            return self._sell_offline(buyer, claims.psn_no if claims else None, drugdetail, sale_time,
                                      catalog, policy, offline.row, offline.msgid, acct_used)

    def _sell_online(self, buyer: Buyer, claims: Any, drugdetail: list[dict[str, Any]], sale_time: str,
                     acct_used: bool) -> Txn:
        try:
            if buyer.voucher:
                identity = self.client.ec_query(buyer.voucher, business_type="02121")
                cert = {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": identity.ec_token,
                        "card_sn": ""}
                info = self.client.person_info(cert, expect_psn_no=claims.psn_no, expect_certno=identity.id_no)
            else:
                cert = buyer.offline_certificate()
                info = self.client.person_info(cert)
        except NetworkUnreachable:
            raise _GoOffline(None, None) from None
        base, insu = info.output.obj("baseinfo"), info.output.items("insuinfo")[0]
        psn_no, insutype = base.text("psn_no"), insu.text("insutype")
        key = buyer.person_key(psn_no)
        self.journal.run(lambda t: t.save_person(key, {
            "psn_no": psn_no, "insutype": insutype, "psn_type": insu.text("psn_type"),
            "psn_insu_stas": insu.text("psn_insu_stas", default="1"),
            "insuplc_admdvs": insu.text("insuplc_admdvs", default="")}))
        sale = pharmacy_sale_input(cert, psn_no=psn_no, insutype=insutype, acct_used=acct_used,
                                   drugdetail=drugdetail, fee_time=sale_time)
        medfee = Decimal(sale["data"]["medfee_sumamt"])
        row = self.journal.run(lambda t: t.create(
            Kind.PHARMACY_SALE, sale_time=sale_time, operator=self.operator, request=sale, medfee=medfee,
            psn_no=psn_no, insutype=insutype, person_key=key, infno="2102"))
        try:
            _answer, pre = self.client.settlement("2101", sale, "drugdetail")
        except NetworkUnreachable:
            raise _GoOffline(row, None) from None
        except ServiceRefused as exc:
            self._note(row, exc)
            raise
        row = self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, estimate=pre.setlinfo))
        return self.send(row, sale)

    def send(self, row: Txn, sale: dict[str, Any]) -> Txn:
        """2102 for a pre-settled row: journaled as sending (with its msgid) before it leaves."""
        msgid = self.client.next_msgid()
        hold_s = self._hold_s()
        row = self.journal.run(lambda t: t.step(row.local_id, State.SENDING, msgid=msgid, infno="2102",
                                                attempted=True, hold=self.owner, hold_s=hold_s))
        try:
            answer, settlement = self.client.settlement("2102", sale, "drugdetail", msgid=msgid)
        except NetworkUnreachable:
            raise _GoOffline(row, msgid) from None  # never reached the service: the same msgid goes later
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

    def _settled(self, row: Txn, output: dict[str, Any], setlinfo: dict[str, Any], cash: Decimal) -> Txn:
        return self.journal.run(lambda t: t.step(
            row.local_id, State.SETTLED, answer=output, setl_time=setlinfo.get("setl_time"), cash_collected=cash,
            receipt=True, last_error=None))

    def _refused(self, row: Txn, exc: ServiceRefused) -> None:
        # A definite no: nothing happened, and the next attempt takes a new msgid.
        text = exc.cashier_message
        self.journal.run(lambda t: t.step(row.local_id, State.PRE_SETTLED, msgid=None, last_error=text))

    def _sell_offline(self, buyer: Buyer, psn_no: str | None, drugdetail: list[dict[str, Any]], sale_time: str,
                      catalog: Catalog, policy: Policy, row: Txn | None, msgid: str | None,
                      acct_used: bool) -> Txn:
        key = buyer.person_key(psn_no)
        known = self.journal.run(lambda t: t.person_copy(key))
        if known is not None and known["psn_insu_stas"] != "1":
            raise OfflineRefused("The last answer of the settlement service said this person's insurance is "
                                 "suspended; sell for cash.")
        person = Person(psn_no or (known or {}).get("psn_no"), (known or {}).get("insutype"),
                        (known or {}).get("psn_type"))
        estimated = estimate(basket_lines(drugdetail, catalog), person, policy)
        medfee = Decimal(estimated["medfee_sumamt"])
        sale = pharmacy_sale_input(buyer.offline_certificate(), psn_no=person.psn_no or "",
                                   insutype=person.insutype or "", acct_used=acct_used, drugdetail=drugdetail,
                                   fee_time=sale_time)
        if row is None:
            row = self.journal.run(lambda t: t.create(
                Kind.PHARMACY_SALE, sale_time=sale_time, operator=self.operator, request=sale, medfee=medfee,
                psn_no=person.psn_no, insutype=person.insutype, person_key=key, infno="2102"))
        msgid = msgid or row.msgid or self.client.next_msgid()
        now = self.clock()

        def guard(outstanding: Any) -> None:
            check_limits(self.limits, outstanding, medfee, now)

        try:
            return self.journal.run(lambda t: t.step(
                row.local_id, State.OFFLINE_QUEUED, msgid=msgid, request=sale, estimate=estimated,
                cash_collected=Decimal(estimated["psn_cash_pay"]), receipt=True, next_attempt_at=now,
                last_error="the service could not be reached; sold offline", guard=guard))
        except BadInput as exc:
            self._note(row, exc, back=State.PRE_SETTLED if row.state is State.SENDING else None)
            raise

    def _note(self, row: Txn, exc: Exception, back: State | None = None) -> None:
        text = exc.cashier_message if isinstance(exc, BadInput) else str(exc)
        self.journal.run(lambda t: t.step(row.local_id, back or t.get(row.local_id).state, last_error=text,
                                          msgid=None if back else row.msgid))

    def _hold_s(self) -> float:
        # Long enough for every attempt of one message, so no other process resolves it meanwhile.
        connect, read = self.client.timeouts
        return (connect + read) * (self.client.connect_retries + 1) + 30.0


class _GoOffline(Exception):
    """The service cannot be reached before the settlement left: the sale may go offline."""

    def __init__(self, row: Txn | None, msgid: str | None) -> None:
        super().__init__("offline")
        self.row = row
        self.msgid = msgid

