"""The split engine: how a bill divides between fund, account, mutual aid and cash.

One engine for the simulated service and the terminal's offline estimate, so
both compute the same numbers. It implements the formulas of DESIGN.md exactly;
ROUND_HALF_UP to 0.01 happens only where the formulas say round().
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from terminal.domain import BasketLine, ChargeClass, ItemSplit, SplitResult, SplitTotals
from terminal.money import ZERO, round_yuan
from terminal.policy import Policy

ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class SplitContext:
    """Who pays and what of this year's bucket is already used."""

    med_type: str
    insutype: str
    psn_type: str
    acct_used: bool
    balc: Decimal
    holder_balc: Decimal | None  # the family holder's balance for a bound member, else None
    dedc_used: Decimal  # deductible met this year in the med_type's bucket
    fund_used: Decimal  # pooled-fund payments this year in the bucket


def split_item(line: BasketLine, class_b_default: Decimal) -> ItemSplit:
    det = round_yuan(line.pric * line.cnt)
    if line.chrgitm_lv is ChargeClass.C:
        return ItemSplit(line, det, ONE, det, ZERO, ZERO, ZERO)
    overlmt = ZERO
    if line.pric_uplmt_amt is not None and line.pric > line.pric_uplmt_amt:
        overlmt = round_yuan((line.pric - line.pric_uplmt_amt) * line.cnt)
    if line.chrgitm_lv is ChargeClass.B:
        prop = class_b_default if line.selfpay_prop is None else line.selfpay_prop
        preselfpay = round_yuan((det - overlmt) * prop)
    else:
        prop = ZERO
        preselfpay = ZERO
    return ItemSplit(line, det, prop, ZERO, overlmt, preselfpay, det - overlmt - preselfpay)


def split(lines: Sequence[BasketLine], ctx: SplitContext, policy: Policy) -> SplitResult:
    bucket = policy.bucket_for(ctx.med_type)
    rule = policy.rule_for(ctx.insutype, ctx.psn_type, bucket)
    items = tuple(split_item(line, policy.class_b_selfpay_prop) for line in lines)

    medfee = sum((i.det_item_fee_sumamt for i in items), ZERO)
    fulamt = sum((i.fulamt_ownpay_amt for i in items), ZERO)
    overlmt = sum((i.overlmt_amt for i in items), ZERO)
    preselfpay = sum((i.preselfpay_amt for i in items), ZERO)
    inscp = sum((i.inscp_scp_amt for i in items), ZERO)

    # Context amounts are yuan; bring them to two places so every result has two.
    balc = round_yuan(ctx.balc)
    holder_balc = None if ctx.holder_balc is None else round_yuan(ctx.holder_balc)
    deductible_left = round_yuan(max(ZERO, rule.deductible - ctx.dedc_used))
    cap_left = round_yuan(max(ZERO, rule.cap - ctx.fund_used))
    act_pay_dedc = min(inscp, deductible_left)
    hifp_pay = min(round_yuan((inscp - act_pay_dedc) * rule.ratio), cap_left)
    fund_pay = hifp_pay  # the demo policy has no other funds
    psn_part = medfee - fund_pay
    acct_pay = min(balc, psn_part) if ctx.acct_used else ZERO
    mulaid = ZERO
    if ctx.acct_used and holder_balc is not None:
        mulaid = min(holder_balc, psn_part - acct_pay)
    cash = psn_part - acct_pay - mulaid

    totals = SplitTotals(
        medfee_sumamt=medfee,
        fulamt_ownpay_amt=fulamt,
        overlmt_selfpay=overlmt,
        preselfpay_amt=preselfpay,
        inscp_scp_amt=inscp,
        act_pay_dedc=act_pay_dedc,
        hifp_pay=hifp_pay,
        pool_prop_selfpay=rule.ratio,
        cvlserv_pay=ZERO,
        hifes_pay=ZERO,
        hifmi_pay=ZERO,
        hifob_pay=ZERO,
        maf_pay=ZERO,
        oth_pay=ZERO,
        fund_pay_sumamt=fund_pay,
        psn_part_amt=psn_part,
        acct_pay=acct_pay,
        psn_cash_pay=cash,
        hosp_part_amt=ZERO,
        balc=balc - acct_pay,
        acct_mulaid_pay=mulaid,
    )
    return SplitResult(totals, items, bucket, deductible_left, cap_left)
