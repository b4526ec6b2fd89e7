"""What a decoder returns, and how untrusted payload bytes become text."""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]


@dataclass(frozen=True)
class DecodeResult:
    """One code found in an image.

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

    def to_json(self) -> dict[str, object]:
        return {
            "backend": self.backend,
            "text": self.text,
            "raw_hex": self.raw.hex(),
            "encoding": self.encoding,
            "points": [[round(x, 1), round(y, 1)] for x, y in self.points],
            "variant": self.variant,
            "ms": round(self.ms, 3),
        }


# Byte-mode QR payloads carry no charset unless an ECI says so. UTF-8 is what phones
# write today; Shift_JIS is what older Japanese encoders wrote; GB18030 covers GBK text
# from Chinese encoders; ISO-8859-1 is the QR standard's default. Tried strictly in that
# order, a wrong guess almost always fails on some byte, so the first that decodes wins.
_CANDIDATE_ENCODINGS = ("utf-8", "shift_jis", "gb18030")

# C1 control characters: ISO-8859-1 "decodes" every byte, but real Latin-1 text never
# holds these, while binary data almost always does.
_C1 = frozenset(range(0x80, 0xA0))


def text_from_bytes(raw: bytes, declared: str | None = None) -> tuple[str | None, str | None]:
    """Text and the encoding used, or (None, None) when the bytes are not text.

    `declared` is the charset the code itself named (ECI), if the library told us.
    """
    if not raw or b"\x00" in raw:
        return None, None
    candidates: list[str] = []
    if declared:
        candidates.append(declared)
    candidates.extend(_CANDIDATE_ENCODINGS)
    for encoding in candidates:
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    if not any(b in _C1 for b in raw):
        return raw.decode("iso-8859-1"), "iso-8859-1"
    return None, None
