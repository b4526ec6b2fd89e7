"""Reading bills (basket lines) from JSON, with the limits every entry point shares."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain import BasketLine, ChargeClass
from terminal.fields import MAX_COUNT, MAX_PRICE, FieldError, Fields

# National list codes are letters and digits; local codes may add punctuation. No spaces, no control bytes.
CODE_PATTERN = r"[!-~]{1,50}"
CHARGE_CLASSES = tuple(c.value for c in ChargeClass)


def read_price(f: Fields, name: str = "pric") -> Decimal:
    return f.decimal(name, places=4, minimum=Decimal(0), maximum=MAX_PRICE)


def read_count(f: Fields, name: str = "cnt") -> Decimal:
    return f.decimal(name, places=4, minimum=Decimal(0), maximum=MAX_COUNT, allow_zero=False)


def read_selfpay_prop(f: Fields) -> Decimal | None:
    return f.opt_decimal("selfpay_prop", places=4, minimum=Decimal(0), maximum=Decimal(1))


def read_price_cap(f: Fields) -> Decimal | None:
    return f.opt_decimal("pric_uplmt_amt", places=4, minimum=Decimal(0), maximum=MAX_PRICE)


def read_priced_line(f: Fields) -> BasketLine:
    """A line that carries its own classification (the `split` command's input)."""
    return BasketLine(
        med_list_codg=f.text("med_list_codg", pattern=CODE_PATTERN),
        pric=read_price(f),
        cnt=read_count(f),
        chrgitm_lv=ChargeClass(f.text("chrgitm_lv", choices=CHARGE_CLASSES)),
        selfpay_prop=read_selfpay_prop(f),
        pric_uplmt_amt=read_price_cap(f),
        feedetl_sn=f.opt_text("feedetl_sn", max_len=30) or "",
    )


def check_unique_serials(lines: list[BasketLine], where: str) -> None:
    seen: set[str] = set()
    for line in lines:
        if line.feedetl_sn and line.feedetl_sn in seen:
            raise FieldError(f"{where}: feedetl_sn {line.feedetl_sn!r} appears twice")
        seen.add(line.feedetl_sn)
