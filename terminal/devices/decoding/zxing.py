"""zxing-cpp: the most capable of the three on photos, and the only one reading every format a
box carries; gives raw bytes and ECI-aware text."""

from __future__ import annotations

from collections.abc import Collection

import zxingcpp

from terminal.devices.decoding.backend import DEFAULT_FORMATS, Gray
from terminal.devices.decoding.result import DecodeResult, Point, text_from_bytes

# zxing-cpp guessed these are text (it honours ECI and guesses Shift_JIS/UTF-8 the way
# ZXing does); anything else we re-derive from the bytes ourselves.
_TEXT_CONTENT = frozenset({zxingcpp.ContentType.Text, zxingcpp.ContentType.Mixed,
                           zxingcpp.ContentType.GS1,
                           zxingcpp.ContentType.ISO15434})

_FORMATS = {
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "code128": zxingcpp.BarcodeFormat.Code128,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "ean8": zxingcpp.BarcodeFormat.EAN8,
    "upca": zxingcpp.BarcodeFormat.UPCA,
}
_NAMES = {fmt: name for name, fmt in _FORMATS.items()}


class ZxingBackend:
    name = "zxing-cpp"

    def __init__(self, formats: Collection[str] = DEFAULT_FORMATS, *,
                 binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
                 try_harder: bool = True) -> None:
        self.formats = frozenset(formats) & _FORMATS.keys()
        self._binarizer = binarizer
        self._try_harder = try_harder
        # QR alone first, the other formats only when it found none: asking for every
        # format at once costs five times a QR-only read on a 1280x720 frame (the linear
        # readers scan rows both ways, Data Matrix has its own detector), and an e-voucher
        # must be read as fast as before the box codes came (bench/decode_boxes.py).
        passes = [sorted(self.formats & {"qr"}), sorted(self.formats - {"qr"})]
        self._passes = [zxingcpp.BarcodeFormats([_FORMATS[n] for n in names])
                        for names in passes if names]

    def decode(self, gray: Gray, formats: Collection[str] | None = None) -> list[DecodeResult]:
        if formats is not None:
            wanted = sorted(self.formats & frozenset(formats))
            return self._read(gray, zxingcpp.BarcodeFormats([_FORMATS[n] for n in wanted])) if wanted else []
        for passed in self._passes:
            results = self._read(gray, passed)
            if results:
                return results
        return []

    def _read(self, gray: Gray, formats: zxingcpp.BarcodeFormats) -> list[DecodeResult]:
        barcodes = zxingcpp.read_barcodes(
            gray,
            formats=formats,
            try_rotate=self._try_harder,
            try_downscale=self._try_harder,
            try_invert=self._try_harder,
            binarizer=self._binarizer,
            text_mode=zxingcpp.TextMode.Plain,
        )
        results = []
        for barcode in barcodes:
            if not barcode.valid or barcode.format not in _NAMES:
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
                                        points=points, encoding=encoding,
                                        format=_NAMES[barcode.format]))
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
