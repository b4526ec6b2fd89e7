"""Single-use e-vouchers, judged at a sale time they were valid at.

A voucher's nonce funds at most one standing settlement (2102, 2207, 2304), whether the
certificate is the voucher text or an ecToken that ec.query issued for it; a reversal (2103,
2208, 2305, or 2601 of the settlement) frees it; a pre-settlement (2101, 2206, 2303) checks it
but does not use it. A voucher text is judged at the sale's fee_ocur_time, which must lie in the
voucher's validity and not after the message arrived (with the service's clock skew).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    CONSULT,
    FIXMEDINS_CODE,
    ISSUER_KEY,
    MRI,
    InProcess,
    card,
    db_state,
    in_process,
    lines,
    new_msgid,
    now_text,
    psn,
    sale_input,
)

from terminal.voucher import CLOCK_SKEW_S, issue_voucher

# Long enough that a slow machine never sees a test's voucher expire by itself.
TTL_S = 900


@pytest.fixture
def service(tmp_path) -> Iterator[InProcess]:  # type: ignore[no-untyped-def]
    with in_process(tmp_path / "service.db") as svc:
        yield svc


def fresh_voucher(n: int = 13, *, issued: int | None = None) -> str:
    return issue_voucher(ISSUER_KEY, psn(n), now=int(time.time()) if issued is None else issued, ttl_s=TTL_S)


def text_cert(voucher: str) -> dict[str, str]:
    return {"mdtrt_cert_type": "01", "mdtrt_cert_no": voucher, "card_sn": ""}


def token_cert(service: InProcess, voucher: str) -> dict[str, str]:
    body = {"orgId": FIXMEDINS_CODE, "transType": "ec.query", "data": {"ecQrCode": voucher}}
    answer = service.ec_query(json.dumps(body).encode())
    assert answer["code"] == 0, answer["message"]
    return text_cert(answer["data"]["ecToken"])


def at(moment: float) -> str:
    return datetime.fromtimestamp(moment).strftime("%Y-%m-%d %H:%M:%S")


def sale(cert: dict[str, str], fee_time: str | None = None, n: int = 13) -> dict[str, Any]:
    out = sale_input(n, cert, lines((AMOXICILLIN, "1")))
    if fee_time is not None:
        out["data"]["fee_ocur_time"] = fee_time
    return out


def ok(answer: dict[str, Any]) -> dict[str, Any]:
    assert answer["infcode"] == 0, answer["err_msg"]
    output: dict[str, Any] = answer["output"]
    return output


def refused(service: InProcess, infno: str, input_: Any, expected: str) -> None:
    before = db_state(service.db)
    answer = service.call(infno, input_, new_msgid())
    assert answer["infcode"] == -1 and expected in answer["err_msg"], answer["err_msg"]
    assert db_state(service.db) == before


def balance(service: InProcess) -> Decimal:
    return Decimal(ok(service.call("1101", {"data": card(13)}, new_msgid()))["insuinfo"][0]["balc"])


def test_a_voucher_text_pays_for_one_sale(service: InProcess) -> None:
    voucher = fresh_voucher()
    done = ok(service.call("2102", sale(text_cert(voucher)), new_msgid()))
    refused(service, "2102", sale(text_cert(voucher)), "already paid")
    refused(service, "2101", sale(text_cert(voucher)), "already paid")  # a pre-settlement checks it too
    assert done["setlinfo"]["setl_id"]
    assert balance(service) == Decimal("7991.50")


@pytest.mark.parametrize("first,second", [("token", "token"), ("token", "text"), ("text", "token")])
def test_an_ecToken_counts_as_its_voucher(service: InProcess, first: str, second: str) -> None:
    voucher = fresh_voucher()
    certs = {"text": lambda: text_cert(voucher), "token": lambda: token_cert(service, voucher)}
    ok(service.call("2102", sale(certs[first]()), new_msgid()))
    refused(service, "2102", sale(certs[second]()), "already paid")


def test_a_pre_settlement_does_not_use_the_voucher(service: InProcess) -> None:
    cert = token_cert(service, fresh_voucher())
    for _ in range(3):
        ok(service.call("2101", sale(cert), new_msgid()))
    ok(service.call("2102", sale(cert), new_msgid()))


@pytest.mark.parametrize("reversal", ["2103", "2601"])
def test_a_reversal_frees_the_voucher(service: InProcess, reversal: str) -> None:
    cert = text_cert(fresh_voucher())
    msgid = new_msgid()
    done = ok(service.call("2102", sale(cert), msgid))
    if reversal == "2103":
        ok(service.call("2103", {"data": {"setl_id": done["setlinfo"]["setl_id"], "psn_no": psn(13)}}, new_msgid()))
    else:
        ok(service.call("2601", {"data": {"psn_no": psn(13), "omsgid": msgid, "oinfno": "2102"}}, new_msgid()))
    ok(service.call("2102", sale(cert), new_msgid()))
    refused(service, "2102", sale(cert), "already paid")


def visit_settlement(n: int, mdtrt_id: str, cert: dict[str, str], medfee: str, **extra: str) -> dict[str, Any]:
    return {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn(n), **cert, "medfee_sumamt": medfee, "insutype": "310",
                     "acct_used_flag": "1", "psn_setlway": "01", **extra}}


def fee(mdtrt_id: str, sn: str, code: str, pric: str) -> dict[str, Any]:
    return {"feedetl_sn": sn, "med_list_codg": code, "medins_list_codg": "H-" + code[:20], "pric": pric,
            "cnt": "1", "det_item_fee_sumamt": pric, "fee_ocur_time": now_text(-60), "mdtrt_id": mdtrt_id,
            "psn_no": psn(13), "chrg_bchno": "B" + sn}


def test_outpatient_settlement_uses_the_voucher_and_its_cancel_frees_it(service: InProcess) -> None:
    cert = token_cert(service, fresh_voucher())
    mdtrt_id = ok(service.call("2201", {"data": {"psn_no": psn(13), **cert, "med_type": "11", "ipt_otp_no": "OP-V",
                                                 "begntime": now_text(-120)}}, new_msgid()))["data"]["mdtrt_id"]
    ok(service.call("2204", {"feedetail": [fee(mdtrt_id, "0001", CONSULT, "10.00")]}, new_msgid()))
    ok(service.call("2206", visit_settlement(13, mdtrt_id, cert, "10.00"), new_msgid()))  # checks only
    done = ok(service.call("2207", visit_settlement(13, mdtrt_id, cert, "10.00"), new_msgid()))
    # A second visit, paid with the same voucher, is refused until the first settlement is cancelled.
    other = ok(service.call("2201", {"data": {"psn_no": psn(13), **card(13), "med_type": "11",
                                              "ipt_otp_no": "OP-W"}}, new_msgid()))["data"]["mdtrt_id"]
    ok(service.call("2204", {"feedetail": [fee(other, "0001", CONSULT, "10.00")]}, new_msgid()))
    refused(service, "2207", visit_settlement(13, other, cert, "10.00"), "already paid")
    refused(service, "2206", visit_settlement(13, other, cert, "10.00"), "already paid")
    ok(service.call("2208", {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn(13),
                                      "setl_id": done["setlinfo"]["setl_id"]}}, new_msgid()))
    ok(service.call("2207", visit_settlement(13, other, cert, "10.00"), new_msgid()))


def test_a_mid_stay_settlement_uses_the_voucher_and_its_cancel_frees_it(service: InProcess) -> None:
    cert = token_cert(service, fresh_voucher())
    mdtrt_id = ok(service.call("2401", {"data": {"psn_no": psn(13), **card(13), "med_type": "21", "ipt_no": "IP-V",
                                                 "begntime": now_text(-3600)}}, new_msgid()))["result"]["mdtrt_id"]
    ok(service.call("2301", {"feedetail": [fee(mdtrt_id, "0001", MRI, "480.00")]}, new_msgid()))
    ok(service.call("2303", visit_settlement(13, mdtrt_id, cert, "480.00", mid_setl_flag="1"), new_msgid()))
    done = ok(service.call("2304", visit_settlement(13, mdtrt_id, cert, "480.00", mid_setl_flag="1"), new_msgid()))
    ok(service.call("2301", {"feedetail": [fee(mdtrt_id, "0002", CONSULT, "10.00")]}, new_msgid()))
    refused(service, "2304", visit_settlement(13, mdtrt_id, cert, "10.00", mid_setl_flag="1"), "already paid")
    ok(service.call("2305", {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn(13),
                                      "setl_id": done["setlinfo"]["setl_id"]}}, new_msgid()))
    ok(service.call("2304", visit_settlement(13, mdtrt_id, cert, "490.00", mid_setl_flag="1"), new_msgid()))


def test_a_sale_time_after_the_message_arrived_is_refused(service: InProcess) -> None:
    now = int(time.time())
    # Valid from a minute ago for 15 minutes; the sale claims to happen 2 minutes from now, which
    # read_time's tolerance for clocks would let through, but a voucher cannot have paid for yet.
    voucher = fresh_voucher(issued=now - 60)
    refused(service, "2102", sale(text_cert(voucher), at(now + 120)), "after the message arrived")
    ok(service.call("2102", sale(text_cert(voucher), at(now + CLOCK_SKEW_S // 2)), new_msgid()))


def test_a_sale_time_outside_the_validity_is_refused(service: InProcess) -> None:
    issued = int(time.time()) - 3600
    voucher = fresh_voucher(issued=issued)
    refused(service, "2102", sale(text_cert(voucher), at(issued - CLOCK_SKEW_S - 5)), "not valid yet")
    refused(service, "2102", sale(text_cert(voucher), at(issued + TTL_S)), "expired")
    ok(service.call("2102", sale(text_cert(voucher), at(issued + TTL_S - 1)), new_msgid()))


def test_a_voucher_that_expired_six_days_ago_pays_at_most_once(service: InProcess) -> None:
    # The review's case: an offline sale made 6 days ago, forwarded now with the voucher text.
    issued = int(time.time()) - 6 * 24 * 3600
    voucher = issue_voucher(ISSUER_KEY, psn(13), now=issued)
    ok(service.call("2102", sale(text_cert(voucher), at(issued + 10)), new_msgid()))
    for _ in range(2):
        refused(service, "2102", sale(text_cert(voucher), at(issued + 10)), "already paid")
    assert balance(service) == Decimal("7991.50")
