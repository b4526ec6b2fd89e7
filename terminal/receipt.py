"""The customer receipt as plain text lines, for any printer or the screen.

Personal data is masked (name and ID number), as the platform's guidance on
protecting insured persons' data asks. Chinese characters take two columns on
a receipt printer, so widths are measured in display columns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from terminal.answers import Settlement
from terminal.domain import CatalogItem
from terminal.money import fmt_amount, fmt_decimal
from terminal.privacy import mask_id, mask_name

WIDTH_80MM = 42
WIDTH_58MM = 32


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Cut to at most `width` columns (never splitting a wide character)."""
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            break
        out, used = out + ch, used + w
    return out


def two_columns(left: str, right: str, width: int) -> str:
    left = fit(left, width - display_width(right) - 1)
    return left + " " * (width - display_width(left) - display_width(right)) + right


@dataclass(frozen=True)
class Tender:
    """What the cashier took for the cash part."""

    cash_received: Decimal

    def change(self, cash_due: Decimal) -> Decimal:
        return self.cash_received - cash_due


def render_receipt(
    settlement: Settlement,
    *,
    institution_name: str,
    catalog: Mapping[str, CatalogItem],
    tender: Tender | None = None,
    width: int = WIDTH_80MM,
    offline: bool = False,
) -> list[str]:
    info = settlement.setlinfo
    t = settlement.totals
    rule = "-" * width
    lines = [fit(institution_name, width), fit("医保结算单 Medical insurance receipt", width), rule]
    if offline:
        lines.append("离线预估 OFFLINE ESTIMATE - to be confirmed")
    lines += [
        two_columns("时间 Time", str(info.get("setl_time") or ""), width),
        two_columns("结算号 Settlement", str(info.get("setl_id") or "-"), width),
        two_columns("姓名 Name", mask_name(str(info.get("psn_name") or "")), width),
        two_columns("证件 ID", mask_id(str(info.get("certno") or "")), width),
        rule,
    ]
    for item in settlement.items:
        entry = catalog.get(item.line.med_list_codg)
        name = entry.name if entry else item.line.med_list_codg
        lines.append(fit(name, width))
        qty = f"  {item.line.cnt.normalize():f} x {fmt_decimal(item.line.pric.normalize())}"
        lines.append(two_columns(qty, fmt_amount(item.det_item_fee_sumamt), width))
    lines.append(rule)
    for label, value in (
        ("医疗费总额 Total", t.medfee_sumamt),
        ("统筹支付 Pooled fund", t.fund_pay_sumamt),
        ("个人账户 Personal account", t.acct_pay),
        ("家庭共济 Family mutual aid", t.acct_mulaid_pay),
        ("现金支付 Cash", t.psn_cash_pay),
    ):
        lines.append(two_columns(label, fmt_amount(value), width))
    if tender is not None:
        lines.append(two_columns("实收 Received", fmt_amount(tender.cash_received), width))
        lines.append(two_columns("找零 Change", fmt_amount(tender.change(t.psn_cash_pay)), width))
    lines.append(two_columns("账户余额 Balance", fmt_amount(t.balc), width))
    lines.append(rule)
    return lines
