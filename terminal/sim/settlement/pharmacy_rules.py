"""The pharmacy rules on a 2101/2102 sale (DESIGN.md "Drug traceability codes and pharmacy rules").

Each line is judged by terminal.traceability, as the counter and the commands judge it, so a refusal
names the same line (its place in drugdetail, from 1) and code the cashier would have been shown. A code
already sold in a settlement that stands is refused too: 2102 records the codes it sells in sold_code,
and a reversal (2103, or 2601 of a 2102) frees them. 2101 judges the same and records nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal

from terminal.domain import BasketLine, CatalogItem
from terminal.errors import BadInput
from terminal.fields import FieldError, Fields
from terminal.sim.settlement.call import Call
from terminal.sim.settlement.store import Store
from terminal.traceability import (
    already_sold,
    check_line,
    check_repeats,
    check_restricted_totals,
    split_codes,
)

# Longer than a prescription number may be, so that check_line (which names the line) judges it.
_RX_NO_READ_LIMIT = 200


@dataclass(frozen=True)
class JudgedLine:
    line: int  # its place in drugdetail, from 1
    item: CatalogItem
    cnt: Decimal
    feedetl_sn: str
    codes: tuple[str, ...]


def judge_sale(call: Call, entries: list[Fields], lines: list[BasketLine]) -> list[JudgedLine]:
    """Every rule on the sale's lines, or LineRuleBroken for the first one broken (an infcode -1 answer)."""
    judged = []
    for n, (f, line) in enumerate(zip(entries, lines, strict=True), start=1):
        item = call.service.catalog[line.med_list_codg]
        try:
            codes = split_codes(f.raw("drug_trac_codg"))
        except BadInput as exc:
            raise FieldError(f"{f.where}: {exc.cashier_message}") from None
        check_line(n, item, line.cnt, codes, f.opt_text("rx_no", max_len=_RX_NO_READ_LIMIT))
        judged.append(JudgedLine(n, item, line.cnt, line.feedetl_sn, tuple(codes)))
    check_repeats((j.line, j.codes) for j in judged)
    check_restricted_totals((j.line, j.item, j.cnt) for j in judged)
    for j in judged:
        for code in j.codes:
            if call.store.one("SELECT 1 FROM sold_code WHERE code = ? AND status = 'settled'", (code,)):
                raise already_sold(j.line, j.item, code)
    return judged


def record_sold(store: Store, setl_id: str, judged: list[JudgedLine]) -> None:
    """The settlement's codes now stand: no other settlement can sell them until it is reversed."""
    for j in judged:
        for code in j.codes:
            try:
                store.execute("INSERT INTO sold_code(code, setl_id, feedetl_sn, med_list_codg, status)"
                              " VALUES (?,?,?,?,'settled')", (code, setl_id, j.feedetl_sn, j.item.med_list_codg))
            except sqlite3.IntegrityError:
                # The unique index: another settlement sold it since judge_sale looked. The savepoint
                # undoes this sale whole.
                raise already_sold(j.line, j.item, code) from None


def free_codes(store: Store, setl_id: str) -> None:
    """A reversed settlement's boxes may be sold again (a returned box goes back on the shelf)."""
    store.execute("UPDATE sold_code SET status = 'reversed' WHERE setl_id = ?", (setl_id,))
