"""Shared builders for the end-to-end tests of the simulated settlement service.

Everything here talks to the real service over HTTP: signed raw POSTs built with
requests (so tests control every header and byte), envelopes, certificates,
drug lines priced like a till would price them, identity checks of DESIGN.md,
and snapshots of the service's state for "this changed nothing" assertions.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import requests

from terminal.protocol import EC_QUERY_PATH, SERVICE_PATH, signature
from terminal.setting_fields import to_json
from terminal.settings import Settings
from terminal.sim.processes import REPO, ServiceProcess, plain_catalog_file, start_settlement_service
from terminal.voucher import issue_voucher, load_private_key

SETTINGS = Settings()  # the demo terminal the simulated service trusts
TERMINAL = to_json(SETTINGS.terminal)
FIXMEDINS_CODE: str = SETTINGS.terminal.fixmedins_code
PAASID: str = SETTINGS.service.paasid
TOKEN: str = SETTINGS.service.token
ISSUER_KEY = load_private_key(REPO / "config" / "demo-issuer-key.pem")
PERSONS: dict[str, dict[str, Any]] = {
    p["psn_no"]: p for p in json.loads((REPO / "config" / "persons.json").read_text(encoding="utf-8"))}
CATALOG: dict[str, dict[str, Any]] = {
    e["med_list_codg"]: e for e in json.loads((REPO / "config" / "catalog.json").read_text(encoding="utf-8"))}

CENT = Decimal("0.01")

def psn(n: int) -> str:
    """The demo person number ...0n (psn(1) is 12000000000000000001)."""
    return f"120000000000000000{n:02d}"


# Catalog codes used by name in the tests (class, cap and shelf price from config/catalog.json).
AMOXICILLIN = "XJ01CAA040E001010101000"   # A, cap 9.50, 8.50
IBUPROFEN = "XM01AEB051E002010101037"     # A, 15.80
METFORMIN = "XA10BAE015A001010101074"     # A, 12.60
NIFEDIPINE = "XC08CAX089A010010101111"    # B, cap 31.20, 33.50
ATORVASTATIN = "XC10AAA126A001010101148"  # B, cap 35.60, 39.80
LORATADINE = "XR06AXL135A001010101259"    # B, selfpay 0.05, 18.90
INSULIN = "XA10ABM052B002010101444"       # B, cap 380.00, 358.50
ASPIRIN = "XB01ACA056A012010101888"       # A, 15.50
AZITHROMYCIN = "XJ01FAA045A001010102110"  # A, 16.80
PARACETAMOL = "XN02BED019A001010102184"   # A, 3.20
VITAMIN_C = "XA11GAV026J001010102702"     # C, 23.80
CONSULT = "001102000010000"               # service A, 10.00
BLOOD_TEST = "002501010150000"            # service A, cap 25.00, 20.00
CT_HEAD = "002103000010000"               # service B, cap 240.00, 260.00
MRI = "002104000010000"                   # service B, selfpay 0.20, 480.00
BED = "001109000010000"                   # service A, cap 45.00, 40.00
NURSING = "001201000040000"               # service A, cap 36.00, 30.00
# The pharmacy rules of the demo catalog (the plain catalog has none of them):
PSEUDOEPHEDRINE = "XR01BAW061E002010102961"  # B, 19.80, boxed, restricted: at most 2 per person per sale
SALINE = "XB05BBL073B001010102443"           # A, 4.80, no barcode (no codes), prescription


def money(value: Decimal | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def amount_text(value: Decimal | str) -> str:
    return f"{money(value):.2f}"


def now_text(offset_s: float = 0) -> str:
    return (datetime.now() + timedelta(seconds=offset_s)).strftime("%Y-%m-%d %H:%M:%S")


# The conftest's SettlementClient numbers its msgids from 0000 each second; raw messages use
# 5000-9999 so the two never collide when a test uses both in the same second.
_SEQ = itertools.count(0)
_SEQ_LOCK = threading.Lock()


def new_msgid(code: str = FIXMEDINS_CODE) -> str:
    """fixmedins_code + yyyyMMddHHmmss + 4 digits, unique within this test run."""
    with _SEQ_LOCK:
        seq = 5000 + next(_SEQ) % 5000
    return f"{code}{datetime.now():%Y%m%d%H%M%S}{seq:04d}"


# ----- certificates

def card(n: int) -> dict[str, str]:
    p = PERSONS[psn(n)]
    return {"mdtrt_cert_type": "03", "mdtrt_cert_no": p["card_no"], "card_sn": p["card_sn"]}


def id_number(n: int) -> dict[str, str]:
    return {"mdtrt_cert_type": "02", "mdtrt_cert_no": PERSONS[psn(n)]["certno"], "card_sn": ""}


def voucher(n: int, *, holder: int | None = None, ttl_s: int = 120) -> str:
    return issue_voucher(ISSUER_KEY, psn(n), now=int(time.time()), ttl_s=ttl_s,
                         holder=psn(holder) if holder is not None else None)


# ----- basket lines

def line(code: str, cnt: str, pric: str | None = None, sn: str = "0001",
         fee_time: str | None = None) -> dict[str, str]:
    """A drugdetail entry priced as a till prices it: det = round(pric x cnt)."""
    price = pric if pric is not None else CATALOG[code]["pric"]
    out = {
        "feedetl_sn": sn,
        "med_list_codg": code,
        "medins_list_codg": "H-" + code[:20],
        "pric": price,
        "cnt": cnt,
        "det_item_fee_sumamt": amount_text(Decimal(price) * Decimal(cnt)),
    }
    if fee_time is not None:
        out["fee_ocur_time"] = fee_time
    return out


def with_codes(entry: dict[str, str], codes: list[str] | tuple[str, ...] = (), rx_no: str | None = None
               ) -> dict[str, str]:
    """A drugdetail entry with its boxes' traceability codes (comma-joined, as on the wire) and rx_no."""
    out = dict(entry)
    if codes:
        out["drug_trac_codg"] = ",".join(codes)
    if rx_no is not None:
        out["rx_no"] = rx_no
    return out


def lines(*specs: tuple[str, str] | tuple[str, str, str]) -> list[dict[str, str]]:
    """(code, cnt[, pric]) tuples -> entries numbered 0001, 0002, ... in the order given."""
    return [line(spec[0], spec[1], spec[2] if len(spec) > 2 else None, sn=f"{i:04d}")
            for i, spec in enumerate(specs, start=1)]


def total(entries: list[dict[str, str]]) -> str:
    return amount_text(sum((Decimal(e["det_item_fee_sumamt"]) for e in entries), Decimal(0)))


def sale_input(n: int, cert: dict[str, str], entries: list[dict[str, str]], *, acct_used: str = "1",
               medfee: str | None = None) -> dict[str, Any]:
    """2101/2102 input for person n."""
    return {
        "data": {
            "psn_no": psn(n), **cert, "med_type": "41",
            "medfee_sumamt": medfee if medfee is not None else total(entries),
            "insutype": PERSONS[psn(n)]["insutype"], "acct_used_flag": acct_used, "psn_setlway": "01",
            "fee_ocur_time": now_text(),
        },
        "drugdetail": entries,
    }


# ----- raw signed transport

class Raw:
    """Signed POSTs to the service with full control over envelope, headers and body."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def close(self) -> None:
        self.session.close()

    @staticmethod
    def headers(*, timestamp: int | None = None, nonce: str | None = None, paasid: str = PAASID,
                token: str = TOKEN) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce if nonce is not None else new_nonce()
        return {"x-tif-paasid": paasid, "x-tif-timestamp": ts, "x-tif-nonce": nonce,
                "x-tif-signature": signature(ts, token, nonce), "Content-Type": "application/json"}

    @staticmethod
    def envelope(infno: str, input_: Any, msgid: str | None = None, **overrides: Any) -> dict[str, Any]:
        env: dict[str, Any] = {
            "infno": infno, "msgid": msgid or new_msgid(),
            "mdtrtarea_admvs": TERMINAL["mdtrtarea_admvs"], "insuplc_admdvs": TERMINAL["insuplc_admdvs"],
            "recer_sys_code": TERMINAL["recer_sys_code"], "dev_no": TERMINAL["dev_no"], "dev_safe_info": "",
            "cainfo": "", "signtype": "SM3", "infver": "V1.0", "opter_type": "1", "opter": TERMINAL["opter"],
            "opter_name": TERMINAL["opter_name"], "inf_time": now_text(),
            "fixmedins_code": FIXMEDINS_CODE, "fixmedins_name": TERMINAL["fixmedins_name"], "sign_no": "",
            "input": input_,
        }
        env.update(overrides)
        return env

    def post(self, body: bytes, headers: dict[str, str] | None = None, path: str = SERVICE_PATH,
             timeout: float = 10.0) -> dict[str, Any]:
        """POST bytes; the service must answer HTTP 200 with a JSON object, whatever it got."""
        response = self.session.post(self.url + path, data=body,
                                     headers=self.headers() if headers is None else headers, timeout=timeout)
        assert response.status_code == 200, (response.status_code, response.text[:300])
        answer = response.json()
        assert isinstance(answer, dict)
        return answer

    def send(self, envelope: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.post(json.dumps(envelope, ensure_ascii=False).encode("utf-8"), headers)

    def call(self, infno: str, input_: Any, msgid: str | None = None, **overrides: Any) -> dict[str, Any]:
        answer = self.send(self.envelope(infno, input_, msgid, **overrides))
        assert answer["infcode"] in (0, -1), answer
        return answer

    def ok(self, infno: str, input_: Any, msgid: str | None = None, **overrides: Any) -> dict[str, Any]:
        """The output of an accepted message."""
        answer = self.call(infno, input_, msgid, **overrides)
        assert answer["infcode"] == 0, answer["err_msg"]
        output: dict[str, Any] = answer["output"]
        return output

    def refused(self, infno: str, input_: Any, msgid: str | None = None, **overrides: Any) -> str:
        """The err_msg of a refused message (which must be a real sentence)."""
        answer = self.call(infno, input_, msgid, **overrides)
        assert answer["infcode"] == -1, answer
        err: str = answer["err_msg"]
        assert isinstance(err, str) and len(err) >= 10, answer
        assert answer["output"] == {}, answer
        return err

    def ec_query(self, qr: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        body = {"orgId": FIXMEDINS_CODE, "transType": "ec.query",
                "data": {"ecQrCode": qr, "businessType": "01101", "operatorId": TERMINAL["opter"],
                         "operatorName": TERMINAL["opter_name"], "officeId": TERMINAL["dev_no"],
                         "officeName": TERMINAL["fixmedins_name"]}}
        return self.post(json.dumps(body).encode(), headers, path=EC_QUERY_PATH)

    def ec_token(self, qr: str) -> dict[str, str]:
        """ec.query a voucher; the e-voucher certificate (type 01) with the ecToken."""
        answer = self.ec_query(qr)
        assert answer["code"] == 0, answer
        return {"mdtrt_cert_type": "01", "mdtrt_cert_no": answer["data"]["ecToken"], "card_sn": ""}

    # ----- reading state through the protocol

    def person_info(self, cert: dict[str, str]) -> dict[str, Any]:
        return self.ok("1101", {"data": {**cert, "psn_cert_type": "", "certno": "", "psn_name": ""}})

    def balance(self, n: int) -> Decimal:
        return Decimal(self.person_info(card(n))["insuinfo"][0]["balc"])

    def totals(self, **filters: str) -> dict[str, str]:
        """What 3201 says the service holds for today (sent with zero totals)."""
        day = date.today().isoformat()
        out = self.ok("3201", {"data": {"setl_optins": None, "stmt_begndate": day, "stmt_enddate": day,
                                        "medfee_sumamt": "0.00", "fund_pay_sumamt": "0.00", "acct_pay": "0.00",
                                        "fixmedins_setl_cnt": "0", **filters}})
        return {k: out[k] for k in ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "fixmedins_setl_cnt")}

    def detail(self, **extra: Any) -> dict[str, Any]:
        """3202 from yesterday to tomorrow (so a run across midnight still sees everything)."""
        today = date.today()
        data = {"stmt_begndate": (today - timedelta(days=1)).isoformat(),
                "stmt_enddate": (today + timedelta(days=1)).isoformat()}
        return self.ok("3202", {"data": data, **extra})


# ----- identities of DESIGN.md

AMOUNT_FIELDS = ("medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
                 "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay",
                 "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "hosp_part_amt",
                 "balc", "acct_mulaid_pay")


def check_settlement(output: dict[str, Any], sent: list[dict[str, str]], item_key: str = "drugdetail"
                     ) -> dict[str, Decimal]:
    """Assert every identity of DESIGN.md on one settlement answer; return setlinfo's amounts."""
    info = output["setlinfo"]
    for name in AMOUNT_FIELDS:
        text = info[name]
        assert isinstance(text, str) and Decimal(text) == money(text) and "." in text \
            and len(text.split(".")[1]) == 2, (name, text)
    s = {name: Decimal(info[name]) for name in AMOUNT_FIELDS}
    assert s["medfee_sumamt"] == s["fulamt_ownpay_amt"] + s["overlmt_selfpay"] + s["preselfpay_amt"] \
        + s["inscp_scp_amt"], info
    assert s["medfee_sumamt"] == s["fund_pay_sumamt"] + s["psn_part_amt"], info
    assert s["psn_part_amt"] == s["acct_pay"] + s["acct_mulaid_pay"] + s["psn_cash_pay"], info
    assert s["fund_pay_sumamt"] == s["hifp_pay"], info  # other funds are 0 in the demo policy
    for name in ("acct_pay", "acct_mulaid_pay", "psn_cash_pay", "hifp_pay", "balc", "act_pay_dedc"):
        assert s[name] >= 0, (name, info)
    assert s["act_pay_dedc"] <= s["inscp_scp_amt"], info
    items = output[item_key]
    # Per-item answers come back in the order sent, one for one.
    assert [(i["feedetl_sn"], i["med_list_codg"]) for i in items] == \
        [(e["feedetl_sn"], e["med_list_codg"]) for e in sent]
    sums = dict.fromkeys(("det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt",
                          "inscp_scp_amt"), Decimal(0))
    for item, entry in zip(items, sent, strict=True):
        assert Decimal(item["pric"]) == Decimal(entry["pric"]) and Decimal(item["cnt"]) == Decimal(entry["cnt"])
        assert item["det_item_fee_sumamt"] == entry["det_item_fee_sumamt"]
        values = {k: Decimal(item[k]) for k in sums}
        assert values["det_item_fee_sumamt"] == values["fulamt_ownpay_amt"] + values["overlmt_amt"] \
            + values["preselfpay_amt"] + values["inscp_scp_amt"], item
        assert item["chrgitm_lv"] == CATALOG[entry["med_list_codg"]]["chrgitm_lv"]
        for k in sums:
            sums[k] += values[k]
    assert s["medfee_sumamt"] == sums["det_item_fee_sumamt"]
    assert s["fulamt_ownpay_amt"] == sums["fulamt_ownpay_amt"]
    assert s["overlmt_selfpay"] == sums["overlmt_amt"]
    assert s["preselfpay_amt"] == sums["preselfpay_amt"]
    assert s["inscp_scp_amt"] == sums["inscp_scp_amt"]
    return s


def expect(s: dict[str, Decimal], **expected: str) -> None:
    """Compare setlinfo amounts with hand-computed values (given as strings)."""
    got = {k: f"{s[k]:.2f}" for k in expected}
    assert got == expected


# ----- state snapshots

MONEY_TABLES = ("person", "usage", "settlement", "visit", "fee", "ec_token", "reversed_message", "signin",
                "sold_code")


def db_state(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row that carries money, usage, visits or identities (read-only, beside the service)."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in MONEY_TABLES}


def message_count(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM message").fetchone()[0])


def protocol_state(raw: Raw) -> dict[str, Any]:
    """What a terminal can see: every person's 1101 answer and 3201 totals."""
    people = {}
    for psn_no in PERSONS:
        people[psn_no] = raw.person_info(card(int(psn_no[-2:])))
    return {"persons": people, "totals": raw.totals()}


def new_nonce() -> str:
    import secrets

    return secrets.token_hex(16)


@contextlib.contextmanager
def module_service(tmp_path_factory: Any, name: str, *extra: str, plain_catalog: bool = True
                   ) -> Iterator[ServiceProcess]:
    """One service (fresh database) for a whole test module; on the plain catalog unless the module is about
    the pharmacy rules (see conftest's settlement_service)."""
    db = tmp_path_factory.mktemp(name) / "service.db"
    service = start_settlement_service(db, *extra, plain_catalog=plain_catalog)
    try:
        yield service
    finally:
        service.stop()


# ----- the service in this process (fast; the fuzz tests and storage tests use it)

class InProcess:
    """SettlementService.handle_call / handle_ec_query on a fresh database, no HTTP in between.

    An exception out of handle_call is what the HTTP layer would answer as "internal error": it
    fails the test that caused it.
    """

    def __init__(self, db: Path, *, plain_catalog: bool = True) -> None:
        from terminal.sim.settlement.server import ServiceFiles, service_factory

        self.db = db
        catalog = plain_catalog_file(db.parent) if plain_catalog else None
        self.service = service_factory(ServiceFiles(db=db, catalog=catalog))()

    def close(self) -> None:
        self.service.store.close()

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.service.handle_call(body, Raw.headers() if headers is None else headers)

    def send(self, envelope: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.post(json.dumps(envelope, ensure_ascii=False).encode("utf-8"), headers)

    def call(self, infno: str, input_: Any, msgid: str | None = None, **overrides: Any) -> dict[str, Any]:
        return self.send(Raw.envelope(infno, input_, msgid, **overrides))

    def ec_query(self, body: bytes, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.service.handle_ec_query(body, Raw.headers() if headers is None else headers)


@contextlib.contextmanager
def in_process(db: Path, *, plain_catalog: bool = True) -> Iterator[InProcess]:
    service = InProcess(db, plain_catalog=plain_catalog)
    try:
        yield service
    finally:
        service.close()
