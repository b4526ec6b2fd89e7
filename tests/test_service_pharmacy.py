"""End to end: pharmacy sales (ec.query, 1101, 2101, 2102, 2103) against the real service.

Expected amounts are computed by hand in the comments from DESIGN.md's formulas
and the demo policy/catalog/persons, not by the engine.
"""

from __future__ import annotations

import time
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal

import pytest
from service_helpers import (
    AMOXICILLIN,
    ASPIRIN,
    ATORVASTATIN,
    AZITHROMYCIN,
    IBUPROFEN,
    INSULIN,
    ISSUER_KEY,
    LORATADINE,
    METFORMIN,
    NIFEDIPINE,
    PARACETAMOL,
    VITAMIN_C,
    Raw,
    card,
    check_settlement,
    expect,
    id_number,
    lines,
    psn,
    sale_input,
    voucher,
)

from terminal.answers import Settlement
from terminal.client import ServiceRefused, SettlementClient
from terminal.voucher import issue_voucher

# The mixed basket: Class A over its cap, Class B over its cap, Class B with its own
# selfpay_prop, Class C, and a fractional quantity. By hand:
#   AMOXICILLIN 10.00 x 3 (cap 9.50): det 30.00, overlmt round(0.50*3)=1.50, inscp 28.50
#   NIFEDIPINE 33.50 x 3 (B, cap 31.20): det 100.50, overlmt round(2.30*3)=6.90,
#       preselfpay round(93.60*0.10)=9.36, inscp 84.24
#   LORATADINE 18.90 x 1 (B, 0.05): det 18.90, preselfpay round(0.945)=0.95 (half up), inscp 17.95
#   VITAMIN_C 23.80 x 1 (C): det 23.80, fulamt 23.80, inscp 0
#   PARACETAMOL 3.20 x 0.5: det 1.60, inscp 1.60
#   medfee 174.80 = fulamt 23.80 + overlmt 8.40 + preselfpay 10.31 + inscp 132.29
MIXED = ((AMOXICILLIN, "3", "10.00"), (NIFEDIPINE, "3"), (LORATADINE, "1"), (VITAMIN_C, "1"),
         (PARACETAMOL, "0.5"))
MIXED_PARTS = {"medfee_sumamt": "174.80", "fulamt_ownpay_amt": "23.80", "overlmt_selfpay": "8.40",
               "preselfpay_amt": "10.31", "inscp_scp_amt": "132.29"}


@pytest.fixture
def raw(settlement_service):  # type: ignore[no-untyped-def]
    r = Raw(settlement_service.url)
    yield r
    r.close()


def client_sale(client: SettlementClient, n: int, cert: dict[str, str], entries: list[dict[str, str]],
                acct_used: str = "1") -> tuple[Settlement, Settlement]:
    """1101, 2101, 2102 through the real client; returns (pre-settlement, settlement)."""
    info = client.person_info({**cert, "psn_cert_type": "", "certno": "", "psn_name": ""})
    assert info.output.obj("baseinfo").text("psn_no") == psn(n)
    sale = sale_input(n, cert, entries, acct_used=acct_used)
    _, pre = client.settlement("2101", sale, "drugdetail")
    _, done = client.settlement("2102", sale, "drugdetail")
    return pre, done


def test_voucher_sale_through_the_client_all_steps(settlement_client: SettlementClient, raw: Raw) -> None:
    identity = settlement_client.ec_query(voucher(9))
    assert identity.user_name == "黄强" and identity.id_no == "120101195802191171"
    cert = {"mdtrt_cert_type": "01", "mdtrt_cert_no": identity.ec_token, "card_sn": ""}
    pre, done = client_sale(settlement_client, 9, cert, lines(*MIXED))
    # 009 is a retiree (310/12): deductible 700 already met, ratio 0.70, fund used 1200 of 15000.
    # hifp round(132.29*0.70)=round(92.603)=92.60; psn_part 174.80-92.60=82.20, all from the
    # account (5400.00 -> 5317.80).
    expected = {**MIXED_PARTS, "act_pay_dedc": "0.00", "hifp_pay": "92.60", "fund_pay_sumamt": "92.60",
                "psn_part_amt": "82.20", "acct_pay": "82.20", "acct_mulaid_pay": "0.00",
                "psn_cash_pay": "0.00", "balc": "5317.80"}
    for s in (pre, done):
        expect({k: v for k, v in asdict(s.totals).items() if k in expected}, **expected)
    assert pre.setl_id is None and done.setl_id and done.mdtrt_id
    assert done.setlinfo["pool_prop_selfpay"] == "0.70" and done.setlinfo["mdtrt_cert_type"] == "01"
    assert [i.line.feedetl_sn for i in done.items] == ["0001", "0002", "0003", "0004", "0005"]
    assert raw.balance(9) == Decimal("5317.80")
    # An e-voucher pays once: the next sale needs a fresh one.
    with pytest.raises(ServiceRefused, match="already paid"):
        settlement_client.settlement("2102", sale_input(9, cert, lines((VITAMIN_C, "1"))), "drugdetail")
    fresh = {**cert, "mdtrt_cert_no": settlement_client.ec_query(voucher(9)).ec_token}
    # 2103 through the client, for a Class C sale (23.80; it touches neither deductible nor cap).
    _, class_c = client_sale(settlement_client, 9, fresh, lines((VITAMIN_C, "1")))
    assert raw.balance(9) == Decimal("5294.00")
    back = settlement_client.call("2103", {"data": {"setl_id": class_c.setl_id, "psn_no": psn(9)}}).output
    assert back.obj("setlinfo").text("orig_setl_id") == class_c.setl_id
    assert back.obj("setlinfo").text("balc") == "5317.80" and raw.balance(9) == Decimal("5317.80")


def test_reversal_through_the_client(settlement_client: SettlementClient, raw: Raw) -> None:
    _, done = client_sale(settlement_client, 9, card(9), lines(*MIXED))
    assert raw.balance(9) == Decimal("5317.80")
    out = settlement_client.call("2103", {"data": {"setl_id": done.setl_id, "psn_no": psn(9)}}).output
    assert out.obj("setlinfo").text("acct_pay") == "-82.20"
    assert out.obj("setlinfo").text("orig_setl_id") == done.setl_id
    assert raw.balance(9) == Decimal("5400.00")
    # Reconciled under the settlement's keys, as every settlement output carries them.
    info = out.obj("setlinfo")
    assert (info.text("insutype"), info.text("clr_type"), info.text("clr_optins")) == (
        done.setlinfo["insutype"], done.setlinfo["clr_type"], done.setlinfo["clr_optins"])


@pytest.mark.parametrize("how", ["card", "id_number", "voucher"])
def test_raw_signed_sale_by_each_certificate(raw: Raw, how: str) -> None:
    # 013: employee 310/11, balc 8000.00, nothing used: deductible 800 left, so all 132.29 of
    # inscp goes to the deductible, hifp 0, the person pays 174.80 from the account.
    cert = {"card": card(13), "id_number": id_number(13), "voucher": None}[how]
    if cert is None:
        cert = raw.ec_token(voucher(13))
    info = raw.person_info(cert)
    assert info["baseinfo"]["psn_no"] == psn(13) and info["insuinfo"][0]["balc"] == "8000.00"
    entries = lines(*MIXED)
    pre = raw.ok("2101", sale_input(13, cert, entries))
    done = raw.ok("2102", sale_input(13, cert, entries))
    for out in (pre, done):
        s = check_settlement(out, entries)
        expect(s, **MIXED_PARTS, act_pay_dedc="132.29", hifp_pay="0.00", fund_pay_sumamt="0.00",
               psn_part_amt="174.80", acct_pay="174.80", psn_cash_pay="0.00", balc="7825.20")
    assert done["setlinfo"]["mdtrt_cert_type"] == cert["mdtrt_cert_type"]
    assert raw.person_info(card(13))["insuinfo"][0]["balc"] == "7825.20"
    assert raw.totals()["fixmedins_setl_cnt"] == "1"


def test_items_come_back_in_the_order_sent(raw: Raw) -> None:
    entries = lines((VITAMIN_C, "2"), (PARACETAMOL, "1"), (NIFEDIPINE, "1"), (AMOXICILLIN, "1"))
    entries.reverse()  # serials 0004, 0003, 0002, 0001: neither sorted by code nor by serial
    out = raw.ok("2102", sale_input(13, card(13), entries))
    check_settlement(out, entries)
    assert [i["feedetl_sn"] for i in out["drugdetail"]] == ["0004", "0003", "0002", "0001"]


def test_deductible_crossing_over_two_sales(raw: Raw) -> None:
    # 011: 310/11, deductible 800 with 650 met (150 left), balc 980.00.
    # Sale 1: ASPIRIN 15.50 x 4 = 62.00, Class A: all 62.00 to the deductible (88.00 left).
    first = lines((ASPIRIN, "4"))
    s1 = check_settlement(raw.ok("2102", sale_input(11, card(11), first)), first)
    expect(s1, medfee_sumamt="62.00", inscp_scp_amt="62.00", act_pay_dedc="62.00", hifp_pay="0.00",
           psn_part_amt="62.00", acct_pay="62.00", balc="918.00")
    # Sale 2: INSULIN 358.50 (B, under its cap 380): preselfpay round(35.85)=35.85, inscp 322.65;
    # act_pay_dedc 88.00 (the rest of the deductible); hifp round((322.65-88.00)*0.50)
    # = round(117.325) = 117.33; psn_part 358.50-117.33 = 241.17; balc 918.00-241.17 = 676.83.
    second = lines((INSULIN, "1"))
    s2 = check_settlement(raw.ok("2102", sale_input(11, card(11), second)), second)
    expect(s2, medfee_sumamt="358.50", preselfpay_amt="35.85", inscp_scp_amt="322.65", act_pay_dedc="88.00",
           hifp_pay="117.33", fund_pay_sumamt="117.33", psn_part_amt="241.17", acct_pay="241.17",
           psn_cash_pay="0.00", balc="676.83")
    # Sale 3: the deductible is met: hifp round(322.65*0.50)=round(161.325)=161.33, psn_part 197.17.
    s3 = check_settlement(raw.ok("2101", sale_input(11, card(11), second)), second)
    expect(s3, act_pay_dedc="0.00", hifp_pay="161.33", psn_part_amt="197.17", acct_pay="197.17",
           balc="479.66")


def test_cap_exhaustion(raw: Raw) -> None:
    # 006: 310/11, deductible met, fund used 9950.00 of the 10000.00 cap (50.00 left), balc 2100.00.
    # INSULIN: inscp 322.65; hifp min(round(322.65*0.50)=161.33, 50.00) = 50.00;
    # psn_part 308.50; balc 1791.50.
    entries = lines((INSULIN, "1"))
    s1 = check_settlement(raw.ok("2102", sale_input(6, card(6), entries)), entries)
    expect(s1, inscp_scp_amt="322.65", act_pay_dedc="0.00", hifp_pay="50.00", fund_pay_sumamt="50.00",
           psn_part_amt="308.50", acct_pay="308.50", psn_cash_pay="0.00", balc="1791.50")
    # The cap is exhausted: the fund pays nothing more this year.
    s2 = check_settlement(raw.ok("2102", sale_input(6, card(6), entries)), entries)
    expect(s2, hifp_pay="0.00", fund_pay_sumamt="0.00", psn_part_amt="358.50", acct_pay="358.50",
           balc="1433.00")


def test_empty_account_pays_cash(raw: Raw) -> None:
    # 005: 310/11, balc 0.00. IBUPROFEN 15.80 x 2 = 31.60, all to the deductible, all cash.
    entries = lines((IBUPROFEN, "2"))
    s = check_settlement(raw.ok("2102", sale_input(5, card(5), entries)), entries)
    expect(s, medfee_sumamt="31.60", act_pay_dedc="31.60", hifp_pay="0.00", psn_part_amt="31.60",
           acct_pay="0.00", acct_mulaid_pay="0.00", psn_cash_pay="31.60", balc="0.00")
    assert raw.balance(5) == Decimal("0.00")


def test_acct_used_flag_0_pays_cash(raw: Raw) -> None:
    entries = lines(*MIXED)
    s = check_settlement(raw.ok("2102", sale_input(9, card(9), entries, acct_used="0")), entries)
    expect(s, hifp_pay="92.60", psn_part_amt="82.20", acct_pay="0.00", psn_cash_pay="82.20", balc="5400.00")
    assert raw.balance(9) == Decimal("5400.00")


def test_family_mutual_aid_from_the_holder(raw: Raw) -> None:
    # 003: resident (390, no account) bound to holder 001 (balc 1500.00); deductible 200 left.
    # ATORVASTATIN 39.80 x 2 (B, cap 35.60): det 79.60, overlmt round(4.20*2)=8.40,
    # preselfpay round(71.20*0.10)=7.12, inscp 64.08, all to the deductible; hifp 0.
    # The holder's account pays the 79.60: 1500.00 -> 1420.40.
    entries = lines((ATORVASTATIN, "2"))
    s = check_settlement(raw.ok("2102", sale_input(3, card(3), entries)), entries)
    expect(s, medfee_sumamt="79.60", overlmt_selfpay="8.40", preselfpay_amt="7.12", inscp_scp_amt="64.08",
           act_pay_dedc="64.08", hifp_pay="0.00", psn_part_amt="79.60", acct_pay="0.00",
           acct_mulaid_pay="79.60", psn_cash_pay="0.00", balc="0.00")
    assert raw.balance(1) == Decimal("1420.40")
    info = raw.person_info(card(3))
    assert info["famlinfo"]["holder_psn_no"] == psn(1) and info["famlinfo"]["holder_balc"] == "1420.40"
    # 004 (390, deductible met, fund 310.40 of 3000): METFORMIN 12.60 x 10 = 126.00;
    # hifp round(126.00*0.50) = 63.00; the holder pays the other 63.00: 1420.40 -> 1357.40.
    entries = lines((METFORMIN, "10"))
    s = check_settlement(raw.ok("2102", sale_input(4, card(4), entries)), entries)
    expect(s, act_pay_dedc="0.00", hifp_pay="63.00", psn_part_amt="63.00", acct_mulaid_pay="63.00",
           psn_cash_pay="0.00")
    assert raw.balance(1) == Decimal("1357.40")


def test_bound_member_uses_own_account_first_then_the_holder(raw: Raw) -> None:
    # 010: 310/11 with balc 35.60, bound to 009 (balc 5400.00). AZITHROMYCIN 16.80 x 5 = 84.00,
    # all to the deductible; acct_pay 35.60 from her own account, mutual aid 48.40 from 009.
    entries = lines((AZITHROMYCIN, "5"))
    out = raw.ok("2102", sale_input(10, card(10), entries))
    s = check_settlement(out, entries)
    expect(s, psn_part_amt="84.00", acct_pay="35.60", acct_mulaid_pay="48.40", psn_cash_pay="0.00",
           balc="0.00")
    assert raw.balance(9) == Decimal("5351.60")
    assert raw.balance(10) == Decimal("0.00")


def test_reversal_gives_back_both_accounts_of_a_mutual_aid_sale(raw: Raw) -> None:
    entries = lines((AZITHROMYCIN, "5"))
    out = raw.ok("2102", sale_input(10, card(10), entries))
    assert out["setlinfo"]["acct_mulaid_pay"] == "48.40"
    back = raw.ok("2103", {"data": {"setl_id": out["setlinfo"]["setl_id"], "psn_no": psn(10)}})
    assert back["setlinfo"]["acct_mulaid_pay"] == "-48.40" and back["setlinfo"]["balc"] == "35.60"
    assert raw.balance(9) == Decimal("5400.00") and raw.balance(10) == Decimal("35.60")


def test_voucher_shown_by_the_holder_for_a_member(raw: Raw) -> None:
    cert = raw.ec_token(voucher(3, holder=1))
    assert raw.person_info(cert)["baseinfo"]["psn_no"] == psn(3)
    entries = lines((ATORVASTATIN, "2"))
    s = check_settlement(raw.ok("2102", sale_input(3, cert, entries)), entries)
    expect(s, acct_mulaid_pay="79.60", psn_cash_pay="0.00")
    assert raw.balance(1) == Decimal("1420.40")
    # A voucher for 003 claiming to be shown by 009, who is not her holder, is refused.
    answer = raw.ec_query(voucher(3, holder=9))
    assert answer["code"] == -1 and "holder" in answer["message"]


def test_suspended_person_is_refused(raw: Raw, settlement_client: SettlementClient) -> None:
    # 007's insurance is suspended: 1101 answers (with a warning), every sale is refused.
    answer = raw.call("1101", {"data": card(7)})
    assert answer["infcode"] == 0 and "suspended" in answer["warn_msg"]
    entries = lines((IBUPROFEN, "1"))
    for infno in ("2101", "2102"):
        assert "suspended" in raw.refused(infno, sale_input(7, card(7), entries))
    with pytest.raises(ServiceRefused, match="suspended"):
        settlement_client.settlement("2102", sale_input(7, card(7), entries), "drugdetail")
    assert raw.balance(7) == Decimal("860.00")
    assert raw.totals()["fixmedins_setl_cnt"] == "0"


def test_setldetail_names_the_pooled_fund_and_the_account(raw: Raw) -> None:
    entries = lines(*MIXED)
    out = raw.ok("2102", sale_input(9, card(9), entries))
    detail = {d["fund_pay_type"]: d for d in out["setldetail"]}
    assert detail["310100"]["fund_payamt"] == out["setlinfo"]["hifp_pay"] == "92.60"
    assert detail["310200"]["fund_payamt"] == out["setlinfo"]["acct_pay"] == "82.20"


def test_a_voucher_presented_directly_for_a_forwarded_offline_sale(raw: Raw) -> None:
    # An offline sale forwarded an hour later carries the voucher text itself (mdtrt_cert_type 01);
    # it is checked at the sale's time, when it was still valid.
    issued = int(time.time()) - 3600
    text = issue_voucher(ISSUER_KEY, psn(13), now=issued)
    sale_time = datetime.fromtimestamp(issued + 60).strftime("%Y-%m-%d %H:%M:%S")
    cert = {"mdtrt_cert_type": "01", "mdtrt_cert_no": text, "card_sn": ""}
    sale = sale_input(13, cert, lines((AMOXICILLIN, "1")))
    sale["data"]["fee_ocur_time"] = sale_time
    assert raw.ok("2102", sale)["setlinfo"]["acct_pay"] == "8.50"
    # The same voucher for a sale made after it expired is refused.
    late = sale_input(13, cert, lines((AMOXICILLIN, "1")))
    late["data"]["fee_ocur_time"] = datetime.fromtimestamp(issued + 600).strftime("%Y-%m-%d %H:%M:%S")
    assert "expired" in raw.refused("2102", late)
    # A voucher presented directly for a sale older than 7 days is refused.
    old = int(time.time()) - 8 * 24 * 3600
    ancient = sale_input(13, {**cert, "mdtrt_cert_no": issue_voucher(ISSUER_KEY, psn(13), now=old)},
                         lines((AMOXICILLIN, "1")))
    ancient["data"]["fee_ocur_time"] = datetime.fromtimestamp(old + 10).strftime("%Y-%m-%d %H:%M:%S")
    assert "7 days" in raw.refused("2102", ancient)
    assert raw.balance(13) == Decimal("7991.50")


def test_1101_by_every_certificate_names_the_same_person(raw: Raw) -> None:
    answers = [raw.person_info(cert) for cert in (card(9), id_number(9), raw.ec_token(voucher(9)))]
    assert all(a == answers[0] for a in answers)
    base = answers[0]["baseinfo"]
    assert (base["psn_no"], base["certno"], base["psn_name"], base["gend"], base["brdy"]) == \
        (psn(9), "120101195802191171", "黄强", "1", "1958-02-19")
    insu = answers[0]["insuinfo"][0]
    assert (insu["balc"], insu["insutype"], insu["psn_type"], insu["psn_insu_stas"]) == ("5400.00", "310", "12", "1")


def test_mutual_aid_is_limited_by_the_holders_balance(raw: Raw) -> None:
    # 001 (310/11, balc 1500.00) buys INSULIN x 5 = 1792.50: preselfpay round(179.25)=179.25,
    # inscp 1613.25, deductible 800.00, hifp round(813.25*0.50)=round(406.625)=406.63,
    # psn_part 1385.87 from the account: 1500.00 -> 114.13.
    own = lines((INSULIN, "5"))
    expect(check_settlement(raw.ok("2102", sale_input(1, card(1), own)), own), preselfpay_amt="179.25",
           act_pay_dedc="800.00", hifp_pay="406.63", acct_pay="1385.87", balc="114.13")
    # 003 twice ATORVASTATIN x 2 (79.60, inscp 64.08 to her deductible each time):
    # the first is all mutual aid (114.13 -> 34.53), the second takes the last 34.53 and 45.07 is cash.
    entries = lines((ATORVASTATIN, "2"))
    expect(check_settlement(raw.ok("2102", sale_input(3, card(3), entries)), entries),
           acct_mulaid_pay="79.60", psn_cash_pay="0.00")
    expect(check_settlement(raw.ok("2102", sale_input(3, card(3), entries)), entries),
           act_pay_dedc="64.08", acct_mulaid_pay="34.53", psn_cash_pay="45.07")
    assert raw.balance(1) == Decimal("0.00")
    # With acct_used_flag 0 there is no mutual aid either.
    expect(check_settlement(raw.ok("2101", sale_input(4, card(4), entries, acct_used="0")), entries),
           acct_mulaid_pay="0.00")
