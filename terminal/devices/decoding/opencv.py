"""OpenCV's QR detectors: the classic QRCodeDetector and the ArUco-based one.

Both are asked for bytes (detectAndDecodeBytes): the str variant raises
UnicodeDecodeError inside the binding on payloads that are not UTF-8.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import cv2

from terminal.devices.decoding.backend import DEFAULT_FORMATS, Gray
from terminal.devices.decoding.result import DecodeResult, Point, text_from_bytes

# getEncoding() answers with these ECI numbers when the code declared a charset.
_ECI_CHARSETS = {3: "iso-8859-1", 20: "shift_jis", 26: "utf-8", 29: "gb18030"}


class _OpenCvDetector:
    name = "opencv"

    def __init__(self, detector: Any, formats: Collection[str]) -> None:
        self._detector = detector
        # QR codes only: OpenCV's barcode module reads EAN/UPC but no Code 128, and
        # zxing-cpp and ZBar read those better.
        self.formats = frozenset(formats) & {"qr"}

    def decode(self, gray: Gray, formats: Collection[str] | None = None) -> list[DecodeResult]:
        if not self.formats or (formats is not None and "qr" not in formats):
            return []
        data, points, _ = self._detector.detectAndDecodeBytes(gray)
        if not data or points is None:
            return []
        raw = _undo_latin1(bytes(data))
        declared = None
        try:
            declared = _ECI_CHARSETS.get(int(self._detector.getEncoding()))
        except (cv2.error, AttributeError, TypeError, ValueError):
            declared = None
        text, encoding = text_from_bytes(raw, declared)
        corners: tuple[Point, ...] = tuple(
            (float(x), float(y)) for x, y in points.reshape(-1, 2)[:4])
        return [DecodeResult(text=text, raw=raw, backend=self.name, points=corners,
                             encoding=encoding)]


def _undo_latin1(data: bytes) -> bytes:
    """The code's own bytes, when OpenCV has re-encoded them.

    For a byte-mode payload without ECI, OpenCV reads the bytes as ISO-8859-1 and hands
    back their UTF-8 encoding, which turns Shift_JIS or GBK text into mojibake. Such
    output holds only code points below 256; mapping them back gives the payload bytes,
    which our own charset rules then decode. Text that was real UTF-8 outside Latin-1
    is left alone.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if text.isascii() or any(ord(c) > 0xFF for c in text):
        return data
    return text.encode("iso-8859-1")


class OpenCvBackend(_OpenCvDetector):
    name = "opencv"

    def __init__(self, formats: Collection[str] = DEFAULT_FORMATS) -> None:
        super().__init__(cv2.QRCodeDetector(), formats)


class OpenCvArucoBackend(_OpenCvDetector):
    name = "opencv-aruco"

    def __init__(self, formats: Collection[str] = DEFAULT_FORMATS) -> None:
        super().__init__(cv2.QRCodeDetectorAruco(), formats)
