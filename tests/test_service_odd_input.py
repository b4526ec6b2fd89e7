"""Inputs that are simply bad, however odd, are refused with a sentence: never "internal error".

Integers of thousands of digits, lone surrogates (valid JSON escapes that are not text), digits
that are not ASCII (fullwidth, Arabic-Indic, superscript) in times, dates, counts and headers,
nesting deeper than any message needs. Run in process: an exception out of handle_call is what
the HTTP layer answers as "internal error", so it fails the test.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    FIXMEDINS_CODE,
    InProcess,
    Raw,
    card,
    db_state,
    in_process,
    lines,
    now_text,
    psn,
    sale_input,
    voucher,
)

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def odd_year(text: str, digits: dict[int, str]) -> str:
    """A time or date whose year is written in other digits (the rest stays ASCII, so it looks right)."""
    return text[:4].translate(digits) + text[4:]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    with in_process(tmp_path_factory.mktemp("odd") / "service.db") as svc:
        # Some state to protect: a settled sale of 013.
        assert svc.call("2102", sale_input(13, card(13), lines((AMOXICILLIN, "1"))))["infcode"] == 0
        yield svc


def sale() -> dict[str, Any]:
    return sale_input(13, card(13), lines((AMOXICILLIN, "2")))


def envelope(infno: str = "2102", input_: Any = None, **overrides: Any) -> dict[str, Any]:
    return Raw.envelope(infno, sale() if input_ is None else input_, **overrides)


def with_sale(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    env = envelope()
    change(env["input"])
    return env


def ascii_json(value: Any) -> bytes:
    """JSON with every non-ASCII character escaped: how a lone surrogate travels."""
    return json.dumps(value, ensure_ascii=True).encode("ascii")


def period(begin: str, count: Any = "0") -> dict[str, Any]:
    return {"data": {"stmt_begndate": begin, "stmt_enddate": begin, "medfee_sumamt": "0.00",
                     "fund_pay_sumamt": "0.00", "acct_pay": "0.00", "fixmedins_setl_cnt": count}}


def today() -> str:
    return time.strftime("%Y-%m-%d")


def huge_integer_in(where: str) -> bytes:
    env = envelope()
    marker = "HUGE-NUMBER-HERE"
    if where == "envelope":
        env["pad"] = marker
    else:
        env["input"]["drugdetail"][0]["pric"] = marker
    return json.dumps(env).replace(f'"{marker}"', "9" * 5000).encode()


def deep(levels: int) -> bytes:
    env = envelope("1301", {"data": {"ver": ""}})
    env["extra"] = "DEEP"
    return json.dumps(env).replace('"DEEP"', "[" * levels + "]" * levels).encode()


BODIES: list[tuple[str, Callable[[], bytes], str]] = [
    ("integer of 5000 digits in the envelope", lambda: huge_integer_in("envelope"), "digits"),
    ("integer of 5000 digits as a price", lambda: huge_integer_in("price"), "digits"),
    ("lone surrogate in psn_no", lambda: ascii_json(with_sale(lambda s: s["data"].update(psn_no="\ud800"))),
     "surrogate"),
    ("lone surrogate in feedetl_sn",
     lambda: ascii_json(with_sale(lambda s: s["drugdetail"][0].update(feedetl_sn="0001\udfff"))), "surrogate"),
    ("lone surrogate in opter_name", lambda: ascii_json(envelope(opter_name="Li \udc80")), "surrogate"),
    ("lone surrogate in a key", lambda: ascii_json(with_sale(lambda s: s["data"].update({"\ud834": "x"}))),
     "surrogate"),
    ("lone surrogate in 2201's ipt_otp_no", lambda: ascii_json(envelope(
        "2201", {"data": {"psn_no": psn(13), **card(13), "med_type": "11", "ipt_otp_no": "OP\ud800"}})),
     "surrogate"),
    ("nesting 500 deep", lambda: deep(500), "nested too deeply"),
    ("nesting 100000 deep", lambda: deep(100000), "nested too deeply"),
]

ENVELOPES: list[tuple[str, Callable[[], dict[str, Any]], str]] = [
    ("fullwidth inf_time", lambda: envelope(inf_time=odd_year(now_text(), FULLWIDTH)), "inf_time"),
    ("Arabic-Indic inf_time", lambda: envelope(inf_time=odd_year(now_text(), ARABIC_INDIC)), "inf_time"),
    ("Arabic-Indic fee_ocur_time",
     lambda: with_sale(lambda s: s["data"].update(fee_ocur_time=odd_year(now_text(), ARABIC_INDIC))),
     "fee_ocur_time"),
    ("fullwidth fee_ocur_time of a line",
     lambda: with_sale(lambda s: s["drugdetail"][0].update(fee_ocur_time=odd_year(now_text(), FULLWIDTH))),
     "drugdetail[0].fee_ocur_time"),
    ("Arabic-Indic cnt", lambda: with_sale(lambda s: s["drugdetail"][0].update(cnt="٢")), "drugdetail[0].cnt"),
    ("fullwidth pric", lambda: with_sale(lambda s: s["drugdetail"][0].update(pric="８.５０")),
     "drugdetail[0].pric"),
    ("fullwidth medfee_sumamt", lambda: with_sale(lambda s: s["data"].update(medfee_sumamt="１７.００")),
     "medfee_sumamt"),
    ("fullwidth begntime", lambda: envelope("2201", {"data": {
        "psn_no": psn(13), **card(13), "med_type": "11", "ipt_otp_no": "OP-1",
        "begntime": odd_year(now_text(), FULLWIDTH)}}), "begntime"),
    ("fullwidth stmt_begndate", lambda: envelope("3201", period(odd_year(today(), FULLWIDTH))), "stmt_begndate"),
    ("Arabic-Indic stmt_enddate of 3202", lambda: envelope("3202", {"data": {
        "stmt_begndate": today(), "stmt_enddate": odd_year(today(), ARABIC_INDIC)}}), "stmt_enddate"),
    ("Arabic-Indic fixmedins_setl_cnt", lambda: envelope("3201", period(today(), "١")), "fixmedins_setl_cnt"),
]

HEADERS: list[tuple[str, Callable[[], dict[str, str]], str]] = [
    ("superscript x-tif-timestamp", lambda: {**Raw.headers(), "x-tif-timestamp": "²³"}, "x-tif-timestamp"),
    ("Arabic-Indic x-tif-timestamp",
     lambda: Raw.headers(timestamp=0) | {"x-tif-timestamp": str(int(time.time())).translate(ARABIC_INDIC)},
     "x-tif-timestamp"),
    ("fullwidth x-tif-timestamp",
     lambda: Raw.headers(timestamp=0) | {"x-tif-timestamp": str(int(time.time())).translate(FULLWIDTH)},
     "x-tif-timestamp"),
    ("superscript digits of now", lambda: {**Raw.headers(), "x-tif-timestamp": str(int(time.time()))
                                           .translate(SUPERSCRIPT)}, "x-tif-timestamp"),
    ("lone surrogate in the nonce", lambda: {**Raw.headers(), "x-tif-nonce": "n\ud800"}, "x-tif-nonce"),
    ("lone surrogate in the signature", lambda: {**Raw.headers(), "x-tif-signature": "\udc00" * 64},
     "x-tif-signature"),
    ("control character in the nonce", lambda: Raw.headers(nonce="n\x00"), "x-tif-nonce"),
]


def refused_without_change(service: InProcess, send: Callable[[], dict[str, Any]], expected: str) -> None:
    before = db_state(service.db)
    answer = send()
    assert answer["infcode"] == -1, answer
    assert expected in answer["err_msg"] and "internal error" not in answer["err_msg"], answer["err_msg"]
    assert answer["output"] == {}
    assert db_state(service.db) == before


@pytest.mark.parametrize("make,expected", [c[1:] for c in BODIES], ids=[c[0] for c in BODIES])
def test_an_odd_body_is_bad_input(service: InProcess, make: Callable[[], bytes], expected: str) -> None:
    refused_without_change(service, lambda: service.post(make()), expected)


@pytest.mark.parametrize("make,expected", [c[1:] for c in ENVELOPES], ids=[c[0] for c in ENVELOPES])
def test_digits_that_are_not_ascii_are_bad_input(service: InProcess, make: Callable[[], dict[str, Any]],
                                                 expected: str) -> None:
    refused_without_change(service, lambda: service.send(make()), expected)


@pytest.mark.parametrize("make,expected", [c[1:] for c in HEADERS], ids=[c[0] for c in HEADERS])
def test_odd_signature_headers_are_bad_input(service: InProcess, make: Callable[[], dict[str, str]],
                                             expected: str) -> None:
    refused_without_change(service, lambda: service.post(json.dumps(envelope()).encode(), make()), expected)


def test_ec_query_with_a_lone_surrogate_or_a_huge_number_is_bad_input(service: InProcess) -> None:
    good = {"orgId": FIXMEDINS_CODE, "transType": "ec.query",
            "data": {"ecQrCode": voucher(13), "businessType": "01101", "operatorId": "0001"}}
    surrogate = copy.deepcopy(good)
    surrogate["data"]["operatorName"] = "\udbff"
    huge = json.dumps(good).replace('"01101"', "1" * 5000).encode()
    for body, expected in ((ascii_json(surrogate), "surrogate"), (huge, "digits")):
        before = db_state(service.db)
        answer = service.ec_query(body)
        assert answer["code"] == -1 and expected in answer["message"], answer
        assert db_state(service.db) == before


def test_text_with_a_proper_surrogate_pair_is_still_text(service: InProcess, tmp_path: Path) -> None:
    # An emoji escaped as a surrogate pair is valid text: the message is judged on its merits.
    answer = service.post(ascii_json(envelope("1101", {"data": {**card(13), "psn_name": "Li 😀"}})))
    assert answer["infcode"] == -1 and "psn_name does not match" in answer["err_msg"]
