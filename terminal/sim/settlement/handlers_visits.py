"""Outpatient visits (2201-2208) and inpatient stays (2401-2405, 2301-2305).

Both follow one pattern: open a visit (mdtrt_id), upload fees, pre-settle,
settle, and undo any step that has not been built upon.
"""

from __future__ import annotations

import json
from typing import Any

from terminal.domain import BasketLine, ChargeClass, MedType
from terminal.fields import Fields
from terminal.money import to_fen
from terminal.sim.settlement.call import Call, Handler, ServiceError
from terminal.sim.settlement.identity import settling_person
from terminal.sim.settlement.settling import (
    MAX_VISIT_AGE_DAYS,
    check_total,
    commit_settlement,
    compute,
    find_settlement,
    read_fee_lines,
    read_time,
    reverse_settlement,
    settlement_output,
)
from terminal.split import split_item

ALL_FEES = "0000"  # a fee-cancel key that means every unsettled fee of the visit


def _visit(call: Call, data: Fields, kind: str) -> Any:
    mdtrt_id = data.text("mdtrt_id", max_len=40)
    psn_no = data.text("psn_no", max_len=30)
    row = call.store.one("SELECT * FROM visit WHERE mdtrt_id = ?", (mdtrt_id,))
    if row is None or row["kind"] != kind or row["fixmedins_code"] != call.fixmedins_code:
        raise ServiceError(f"no {kind} visit {mdtrt_id} at this institution")
    if row["psn_no"] != psn_no:
        raise ServiceError(f"visit {mdtrt_id} belongs to another person")
    return row


def _has_settled(call: Call, mdtrt_id: str) -> bool:
    return call.store.one("SELECT 1 FROM settlement WHERE mdtrt_id=? AND status='settled'", (mdtrt_id,)) is not None


def _open_visit(call: Call, kind: str, data: Fields, med_type: str) -> str:
    person = settling_person(call, data).person
    begntime = read_time(data, "begntime", call, default_now=True, max_age_days=MAX_VISIT_AGE_DAYS)
    if kind == "inpatient":
        open_stay = call.store.one("SELECT mdtrt_id FROM visit WHERE psn_no=? AND kind='inpatient' AND "
                                   "status IN ('open', 'discharged')", (person.psn_no,))
        if open_stay is not None:
            raise ServiceError(f"{person.psn_name} is already admitted (mdtrt_id {open_stay['mdtrt_id']})")
    mdtrt_id = call.new_id("M")
    call.store.execute(
        "INSERT INTO visit(mdtrt_id, psn_no, kind, med_type, insutype, status, begntime, fixmedins_code,"
        " mdtrt_cert_type, mdtrt_cert_no, card_sn, created_msgid) VALUES (?,?,?,?,?,'open',?,?,?,?,?,?)",
        (mdtrt_id, person.psn_no, kind, med_type, person.insutype, begntime.strftime("%Y-%m-%d %H:%M:%S"),
         call.fixmedins_code, data.text("mdtrt_cert_type"), data.text("mdtrt_cert_no", max_len=1024),
         data.opt_text("card_sn", max_len=64) or "", call.msgid))
    return mdtrt_id


def register(call: Call) -> dict[str, Any]:
    data = call.data()
    med_type = data.text("med_type", max_len=4, default=MedType.OUTPATIENT.value)
    if med_type != MedType.OUTPATIENT:
        raise ServiceError(f"2201 registers outpatient visits (med_type 11), not med_type {med_type}")
    ipt_otp_no = data.text("ipt_otp_no", max_len=30)
    mdtrt_id = _open_visit(call, "outpatient", data, med_type)
    return {"data": {"mdtrt_id": mdtrt_id, "psn_no": data.text("psn_no"), "ipt_otp_no": ipt_otp_no}}


def admit(call: Call) -> dict[str, Any]:
    data = call.data()
    med_type = data.text("med_type", max_len=4, default=MedType.INPATIENT.value)
    if med_type != MedType.INPATIENT:
        raise ServiceError(f"2401 admits inpatients (med_type 21), not med_type {med_type}")
    ipt_no = data.text("ipt_no", max_len=30)
    mdtrt_id = _open_visit(call, "inpatient", data, med_type)
    return {"result": {"mdtrt_id": mdtrt_id, "psn_no": data.text("psn_no"), "ipt_no": ipt_no}}


def _cancel_visit(call: Call, kind: str) -> dict[str, Any]:
    data = call.data()
    visit = _visit(call, data, kind)
    if visit["status"] == "cancelled":
        raise ServiceError(f"visit {visit['mdtrt_id']} is already cancelled")
    if _has_settled(call, visit["mdtrt_id"]):
        raise ServiceError(f"visit {visit['mdtrt_id']} has a settlement; cancel the settlement first")
    if kind == "inpatient" and call.store.one(
            "SELECT 1 FROM fee WHERE mdtrt_id=? AND status='active'", (visit["mdtrt_id"],)):
        raise ServiceError(f"stay {visit['mdtrt_id']} still has fees; cancel them first (2302)")
    call.store.execute("UPDATE fee SET status='cancelled' WHERE mdtrt_id=? AND status='active'",
                       (visit["mdtrt_id"],))
    call.store.execute("UPDATE visit SET status='cancelled' WHERE mdtrt_id=?", (visit["mdtrt_id"],))
    return {}


def cancel_register(call: Call) -> dict[str, Any]:
    return _cancel_visit(call, "outpatient")


def cancel_admission(call: Call) -> dict[str, Any]:
    return _cancel_visit(call, "inpatient")


def discharge(call: Call) -> dict[str, Any]:
    data = call.data()
    visit = _visit(call, data, "inpatient")
    if visit["status"] != "open":
        raise ServiceError(f"stay {visit['mdtrt_id']} is {visit['status']}, not open")
    endtime = read_time(data, "endtime", call, default_now=True,
                        max_age_days=MAX_VISIT_AGE_DAYS).strftime("%Y-%m-%d %H:%M:%S")
    if endtime < visit["begntime"]:
        raise ServiceError(f"endtime {endtime} is before the admission time {visit['begntime']}")
    data.opt_text("dscg_way", max_len=6)
    # A stay already settled in full during the stay (mid_setl_flag) closes at discharge.
    nothing_left = not call.store.one("SELECT 1 FROM fee WHERE mdtrt_id=? AND status='active'", (visit["mdtrt_id"],))
    status = "settled" if nothing_left and _has_settled(call, visit["mdtrt_id"]) else "discharged"
    call.store.execute("UPDATE visit SET status=?, endtime=?, discharge_msgid=? WHERE mdtrt_id=?",
                       (status, endtime, call.msgid, visit["mdtrt_id"]))
    return {}


def cancel_discharge(call: Call) -> dict[str, Any]:
    data = call.data()
    visit = _visit(call, data, "inpatient")
    if visit["status"] != "discharged" or _has_settled(call, visit["mdtrt_id"]):
        raise ServiceError(f"stay {visit['mdtrt_id']} is not discharged-and-unsettled; cannot cancel discharge")
    call.store.execute("UPDATE visit SET status='open', endtime=NULL WHERE mdtrt_id=?", (visit["mdtrt_id"],))
    return {}


def _upload_fees(call: Call, kind: str) -> dict[str, Any]:
    entries = call.input.items("feedetail")
    first = entries[0]
    visit = _visit(call, first, kind)
    for f in entries[1:]:
        if f.text("mdtrt_id", max_len=40) != visit["mdtrt_id"] or f.text("psn_no", max_len=30) != visit["psn_no"]:
            raise ServiceError("all feedetail entries of one upload must belong to one visit and person")
    if visit["status"] not in ("open", "discharged"):
        raise ServiceError(f"visit {visit['mdtrt_id']} is {visit['status']}; fees cannot be added")
    lines = read_fee_lines(call, entries, "feedetail")
    existing = {row["feedetl_sn"] for row in call.store.all(
        "SELECT feedetl_sn FROM fee WHERE mdtrt_id=? AND status != 'cancelled'", (visit["mdtrt_id"],))}
    start = call.store.one("SELECT COALESCE(MAX(seq), 0) AS m FROM fee WHERE mdtrt_id=?", (visit["mdtrt_id"],))
    assert start is not None
    answers = []
    for n, (f, line) in enumerate(zip(entries, lines, strict=True), start=start["m"] + 1):
        if line.feedetl_sn in existing:
            raise ServiceError(f"feedetl_sn {line.feedetl_sn} was already uploaded for this visit")
        item = split_item(line, call.service.policy.class_b_selfpay_prop)
        answers.append(item.to_json())
        call.store.execute(
            "INSERT OR REPLACE INTO fee(mdtrt_id, feedetl_sn, chrg_bchno, msgid, seq, line, det_fen, status)"
            " VALUES (?,?,?,?,?,?,?,'active')",
            (visit["mdtrt_id"], line.feedetl_sn, f.opt_text("chrg_bchno", max_len=30) or "", call.msgid, n,
             json.dumps(item.to_json(), ensure_ascii=False), to_fen(item.det_item_fee_sumamt)))
    return {"feedetail": answers}


def upload_outpatient_fees(call: Call) -> dict[str, Any]:
    return _upload_fees(call, "outpatient")


def upload_inpatient_fees(call: Call) -> dict[str, Any]:
    return _upload_fees(call, "inpatient")


def _cancel_fees(call: Call, kind: str, key: str) -> dict[str, Any]:
    data = call.data()
    visit = _visit(call, data, kind)
    selector = data.text(key, max_len=30)
    sql = "UPDATE fee SET status='cancelled' WHERE mdtrt_id=? AND status='active'"
    params: tuple[Any, ...] = (visit["mdtrt_id"],)
    if selector != ALL_FEES:
        sql += f" AND {key} = ?"
        params += (selector,)
    if call.store.execute(sql, params).rowcount == 0:
        raise ServiceError(f"no unsettled fees match {key} {selector} in visit {visit['mdtrt_id']}")
    return {}


def cancel_outpatient_fees(call: Call) -> dict[str, Any]:
    return _cancel_fees(call, "outpatient", "chrg_bchno")


def cancel_inpatient_fees(call: Call) -> dict[str, Any]:
    return _cancel_fees(call, "inpatient", "feedetl_sn")


def _active_lines(call: Call, mdtrt_id: str, chrg_bchno: str | None) -> tuple[list[BasketLine], list[str]]:
    sql = "SELECT feedetl_sn, line FROM fee WHERE mdtrt_id=? AND status='active'"
    params: tuple[Any, ...] = (mdtrt_id,)
    if chrg_bchno not in (None, ALL_FEES):
        sql += " AND chrg_bchno=?"
        params += (chrg_bchno,)
    rows = call.store.all(sql + " ORDER BY seq", params)
    if not rows:
        raise ServiceError(f"visit {mdtrt_id} has no unsettled fees to settle; upload them first")
    policy_lines = []
    for row in rows:
        item = Fields(json.loads(row["line"]), "fee")
        catalog_item = call.service.catalog.get(item.text("med_list_codg"))
        if catalog_item is None:
            raise ServiceError(f"fee {row['feedetl_sn']}: {item.text('med_list_codg')} left the catalog")
        policy_lines.append(BasketLine(
            med_list_codg=catalog_item.med_list_codg, pric=item.decimal("pric"), cnt=item.decimal("cnt"),
            chrgitm_lv=ChargeClass(catalog_item.chrgitm_lv), selfpay_prop=catalog_item.selfpay_prop,
            pric_uplmt_amt=catalog_item.pric_uplmt_amt, feedetl_sn=row["feedetl_sn"],
            medins_list_codg=item.text("medins_list_codg"), fee_ocur_time=item.text("fee_ocur_time")))
    return policy_lines, [row["feedetl_sn"] for row in rows]


def _settle_visit(call: Call, kind: str, *, commit: bool) -> dict[str, Any]:
    data = call.data()
    visit = _visit(call, data, kind)
    cert = settling_person(call, data)
    person = cert.person
    acct_used = data.text("acct_used_flag", choices=("0", "1")) == "1"
    data.opt_text("psn_setlway", max_len=4)
    if visit["status"] not in ("open", "discharged"):
        raise ServiceError(f"visit {visit['mdtrt_id']} is {visit['status']}; it cannot be settled")
    mid_settlement = kind == "inpatient" and data.opt_text("mid_setl_flag", max_len=2) == "1"
    if kind == "inpatient" and visit["status"] != "discharged" and not mid_settlement:
        raise ServiceError(f"stay {visit['mdtrt_id']} is not discharged; discharge it (2402) or set mid_setl_flag 1")
    chrg_bchno = data.opt_text("chrg_bchno", max_len=30) if kind == "outpatient" else None
    lines, serials = _active_lines(call, visit["mdtrt_id"], chrg_bchno)
    check_total(data, lines)
    at = call.now
    result = compute(call, person, lines, visit["med_type"], acct_used, at)
    setl_id = call.new_id("S") if commit else None
    output = settlement_output(call, person, result, "feedetail", med_type=visit["med_type"],
                               cert_type=data.text("mdtrt_cert_type"), mdtrt_id=visit["mdtrt_id"],
                               setl_id=setl_id, at=at)
    if commit:
        assert setl_id is not None
        commit_settlement(call, person, result, output, mdtrt_id=visit["mdtrt_id"], setl_id=setl_id, at=at,
                          voucher_nonce=cert.voucher_nonce)
        call.store.conn.executemany("UPDATE fee SET status='settled', setl_id=? WHERE mdtrt_id=? AND feedetl_sn=?",
                                    [(setl_id, visit["mdtrt_id"], sn) for sn in serials])
        if kind == "inpatient" and visit["status"] == "discharged":
            # Settling a discharged stay closes it, whatever mid_setl_flag says.
            call.store.execute("UPDATE visit SET status='settled' WHERE mdtrt_id=?", (visit["mdtrt_id"],))
    return output


def pre_settle_outpatient(call: Call) -> dict[str, Any]:
    return _settle_visit(call, "outpatient", commit=False)


def settle_outpatient(call: Call) -> dict[str, Any]:
    return _settle_visit(call, "outpatient", commit=True)


def pre_settle_inpatient(call: Call) -> dict[str, Any]:
    return _settle_visit(call, "inpatient", commit=False)


def settle_inpatient(call: Call) -> dict[str, Any]:
    return _settle_visit(call, "inpatient", commit=True)


def _cancel_settlement(call: Call, kind: str, infno: str) -> dict[str, Any]:
    data = call.data()
    visit = _visit(call, data, kind)
    row = find_settlement(call, data.text("setl_id", max_len=40), visit["psn_no"], visit["mdtrt_id"])
    if row["infno"] != infno:
        raise ServiceError(f"settlement {row['setl_id']} was not made by {infno}")
    output = reverse_settlement(call, row)
    if kind == "inpatient":
        back_to = "discharged" if visit["endtime"] else "open"
        call.store.execute("UPDATE visit SET status=? WHERE mdtrt_id=?", (back_to, visit["mdtrt_id"]))
    return output


def cancel_outpatient_settlement(call: Call) -> dict[str, Any]:
    return _cancel_settlement(call, "outpatient", "2207")


def cancel_inpatient_settlement(call: Call) -> dict[str, Any]:
    return _cancel_settlement(call, "inpatient", "2304")


HANDLERS: dict[str, Handler] = {
    "2201": register,
    "2202": cancel_register,
    "2204": upload_outpatient_fees,
    "2205": cancel_outpatient_fees,
    "2206": pre_settle_outpatient,
    "2207": settle_outpatient,
    "2208": cancel_outpatient_settlement,
    "2401": admit,
    "2402": discharge,
    "2404": cancel_admission,
    "2405": cancel_discharge,
    "2301": upload_inpatient_fees,
    "2302": cancel_inpatient_fees,
    "2303": pre_settle_inpatient,
    "2304": settle_inpatient,
    "2305": cancel_inpatient_settlement,
}
