"""A journal row's receipt: the settled figures, or the offline estimate marked as one.

The receipt shows what the journal holds: the service's setlinfo once it settled
the sale, else the estimate the counter sold on (printed as an estimate), the
lines as they were sent, the receipt number the journal gave it and the cash
tendered at the counter (kept for the first print; a reprint shows no change).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.domain import CatalogItem
from terminal.errors import BadInput
from terminal.fields import FieldError
from terminal.money import fmt_amount
from terminal.offline.record import Txn
from terminal.offline.states import Kind
from terminal.receipt import WIDTH_80MM, ReceiptSale, Tender, render_receipt


class NoReceipt(BadInput):
    def __init__(self, txn: Txn) -> None:
        super().__init__(f"Sale {txn.local_id} has no figures to print yet: it was never settled or estimated.")


@dataclass(frozen=True)
class Receipt:
    txn: Txn
    lines: tuple[str, ...]
    estimate: bool
    reprint: bool

    @property
    def name(self) -> str:
        """The file name of its PDF: the receipt number, else the journal's id."""
        return (self.txn.receipt_no or self.txn.local_id) + ("-reprint" if self.reprint else "")


def receipt_for(txn: Txn, *, institution_name: str, catalog: Mapping[str, CatalogItem],
                tendered: Decimal | None = None, operator: str | None = None, reprint: bool = False,
                width: int = WIDTH_80MM) -> Receipt:
    info = txn.actual or txn.estimate
    if not info:
        raise NoReceipt(txn)
    estimate = txn.actual is None
    items = txn.request.get("drugdetail") or fee_items(txn)
    try:
        sale = ReceiptSale.from_setlinfo(info, items, estimate=estimate,
                                         time=txn.setl_time or txn.sale_time)
    except FieldError as exc:
        raise BadInput(f"Sale {txn.local_id} cannot be printed: its figures are damaged.",
                       detail=exc.cashier_message) from None
    tender = Tender(tendered) if tendered is not None and not reprint else None
    lines = render_receipt(sale, institution_name=institution_name, catalog=catalog, tender=tender, width=width,
                           offline=estimate, receipt_no=txn.receipt_no, operator=operator or txn.operator,
                           reprint=reprint, buyer_id=txn.buyer_id, deposit=deposit_of(txn))
    return Receipt(txn, tuple(lines), estimate, reprint)


def fee_items(txn: Txn) -> list[dict[str, Any]]:
    """A hospital settlement's fees as the receipt lists them: one line per item and price (a stay's bed-days,
    nursing and tests summed), from the service's per-item answer."""
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in (txn.answer or {}).get("feedetail") or []:
        key = (str(entry.get("med_list_codg")), str(entry.get("pric")))
        line = grouped.setdefault(key, {"med_list_codg": key[0], "pric": key[1], "cnt": Decimal(0),
                                        "det_item_fee_sumamt": Decimal(0), "chrgitm_lv": entry.get("chrgitm_lv")})
        line["cnt"] += Decimal(str(entry.get("cnt", "0")))
        line["det_item_fee_sumamt"] += Decimal(str(entry.get("det_item_fee_sumamt", "0")))
    return [{**line, "cnt": str(line["cnt"]), "det_item_fee_sumamt": fmt_amount(line["det_item_fee_sumamt"])}
            for line in grouped.values()]


def deposit_of(txn: Txn) -> Decimal | None:
    """The deposit a discharge settlement offsets (kept with its pre-settlement), else None."""
    if txn.kind is not Kind.DISCHARGE_SETTLEMENT or not txn.estimate or "deposit" not in txn.estimate:
        return None
    return Decimal(str(txn.estimate["deposit"]))
