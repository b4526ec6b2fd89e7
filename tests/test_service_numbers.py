"""Numbers as platform clients send them: JSON numbers parsed exactly, counts as integers.

Prices, quantities and amounts may be JSON numbers (read as Decimal, never through float) or
decimal strings; trailing zeros are not extra places ("8.500000", "17.000"); counts such as
3201's fixmedins_setl_cnt are JSON integers or numeric strings; a UTF-8 byte-order mark before
the body is accepted. Exponents, NaN/Infinity and booleans are never numbers. Answers keep
amounts as two-decimal strings.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    NIFEDIPINE,
    InProcess,
    Raw,
    card,
    check_settlement,
    db_state,
    in_process,
    line,
    sale_input,
)

from terminal.sim.settlement.service import parse_body


@pytest.fixture
def service(tmp_path) -> Iterator[InProcess]:  # type: ignore[no-untyped-def]
    with in_process(tmp_path / "service.db") as svc:
        yield svc


def body_with_numbers(infno: str, input_: dict[str, Any], numbers: dict[str, str]) -> bytes:
    """The envelope as JSON text, each placeholder value replaced by the raw JSON number text."""
    text = json.dumps(Raw.envelope(infno, input_))
    for placeholder, number in numbers.items():
        text = text.replace(json.dumps(placeholder), number)
    return text.encode()


def number_sale(pric: str, cnt: str, det: str, medfee: str) -> bytes:
    """A 2102 of AMOXICILLIN for 013 with pric, cnt and the amounts written as JSON numbers."""
    sale = sale_input(13, card(13), [line(AMOXICILLIN, "2")])
    sale["drugdetail"][0].update(pric="@P", cnt="@C", det_item_fee_sumamt="@D")
    sale["data"]["medfee_sumamt"] = "@M"
    return body_with_numbers("2102", sale, {"@P": pric, "@C": cnt, "@D": det, "@M": medfee})


def test_bodies_are_parsed_exactly() -> None:
    parsed = parse_body(b'{"pric": 0.1, "cnt": 3, "big": 12345678.123456789012345678901}')
    assert type(parsed.raw("pric")) is Decimal and parsed.raw("pric") == Decimal("0.1")
    assert parsed.raw("cnt") == 3 and type(parsed.raw("cnt")) is int
    assert parsed.raw("big") == Decimal("12345678.123456789012345678901")


def test_a_sale_with_json_numbers_settles_and_answers_in_strings(service: InProcess) -> None:
    answer = service.post(number_sale("8.5", "2", "17.00", "17"))
    assert answer["infcode"] == 0, answer["err_msg"]
    sent = [line(AMOXICILLIN, "2")]
    check_settlement(answer["output"], sent)  # amounts are two-decimal strings
    item = answer["output"]["drugdetail"][0]
    assert (item["pric"], item["cnt"], item["det_item_fee_sumamt"]) == ("8.5", "2", "17.00")
    assert answer["output"]["setlinfo"]["medfee_sumamt"] == "17.00"


@pytest.mark.parametrize("pric,cnt,det,medfee", [
    ('"8.500000"', '"2.0000"', '"17.000"', '"17.000"'),
    ("8.500000", "2.00000", "17.000", "17.0"),
], ids=["strings", "numbers"])
def test_trailing_zeros_are_not_extra_places(service: InProcess, pric: str, cnt: str, det: str,
                                             medfee: str) -> None:
    answer = service.post(number_sale(pric, cnt, det, medfee))
    assert answer["infcode"] == 0, answer["err_msg"]
    item = answer["output"]["drugdetail"][0]
    # Echoed with the places DESIGN.md allows (4 for prices and counts, 2 for amounts).
    assert (item["pric"], item["cnt"], item["det_item_fee_sumamt"]) == ("8.5000", "2.0000", "17.00")


@pytest.mark.parametrize("pric,cnt,det,medfee,expected", [
    ("8.50001", "2", "17.00", "17.00", "more than 4 decimal places"),
    ('"8.50001"', "2", "17.00", "17.00", "more than 4 decimal places"),
    ("8.5000000", "2", "17.00", "17.00", "more than 6 decimal places"),
    ("8.5", "2", "17.001", "17.00", "more than 2 decimal places"),
    ("8.5", "2", "17.00", "17.001", "more than 2 decimal places"),
    ("8.5", "1000000", "8500000.00", "8500000.00", "cnt must be at most"),
    ("8.5", "0", "0.00", "0.00", "cnt must not be zero"),
    ("-8.5", "2", "17.00", "17.00", "pric must be at least 0"),
    ("8.5e0", "2", "17.00", "17.00", "exponent"),
    ("85E-1", "2", "17.00", "17.00", "exponent"),
    ("8.5", "2E0", "17.00", "17.00", "exponent"),
    ("NaN", "2", "17.00", "17.00", "NaN"),
    ("8.5", "Infinity", "17.00", "17.00", "Infinity"),
    ("8.5", "2", "17.00", "-Infinity", "Infinity"),
    ("true", "2", "17.00", "17.00", "pric must be a decimal number"),
    ("8.5", "false", "17.00", "17.00", "cnt must be a decimal number"),
    ("8.5", "2", "17.00", "1" + "0" * 60 + ".5", "digits"),
    ("8.5", "2", "17.00", "null", "medfee_sumamt is required"),
], ids=["5 places", "5 places as text", "7 places written", "amount 3 places", "total 3 places", "cnt too big",
        "cnt 0", "negative price", "exponent", "negative exponent", "exponent count", "NaN", "Infinity",
        "-Infinity", "true", "false", "60 digits", "null"])
def test_numbers_still_obey_places_and_bounds(service: InProcess, pric: str, cnt: str, det: str, medfee: str,
                                              expected: str) -> None:
    before = db_state(service.db)
    answer = service.post(number_sale(pric, cnt, det, medfee))
    assert answer["infcode"] == -1 and expected in answer["err_msg"], answer["err_msg"]
    assert db_state(service.db) == before


def reconciliation(count: str, medfee: str = "0.00") -> bytes:
    day = time.strftime("%Y-%m-%d")
    data = {"stmt_begndate": day, "stmt_enddate": day, "medfee_sumamt": "@M", "fund_pay_sumamt": "0.00",
            "acct_pay": "0.00", "fixmedins_setl_cnt": "@N"}
    return body_with_numbers("3201", {"data": data}, {"@M": medfee, "@N": count})


@pytest.mark.parametrize("count,medfee", [("0", "0"), ('"0"', '"0.00"'), ("0", "0.00"), ('"-0"', "0.000")])
def test_3201_takes_its_count_as_an_integer_or_a_numeric_string(service: InProcess, count: str,
                                                                 medfee: str) -> None:
    answer = service.post(reconciliation(count, medfee))
    assert answer["infcode"] == 0, answer["err_msg"]
    assert answer["output"]["stmt_rslt"] == "0", answer["output"]
    assert answer["output"]["fixmedins_setl_cnt"] == "0" and answer["output"]["medfee_sumamt"] == "0.00"


@pytest.mark.parametrize("count,expected", [
    ("1.5", "whole number"), ("1.0", "whole number"), ("true", "whole number"), ('"1.0"', "whole number"),
    ('"١"', "whole number"), ("12345678901", "at most"), ('"twelve"', "whole number"),
])
def test_3201_refuses_a_count_that_is_not_a_whole_number(service: InProcess, count: str, expected: str) -> None:
    answer = service.post(reconciliation(count))
    assert answer["infcode"] == -1 and "fixmedins_setl_cnt" in answer["err_msg"], answer["err_msg"]
    assert expected in answer["err_msg"]


def test_a_count_that_disagrees_is_reported(service: InProcess) -> None:
    settled = service.call("2102", sale_input(13, card(13), [line(NIFEDIPINE, "1")]))
    assert settled["infcode"] == 0, settled["err_msg"]
    answer = service.post(reconciliation("2", settled["output"]["setlinfo"]["medfee_sumamt"]))
    assert answer["output"]["stmt_rslt"] == "1"
    assert "fixmedins_setl_cnt: terminal 2, service 1" in answer["output"]["stmt_rslt_dscr"]


def test_a_byte_order_mark_before_the_body_is_accepted(service: InProcess) -> None:
    body = json.dumps(Raw.envelope("1101", {"data": card(13)})).encode("utf-8")
    answer = service.post(b"\xef\xbb\xbf" + body)
    assert answer["infcode"] == 0, answer["err_msg"]
    query = {"orgId": "P12010100001", "transType": "ec.query", "data": {"ecQrCode": "not a voucher"}}
    refused = service.ec_query(b"\xef\xbb\xbf" + json.dumps(query).encode())
    assert "not a medical-insurance e-voucher" in refused["message"]  # read, then judged on its merits
