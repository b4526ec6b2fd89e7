"""Day-end reconciliation: the terminal's own totals and the 3201 / 3202 requests built from them.

The platform reconciles per insutype, clearing type (clr_type, the med_type of
the settlement) and clearing region (setl_optins): medical fee total, fund
payments, personal-account payments and the count of settlements, reversals
counted negative on the day they were made. The terminal's side comes from
its own records (the settlement answers it kept, or a 3202 detail list), so
the UI, the day-end command and the demo share this one computation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.money import ZERO, fmt_amount


@dataclass(frozen=True)
class StatementKey:
    insutype: str
    clr_type: str
    setl_optins: str


@dataclass(frozen=True)
class Entry:
    """One settlement (or one reversal, with negated amounts) as the terminal recorded it."""

    setl_id: str
    key: StatementKey
    reversal: bool
    medfee_sumamt: Decimal
    fund_pay_sumamt: Decimal
    acct_pay: Decimal

    @classmethod
    def from_detail(cls, row: Mapping[str, Any]) -> Entry:
        """From a 3202 detail row: reversals carry refd_setl_flag "1" and negative amounts."""
        return cls(
            setl_id=str(row["setl_id"]),
            key=StatementKey(str(row["insutype"]), str(row["clr_type"]), str(row["setl_optins"])),
            reversal=row.get("refd_setl_flag") == "1",
            medfee_sumamt=Decimal(row["medfee_sumamt"]),
            fund_pay_sumamt=Decimal(row["fund_pay_sumamt"]),
            acct_pay=Decimal(row["acct_pay"]),
        )


    @classmethod
    def from_setlinfo(cls, setlinfo: Mapping[str, Any]) -> Entry:
        """From a settlement answer's setlinfo as the terminal keeps it. A reversal's answer
        (2103/2208/2305) carries orig_setl_id and the reversed amounts negated; the platform lists
        it under the original setl_id."""
        reversal = bool(setlinfo.get("orig_setl_id"))
        return cls(
            setl_id=str(setlinfo["orig_setl_id"] if reversal else setlinfo["setl_id"]),
            key=StatementKey(str(setlinfo["insutype"]), str(setlinfo["clr_type"]), str(setlinfo["clr_optins"])),
            reversal=reversal,
            medfee_sumamt=Decimal(setlinfo["medfee_sumamt"]),
            fund_pay_sumamt=Decimal(setlinfo["fund_pay_sumamt"]),
            acct_pay=Decimal(setlinfo["acct_pay"]),
        )


def entries_from_answers(setlinfos: Iterable[Mapping[str, Any]]) -> list[Entry]:
    """The terminal's side of a day: one entry per settlement or reversal answer it kept."""
    return [Entry.from_setlinfo(info) for info in setlinfos]


@dataclass(frozen=True)
class Totals:
    medfee_sumamt: Decimal = ZERO
    fund_pay_sumamt: Decimal = ZERO
    acct_pay: Decimal = ZERO
    count: int = 0

    def add(self, entry: Entry) -> Totals:
        return Totals(self.medfee_sumamt + entry.medfee_sumamt, self.fund_pay_sumamt + entry.fund_pay_sumamt,
                      self.acct_pay + entry.acct_pay, self.count + (-1 if entry.reversal else 1))


def totals_by_key(entries: Iterable[Entry]) -> dict[StatementKey, Totals]:
    """The terminal's totals per (insutype, clr_type, setl_optins), in a stable order."""
    groups: dict[StatementKey, Totals] = {}
    for entry in entries:
        groups[entry.key] = groups.get(entry.key, Totals()).add(entry)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0].insutype, kv[0].clr_type, kv[0].setl_optins)))


def statement_input(key: StatementKey, totals: Totals, begin: str, end: str) -> dict[str, Any]:
    """The 3201 input claiming `totals` for `key` over the dates begin..end (yyyy-MM-dd)."""
    return {"data": {
        "insutype": key.insutype, "clr_type": key.clr_type, "setl_optins": key.setl_optins,
        "stmt_begndate": begin, "stmt_enddate": end,
        "medfee_sumamt": fmt_amount(totals.medfee_sumamt), "fund_pay_sumamt": fmt_amount(totals.fund_pay_sumamt),
        # A count is a JSON number, as the platform's clients send it.
        "acct_pay": fmt_amount(totals.acct_pay), "fixmedins_setl_cnt": totals.count,
    }}


def detail_input(begin: str, end: str, entries: Iterable[Entry] | None = None) -> dict[str, Any]:
    """The 3202 input for begin..end; with `entries`, the service also lists what differs."""
    data: dict[str, Any] = {"data": {"stmt_begndate": begin, "stmt_enddate": end}}
    if entries is not None:
        data["detail"] = [{
            "setl_id": e.setl_id, "refd_setl_flag": "1" if e.reversal else "0",
            "medfee_sumamt": fmt_amount(e.medfee_sumamt), "fund_pay_sumamt": fmt_amount(e.fund_pay_sumamt),
            "acct_pay": fmt_amount(e.acct_pay),
        } for e in entries]
    return data


def detail_mismatches(terminal: Iterable[Entry], service: Iterable[Entry]) -> list[dict[str, str]]:
    """Every settlement or reversal one side has and the other has not, or whose amounts differ.

    The service's side is its 3202 detail for the period (asked without the terminal's list, which
    for a busy day would be larger than a request may be).
    """
    def keyed(entries: Iterable[Entry]) -> dict[tuple[str, bool], Entry]:
        return {(e.setl_id, e.reversal): e for e in entries}

    mine, theirs = keyed(terminal), keyed(service)
    out = []
    for key in sorted(set(mine) | set(theirs)):
        flag = "1" if key[1] else "0"
        if key not in mine:
            out.append({"setl_id": key[0], "refd_setl_flag": flag, "problem": "missing at terminal"})
        elif key not in theirs:
            out.append({"setl_id": key[0], "refd_setl_flag": flag, "problem": "unknown to service"})
        elif _amounts(mine[key]) != _amounts(theirs[key]):
            out.append({"setl_id": key[0], "refd_setl_flag": flag, "problem": "amounts differ"})
    return out


def _amounts(entry: Entry) -> tuple[Decimal, Decimal, Decimal]:
    return entry.medfee_sumamt, entry.fund_pay_sumamt, entry.acct_pay
