"""Reversals with a supervisor's PIN against the real service: 2103 of a settlement, 2601 of a message in doubt.

Each ends in the right journal rows (the reversal its own row, approved_by the
supervisor, the original reversed), the audit trail keeps the approval, and the
day's reconciliation (3201 and 3202) agrees afterwards, as the service sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from offline_helpers import CHEAP, card_buyer, client, till
from service_helpers import Raw, psn

from terminal.app.supervision import reverse
from terminal.config import config_path
from terminal.lockouts import LockoutFile
from terminal.offline import audit
from terminal.offline.dayend import reconcile_day
from terminal.offline.forwarder import Forwarder
from terminal.offline.journal import Journal
from terminal.offline.reversal import CannotReverse
from terminal.offline.states import Kind, State
from terminal.operators import NotAllowed, OperatorBook, WrongPin
from terminal.sim.processes import ServiceProcess
from terminal.sim.proxy import FaultProxy

SUPERVISOR, PIN = "0002", "2222"


@pytest.fixture
def book(tmp_path: Path) -> OperatorBook:
    return OperatorBook(config_path("operators.json"), LockoutFile(tmp_path / "pin-counts.json"))


@pytest.fixture
def proxy(settlement_service: ServiceProcess) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(settlement_service.url, seed=3).start()
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture
def raw(settlement_service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(settlement_service.url)
    yield r
    r.close()


def events(journal: Journal) -> list[tuple[str, str | None, str | None]]:
    return [(r.event, r.subject, r.approved_by) for r in reversed(journal.run(lambda t: audit.rows(t)))]


def agrees(journal: Journal, url: str) -> dict[str, object]:
    c = client(url)
    try:
        report = reconcile_day(journal, c, date.today().isoformat())
    finally:
        c.close()
    assert report["agree"] is True, report
    return report


def test_a_settlement_reversed_with_a_supervisors_pin(tmp_path: Path, settlement_service: ServiceProcess,
                                                      raw: Raw, book: OperatorBook) -> None:
    before = raw.balance(13)
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        sale = checkout.sell(card_buyer(13), CHEAP)
        assert raw.balance(13) < before
        done = reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0001",
                       opter=SUPERVISOR, pin=PIN, reason="wrong drug rung up")
        original = journal.run(lambda t: t.get(sale.local_id))
        assert done.kind is Kind.REVERSAL and done.state is State.SETTLED and done.infno == "2103"
        assert done.approved_by == SUPERVISOR and done.operator == "0001" and done.refers_to == sale.local_id
        assert original.state is State.REVERSED
        assert raw.balance(13) == before
        assert events(journal) == [("approval", sale.local_id, SUPERVISOR), ("reversal", done.local_id, SUPERVISOR)]
        report = agrees(journal, settlement_service.url)
        assert report["settlements"] == 2  # the sale and its reversal, as the service lists them
        with pytest.raises(CannotReverse, match="only a settlement that stands"):
            reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0001", opter=SUPERVISOR,
                    pin=PIN, reason="again")


def test_a_wrong_pin_or_a_cashiers_pin_changes_nothing_but_the_audit(
        tmp_path: Path, settlement_service: ServiceProcess, raw: Raw, book: OperatorBook) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        sale = checkout.sell(card_buyer(13), CHEAP)
        balance = raw.balance(13)
        with pytest.raises(WrongPin):
            reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0001", opter=SUPERVISOR,
                    pin="9999", reason="customer returned it")
        with pytest.raises(NotAllowed, match="may not reverse a settlement"):
            reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0001", opter="0001",
                    pin="1111", reason="customer returned it")
        assert journal.run(lambda t: t.get(sale.local_id)).state is State.SETTLED
        assert not journal.run(lambda t: t.where("kind = 'reversal'"))
        assert [e[0] for e in events(journal)] == ["approval-refused", "approval-refused"]
        assert raw.balance(13) == balance


def test_a_reversal_whose_answer_is_lost_is_resolved_by_the_forwarder(
        tmp_path: Path, proxy: FaultProxy, raw: Raw, book: OperatorBook) -> None:
    with till(tmp_path / "j.db", proxy.url) as (journal, checkout):
        sale = checkout.sell(card_buyer(11), CHEAP)
        before = raw.balance(11)
        proxy.set_faults("timeout-after=1x@2103")
        row = reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0002",
                      opter=SUPERVISOR, pin=PIN, reason="duplicate sale")
        assert row.state is State.SENDING  # the service took it back; the terminal does not know yet
        assert journal.run(lambda t: t.get(sale.local_id)).state is State.REVERSAL_PENDING
        assert raw.balance(11) > before
        forwarder = Forwarder(journal, checkout.client, checkout.settings.offline)
        try:
            forwarder.run_once(now=True)
        finally:
            forwarder.close()
        assert journal.run(lambda t: t.get(row.local_id)).state is State.SETTLED
        assert journal.run(lambda t: t.get(sale.local_id)).state is State.REVERSED
        agrees(journal, proxy.url)


@pytest.mark.parametrize("fault,undone", [("timeout-after=2x@2102", True), ("timeout-before=2x@2102", False)])
def test_a_message_of_unknown_outcome_is_undone_by_2601(
        tmp_path: Path, proxy: FaultProxy, raw: Raw, book: OperatorBook, fault: str, undone: bool) -> None:
    before = raw.balance(12)
    with till(tmp_path / "j.db", proxy.url) as (journal, checkout):
        proxy.set_faults(fault)
        with pytest.raises(Exception):  # noqa: B017 - OutcomeUnknown or NetworkUnreachable: either leaves it in doubt
            checkout.sell(card_buyer(12), CHEAP)
        (sale,) = journal.run(lambda t: t.where("kind = 'pharmacy-sale'"))
        assert sale.state is State.SENDING
        proxy.set_faults("")
        row = reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0002",
                      opter=SUPERVISOR, pin=PIN, reason="customer left; outcome unknown")
        original = journal.run(lambda t: t.get(sale.local_id))
        assert row.infno == "2601" and row.state is State.SETTLED
        assert row.request["data"] == {"psn_no": psn(12), "omsgid": sale.msgid, "oinfno": "2102"}
        assert original.state is (State.REVERSED if undone else State.PRE_SETTLED)
        assert raw.balance(12) == before  # nothing stands either way
        if undone:  # the settlement the lost answer would have told, from the reversal's figures
            assert original.actual is not None and Decimal(original.actual["medfee_sumamt"]) == Decimal("3.20")
        agrees(journal, proxy.url)


def test_a_reversal_the_service_refuses_goes_back_with_its_sentence(
        tmp_path: Path, settlement_service: ServiceProcess, raw: Raw, book: OperatorBook) -> None:
    with till(tmp_path / "j.db", settlement_service.url) as (journal, checkout):
        sale = checkout.sell(card_buyer(13), CHEAP)
        assert sale.actual is not None
        # Taken back behind the terminal's back: the service refuses the second reversal.
        raw.ok("2103", {"data": {"setl_id": sale.actual["setl_id"], "psn_no": psn(13)}})
        row = reverse(book, journal, checkout.client, original_id=sale.local_id, asked_by="0002", opter=SUPERVISOR,
                      pin=PIN, reason="returned")
        assert row.state is State.DRAFT and row.last_error and "already reversed" in row.last_error
        assert journal.run(lambda t: t.get(sale.local_id)).state is State.SETTLED
