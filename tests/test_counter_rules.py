"""The counter's rules that live in the core: cash instead of insurance, setting aside a sale in doubt,
signing out, the status bar's levels, the operator's session. No Qt here."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from terminal.app.session import Session
from terminal.app.status import Level, age_parts, queue_status
from terminal.catalog import load_catalog
from terminal.client import NetworkUnreachable
from terminal.counter import CannotSettle, Counter, CounterSale, Phase, SaleLocked
from terminal.errors import BadInput
from terminal.offline.health import Health, ServiceState
from terminal.operators import Operator, Role
from terminal.pharmacy_sale import cash_setlinfo
from terminal.settings import OfflineSettings

CATALOG = load_catalog().without_pharmacy_rules()  # these sales are not about the pharmacy rules
AMOXICILLIN = CATALOG["XJ01CAA040E001010101000"]  # 8.50


def ringing() -> CounterSale:
    sale = CounterSale()
    sale.add(AMOXICILLIN, Decimal(2))
    sale.set_person("person")
    return sale


def test_a_sale_insurance_cannot_pay_is_offered_for_cash_and_settles_without_a_journal_quote() -> None:
    sale = ringing()
    version = sale.begin_quote()
    assert sale.offer_cash(version, "above the offline limit")
    assert sale.phase is Phase.QUOTED and sale.row_id is None and sale.cash_reason == "above the offline limit"
    assert sale.quote is not None and sale.quote["psn_cash_pay"] == "17.00" and sale.quote["cash_sale"] is True
    sale.begin_settle()
    assert sale.phase is Phase.SETTLING


def test_changing_the_basket_takes_the_cash_offer_back() -> None:
    sale = ringing()
    assert sale.offer_cash(sale.begin_quote(), "limit")
    sale.add(AMOXICILLIN)
    assert sale.cash_reason is None and sale.phase is Phase.RINGING
    with pytest.raises(CannotSettle):
        sale.begin_settle()


def test_a_cash_offer_for_an_older_version_of_the_sale_is_ignored() -> None:
    sale = ringing()
    version = sale.begin_quote()
    sale.add(AMOXICILLIN)
    assert not sale.offer_cash(version, "limit") and sale.cash_reason is None


def test_cash_setlinfo_is_all_the_persons_own_cash() -> None:
    info = cash_setlinfo([{"det_item_fee_sumamt": "8.50"}, {"det_item_fee_sumamt": "3.20"}], "2026-11-30 10:00:00")
    assert info["medfee_sumamt"] == info["psn_cash_pay"] == info["fulamt_ownpay_amt"] == "11.70"
    assert info["fund_pay_sumamt"] == info["acct_pay"] == info["acct_mulaid_pay"] == "0.00"


def test_a_sale_in_doubt_is_set_aside_and_finished_when_the_service_answers() -> None:
    counter = Counter()
    counter.sale = ringing()
    version = counter.sale.begin_quote()
    counter.sale.quoted(version, "ROW-9", {"psn_cash_pay": "17.00"}, [])
    counter.sale.begin_settle()
    counter.sale.settle_failed("outcome unknown", in_doubt=True)
    doubtful = counter.sale
    with pytest.raises(SaleLocked):
        counter.next_customer()
    counter.set_aside()
    assert counter.sale.phase is Phase.READY and counter.aside == [doubtful]
    assert counter.in_doubt("ROW-9") is doubtful and counter.in_doubt("ROW-1") is None
    counter.resolved(doubtful, "settled row")
    assert doubtful.phase is Phase.DONE and not counter.aside
    with pytest.raises(BadInput):
        counter.set_aside()  # only a sale in doubt


def test_signing_out_leaves_no_sale_half_done() -> None:
    counter = Counter()
    counter.check_can_sign_out()  # nothing rung up
    counter.sale = ringing()
    with pytest.raises(BadInput, match="before signing out"):
        counter.check_can_sign_out()
    counter.hold()
    counter.check_can_sign_out()  # held sales stay with the till


LIMITS = OfflineSettings()


def stats(queued: int = 0, amount: str = "0.00", age_s: float | None = None, **states: int) -> dict[str, Any]:
    return {"queued": queued, "queued_amount": amount, "oldest_queued_age_s": age_s,
            "states": {k.replace("_", "-"): v for k, v in states.items()},
            "refunds_due": "0.00", "amounts_owed": "1.50"}


@pytest.mark.parametrize(("queue", "level", "limit"), [
    (stats(), Level.IDLE, ""),
    (stats(3, "120.00", 600), Level.OK, ""),
    (stats(170, "300.00", 600), Level.WARN, "count"),  # 85 % of 200 sales
    (stats(3, "4100.00", 600), Level.WARN, "amount"),
    (stats(3, "100.00", 72 * 3600 + 1), Level.STOP, "age"),
    (stats(200, "100.00", 600), Level.STOP, "count"),
    (stats(needs_attention=1), Level.WARN, ""),
])
def test_the_queue_light_judges_the_limits(queue: dict[str, Any], level: Level, limit: str) -> None:
    status = queue_status(queue, LIMITS)
    assert (status.level, status.limit) == (level, limit)
    assert status.amounts_owed == Decimal("1.50")


def test_ages_are_worded_from_their_parts() -> None:
    assert age_parts(None) is None
    assert age_parts(59) == (0, 0, 0) and age_parts(3 * 3600 + 120) == (0, 3, 2)
    assert age_parts(26 * 3600) == (1, 2, 0)


class ScriptedStation:
    """The station as far as the session uses it; every scripted sign-in answer must be used."""

    def __init__(self, *answers: str | Exception) -> None:
        self.answers = list(answers)
        self.health = type("H", (), {"health": Health(ServiceState.ONLINE, None)})()
        self.client = type("C", (), {"sign_no": ""})()
        self.signed_out = 0
        self.audited: list[str] = []

    def audit(self, event: object, operator: str, **_what: object) -> None:
        self.audited.append(f"{event} {operator}")

    def sign_in(self, opter: str, name: str) -> str:
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        self.client.sign_no = answer
        return answer

    def sign_out(self) -> None:
        self.signed_out += 1
        self.client.sign_no = ""


class Book:
    def __init__(self, operator: Operator) -> None:
        self.operator = operator

    def verify(self, opter: str, pin: str) -> Operator:
        if pin != "1111":
            raise BadInput("wrong")
        return self.operator


CASHIER = Operator("0001", "王芳", Role.CASHIER, None)


def test_a_session_signs_in_to_the_service_later_when_it_was_down_at_sign_in() -> None:
    station = ScriptedStation(NetworkUnreachable("connection refused"), "SIGN-2")
    now = [0.0]
    session = Session(Book(CASHIER), station, idle_lock_s=60, clock=lambda: now[0])  # type: ignore[arg-type]
    signed = session.sign_in("0001", "1111")
    assert signed.sign_no == "" and signed.problem and session.operator == CASHIER
    station.health.health = Health(ServiceState.OFFLINE, None)
    session.ensure_service_sign_in()  # not while the service is down: the script is not touched
    assert station.answers
    station.health.health = dataclasses.replace(station.health.health, state=ServiceState.ONLINE)
    session.ensure_service_sign_in()
    assert station.client.sign_no == "SIGN-2" and not station.answers
    now[0] = 59.0
    assert not session.idle_due()
    now[0] = 60.5
    assert session.idle_due()
    session.lock()
    assert session.locked and not session.idle_due()
    assert session.sign_out() == "" and station.signed_out == 1 and session.operator is None
    # Each step is in the audit trail: the sign-in (the service did not hear it then), the lock, the sign-out.
    assert station.audited == ["sign-in 0001", "lock 0001", "sign-out 0001"]
