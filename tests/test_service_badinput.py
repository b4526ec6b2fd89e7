"""End to end: bad input of every kind gets HTTP 200, infcode -1, a clear err_msg, and changes nothing.

"Changes nothing" is checked twice: through the protocol (every person's 1101
answer and the 3201 totals) and in the service's database (every row of the
tables holding money, usage, visits, settlements and identities).
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from doc_edits import DELETE, set_field
from service_helpers import (
    AMOXICILLIN,
    FIXMEDINS_CODE,
    ISSUER_KEY,
    NIFEDIPINE,
    Raw,
    card,
    db_state,
    id_number,
    lines,
    module_service,
    new_msgid,
    now_text,
    protocol_state,
    psn,
    sale_input,
    voucher,
)

from terminal.sim.processes import ServiceProcess
from terminal.voucher import issue_voucher

Send = Callable[[], dict[str, Any]]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with module_service(tmp_path_factory, "badinput") as svc:
        yield svc


@pytest.fixture(scope="module")
def raw(service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(service.url)
    # Some state to protect: a settled sale of 013.
    r.ok("2102", sale_input(13, card(13), lines((NIFEDIPINE, "1"))))
    yield r
    r.close()


def good_sale() -> dict[str, Any]:
    return sale_input(13, card(13), lines((AMOXICILLIN, "2"), (NIFEDIPINE, "1")))


def sale_with(mutate: Callable[[dict[str, Any]], None]) -> Callable[[Raw], Send]:
    """A 2102 for 013 that is valid except for what `mutate` does to its input."""
    def prepare(raw: Raw) -> Send:
        sale = good_sale()
        mutate(sale)
        envelope = raw.envelope("2102", sale)
        return lambda: raw.send(envelope)
    return prepare


def envelope_with(mutate: Callable[[dict[str, Any]], None]) -> Callable[[Raw], Send]:
    def prepare(raw: Raw) -> Send:
        envelope = raw.envelope("2102", good_sale())
        mutate(envelope)
        return lambda: raw.send(envelope)
    return prepare


def body(data: bytes) -> Callable[[Raw], Send]:
    return lambda raw: (lambda: raw.post(data))


def headers_with(**changes: Any) -> Callable[[Raw], Send]:
    """A valid 2102 whose signature headers are changed (None deletes a header)."""
    def prepare(raw: Raw) -> Send:
        data = json.dumps(raw.envelope("2102", good_sale())).encode()
        # A timestamp is given as a function of now: the case list is built when the module is
        # collected, minutes before a long suite runs the case.
        given = {k: v() if callable(v) else v for k, v in changes.items()}
        headers = raw.headers(**{k: v for k, v in given.items() if k in ("timestamp", "paasid", "token")})
        for name, value in given.items():
            if name.startswith("x_tif_"):
                header = name.replace("_", "-")
                if value is None:
                    del headers[header]
                else:
                    headers[header] = value
        return lambda: raw.post(data, headers)
    return prepare


def replayed_nonce(raw: Raw) -> Send:
    """The exact bytes and headers of a request that was answered already (it settled)."""
    data = json.dumps(raw.envelope("2102", sale_input(13, card(13), lines((AMOXICILLIN, "1"))))).encode()
    headers = raw.headers()
    assert raw.post(data, headers)["infcode"] == 0
    return lambda: raw.post(data, headers)


def nonce_reused_by_another_message(raw: Raw) -> Send:
    headers = raw.headers()
    raw.post(json.dumps(raw.envelope("1301", {"data": {"ver": ""}})).encode(), headers)
    data = json.dumps(raw.envelope("2102", good_sale())).encode()
    return lambda: raw.post(data, headers)




def cert_of(cert: dict[str, str] | Callable[[], dict[str, str]], psn_no: str | None = None
            ) -> Callable[[dict[str, Any]], None]:
    """Replace the certificate; vouchers are made when the case runs (they live 120 s)."""
    def mutate(sale: dict[str, Any]) -> None:
        sale["data"].update(cert() if callable(cert) else cert)
        if psn_no is not None:
            sale["data"]["psn_no"] = psn_no
    return mutate


def tampered_voucher() -> str:
    prefix, payload, sig = voucher(13).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["psn_no"] = psn(9)  # someone else's account, keeping 013's signature
    forged = base64.urlsafe_b64encode(json.dumps(claims, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"{prefix}.{forged}.{sig}"


def other_key_voucher() -> str:
    return issue_voucher(Ed25519PrivateKey.generate(), psn(13), now=int(time.time()))


def voucher_cert(make: Callable[[], str]) -> Callable[[], dict[str, str]]:
    return lambda: {"mdtrt_cert_type": "01", "mdtrt_cert_no": make(), "card_sn": ""}


def unknown_person_voucher() -> str:
    return issue_voucher(ISSUER_KEY, "99999999999999999999", now=int(time.time()))


def expired_ec_token(raw: Raw, service: ServiceProcess) -> dict[str, str]:
    """An ecToken from a real ec.query, aged past its expiry in the service's database."""
    cert = raw.ec_token(voucher(13))
    with closing(sqlite3.connect(service.db, timeout=10)) as conn, conn:
        conn.execute("UPDATE ec_token SET expires_at = ? WHERE token = ?",
                     (int(time.time()) - 1, cert["mdtrt_cert_no"]))
    return cert


def line_with(**fields: str) -> Callable[[dict[str, Any]], None]:
    def mutate(sale: dict[str, Any]) -> None:
        sale["drugdetail"][0].update(fields)
        sale["data"]["medfee_sumamt"] = "0.00"  # never reached: the line is refused first
    return mutate


CASES: list[tuple[str, Callable[[Raw], Send], str]] = [
    # --- transport and body
    ("random bytes", body(os.urandom(512)), "not UTF-8 JSON"),
    ("random bytes 2", body(b"\xff\xfe" + os.urandom(64)), "not UTF-8 JSON"),
    ("empty body", body(b""), "not valid JSON"),
    ("JSON array body", body(b'[{"infno": "2102"}]'), "must be a JSON object"),
    ("JSON string body", body(b'"2102"'), "must be a JSON object"),
    ("2 MB body", body(b'{"infno": "2102", "pad": "' + b"x" * (2 << 20) + b'"}'), "larger than"),
    ("truncated JSON", body(b'{"infno": "2102", "msgid": '), "not valid JSON"),
    # --- signature headers
    ("bad signature", headers_with(x_tif_signature="0" * 64), "bad x-tif-signature"),
    ("signature with another token", headers_with(token="not-the-token"), "bad x-tif-signature"),
    ("wrong paasid", headers_with(paasid="someone-else"), "unknown x-tif-paasid"),
    ("timestamp 301 s behind", headers_with(timestamp=lambda: int(time.time()) - 301), "more than 300 s"),
    ("timestamp 400 s ahead", headers_with(timestamp=lambda: int(time.time()) + 400), "more than 300 s"),
    ("timestamp not a number", headers_with(x_tif_timestamp="yesterday"), "unix seconds"),
    ("missing signature", headers_with(x_tif_signature=None), "are required"),
    ("missing nonce", headers_with(x_tif_nonce=None), "are required"),
    ("missing paasid", headers_with(x_tif_paasid=None), "are required"),
    ("missing timestamp", headers_with(x_tif_timestamp=None), "are required"),
    ("replayed request", replayed_nonce, "already used"),
    ("nonce reused by another message", nonce_reused_by_another_message, "already used"),
    # --- envelope
    ("unknown infno", envelope_with(set_field("infno", "9999")), "unknown infno"),
    ("infno as a number", envelope_with(set_field("infno", 2102)), "must be a string"),
    ("missing infno", envelope_with(set_field("infno", DELETE)), "infno is required"),
    ("missing msgid", envelope_with(set_field("msgid", DELETE)), "msgid is required"),
    ("short msgid", envelope_with(set_field("msgid", FIXMEDINS_CODE + "2024")), "msgid must be"),
    ("msgid with letters", envelope_with(set_field("msgid", FIXMEDINS_CODE + "2024010112000A0001")),
     "msgid must be"),
    ("msgid of another institution", envelope_with(set_field("msgid", new_msgid("P99999999999"))),
     "msgid must be"),
    ("fixmedins_code too short", envelope_with(set_field("fixmedins_code", "P1201")), "fixmedins_code"),
    ("inf_time malformed", envelope_with(set_field("inf_time", "2024/01/01 12:00:00")), "inf_time"),
    ("inf_time not a date", envelope_with(set_field("inf_time", "2024-02-30 12:00:00")), "inf_time"),
    ("input missing", envelope_with(set_field("input", DELETE)), "input must be a JSON object"),
    ("input is a list", envelope_with(set_field("input", [good_sale()])), "input must be a JSON object"),
    ("input is a string", envelope_with(set_field("input", "{}")), "input must be a JSON object"),
    ("opter is an object", envelope_with(set_field("opter", {"id": 1})), "opter must be a string"),
    # --- missing and wrong-typed fields
    ("data missing", sale_with(set_field("data", DELETE)), "input.data is required"),
    ("data is a list", sale_with(lambda s: s.update(data=[s["data"]])), "input.data must be a JSON object"),
    ("drugdetail missing", sale_with(set_field("drugdetail", DELETE)), "drugdetail must be a list"),
    ("drugdetail empty", sale_with(set_field("drugdetail", [])), "must not be empty"),
    ("drugdetail is an object", sale_with(lambda s: s.update(drugdetail=s["drugdetail"][0])),
     "drugdetail must be a list"),
    ("drugdetail entry is a list", sale_with(set_field("drugdetail.0", ["XJ", "1"])), "must be a JSON object"),
    ("psn_no missing", sale_with(set_field("data.psn_no", DELETE)), "psn_no is required"),
    ("psn_no as a number", sale_with(set_field("data.psn_no", 12000000000000000013)), "must be a string"),
    ("pric in exponent notation", sale_with(set_field("drugdetail.0.pric", 1e20)), "exponent notation"),
    ("cnt as a list", sale_with(set_field("drugdetail.0.cnt", ["2"])), "must be a decimal number"),
    ("cnt as a bool", sale_with(set_field("drugdetail.0.cnt", True)), "must be a decimal number"),
    ("med_list_codg missing", sale_with(set_field("drugdetail.0.med_list_codg", DELETE)),
     "med_list_codg is required"),
    ("acct_used_flag 2", sale_with(set_field("data.acct_used_flag", "2")), "acct_used_flag must be one of"),
    ("mdtrt_cert_type 09", sale_with(set_field("data.mdtrt_cert_type", "09")), "mdtrt_cert_type must be one of"),
    ("med_type 11 on 2102", sale_with(set_field("data.med_type", "11")), "med_type 41"),
    # --- quantities, prices and amounts
    ("cnt -1", sale_with(line_with(cnt="-1")), "cnt must be at least 0"),
    ("cnt 0", sale_with(line_with(cnt="0")), "cnt must not be zero"),
    ("cnt 1e9", sale_with(line_with(cnt="1e9")), "drugdetail[0].cnt"),
    ("cnt with 5 places", sale_with(line_with(cnt="1.00001")), "more than 4 decimal places"),
    ("pric -1", sale_with(line_with(pric="-1")), "pric must be at least 0"),
    ("pric 1e9", sale_with(line_with(pric="1e9")), "drugdetail[0].pric"),
    ("pric with 5 places", sale_with(line_with(pric="8.50001")), "more than 4 decimal places"),
    ("pric NaN", sale_with(line_with(pric="NaN")), "drugdetail[0].pric"),
    ("pric Infinity", sale_with(line_with(pric="Infinity")), "drugdetail[0].pric"),
    ("pric text", sale_with(line_with(pric="eight")), "drugdetail[0].pric"),
    ("pric 40 digits", sale_with(line_with(pric="1" * 40)), "drugdetail[0].pric"),
    ("cnt 1000000", sale_with(line_with(cnt="1000000")), "drugdetail[0].cnt must be at most"),
    ("pric 10000000", sale_with(line_with(pric="10000000")), "drugdetail[0].pric must be at most"),
    ("det_item_fee_sumamt not pric x cnt", sale_with(line_with(det_item_fee_sumamt="17.01")),
     "is not pric x cnt"),
    ("det_item_fee_sumamt with 3 places", sale_with(line_with(det_item_fee_sumamt="17.005")),
     "more than 2 decimal places"),
    ("det_item_fee_sumamt negative", sale_with(line_with(pric="0", det_item_fee_sumamt="-1.00")),
     "at least 0"),
    ("medfee_sumamt not the sum", sale_with(set_field("data.medfee_sumamt", "50.51")), "not the sum"),
    ("medfee_sumamt negative", sale_with(set_field("data.medfee_sumamt", "-50.50")), "at least 0"),
    ("medfee_sumamt absurd", sale_with(set_field("data.medfee_sumamt", "1e12")), "data.medfee_sumamt"),
    ("fee_ocur_time malformed", sale_with(set_field("data.fee_ocur_time", "yesterday")), "fee_ocur_time"),
    ("fee_ocur_time in the future", sale_with(set_field("data.fee_ocur_time", now_text(3600))), "in the future"),
    ("repeated feedetl_sn", sale_with(lambda s: s["drugdetail"].append(dict(s["drugdetail"][0]))),
     "appears twice"),
    # --- persons and catalog
    ("unknown card", sale_with(cert_of({"mdtrt_cert_no": "T99999999"})), "no insured person"),
    ("unknown ID number", sale_with(cert_of({"mdtrt_cert_type": "02", "mdtrt_cert_no": "110101190001011234",
                                             "card_sn": ""})), "no insured person"),
    ("psn_no of someone else", sale_with(set_field("data.psn_no", psn(9))), "does not match"),
    ("unknown psn_no", sale_with(set_field("data.psn_no", "99999999999999999999")), "does not match"),
    ("card_sn of another card", sale_with(set_field("data.card_sn", card(9)["card_sn"])), "card_sn does not match"),
    ("card_sn missing", sale_with(set_field("data.card_sn", DELETE)), "card_sn is required"),
    ("insutype not the person's", sale_with(set_field("data.insutype", "390")), "insurance type"),
    ("unknown catalog code", sale_with(line_with(med_list_codg="XX00NOTINCATALOG000")), "not in the catalog"),
    ("malformed catalog code", sale_with(line_with(med_list_codg="DROP TABLE person;")), "malformed"),
    ("suspended insurance", sale_with(cert_of(card(7), psn(7))), "suspended"),
    ("suspended by ID number", sale_with(cert_of(id_number(7), psn(7))), "suspended"),
    # --- e-vouchers and ecTokens
    ("expired voucher", sale_with(cert_of(voucher_cert(lambda: voucher(13, ttl_s=-10)))), "expired"),
    ("tampered voucher", sale_with(cert_of(voucher_cert(tampered_voucher), psn(9))), "security check"),
    ("voucher from another key", sale_with(cert_of(voucher_cert(other_key_voucher))), "security check"),
    ("voucher of an unknown person", sale_with(cert_of(voucher_cert(unknown_person_voucher),
                                                       "99999999999999999999")), "not insured here"),
    ("not a voucher", sale_with(cert_of(voucher_cert(lambda: "NHSAEC1.bm90.anVuaw"))), "not a medical-insurance"),
    ("unknown ecToken", sale_with(cert_of(voucher_cert(lambda: "EC" + "0" * 30))), "unknown ecToken"),
    # --- other messages
    ("2103 of an unknown settlement", lambda raw: (lambda: raw.send(raw.envelope(
        "2103", {"data": {"setl_id": "S2024", "psn_no": psn(13)}}))), "no settlement"),
    ("1101 with the wrong name", lambda raw: (lambda: raw.send(raw.envelope(
        "1101", {"data": {**card(13), "psn_name": "Nobody"}}))), "psn_name does not match"),
    ("2601 of a message of another person", lambda raw: (lambda: raw.send(raw.envelope(
        "2601", {"data": {"psn_no": psn(9), "omsgid": raw.detail()["detail"][0]["medins_setl_id"],
                          "oinfno": "2102"}}))), "settled nothing for person"),
    ("3201 with a total of 3 places", lambda raw: (lambda: raw.send(raw.envelope(
        "3201", {"data": {"stmt_begndate": "2024-01-01", "stmt_enddate": "2024-01-01", "medfee_sumamt": 0.001,
                          "fund_pay_sumamt": "0.00", "acct_pay": "0.00", "fixmedins_setl_cnt": "0"}}))),
     "more than 2 decimal places"),
]


def state(service: ServiceProcess, raw: Raw) -> tuple[Any, Any]:
    return db_state(service.db), protocol_state(raw)


@pytest.mark.parametrize("prepare,expected", [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(service: ServiceProcess, raw: Raw,
                                                  prepare: Callable[[Raw], Send], expected: str) -> None:
    send = prepare(raw)
    before = state(service, raw)
    answer = send()  # Raw.post asserts HTTP 200 and a JSON object
    assert answer["infcode"] == -1, answer
    assert expected in answer["err_msg"], answer["err_msg"]
    assert answer["output"] == {}
    assert state(service, raw) == before


def test_expired_ec_token_is_refused(service: ServiceProcess, raw: Raw) -> None:
    cert = expired_ec_token(raw, service)
    before = state(service, raw)
    err = raw.refused("2102", sale_input(13, cert, lines((AMOXICILLIN, "1"))))
    assert "ecToken has expired" in err
    assert "ecToken has expired" in raw.refused("1101", {"data": cert})
    assert state(service, raw) == before


@pytest.mark.parametrize("make_qr,expected", [
    (lambda: voucher(13, ttl_s=-10), "expired"),
    (tampered_voucher, "security check"),
    (other_key_voucher, "security check"),
    (lambda: "https://example.com/not-a-voucher", "not a medical-insurance"),
    (lambda: "NHSAEC1." + "A" * 2000 + ".x", "not a medical-insurance"),
    (lambda: voucher(3, holder=9), "not the family holder"),
    (unknown_person_voucher, "not insured here"),
], ids=["expired", "tampered", "other key", "a URL", "too long", "wrong holder", "unknown person"])
def test_ec_query_refuses_bad_vouchers(service: ServiceProcess, raw: Raw, make_qr: Callable[[], str],
                                       expected: str) -> None:
    before = db_state(service.db)
    answer = raw.ec_query(make_qr())
    assert answer["code"] == -1 and expected in answer["message"] and answer["data"] is None
    assert db_state(service.db) == before


@pytest.mark.parametrize("payload,expected", [
    (b"\x00\x01garbage", "not valid JSON"),
    (b"[]", "must be a JSON object"),
    (json.dumps({"orgId": FIXMEDINS_CODE, "transType": "ec.pay", "data": {"ecQrCode": "x"}}).encode(),
     "transType"),
    (json.dumps({"orgId": FIXMEDINS_CODE, "transType": "ec.query"}).encode(), "data is required"),
    (json.dumps({"orgId": FIXMEDINS_CODE, "transType": "ec.query", "data": {"ecQrCode": 5}}).encode(),
     "must be a string"),
], ids=["bytes", "array", "transType", "no data", "number"])
def test_ec_query_refuses_bad_bodies(service: ServiceProcess, raw: Raw, payload: bytes, expected: str) -> None:
    from terminal.protocol import EC_QUERY_PATH

    before = db_state(service.db)
    answer = raw.post(payload, path=EC_QUERY_PATH)
    assert answer["code"] == -1 and expected in answer["message"]
    assert db_state(service.db) == before


def test_ec_query_needs_a_signature(service: ServiceProcess, raw: Raw) -> None:
    headers = raw.headers(token="wrong")
    answer = raw.ec_query(voucher(13), headers=headers)
    assert answer["code"] == -1 and "signature" in answer["message"]


def test_other_paths_and_methods_are_not_500(service: ServiceProcess, raw: Raw) -> None:
    import requests

    from terminal.protocol import SERVICE_PATH

    with requests.Session() as s:
        assert s.get(service.url + SERVICE_PATH, timeout=5).status_code == 405
        assert s.post(service.url + "/nowhere", data=b"{}", timeout=5).status_code == 404
