"""End to end: outpatient visits (2201-2208) and inpatient stays (2401-2405, 2301-2305).

Expected amounts are computed by hand in the comments (DESIGN.md formulas, demo policy).
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    BED,
    BLOOD_TEST,
    CONSULT,
    CT_HEAD,
    INSULIN,
    MRI,
    NURSING,
    VITAMIN_C,
    Raw,
    card,
    check_settlement,
    db_state,
    expect,
    line,
    new_msgid,
    now_text,
    protocol_state,
    psn,
)


@pytest.fixture
def raw(settlement_service):  # type: ignore[no-untyped-def]
    r = Raw(settlement_service.url)
    yield r
    r.close()


def fees(mdtrt_id: str, n: int, specs: list[tuple[str, str, str]], batch: str = "B1") -> list[dict[str, str]]:
    """feedetail entries (sn, code, cnt) for visit mdtrt_id of person n."""
    return [{**line(code, cnt, sn=sn, fee_time=now_text(-60)), "mdtrt_id": mdtrt_id, "psn_no": psn(n),
             "chrg_bchno": batch} for sn, code, cnt in specs]


def visit_data(n: int, mdtrt_id: str, **extra: str) -> dict[str, Any]:
    return {"mdtrt_id": mdtrt_id, "psn_no": psn(n), **extra}


def settle_input(n: int, mdtrt_id: str, medfee: str, **extra: str) -> dict[str, Any]:
    return {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn(n), **card(n), "medfee_sumamt": medfee,
                     "insutype": "310" if n in (9, 13) else "390", "acct_used_flag": "1", "psn_setlway": "01",
                     **extra}}


def register(raw: Raw, n: int) -> str:
    out = raw.ok("2201", {"data": {"psn_no": psn(n), **card(n), "med_type": "11", "ipt_otp_no": "OP-1",
                                   "begntime": now_text(-120), "insutype": "310" if n in (9, 13) else "390"}})
    mdtrt_id: str = out["data"]["mdtrt_id"]
    assert mdtrt_id
    return mdtrt_id


def admit(raw: Raw, n: int) -> str:
    out = raw.ok("2401", {"data": {"psn_no": psn(n), **card(n), "med_type": "21", "ipt_no": "IP-1",
                                   "begntime": now_text(-3600)}})
    mdtrt_id: str = out["result"]["mdtrt_id"]
    assert mdtrt_id
    return mdtrt_id


def test_outpatient_visit(raw: Raw, settlement_service) -> None:  # type: ignore[no-untyped-def]
    mdtrt_id = register(raw, 9)
    b1 = fees(mdtrt_id, 9, [("0001", CONSULT, "1"), ("0002", BLOOD_TEST, "1"), ("0003", CT_HEAD, "1")])
    uploaded = raw.ok("2204", {"feedetail": b1})["feedetail"]
    # CT_HEAD 260.00 (B, cap 240.00): overlmt 20.00, preselfpay round(240.00*0.10)=24.00, inscp 216.00.
    assert [(i["feedetl_sn"], i["overlmt_amt"], i["preselfpay_amt"], i["inscp_scp_amt"]) for i in uploaded] == \
        [("0001", "0.00", "0.00", "10.00"), ("0002", "0.00", "0.00", "20.00"), ("0003", "20.00", "24.00", "216.00")]
    b2 = fees(mdtrt_id, 9, [("0004", MRI, "1")], batch="B2")
    raw.ok("2204", {"feedetail": b2})
    raw.ok("2205", {"data": visit_data(9, mdtrt_id, chrg_bchno="B2")})  # the MRI is cancelled

    # 009: retiree, deductible met, ratio 0.70. medfee 290.00, overlmt 20.00, preselfpay 24.00,
    # inscp 246.00; hifp round(246.00*0.70)=172.20; psn_part 117.80 from the account.
    before, before_db = protocol_state(raw), db_state(settlement_service.db)
    pre = raw.ok("2206", settle_input(9, mdtrt_id, "290.00"))
    pre_again = raw.ok("2206", settle_input(9, mdtrt_id, "290.00"))
    for out in (pre, pre_again):
        s = check_settlement(out, b1, "feedetail")
        expect(s, medfee_sumamt="290.00", overlmt_selfpay="20.00", preselfpay_amt="24.00",
               inscp_scp_amt="246.00", act_pay_dedc="0.00", hifp_pay="172.20", psn_part_amt="117.80",
               acct_pay="117.80", balc="5282.20")
    assert protocol_state(raw) == before and db_state(settlement_service.db) == before_db

    # The cancelled MRI does not count: a total that includes it is refused.
    assert "not the sum" in raw.refused("2207", settle_input(9, mdtrt_id, "770.00"))
    done = raw.ok("2207", settle_input(9, mdtrt_id, "290.00"))
    s = check_settlement(done, b1, "feedetail")
    expect(s, hifp_pay="172.20", acct_pay="117.80", balc="5282.20")
    assert done["setlinfo"]["mdtrt_id"] == mdtrt_id and done["setlinfo"]["clr_type"] == "11"
    assert raw.balance(9) == Decimal("5282.20")
    # The fees are settled: nothing is left to settle, and the register cannot be cancelled.
    assert "no unsettled fees" in raw.refused("2206", settle_input(9, mdtrt_id, "290.00"))
    assert "has a settlement" in raw.refused("2202", {"data": visit_data(9, mdtrt_id)})
    assert raw.totals(clr_type="11")["fixmedins_setl_cnt"] == "1"


def test_outpatient_cancel_settlement_then_register(raw: Raw) -> None:
    # Class C fees only (23.80 x 2 = 47.60): no deductible or cap involved, the account pays.
    mdtrt_id = register(raw, 13)
    entries = fees(mdtrt_id, 13, [("0001", VITAMIN_C, "2")])
    raw.ok("2204", {"feedetail": entries})
    done = raw.ok("2207", settle_input(13, mdtrt_id, "47.60"))
    expect(check_settlement(done, entries, "feedetail"), fulamt_ownpay_amt="47.60", acct_pay="47.60",
           balc="7952.40")
    cancel = {"data": visit_data(13, mdtrt_id, setl_id=done["setlinfo"]["setl_id"])}
    back = raw.ok("2208", cancel)
    assert back["setlinfo"]["balc"] == "8000.00" and raw.balance(13) == Decimal("8000.00")
    assert "already reversed" in raw.refused("2208", cancel)
    # The fees are unsettled again and can be settled anew.
    again = raw.ok("2206", settle_input(13, mdtrt_id, "47.60"))
    assert again["setlinfo"]["acct_pay"] == "47.60"
    raw.ok("2202", {"data": visit_data(13, mdtrt_id)})
    assert "cancelled" in raw.refused("2202", {"data": visit_data(13, mdtrt_id)})
    assert "cancelled" in raw.refused("2204", {"feedetail": fees(mdtrt_id, 13, [("0002", CONSULT, "1")])})
    assert "cancelled" in raw.refused("2207", settle_input(13, mdtrt_id, "47.60"))


def test_outpatient_refusals(raw: Raw, settlement_service) -> None:  # type: ignore[no-untyped-def]
    mdtrt_id = register(raw, 13)
    before = db_state(settlement_service.db)
    assert "no unsettled fees" in raw.refused("2206", settle_input(13, mdtrt_id, "0.00"))
    # Fees for a visit of another person, an unknown visit, a repeated serial in one upload.
    assert "another person" in raw.refused("2204", {"feedetail": fees(mdtrt_id, 9, [("0001", CONSULT, "1")])})
    assert "no outpatient visit" in raw.refused("2204", {"feedetail": fees("M0", 13, [("0001", CONSULT, "1")])})
    assert "appears twice" in raw.refused("2204", {"feedetail": fees(
        mdtrt_id, 13, [("0001", CONSULT, "1"), ("0001", BLOOD_TEST, "1")])})
    assert "med_type" in raw.refused("2201", {"data": {"psn_no": psn(13), **card(13), "med_type": "21",
                                                       "ipt_otp_no": "OP-2"}})
    assert "suspended" in raw.refused("2201", {"data": {"psn_no": psn(7), **card(7), "med_type": "11",
                                                        "ipt_otp_no": "OP-3"}})
    assert db_state(settlement_service.db) == before
    raw.ok("2204", {"feedetail": fees(mdtrt_id, 13, [("0001", CONSULT, "1")])})
    assert "already uploaded" in raw.refused("2204", {"feedetail": fees(mdtrt_id, 13, [("0001", CONSULT, "1")])})
    assert "no unsettled fees" in raw.refused("2205", {"data": visit_data(13, mdtrt_id, chrg_bchno="B9")})


def test_outpatient_settlement_cancel_gives_back_the_deductible(raw: Raw) -> None:
    mdtrt_id = register(raw, 13)
    raw.ok("2204", {"feedetail": fees(mdtrt_id, 13, [("0001", CT_HEAD, "1")])})
    done = raw.ok("2207", settle_input(13, mdtrt_id, "260.00"))
    assert done["setlinfo"]["act_pay_dedc"] == "216.00"
    raw.ok("2208", {"data": visit_data(13, mdtrt_id, setl_id=done["setlinfo"]["setl_id"])})
    again = raw.ok("2206", settle_input(13, mdtrt_id, "260.00"))
    assert again["setlinfo"]["act_pay_dedc"] == "216.00" and raw.balance(13) == Decimal("8000.00")


# Inpatient stay of 013 (310: deductible 1200.00, ratio 0.85, cap 200000.00), by hand:
#   BED 40.00 x 5 = 200.00 (A, under its cap), NURSING 30.00 x 5 = 150.00 (A),
#   MRI 480.00 (B 0.20): preselfpay 96.00, inscp 384.00,
#   CT_HEAD 260.00 (B, cap 240): overlmt 20.00, preselfpay 24.00, inscp 216.00,
#   INSULIN 358.50 x 2 = 717.00 (B): preselfpay round(71.70)=71.70, inscp 645.30
#   medfee 1807.00 = overlmt 20.00 + preselfpay 191.70 + inscp 1595.30
#   act_pay_dedc 1200.00; hifp round(395.30*0.85)=round(336.005)=336.01 (half up);
#   psn_part 1470.99 from the account: 8000.00 -> 6529.01.
STAY = [("0001", BED, "5"), ("0002", NURSING, "5"), ("0003", MRI, "1"), ("0004", CT_HEAD, "1"),
        ("0005", INSULIN, "2")]


def test_inpatient_stay(raw: Raw, settlement_service) -> None:  # type: ignore[no-untyped-def]
    mdtrt_id = admit(raw, 13)
    assert "already admitted" in raw.refused("2401", {"data": {"psn_no": psn(13), **card(13), "med_type": "21",
                                                               "ipt_no": "IP-2"}})
    entries = fees(mdtrt_id, 13, STAY)
    raw.ok("2301", {"feedetail": entries[:3]})
    raw.ok("2301", {"feedetail": entries[3:]})
    extra = fees(mdtrt_id, 13, [("0006", CONSULT, "1")])
    raw.ok("2301", {"feedetail": extra})
    raw.ok("2302", {"data": visit_data(13, mdtrt_id, feedetl_sn="0006")})

    # Not discharged and no mid_setl_flag: refused; with mid_setl_flag 1 the pre-settlement runs.
    err = raw.refused("2304", settle_input(13, mdtrt_id, "1807.00"))
    assert "not discharged" in err
    before, before_db = protocol_state(raw), db_state(settlement_service.db)
    mid = raw.ok("2303", settle_input(13, mdtrt_id, "1807.00", mid_setl_flag="1"))
    check_settlement(mid, entries, "feedetail")
    assert protocol_state(raw) == before and db_state(settlement_service.db) == before_db

    raw.ok("2402", {"data": visit_data(13, mdtrt_id, endtime=now_text(-1), dscg_way="1")})
    assert "not open" in raw.refused("2402", {"data": visit_data(13, mdtrt_id)})
    before, before_db = protocol_state(raw), db_state(settlement_service.db)
    pre = raw.ok("2303", settle_input(13, mdtrt_id, "1807.00"))
    pre_again = raw.ok("2303", settle_input(13, mdtrt_id, "1807.00"))
    assert protocol_state(raw) == before and db_state(settlement_service.db) == before_db
    expected = {"medfee_sumamt": "1807.00", "overlmt_selfpay": "20.00", "preselfpay_amt": "191.70",
                "inscp_scp_amt": "1595.30", "act_pay_dedc": "1200.00", "hifp_pay": "336.01",
                "psn_part_amt": "1470.99", "acct_pay": "1470.99", "psn_cash_pay": "0.00", "balc": "6529.01"}
    for out in (pre, pre_again):
        expect(check_settlement(out, entries, "feedetail"), **expected)

    # medfee_sumamt must match the fees uploaded (the cancelled 0006 does not count).
    assert "not the sum" in raw.refused("2304", settle_input(13, mdtrt_id, "1817.00"))
    done = raw.ok("2304", settle_input(13, mdtrt_id, "1807.00"))
    expect(check_settlement(done, entries, "feedetail"), **expected)
    assert done["setlinfo"]["clr_type"] == "21" and raw.balance(13) == Decimal("6529.01")
    # Settled: cannot settle again, cancel the admission or the discharge.
    assert "settled" in raw.refused("2304", settle_input(13, mdtrt_id, "1807.00"))
    assert "has a settlement" in raw.refused("2404", {"data": visit_data(13, mdtrt_id)})
    assert "cannot cancel discharge" in raw.refused("2405", {"data": visit_data(13, mdtrt_id)})
    assert raw.totals(clr_type="21") == {"medfee_sumamt": "1807.00", "fund_pay_sumamt": "336.01",
                                         "acct_pay": "1470.99", "fixmedins_setl_cnt": "1"}


def test_admission_cancel_and_discharge_cancel(raw: Raw) -> None:
    mdtrt_id = admit(raw, 9)
    raw.ok("2301", {"feedetail": fees(mdtrt_id, 9, [("0001", BED, "1"), ("0002", NURSING, "1")])})
    assert "still has fees" in raw.refused("2404", {"data": visit_data(9, mdtrt_id)})
    assert "not discharged" in raw.refused("2405", {"data": visit_data(9, mdtrt_id)})
    raw.ok("2402", {"data": visit_data(9, mdtrt_id)})
    raw.ok("2405", {"data": visit_data(9, mdtrt_id)})  # back to open
    raw.ok("2402", {"data": visit_data(9, mdtrt_id)})
    raw.ok("2405", {"data": visit_data(9, mdtrt_id)})
    raw.ok("2302", {"data": visit_data(9, mdtrt_id, feedetl_sn="0000")})  # every unsettled fee
    raw.ok("2404", {"data": visit_data(9, mdtrt_id)})
    assert "already cancelled" in raw.refused("2404", {"data": visit_data(9, mdtrt_id)})
    # No longer admitted: a new admission is accepted.
    assert admit(raw, 9) != mdtrt_id
    assert raw.totals()["fixmedins_setl_cnt"] == "0" and raw.balance(9) == Decimal("5400.00")


def test_inpatient_cap_and_mid_settlement(raw: Raw) -> None:
    # 012: resident (390), inpatient deductible met, fund 148500.00 of 150000.00 (1500.00 left),
    # ratio 0.60, no account. MRI 480.00 x 10 = 4800.00: preselfpay 960.00, inscp 3840.00;
    # hifp min(round(3840.00*0.60)=2304.00, 1500.00) = 1500.00; all the rest is cash.
    mdtrt_id = admit(raw, 12)
    first = fees(mdtrt_id, 12, [("0001", MRI, "10")])
    raw.ok("2301", {"feedetail": first})
    mid = raw.ok("2304", settle_input(12, mdtrt_id, "4800.00", mid_setl_flag="1"))
    expect(check_settlement(mid, first, "feedetail"), inscp_scp_amt="3840.00", act_pay_dedc="0.00",
           hifp_pay="1500.00", psn_part_amt="3300.00", acct_pay="0.00", psn_cash_pay="3300.00")
    # Still admitted after a mid-stay settlement: more fees, discharge, final settlement.
    second = fees(mdtrt_id, 12, [("0002", BED, "1")])
    raw.ok("2301", {"feedetail": second})
    raw.ok("2402", {"data": visit_data(12, mdtrt_id)})
    final = raw.ok("2304", settle_input(12, mdtrt_id, "40.00"))
    expect(check_settlement(final, second, "feedetail"), hifp_pay="0.00", psn_cash_pay="40.00")
    assert raw.totals(insutype="390") == {"medfee_sumamt": "4840.00", "fund_pay_sumamt": "1500.00",
                                          "acct_pay": "0.00", "fixmedins_setl_cnt": "2"}


def test_inpatient_settlement_cancel_reopens_the_stay(raw: Raw) -> None:
    mdtrt_id = admit(raw, 13)
    entries = fees(mdtrt_id, 13, STAY)
    raw.ok("2301", {"feedetail": entries})
    raw.ok("2402", {"data": visit_data(13, mdtrt_id)})
    done = raw.ok("2304", settle_input(13, mdtrt_id, "1807.00"))
    back = raw.ok("2305", {"data": visit_data(13, mdtrt_id, setl_id=done["setlinfo"]["setl_id"])})
    assert back["setlinfo"]["balc"] == "8000.00"
    again = raw.ok("2303", settle_input(13, mdtrt_id, "1807.00"))
    assert again["setlinfo"]["act_pay_dedc"] == "1200.00" and again["setlinfo"]["hifp_pay"] == "336.01"
    raw.ok("2405", {"data": visit_data(13, mdtrt_id)})


def test_fee_upload_answers_are_stable_for_a_resent_msgid(raw: Raw) -> None:
    mdtrt_id = admit(raw, 9)
    envelope = raw.envelope("2301", {"feedetail": fees(mdtrt_id, 9, [("0001", BED, "2")])})
    first = raw.send(envelope)
    assert first["infcode"] == 0
    assert raw.send(copy.deepcopy(envelope)) == first
    pre = raw.ok("2303", settle_input(9, mdtrt_id, "80.00", mid_setl_flag="1"))
    assert pre["setlinfo"]["medfee_sumamt"] == "80.00"  # the fee counts once


def test_two_batches_of_one_outpatient_visit_settle_separately(raw: Raw) -> None:
    mdtrt_id = register(raw, 13)
    b1 = fees(mdtrt_id, 13, [("0001", VITAMIN_C, "1")], batch="B1")
    b2 = fees(mdtrt_id, 13, [("0002", VITAMIN_C, "2")], batch="B2")
    raw.ok("2204", {"feedetail": b1})
    raw.ok("2204", {"feedetail": b2})
    first = raw.ok("2207", settle_input(13, mdtrt_id, "23.80", chrg_bchno="B1"))
    check_settlement(first, b1, "feedetail")
    second = raw.ok("2207", settle_input(13, mdtrt_id, "47.60", chrg_bchno="B2"))
    check_settlement(second, b2, "feedetail")
    assert first["setlinfo"]["setl_id"] != second["setlinfo"]["setl_id"]
    assert raw.balance(13) == Decimal("7928.60")
    assert raw.totals(clr_type="11")["fixmedins_setl_cnt"] == "2"


def test_2601_undoes_visit_messages(raw: Raw) -> None:
    # 2601 of a 2201: the visit is cancelled.
    reg_msgid = new_msgid()
    mdtrt_id = raw.ok("2201", {"data": {"psn_no": psn(13), **card(13), "med_type": "11", "ipt_otp_no": "OP-7"}},
                      msgid=reg_msgid)["data"]["mdtrt_id"]
    fee_msgid = new_msgid()
    raw.ok("2204", {"feedetail": fees(mdtrt_id, 13, [("0001", CONSULT, "1")])}, msgid=fee_msgid)
    # 2601 of a 2204: its fees are cancelled, so nothing is left to settle.
    assert raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": fee_msgid, "oinfno": "2204"}})["data"][
        "reversed"] == "1"
    assert "no unsettled fees" in raw.refused("2206", settle_input(13, mdtrt_id, "10.00"))
    raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": reg_msgid, "oinfno": "2201"}})
    assert "cancelled" in raw.refused("2204", {"feedetail": fees(mdtrt_id, 13, [("0002", CONSULT, "1")])})
    # 2601 of a 2402: the stay is open again and can be discharged again.
    stay = admit(raw, 13)
    dis_msgid = new_msgid()
    raw.ok("2402", {"data": visit_data(13, stay)}, msgid=dis_msgid)
    raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": dis_msgid, "oinfno": "2402"}})
    raw.ok("2402", {"data": visit_data(13, stay)})
    # 2601 names the wrong person: refused.
    assert "opened no visit" in raw.refused("2601", {"data": {"psn_no": psn(9), "omsgid": reg_msgid,
                                                              "oinfno": "2201"}})


def test_visit_messages_refuse_the_other_kind_of_visit(raw: Raw) -> None:
    outpatient = register(raw, 13)
    stay = admit(raw, 9)
    assert "no inpatient visit" in raw.refused("2402", {"data": visit_data(13, outpatient)})
    assert "no inpatient visit" in raw.refused("2304", settle_input(13, outpatient, "0.00"))
    assert "no outpatient visit" in raw.refused("2207", settle_input(9, stay, "0.00"))
    assert "no outpatient visit" in raw.refused("2204", {"feedetail": fees(stay, 9, [("0001", CONSULT, "1")])})


def test_discharge_before_admission_and_2103_of_a_visit_are_refused(raw: Raw) -> None:
    stay = admit(raw, 13)
    assert "before the admission time" in raw.refused(
        "2402", {"data": visit_data(13, stay, endtime=now_text(-7200))})
    mdtrt_id = register(raw, 13)
    raw.ok("2204", {"feedetail": fees(mdtrt_id, 13, [("0001", VITAMIN_C, "1")])})
    done = raw.ok("2207", settle_input(13, mdtrt_id, "23.80"))
    assert "not a pharmacy sale" in raw.refused(
        "2103", {"data": {"setl_id": done["setlinfo"]["setl_id"], "psn_no": psn(13)}})
    assert raw.balance(13) == Decimal("7976.20")


def test_2601_of_a_final_inpatient_settlement_reopens_it_for_settling(raw: Raw) -> None:
    stay = admit(raw, 13)
    entries = fees(stay, 13, [("0001", VITAMIN_C, "1")])  # Class C: no deductible or cap involved
    raw.ok("2301", {"feedetail": entries})
    raw.ok("2402", {"data": visit_data(13, stay)})
    msgid = new_msgid()
    raw.ok("2304", settle_input(13, stay, "23.80"), msgid=msgid)
    out = raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": msgid, "oinfno": "2304"}})
    assert out["data"]["reversed"] == "1" and raw.balance(13) == Decimal("8000.00")
    again = raw.ok("2304", settle_input(13, stay, "23.80"))
    check_settlement(again, entries, "feedetail")
    assert raw.totals(clr_type="21")["fixmedins_setl_cnt"] == "1"


def test_a_discharged_stay_settled_with_mid_setl_flag_is_closed(raw: Raw) -> None:
    stay = admit(raw, 13)
    raw.ok("2301", {"feedetail": fees(stay, 13, [("0001", VITAMIN_C, "1")])})
    raw.ok("2402", {"data": visit_data(13, stay)})
    raw.ok("2304", settle_input(13, stay, "23.80", mid_setl_flag="1"))
    assert admit(raw, 13) != stay
