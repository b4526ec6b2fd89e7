"""What an image file says about itself before anything decodes it: its format, size and completeness.

A 2 KB PNG can claim 100000 x 100000 pixels; OpenCV would try to allocate tens of
gigabytes for it (or fail inside its own code). Reading the header first lets the
terminal refuse such a file, and scale a large photo down, before the decoder runs.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class ImageHeader:
    format: str
    width: int
    height: int
    complete: bool  # the file's end marker is there (a truncated download or copy is not)

    @property
    def pixels(self) -> int:
        return self.width * self.height


def read_header(data: bytes) -> ImageHeader | None:
    """The header of a PNG, JPEG, GIF, BMP or WebP file; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return ImageHeader("PNG", width, height, b"IEND" in data[-64:])
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return ImageHeader("GIF", width, height, data.rstrip(b"\0").endswith(b";"))
    if data.startswith(b"BM") and len(data) >= 26:
        size, = struct.unpack("<I", data[2:6])
        width, height = struct.unpack("<ii", data[18:26])
        return ImageHeader("BMP", abs(width), abs(height), len(data) >= size)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        return _webp(data)
    return None


def _jpeg(data: bytes) -> ImageHeader | None:
    # Walk the marker segments up to the first start-of-frame, which holds the size.
    pos = 2
    while pos + 9 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        length, = struct.unpack(">H", data[pos + 2:pos + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5:pos + 9])
            # Scanned data ends with EOI; cameras may append a trailer after it.
            return ImageHeader("JPEG", width, height, b"\xff\xd9" in data[pos:])
        if length < 2:
            return None
        pos += 2 + length
    return None


def _webp(data: bytes) -> ImageHeader | None:
    chunk = data[12:16]
    declared, = struct.unpack("<I", data[4:8])
    complete = len(data) >= declared + 8
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
        return ImageHeader("WebP", width, height, complete)
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageHeader("WebP", width & 0x3FFF, height & 0x3FFF, complete)
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return ImageHeader("WebP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, complete)
    return None
