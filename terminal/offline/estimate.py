"""The offline sale: its split estimated by the engine, and the limits it must stay within.

The service is not there to say how much deductible and cap the person has left
or what is in their account, so the estimate assumes the worst for the till and
never for the patient's pocket the other way round: no deductible met this year,
no personal account, no family mutual aid. The patient never pays too little
(the one exception, written on the receipt as an estimate: a person whose
yearly cap is already used up may owe the fund's part, listed at day-end). A
person the terminal has never seen (a card read offline for the first time) is
estimated with whichever rule of the policy leaves them the largest share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from terminal.domain import BasketLine
from terminal.errors import InsuranceCannotPay
from terminal.money import ZERO, fmt_amount
from terminal.offline.transactions import Outstanding
from terminal.policy import Policy
from terminal.protocol import parse_time
from terminal.settings import OfflineSettings
from terminal.split import SplitContext, split


class OfflineLimitReached(InsuranceCannotPay):
    """The sale would go beyond an offline limit: refused as an insurance sale (cash is still possible)."""

    def __init__(self, what: str, detail: str) -> None:
        super().__init__(f"The settlement service cannot be reached and {what}, so this cannot be sold on "
                         "insurance now; sell it for cash or wait for the network.", detail=detail)


@dataclass(frozen=True)
class Person:
    """What the terminal knows of the person offline (from the last 1101 answer, or a voucher)."""

    psn_no: str | None
    insutype: str | None
    psn_type: str | None


def estimate(lines: list[BasketLine], person: Person, policy: Policy, med_type: str = "41") -> dict[str, Any]:
    """The estimated setlinfo of an offline sale (the engine's figures, marked as an estimate)."""
    candidates = _contexts(person, policy, med_type)
    results = [(split(lines, ctx, policy), ctx) for ctx in candidates]
    result, ctx = max(results, key=lambda pair: pair[0].totals.psn_cash_pay)
    info: dict[str, Any] = {
        "psn_no": person.psn_no, "insutype": ctx.insutype, "psn_type": ctx.psn_type, "med_type": med_type,
        "setl_id": None, "mdtrt_id": None, "estimate": True,
    }
    info.update(result.totals.to_json())
    return info


def _contexts(person: Person, policy: Policy, med_type: str) -> list[SplitContext]:
    def context(insutype: str, psn_type: str) -> SplitContext:
        return SplitContext(med_type=med_type, insutype=insutype, psn_type=psn_type, acct_used=False, balc=ZERO,
                            holder_balc=None, dedc_used=ZERO, fund_used=ZERO)

    if person.insutype and person.psn_type:
        return [context(person.insutype, person.psn_type)]
    bucket = policy.bucket_for(med_type)
    rules = [r for r in policy.rules if r.bucket == bucket
             and (person.insutype is None or r.insutype == person.insutype)]
    if not rules:
        raise InsuranceCannotPay("The offline price list has no benefit for this person; sell for cash.",
                       detail=f"no {bucket} rule for insutype {person.insutype}")
    return [context(r.insutype, r.psn_type or "any") for r in rules]


def check_limits(limits: OfflineSettings, outstanding: Outstanding, medfee: Decimal, now: float) -> None:
    """OfflineLimitReached naming the first limit this sale would break."""
    if medfee > limits.max_sale_amount:
        raise OfflineLimitReached(f"this sale of {fmt_amount(medfee)} yuan is above the offline limit of "
                                  f"{fmt_amount(limits.max_sale_amount)} per sale",
                                  detail="offline.max_sale_amount")
    if outstanding.amount + medfee > limits.max_outstanding_amount:
        raise OfflineLimitReached(f"the sales waiting to be forwarded would come to "
                                  f"{fmt_amount(outstanding.amount + medfee)} yuan, above the limit of "
                                  f"{fmt_amount(limits.max_outstanding_amount)}",
                                  detail="offline.max_outstanding_amount")
    if outstanding.count + 1 > limits.max_queued_sales:
        raise OfflineLimitReached(f"{outstanding.count} sales are already waiting to be forwarded, the limit "
                                  f"is {limits.max_queued_sales}", detail="offline.max_queued_sales")
    if outstanding.oldest_sale_time is not None:
        age_h = (now - parse_time(outstanding.oldest_sale_time).timestamp()) / 3600
        if age_h > limits.max_queue_age_h:
            since = datetime.fromtimestamp(now - age_h * 3600).strftime("%Y-%m-%d %H:%M")
            raise OfflineLimitReached(f"the oldest sale waiting to be forwarded (from {since}) is older than "
                                      f"{limits.max_queue_age_h:g} hours", detail="offline.max_queue_age_h")
