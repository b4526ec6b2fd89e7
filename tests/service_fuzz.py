"""Generated requests for fuzzing the settlement service, and the property every answer must hold.

Shared by tests/test_service_fuzz.py (CI's short run) and bench/fuzz_service.py (long runs).
A request is a body and signature headers for the message endpoint or ec.query: envelopes whose
fields are valid, missing, of the wrong type or odd; message inputs for every infno built from a
plausible template (real persons, catalog codes, visits and settlements of the database) with a
few fields replaced, removed or added; and raw bodies that are not what they claim. Values include
huge and odd numbers (thousands of digits, exponents, NaN), text with lone surrogates, fullwidth,
Arabic-Indic and superscript digits, deep nesting, and valid-looking values that do not belong
together (another person's visit, a wrong total).

The property: a well-formed answer (infcode 0/-1, or code 0/-1 for ec.query) that the HTTP layer
can send, never "internal error", and a refusal changes no money, person, visit or settlement row.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import strategies as st
from service_helpers import (
    CATALOG,
    FIXMEDINS_CODE,
    ISSUER_KEY,
    PERSONS,
    Raw,
    amount_text,
    card,
    id_number,
    line,
    new_msgid,
    now_text,
    psn,
)

from terminal.sim.settlement.service import HANDLERS
from terminal.voucher import issue_voucher

INFNOS = sorted(HANDLERS)
ANSWER_KEYS = {"infcode", "inf_refmsgid", "refmsg_time", "respond_time", "err_msg", "warn_msg", "output"}
PEOPLE = sorted(int(p[-2:]) for p in PERSONS)
DRUGS = [code for code, entry in CATALOG.items() if entry.get("list_type") == "drug" and entry.get("pric")][:12]
SERVICES = [code for code, entry in CATALOG.items() if entry.get("list_type") == "service" and entry.get("pric")]
DIGITS = {"fullwidth": "０１２３４５６７８９", "arabic": "٠١٢٣٤٥٦٧٨٩", "superscript": "⁰¹²³⁴⁵⁶⁷⁸⁹"}


@dataclass(frozen=True)
class RawJson:
    """JSON text written exactly as given: a number ("1E+400", "0.1000000", 5000 digits) or deep nesting
    (kept as text so that building, copying and encoding it never recurses)."""

    text: str


def encode(value: Any) -> str:
    """JSON text; non-ASCII escaped (so lone surrogates travel as \\udxxx escapes, as JSON allows)."""
    if isinstance(value, RawJson):
        return value.text
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(str(k))}:{encode(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(encode(v) for v in value) + "]"
    return json.dumps(value)


# ----- values

def odd_digits(text: str, kind: str) -> str:
    return text.translate(str.maketrans("0123456789", DIGITS[kind]))


SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
TEXT = st.text(max_size=12) | st.builds(lambda a, s, b: a + s + b, st.text(max_size=4), SURROGATE,
                                        st.text(max_size=4))
NUMBER_TEXT = st.sampled_from([
    "0", "-0", "1", "-1", "8.5", "8.500000", "8.5000000", "17.00", "0.0001", "0.00001", "1e3", "1E+400", "-2E-9",
    "NaN", "Infinity", "-Infinity", "1" * 41, "9" * 5000, "0." + "0" * 60 + "1", "100000000.01", "1000000.0001",
]).map(RawJson)
NUMBER = NUMBER_TEXT | st.integers() | st.integers(min_value=-(10**60), max_value=10**60) \
    | st.decimals(allow_nan=False, allow_infinity=False, places=6).map(lambda d: RawJson(str(d))) \
    | st.floats(allow_nan=False, allow_infinity=False)
TIME_LIKE = st.builds(odd_digits, st.builds(now_text, st.integers(-400, 400)), st.sampled_from(sorted(DIGITS))) \
    | st.sampled_from(["2024-02-30 12:00:00", "0001-01-01 00:00:00", "9999-12-31 23:59:59", "yesterday",
                       "2024-1-1 1:1:1", now_text(), now_text(-86400 * 40)])
DECIMAL_TEXT = st.sampled_from(["12.30", "12.3", "8.500000", "17.000", "1e2", "١٢", "１２.３", " 5 ", ".5", "5.",
                                "-0.00", "0", "1" * 33])


def deep(levels: int) -> RawJson:
    return RawJson("[" * levels + "]" * levels)


SCALAR = st.none() | st.booleans() | NUMBER | TEXT | TIME_LIKE | DECIMAL_TEXT
ODD = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3)
                   | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8) \
    | st.sampled_from([30, 33, 200, 5000]).map(deep)


# ----- what the database holds, so inputs can name real visits and settlements

@dataclass
class World:
    """Identifiers the generated inputs may use (filled by `seed_world`)."""

    visits: list[tuple[str, int, str]] = field(default_factory=list)  # (mdtrt_id, person, med_type)
    fee_totals: dict[str, str] = field(default_factory=dict)  # what each visit's seeded fees add up to
    settlements: list[tuple[str, int]] = field(default_factory=list)  # (setl_id, person)
    msgids: list[str] = field(default_factory=list)
    ec_tokens: dict[int, str] = field(default_factory=dict)
    sign_nos: list[str] = field(default_factory=list)


def seed_world(call: Callable[[str, Any, str], dict[str, Any]], ec_token: Callable[[str], str]) -> World:
    """Sales, outpatient visits and stays with fees, a sign-in and ecTokens."""
    world = World()

    def ok(infno: str, input_: Any) -> dict[str, Any]:
        msgid = new_msgid()
        answer = call(infno, input_, msgid)
        assert answer["infcode"] == 0, answer["err_msg"]
        world.msgids.append(msgid)
        output: dict[str, Any] = answer["output"]
        return output

    # Settlements for reversals to name (generation must not depend on what the fuzz itself settles).
    for n in (13, 11, 9, 2, 6, 1):
        done = ok("2102", sale(n, card(n), [line(DRUGS[n % 3], "1")]))
        world.settlements.append((done["setlinfo"]["setl_id"], n))
    for n, med_type, infno, codes in ((13, "11", "2204", SERVICES[:2]), (2, "11", "2204", SERVICES[1:3]),
                                      (9, "21", "2301", SERVICES[:3]), (5, "21", "2301", SERVICES[2:4])):
        opened = ok("2201" if med_type == "11" else "2401", visit_open(n, med_type))
        mdtrt_id = (opened.get("data") or opened["result"])["mdtrt_id"]
        uploaded = fees(mdtrt_id, n, codes)
        ok(infno, {"feedetail": uploaded})
        world.visits.append((mdtrt_id, n, med_type))
        world.fee_totals[mdtrt_id] = amount_text(str(sum(float(f["det_item_fee_sumamt"]) for f in uploaded)))
    world.sign_nos.append(ok("9001", {"signIn": {"opter_no": "0001", "mac": "", "ip": ""}})["signinoutb"]["sign_no"])
    for n in (1, 9, 11, 13):
        world.ec_tokens[n] = ec_token(voucher_text(n, ttl_s=3600))
    return world


def voucher_text(n: int, *, ttl_s: int = 600, key: Ed25519PrivateKey | None = None) -> str:
    return issue_voucher(key or ISSUER_KEY, psn(n), now=int(time.time()), ttl_s=ttl_s)


def sale(n: int, cert: dict[str, str], entries: list[dict[str, str]]) -> dict[str, Any]:
    total = sum((float(e["det_item_fee_sumamt"]) for e in entries), 0.0)
    return {"data": {"psn_no": psn(n), **cert, "med_type": "41", "medfee_sumamt": amount_text(str(round(total, 2))),
                     "insutype": PERSONS[psn(n)]["insutype"], "acct_used_flag": "1", "psn_setlway": "01",
                     "fee_ocur_time": now_text()},
            "drugdetail": entries}


def visit_open(n: int, med_type: str) -> dict[str, Any]:
    key = "ipt_otp_no" if med_type == "11" else "ipt_no"
    return {"data": {"psn_no": psn(n), **card(n), "med_type": med_type, key: "V-1", "begntime": now_text(-600)}}


def fees(mdtrt_id: str, n: int, codes: list[str], first_sn: int = 1) -> list[dict[str, str]]:
    return [{**line(code, "1", sn=f"{i:04d}", fee_time=now_text(-60)), "mdtrt_id": mdtrt_id, "psn_no": psn(n),
             "chrg_bchno": "B1"} for i, code in enumerate(codes, start=first_sn)]


# ----- plausible inputs, one template per infno

@st.composite
def certificate(draw: st.DrawFn, n: int, world: World) -> dict[str, str]:
    kind = draw(st.sampled_from(["card", "card", "id", "voucher", "token", "expired", "forged", "odd"]))
    if kind == "card" or (kind == "token" and n not in world.ec_tokens):
        return card(n)
    if kind == "id":
        return id_number(n)
    if kind == "odd":
        return {"mdtrt_cert_type": draw(st.sampled_from(["01", "02", "03", "9"])), "mdtrt_cert_no": draw(TEXT),
                "card_sn": draw(TEXT)}
    text = {"voucher": lambda: voucher_text(n), "expired": lambda: voucher_text(n, ttl_s=-10),
            "forged": lambda: voucher_text(n, key=Ed25519PrivateKey.generate()),
            "token": lambda: world.ec_tokens[n]}[kind]()
    return {"mdtrt_cert_type": "01", "mdtrt_cert_no": text, "card_sn": ""}


@st.composite
def template(draw: st.DrawFn, infno: str, world: World) -> dict[str, Any]:
    # Mostly a visit of the kind the message is about (22xx outpatient, 23xx/24xx inpatient).
    kind = "11" if infno.startswith("22") else "21"
    fitting = [v for v in world.visits if v[2] == kind] if draw(st.integers(0, 3)) else []
    visit, owner, _ = draw(st.sampled_from(fitting or [*world.visits, ("M0", 13, kind)]))
    # Mostly the visit's own person; sometimes someone else (valid-looking, but not theirs).
    n = owner if draw(st.integers(0, 3)) else draw(st.sampled_from(PEOPLE))
    cert = draw(certificate(n, world))
    setl_id, payer = draw(st.sampled_from([*world.settlements, ("S0", n)]))
    entries = [line(code, draw(st.sampled_from(["1", "2", "0.5"])), sn=f"{i:04d}")
               for i, code in enumerate(draw(st.lists(st.sampled_from(DRUGS), min_size=1, max_size=3,
                                                      unique=True)), start=1)]
    day = datetime.now().strftime("%Y-%m-%d")
    ref = {"mdtrt_id": visit, "psn_no": psn(n)}
    # Mostly what the visit's seeded fees add up to (so settlements can go through), sometimes not.
    medfee = world.fee_totals.get(visit, "0.00") if draw(st.integers(0, 3)) else draw(st.sampled_from(["0.00", "9.99"]))
    settle = {**ref, **cert, "medfee_sumamt": medfee,
              "insutype": PERSONS[psn(n)]["insutype"], "acct_used_flag": "1", "mid_setl_flag": "1"}
    period = {"stmt_begndate": day, "stmt_enddate": day, "medfee_sumamt": "0.00", "fund_pay_sumamt": "0.00",
              "acct_pay": "0.00", "fixmedins_setl_cnt": draw(st.sampled_from([0, "0", 3]))}
    by_infno: dict[str, Callable[[], dict[str, Any]]] = {
        "9001": lambda: {"signIn": {"opter_no": "0001", "mac": "00:11", "ip": "127.0.0.1"}},
        "9002": lambda: {"signOut": {"sign_no": draw(st.sampled_from([*world.sign_nos, "SN0"])), "opter_no": "0001"}},
        "1101": lambda: {"data": {**cert, "psn_cert_type": "01", "certno": "", "psn_name": ""}},
        "1301": lambda: {"data": {"ver": ""}},
        "2101": lambda: sale(n, cert, entries), "2102": lambda: sale(n, cert, entries),
        "2103": lambda: {"data": {"setl_id": setl_id, "psn_no": psn(payer if draw(st.integers(0, 3)) else n)}},
        "2201": lambda: {"data": {**visit_open(n, "11")["data"], **cert}},
        "2401": lambda: {"data": {**visit_open(n, "21")["data"], **cert}},
        "2202": lambda: {"data": ref}, "2404": lambda: {"data": ref}, "2405": lambda: {"data": ref},
        "2204": lambda: {"feedetail": fees(visit, n, SERVICES[:2], draw(st.integers(3, 9000)))},
        "2301": lambda: {"feedetail": fees(visit, n, SERVICES[1:3], draw(st.integers(3, 9000)))},
        "2205": lambda: {"data": {**ref, "chrg_bchno": draw(st.sampled_from(["B1", "0000"]))}},
        "2302": lambda: {"data": {**ref, "feedetl_sn": draw(st.sampled_from(["0001", "0000"]))}},
        "2402": lambda: {"data": {**ref, "endtime": now_text(-1), "dscg_way": "1"}},
        "2206": lambda: {"data": settle}, "2207": lambda: {"data": settle},
        "2303": lambda: {"data": settle}, "2304": lambda: {"data": settle},
        "2208": lambda: {"data": {**ref, "setl_id": setl_id}}, "2305": lambda: {"data": {**ref, "setl_id": setl_id}},
        "2601": lambda: {"data": {"psn_no": psn(n), "omsgid": draw(st.sampled_from([*world.msgids, new_msgid()])),
                                  "oinfno": draw(st.sampled_from(["2102", "2201", "2204", "2402", "1101"]))}},
        "3201": lambda: {"data": period},
        "3202": lambda: {"data": {"stmt_begndate": day, "stmt_enddate": day},
                         "detail": [{"setl_id": setl_id, "medfee_sumamt": "1.00", "fund_pay_sumamt": "0.00",
                                     "acct_pay": "0.00"}]},
    }
    return by_infno[infno]()


@st.composite
def mutated(draw: st.DrawFn, value: Any) -> Any:
    """`value` with up to three fields replaced by odd values, deleted, or added."""
    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(0, 3))):
        paths = list(_paths(value))
        if not paths:
            break
        parent, key = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            parent[key] = draw(ODD)
        elif action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(TEXT)] = draw(ODD)
    return value


def _paths(value: Any) -> Any:
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in items:
        yield value, key
        yield from _paths(child)


# ----- whole requests

@dataclass(frozen=True)
class Request:
    ec_query: bool
    body: bytes
    headers: dict[str, str]
    label: str


@st.composite
def headers(draw: st.DrawFn, http: bool) -> dict[str, str]:
    good = Raw.headers()
    if draw(st.integers(0, 9)) < 8:
        return good
    name = draw(st.sampled_from(sorted(good)))
    # Over HTTP only what a client can send: visible ASCII (requests refuses control characters and
    # leading spaces itself).
    text = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=70) if http \
        else TEXT | st.builds(odd_digits, st.just(str(int(time.time()))), st.sampled_from(sorted(DIGITS)))
    return {**good, name: draw(text)}


@st.composite
def envelope(draw: st.DrawFn, world: World, hostile: bool) -> tuple[str, dict[str, Any]]:
    """A message; a hostile one may also replay a msgid, use another till's block or odd envelope fields."""
    infno = draw(st.sampled_from(INFNOS))
    input_ = draw(template(infno, world))
    if not hostile:
        return infno, Raw.envelope(infno, input_, new_msgid())
    stamp = datetime.now().strftime("%Y%m%d%H%M%S")
    msgid = draw(st.sampled_from([new_msgid(), draw(st.sampled_from(world.msgids)),
                                  f"{FIXMEDINS_CODE}{stamp}07{draw(st.integers(0, 99)):02d}"]))
    env = Raw.envelope(infno, draw(mutated(input_)), msgid,
                       dev_no=draw(st.sampled_from(["CT-0001", "CT-0001", "CT-0002"])))
    return infno, draw(mutated(env)) if draw(st.booleans()) else env


@st.composite
def request(draw: st.DrawFn, world: World, http: bool = False) -> Request:
    """Plausible messages (valid envelope, input from a template: valid or inconsistent), hostile ones,
    ec.query bodies and raw bytes."""
    kind = draw(st.sampled_from(["plausible"] * 4 + ["hostile"] * 3 + ["ec.query", "bytes"]))
    if kind in ("plausible", "hostile"):
        infno, env = draw(envelope(world, kind == "hostile"))
        body = encode(env).encode("utf-8")
        if draw(st.integers(0, 19)) == 0:
            body = b"\xef\xbb\xbf" + body
        return Request(False, body, draw(headers(http)) if kind == "hostile" else Raw.headers(), infno)
    if kind == "ec.query":
        n = draw(st.sampled_from(PEOPLE))
        qr = draw(st.sampled_from([voucher_text(n), voucher_text(n, ttl_s=-1), "NHSAEC1.x.y"]) | TEXT)
        query = {"orgId": FIXMEDINS_CODE, "transType": "ec.query", "data": {"ecQrCode": qr, "operatorId": "0001"}}
        if draw(st.booleans()):
            query = draw(mutated(query))
        return Request(True, encode(query).encode("utf-8"), draw(headers(http)), "ec.query")
    body = draw(st.binary(max_size=200) | st.sampled_from([
        b"", b"{", b"[]", b'"2102"', b"null", b'{"infno": 1E400}', b'{"infno": NaN}', b"\xef\xbb\xbf{}",
        b'{"infno": "2102", "input": ' + b"[" * 3000 + b"]" * 3000 + b"}", b'{"x": ' + b"7" * 5000 + b"}"]))
    return Request(draw(st.booleans()), body, draw(headers(http)), "bytes")


# ----- the property

def check_answer(req: Request, answer: Any) -> None:
    assert isinstance(answer, dict), answer
    json.dumps(answer, ensure_ascii=False).encode("utf-8")  # the HTTP layer can send it
    if req.ec_query:
        assert set(answer) == {"code", "message", "data"} and answer["code"] in (0, -1), answer
        message = answer["message"]
        assert isinstance(message, str) and message and "internal error" not in message, (req.label, message)
        return
    assert set(answer) == ANSWER_KEYS and answer["infcode"] in (0, -1), answer
    err = answer["err_msg"]
    assert isinstance(err, str) and isinstance(answer["warn_msg"], str) and isinstance(answer["output"], dict)
    if answer["infcode"] == -1:
        assert len(err) >= 10 and "internal error" not in err, (req.label, err)
        assert answer["output"] == {}, answer


def refusal(answer: dict[str, Any]) -> bool:
    return answer.get("infcode", answer.get("code")) == -1


def examples(default: int) -> int:
    """How many examples a fuzz test runs: FUZZ_EXAMPLES overrides CI's short default."""
    return int(os.environ.get("FUZZ_EXAMPLES", default))
