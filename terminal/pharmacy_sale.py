"""The pharmacy sale request (2101 pre-settle, 2102 settle) as the terminal sends it.

Shared by the `settle` and `sale` commands, the offline estimate and the counter UI, so a
basket is priced and sent one way everywhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.basket import read_count, read_price
from terminal.catalog import Catalog
from terminal.domain import BasketLine, CatalogItem, CertType, MedType
from terminal.errors import BadInput
from terminal.fields import FieldError, Fields
from terminal.money import ZERO, fmt_amount, round_yuan
from terminal.traceability import MAX_RX_NO, check_line, check_repeats, check_restricted_totals, split_codes


@dataclass(frozen=True)
class Buyer:
    """Who is buying, as the counter read them: a social security card, or a scanned e-voucher."""

    card_no: str | None = None
    card_sn: str | None = None
    voucher: str | None = None

    def __post_init__(self) -> None:
        if bool(self.voucher) == bool(self.card_no and self.card_sn):
            raise ValueError("a buyer is a card (number and card_sn) or an e-voucher, not both or neither")

    def person_key(self, psn_no: str | None) -> str:
        """A stable key for what 1101 said of the person, without storing the card number."""
        basis = f"card:{self.card_no}" if self.card_no else f"psn:{psn_no}"
        return hashlib.sha256(basis.encode()).hexdigest()

    def offline_certificate(self) -> dict[str, str]:
        """The certificate a sale forwarded later carries: the card, or the voucher text itself."""
        if self.card_no:
            return {"mdtrt_cert_type": CertType.SOCIAL_SECURITY_CARD.value, "mdtrt_cert_no": self.card_no,
                    "card_sn": self.card_sn or ""}
        return {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": self.voucher or "", "card_sn": ""}


def drugdetail_entry(serial: int, item: CatalogItem, pric: Decimal, cnt: Decimal, fee_time: str, *,
                     trac_codes: Sequence[str] = (), rx_no: str | None = None) -> dict[str, Any]:
    """One drugdetail line; its amount is round(pric x cnt), as the service checks. A drug whose boxes carry
    traceability codes sends them comma-joined (drug_trac_codg); a prescription drug its rx_no."""
    entry: dict[str, Any] = {
        "feedetl_sn": f"{serial:04d}",
        "med_list_codg": item.med_list_codg,
        "medins_list_codg": item.med_list_codg,
        "pric": str(pric),
        "cnt": str(cnt),
        "det_item_fee_sumamt": fmt_amount(round_yuan(pric * cnt)),
        "fee_ocur_time": fee_time,
    }
    if trac_codes:
        entry["drug_trac_codg"] = ",".join(trac_codes)
    if rx_no is not None:
        entry["rx_no"] = rx_no
    return entry


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


def price_basket(basket: object, catalog: Catalog, fee_time: str) -> list[dict[str, Any]]:
    """A basket file's lines ({"med_list_codg" or "barcode", "cnt", "pric"?, "drug_trac_codg"?: [codes],
    "rx_no"?}, or {"items": [...]}) priced from the catalog into 2101/2102 drugdetail entries; a missing pric
    takes the catalog's. The pharmacy rules are checked here, naming the line (terminal.traceability)."""
    entries = basket.get("items") if isinstance(basket, dict) else basket
    lines = Fields({"items": entries}, "basket").items("items")
    out = []
    checked: list[tuple[int, CatalogItem, Decimal, list[str]]] = []
    for n, f in enumerate(lines, start=1):
        code = f.opt_text("med_list_codg", max_len=50)
        item = catalog.get(code) if code else None
        barcode = f.opt_text("barcode", max_len=14)
        if item is None and barcode:
            item = catalog.by_barcode(barcode)
        if item is None:
            raise FieldError(f"{f.where}: {code or barcode or 'the line'} is not in the service's catalog")
        if f.has("pric"):
            pric = read_price(f)
        elif item.pric is not None:
            pric = item.pric
        else:
            raise FieldError(f"{f.where}.pric is required: the catalog has no price for {item.med_list_codg}")
        cnt = read_count(f)
        try:
            codes = split_codes(f.raw("drug_trac_codg"))
        except BadInput as exc:
            raise FieldError(f"{f.where}: {exc.cashier_message}") from None
        rx_no = f.opt_text("rx_no", max_len=MAX_RX_NO)
        check_line(n, item, cnt, codes, rx_no)
        checked.append((n, item, cnt, codes))
        out.append(drugdetail_entry(n, item, pric, cnt, fee_time, trac_codes=codes, rx_no=rx_no))
    check_repeats((n, codes) for n, _item, _cnt, codes in checked)
    check_restricted_totals((n, item, cnt) for n, item, cnt, _codes in checked)
    return out


def basket_lines(drugdetail: list[dict[str, Any]], catalog: Catalog) -> list[BasketLine]:
    """The engine's view of drugdetail entries: each line with its catalog class and caps."""
    lines = []
    for entry in drugdetail:
        item = catalog[entry["med_list_codg"]]
        lines.append(BasketLine(
            med_list_codg=item.med_list_codg, pric=Decimal(entry["pric"]), cnt=Decimal(entry["cnt"]),
            chrgitm_lv=item.chrgitm_lv, selfpay_prop=item.selfpay_prop, pric_uplmt_amt=item.pric_uplmt_amt,
            feedetl_sn=entry["feedetl_sn"], medins_list_codg=entry["medins_list_codg"],
            fee_ocur_time=entry["fee_ocur_time"]))
    return lines


def cash_setlinfo(drugdetail: list[dict[str, Any]], setl_time: str) -> dict[str, Any]:
    """A sale paid wholly in cash, without insurance, in setlinfo's terms (screens and receipts read one
    shape): everything is the person's own payment; `cash_sale` marks it as never settled by the service."""
    total = sum((Decimal(line["det_item_fee_sumamt"]) for line in drugdetail), ZERO)
    zero, amount = fmt_amount(ZERO), fmt_amount(total)
    info: dict[str, Any] = {name: zero for name in (
        "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt", "act_pay_dedc", "hifp_pay", "cvlserv_pay",
        "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "acct_pay",
        "hosp_part_amt", "balc", "acct_mulaid_pay")}
    info.update(medfee_sumamt=amount, fulamt_ownpay_amt=amount, psn_part_amt=amount, psn_cash_pay=amount,
                pool_prop_selfpay="0", setl_time=setl_time, cash_sale=True)
    return info
