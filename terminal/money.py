"""Money and decimal helpers.

Amounts are yuan as Decimal with two places; rounding is ROUND_HALF_UP to 0.01 at
the places DESIGN.md names, and nowhere else. Floats are refused on input: a
float has already lost the exact value we were given.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
# Plain decimal text only: no exponents ("1E+1"), no bare points (".5"), no signs but minus, and
# ASCII digits only (\d would admit fullwidth and Arabic-Indic digits, which Decimal reads).
_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
ZERO = Decimal("0.00")


def round_yuan(value: Decimal) -> Decimal:
    """Round to fen, half up (the only rounding the split uses)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_amount(value: Decimal) -> str:
    """Two-decimal string as amounts travel in JSON ("12.30"); zero is never "-0.00"."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{rounded.copy_abs() if rounded.is_zero() else rounded:.2f}"


def fmt_decimal(value: Decimal, min_places: int = 2) -> str:
    """A proportion or price as text, keeping its precision but at least `min_places`."""
    places = max(min_places, -int(value.as_tuple().exponent))
    return f"{value:.{places}f}"


def to_fen(value: Decimal) -> int:
    return int(round_yuan(value) * 100)


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


class DecimalFieldError(ValueError):
    """A text that should be a decimal number is not one (message names the field)."""


def parse_decimal(
    raw: object,
    field: str,
    *,
    max_places: int = 4,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    allow_zero: bool = True,
) -> Decimal:
    """Parse a decimal carried as a JSON string (ints are tolerated, floats are not)."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise DecimalFieldError(f"{field} must be a decimal string, got {type(raw).__name__}")
    text = raw.strip() if isinstance(raw, str) else str(raw)
    if len(text) > 32:
        raise DecimalFieldError(f"{field} is too long to be a number")
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise DecimalFieldError(f"{field} is not a plain decimal number: {text[:20]!r}")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DecimalFieldError(f"{field} is not a number: {text[:20]!r}") from None
    if value.is_zero():
        value = value.copy_abs()  # "-0.00" would print as a negative zero
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > max_places:
        raise DecimalFieldError(f"{field} has more than {max_places} decimal places")
    if minimum is not None and value < minimum:
        raise DecimalFieldError(f"{field} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise DecimalFieldError(f"{field} must be at most {maximum}")
    if not allow_zero and value == 0:
        raise DecimalFieldError(f"{field} must not be zero")
    return value
