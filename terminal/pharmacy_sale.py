"""The pharmacy sale request (2101 pre-settle, 2102 settle) as the terminal sends it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from terminal.domain import CatalogItem, MedType
from terminal.money import ZERO, fmt_amount, round_yuan


def drugdetail_entry(serial: int, item: CatalogItem, pric: Decimal, cnt: Decimal, fee_time: str) -> dict[str, Any]:
    """One drugdetail line; its amount is round(pric x cnt), as the service checks."""
    return {
        "feedetl_sn": f"{serial:04d}",
        "med_list_codg": item.med_list_codg,
        "medins_list_codg": item.med_list_codg,
        "pric": str(pric),
        "cnt": str(cnt),
        "det_item_fee_sumamt": fmt_amount(round_yuan(pric * cnt)),
        "fee_ocur_time": fee_time,
    }


def pharmacy_sale_input(cert: dict[str, str], *, psn_no: str, insutype: str, acct_used: bool,
                        drugdetail: list[dict[str, Any]], fee_time: str) -> dict[str, Any]:
    """The 2101/2102 input; medfee_sumamt is the sum of the lines, so the two always agree."""
    total = sum((Decimal(line["det_item_fee_sumamt"]) for line in drugdetail), ZERO)
    return {
        "data": {**cert, "psn_no": psn_no, "med_type": MedType.PHARMACY.value, "medfee_sumamt": fmt_amount(total),
                 "insutype": insutype, "acct_used_flag": "1" if acct_used else "0", "psn_setlway": "01",
                 "fee_ocur_time": fee_time},
        "drugdetail": drugdetail,
    }
