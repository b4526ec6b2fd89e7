"""What a scanned code is: an e-voucher, a drug box barcode, a box's traceability code, or something to refuse.

Every scanner (camera, keyboard wedge, serial) ends in `route_scan`, so the cashier
hears the same sentence for the same bad code whichever scanner read it. The text is
never trusted: its size is checked before anything parses it, bytes must decode,
control characters are refused, and a code that is neither an e-voucher nor an
EAN/UPC barcode is named as well as we can (a web link, a payment code) so the
cashier knows what the patient showed instead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from terminal import voucher
from terminal.barcodes import check_digit_ok, normalise_barcode
from terminal.catalog import Catalog
from terminal.domain import CatalogItem
from terminal.errors import BadInput
from terminal.settings import VoucherSettings
from terminal.traceability import is_trac_code

# Longer than any e-voucher (voucher.MAX_VOUCHER_CHARS) or barcode: refused unread.
MAX_SCAN_CHARS = voucher.MAX_VOUCHER_CHARS

_SCAN_AGAIN = "scan it again"


class NotRecognised(BadInput):
    """The code is neither an e-voucher nor a drug barcode."""


class EmptyScan(NotRecognised):
    """The scanner delivered nothing."""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(f"The scanner read an empty code; {_SCAN_AGAIN}.", detail=detail)


class ScanTooLong(NotRecognised):
    """Far longer than any e-voucher or barcode (a runaway or hostile code)."""

    def __init__(self, size: int, unit: str = "characters") -> None:
        super().__init__("This code is far too long to be an e-voucher or a drug barcode; ask the "
                         "patient to open the medical-insurance e-voucher in the app.",
                         detail=f"{size} {unit}")
        self.size = size


class UnreadableScan(NotRecognised):
    """Binary data, text in no known encoding, or control characters."""

    def __init__(self, raw: bytes, detail: str) -> None:
        super().__init__("This code holds data the terminal cannot read; it is not an e-voucher or a "
                         "drug barcode.", detail=detail)
        self.raw = raw


class NotAVoucherCode(NotRecognised, voucher.NotAVoucher):
    """A QR code of another kind (web link, payment code, plain text)."""


class DamagedVoucher(NotRecognised, voucher.NotAVoucher):
    """Starts like an e-voucher but does not parse (cut off, misread)."""


class BarcodeMisread(BadInput):
    """Digits of the right length whose check digit is wrong: a misread."""

    def __init__(self, code: str) -> None:
        super().__init__(f"The barcode did not scan cleanly; {_SCAN_AGAIN}.",
                         detail=f"check digit of {code} is wrong")
        self.code = code


class UnknownBarcode(BadInput):
    """A valid barcode that is not in the drug catalog."""

    def __init__(self, code: str) -> None:
        super().__init__("This barcode is not in the drug catalog; enter the drug by its code or "
                         "name instead.", detail=code)
        self.code = code


class MalformedTraceabilityCode(NotRecognised):
    def __init__(self, code: str) -> None:
        super().__init__(f"This traceability code has {len(code)} digits, not 20: scan the box's code again.",
                         detail=code)
        self.code = code


@dataclass(frozen=True)
class VoucherScan:
    text: str
    claims: voucher.VoucherClaims
    # False when no issuer key was given: only the structure was checked.
    verified: bool


Symbology = Literal["EAN-13", "EAN-8", "UPC-A"]


@dataclass(frozen=True)
class DrugBarcodeScan:
    # Normalised: a UPC-A code becomes the EAN-13 it is (a leading 0); EAN-8 stays 8 digits.
    code: str
    symbology: Symbology
    scanned: str


@dataclass(frozen=True)
class TraceabilityScan:
    """A box's traceability code (追溯码): 20 digits beginning with 8, one per box."""

    code: str


Scan = VoucherScan | DrugBarcodeScan | TraceabilityScan


def route_scan(
    data: str | bytes,
    *,
    public_key: Ed25519PublicKey | None = None,
    now: int | None = None,
    clock_skew_s: int = 30,
) -> Scan:
    """Classify one scanned code, raising a typed BadInput for anything unusable.

    With `public_key`, an e-voucher is verified (VoucherForged, VoucherExpired at
    `now`, unix seconds, default the current time); without, only its structure.
    """
    text = decode_scan(data)
    text = _strip_symbology_id(text.strip())
    if not text:
        raise EmptyScan()
    if voucher.looks_like_voucher(text):
        return _voucher(text, public_key, now, clock_skew_s)
    if is_trac_code(text):
        return TraceabilityScan(text)
    if text.isascii() and text.isdigit():
        if text.startswith("8") and 15 <= len(text) <= 25:
            raise MalformedTraceabilityCode(text)
        return _barcode(text)
    raise NotAVoucherCode(_what_it_is(text), detail=text[:80])


def decode_scan(data: str | bytes) -> str:
    """The scanned text, or a typed error when it is too long, binary or undecodable."""
    if isinstance(data, bytes):
        if len(data) > MAX_SCAN_CHARS * 4:
            raise ScanTooLong(len(data), "bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableScan(data, "not UTF-8") from None
    else:
        text = data
    if len(text) > MAX_SCAN_CHARS:
        raise ScanTooLong(len(text))
    # Tabs and line ends are framing a scanner may leave; any other control
    # character means binary data, never a code a person can be asked about.
    if any((c < " " and c not in "\t\r\n") or c == "\x7f" for c in text):
        raw = data if isinstance(data, bytes) else text.encode("utf-8", "surrogatepass")
        raise UnreadableScan(raw, "control characters")
    return text


def _strip_symbology_id(text: str) -> str:
    # Scanners can be set to send an AIM symbology identifier (]E0 EAN-13, ]Q1 QR...).
    return text[3:] if re.match(r"\][A-Za-z][0-9A-Za-z]", text) else text


def _voucher(text: str, public_key: Ed25519PublicKey | None, now: int | None, skew: int) -> VoucherScan:
    try:
        if public_key is None:
            claims, _, _ = voucher.parse_voucher(text)
        else:
            when = int(time.time()) if now is None else now
            claims = voucher.verify_voucher(text, public_key, now=when, clock_skew_s=skew)
    except (voucher.VoucherForged, voucher.VoucherExpired):
        raise
    except voucher.NotAVoucher as exc:
        raise DamagedVoucher("This e-voucher could not be read completely; scan it again, or ask the "
                             "patient to refresh the code in the app.", detail=exc.detail) from None
    return VoucherScan(text=text, claims=claims, verified=public_key is not None)


def _barcode(digits: str) -> DrugBarcodeScan:
    if len(digits) == 13:
        if not check_digit_ok(digits):
            raise BarcodeMisread(digits)
        return DrugBarcodeScan(digits, "EAN-13", digits)
    if len(digits) == 12:
        if not check_digit_ok(digits):
            raise BarcodeMisread(digits)
        return DrugBarcodeScan("0" + digits, "UPC-A", digits)
    if len(digits) == 8:
        if not check_digit_ok(digits):
            raise BarcodeMisread(digits)
        return DrugBarcodeScan(digits, "EAN-8", digits)
    raise NotAVoucherCode(_what_it_is(digits), detail=digits[:80])


_NOT_A_VOUCHER = ("This code is not a medical-insurance e-voucher or a drug barcode; ask the patient to "
                  "open the e-voucher in the app.")
# Payment codes shown by a customer's phone (付款码): WeChat Pay 18 digits from 10-15,
# Alipay 16-24 digits from 25-30, UnionPay 19 digits from 62.
_PAYMENT_CODE = re.compile(r"(1[0-5]\d{16}|(2[5-9]|30)\d{14,22}|62\d{17})")
_PAYMENT_PREFIXES = ("wxp://", "https://qr.alipay.com/", "https://qr.95516.com/", "000201", "hQVDUE")


def _what_it_is(text: str) -> str:
    lowered = text.lower()
    if _PAYMENT_CODE.fullmatch(text) or any(lowered.startswith(p.lower()) for p in _PAYMENT_PREFIXES):
        return ("This is a payment code, not the medical-insurance e-voucher; ask the patient to open "
                "the e-voucher in the app.")
    if re.match(r"[a-z][a-z0-9+.-]*://", lowered) or lowered.startswith("www."):
        return ("This QR code is a web link, not a medical-insurance e-voucher; ask the patient to "
                "open the e-voucher in the app.")
    return _NOT_A_VOUCHER


class ScanRouter:
    """route_scan with this terminal's issuer key, clock skew and clock, set up once."""

    def __init__(self, public_key: Ed25519PublicKey | None, *, clock_skew_s: int = 30,
                 clock: Callable[[], float] = time.time) -> None:
        self.public_key = public_key
        self.clock_skew_s = clock_skew_s
        self._clock = clock

    @classmethod
    def from_settings(cls, settings: VoucherSettings) -> ScanRouter:
        """With the issuer key and clock skew this terminal is configured with."""
        return cls(voucher.load_public_key(settings.issuer_key_path()), clock_skew_s=settings.clock_skew_s)

    def route(self, data: str | bytes) -> Scan:
        return route_scan(data, public_key=self.public_key, now=int(self._clock()),
                          clock_skew_s=self.clock_skew_s)


def lookup_barcode(code: DrugBarcodeScan | str, catalog: Catalog) -> CatalogItem:
    """The catalog entry of a scanned box barcode, or UnknownBarcode / BarcodeMisread."""
    scanned = code.code if isinstance(code, DrugBarcodeScan) else code.strip()
    if normalise_barcode(scanned) is None:
        raise BarcodeMisread(scanned)
    entry = catalog.by_barcode(scanned)
    if entry is None:
        raise UnknownBarcode(scanned)
    return entry
