"""End to end: sign-in (9001/9002), catalog download (1301), and institutions kept apart."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    ATORVASTATIN,
    CATALOG,
    PERSONS,
    VITAMIN_C,
    Raw,
    card,
    check_settlement,
    expect,
    lines,
    new_msgid,
    psn,
    sale_input,
)

from terminal.client import Institution, ServiceRefused, SettlementClient
from terminal.settings import Settings
from terminal.sim.processes import ServiceProcess, running_settlement_service, start_settlement_service

OTHER = "P99999999999"  # another pharmacy, using the same platform


def other(raw: Raw, infno: str, input_: object) -> dict[str, object]:
    """A message sent by the other institution."""
    return raw.call(infno, input_, msgid=new_msgid(OTHER), fixmedins_code=OTHER)


@pytest.fixture
def raw(settlement_service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(settlement_service.url)
    yield r
    r.close()


def test_catalog_download_through_the_client(settlement_client: SettlementClient) -> None:
    catalog, policy, ver = settlement_client.download_catalog()
    assert len(catalog) == len(CATALOG) == 75 and ver
    item = catalog.get(AMOXICILLIN)
    assert item is not None and item.pric_uplmt_amt == Decimal("9.50")
    assert catalog.by_barcode(CATALOG[AMOXICILLIN]["barcode"]) == item
    assert policy.class_b_selfpay_prop == Decimal("0.10") and policy.bucket_for("21") == "inpatient"
    # The same catalog twice has the same version (terminals cache by it).
    assert settlement_client.download_catalog()[2] == ver


def test_sign_in_and_out(settlement_client: SettlementClient) -> None:
    sign_no = settlement_client.sign_in(mac="00:11:22:33:44:55", ip="10.0.0.5")
    assert sign_no
    settlement_client.sign_out()
    with pytest.raises(ServiceRefused, match="not signed in"):
        settlement_client.call("9002", {"signOut": {"sign_no": sign_no, "opter_no": "0001"}})


def test_require_sign_in(tmp_path):  # type: ignore[no-untyped-def]
    settings = Settings()
    with running_settlement_service(tmp_path / "signed.db", "--require-sign-in", plain_catalog=True) as service:
        client = SettlementClient(replace(settings.service, url=service.url),
                                  Institution.from_settings(settings.terminal))
        try:
            with pytest.raises(ServiceRefused, match="not signed in"):
                client.person_info(card(13))
            client.sign_in()
            assert client.person_info(card(13)).output.obj("baseinfo").text("psn_no") == psn(13)
            client.sign_out()
            with pytest.raises(ServiceRefused, match="not signed in"):
                client.person_info(card(13))
        finally:
            client.close()


def test_institutions_are_kept_apart(raw: Raw) -> None:
    theirs = other(raw, "2102", sale_input(13, card(13), lines((VITAMIN_C, "1"))))
    assert theirs["infcode"] == 0
    setl_id = theirs["output"]["setlinfo"]["setl_id"]  # type: ignore[index]
    msgid = theirs["output"]["setlinfo"]["medins_setl_id"]  # type: ignore[index]
    # Our reconciliation does not see their sale; we cannot reverse it by setl_id or by msgid.
    assert raw.totals()["fixmedins_setl_cnt"] == "0"
    assert raw.detail()["detail"] == []
    assert "no settlement" in raw.refused("2103", {"data": {"setl_id": setl_id, "psn_no": psn(13)}})
    assert "not sent by this institution" in raw.refused(
        "2601", {"data": {"psn_no": psn(13), "omsgid": msgid, "oinfno": "2102"}})
    # The person's balance is one: their sale shows in our 1101.
    assert raw.balance(13) == Decimal("7976.20")
    today = date.today().isoformat()
    mine = other(raw, "3201", {"data": {"stmt_begndate": today, "stmt_enddate": today, "medfee_sumamt": "23.80",
                                        "fund_pay_sumamt": "0.00", "acct_pay": "23.80",
                                        "fixmedins_setl_cnt": "1"}})
    assert mine["output"]["stmt_rslt"] == "0"  # type: ignore[index]


def test_a_visit_of_another_institution_is_not_ours(raw: Raw) -> None:
    theirs = other(raw, "2201", {"data": {"psn_no": psn(13), **card(13), "med_type": "11", "ipt_otp_no": "X"}})
    mdtrt_id = theirs["output"]["data"]["mdtrt_id"]  # type: ignore[index]
    fee = {**lines((AMOXICILLIN, "1"))[0], "mdtrt_id": mdtrt_id, "psn_no": psn(13)}
    assert "no outpatient visit" in raw.refused("2204", {"feedetail": [fee]})
    assert "no outpatient visit" in raw.refused("2202", {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn(13)}})


def persons_file(tmp_path, change) -> str:  # type: ignore[no-untyped-def]
    """A copy of the demo persons with `change` applied to the list."""
    people = copy.deepcopy(list(PERSONS.values()))
    change(people)
    path = tmp_path / "persons.json"
    path.write_text(json.dumps(people, ensure_ascii=False), encoding="utf-8")
    return str(path)


def by_no(people: list[dict[str, Any]], n: int) -> dict[str, Any]:
    return next(p for p in people if p["psn_no"] == psn(n))


def test_a_suspended_holder_gives_no_mutual_aid(tmp_path):  # type: ignore[no-untyped-def]
    path = persons_file(tmp_path, lambda people: by_no(people, 1).update(psn_insu_stas="2"))
    with running_settlement_service(tmp_path / "s.db", "--persons", path, plain_catalog=True) as service:
        raw = Raw(service.url)
        try:
            entries = lines((ATORVASTATIN, "2"))
            answer = raw.call("2102", sale_input(3, card(3), entries))
            assert answer["infcode"] == 0 and "suspended" in answer["warn_msg"]
            expect(check_settlement(answer["output"], entries), acct_mulaid_pay="0.00", psn_cash_pay="79.60")
            assert raw.balance(1) == Decimal("1500.00")
        finally:
            raw.close()


def test_a_restart_with_a_new_persons_file_adds_but_never_overwrites(tmp_path):  # type: ignore[no-untyped-def]
    db = tmp_path / "s.db"
    with running_settlement_service(db, plain_catalog=True) as service:
        raw = Raw(service.url)
        try:
            raw.ok("2102", sale_input(13, card(13), lines((VITAMIN_C, "1"))))
        finally:
            raw.close()

    def change(people: list[dict[str, Any]]) -> None:
        by_no(people, 13)["balc"] = "1.00"  # ignored: 013 exists already
        people.append({**by_no(people, 8), "psn_no": psn(99), "certno": "120101200001011234",
                       "card_no": "T19999999", "card_sn": "F" * 32, "psn_name": "新人"})

    with running_settlement_service(db, "--persons", persons_file(tmp_path, change), plain_catalog=True) as service:
        raw = Raw(service.url)
        try:
            assert raw.balance(13) == Decimal("7976.20")
            assert raw.person_info({"mdtrt_cert_type": "02", "mdtrt_cert_no": "120101200001011234",
                                    "card_sn": ""})["baseinfo"]["psn_name"] == "新人"
        finally:
            raw.close()


@pytest.mark.parametrize("problem,change", [
    ("binds 6 members", lambda people: [p.update(holder=psn(9)) for p in people
                                        if p["psn_no"] in (psn(2), psn(5), psn(6), psn(8))]),
    ("repeats card_no", lambda people: by_no(people, 2).update(card_no=by_no(people, 1)["card_no"])),
    ("not in the file", lambda people: by_no(people, 2).update(holder="12999999999999999999")),
], ids=["six members", "same card", "unknown holder"])
def test_a_bad_persons_file_stops_the_service_with_a_clear_message(tmp_path, problem, change):  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError, match=problem):
        start_settlement_service(tmp_path / "s.db", "--persons", persons_file(tmp_path, change)).stop()


def test_a_resident_with_a_balance_starts_with_a_warning_and_settles_from_it(tmp_path):  # type: ignore[no-untyped-def]
    """DESIGN.md says a 390 person's balance is 0; a file that says otherwise is flagged, not fatal."""
    db = tmp_path / "s.db"
    with running_settlement_service(db, "--persons", persons_file(tmp_path, lambda people: by_no(people, 8).update(
            balc="10.00"))) as service:
        raw = Raw(service.url)
        try:
            assert raw.balance(8) == Decimal("10.00")
        finally:
            raw.close()
    assert "has no personal account, but a balance of 10.00" in service.log.read_text()
