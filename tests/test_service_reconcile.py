"""End to end: reconciliation (3201 totals, 3202 detail) against the day's real settlements.

The expected totals are summed here from the settlement answers the terminal got,
minus the reversals it made; the service must agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from service_helpers import (
    ATORVASTATIN,
    CONSULT,
    IBUPROFEN,
    MRI,
    NIFEDIPINE,
    VITAMIN_C,
    Raw,
    card,
    lines,
    module_service,
    now_text,
    psn,
    sale_input,
)

AMOUNTS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay")


class Day:
    """The settlements made in this module's service and what a terminal would total."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.settled: list[dict[str, Any]] = []  # setlinfo of each settlement
        self.reversed: list[dict[str, Any]] = []  # setlinfo of the settlements later reversed

    def totals(self, **filters: str) -> dict[str, str]:
        def keep(info: dict[str, Any]) -> bool:
            return all(info[k] == v for k, v in filters.items())

        out = {}
        for name in AMOUNTS:
            value = sum((Decimal(i[name]) for i in self.settled if keep(i)), Decimal("0.00")) \
                - sum((Decimal(i[name]) for i in self.reversed if keep(i)), Decimal("0.00"))
            out[name] = f"{value:.2f}"
        count = sum(1 for i in self.settled if keep(i)) - sum(1 for i in self.reversed if keep(i))
        out["fixmedins_setl_cnt"] = str(count)
        return out


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Day]:
    with module_service(tmp_path_factory, "reconcile") as service:
        raw = Raw(service.url)
        try:
            d = Day(raw)
            # Pharmacy: 013 (310), 003 (390 with mutual aid from 001), 005 (310, cash).
            for n, entries in ((13, lines((NIFEDIPINE, "3"), (IBUPROFEN, "1"))),
                               (3, lines((ATORVASTATIN, "2"))),
                               (5, lines((IBUPROFEN, "2")))):
                d.settled.append(raw.ok("2102", sale_input(n, card(n), entries))["setlinfo"])
            # A Class C sale reversed the same day (2103), and another reversed by 2601.
            for how in ("2103", "2601"):
                out = raw.ok("2102", sale_input(13, card(13), lines((VITAMIN_C, "1"))))
                info = out["setlinfo"]
                d.settled.append(info)
                if how == "2103":
                    raw.ok("2103", {"data": {"setl_id": info["setl_id"], "psn_no": psn(13)}})
                else:
                    raw.ok("2601", {"data": {"psn_no": psn(13), "omsgid": info["medins_setl_id"],
                                             "oinfno": "2102"}})
                d.reversed.append(info)
            # Outpatient visit of 009 (clr_type 11) and an inpatient stay of 012 (clr_type 21).
            mdtrt_id = raw.ok("2201", {"data": {"psn_no": psn(9), **card(9), "med_type": "11",
                                                "ipt_otp_no": "OP-9"}})["data"]["mdtrt_id"]
            raw.ok("2204", {"feedetail": [{**lines((CONSULT, "2"))[0], "mdtrt_id": mdtrt_id, "psn_no": psn(9),
                                           "chrg_bchno": "B1", "fee_ocur_time": now_text(-5)}]})
            d.settled.append(raw.ok("2207", {"data": {"mdtrt_id": mdtrt_id, "psn_no": psn(9), **card(9),
                                                      "medfee_sumamt": "20.00", "insutype": "310",
                                                      "acct_used_flag": "1"}})["setlinfo"])
            stay = raw.ok("2401", {"data": {"psn_no": psn(12), **card(12), "med_type": "21",
                                            "ipt_no": "IP-12"}})["result"]["mdtrt_id"]
            raw.ok("2301", {"feedetail": [{**lines((MRI, "1"))[0], "mdtrt_id": stay, "psn_no": psn(12),
                                           "fee_ocur_time": now_text(-5)}]})
            raw.ok("2402", {"data": {"mdtrt_id": stay, "psn_no": psn(12)}})
            d.settled.append(raw.ok("2304", {"data": {"mdtrt_id": stay, "psn_no": psn(12), **card(12),
                                                      "medfee_sumamt": "480.00", "insutype": "390",
                                                      "acct_used_flag": "1"}})["setlinfo"])
            # Refused and pre-settled messages are not settlements.
            raw.refused("2102", sale_input(7, card(7), lines((IBUPROFEN, "1"))))
            raw.ok("2101", sale_input(13, card(13), lines((IBUPROFEN, "1"))))
            yield d
        finally:
            raw.close()


def statement(totals: dict[str, str], **filters: str) -> dict[str, Any]:
    today = date.today().isoformat()
    return {"data": {"setl_optins": "120000", "stmt_begndate": today, "stmt_enddate": today, **totals,
                     **filters}}


def test_3201_agrees_with_the_days_settlements_minus_reversals(day: Day) -> None:
    expected = day.totals()
    assert expected["fixmedins_setl_cnt"] == "5"
    out = day.raw.ok("3201", statement(expected))
    assert out["stmt_rslt"] == "0", out["stmt_rslt_dscr"]
    assert {k: out[k] for k in expected} == expected


@pytest.mark.parametrize("filters", [{"insutype": "310"}, {"insutype": "390"}, {"clr_type": "41"},
                                     {"clr_type": "11"}, {"clr_type": "21"},
                                     {"insutype": "390", "clr_type": "41"}])
def test_3201_filters_by_insutype_and_clearing_type(day: Day, filters: dict[str, str]) -> None:
    expected = day.totals(**filters)
    out = day.raw.ok("3201", statement(expected, **filters))
    assert out["stmt_rslt"] == "0", out["stmt_rslt_dscr"]
    assert out["fixmedins_setl_cnt"] == expected["fixmedins_setl_cnt"] != "0"


@pytest.mark.parametrize("field", ["medfee_sumamt", "fund_pay_sumamt", "acct_pay", "fixmedins_setl_cnt"])
def test_3201_with_wrong_totals_says_which(day: Day, field: str) -> None:
    claimed = day.totals()
    claimed[field] = str(int(claimed[field]) + 1) if field == "fixmedins_setl_cnt" \
        else f"{Decimal(claimed[field]) + Decimal('0.01'):.2f}"
    out = day.raw.ok("3201", statement(claimed))
    assert out["stmt_rslt"] == "1" and field in out["stmt_rslt_dscr"]


def test_3201_of_another_day_is_empty(day: Day) -> None:
    out = day.raw.ok("3201", {"data": {"stmt_begndate": "2020-01-01", "stmt_enddate": "2020-01-31",
                                       "medfee_sumamt": "0.00", "fund_pay_sumamt": "0.00", "acct_pay": "0.00",
                                       "fixmedins_setl_cnt": "0"}})
    assert out["stmt_rslt"] == "0" and out["fixmedins_setl_cnt"] == "0"


def test_3202_lists_settlements_and_reversals(day: Day) -> None:
    detail = day.raw.detail()["detail"]
    settled = {(e["setl_id"], e["medfee_sumamt"]) for e in detail if e["refd_setl_flag"] == "0"}
    reversals = {(e["setl_id"], e["medfee_sumamt"]) for e in detail if e["refd_setl_flag"] == "1"}
    assert settled == {(i["setl_id"], i["medfee_sumamt"]) for i in day.settled}
    assert reversals == {(i["setl_id"], "-" + i["medfee_sumamt"]) for i in day.reversed}
    by_id = {e["setl_id"]: e for e in detail if e["refd_setl_flag"] == "0"}
    for info in day.settled:
        entry = by_id[info["setl_id"]]
        assert (entry["psn_no"], entry["clr_type"], entry["acct_pay"], entry["acct_mulaid_pay"],
                entry["psn_cash_pay"]) == (info["psn_no"], info["clr_type"], info["acct_pay"],
                                           info["acct_mulaid_pay"], info["psn_cash_pay"])


def terminal_list(day: Day) -> list[dict[str, Any]]:
    """The list a terminal keeps: each settlement, and each reversal as its negative."""
    def amounts(info: dict[str, Any], sign: int) -> dict[str, str]:
        return {k: f"{sign * Decimal(info[k]) + 0:.2f}" for k in AMOUNTS}  # + 0: no "-0.00"

    return [{"setl_id": i["setl_id"], "refd_setl_flag": "0", **amounts(i, 1)} for i in day.settled] + \
        [{"setl_id": i["setl_id"], "refd_setl_flag": "1", **amounts(i, -1)} for i in day.reversed]


def test_3202_with_the_terminals_own_list_reports_mismatches(day: Day) -> None:
    ours = terminal_list(day)
    # Drop one, change one, invent one.
    dropped, changed = ours[0], dict(ours[1])
    changed["acct_pay"] = f"{Decimal(changed['acct_pay']) + 1:.2f}"
    invented = {"setl_id": "S-NOT-KNOWN", "refd_setl_flag": "0", "medfee_sumamt": "1.00",
                "fund_pay_sumamt": "0.00", "acct_pay": "1.00"}
    out = day.raw.detail(detail=[changed, invented, *ours[2:]])
    problems = {(m["setl_id"], m["refd_setl_flag"], m["problem"]) for m in out["mismatches"]}
    assert out["stmt_rslt"] == "1"
    # Exactly the three differences: the echoed reversals agree too.
    assert problems == {(dropped["setl_id"], "0", "missing at terminal"), (changed["setl_id"], "0", "amounts differ"),
                        ("S-NOT-KNOWN", "0", "unknown to service")}


def test_3202_with_a_matching_list_agrees(day: Day) -> None:
    agree = day.raw.detail(detail=terminal_list(day))
    assert agree["mismatches"] == [] and agree["stmt_rslt"] == "0"


def test_no_negative_zero_amounts(day: Day) -> None:
    texts = [e[k] for e in day.raw.detail()["detail"] for k in (*AMOUNTS, "acct_mulaid_pay", "psn_cash_pay")]
    assert "-0.00" not in texts


def test_reconciliation_refuses_bad_periods(day: Day) -> None:
    today = date.today().isoformat()
    base = {"medfee_sumamt": "0.00", "fund_pay_sumamt": "0.00", "acct_pay": "0.00", "fixmedins_setl_cnt": "0"}
    assert "before" in day.raw.refused("3201", {"data": {**base, "stmt_begndate": today,
                                                         "stmt_enddate": "2000-01-01"}})
    assert "real date" in day.raw.refused("3201", {"data": {**base, "stmt_begndate": "2024-02-30",
                                                            "stmt_enddate": today}})
    assert "stmt_enddate" in day.raw.refused("3202", {"data": {"stmt_begndate": today}})
