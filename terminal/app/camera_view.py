"""The camera preview a technician watches: the newest frame scaled down, with each code's outline.

The camera scanner keeps its newest frame and the corners of the codes it read
(terminal.devices.camera.Preview, shared, never to be drawn on); the devices panel
polls it a few times a second and shows this: a small RGB copy and the outlines
scaled to it. Scaling here (a cv2.resize, about a millisecond) rather than on the
capture thread keeps the camera's own work unchanged whether anyone looks or not.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from terminal.devices.camera_events import CameraLive, Preview
from terminal.devices.camera_sources import Frame

Point = tuple[float, float]


@dataclass(frozen=True)
class PreviewPicture:
    frame: Frame  # RGB, contiguous, at most the asked size
    frame_index: int
    outlines: tuple[tuple[Point, ...], ...]  # each code's corners, in the scaled frame's pixels
    texts: tuple[str, ...]  # what each outlined code holds (for the technician: shortened by the UI)
    scale: float


@dataclass(frozen=True)
class CameraReadout:
    """The figures beside the preview."""

    fps: float
    decode_ms: float | None
    frames_captured: int
    frames_decoded: int
    codes_in_view: int

    @classmethod
    def of(cls, live: CameraLive, picture: PreviewPicture | None) -> CameraReadout:
        return cls(live.fps, live.decode_ms, live.frames_captured, live.frames_decoded,
                   len(picture.outlines) if picture is not None else 0)


def preview_picture(preview: Preview, max_width: int, max_height: int) -> PreviewPicture:
    """A scaled-down RGB copy of the preview's frame and its codes' outlines (never upscaled)."""
    frame = preview.frame
    height, width = frame.shape[:2]
    scale = min(1.0, max_width / width, max_height / height) if width and height else 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA) if scale < 1.0 else frame
    if small.ndim == 2:
        rgb = cv2.cvtColor(small, cv2.COLOR_GRAY2RGB)
    elif small.shape[2] == 4:
        rgb = cv2.cvtColor(small, cv2.COLOR_BGRA2RGB)
    else:
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
    codes = preview.codes or ()
    corners = [code.points for code in codes if code.points] if codes else (
        [preview.points] if preview.points else [])
    outlines = tuple(tuple((x * scale, y * scale) for x, y in points) for points in corners)
    texts = tuple(code.text or "" for code in codes if code.points) if codes else (
        (preview.text or "",) if preview.points else ())
    return PreviewPicture(np.ascontiguousarray(rgb), preview.frame_index, outlines, texts, scale)
