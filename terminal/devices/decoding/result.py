"""What a decoder returns, and how untrusted payload bytes become text."""

from __future__ import annotations

from dataclasses import dataclass, field

from terminal.devices.decoding.errors import BinaryPayload

Point = tuple[float, float]


@dataclass(frozen=True)
class DecodeResult:
    """One code (a QR code, a barcode, a Data Matrix) found in an image.

    `text` is None when the payload is binary (no plausible text encoding); `raw` always
    holds the payload bytes as the library gave them. `points` are the code's corners in
    the coordinates of the image that was passed in (for drawing the preview).
    """

    text: str | None
    raw: bytes
    backend: str
    points: tuple[Point, ...] = ()
    ms: float = 0.0
    encoding: str | None = None
    # Which pre-processing step won the code ("gray", "clahe", "scale 2.0"...): for the
    # benchmark and for technicians tuning the chain.
    variant: str = field(default="gray", compare=False)
    # The symbology, named as devices.decoder.formats names it ("qr", "code128", "ean13"...).
    format: str = "qr"

    def require_text(self) -> str:
        """The text, or BinaryPayload for a code that holds no text."""
        if self.text is None:
            raise BinaryPayload("This code does not hold readable text; it is not an "
                                "e-voucher or a drug code.",
                                detail=f"{len(self.raw)} bytes of binary data")
        return self.text

    def to_json(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "format": self.format,
            "text": self.text,
            "raw_hex": self.raw.hex(),
            "encoding": self.encoding,
            "points": [[round(x, 1), round(y, 1)] for x, y in self.points],
            "variant": self.variant,
            "ms": round(self.ms, 3),
        }


# Byte-mode QR payloads carry no charset unless an ECI says so. Tried in this order:
# UTF-8 (what phones write today; a wrong guess almost always fails on some byte);
# ISO-8859-1 when the high bytes stand alone between ASCII, as accented letters do;
# GB 2312 text (this is a Chinese terminal: GBK encoders are common) when every
# non-ASCII character is a pair of bytes 0xA1-0xFE; Shift_JIS (older Japanese
# encoders); GB18030 for the rest of GBK; finally ISO-8859-1, the QR default.
_C1 = frozenset(range(0x80, 0xA0))  # never in real Latin-1 text, common in binary data


def text_from_bytes(raw: bytes, declared: str | None = None) -> tuple[str | None, str | None]:
    """Text and the encoding used, or (None, None) when the bytes are not text.

    `declared` is the charset the code itself named (ECI), if the library told us.
    """
    if not raw or b"\x00" in raw:
        return None, None
    candidates: list[str] = [declared] if declared else []
    candidates.append("utf-8")
    if _isolated_latin1(raw):
        candidates.append("iso-8859-1")
    if _gb2312_pairs(raw):
        candidates.append("gb18030")
    candidates.extend(("shift_jis", "gb18030"))
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    if not any(b in _C1 for b in raw):
        return raw.decode("iso-8859-1"), "iso-8859-1"
    return None, None


def _isolated_latin1(raw: bytes) -> bool:
    """Every byte >= 0x80 is a Latin-1 letter (>= 0xA0) between ASCII bytes."""
    previous_high = False
    for b in raw:
        high = b >= 0x80
        if high and (previous_high or b < 0xA0):
            return False
        previous_high = high
    return True


def _gb2312_pairs(raw: bytes) -> bool:
    """Every byte >= 0x80 belongs to a pair of bytes 0xA1-0xFE (a GB 2312 character)."""
    i = 0
    while i < len(raw):
        if raw[i] < 0x80:
            i += 1
            continue
        if i + 1 >= len(raw) or not (0xA1 <= raw[i] <= 0xFE and 0xA1 <= raw[i + 1] <= 0xFE):
            return False
        i += 2
    return True
