"""ZBar through pyzbar's ctypes bindings (needs the system libzbar): QR codes, Code 128 and the
EAN/UPC barcodes (ZBar has no Data Matrix reader).

pyzbar.decode() lets ZBar transcode payloads to UTF-8, which mangles binary payloads
beyond recovery; we drive the same bindings ourselves so ZBar hands over the raw bytes
(ZBAR_CFG_BINARY, libzbar >= 0.23) and decode the text with our own rules.
"""

from __future__ import annotations

import ctypes
from collections.abc import Collection

import cv2
import numpy as np
from pyzbar import wrapper as zb

from terminal.devices.decoding.backend import DEFAULT_FORMATS, Gray
from terminal.devices.decoding.result import DecodeResult, Point, text_from_bytes

_FOURCC_GRAY = 1497715271  # 'GREY'
_CFG_BINARY = 4  # ZBAR_CFG_BINARY, not in pyzbar's enum
_SYMBOLS = {
    "qr": zb.ZBarSymbol.QRCODE,
    "code128": zb.ZBarSymbol.CODE128,
    "ean13": zb.ZBarSymbol.EAN13,
    "ean8": zb.ZBarSymbol.EAN8,
    "upca": zb.ZBarSymbol.UPCA,
}
_NAMES = {int(symbol): name for name, symbol in _SYMBOLS.items()}


class ZbarBackend:
    name = "pyzbar"

    def __init__(self, formats: Collection[str] = DEFAULT_FORMATS) -> None:
        self.formats = frozenset(formats) & _SYMBOLS.keys()
        # Fail at load time (not on the first frame) when libzbar is unusable.
        scanner = zb.zbar_image_scanner_create()
        if not scanner:
            raise ImportError("zbar_image_scanner_create failed")
        zb.zbar_image_scanner_destroy(scanner)

    def decode(self, gray: Gray, formats: Collection[str] | None = None) -> list[DecodeResult]:
        wanted = self.formats if formats is None else self.formats & frozenset(formats)
        if not wanted:
            return []
        height, width = gray.shape[:2]
        pixels = gray.tobytes()
        scanner = zb.zbar_image_scanner_create()
        if not scanner:
            raise RuntimeError("zbar could not create an image scanner")
        try:
            qr = zb.ZBarSymbol.QRCODE
            zb.zbar_image_scanner_set_config(scanner, zb.ZBarSymbol.NONE,
                                             zb.ZBarConfig.CFG_ENABLE, 0)
            for name in wanted:
                zb.zbar_image_scanner_set_config(scanner, _SYMBOLS[name], zb.ZBarConfig.CFG_ENABLE, 1)
            # Older libzbar refuses the option (non-zero); its UTF-8 output is then used.
            binary = "qr" in wanted and \
                zb.zbar_image_scanner_set_config(scanner, qr, _CFG_BINARY, 1) == 0
            image = zb.zbar_image_create()
            if not image:
                raise RuntimeError("zbar could not create an image")
            try:
                zb.zbar_image_set_format(image, _FOURCC_GRAY)
                zb.zbar_image_set_size(image, width, height)
                # ctypes passes the bytes object's buffer as the void*; `pixels` outlives the scan.
                zb.zbar_image_set_data(image, pixels, len(pixels), None)
                if zb.zbar_scan_image(scanner, image) < 0:
                    raise RuntimeError("zbar failed to scan the image")
                return list(self._results(image, binary))
            finally:
                zb.zbar_image_destroy(image)
        finally:
            zb.zbar_image_scanner_destroy(scanner)

    def _results(self, image: object, binary: bool) -> list[DecodeResult]:
        results = []
        symbol = zb.zbar_image_first_symbol(image)
        while symbol:
            raw = ctypes.string_at(zb.zbar_symbol_get_data(symbol),
                                   zb.zbar_symbol_get_data_length(symbol))
            # The symbol's first field is its type (pyzbar reads it the same way).
            code_format = _NAMES.get(symbol.contents.type, "")
            # Only QR payloads are handed over as bytes; ZBar gives the others as text.
            text, encoding = text_from_bytes(raw, None if binary and code_format == "qr" else "utf-8")
            count = zb.zbar_symbol_get_loc_size(symbol)
            points: tuple[Point, ...] = tuple(
                (float(zb.zbar_symbol_get_loc_x(symbol, i)),
                 float(zb.zbar_symbol_get_loc_y(symbol, i)))
                for i in range(count))
            if len(points) > 4:
                points = _corners(points)
            if code_format:
                results.append(DecodeResult(text=text, raw=raw, backend=self.name,
                                            points=points, encoding=encoding, format=code_format))
            symbol = zb.zbar_symbol_next(symbol)
        return results


def _corners(points: tuple[Point, ...]) -> tuple[Point, ...]:
    """The four corners around a linear code's outline: ZBar gives the ends of every scan line
    that crossed it (hundreds of points), the preview wants the code's corners."""
    box = cv2.boxPoints(cv2.minAreaRect(np.array(points, np.float32)))
    return tuple((float(x), float(y)) for x, y in box)
