"""The camera's idle gate: which frames are worth the full decoder chain.

The camera runs all day at the counter, mostly looking at an empty counter. The full chain
costs 15-25 ms on a 1280x720 frame without a code (every backend gets its try before the
frame is given up), about 60% of a core at 30 frames/s; a frame in which nothing changed
cannot hold a code the previous one did not. So each frame is first shrunk (to half and an
eighth of its size, well under a millisecond) and judged:

- A frame that differs from the last one judged (the eighth-size gray pictures differ by
  more than sensor noise over more than a few hundred full-size pixels) is a change. The
  first change after a quiet spell is always decoded (someone just held something up);
  during further movement a frame is decoded when it has a code-like texture, and at
  least every MOVING_DECODE_INTERVAL_S in case the texture test misses a code.
- For `change_window_s` after the last change the scene is settling: a code held still is
  sharp at last, so code-like frames are still decoded.
- Otherwise nothing changes: the frame is not decoded, except one every
  `idle_decode_interval_s` (a code that crept in too slowly to count as a change).

The texture test looks for what every code has and a counter rarely does: many strong
edges packed together. In the half- and quarter-size pictures it counts cells of 16x16
pixels in which most pixels sit on a strong edge; two such cells make a frame code-like. A
straight edge, a hand or a sleeve fills a cell's edge pixels only partly.

No threads and no clock of its own: the camera's decode worker calls `judge` with its time.
"""

from __future__ import annotations

import enum

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]

# A change: more than this fraction of the eighth-size pixels moved by more than
# MOTION_LEVEL gray levels. Sensor noise (a few levels on a full-size pixel) averages out
# over the 64 pixels of an eighth-size one; a 200-pixel code held up covers 4% of the frame.
MOTION_LEVEL = 10
MOTION_FRACTION = 0.003
# While the scene moves, a frame without a code-like texture is still decoded this often: a
# QR code held very close has modules wider than the texture test looks for.
MOVING_DECODE_INTERVAL_S = 0.1
# The texture test (see the module docstring): an edge is a Sobel response above
# EDGE_LEVEL; a cell is dense when EDGE_SHARE of its pixels are edges.
EDGE_LEVEL = 80
EDGE_SHARE = 0.75
CELL_PX = 16
DENSE_CELLS = 2


class Verdict(enum.Enum):
    DECODE = "decode"  # run the full chain on this frame
    STILL = "still"    # the scene is as the last frame judged: what was in view still is
    SKIP = "skip"      # the scene changed, and holds nothing that looks like a code


class FrameGate:
    """Judges each frame of one camera (see the module docstring); one thread at a time."""

    def __init__(self, *, change_window_s: float = 1.0, idle_decode_interval_s: float = 1.0) -> None:
        self.change_window_s = change_window_s
        self.idle_decode_interval_s = idle_decode_interval_s
        self._reference: Gray | None = None
        self._last_change = 0.0
        self._last_decode = 0.0

    def judge(self, frame: object, now: float) -> Verdict:
        pictures = shrink(frame)
        if pictures is None:
            return Verdict.DECODE  # an odd frame: the chain says what is wrong with it
        half, eighth = pictures
        reference = self._reference
        if reference is None or reference.shape != eighth.shape:
            self._reference = eighth
            self._last_change = now
            return self._decode(now)
        since_change_s = now - self._last_change
        if moved(reference, eighth):
            self._reference = eighth
            self._last_change = now
            if since_change_s > self.change_window_s or self._due(now, MOVING_DECODE_INTERVAL_S) \
                    or code_like(half):
                return self._decode(now)
            return Verdict.SKIP
        if since_change_s <= self.change_window_s:
            if self._due(now, MOVING_DECODE_INTERVAL_S) or code_like(half):
                return self._decode(now)
            return Verdict.STILL
        if self._due(now, self.idle_decode_interval_s):
            return self._decode(now)
        return Verdict.STILL

    def _due(self, now: float, interval_s: float) -> bool:
        return now - self._last_decode >= interval_s

    def _decode(self, now: float) -> Verdict:
        self._last_decode = now
        return Verdict.DECODE


def shrink(frame: object) -> tuple[Gray, Gray] | None:
    """The frame as half-size and eighth-size gray pictures, or None for what is not an 8-bit
    image. Shrinking the colour frame first and converting the small one is cheaper than
    converting the full frame."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim not in (2, 3):
        return None
    height, width = frame.shape[:2]
    if height < 8 * CELL_PX or width < 8 * CELL_PX:
        return None
    half = cv2.resize(frame, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    if half.ndim == 3:
        conversions = {3: cv2.COLOR_BGR2GRAY, 4: cv2.COLOR_BGRA2GRAY}
        if half.shape[2] not in conversions:
            return None
        half = cv2.cvtColor(half, conversions[half.shape[2]])
    quarter = cv2.resize(half, (width // 4, height // 4), interpolation=cv2.INTER_AREA)
    eighth = cv2.resize(quarter, (width // 8, height // 8), interpolation=cv2.INTER_AREA)
    return np.asarray(half, dtype=np.uint8), np.asarray(eighth, dtype=np.uint8)


def moved(before: Gray, after: Gray) -> bool:
    """More than sensor noise changed between two eighth-size pictures of the same size."""
    changed = cv2.absdiff(before, after) > MOTION_LEVEL
    return int(np.count_nonzero(changed)) > MOTION_FRACTION * changed.size


def code_like(half: Gray) -> bool:
    """The half-size gray picture, or its quarter-size copy, has DENSE_CELLS cells packed with
    strong edges (see the module docstring)."""
    quarter = cv2.resize(half, (half.shape[1] // 2, half.shape[0] // 2), interpolation=cv2.INTER_AREA)
    return any(_dense_cells(np.asarray(picture, dtype=np.uint8)) >= DENSE_CELLS
               for picture in (half, quarter))


def _dense_cells(gray: Gray) -> int:
    rows, cols = gray.shape[0] // CELL_PX, gray.shape[1] // CELL_PX
    if rows == 0 or cols == 0:
        return 0
    across = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, 1, 0))
    down = cv2.convertScaleAbs(cv2.Sobel(gray, cv2.CV_16S, 0, 1))
    edges = np.where(cv2.max(across, down) > EDGE_LEVEL, 255, 0).astype(np.uint8)
    cells = cv2.resize(edges[:rows * CELL_PX, :cols * CELL_PX], (cols, rows), interpolation=cv2.INTER_AREA)
    return int(np.count_nonzero(cells >= EDGE_SHARE * 255))
