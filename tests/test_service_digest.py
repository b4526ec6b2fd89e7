"""The request digest: a msgid identifies one request, not just one infno.

The same msgid with the same infno and input returns the first answer byte for byte, whatever
the envelope's clock, sign_no, nonce, key order or spacing; with a different input it is refused,
changes nothing and is not stored. Numbers count exactly as written.
"""

from __future__ import annotations

import copy
import json
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
    db_state,
    in_process,
    lines,
    message_count,
    new_msgid,
    now_text,
    sale_input,
)

from terminal.files import parse_json


@pytest.fixture
def service(tmp_path) -> Iterator[InProcess]:  # type: ignore[no-untyped-def]
    with in_process(tmp_path / "service.db") as svc:
        yield svc


def sale(cnt: str = "2") -> dict[str, Any]:
    return sale_input(13, card(13), lines((AMOXICILLIN, cnt)))


def balance(service: InProcess) -> Decimal:
    return Decimal(service.call("1101", {"data": card(13)}, new_msgid())["output"]["insuinfo"][0]["balc"])


def test_the_same_request_again_gets_the_first_answer_byte_for_byte(service: InProcess) -> None:
    msgid = new_msgid()
    envelope = Raw.envelope("2102", sale(), msgid)
    first = service.send(envelope)
    assert first["infcode"] == 0
    # Resent later by a terminal resolving an unknown outcome: new clock, sign_no and nonce,
    # keys in another order, other spacing.
    again = {**copy.deepcopy(envelope), "inf_time": now_text(5), "sign_no": "SN-2", "opter_name": "Other"}
    reordered = json.dumps(dict(reversed(list(again.items()))), indent=1, ensure_ascii=True).encode()
    assert service.post(reordered) == first
    assert balance(service) == Decimal("7983.00")


@pytest.mark.parametrize("change", ["another count", "another person", "another line", "an extra field",
                                    "a number written otherwise"])
def test_the_same_msgid_with_another_input_is_refused(service: InProcess, change: str) -> None:
    msgid = new_msgid()
    # One request object throughout: sale() stamps fee_ocur_time with the clock, so building it
    # again a second later would itself be "another input".
    original = sale()
    first = service.call("2102", copy.deepcopy(original), msgid)
    assert first["infcode"] == 0
    different = copy.deepcopy(original)
    if change == "another count":
        different = sale("3")
    elif change == "another person":
        different = sale_input(11, card(11), lines((AMOXICILLIN, "2")))
    elif change == "another line":
        different = sale_input(13, card(13), lines((AMOXICILLIN, "2"), (NIFEDIPINE, "1")))
    elif change == "an extra field":
        different["data"]["note"] = "x"
    else:
        different["drugdetail"][0]["pric"] = "8.500"
    # Only the named change differs, not the clock.
    different["data"]["fee_ocur_time"] = original["data"]["fee_ocur_time"]
    before, stored = db_state(service.db), message_count(service.db)
    answer = service.call("2102", different, msgid)
    assert answer["infcode"] == -1 and answer["output"] == {}
    assert msgid in answer["err_msg"] and "different" in answer["err_msg"] and "new msgid" in answer["err_msg"]
    assert db_state(service.db) == before and message_count(service.db) == stored
    assert service.call("2102", copy.deepcopy(original), msgid) == first  # the refusal was not stored


def test_a_refused_request_is_bound_to_its_input_too(service: InProcess) -> None:
    msgid = new_msgid()
    refused = service.call("2102", sale_input(7, card(7), lines((AMOXICILLIN, "1"))), msgid)
    assert refused["infcode"] == -1 and "suspended" in refused["err_msg"]
    # The suspended person's till cannot reuse the msgid to settle someone else.
    answer = service.call("2102", sale(), msgid)
    assert answer["infcode"] == -1 and "different" in answer["err_msg"]
    assert balance(service) == Decimal("8000.00")


def test_numbers_count_exactly_as_written() -> None:
    from terminal.sim.settlement.digest import request_digest

    def digest(text: str) -> str:
        return request_digest("2102", parse_json(text, exact=True))

    assert digest('{"a": 8.5, "b": [1, "x"]}') == digest('{ "b" : [1,"x"], "a":8.5 }')
    assert digest('{"a": 8.5}') != digest('{"a": 8.50}') != digest('{"a": "8.5"}')
    assert digest('{"a": 1}') != digest('{"a": 1.0}') != digest('{"a": true}')
    assert digest('{"a": "é"}') == digest('{"a": "\\u00e9"}')
    assert request_digest("2101", {}) != request_digest("2102", {})
