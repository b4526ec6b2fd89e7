"""Fuzzed fields of the service's messages, and what probing it found: answered, refused cleanly, unchanged.

The first part of the service's bad-input tests (test_service_badinput.py) names each bad input; this
part draws them with Hypothesis and keeps the cases probing found (times out of range, stale sales, bad
2601 references).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from doc_edits import set_field
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_helpers import (
    AMOXICILLIN,
    NIFEDIPINE,
    Raw,
    card,
    db_state,
    line,
    lines,
    module_service,
    new_msgid,
    new_nonce,
    psn,
    sale_input,
)

from terminal.sim.processes import ServiceProcess


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with module_service(tmp_path_factory, "fuzzedfields") as svc:
        yield svc


@pytest.fixture(scope="module")
def raw(service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(service.url)
    # Some state to protect: a settled sale of 013.
    r.ok("2102", sale_input(13, card(13), lines((NIFEDIPINE, "1"))))
    yield r


# ----- fuzzing the input of a few messages with random JSON

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) \
    | st.text(max_size=12) | st.sampled_from(["", "0", "-1", "1e9", "0.00001", "12.50", "41", "01", "03",
                                             card(13)["mdtrt_cert_no"], psn(13), AMOXICILLIN])
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
DATA_KEYS = ["psn_no", "mdtrt_cert_type", "mdtrt_cert_no", "card_sn", "med_type", "medfee_sumamt", "insutype",
             "acct_used_flag", "setl_id", "mdtrt_id", "omsgid", "oinfno", "stmt_begndate", "stmt_enddate",
             "fixmedins_setl_cnt", "acct_pay", "fund_pay_sumamt", "ipt_otp_no", "chrg_bchno"]
ITEM_KEYS = ["feedetl_sn", "med_list_codg", "pric", "cnt", "det_item_fee_sumamt", "mdtrt_id", "psn_no"]
STRUCTURED = st.fixed_dictionaries({}, optional={
    "data": st.fixed_dictionaries({}, optional={k: JSON for k in DATA_KEYS}) | JSON,
    "drugdetail": st.lists(st.fixed_dictionaries({}, optional={k: JSON for k in ITEM_KEYS}), max_size=3) | JSON,
    "feedetail": st.lists(st.fixed_dictionaries({}, optional={k: JSON for k in ITEM_KEYS}), max_size=3) | JSON,
})
# A valid 2102 with one field replaced by random JSON: close to acceptable, so it reaches deep checks.
NEAR_VALID = st.tuples(st.sampled_from(["data." + k for k in ("psn_no", "medfee_sumamt", "mdtrt_cert_no",
                                                               "card_sn", "acct_used_flag", "fee_ocur_time")]
                                       + ["drugdetail.0." + k for k in ITEM_KEYS[:5]]), JSON)


@pytest.mark.parametrize("infno", ["1101", "2101", "2102", "2103", "2204", "2304", "2601", "3201", "3202"])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(input_=JSON | STRUCTURED)
def test_fuzzed_input_is_answered_and_refusals_change_nothing(service: ServiceProcess, raw: Raw, infno: str,
                                                              input_: Any) -> None:
    before = db_state(service.db)
    answer = raw.send(raw.envelope(infno, input_))
    assert answer["infcode"] in (0, -1)
    if answer["infcode"] == -1:
        assert answer["err_msg"] and "internal error" not in answer["err_msg"], answer["err_msg"]
        assert db_state(service.db) == before


@settings(max_examples=50, deadline=None)
@given(change=NEAR_VALID)
def test_fuzzed_field_of_a_valid_sale(service: ServiceProcess, raw: Raw, change: tuple[str, Any]) -> None:
    path, value = change
    sale = sale_input(13, card(13), [line(AMOXICILLIN, "2")])
    set_field(path, value)(sale)
    before_db, before_balance = db_state(service.db), raw.balance(13)
    answer = raw.send(raw.envelope("2102", copy.deepcopy(sale)))
    assert answer["infcode"] in (0, -1)
    if answer["infcode"] == -1:
        assert answer["err_msg"] and "internal error" not in answer["err_msg"], answer["err_msg"]
        assert db_state(service.db) == before_db and raw.balance(13) == before_balance
    else:  # the random value happened to be acceptable: one sale of 17.00, its account part taken once
        setlinfo = answer["output"]["setlinfo"]
        assert Decimal(setlinfo["medfee_sumamt"]) == 17
        assert raw.balance(13) == before_balance - Decimal(setlinfo["acct_pay"])  # 0 with acct_used_flag "0"


def test_a_nonce_longer_than_64_characters_is_refused(service: ServiceProcess, raw: Raw) -> None:
    before = db_state(service.db)
    answer = raw.post(json.dumps(raw.envelope("1301", {})).encode(), raw.headers(nonce=new_nonce() * 3))
    assert answer["infcode"] == -1 and "x-tif-nonce" in answer["err_msg"]
    assert db_state(service.db) == before


# ----- found while probing (fixed): times out of range, stale sales, bad 2601 references

@pytest.mark.parametrize("infno", ["2101", "2102", "2201"])
def test_a_time_in_year_1_is_refused_by_name(service: ServiceProcess, raw: Raw, infno: str) -> None:
    if infno == "2201":
        input_ = {"data": {"psn_no": psn(13), **card(13), "med_type": "11", "ipt_otp_no": "OP-1",
                           "begntime": "0001-01-01 00:00:00"}}
        field = "begntime"
    else:
        input_ = sale_input(13, card(13), lines((AMOXICILLIN, "1")))
        input_["data"]["fee_ocur_time"] = "0001-01-01 00:00:00"
        field = "fee_ocur_time"
    before = db_state(service.db)
    assert field in raw.refused(infno, input_)
    assert db_state(service.db) == before


def test_a_sale_dated_long_ago_is_refused(service: ServiceProcess, raw: Raw) -> None:
    sale = sale_input(13, card(13), lines((AMOXICILLIN, "1")))
    sale["data"]["fee_ocur_time"] = "1900-01-01 00:00:00"
    before = db_state(service.db)
    assert "fee_ocur_time" in raw.refused("2102", sale)
    assert db_state(service.db) == before


@pytest.mark.parametrize("omsgid,oinfno", [("x", "2102"), (None, "1")], ids=["malformed omsgid", "unknown oinfno"])
def test_2601_refuses_a_malformed_omsgid_or_oinfno(service: ServiceProcess, raw: Raw, omsgid: str | None,
                                                    oinfno: str) -> None:
    before = db_state(service.db)
    raw.refused("2601", {"data": {"psn_no": psn(13), "omsgid": omsgid or new_msgid(), "oinfno": oinfno}})
    assert db_state(service.db) == before
