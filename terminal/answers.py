"""Parsing the service's answers into domain types, checking its arithmetic.

The terminal never shows a cashier a settlement whose numbers do not add up:
an answer that breaks an identity of DESIGN.md is malformed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from terminal.basket import read_count, read_price, read_price_cap
from terminal.domain import BasketLine, ChargeClass, FundDetail, ItemSplit, SplitTotals
from terminal.fields import FieldError, Fields


@dataclass(frozen=True)
class Settlement:
    """A (pre-)settlement as the service answered it."""

    setlinfo: dict[str, Any]  # as received, for receipts and the journal
    totals: SplitTotals
    details: tuple[FundDetail, ...]
    items: tuple[ItemSplit, ...]

    @property
    def setl_id(self) -> str | None:
        value = self.setlinfo.get("setl_id")
        return value if isinstance(value, str) and value else None

    @property
    def mdtrt_id(self) -> str | None:
        value = self.setlinfo.get("mdtrt_id")
        return value if isinstance(value, str) and value else None


def _signed_amount(f: Fields, name: str) -> Decimal:
    return f.decimal(name, places=2, minimum=None)


def totals_from_json(f: Fields) -> SplitTotals:
    values = {}
    for field in fields(SplitTotals):
        if field.name == "pool_prop_selfpay":
            values[field.name] = f.decimal(field.name, places=4, maximum=Decimal(1))
        else:
            values[field.name] = _signed_amount(f, field.name)
    return SplitTotals(**values)


def item_from_json(f: Fields) -> ItemSplit:
    line = BasketLine(
        med_list_codg=f.text("med_list_codg"),
        pric=read_price(f),
        cnt=read_count(f),
        chrgitm_lv=ChargeClass(f.text("chrgitm_lv", choices=[c.value for c in ChargeClass])),
        selfpay_prop=f.opt_decimal("selfpay_prop", places=4, maximum=Decimal(1)),
        pric_uplmt_amt=read_price_cap(f),
        feedetl_sn=f.opt_text("feedetl_sn", max_len=30) or "",
        medins_list_codg=f.opt_text("medins_list_codg", max_len=50) or "",
        fee_ocur_time=f.opt_text("fee_ocur_time", max_len=19) or "",
    )
    return ItemSplit(
        line=line,
        det_item_fee_sumamt=f.amount("det_item_fee_sumamt"),
        selfpay_prop=f.decimal("selfpay_prop", places=4, maximum=Decimal(1)),
        fulamt_ownpay_amt=f.amount("fulamt_ownpay_amt"),
        overlmt_amt=f.amount("overlmt_amt"),
        preselfpay_amt=f.amount("preselfpay_amt"),
        inscp_scp_amt=f.amount("inscp_scp_amt"),
    )


def detail_from_json(f: Fields) -> FundDetail:
    return FundDetail(
        fund_pay_type=f.text("fund_pay_type", max_len=10),
        inscp_scp_amt=f.amount("inscp_scp_amt"),
        crt_payb_lmt_amt=f.amount("crt_payb_lmt_amt"),
        fund_payamt=f.amount("fund_payamt"),
    )


def settlement_from_output(output: Fields, item_key: str) -> Settlement:
    """Raises FieldError on a missing field or an identity that does not hold."""
    info = output.obj("setlinfo")
    totals = totals_from_json(info)
    items = tuple(item_from_json(f) for f in output.items(item_key, allow_empty=True))
    details = tuple(detail_from_json(f) for f in output.items("setldetail", allow_empty=True))
    problems = totals.identity_violations(items if items else None)
    if problems:
        raise FieldError("the settlement's amounts do not add up: " + "; ".join(problems))
    return Settlement(setlinfo=info.data, totals=totals, details=details, items=items)
