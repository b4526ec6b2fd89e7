"""msgid blocks: each till of an institution owns its own block of the 4-digit sequence.

The first message from a block claims it for its dev_no. A message from another dev_no of the
institution in that block is refused, before any stored answer is replayed (a misconfigured till
never receives another till's answer), and the refusal is not stored (the block's owner still
gets its own msgid processed or replayed).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
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
    message_count,
    sale_input,
)

from terminal.sim.processes import ServiceProcess

OTHER_INSTITUTION = "P12010100099"


@pytest.fixture
def service(tmp_path) -> Iterator[InProcess]:  # type: ignore[no-untyped-def]
    with in_process(tmp_path / "service.db") as svc:
        yield svc


def msgid_in(block: int, counter: int = 0, code: str = FIXMEDINS_CODE) -> str:
    return f"{code}{datetime.now():%Y%m%d%H%M%S}{block:02d}{counter:02d}"


def sale() -> dict[str, Any]:
    return sale_input(13, card(13), lines((AMOXICILLIN, "2")))


def send(service: InProcess, infno: str, input_: Any, msgid: str, dev_no: str, **overrides: Any) -> dict[str, Any]:
    return service.send(Raw.envelope(infno, input_, msgid, dev_no=dev_no, **overrides))


_BALANCE_QUERIES = itertools.count()


def balance(service: InProcess) -> Decimal:
    answer = send(service, "1101", {"data": card(13)}, msgid_in(1, next(_BALANCE_QUERIES)), "CT-0001")
    return Decimal(answer["output"]["insuinfo"][0]["balc"])


def test_a_block_belongs_to_the_dev_no_that_used_it_first(service: InProcess) -> None:
    assert send(service, "2102", sale(), msgid_in(7, 0), "CT-0001")["infcode"] == 0
    before, stored = db_state(service.db), message_count(service.db)
    answer = send(service, "2102", sale(), msgid_in(7, 1), "CT-0002")
    assert answer["infcode"] == -1 and answer["output"] == {}
    err = answer["err_msg"]
    assert "block 07" in err and "CT-0001" in err and "terminal.msgid_block" in err, err
    assert db_state(service.db) == before and message_count(service.db) == stored
    # The till's own block works; the first till may not use it in turn.
    assert send(service, "2102", sale(), msgid_in(8, 0), "CT-0002")["infcode"] == 0
    assert "CT-0002" in send(service, "1101", {"data": card(13)}, msgid_in(8, 1), "CT-0001")["err_msg"]


def test_another_tills_answer_is_never_replayed(service: InProcess) -> None:
    msgid = msgid_in(12, 5)
    request = sale()  # built once: it carries the clock, and a resend must be the same input
    first = send(service, "2102", request, msgid, "CT-0001")
    assert first["infcode"] == 0
    stolen = send(service, "2102", request, msgid, "CT-0002")
    assert stolen["infcode"] == -1 and "CT-0001" in stolen["err_msg"]
    assert first["output"]["setlinfo"]["setl_id"] not in json.dumps(stolen, ensure_ascii=False)
    assert send(service, "2102", request, msgid, "CT-0001") == first  # the owner still gets its answer


def test_a_refusal_for_the_wrong_till_is_not_stored_under_the_msgid(service: InProcess) -> None:
    send(service, "1101", {"data": card(13)}, msgid_in(20, 0), "CT-0001")
    before = balance(service)
    msgid = msgid_in(20, 1)  # the owner has not sent it yet
    request = sale()
    assert send(service, "2102", request, msgid, "CT-0009")["infcode"] == -1
    answer = send(service, "2102", request, msgid, "CT-0001")
    assert answer["infcode"] == 0, answer["err_msg"]  # processed, not the refusal replayed
    assert balance(service) == before - Decimal("17.00")


def test_blocks_are_per_institution(service: InProcess) -> None:
    assert send(service, "1101", {"data": card(13)}, msgid_in(30), "CT-0001")["infcode"] == 0
    other = send(service, "1101", {"data": card(13)}, msgid_in(30, code=OTHER_INSTITUTION), "CT-0002",
                 fixmedins_code=OTHER_INSTITUTION)
    assert other["infcode"] == 0, other["err_msg"]


@pytest.mark.parametrize("dev_no,expected", [(None, "dev_no is required"), ("", "dev_no is required"),
                                             (7, "dev_no must be a string"), ("D" * 31, "longer than 30")])
def test_dev_no_is_required(service: InProcess, dev_no: Any, expected: str) -> None:
    envelope = Raw.envelope("1101", {"data": card(13)}, msgid_in(40))
    if dev_no is None:
        del envelope["dev_no"]
    else:
        envelope["dev_no"] = dev_no
    answer = service.send(envelope)
    assert answer["infcode"] == -1 and expected in answer["err_msg"], answer["err_msg"]
    # Nothing was claimed: another till may still take the block.
    assert send(service, "1101", {"data": card(13)}, msgid_in(40, 1), "CT-0040")["infcode"] == 0


def test_over_http_a_misconfigured_till_is_refused(settlement_service: ServiceProcess) -> None:
    raw = Raw(settlement_service.url)
    try:
        msgid = msgid_in(3, 0)
        request = sale()  # built once: it carries the clock, and a resend must be the same input
        first = raw.call("2102", request, msgid)  # Raw speaks as the demo till, CT-0001
        assert first["infcode"] == 0
        second = raw.call("2102", request, msgid, dev_no="CT-0003")
        assert second["infcode"] == -1 and "block 03" in second["err_msg"]
        assert raw.call("2102", request, msgid) == first
    finally:
        raw.close()
