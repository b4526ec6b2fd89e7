"""Hand-computed cases for the split engine: who pays (account, family mutual aid), every row of the
demo policy, a full basket and policy errors. The arithmetic is written next to each case, as in
test_split_engine.py.
"""

from __future__ import annotations

import pytest
from split_helpers import DEMO, ctx, item_amounts, line, run, totals

from terminal.policy import PolicyError
from terminal.split import split

# --- account ---------------------------------------------------------------------------------


def test_empty_account_all_cash() -> None:
    # det = round(40.0000 * 2) = 80.00; deductible met; hifp = round(80.00 * 0.50) = 40.00
    # psn_part = 40.00; acct_pay = min(0.00, 40.00) = 0.00; cash = 40.00; balc stays 0.00
    result = run([line("40.0000", "2")], ctx(balc="0.00", dedc="800.00"))
    t = totals(result)
    assert (t["acct_pay"], t["acct_mulaid_pay"], t["psn_cash_pay"], t["balc"]) == (
        "0.00", "0.00", "40.00", "0.00")
    assert [row.fund_pay_type for row in result.setldetail] == ["310100"]


@pytest.mark.parametrize(("flag", "acct_pay", "cash", "balc_after", "rows"), [
    ("0", "0.00", "40.00", "500.00", ["310100"]),
    ("1", "40.00", "0.00", "460.00", ["310100", "310200"]),
])
def test_acct_used_flag(flag: str, acct_pay: str, cash: str, balc_after: str,
                        rows: list[str]) -> None:
    # det = 80.00, deductible met, hifp = round(80.00 * 0.50) = 40.00, psn_part = 40.00
    # flag 0: acct_pay 0.00, cash 40.00, balc 500.00 untouched
    # flag 1: acct_pay = min(500.00, 40.00) = 40.00, cash 0.00, balc = 500.00 - 40.00 = 460.00
    result = run([line("40.0000", "2")], ctx(acct=flag, balc="500.00", dedc="800.00"))
    t = totals(result)
    assert (t["acct_pay"], t["psn_cash_pay"], t["balc"]) == (acct_pay, cash, balc_after)
    assert [row.fund_pay_type for row in result.setldetail] == rows


# --- family mutual aid -----------------------------------------------------------------------


@pytest.mark.parametrize(("holder_balc", "mulaid", "cash"), [
    ("25.00", "25.00", "15.00"),   # part: min(25.00, 40.00 - 0.00) = 25.00; cash 40 - 25 = 15.00
    ("100.00", "40.00", "0.00"),   # all: min(100.00, 40.00) = 40.00; cash 0.00
    ("0.00", "0.00", "40.00"),     # nothing: min(0.00, 40.00) = 0.00; cash 40.00
])
def test_family_mutual_aid_for_bound_resident(holder_balc: str, mulaid: str, cash: str) -> None:
    # bound member is a 390 resident (no own account, balc 0.00); deductible met (200.00 used)
    # det = round(40.0000 * 2) = 80.00; hifp = round(80.00 * 0.50) = 40.00; psn_part = 40.00
    # acct_pay = min(0.00, 40.00) = 0.00; acct_mulaid_pay = min(holder_balc, 40.00 - 0.00)
    result = run([line("40.0000", "2")],
                 ctx(insutype="390", psn_type="21", dedc="200.00", holder=holder_balc))
    t = totals(result)
    assert (t["psn_part_amt"], t["acct_pay"], t["acct_mulaid_pay"], t["psn_cash_pay"]) == (
        "40.00", "0.00", mulaid, cash)
    assert t["balc"] == "0.00"


def test_family_mutual_aid_after_own_account() -> None:
    # bound 310/11 member: det 80.00, deductible met, hifp 40.00, psn_part 40.00
    # acct_pay = min(10.00, 40.00) = 10.00; mulaid = min(100.00, 40.00 - 10.00) = 30.00
    # cash = 40.00 - 10.00 - 30.00 = 0.00; own balc = 10.00 - 10.00 = 0.00
    result = run([line("40.0000", "2")], ctx(balc="10.00", holder="100.00", dedc="800.00"))
    t = totals(result)
    assert (t["acct_pay"], t["acct_mulaid_pay"], t["psn_cash_pay"], t["balc"]) == (
        "10.00", "30.00", "0.00", "0.00")


def test_family_mutual_aid_needs_acct_flag() -> None:
    # acct flag 0: acct_pay 0.00 and acct_mulaid_pay 0.00 even with a holder balance
    # det 80.00, hifp 40.00, psn_part 40.00 -> cash 40.00
    result = run([line("40.0000", "2")], ctx(acct="0", balc="10.00", holder="100.00",
                                             dedc="800.00"))
    t = totals(result)
    assert (t["acct_pay"], t["acct_mulaid_pay"], t["psn_cash_pay"], t["balc"]) == (
        "0.00", "0.00", "40.00", "10.00")


# --- each row of the demo policy -------------------------------------------------------------


@pytest.mark.parametrize(
    ("med_type", "insutype", "psn_type", "pric", "bucket", "ded_left", "cap_left", "ratio",
     "act_pay_dedc", "hifp", "psn_part"),
    [
        # 310/11 outpatient: det 923.45; act_pay_dedc = min(923.45, 800.00) = 800.00
        #   hifp = round(123.45 * 0.50) = round(61.725) = 61.73; psn_part = 923.45 - 61.73 = 861.72
        ("41", "310", "11", "923.4500", "outpatient", "800.00", "10000.00", "0.50",
         "800.00", "61.73", "861.72"),
        # med_type 11 falls in the same outpatient bucket: same numbers
        ("11", "310", "11", "923.4500", "outpatient", "800.00", "10000.00", "0.50",
         "800.00", "61.73", "861.72"),
        # 310/12 outpatient: det 823.45; act 700.00; hifp = round(123.45 * 0.70) = round(86.415)
        #   = 86.42; psn_part = 823.45 - 86.42 = 737.03
        ("41", "310", "12", "823.4500", "outpatient", "700.00", "15000.00", "0.70",
         "700.00", "86.42", "737.03"),
        # 390/any outpatient: det 323.45; act 200.00; hifp = round(123.45 * 0.50) = 61.73;
        #   psn_part = 323.45 - 61.73 = 261.72
        ("11", "390", "21", "323.4500", "outpatient", "200.00", "3000.00", "0.50",
         "200.00", "61.73", "261.72"),
        # 310/any inpatient (psn_type 11): det 1323.45; act 1200.00;
        #   hifp = round(123.45 * 0.85) = round(104.9325) = 104.93; psn_part = 1323.45 - 104.93
        #   = 1218.52
        ("21", "310", "11", "1323.4500", "inpatient", "1200.00", "200000.00", "0.85",
         "1200.00", "104.93", "1218.52"),
        # same inpatient rule for a retiree (psn_type 12: no exact inpatient rule, "any" applies)
        ("21", "310", "12", "1323.4500", "inpatient", "1200.00", "200000.00", "0.85",
         "1200.00", "104.93", "1218.52"),
        # 390/any inpatient: det 923.45; act 800.00; hifp = round(123.45 * 0.60) = round(74.07)
        #   = 74.07; psn_part = 923.45 - 74.07 = 849.38
        ("21", "390", "22", "923.4500", "inpatient", "800.00", "150000.00", "0.60",
         "800.00", "74.07", "849.38"),
    ],
)
def test_demo_policy_rows(med_type: str, insutype: str, psn_type: str, pric: str, bucket: str,
                          ded_left: str, cap_left: str, ratio: str, act_pay_dedc: str, hifp: str,
                          psn_part: str) -> None:
    result = run([line(pric, "1")],
                 ctx(med_type=med_type, insutype=insutype, psn_type=psn_type, acct="0"))
    assert result.bucket == bucket
    assert (str(result.deductible_left), str(result.cap_left)) == (ded_left, cap_left)
    assert str(result.totals.pool_prop_selfpay) == ratio
    assert str(result.totals.act_pay_dedc) == act_pay_dedc
    assert str(result.totals.hifp_pay) == hifp
    assert str(result.totals.psn_part_amt) == psn_part
    assert str(result.totals.psn_cash_pay) == psn_part


# --- a full 30-line basket -------------------------------------------------------------------


def test_thirty_line_basket() -> None:
    # Lines cycle A, B, C (10 of each), codes L00..L29 in that order.
    # A: det = round(1.1100 * 1) = 1.11, inscp 1.11                 -> x10: det 11.10, inscp 11.10
    # B: det = round(2.0500 * 1) = 2.05; preselfpay = round(2.05 * 0.10) = round(0.205) = 0.21;
    #    inscp = 2.05 - 0.21 = 1.84         -> x10: det 20.50, preselfpay 2.10, inscp 18.40
    # C: det = round(0.3350 * 3) = round(1.005) = 1.01 (banker's: 1.00); fulamt 1.01
    #                                        -> x10: det 10.10, fulamt 10.10
    # (rounding is per item: the unrounded C total 10.05 would give 10.05, not 10.10)
    # medfee = 11.10 + 20.50 + 10.10 = 41.70; fulamt 10.10; overlmt 0.00; preselfpay 2.10
    # inscp = 11.10 + 18.40 = 29.50 (check: 10.10 + 0.00 + 2.10 + 29.50 = 41.70)
    # 310/12 retired, deductible met: hifp = round(29.50 * 0.70) = 20.65
    # psn_part = 41.70 - 20.65 = 21.05; acct_pay = min(20.00, 21.05) = 20.00; cash 1.05; balc 0.00
    kinds = [("1.1100", "1", "01"), ("2.0500", "1", "02"), ("0.3350", "3", "03")]
    lines = [line(*kinds[i % 3], code=f"L{i:02d}") for i in range(30)]
    result = run(lines, ctx(psn_type="12", balc="20.00", dedc="700.00"))
    assert [item.line.med_list_codg for item in result.items] == [f"L{i:02d}" for i in range(30)]
    assert item_amounts(result, 28) == {   # L28: 28 % 3 == 1, a Class B line
        "det_item_fee_sumamt": "2.05", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.00",
        "preselfpay_amt": "0.21", "inscp_scp_amt": "1.84"}
    assert item_amounts(result, 29) == {   # L29: 29 % 3 == 2, a Class C line
        "det_item_fee_sumamt": "1.01", "fulamt_ownpay_amt": "1.01", "overlmt_amt": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "0.00"}
    assert totals(result) == {
        "medfee_sumamt": "41.70", "fulamt_ownpay_amt": "10.10", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "2.10", "inscp_scp_amt": "29.50", "act_pay_dedc": "0.00",
        "hifp_pay": "20.65", "fund_pay_sumamt": "20.65", "psn_part_amt": "21.05",
        "acct_pay": "20.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "1.05", "balc": "0.00"}
    assert [row.to_json() for row in result.setldetail] == [
        {"fund_pay_type": "310100", "inscp_scp_amt": "29.50", "crt_payb_lmt_amt": "15000.00",
         "fund_payamt": "20.65"},
        {"fund_pay_type": "310200", "inscp_scp_amt": "29.50", "crt_payb_lmt_amt": "20.00",
         "fund_payamt": "20.00"},
    ]


def test_other_funds_are_zero_in_demo_policy() -> None:
    # DESIGN.md: fund_pay_sumamt = hifp_pay, other funds 0; hosp_part_amt 0
    result = run([line("100.0000", "1")], ctx(dedc="800.00"))
    t = result.totals
    assert [str(v) for v in (t.cvlserv_pay, t.hifes_pay, t.hifmi_pay, t.hifob_pay, t.maf_pay,
                             t.oth_pay, t.hosp_part_amt)] == ["0.00"] * 7


def test_amounts_have_two_places_when_context_amounts_have_fewer() -> None:
    # The split input accepts "balc": "5" (an amount with no decimal places). The answer must
    # still carry two places: det = round(10 * 2) = 20.00, deductible left 800.00 - 0 = 800.00,
    # act_pay_dedc = 20.00, hifp 0.00, psn_part 20.00, acct_pay = min(5, 20.00) -> "5.00",
    # cash 15.00, balc = 5 - 5 -> "0.00".
    result = run([line("10", "2")], ctx(balc="5", dedc="0", fund="0"))
    t = totals(result)
    assert (t["acct_pay"], t["psn_cash_pay"], t["balc"]) == ("5.00", "15.00", "0.00")


# --- policy errors ---------------------------------------------------------------------------


def test_unknown_med_type_raises_policy_error() -> None:
    with pytest.raises(PolicyError, match="99"):
        split([line("1.0000", "1")], ctx(med_type="99"), DEMO)


@pytest.mark.parametrize(("insutype", "psn_type", "med_type"), [
    ("320", "11", "41"),   # no rule at all for insutype 320
    ("310", "13", "41"),   # 310 outpatient has rules for 11 and 12 only, no "any" rule
])
def test_no_rule_raises_policy_error(insutype: str, psn_type: str, med_type: str) -> None:
    with pytest.raises(PolicyError, match=insutype):
        split([line("1.0000", "1")], ctx(insutype=insutype, psn_type=psn_type,
                                         med_type=med_type), DEMO)
