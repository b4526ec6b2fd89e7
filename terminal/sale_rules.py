"""The pharmacy rules on a sale at the counter: traceability codes per line, prescriptions, restricted drugs.

The counter's sale (terminal.counter) keeps, per line, the codes of the boxes
scanned and the prescription number, and for the sale the buyer's ID when a
restricted drug is in it. Here is what those mean:

- a code scanned goes to the line that needs it: the line the cashier chose, else
  the drug scanned last, else the only line still short of codes; when no line
  needs one (the codes scanned before the box's EAN-13) it waits, and the next
  line of a drug with codes takes it;
- a code already on this sale, or malformed, is refused at once with a sentence;
- `requirement()` says what the sale still lacks, first things first, as the
  sentence the screen shows and the reason Pre-settle and Settle wait.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from terminal.domain import CatalogItem
from terminal.errors import BadInput
from terminal.traceability import MAX_RX_NO, codes_needed, is_trac_code

MAX_PENDING_CODES = 50
_RX_NO = re.compile(r"[0-9A-Za-z-]{1,40}")
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9Xx]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


class Line(Protocol):
    item: CatalogItem
    cnt: Decimal
    codes: list[str]
    rx_no: str | None


class Needed(BadInput):
    """What the sale still lacks before it can be pre-settled; `kind` is codes, rx_no or buyer_id."""

    def __init__(self, message: str, *, kind: str, line: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.line = line  # 1-based, as the screen numbers lines


class CodeRefused(BadInput):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, detail=code)
        self.code = code


@dataclass(frozen=True)
class Placed:
    """Where a scanned code went: a line (0-based), or the codes waiting for their box's EAN-13."""

    line: int | None


def short(code: str) -> str:
    """A code as a cashier reads it back: its last 6 digits."""
    return "…" + code[-6:]


def missing(line: Line) -> int:
    return max(0, codes_needed(line.item, line.cnt) - len(line.codes))


def place_code(lines: Sequence[Line], pending: list[str], code: str, *, chosen: int | None,
               last: int | None) -> Placed:
    """Put a scanned traceability code where it belongs (see the module's docstring)."""
    if not is_trac_code(code):
        raise CodeRefused(f"The code {code[:24]} is not a traceability code: 20 digits beginning with 8.", code)
    for n, line in enumerate(lines, start=1):
        if code in line.codes:
            raise CodeRefused(f"The traceability code {short(code)} is already on line {n}: each box is scanned "
                              "once.", code)
    if code in pending:
        raise CodeRefused(f"The traceability code {short(code)} was already scanned: each box is scanned once.",
                          code)
    for index in (chosen, last):
        if index is not None and 0 <= index < len(lines) and missing(lines[index]):
            lines[index].codes.append(code)
            return Placed(index)
    short_of_codes = [i for i, line in enumerate(lines) if missing(line)]
    if len(short_of_codes) == 1:
        lines[short_of_codes[0]].codes.append(code)
        return Placed(short_of_codes[0])
    if short_of_codes:
        raise CodeRefused(f"Several lines need codes: choose the line of the box {short(code)} (arrow keys), then "
                          "scan it again.", code)
    if len(pending) >= MAX_PENDING_CODES:
        raise CodeRefused("Too many codes wait for their boxes' barcodes: scan the boxes' EAN-13 first.", code)
    pending.append(code)
    return Placed(None)


def take_pending(line: Line, pending: list[str]) -> int:
    """A line of a drug with codes takes the codes scanned before its box's barcode; how many it took."""
    take = min(missing(line), len(pending))
    line.codes.extend(pending[:take])
    del pending[:take]
    return take


def trim_codes(line: Line) -> list[str]:
    """The codes beyond the boxes the line now counts (its count was lowered): removed and returned."""
    keep = codes_needed(line.item, line.cnt)
    extra = line.codes[keep:]
    del line.codes[keep:]
    return extra


def check_rx_no(text: str) -> str:
    text = text.strip()
    if not _RX_NO.fullmatch(text):
        raise BadInput(f"A prescription number is 1 to {MAX_RX_NO} letters, digits or dashes: type it again.")
    return text


def check_resident_id(text: str) -> str:
    """An 18-character resident ID number whose check character is right (GB 11643), upper-cased."""
    text = text.strip().upper()
    if not _RESIDENT_ID.fullmatch(text):
        raise BadInput("The buyer's ID number is 18 characters (the last may be X): type it again.")
    total = sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != text[17]:
        raise BadInput("The buyer's ID number does not add up (its last character is wrong): type it again.")
    return text


def requirement(lines: Sequence[Line], pending: Sequence[str], buyer_id: str | None) -> Needed | None:
    """What the sale still lacks, first things first; None when every rule is met."""
    for n, line in enumerate(lines, start=1):
        short_by = missing(line)
        if short_by:
            return Needed(f"Line {n} ({line.item.name}) needs {short_by} more traceability code(s): scan the code "
                          "on each box.", kind="codes", line=n)
    if pending:
        return Needed(f"{len(pending)} traceability code(s) wait for their box: scan the box's barcode (EAN-13).",
                      kind="codes")
    for n, line in enumerate(lines, start=1):
        if line.item.rx_flag and not line.rx_no:
            return Needed(f"Line {n} ({line.item.name}) is a prescription drug: type the prescription number, then "
                          "Enter.", kind="rx_no", line=n)
    if any(line.item.max_cnt_per_sale is not None for line in lines) and not buyer_id:
        return Needed("This sale holds a restricted drug: type the buyer's ID number, then Enter.",
                      kind="buyer_id")
    return None


def sold_here(code: str, local_id: str) -> CodeRefused:
    """The refusal of a box this counter's journal already holds as sold."""
    return CodeRefused(f"The traceability code {short(code)} was already sold at this counter (sale {local_id}): "
                       "each box is sold once; take that box back.", code)
