"""GS1 barcodes on drug boxes: EAN-13, EAN-8 and UPC-A (the EAN-13 with a leading 0)."""

from __future__ import annotations


def check_digit_ok(digits: str) -> bool:
    """GS1 check digit (EAN-8, UPC-A, EAN-13): weights 3,1,3,... from the right, before it."""
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def normalise_barcode(code: str) -> str | None:
    """The catalog key of a barcode (UPC-A as EAN-13), or None when it is not a valid EAN/UPC."""
    code = code.strip()
    if not code.isascii() or not code.isdigit() or len(code) not in (8, 12, 13):
        return None
    if not check_digit_ok(code):
        return None
    return "0" + code if len(code) == 12 else code
