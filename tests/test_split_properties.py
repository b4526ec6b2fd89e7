"""Property tests of the split engine: the identities of DESIGN.md on arbitrary bills.

Decimals are built from integers (Decimal(n).scaleb(-places)), never from floats, so
every generated price, count and balance is exact.
"""

from __future__ import annotations

import random
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain import BasketLine, ChargeClass, ItemSplit, SplitResult
from terminal.policy import Policy, PolicyRule, load_policy
from terminal.split import SplitContext, split

DEMO = load_policy()
ZERO = Decimal("0.00")
ITEM_AMOUNTS = ("det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt",
                "inscp_scp_amt")
TOTAL_AMOUNTS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt",
                 "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay",
                 "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt",
                 "acct_pay", "psn_cash_pay", "hosp_part_amt", "balc", "acct_mulaid_pay")

# (med_type, insutype, psn_type) that the demo policy has a rule for: every row is reachable.
DEMO_PEOPLE = [
    ("41", "310", "11"), ("11", "310", "11"),    # 310 in service, outpatient
    ("41", "310", "12"), ("11", "310", "12"),    # 310 retired, outpatient
    ("41", "390", "11"), ("11", "390", "21"),    # 390 any, outpatient
    ("21", "310", "11"), ("21", "310", "12"),    # 310 any, inpatient
    ("21", "390", "21"), ("21", "390", "11"),    # 390 any, inpatient
]


def fixed_point(low: str, high: str, max_places: int = 4) -> st.SearchStrategy[Decimal]:
    """Decimals in [low, high] with 0..max_places decimal places, built from integers."""
    @st.composite
    def build(draw: st.DrawFn) -> Decimal:
        places = draw(st.integers(0, max_places))
        scale = 10 ** places
        first = int((Decimal(low) * scale).to_integral_value(ROUND_CEILING))
        last = int((Decimal(high) * scale).to_integral_value(ROUND_FLOOR))
        return Decimal(draw(st.integers(first, last))).scaleb(-places)
    return build()


def fen(max_yuan: int) -> st.SearchStrategy[Decimal]:
    """A two-decimal yuan amount; small values are drawn often so edges (0, a few fen) show up."""
    return st.one_of(st.just(0), st.integers(0, 100), st.integers(0, max_yuan * 100)).map(
        lambda n: Decimal(n).scaleb(-2))


prices = fixed_point("0", "99999.9999")
counts = fixed_point("0.0001", "9999")
proportions = fixed_point("0", "1")
props = st.one_of(st.none(), proportions)
caps = st.one_of(st.none(), prices)


@st.composite
def basket_lines(draw: st.DrawFn) -> BasketLine:
    pric = draw(prices)
    cap = draw(st.one_of(caps, st.just(pric), prices.map(lambda c: min(c, pric))))
    return BasketLine(
        med_list_codg=f"C{draw(st.integers(0, 10**6)):07d}",
        pric=pric,
        cnt=draw(counts),
        chrgitm_lv=draw(st.sampled_from(list(ChargeClass))),
        selfpay_prop=draw(props),
        pric_uplmt_amt=cap,
    )


@st.composite
def random_policies(draw: st.DrawFn) -> Policy:
    """A policy other than the demo one: any ratio (4 places), deductible, cap and Class B prop."""
    def rule(insutype: str, psn_type: str | None, bucket: str) -> PolicyRule:
        return PolicyRule(insutype, psn_type, bucket, deductible=draw(fen(5000)),
                          ratio=draw(proportions), cap=draw(fen(300000)))
    rules = tuple(rule(i, p, b) for i, p in (("310", "11"), ("310", "12"), ("390", None))
                  for b in ("outpatient", "inpatient"))
    return Policy(
        region="999999",
        name="random",
        class_b_selfpay_prop=draw(proportions),
        med_type_buckets={"41": "outpatient", "11": "outpatient", "21": "inpatient"},
        account_insutypes=frozenset({"310"}),
        rules=rules,
    )


@st.composite
def contexts(draw: st.DrawFn) -> SplitContext:
    med_type, insutype, psn_type = draw(st.sampled_from(DEMO_PEOPLE))
    return SplitContext(
        med_type=med_type,
        insutype=insutype,
        psn_type=psn_type,
        acct_used=draw(st.booleans()),
        balc=draw(fen(50000)),
        holder_balc=draw(st.one_of(st.none(), fen(50000))),
        dedc_used=draw(fen(2000)),
        fund_used=draw(st.one_of(fen(250000), fen(15000))),
    )


bills = st.lists(basket_lines(), min_size=1, max_size=30)
policies = st.one_of(st.just(DEMO), random_policies())


def assert_amount(value: Decimal, what: str) -> None:
    assert value.as_tuple().exponent == -2, f"{what} = {value!r} does not have two places"
    assert not value.is_signed(), f"{what} = {value!r} is negative"


def check_item(item: ItemSplit, what: str) -> None:
    for name in ITEM_AMOUNTS:
        assert_amount(getattr(item, name), f"{what}.{name}")
    assert item.det_item_fee_sumamt == (item.fulamt_ownpay_amt + item.overlmt_amt
                                        + item.preselfpay_amt + item.inscp_scp_amt), what
    line = item.line
    if line.chrgitm_lv is ChargeClass.C:
        assert item.fulamt_ownpay_amt == item.det_item_fee_sumamt
        assert item.overlmt_amt == item.preselfpay_amt == item.inscp_scp_amt == 0
    else:
        assert item.fulamt_ownpay_amt == 0
    if line.chrgitm_lv is ChargeClass.A:
        assert item.preselfpay_amt == 0
    if line.pric_uplmt_amt is None or line.pric <= line.pric_uplmt_amt:
        assert item.overlmt_amt == 0


def check_result(result: SplitResult, lines: list[BasketLine], ctx: SplitContext,
                 policy: Policy) -> None:
    t = result.totals
    items = result.items

    # Items come back in input order, one per line.
    assert [item.line for item in items] == lines
    for i, item in enumerate(items):
        check_item(item, f"items[{i}]")

    for name in TOTAL_AMOUNTS:
        assert_amount(getattr(t, name), name)
    for name in ("deductible_left", "cap_left"):
        assert_amount(getattr(result, name), name)
    for row in result.setldetail:
        for name in ("inscp_scp_amt", "crt_payb_lmt_amt", "fund_payamt"):
            assert_amount(getattr(row, name), f"setldetail {row.fund_pay_type}.{name}")

    # Totals are the sums of the items.
    def total(name: str) -> Decimal:
        return sum((getattr(i, name) for i in items), ZERO)
    assert t.medfee_sumamt == total("det_item_fee_sumamt")
    assert t.fulamt_ownpay_amt == total("fulamt_ownpay_amt")
    assert t.overlmt_selfpay == total("overlmt_amt")
    assert t.preselfpay_amt == total("preselfpay_amt")
    assert t.inscp_scp_amt == total("inscp_scp_amt")

    # The three identities of DESIGN.md.
    assert t.medfee_sumamt == (t.fulamt_ownpay_amt + t.overlmt_selfpay + t.preselfpay_amt
                               + t.inscp_scp_amt)
    assert t.medfee_sumamt == t.fund_pay_sumamt + t.psn_part_amt
    assert t.psn_part_amt == t.acct_pay + t.acct_mulaid_pay + t.psn_cash_pay
    assert t.identity_violations(items) == []

    # Limits: deductible, cap, balances.
    rule = policy.rule_for(ctx.insutype, ctx.psn_type, policy.bucket_for(ctx.med_type))
    assert result.bucket == policy.bucket_for(ctx.med_type)
    assert result.deductible_left == max(ZERO, rule.deductible - ctx.dedc_used)
    assert result.cap_left == max(ZERO, rule.cap - ctx.fund_used)
    assert t.act_pay_dedc <= result.deductible_left
    assert t.act_pay_dedc <= t.inscp_scp_amt
    assert t.hifp_pay <= result.cap_left
    assert t.hifp_pay <= t.inscp_scp_amt - t.act_pay_dedc
    assert t.fund_pay_sumamt == t.hifp_pay
    assert t.pool_prop_selfpay == rule.ratio
    assert t.acct_pay <= ctx.balc
    assert t.balc == ctx.balc - t.acct_pay
    if ctx.holder_balc is None:
        assert t.acct_mulaid_pay == 0
    else:
        assert t.acct_mulaid_pay <= ctx.holder_balc
    if not ctx.acct_used:
        assert t.acct_pay == 0
        assert t.acct_mulaid_pay == 0
        assert t.psn_cash_pay == t.psn_part_amt
    else:
        # The account pays all it can before mutual aid, and mutual aid before cash.
        assert t.acct_pay == ctx.balc or t.acct_mulaid_pay == t.psn_cash_pay == 0
        if ctx.holder_balc is not None:
            assert t.acct_mulaid_pay == ctx.holder_balc or t.psn_cash_pay == 0

    # setldetail: the pooled row always, the account row exactly when the account paid.
    rows = result.setldetail
    assert rows[0].fund_pay_type == "310100"
    assert rows[0].crt_payb_lmt_amt == result.cap_left
    assert rows[0].fund_payamt == t.hifp_pay
    if t.acct_pay > 0:
        assert [r.fund_pay_type for r in rows] == ["310100", "310200"]
        assert rows[1].fund_payamt == t.acct_pay
    else:
        assert [r.fund_pay_type for r in rows] == ["310100"]


@settings(max_examples=300, deadline=None)
@given(lines=bills, ctx=contexts(), policy=policies)
def test_identities_hold_on_any_bill(lines: list[BasketLine], ctx: SplitContext,
                                     policy: Policy) -> None:
    result = split(lines, ctx, policy)
    check_result(result, lines, ctx, policy)


@settings(max_examples=100, deadline=None)
@given(lines=bills, ctx=contexts(), seed=st.integers(0, 2**32 - 1))
def test_split_is_deterministic_and_order_independent(lines: list[BasketLine], ctx: SplitContext,
                                                      seed: int) -> None:
    first = split(lines, ctx, DEMO)
    again = split(list(lines), ctx, DEMO)
    assert again == first
    # Rounding is per item, so the order of the lines changes the order of the answers only.
    shuffled = list(lines)
    random.Random(seed).shuffle(shuffled)
    other = split(shuffled, ctx, DEMO)
    assert other.totals == first.totals
    assert [item.line for item in other.items] == shuffled


@settings(max_examples=100, deadline=None)
@given(lines=bills, ctx=contexts())
def test_settling_in_two_bills_never_exceeds_deductible_or_cap(
        lines: list[BasketLine], ctx: SplitContext) -> None:
    # A second bill sees this year's use grown by the first bill's deductible and fund payments:
    # together they never pay past the deductible left or the cap left.
    first = split(lines, ctx, DEMO)
    later = SplitContext(
        med_type=ctx.med_type, insutype=ctx.insutype, psn_type=ctx.psn_type,
        acct_used=ctx.acct_used, balc=first.totals.balc, holder_balc=ctx.holder_balc,
        dedc_used=ctx.dedc_used + first.totals.act_pay_dedc,
        fund_used=ctx.fund_used + first.totals.hifp_pay,
    )
    second = split(lines, later, DEMO)
    check_result(second, lines, later, DEMO)
    assert first.totals.act_pay_dedc + second.totals.act_pay_dedc <= first.deductible_left
    assert first.totals.hifp_pay + second.totals.hifp_pay <= first.cap_left
    assert first.totals.acct_pay + second.totals.acct_pay <= ctx.balc
