"""Money and decimal helpers.

Amounts are yuan as Decimal with two places; rounding is ROUND_HALF_UP to 0.01 at
the places DESIGN.md names, and nowhere else. Decimals arrive as strings or as JSON
numbers read exactly; floats are refused on input: a float has already lost the
exact value we were given.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

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


# The platform writes prices with up to 6 places ("8.500000"); trailing zeros carry no value, so
# they are allowed up to here whatever the field's own places.
MAX_WRITTEN_PLACES = 6
MAX_DIGITS = 32


def parse_decimal(
    raw: object,
    field: str,
    *,
    max_places: int = 4,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    allow_zero: bool = True,
) -> Decimal:
    """A decimal carried as a JSON string ("12.30") or, as platform clients send it, a JSON number
    read exactly (an int, or a Decimal from `parse_json(exact=True)`).

    Floats are refused: they have already lost the exact value. `max_places` counts significant
    places ("17.000" has none); the result is written with at most `max_places` places.
    """
    value = _decimal_of(raw, field)
    if value.is_zero():
        value = value.copy_abs()  # "-0.00" would print as a negative zero
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # _decimal_of admits finite numbers only
    if -exponent > max_places:  # more places written than the field has: are the extra ones zeros?
        value = _trimmed(value, field, max_places)
    if minimum is not None and value < minimum:
        raise DecimalFieldError(f"{field} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise DecimalFieldError(f"{field} must be at most {maximum}")
    if not allow_zero and value == 0:
        raise DecimalFieldError(f"{field} must not be zero")
    return value


def _trimmed(value: Decimal, field: str, max_places: int) -> Decimal:
    """`value` written with `max_places` places, if its places beyond those are zeros."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    written = -exponent
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    if not value.is_zero() and written - trailing_zeros > max_places:
        raise DecimalFieldError(f"{field} has more than {max_places} decimal places")
    if written > MAX_WRITTEN_PLACES:
        raise DecimalFieldError(f"{field} is written with more than {MAX_WRITTEN_PLACES} decimal places")
    return Decimal((sign, digits[: len(digits) - (written - max_places)] or (0,), -max_places))


def _decimal_of(raw: object, field: str) -> Decimal:
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > MAX_DIGITS:
            raise DecimalFieldError(f"{field} is too long to be a number")
        if not _PLAIN_DECIMAL.fullmatch(text):
            raise DecimalFieldError(f"{field} is not a plain decimal number: {text[:20]!r}")
        return Decimal(text)
    if isinstance(raw, int) and not isinstance(raw, bool):
        if abs(raw) >= 10**MAX_DIGITS:
            raise DecimalFieldError(f"{field} is too long to be a number")
        return Decimal(raw)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise DecimalFieldError(f"{field} is not a number")
        if len(raw.as_tuple().digits) > MAX_DIGITS:
            raise DecimalFieldError(f"{field} is too long to be a number")
        return raw
    raise DecimalFieldError(f'{field} must be a decimal number such as "12.30", got {json_kind(raw)}')


def json_kind(value: object) -> str:
    """What a JSON value is, in the words of JSON (for messages about a wrong type)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return "a number"
    if isinstance(value, float):
        return "a float (inexact: write the number as a string)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


# More cash than this handed over at a counter is a typing slip, or a code typed in the wrong place.
MAX_CASH_RECEIVED = Decimal("100000")
_CASH = re.compile(r"[0-9]{1,6}(\.[0-9]{1,2})?")


def parse_cash(text: str) -> Decimal | None:
    """The cash a cashier typed as received ("100", "52.5"), or None when it is not an amount of money."""
    text = text.strip()
    if not _CASH.fullmatch(text):
        return None
    amount = Decimal(text)
    return amount if amount <= MAX_CASH_RECEIVED else None
