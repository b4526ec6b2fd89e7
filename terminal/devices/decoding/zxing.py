"""zxing-cpp: the most capable of the three on photos; gives raw bytes and ECI-aware text."""

from __future__ import annotations

import zxingcpp

from terminal.devices.decoding.backend import Gray
from terminal.devices.decoding.result import DecodeResult, Point, text_from_bytes

# zxing-cpp guessed these are text (it honours ECI and guesses Shift_JIS/UTF-8 the way
# ZXing does); anything else we re-derive from the bytes ourselves.
_TEXT_CONTENT = frozenset({zxingcpp.ContentType.Text, zxingcpp.ContentType.Mixed,
                           zxingcpp.ContentType.GS1,
                           zxingcpp.ContentType.ISO15434})


_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


class ZxingBackend:
    name = "zxing-cpp"

    def __init__(self, *, binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
                 try_harder: bool = True) -> None:
        self._binarizer = binarizer
        self._try_harder = try_harder

    def decode(self, gray: Gray) -> list[DecodeResult]:
        barcodes = zxingcpp.read_barcodes(
            gray,
            formats=_QR,
            try_rotate=self._try_harder,
            try_downscale=self._try_harder,
            try_invert=self._try_harder,
            binarizer=self._binarizer,
            text_mode=zxingcpp.TextMode.Plain,
        )
        results = []
        for barcode in barcodes:
            if not barcode.valid:
                continue
            raw = bytes(barcode.bytes)
            if barcode.content_type in _TEXT_CONTENT and barcode.text:
                text: str | None = barcode.text
                encoding = _charset_of(raw, barcode.text)
            else:
                text, encoding = text_from_bytes(raw)
            position = barcode.position
            points: tuple[Point, ...] = tuple(
                (float(p.x), float(p.y))
                for p in (position.top_left, position.top_right,
                          position.bottom_right, position.bottom_left)
            )
            results.append(DecodeResult(text=text, raw=raw, backend=self.name,
                                        points=points, encoding=encoding))
        return results


def _charset_of(raw: bytes, text: str) -> str | None:
    """Name the charset zxing-cpp used (it does not say), for logs and the CLI."""
    for encoding in ("utf-8", "shift_jis", "gb18030", "iso-8859-1"):
        try:
            if raw.decode(encoding) == text:
                return encoding
        except UnicodeDecodeError:
            continue
    return None
