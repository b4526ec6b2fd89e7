"""Hand-computed cases for the split engine (DESIGN.md, "The split", demo policy).

Every expected value below was worked out by hand from the DESIGN.md formulas;
the arithmetic is written out in a comment next to each case. Expected values are
literal strings compared with str() of the engine's Decimal, so a value with the
right magnitude but not exactly two decimal places also fails. round() in the
comments is ROUND_HALF_UP to 0.01.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from split_helpers import CLASS_B_DEFAULT, ITEM_FIELDS, ctx, item_amounts, line, run, totals

from terminal.split import split_item

# --- item level: Class A / B / C --------------------------------------------------------------


def test_class_a_deductible_met_account_pays_rest() -> None:
    # det = round(12.3400 * 2) = round(24.68) = 24.68; Class A: overlmt 0, fulamt 0,
    #   preselfpay 0, inscp = 24.68
    # 310/11 outpatient: deductible_left = max(0, 800.00 - 800.00) = 0.00; act_pay_dedc = 0.00
    # hifp = min(round(24.68 * 0.50), 10000.00) = 12.34; psn_part = 24.68 - 12.34 = 12.34
    # acct_pay = min(100.00, 12.34) = 12.34; cash = 0.00; balc = 100.00 - 12.34 = 87.66
    result = run([line("12.3400", "2")], ctx(balc="100.00", dedc="800.00"))
    assert item_amounts(result) == {
        "det_item_fee_sumamt": "24.68", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "24.68"}
    assert result.items[0].selfpay_prop == Decimal("0")
    assert totals(result) == {
        "medfee_sumamt": "24.68", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "24.68", "act_pay_dedc": "0.00",
        "hifp_pay": "12.34", "fund_pay_sumamt": "12.34", "psn_part_amt": "12.34",
        "acct_pay": "12.34", "acct_mulaid_pay": "0.00", "psn_cash_pay": "0.00", "balc": "87.66"}
    assert str(result.totals.pool_prop_selfpay) == "0.50"


def test_class_b_policy_default_selfpay_prop_issue_example() -> None:
    # The example input of issue 2: 12.3400 x 2, Class B, selfpay_prop null (default 0.10).
    # det = round(12.3400 * 2) = 24.68; preselfpay = round(24.68 * 0.10) = round(2.468) = 2.47
    # inscp = 24.68 - 0.00 - 0.00 - 2.47 = 22.21
    # deductible_left = 800.00 - 0.00 = 800.00; act_pay_dedc = min(22.21, 800.00) = 22.21
    # hifp = round((22.21 - 22.21) * 0.50) = 0.00; psn_part = 24.68
    # acct_pay = min(1500.00, 24.68) = 24.68; cash = 0.00; balc = 1500.00 - 24.68 = 1475.32
    result = run([line("12.3400", "2", "02")], ctx(balc="1500.00"))
    assert item_amounts(result) == {
        "det_item_fee_sumamt": "24.68", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.00",
        "preselfpay_amt": "2.47", "inscp_scp_amt": "22.21"}
    assert result.items[0].selfpay_prop == Decimal("0.10")
    assert totals(result) == {
        "medfee_sumamt": "24.68", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "2.47", "inscp_scp_amt": "22.21", "act_pay_dedc": "22.21",
        "hifp_pay": "0.00", "fund_pay_sumamt": "0.00", "psn_part_amt": "24.68",
        "acct_pay": "24.68", "acct_mulaid_pay": "0.00", "psn_cash_pay": "0.00", "balc": "1475.32"}


def test_class_b_explicit_selfpay_prop_retired_ratio() -> None:
    # det = round(33.3300 * 3) = round(99.99) = 99.99
    # preselfpay = round(99.99 * 0.20) = round(19.998) = 20.00; inscp = 99.99 - 20.00 = 79.99
    # 310/12 retired outpatient, deductible met (700.00 used): act_pay_dedc = 0.00
    # hifp = min(round(79.99 * 0.70), 15000.00) = round(55.993) = 55.99
    # psn_part = 99.99 - 55.99 = 44.00; acct flag 0: acct_pay 0.00; cash 44.00; balc stays 200.00
    result = run([line("33.3300", "3", "02", prop="0.20")],
                 ctx(psn_type="12", acct="0", balc="200.00", dedc="700.00"))
    assert item_amounts(result) == {
        "det_item_fee_sumamt": "99.99", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.00",
        "preselfpay_amt": "20.00", "inscp_scp_amt": "79.99"}
    assert result.items[0].selfpay_prop == Decimal("0.20")
    assert totals(result) == {
        "medfee_sumamt": "99.99", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "20.00", "inscp_scp_amt": "79.99", "act_pay_dedc": "0.00",
        "hifp_pay": "55.99", "fund_pay_sumamt": "55.99", "psn_part_amt": "44.00",
        "acct_pay": "0.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "44.00", "balc": "200.00"}
    assert str(result.totals.pool_prop_selfpay) == "0.70"


def test_class_b_selfpay_prop_one_and_zero() -> None:
    # prop 1: det = round(10.0000 * 1) = 10.00; preselfpay = round(10.00 * 1) = 10.00; inscp 0.00
    # prop 0: det = 10.00; preselfpay = round(10.00 * 0) = 0.00; inscp = 10.00
    full = split_item(line("10.0000", "1", "02", prop="1"), CLASS_B_DEFAULT)
    none = split_item(line("10.0000", "1", "02", prop="0"), CLASS_B_DEFAULT)
    assert (str(full.preselfpay_amt), str(full.inscp_scp_amt)) == ("10.00", "0.00")
    assert (str(none.preselfpay_amt), str(none.inscp_scp_amt)) == ("0.00", "10.00")


def test_class_c_paid_in_full_cap_ignored() -> None:
    # det = round(58.0000 * 1.5) = 87.00; Class C: fulamt = 87.00, overlmt 0 (even with a
    #   price cap of 50.0000 that the price exceeds), preselfpay 0, inscp = 87 - 0 - 87 - 0 = 0.00
    # act_pay_dedc = min(0.00, 800.00) = 0.00; hifp = round(0 * 0.50) = 0.00; psn_part = 87.00
    # acct_pay = min(50.00, 87.00) = 50.00; cash = 87.00 - 50.00 = 37.00; balc = 0.00
    result = run([line("58.0000", "1.5", "03", cap="50.0000")], ctx(balc="50.00"))
    assert item_amounts(result) == {
        "det_item_fee_sumamt": "87.00", "fulamt_ownpay_amt": "87.00", "overlmt_amt": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "0.00"}
    assert result.items[0].selfpay_prop == Decimal("1")
    assert totals(result) == {
        "medfee_sumamt": "87.00", "fulamt_ownpay_amt": "87.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "0.00", "act_pay_dedc": "0.00",
        "hifp_pay": "0.00", "fund_pay_sumamt": "0.00", "psn_part_amt": "87.00",
        "acct_pay": "50.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "37.00", "balc": "0.00"}


# --- price caps ------------------------------------------------------------------------------


def test_price_cap_bites_fractional_count_resident() -> None:
    # det = round(15.5000 * 2.5) = round(38.75) = 38.75
    # overlmt = round((15.5000 - 12.0000) * 2.5) = round(8.75) = 8.75; inscp = 38.75 - 8.75 = 30.00
    # 390 outpatient, deductible met (200.00 used): act_pay_dedc 0.00
    # hifp = round(30.00 * 0.50) = 15.00; psn_part = 38.75 - 15.00 = 23.75
    # a resident has no account: balc 0.00 -> acct_pay = min(0.00, 23.75) = 0.00; cash 23.75
    result = run([line("15.5000", "2.5", "01", cap="12.0000")],
                 ctx(insutype="390", psn_type="21", dedc="200.00"))
    assert item_amounts(result) == {
        "det_item_fee_sumamt": "38.75", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "8.75",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "30.00"}
    assert totals(result) == {
        "medfee_sumamt": "38.75", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "8.75",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "30.00", "act_pay_dedc": "0.00",
        "hifp_pay": "15.00", "fund_pay_sumamt": "15.00", "psn_part_amt": "23.75",
        "acct_pay": "0.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "23.75", "balc": "0.00"}
    # acct_pay is 0: only the pooled-fund row.
    assert [row.fund_pay_type for row in result.setldetail] == ["310100"]


def test_price_cap_bites_class_b_with_half_up_rounding() -> None:
    # det = round(7.4500 * 0.5) = round(3.725) = 3.73   (banker's rounding would give 3.72)
    # overlmt = round((7.4500 - 7.0000) * 0.5) = round(0.225) = 0.23   (banker's: 0.22)
    # preselfpay = round((3.73 - 0.23) * 0.10) = round(0.350) = 0.35
    # inscp = 3.73 - 0.23 - 0.35 = 3.15
    item = split_item(line("7.4500", "0.5", "02", cap="7.0000"), CLASS_B_DEFAULT)
    assert {name: str(getattr(item, name)) for name in ITEM_FIELDS} == {
        "det_item_fee_sumamt": "3.73", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.23",
        "preselfpay_amt": "0.35", "inscp_scp_amt": "3.15"}


def test_price_cap_bites_fractional_count_four_places() -> None:
    # det = round(123.4567 * 0.3333) = round(41.14811811) = 41.15
    # overlmt = round((123.4567 - 100.0000) * 0.3333) = round(23.4567 * 0.3333)
    #         = round(7.81811811) = 7.82
    # Class A: inscp = 41.15 - 7.82 = 33.33
    item = split_item(line("123.4567", "0.3333", "01", cap="100.0000"), CLASS_B_DEFAULT)
    assert {name: str(getattr(item, name)) for name in ITEM_FIELDS} == {
        "det_item_fee_sumamt": "41.15", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "7.82",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "33.33"}


@pytest.mark.parametrize("cap", ["9.0000", "8.0000"])
def test_price_cap_that_does_not_bite(cap: str) -> None:
    # price 8.0000 under (9.0000) or equal to (8.0000) the cap: max(0, 8 - cap) = 0 -> overlmt 0.00
    # det = round(8.0000 * 3) = 24.00; Class B default: preselfpay = round(24.00 * 0.10) = 2.40
    # inscp = 24.00 - 0.00 - 2.40 = 21.60
    item = split_item(line("8.0000", "3", "02", cap=cap), CLASS_B_DEFAULT)
    assert {name: str(getattr(item, name)) for name in ITEM_FIELDS} == {
        "det_item_fee_sumamt": "24.00", "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.00",
        "preselfpay_amt": "2.40", "inscp_scp_amt": "21.60"}


# --- ROUND_HALF_UP at exactly .xx5 ------------------------------------------------------------


@pytest.mark.parametrize(("pric", "cnt", "expected"), [
    ("0.0500", "2.5", "0.13"),    # 0.05 * 2.5 = 0.125 -> 0.13 (banker's: 0.12)
    ("0.1250", "1", "0.13"),      # 0.125 -> 0.13 (banker's: 0.12)
    ("2.3450", "1", "2.35"),      # 2.345 -> 2.35 (banker's: 2.34)
    ("4.6900", "0.5", "2.35"),    # 4.69 * 0.5 = 2.345 -> 2.35 (banker's: 2.34)
    ("0.0050", "1", "0.01"),      # 0.005 -> 0.01 (banker's: 0.00)
    ("0.0049", "1", "0.00"),      # 0.0049 -> 0.00 (below the half)
    ("0.0100", "0.0001", "0.00"),  # 0.000001 -> 0.00
    ("0", "3", "0.00"),           # a free item: 0 * 3 = 0.00
])
def test_det_item_fee_rounds_half_up(pric: str, cnt: str, expected: str) -> None:
    item = split_item(line(pric, cnt), CLASS_B_DEFAULT)
    assert str(item.det_item_fee_sumamt) == expected
    assert str(item.inscp_scp_amt) == expected  # Class A: all of it is in scope


def test_preselfpay_and_hifp_round_half_up() -> None:
    # line 1 (Class B): det = round(24.6500 * 1) = 24.65
    #   preselfpay = round(24.65 * 0.10) = round(2.465) = 2.47 (banker's: 2.46)
    #   inscp = 24.65 - 2.47 = 22.18
    # line 2 (Class A): det = round(0.0500 * 1) = 0.05, inscp 0.05
    # total inscp = 22.18 + 0.05 = 22.23; 310/11 deductible met (800.00 used): act_pay_dedc 0.00
    # hifp = round(22.23 * 0.50) = round(11.115) = 11.12 (banker's: 11.11)
    # medfee = 24.65 + 0.05 = 24.70; psn_part = 24.70 - 11.12 = 13.58; acct flag 0: cash 13.58
    result = run([line("24.6500", "1", "02"), line("0.0500", "1", "01", code="X0002")],
                 ctx(acct="0", dedc="800.00"))
    assert str(result.items[0].preselfpay_amt) == "2.47"
    assert str(result.items[0].inscp_scp_amt) == "22.18"
    assert totals(result) == {
        "medfee_sumamt": "24.70", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "2.47", "inscp_scp_amt": "22.23", "act_pay_dedc": "0.00",
        "hifp_pay": "11.12", "fund_pay_sumamt": "11.12", "psn_part_amt": "13.58",
        "acct_pay": "0.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "13.58", "balc": "0.00"}


# --- deductible ------------------------------------------------------------------------------


def test_deductible_not_met() -> None:
    # det = round(150.0000 * 2) = 300.00, Class A, inscp 300.00
    # 310/11: deductible_left = 800.00 - 100.00 = 700.00
    # act_pay_dedc = min(300.00, 700.00) = 300.00
    # hifp = round((300.00 - 300.00) * 0.50) = 0.00; psn_part = 300.00
    # acct_pay = min(1000.00, 300.00) = 300.00; balc = 1000.00 - 300.00 = 700.00
    result = run([line("150.0000", "2")], ctx(balc="1000.00", dedc="100.00"))
    assert str(result.deductible_left) == "700.00"
    assert totals(result) == {
        "medfee_sumamt": "300.00", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "300.00", "act_pay_dedc": "300.00",
        "hifp_pay": "0.00", "fund_pay_sumamt": "0.00", "psn_part_amt": "300.00",
        "acct_pay": "300.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "0.00", "balc": "700.00"}


def test_deductible_crossed_within_this_bill() -> None:
    # det = round(65.0000 * 2) = 130.00, Class A, inscp 130.00
    # deductible_left = 800.00 - 750.00 = 50.00; act_pay_dedc = min(130.00, 50.00) = 50.00
    # hifp = round((130.00 - 50.00) * 0.50) = round(40.00) = 40.00
    # psn_part = 130.00 - 40.00 = 90.00
    # acct_pay = min(60.00, 90.00) = 60.00; cash = 30.00; balc = 0.00
    result = run([line("65.0000", "2")], ctx(balc="60.00", dedc="750.00"))
    assert totals(result) == {
        "medfee_sumamt": "130.00", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "130.00", "act_pay_dedc": "50.00",
        "hifp_pay": "40.00", "fund_pay_sumamt": "40.00", "psn_part_amt": "90.00",
        "acct_pay": "60.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "30.00", "balc": "0.00"}


@pytest.mark.parametrize("dedc_used", ["800.00", "950.00"])
def test_deductible_already_met(dedc_used: str) -> None:
    # deductible_left = max(0, 800.00 - 800.00) = 0.00, or max(0, 800.00 - 950.00) = 0.00
    # det = round(19.9900 * 1) = 19.99; act_pay_dedc = 0.00
    # hifp = round(19.99 * 0.50) = round(9.995) = 10.00; psn_part = 19.99 - 10.00 = 9.99
    result = run([line("19.9900", "1")], ctx(acct="0", dedc=dedc_used))
    assert str(result.deductible_left) == "0.00"
    assert str(result.totals.act_pay_dedc) == "0.00"
    assert str(result.totals.hifp_pay) == "10.00"
    assert str(result.totals.psn_part_amt) == "9.99"
    assert str(result.totals.psn_cash_pay) == "9.99"


# --- annual cap ------------------------------------------------------------------------------


def test_cap_nearly_exhausted_limits_hifp() -> None:
    # det = round(100.0000 * 1) = 100.00, Class A, inscp 100.00; deductible met
    # cap_left = 10000.00 - 9990.00 = 10.00
    # hifp = min(round(100.00 * 0.50), 10.00) = min(50.00, 10.00) = 10.00; psn_part = 90.00
    # acct_pay = min(500.00, 90.00) = 90.00; balc = 410.00
    result = run([line("100.0000", "1")], ctx(balc="500.00", dedc="800.00", fund="9990.00"))
    assert str(result.cap_left) == "10.00"
    assert totals(result) == {
        "medfee_sumamt": "100.00", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "0.00", "inscp_scp_amt": "100.00", "act_pay_dedc": "0.00",
        "hifp_pay": "10.00", "fund_pay_sumamt": "10.00", "psn_part_amt": "90.00",
        "acct_pay": "90.00", "acct_mulaid_pay": "0.00", "psn_cash_pay": "0.00", "balc": "410.00"}
    # setldetail: pooled row carries cap left before (10.00) and what the fund paid (10.00);
    # account row because acct_pay 90.00 > 0, its limit is the balance before (500.00).
    rows = [row.to_json() for row in result.setldetail]
    assert rows == [
        {"fund_pay_type": "310100", "inscp_scp_amt": "100.00", "crt_payb_lmt_amt": "10.00",
         "fund_payamt": "10.00"},
        {"fund_pay_type": "310200", "inscp_scp_amt": "100.00", "crt_payb_lmt_amt": "500.00",
         "fund_payamt": "90.00"},
    ]


@pytest.mark.parametrize("fund_used", ["10000.00", "12000.00"])
def test_cap_exhausted_pays_nothing(fund_used: str) -> None:
    # cap_left = max(0, 10000.00 - fund_used) = 0.00
    # det = round(100.0000 * 1) = 100.00; hifp = min(round(100.00 * 0.50), 0.00) = 0.00
    # psn_part = 100.00; acct flag 0 -> cash 100.00
    result = run([line("100.0000", "1")], ctx(acct="0", dedc="800.00", fund=fund_used))
    assert str(result.cap_left) == "0.00"
    assert str(result.totals.hifp_pay) == "0.00"
    assert str(result.totals.fund_pay_sumamt) == "0.00"
    assert str(result.totals.psn_part_amt) == "100.00"
    assert str(result.totals.psn_cash_pay) == "100.00"
    assert [row.to_json() for row in result.setldetail] == [
        {"fund_pay_type": "310100", "inscp_scp_amt": "100.00", "crt_payb_lmt_amt": "0.00",
         "fund_payamt": "0.00"}]
