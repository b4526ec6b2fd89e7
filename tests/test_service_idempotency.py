"""End to end: pre-settlements change nothing, a msgid settles at most once, reversals undo.

Every "resend" is a new HTTP request with a fresh nonce and signature carrying the
same envelope (same msgid), as a terminal resolving an unknown outcome would send it.
"""

from __future__ import annotations

import copy
import threading
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    AZITHROMYCIN,
    INSULIN,
    NIFEDIPINE,
    VITAMIN_C,
    Raw,
    card,
    check_settlement,
    db_state,
    lines,
    new_msgid,
    protocol_state,
    psn,
    sale_input,
)

from terminal.client import ServiceRefused, SettlementClient

# Clock readings (two pre-settlements may straddle a second) and the echo of each message's own
# msgid (medins_setl_id) legitimately differ between two otherwise identical answers.
TIME_KEYS = ("setl_time", "fee_ocur_time", "medins_setl_id")


@pytest.fixture
def raw(settlement_service):  # type: ignore[no-untyped-def]
    r = Raw(settlement_service.url)
    yield r
    r.close()


def without_times(value: Any) -> Any:
    """The answer without the keys that depend on when and under which msgid it was asked."""
    if isinstance(value, dict):
        return {k: without_times(v) for k, v in value.items() if k not in TIME_KEYS}
    if isinstance(value, list):
        return [without_times(v) for v in value]
    return value


def test_pre_settlement_twice_is_identical_and_changes_nothing(raw: Raw, settlement_service) -> None:  # type: ignore[no-untyped-def]
    entries = lines((INSULIN, "1"), (NIFEDIPINE, "2"), (VITAMIN_C, "1"))
    before_db = db_state(settlement_service.db)
    before = protocol_state(raw)
    sale = sale_input(11, card(11), entries)
    first = raw.ok("2101", sale)
    second = raw.ok("2101", copy.deepcopy(sale))
    check_settlement(first, entries)
    assert without_times(first) == without_times(second)
    assert first["setlinfo"]["setl_id"] is None and first["setlinfo"]["mdtrt_id"] is None
    assert protocol_state(raw) == before
    assert db_state(settlement_service.db) == before_db
    # The settlement that follows is exactly what the pre-settlement announced.
    done = raw.ok("2102", sale)
    assert without_times({**done["setlinfo"], "setl_id": None, "mdtrt_id": None}) \
        == without_times(first["setlinfo"])


def test_same_msgid_twice_settles_once(raw: Raw) -> None:
    entries = lines((INSULIN, "1"))
    envelope = raw.envelope("2102", sale_input(6, card(6), entries))
    first = raw.send(envelope)  # new nonce each time (Raw.headers)
    assert first["infcode"] == 0
    check_settlement(first["output"], entries)
    balance_after_first = raw.balance(6)
    assert balance_after_first == Decimal("1791.50")
    for _ in range(3):
        assert raw.send(copy.deepcopy(envelope)) == first  # the very first answer, byte for byte
    assert raw.balance(6) == balance_after_first
    totals = raw.totals()
    assert totals["fixmedins_setl_cnt"] == "1" and totals["acct_pay"] == "308.50"
    assert len(raw.detail()["detail"]) == 1


def test_same_msgid_through_the_client_returns_the_same_settlement(settlement_client: SettlementClient,
                                                                    raw: Raw) -> None:
    sale = sale_input(13, card(13), lines((AMOXICILLIN, "2")))
    msgid = settlement_client.next_msgid()
    a1, s1 = settlement_client.settlement("2102", sale, "drugdetail", msgid=msgid)
    a2, s2 = settlement_client.settlement("2102", sale, "drugdetail", msgid=msgid)
    assert s1.setl_id == s2.setl_id and s1.setlinfo == s2.setlinfo and a1.inf_refmsgid == a2.inf_refmsgid
    assert raw.balance(13) == Decimal("7983.00")  # 8000.00 - 8.50 x 2, once
    assert raw.totals()["fixmedins_setl_cnt"] == "1"


def test_a_refused_msgid_stays_refused(raw: Raw) -> None:
    envelope = raw.envelope("2102", sale_input(7, card(7), lines((AMOXICILLIN, "1"))))
    first = raw.send(envelope)
    assert first["infcode"] == -1 and "suspended" in first["err_msg"]
    assert raw.send(copy.deepcopy(envelope)) == first


def test_msgid_reused_for_another_infno_is_refused(raw: Raw, settlement_service) -> None:  # type: ignore[no-untyped-def]
    entries = lines((AMOXICILLIN, "1"))
    msgid = new_msgid()
    request = sale_input(13, card(13), entries)
    raw.ok("2101", request, msgid=msgid)
    before = db_state(settlement_service.db)
    err = raw.refused("2102", request, msgid=msgid)
    assert msgid in err and "2101" in err
    assert db_state(settlement_service.db) == before
    assert raw.balance(13) == Decimal("8000.00")


def test_reversal_of_a_class_c_sale_and_reversing_twice(raw: Raw) -> None:
    # A Class C sale touches neither deductible nor cap: only the account (23.80 x 2 = 47.60).
    entries = lines((VITAMIN_C, "2"))
    done = raw.ok("2102", sale_input(13, card(13), entries))
    assert done["setlinfo"]["acct_pay"] == "47.60" and raw.balance(13) == Decimal("7952.40")
    reversal = {"data": {"setl_id": done["setlinfo"]["setl_id"], "psn_no": psn(13)}}
    back = raw.ok("2103", reversal)
    assert back["setlinfo"]["orig_setl_id"] == done["setlinfo"]["setl_id"]
    assert back["setlinfo"]["medfee_sumamt"] == "-47.60" and back["setlinfo"]["balc"] == "8000.00"
    assert raw.balance(13) == Decimal("8000.00")
    assert "already reversed" in raw.refused("2103", reversal)
    assert raw.balance(13) == Decimal("8000.00")
    # Someone else's settlement id, or a made-up one, is refused too.
    assert "no settlement" in raw.refused("2103", {"data": {"setl_id": done["setlinfo"]["setl_id"],
                                                            "psn_no": psn(9)}})
    assert "no settlement" in raw.refused("2103", {"data": {"setl_id": "S000", "psn_no": psn(13)}})


def test_2601_reverses_a_2102(raw: Raw) -> None:
    entries = lines((VITAMIN_C, "1"))
    msgid = new_msgid()
    raw.ok("2102", sale_input(13, card(13), entries), msgid=msgid)
    assert raw.balance(13) == Decimal("7976.20")
    out = raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": msgid, "oinfno": "2102"}})
    assert out["data"]["reversed"] == "1"
    assert raw.balance(13) == Decimal("8000.00")
    totals = raw.totals()
    assert totals["fixmedins_setl_cnt"] == "0" and totals["medfee_sumamt"] == "0.00"
    # The wrong oinfno, or a second 2601, is refused.
    assert "already reversed" in raw.refused("2601", {"data": {"psn_no": psn(13), "omsgid": msgid,
                                                               "oinfno": "2102"}})
    assert "2102" in raw.refused("2601", {"data": {"psn_no": psn(13), "omsgid": msgid, "oinfno": "2207"}})


def test_2601_before_the_message_arrives_blocks_it(raw: Raw, settlement_service) -> None:  # type: ignore[no-untyped-def]
    entries = lines((INSULIN, "1"))
    lost = raw.envelope("2102", sale_input(6, card(6), entries))
    out = raw.ok("2601", {"data": {"psn_no": psn(6), "omsgid": lost["msgid"], "oinfno": "2102"}})
    assert out["data"]["reversed"] == "0"
    before = db_state(settlement_service.db)
    before_balance = raw.balance(6)
    late = raw.send(lost)
    assert late["infcode"] == -1 and "reversed" in late["err_msg"]
    assert raw.send(copy.deepcopy(lost)) == late
    assert raw.balance(6) == before_balance == Decimal("2100.00")
    assert raw.totals()["fixmedins_setl_cnt"] == "0"
    after = db_state(settlement_service.db)
    assert after["settlement"] == before["settlement"] == [] and after["person"] == before["person"]
    assert after["usage"] == before["usage"]


def test_2601_of_a_refused_message_reverses_nothing(raw: Raw) -> None:
    msgid = new_msgid()
    raw.refused("2102", sale_input(7, card(7), lines((AMOXICILLIN, "1"))), msgid=msgid)
    out = raw.call("2601", {"data": {"psn_no": psn(7), "omsgid": msgid, "oinfno": "2102"}})
    assert out["infcode"] == 0 and out["output"]["data"]["reversed"] == "0" and "refused" in out["warn_msg"]


def test_reversal_gives_back_deductible_cap_and_balance(raw: Raw) -> None:
    # 011: 150.00 of deductible left. INSULIN: act_pay_dedc 150.00, hifp 86.33 (by hand:
    # round((322.65-150.00)*0.50) = round(86.325) = 86.33), acct 272.17.
    entries = lines((INSULIN, "1"))
    first = raw.ok("2102", sale_input(11, card(11), entries))
    assert (first["setlinfo"]["act_pay_dedc"], first["setlinfo"]["hifp_pay"]) == ("150.00", "86.33")
    raw.ok("2103", {"data": {"setl_id": first["setlinfo"]["setl_id"], "psn_no": psn(11)}})
    assert raw.balance(11) == Decimal("980.00")
    again = raw.ok("2102", sale_input(11, card(11), entries))
    assert {k: again["setlinfo"][k] for k in ("act_pay_dedc", "hifp_pay", "acct_pay", "balc")} == \
        {k: first["setlinfo"][k] for k in ("act_pay_dedc", "hifp_pay", "acct_pay", "balc")}


def test_reversal_gives_back_the_cap(raw: Raw) -> None:
    # 006 has 50.00 of cap left; a sale takes it, the reversal must give it back.
    entries = lines((INSULIN, "1"))
    first = raw.ok("2102", sale_input(6, card(6), entries))
    assert first["setlinfo"]["hifp_pay"] == "50.00"
    msgid_out = raw.ok("2601", {"data": {"psn_no": psn(6), "omsgid": first["setlinfo"]["medins_setl_id"],
                                         "oinfno": "2102"}})
    assert msgid_out["data"]["reversed"] == "1"
    again = raw.ok("2101", sale_input(6, card(6), entries))
    assert again["setlinfo"]["hifp_pay"] == "50.00" and again["setlinfo"]["balc"] == "1791.50"


def test_client_reports_a_reused_msgid_as_a_refusal(settlement_client: SettlementClient) -> None:
    msgid = settlement_client.next_msgid()
    settlement_client.call("1301", {"data": {"ver": ""}}, msgid=msgid)
    with pytest.raises(ServiceRefused, match="already used"):
        settlement_client.call("1101", {"data": card(1)}, msgid=msgid)


def test_concurrent_sales_never_overdraw_an_account(settlement_service) -> None:  # type: ignore[no-untyped-def]
    # 010 has 35.60 in her account and is bound to 009 (5400.00). Four tills sell to her at once;
    # the service serializes them: her account never goes below zero and what both accounts lost
    # is exactly what the settlements say they paid.
    errors: list[BaseException] = []
    answers: list[dict[str, Any]] = []
    lock = threading.Lock()

    def till() -> None:
        r = Raw(settlement_service.url)
        try:
            for _ in range(6):
                out = r.ok("2102", sale_input(10, card(10), lines((AZITHROMYCIN, "1"))))
                with lock:
                    answers.append(out["setlinfo"])
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            r.close()

    threads = [threading.Thread(target=till) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and len(answers) == 24
    raw = Raw(settlement_service.url)
    try:
        acct = sum((Decimal(a["acct_pay"]) for a in answers), Decimal(0))
        mulaid = sum((Decimal(a["acct_mulaid_pay"]) for a in answers), Decimal(0))
        assert acct == Decimal("35.60") and raw.balance(10) == Decimal("0.00")
        assert raw.balance(9) == Decimal("5400.00") - mulaid
        assert sorted(Decimal(a["balc"]) for a in answers)[0] == Decimal("0.00")
        assert raw.totals()["fixmedins_setl_cnt"] == "24"
    finally:
        raw.close()
