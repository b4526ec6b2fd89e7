"""Reading an image file without trusting it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from terminal.devices.decoding.errors import UnreadableImage
from terminal.devices.decoding.image_header import read_header
from terminal.files import read_file_bytes

# A phone photo is a few MB; refuse to read something absurd into memory.
MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024
# A 200-megapixel phone sensor is the largest photo a person could mean; a header claiming more
# is refused before anything is decoded.
MAX_IMAGE_PIXELS = 200_000_000
# Larger photos are scaled down to this longest side before decoding: a QR code still spans
# hundreds of pixels, and decoding time and memory stay bounded.
MAX_DECODE_SIDE = 4096


def load_image(path: str | Path) -> npt.NDArray[np.uint8]:
    """The image at `path` as BGR (or gray) pixels; UnreadableImage if it is not one.

    A missing file, a folder or a FIFO is BadInput and a disk that fails an EnvironmentFault, as for
    every file a person names (terminal.files). The header is read before decoding: a format other
    than PNG, JPEG, GIF, BMP or WebP, an absurd size or a truncated file is refused, and a large
    photo is decoded at a reduced scale.
    """
    name = Path(path).name
    raw = read_file_bytes(path, "image", max_bytes=MAX_IMAGE_FILE_BYTES)
    header = read_header(raw)
    if header is None:
        raise UnreadableImage(f"The file {name} is not a PNG, JPEG, GIF, BMP or WebP picture.",
                              detail=f"{len(raw)} bytes starting {raw[:8].hex()}")
    if header.width == 0 or header.height == 0 or header.pixels > MAX_IMAGE_PIXELS:
        raise UnreadableImage(f"The picture {name} is too large to be a photo of a code.",
                              detail=f"{header.format} header says {header.width} x {header.height} pixels")
    if not header.complete:
        raise UnreadableImage(f"The picture {name} is cut off (the file is incomplete); copy it again.",
                              detail=f"{header.format} without its end marker")
    image = _decode(raw, max(header.width, header.height))
    if image is None or image.size == 0:
        raise UnreadableImage(f"The file {name} is not an image that can be read.",
                              detail="corrupt image data")
    side = max(image.shape[:2])
    if side > MAX_DECODE_SIDE:
        scale = MAX_DECODE_SIDE / side
        image = np.asarray(cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    return np.asarray(image)


def _decode(raw: bytes, side: int) -> npt.NDArray[np.uint8] | None:
    flags = cv2.IMREAD_UNCHANGED
    # JPEG decoders can scale while decoding (1/2, 1/4, 1/8), which never holds the full picture.
    for factor, reduced in ((8, cv2.IMREAD_REDUCED_COLOR_8), (4, cv2.IMREAD_REDUCED_COLOR_4),
                            (2, cv2.IMREAD_REDUCED_COLOR_2)):
        if side // factor >= MAX_DECODE_SIDE:
            flags = reduced
            break
    try:
        image = cv2.imdecode(np.frombuffer(raw, dtype=np.uint8), flags)
    except cv2.error:
        return None
    return None if image is None else np.asarray(image)
