"""Pharmacy sale: pre-settle (2101), settle (2102), settle reversal (2103), with the pharmacy rules."""

from __future__ import annotations

from typing import Any

from terminal.domain import MedType
from terminal.sim.settlement.call import Call, Handler, ServiceError
from terminal.sim.settlement.identity import settling_person
from terminal.sim.settlement.pharmacy_rules import judge_sale, record_sold
from terminal.sim.settlement.settling import (
    check_total,
    commit_settlement,
    compute,
    find_settlement,
    read_fee_lines,
    read_time,
    reverse_settlement,
    settlement_output,
)


def _pharmacy_sale(call: Call, *, commit: bool) -> dict[str, Any]:
    data = call.data()
    med_type = data.text("med_type", max_len=4, default=MedType.PHARMACY.value)
    if med_type != MedType.PHARMACY:
        raise ServiceError(f"2101/2102 settle pharmacy sales (med_type 41), not med_type {med_type}")
    at = read_time(data, "fee_ocur_time", call, default_now=True)
    cert = settling_person(call, data, at=at.timestamp())
    person = cert.person
    acct_used = data.text("acct_used_flag", choices=("0", "1")) == "1"
    data.opt_text("psn_setlway", max_len=4)
    entries = call.input.items("drugdetail")
    lines = read_fee_lines(call, entries, "drugdetail")
    check_total(data, lines)
    judged = judge_sale(call, entries, lines)
    result = compute(call, person, lines, med_type, acct_used, at)
    mdtrt_id = call.new_id("M") if commit else None
    setl_id = call.new_id("S") if commit else None
    cert_type = data.text("mdtrt_cert_type")
    output = settlement_output(call, person, result, "drugdetail", med_type=med_type, cert_type=cert_type,
                               mdtrt_id=mdtrt_id, setl_id=setl_id, at=at)
    if commit:
        assert mdtrt_id is not None and setl_id is not None
        call.store.execute(
            "INSERT INTO visit(mdtrt_id, psn_no, kind, med_type, insutype, status, begntime, endtime,"
            " fixmedins_code, mdtrt_cert_type, mdtrt_cert_no, card_sn, created_msgid)"
            " VALUES (?,?,'pharmacy',?,?,'settled',?,?,?,?,?,?,?)",
            (mdtrt_id, person.psn_no, med_type, person.insutype, call.now_text, call.now_text,
             call.fixmedins_code, cert_type, data.text("mdtrt_cert_no", max_len=1024),
             data.opt_text("card_sn", max_len=64) or "", call.msgid))
        commit_settlement(call, person, result, output, mdtrt_id=mdtrt_id, setl_id=setl_id, at=at,
                          voucher_nonce=cert.voucher_nonce)
        record_sold(call.store, setl_id, judged)
    return output


def pre_settle(call: Call) -> dict[str, Any]:
    return _pharmacy_sale(call, commit=False)


def settle(call: Call) -> dict[str, Any]:
    return _pharmacy_sale(call, commit=True)


def settle_reversal(call: Call) -> dict[str, Any]:
    data = call.data()
    row = find_settlement(call, data.text("setl_id", max_len=40), data.text("psn_no", max_len=30))
    if row["infno"] != "2102":
        raise ServiceError(f"settlement {row['setl_id']} is not a pharmacy sale; reverse it with its own message")
    output = reverse_settlement(call, row)
    call.store.execute("UPDATE visit SET status='cancelled' WHERE mdtrt_id=?", (row["mdtrt_id"],))
    return output


HANDLERS: dict[str, Handler] = {
    "2101": pre_settle,
    "2102": settle,
    "2103": settle_reversal,
}
