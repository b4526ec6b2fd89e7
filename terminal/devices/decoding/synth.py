"""Synthetic QR pictures: clean codes and camera-like frames, for tests, benchmarks and
technicians preparing a simulated camera's picture folder."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

Image = npt.NDArray[np.uint8]


def render_qr(payload: str | bytes, *, module_px: int = 6, ec_level: str = "M") -> Image:
    """A black-on-white QR code (grayscale) with its quiet zone.

    str payloads are written as UTF-8 text; bytes are written as they are (byte mode).
    """
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level)
    return np.ascontiguousarray(np.asarray(barcode.to_image(scale=module_px, add_quiet_zones=True),
                                           dtype=np.uint8))


def camera_frame(code: Image | None, rng: np.random.Generator, *, width: int = 1280,
                 height: int = 720, code_px: int = 320, angle_deg: float = 0.0,
                 center: tuple[float, float] | None = None) -> Image:
    """A BGR frame like a counter camera's: textured, unevenly lit, noisy, JPEG-compressed,
    with `code` (if any) shown on a phone screen about `code_px` wide, turned by
    `angle_deg`, at `center` (default: near the middle)."""
    frame = _background(rng, width, height)
    if code is not None:
        _place(frame, code, rng, code_px=code_px, angle_deg=angle_deg,
               center=center or (width / 2 + rng.uniform(-150, 150),
                                 height / 2 + rng.uniform(-80, 80)))
    noise = rng.normal(0.0, 6.0, frame.shape)
    frame = np.clip(frame.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    frame = np.asarray(cv2.GaussianBlur(frame, (3, 3), 0.8), dtype=np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        return np.ascontiguousarray(frame)
    return np.ascontiguousarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), dtype=np.uint8)


def _background(rng: np.random.Generator, width: int, height: int) -> Image:
    # Low-frequency blotches (a counter top, a sleeve) under a lighting gradient.
    blotches = rng.uniform(50, 200, (height // 40 + 2, width // 40 + 2, 1))
    tint = rng.uniform(0.85, 1.15, (1, 1, 3))
    small = (blotches * tint).astype(np.float32)
    texture = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    ramp = np.linspace(0.7, 1.1, width, dtype=np.float32)[None, :, None]
    frame: Image = np.clip(texture * ramp, 0, 255).astype(np.uint8)
    # A few straight edges, which fool finder-pattern searches more than blobs do.
    for _ in range(6):
        p1 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        p2 = (int(rng.integers(0, width)), int(rng.integers(0, height)))
        gray = int(rng.integers(0, 255))
        cv2.line(frame, p1, p2, (gray, gray, gray), int(rng.integers(2, 12)))
    return frame


def _place(frame: Image, code: Image, rng: np.random.Generator, *, code_px: int,
           angle_deg: float, center: tuple[float, float]) -> None:
    # The phone's screen: the code with a white margin, a little dimmer than paper white.
    screen = cv2.copyMakeBorder(code, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
    brightness = rng.uniform(0.8, 0.95)
    screen_bgr = cv2.cvtColor((screen * brightness).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    scale = code_px / code.shape[1]
    h, w = screen.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, scale)
    matrix[0, 2] += center[0] - w / 2
    matrix[1, 2] += center[1] - h / 2
    # A slight perspective: the phone is never held exactly square to the camera.
    tilt = rng.uniform(-0.04, 0.04)
    affine = np.vstack([matrix, [0, 0, 1]])
    shear = np.array([[1, tilt, -tilt * center[1]], [0, 1, 0], [0, 0, 1]], dtype=np.float64)
    warp = (shear @ affine)[:2]
    size = (frame.shape[1], frame.shape[0])
    warped = cv2.warpAffine(screen_bgr, warp, size, flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    mask = cv2.warpAffine(np.full((h, w), 255, np.uint8), warp, size, flags=cv2.INTER_NEAREST)
    frame[mask > 0] = warped[mask > 0]


def rotation_for(index: int) -> float:
    """A repeatable small angle for the index-th synthetic frame (-12..12 degrees)."""
    return 12.0 * math.sin(index * 1.7)
