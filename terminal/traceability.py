"""Drug traceability codes (追溯码) and the pharmacy rules on a sale's lines, as DESIGN.md states them.

Every box of a drug sold with medical insurance carries a traceability code: 20
digits beginning with 8. A line of a drug with `trac_required` carries the codes of
its whole boxes, exactly as many as the whole part of its count (a part-box sale
carries none); a prescription drug (`rx_flag`) carries the prescription number; a
restricted drug (`max_cnt_per_sale`) is sold at most that many per person per sale.
The service, the counter and the commands judge lines with these functions, so the
cashier, a technician and the service's refusal name the same line and code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from terminal.domain import CatalogItem
from terminal.errors import BadInput

TRAC_CODE = re.compile(r"8[0-9]{19}")
MAX_RX_NO = 40
_RX_NO = re.compile(r"[0-9A-Za-z-]{1,40}")


class LineRuleBroken(BadInput):
    """A line breaks a pharmacy rule; the sentence names the line (1-based) and the code."""

    def __init__(self, message: str, *, line: int, code: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.code = code


def is_trac_code(text: str) -> bool:
    return TRAC_CODE.fullmatch(text) is not None


def codes_needed(item: CatalogItem, cnt: Decimal) -> int:
    """How many traceability codes a line of `cnt` of this drug carries: one per whole box."""
    return int(cnt) if item.trac_required and cnt >= 1 else 0


def split_codes(value: object) -> list[str]:
    """The codes of a line as sent: a comma-joined string (the wire) or a list (a basket file)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    raise BadInput("drug_trac_codg must be a list of traceability codes (or one comma-joined string).")


def check_line(line: int, item: CatalogItem, cnt: Decimal, codes: Sequence[str], rx_no: str | None) -> None:
    """LineRuleBroken for the first rule this line breaks on its own (codes, prescription, limit)."""
    name = f"line {line} ({item.name})"
    needed = codes_needed(item, cnt)
    for code in codes:
        if not is_trac_code(code):
            raise LineRuleBroken(f"The traceability code {code[:30]!r} of {name} is malformed: a code is 20 "
                                 "digits beginning with 8.", line=line, code=code)
    if not item.trac_required and codes:
        raise LineRuleBroken(f"{name} takes no traceability codes, but {len(codes)} came with it, the first "
                             f"{codes[0]}.", line=line, code=codes[0])
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise LineRuleBroken(f"The traceability code {code} is given twice on {name}.", line=line, code=code)
        seen.add(code)
    if len(codes) < needed:
        raise LineRuleBroken(f"{name} needs {needed} traceability code(s), one per box; {len(codes)} came.",
                             line=line)
    if len(codes) > needed:
        raise LineRuleBroken(f"{name} carries {len(codes)} traceability codes for {needed} whole box(es): "
                             f"the codes from {codes[needed]} on are extra.", line=line, code=codes[needed])
    if item.rx_flag and not rx_no:
        raise LineRuleBroken(f"{name} is a prescription drug: its prescription number (rx_no) is missing.",
                             line=line)
    if rx_no is not None and not _RX_NO.fullmatch(rx_no):
        raise LineRuleBroken(f"The prescription number of {name} is malformed: up to {MAX_RX_NO} letters, digits "
                             "or dashes.", line=line)
    if item.max_cnt_per_sale is not None and cnt > item.max_cnt_per_sale:
        raise LineRuleBroken(f"{name} is a restricted drug: at most {item.max_cnt_per_sale.normalize():f} per "
                             f"person per sale, {cnt.normalize():f} asked.", line=line)


def check_repeats(lines: Iterable[tuple[int, Sequence[str]]]) -> None:
    """LineRuleBroken for a code that appears on two lines of one sale."""
    first: dict[str, int] = {}
    for line, codes in lines:
        for code in codes:
            if code in first and first[code] != line:
                raise LineRuleBroken(f"The traceability code {code} is given on line {first[code]} and again on "
                                     f"line {line}.", line=line, code=code)
            first.setdefault(code, line)


def check_restricted_totals(lines: Iterable[tuple[int, CatalogItem, Decimal]]) -> None:
    """The per-sale limit of a restricted drug counts every line of it in the sale."""
    totals: dict[str, Decimal] = {}
    for line, item, cnt in lines:
        if item.max_cnt_per_sale is None:
            continue
        totals[item.med_list_codg] = totals.get(item.med_list_codg, Decimal(0)) + cnt
        if totals[item.med_list_codg] > item.max_cnt_per_sale:
            raise LineRuleBroken(f"line {line} ({item.name}) is a restricted drug: at most "
                                 f"{item.max_cnt_per_sale.normalize():f} per person per sale, "
                                 f"{totals[item.med_list_codg].normalize():f} in this sale.", line=line)


def already_sold(line: int, item: CatalogItem, code: str) -> LineRuleBroken:
    """The refusal of a code sold before in a settlement that stands (one box, one code; a reversal frees it)."""
    return LineRuleBroken(f"The traceability code {code} of line {line} ({item.name}) was already sold: each box's "
                          "code sells once. Scan the code of the box in hand, or reverse the sale that sold it.",
                          line=line, code=code)
