"""The customer receipt as plain text lines: one rendering for the printer, the PDF and the screen.

`render_receipt(sale, ...)` takes a settlement as the service answered it
(`answers.Settlement`), or a `ReceiptSale` built from a plain setlinfo and its
items, which is what an offline sale has: the estimate's setlinfo (the same
keys as a settlement's) and the drugdetail lines it was priced from.

An offline sale is printed as an estimate, so the customer knows the figures
may still change: a banner at the top, each estimated payment marked "~",
and a footnote saying the settlement made when the network returns is final.
A reprint says so at the top and the bottom, so a second copy is never taken
for a second sale.

Personal data is masked (name and ID number), as the platform's guidance on
protecting insured persons' data asks. Chinese characters take two columns on
a receipt printer, so widths are measured in display columns.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from terminal.answers import Settlement, totals_from_json
from terminal.basket import read_count, read_price
from terminal.domain import BasketLine, CatalogItem, ChargeClass, ItemSplit, SplitTotals
from terminal.fields import Fields
from terminal.money import fmt_amount, fmt_decimal, round_yuan
from terminal.privacy import mask_id, mask_name

WIDTH_80MM = 42
WIDTH_58MM = 32

CLASS_MARKS = {ChargeClass.A: "甲", ChargeClass.B: "乙", ChargeClass.C: "丙"}
ESTIMATE_MARK = "~"
ESTIMATE_NOTES = ("~ 预估金额：联网后以医保结算为准，差额多退少补。",
                  "~ Estimated: the insurance settlement made when the network returns is final; any "
                  "difference is refunded or collected.")


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


def center(text: str, width: int) -> str:
    text = fit(text, width)
    return " " * ((width - display_width(text)) // 2) + text


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns: English breaks between words, Chinese between any two characters."""
    lines: list[str] = []
    while display_width(text) > width:
        head = fit(text, width)
        cut = head.rfind(" ")
        if cut > 0 and _in_word(head[-1]) and _in_word(text[len(head)]):
            head = head[:cut]
        elif text[len(head)] in _NO_LINE_START and len(head) > 1:
            head = head[:-1]  # a comma or full stop never starts a line: the character before it goes along
        lines.append(head.rstrip())
        text = text[len(head):].lstrip()
    return [*lines, text] if text else lines


_NO_LINE_START = "，。、；：！？）》」,.;:!?)"


def _in_word(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


@dataclass(frozen=True)
class Tender:
    """What the cashier took for the cash part."""

    cash_received: Decimal

    def change(self, cash_due: Decimal) -> Decimal:
        return self.cash_received - cash_due


@dataclass(frozen=True)
class ReceiptLine:
    med_list_codg: str
    pric: Decimal
    cnt: Decimal
    amount: Decimal  # det_item_fee_sumamt
    chrgitm_lv: ChargeClass | None = None
    codes: tuple[str, ...] = ()  # the traceability codes of its boxes
    rx_no: str | None = None  # the prescription number of a prescription drug


@dataclass(frozen=True)
class ReceiptSale:
    """What a receipt shows of one sale, whether the service settled it or it was estimated offline."""

    setlinfo: Mapping[str, Any]
    totals: SplitTotals
    lines: tuple[ReceiptLine, ...]
    estimate: bool = False
    time: str = ""  # setl_time, or the sale time of an estimate

    @classmethod
    def from_settlement(cls, settlement: Settlement, *, estimate: bool = False) -> ReceiptSale:
        lines = tuple(ReceiptLine(i.line.med_list_codg, i.line.pric, i.line.cnt, i.det_item_fee_sumamt,
                                  i.line.chrgitm_lv) for i in settlement.items)
        info = settlement.setlinfo
        return cls(info, settlement.totals, lines, estimate or info.get("estimate") is True,
                   str(info.get("setl_time") or ""))

    @classmethod
    def from_setlinfo(cls, setlinfo: Mapping[str, Any], items: Iterable[ItemSplit | BasketLine | Mapping[str, Any]],
                      *, estimate: bool | None = None, time: str | None = None) -> ReceiptSale:
        """From a setlinfo (a settlement's, or an offline estimate's) and its items: the engine's
        ItemSplit or BasketLine, or drugdetail entries as sent ({med_list_codg, pric, cnt,
        det_item_fee_sumamt?, chrgitm_lv?, fee_ocur_time?}). FieldError for a malformed one.

        `estimate` defaults to the setlinfo's own "estimate" flag; `time` to its setl_time, else
        the first item's fee_ocur_time (an offline sale's time).
        """
        totals = totals_from_json(Fields(dict(setlinfo), "setlinfo"))
        lines: list[ReceiptLine] = []
        first_time = ""
        for n, entry in enumerate(items):
            if isinstance(entry, ItemSplit):
                line = entry.line
                lines.append(ReceiptLine(line.med_list_codg, line.pric, line.cnt, entry.det_item_fee_sumamt,
                                         line.chrgitm_lv))
            elif isinstance(entry, BasketLine):
                lines.append(ReceiptLine(entry.med_list_codg, entry.pric, entry.cnt,
                                         round_yuan(entry.pric * entry.cnt), entry.chrgitm_lv))
            else:
                lines.append(_line_from_json(Fields(dict(entry), f"items[{n}]")))
            first_time = first_time or _time_of(entry)
        flagged = setlinfo.get("estimate") is True
        return cls(setlinfo, totals, tuple(lines), flagged if estimate is None else estimate,
                   time if time is not None else str(setlinfo.get("setl_time") or first_time))


def _line_from_json(f: Fields) -> ReceiptLine:
    pric, cnt = read_price(f), read_count(f)
    amount = f.amount("det_item_fee_sumamt") if f.has("det_item_fee_sumamt") else round_yuan(pric * cnt)
    level = f.opt_text("chrgitm_lv", pattern="0[123]")
    codes = tuple(code for code in str(f.raw("drug_trac_codg") or "").split(",") if code)
    return ReceiptLine(f.text("med_list_codg", max_len=50), pric, cnt, amount,
                       None if level is None else ChargeClass(level), codes, f.opt_text("rx_no", max_len=40))


def _time_of(entry: object) -> str:
    if isinstance(entry, BasketLine):
        return entry.fee_ocur_time
    if isinstance(entry, ItemSplit):
        return entry.line.fee_ocur_time
    value = entry.get("fee_ocur_time") if isinstance(entry, Mapping) else None
    return value if isinstance(value, str) else ""


def code_lines(codes: tuple[str, ...], width: int) -> list[str]:
    """The traceability codes of a line, compactly: as many whole codes to a printed line as fit (two on
    80 mm paper), indented under the item, in full (an audit reads them back)."""
    if not codes:
        return []
    # One space of indent: two 20-digit codes then fit the 42 columns of 80 mm paper exactly.
    per_line = max(1, width // (len(codes[0]) + 1))
    # Labelled, so the long digits read as what they are and not as an amount or a receipt number.
    return [f"  追溯码 Trace codes ({len(codes)})"] + [
        " " + " ".join(codes[i:i + per_line]) for i in range(0, len(codes), per_line)]


def render_receipt(
    sale: Settlement | ReceiptSale,
    *,
    institution_name: str,
    catalog: Mapping[str, CatalogItem],
    tender: Tender | None = None,
    width: int = WIDTH_80MM,
    offline: bool = False,
    receipt_no: str | None = None,
    operator: str | None = None,
    reprint: bool = False,
    buyer_id: str | None = None,
    deposit: Decimal | None = None,
) -> list[str]:
    """The receipt's lines, each at most `width` display columns.

    `offline` marks the sale as an estimate (as does a ReceiptSale's or setlinfo's own flag);
    `operator` is printed as given (e.g. "0001 王芳"); `reprint` marks a copy. `deposit`: a hospital
    stay's deposit, offset against the cash part (the cash due, or the refund, follows it).
    """
    if isinstance(sale, Settlement):
        sale = ReceiptSale.from_settlement(sale, estimate=offline)
    estimate = sale.estimate or offline
    info, t = sale.setlinfo, sale.totals
    rule = "-" * width

    def row(label: str, value: str) -> str:
        if display_width(label) + 1 + display_width(value) > width:
            label = label.split(" ")[0]  # the Chinese half alone, on narrow paper
        return two_columns(label, value, width)

    title = "医保结算单 Medical insurance receipt"
    lines = [fit(institution_name, width), title if display_width(title) <= width else "医保结算单"]
    if reprint:
        lines.append(center("*** 重印 REPRINT ***", width))
    if estimate:
        lines.append(center("*** 离线预估 ESTIMATE ***", width))
    lines.append(rule)
    lines.append(row("时间 Time", sale.time or "-"))
    if receipt_no:
        lines.append(row("收据号 Receipt", receipt_no))
    setl_id = str(info.get("setl_id") or "")
    lines.append(row("结算号 Settlement", setl_id or ("待结算 pending" if estimate else "-")))
    if operator:
        lines.append(row("收银员 Operator", operator))
    name, certno = str(info.get("psn_name") or ""), str(info.get("certno") or "")
    if name or not estimate:
        lines.append(row("姓名 Name", mask_name(name)))
    if certno or not estimate:
        lines.append(row("证件 ID", mask_id(certno)))
    lines.append(rule)
    for item in sale.lines:
        entry = catalog.get(item.med_list_codg)
        title = entry.name if entry else item.med_list_codg
        if entry and entry.spec and entry.spec != "-":
            title = f"{title} {entry.spec}"
        lines.append(fit(title, width))
        level = item.chrgitm_lv or (entry.chrgitm_lv if entry else None)
        mark = f"{CLASS_MARKS[level]} " if level else ""
        qty = f"  {mark}{item.cnt.normalize():f} x {fmt_decimal(item.pric.normalize())}"
        lines.append(two_columns(qty, fmt_amount(item.amount), width))
        if item.rx_no:
            lines.append(fit(f"  处方 Rx {item.rx_no}", width))
        lines += code_lines(item.codes, width)
    lines.append(rule)
    if buyer_id:
        lines.append(row("购药人 Buyer", mask_id(buyer_id)))
    est = ESTIMATE_MARK if estimate else ""
    lines.append(row("医疗费总额 Total", fmt_amount(t.medfee_sumamt)))
    for label, value in (
        ("统筹支付 Pooled fund", t.fund_pay_sumamt),
        ("个人账户 Personal account", t.acct_pay),
        ("家庭共济 Family mutual aid", t.acct_mulaid_pay),
        ("现金支付 Cash", t.psn_cash_pay),
    ):
        lines.append(row(label, est + fmt_amount(value)))
    cash_due = t.psn_cash_pay
    if deposit is not None:
        cash_due = t.psn_cash_pay - deposit
        lines.append(row("押金 Deposit", fmt_amount(deposit)))
        if cash_due >= 0:
            lines.append(row("补缴 Cash due", fmt_amount(cash_due)))
        else:
            lines.append(row("退款 Refund", fmt_amount(-cash_due)))
    if tender is not None:
        lines.append(row("实收 Received", fmt_amount(tender.cash_received)))
        lines.append(row("找零 Change", fmt_amount(tender.change(max(cash_due, Decimal(0))))))
    # An estimate knows no balance: the account was not asked.
    lines.append(row("账户余额 Balance", "-" if estimate else fmt_amount(t.balc)))
    lines.append(rule)
    if estimate:
        for note in ESTIMATE_NOTES:
            lines += wrap(note, width)
    if reprint:
        lines.append(center("*** 重印 REPRINT ***", width))
    return lines
