"""Synthetic code pictures: clean codes, camera-like frames of a phone showing an e-voucher and
of a drug box's label, for tests, benchmarks and the simulated camera's box pictures."""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt
import zxingcpp

Image = npt.NDArray[np.uint8]

# The symbologies a box carries (and the e-voucher's QR), by the names of devices.decoder.formats.
_WRITABLE = {
    "qr": zxingcpp.BarcodeFormat.QRCode,
    "datamatrix": zxingcpp.BarcodeFormat.DataMatrix,
    "code128": zxingcpp.BarcodeFormat.Code128,
    "ean13": zxingcpp.BarcodeFormat.EAN13,
    "ean8": zxingcpp.BarcodeFormat.EAN8,
    "upca": zxingcpp.BarcodeFormat.UPCA,
}


def render_qr(payload: str | bytes, *, module_px: int = 6, ec_level: str = "M") -> Image:
    """A black-on-white QR code (grayscale) with its quiet zone.

    str payloads are written as UTF-8 text; bytes are written as they are (byte mode).
    """
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=ec_level)
    return _to_array(barcode.to_image(scale=module_px, add_quiet_zones=True))


def render_code(content: str, code_format: str, *, module_px: int = 2, digits: bool = True) -> Image:
    """One code (grayscale, with its quiet zone) in a format named as devices.decoder.formats names
    them; linear codes carry their digits beneath, as printed on a box (`digits`).

    ValueError if the content cannot be written in that format (a wrong EAN check digit, a
    letter in an EAN).
    """
    if code_format not in _WRITABLE:
        raise ValueError(f"no writer for the format {code_format!r}")
    try:
        barcode = zxingcpp.create_barcode(content, _WRITABLE[code_format])
    except Exception as exc:  # the writer raises its own error types for bad content
        raise ValueError(f"{content!r} cannot be written as {code_format}: {exc}") from None
    linear = code_format not in ("qr", "datamatrix")
    return _to_array(barcode.to_image(scale=module_px, add_hrt=digits and linear,
                                      add_quiet_zones=True))


def ean13(first12: str) -> str:
    """The EAN-13 of twelve digits: with its check digit (the 1-3-1-3 weighted sum's complement)."""
    if len(first12) != 12 or not first12.isdigit():
        raise ValueError(f"an EAN-13 is made of 12 digits and a check digit, not {first12!r}")
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str(-total % 10)


def render_box_label(barcode: str, trac_code: str | None, *, module_px: int = 2,
                     data_matrix: bool = True, code128: bool = True) -> Image:
    """The printed side of a drug box (grayscale): the EAN-13 `barcode` at the left, the
    traceability code as a Code 128 beside it (unless not `code128`) and, with `data_matrix`,
    the same code as a Data Matrix at the right (modules twice as wide, as printed), on white
    card with a few lines of "print" above, which a texture test must not take for a code.
    `trac_code` None is a box without one."""
    parts = [render_code(barcode, "ean13", module_px=module_px)]
    if trac_code is not None:
        if code128:
            parts.append(render_code(trac_code, "code128", module_px=module_px))
        if data_matrix:
            parts.append(render_code(trac_code, "datamatrix", module_px=module_px * 2))
    gap = 12 * module_px
    height = max(p.shape[0] for p in parts)
    width = sum(p.shape[1] for p in parts) + gap * (len(parts) + 1)
    print_band = 16 * module_px
    label = np.full((height + print_band + 2 * gap, width), 255, np.uint8)
    x = gap
    for part in parts:
        top = print_band + gap + (height - part.shape[0]) // 2
        label[top:top + part.shape[0], x:x + part.shape[1]] = part
        x += part.shape[1] + gap
    # Lines of small print: strokes a few pixels long, not a code.
    rng = np.random.default_rng(len(barcode) + sum(map(ord, barcode)))
    for row in range(2):
        y = gap // 2 + row * 7 * module_px
        for _ in range(width // (6 * module_px)):
            x0 = int(rng.integers(gap, max(gap + 1, width - gap)))
            cv2.line(label, (x0, y), (x0 + int(rng.integers(2, 4 * module_px)), y), 60, module_px)
    return label


def camera_frame(code: Image | None, rng: np.random.Generator, *, width: int = 1280,
                 height: int = 720, code_px: int = 320, angle_deg: float = 0.0,
                 center: tuple[float, float] | None = None,
                 background: Image | None = None) -> Image:
    """A BGR frame like a counter camera's: textured, unevenly lit, noisy, JPEG-compressed,
    with `code` (if any) shown on a phone screen about `code_px` wide, turned by
    `angle_deg`, at `center` (default: near the middle), over `background` (a frame from
    `counter_background`; default a fresh one)."""
    frame = background.copy() if background is not None else _background(rng, width, height)
    if code is not None:
        _place(frame, code, rng, code_px=code_px, angle_deg=angle_deg,
               center=center or (width / 2 + rng.uniform(-150, 150),
                                 height / 2 + rng.uniform(-80, 80)))
    return _as_captured(frame, rng)


def box_frame(label: Image | None, rng: np.random.Generator, *, width: int = 1280,
              height: int = 720, label_px: int = 760, angle_deg: float = 0.0,
              perspective: float = 0.0, blur: float = 0.0, glare: float = 0.0,
              background: Image | None = None) -> Image:
    """A BGR frame of a drug box held up to the counter camera: the `label` about
    `label_px` wide, turned by `angle_deg`, its far side shrunk by `perspective` (0: square
    to the camera; 0.3: a box tilted well away), out of focus by `blur` (Gaussian sigma in
    pixels), and a reflection of strength `glare` (0-1) across part of the label.
    `background` (a frame from `counter_background`) keeps the counter the same between frames."""
    frame = background.copy() if background is not None else _background(rng, width, height)
    if label is not None:
        card = cv2.cvtColor((label * rng.uniform(0.85, 0.97)).astype(np.uint8), cv2.COLOR_GRAY2BGR)
        card = (card * np.array([0.92, 0.97, 1.0])).astype(np.uint8)  # card is warmer than white
        scale = label_px / label.shape[1]
        h, w = label.shape[0] * scale, float(label_px)
        center = (width / 2 + rng.uniform(-60, 60), height / 2 + rng.uniform(-40, 40))
        shrink = perspective * h / 2
        corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        # The right edge is farther from the camera: shorter, pulled towards the middle.
        corners[1, 1] += shrink
        corners[2, 1] -= shrink
        corners[1:3, 0] -= perspective * w * 0.15
        turn = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
        corners = cv2.transform(corners[None], turn)[0]
        corners += np.array(center, np.float32) - corners.mean(axis=0)
        source = np.array([[0, 0], [label.shape[1], 0], [label.shape[1], label.shape[0]],
                           [0, label.shape[0]]], np.float32)
        warp = cv2.getPerspectiveTransform(source, corners.astype(np.float32))
        size = (width, height)
        warped = cv2.warpPerspective(card, warp, size, flags=cv2.INTER_AREA)
        mask = cv2.warpPerspective(np.full(label.shape, 255, np.uint8), warp, size,
                                   flags=cv2.INTER_NEAREST)
        frame[mask > 0] = warped[mask > 0]
        if glare > 0:
            _glare(frame, corners, glare, rng)
    if blur > 0:
        frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), blur), dtype=np.uint8)
    return _as_captured(frame, rng)


def counter_background(rng: np.random.Generator, width: int = 1280, height: int = 720) -> Image:
    """The empty counter (BGR, before the camera's noise): pass it to `box_frame` and
    `still_frame` so frames differ only where something moved."""
    return _background(rng, width, height)


def still_frame(background: Image, rng: np.random.Generator) -> Image:
    """The empty counter as one more frame: the same scene, fresh sensor noise and JPEG."""
    return _as_captured(background.copy(), rng)


def _glare(frame: Image, corners: npt.NDArray[np.float32], strength: float,
           rng: np.random.Generator) -> None:
    # A bright oval from a ceiling light on the box's glossy film, somewhere over the label.
    t = rng.uniform(0.2, 0.8)
    cx, cy = corners[0] + (corners[1] - corners[0]) * t + (corners[3] - corners[0]) * 0.5
    radius = float(np.linalg.norm(corners[1] - corners[0])) * 0.12
    ys, xs = np.ogrid[:frame.shape[0], :frame.shape[1]]
    spot = np.exp(-(((xs - cx) / (radius * 1.6)) ** 2 + ((ys - cy) / radius) ** 2))
    lifted = frame.astype(np.float32) + (strength * 255.0 * spot)[:, :, None]
    frame[:] = np.clip(lifted, 0, 255).astype(np.uint8)


def _as_captured(frame: Image, rng: np.random.Generator) -> Image:
    # The sensor's noise, the lens's softness and the camera's JPEG compression.
    noise = rng.normal(0.0, 6.0, frame.shape)
    frame = np.clip(frame.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    frame = np.asarray(cv2.GaussianBlur(frame, (3, 3), 0.8), dtype=np.uint8)
    ok, jpeg = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 80])
    if not ok:
        return np.ascontiguousarray(frame)
    return np.ascontiguousarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), dtype=np.uint8)


def _to_array(image: object) -> Image:
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


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
