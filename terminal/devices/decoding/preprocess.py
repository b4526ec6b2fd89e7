"""Cheap image pre-processing steps the chain may retry a hard image with.

Each step maps a grayscale image to (new image, scale factor), the factor being what
the step multiplied the image size by, so corner points can be mapped back.
Measured on the photo corpus (`bench/decode_corpus.py --explore`): these steps won
codes the plain image did not (CLAHE excepted, kept as an option for glare);
half-size copies, histogram equalisation, sharpening and adaptive thresholding won
none and are gone.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np

from terminal.devices.decoding.backend import Gray

Step = Callable[[Gray], tuple[Gray, float]]

# Below this size a code's modules are only a few pixels wide; upscaling helps ZBar and
# OpenCV find the finder patterns. Above it, upscaling only costs time.
_UPSCALE_BELOW_PX = 1000


def _gray(image: Gray) -> tuple[Gray, float]:
    return image, 1.0


def _double(image: Gray) -> tuple[Gray, float]:
    if max(image.shape[:2]) >= _UPSCALE_BELOW_PX:
        return image, 1.0
    return _as_gray(cv2.resize(image, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)), 2.0


def _blur(image: Gray) -> tuple[Gray, float]:
    return _as_gray(cv2.GaussianBlur(image, (3, 3), 0)), 1.0


def _clahe(image: Gray) -> tuple[Gray, float]:
    # Local contrast. It won no code on the corpus beyond the other steps, so the
    # default chain leaves it out; kept for a counter with glare on phone screens.
    return _as_gray(cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(image)), 1.0


def _otsu(image: Gray) -> tuple[Gray, float]:
    smooth = cv2.GaussianBlur(image, (5, 5), 0)
    return _as_gray(cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]), 1.0


def _close(image: Gray) -> tuple[Gray, float]:
    # Fills the white specks of a printed code seen too close; joins broken dark modules.
    return _as_gray(cv2.morphologyEx(image, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))), 1.0


def _open(image: Gray) -> tuple[Gray, float]:
    return _as_gray(cv2.morphologyEx(image, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))), 1.0


def _as_gray(image: object) -> Gray:
    return np.ascontiguousarray(image, dtype=np.uint8)


STEPS: dict[str, Step] = {
    "gray": _gray,
    "double": _double,
    "blur": _blur,
    "clahe": _clahe,
    "otsu": _otsu,
    "close": _close,
    "open": _open,
}


def to_gray(image: object) -> Gray:
    """An 8-bit single-channel copy of a BGR, BGRA or gray image (ValueError if none)."""
    if not isinstance(image, np.ndarray) or image.size == 0:
        raise ValueError("not an image array")
    array = image
    if array.dtype != np.uint8:
        if array.dtype == np.uint16:
            array = (array >> 8).astype(np.uint8)
        elif np.issubdtype(array.dtype, np.floating):
            array = np.clip(array * (255.0 if array.max() <= 1.0 else 1.0), 0, 255)
            array = array.astype(np.uint8)
        else:
            raise ValueError(f"unsupported pixel type {array.dtype}")
    if array.ndim == 2:
        return np.ascontiguousarray(array)
    if array.ndim == 3 and array.shape[2] == 1:
        return np.ascontiguousarray(array[:, :, 0])
    if array.ndim == 3 and array.shape[2] == 3:
        return _as_gray(cv2.cvtColor(array, cv2.COLOR_BGR2GRAY))
    if array.ndim == 3 and array.shape[2] == 4:
        return _as_gray(cv2.cvtColor(array, cv2.COLOR_BGRA2GRAY))
    raise ValueError(f"unsupported image shape {array.shape}")
