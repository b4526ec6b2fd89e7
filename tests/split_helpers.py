"""Builders shared by the hand-computed split engine tests."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain import BasketLine, ChargeClass, SplitResult
from terminal.policy import Policy, load_policy
from terminal.split import SplitContext, split

DEMO = load_policy()
CLASS_B_DEFAULT = Decimal("0.10")

ITEM_FIELDS = ("det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt",
               "inscp_scp_amt")
TOTAL_FIELDS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
                "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "fund_pay_sumamt", "psn_part_amt",
                "acct_pay", "acct_mulaid_pay", "psn_cash_pay", "balc")


def line(pric: str, cnt: str, lv: str = "01", *, prop: str | None = None, cap: str | None = None,
         code: str = "X0001") -> BasketLine:
    return BasketLine(
        med_list_codg=code,
        pric=Decimal(pric),
        cnt=Decimal(cnt),
        chrgitm_lv=ChargeClass(lv),
        selfpay_prop=None if prop is None else Decimal(prop),
        pric_uplmt_amt=None if cap is None else Decimal(cap),
    )


def ctx(*, med_type: str = "41", insutype: str = "310", psn_type: str = "11", acct: str = "1",
        balc: str = "0.00", holder: str | None = None, dedc: str = "0.00",
        fund: str = "0.00") -> SplitContext:
    return SplitContext(
        med_type=med_type,
        insutype=insutype,
        psn_type=psn_type,
        acct_used=acct == "1",
        balc=Decimal(balc),
        holder_balc=None if holder is None else Decimal(holder),
        dedc_used=Decimal(dedc),
        fund_used=Decimal(fund),
    )


def run(lines: list[BasketLine], context: SplitContext, policy: Policy = DEMO) -> SplitResult:
    result = split(lines, context, policy)
    # Every hand-computed case must also satisfy the identities of DESIGN.md.
    assert result.totals.identity_violations(result.items) == []
    return result


def item_amounts(result: SplitResult, index: int = 0) -> dict[str, str]:
    item = result.items[index]
    return {name: str(getattr(item, name)) for name in ITEM_FIELDS}


def totals(result: SplitResult) -> dict[str, str]:
    return {name: str(getattr(result.totals, name)) for name in TOTAL_FIELDS}
