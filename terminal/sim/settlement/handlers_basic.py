"""Sign-in/out (9001/9002), person info (1101), catalog download (1301), ec.query."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from terminal.money import fmt_amount
from terminal.sim.settlement.call import Call, Handler, ServiceError
from terminal.sim.settlement.identity import (
    check_names_match,
    check_voucher,
    issue_ec_token,
    person_for_cert,
    person_json,
    voucher_person,
)


def sign_in(call: Call) -> dict[str, Any]:
    f = call.input.obj("signIn")
    opter_no = f.text("opter_no", max_len=30)
    f.opt_text("mac", max_len=64)
    f.opt_text("ip", max_len=64)
    sign_no = call.new_id("SN")
    call.store.execute("INSERT INTO signin(sign_no, opter_no, fixmedins_code, sign_time) VALUES (?,?,?,?)",
                       (sign_no, opter_no, call.fixmedins_code, call.now_text))
    return {"signinoutb": {"sign_no": sign_no, "sign_time": call.now_text}}


def sign_out(call: Call) -> dict[str, Any]:
    f = call.input.obj("signOut")
    sign_no = f.text("sign_no", max_len=40)
    f.text("opter_no", max_len=30)
    cursor = call.store.execute(
        "UPDATE signin SET signed_out = 1 WHERE sign_no = ? AND fixmedins_code = ? AND signed_out = 0",
        (sign_no, call.fixmedins_code))
    if cursor.rowcount != 1:
        raise ServiceError(f"sign_no {sign_no} is not signed in at this institution")
    return {"signoutoutb": {"sign_time": call.now_text}}


def person_info(call: Call) -> dict[str, Any]:
    data = call.data()
    person = person_for_cert(call, data)
    check_names_match(data, person)
    if not person.insured:
        call.warn("the person's insurance is suspended: insurance sales will be refused")
    output: dict[str, Any] = {
        "baseinfo": person_json(person, call.now),
        "insuinfo": [{
            "balc": fmt_amount(person.balc),
            "insutype": person.insutype,
            "psn_type": person.psn_type,
            "psn_insu_stas": person.psn_insu_stas,
            "cvlserv_flag": person.cvlserv_flag,
            "insuplc_admdvs": person.insuplc_admdvs,
            "emp_name": person.emp_name,
        }],
        "idetinfo": [],
    }
    if person.holder is not None:
        # Beyond the national message: a terminal needs the holder's balance to
        # estimate family mutual aid while offline.
        holder = call.store.person(person.holder)
        assert holder is not None
        output["famlinfo"] = {"holder_psn_no": holder.psn_no, "holder_name": holder.psn_name,
                              "holder_balc": fmt_amount(holder.balc)}
    return output


def catalog_version(entries: list[dict[str, Any]], policy: dict[str, Any]) -> str:
    blob = json.dumps([entries, policy], sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def catalog_download(call: Call) -> dict[str, Any]:
    if call.input.has("data"):
        call.data().opt_text("ver", max_len=40)
    entries = call.store.catalog()
    policy = call.service.policy.to_json()
    return {"catalog": entries, "policy": policy, "ver": catalog_version(entries, policy),
            "record_cnt": len(entries)}


def ec_query(call: Call) -> dict[str, Any]:
    """The e-voucher platform: QR text in, ecToken and the person out."""
    data = call.input.obj("data")
    qr = data.text("ecQrCode", max_len=4096)
    trans = call.input.text("transType", max_len=20)
    if trans != "ec.query":
        raise ServiceError(f"transType must be ec.query, got {trans[:20]!r}")
    for name in ("businessType", "operatorId", "operatorName", "officeId", "officeName"):
        data.opt_text(name, max_len=100)
    claims = check_voucher(call.service, qr, call.unix_now)
    person = voucher_person(call, claims)
    return {
        "ecToken": issue_ec_token(call, claims),
        "idNo": person.certno,
        "idType": person.psn_cert_type,
        "userName": person.psn_name,
        "insuOrg": person.insuplc_admdvs,
        "ecIndexNo": hashlib.sha256(person.psn_no.encode()).hexdigest()[:32].upper(),
        "gender": person.gend,
        "birthday": person.brdy.isoformat(),
    }


HANDLERS: dict[str, Handler] = {
    "9001": sign_in,
    "9002": sign_out,
    "1101": person_info,
    "1301": catalog_download,
}
