"""Where camera frames come from: a real camera, a stream URL, a video file or a folder.

Everything here looks like cv2.VideoCapture to the camera scanner (isOpened, read,
release), so the scanner code is the same for a USB camera, the simulated camera's
MJPEG stream, a video file and a folder of images: only the configured source differs.
Files are played at the configured frame rate, as a camera would deliver them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from terminal.errors import EnvironmentFault

Frame = npt.NDArray[np.uint8]
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff", ".pgm",
                            ".ppm"})
URL_SCHEMES = ("http://", "https://", "rtsp://", "rtp://", "udp://", "tcp://")
# An unreachable stream must not block the capture thread for FFmpeg's default 30 s.
STREAM_TIMEOUT_MS = 3000


class CaptureLike(Protocol):
    """The part of cv2.VideoCapture the camera scanner uses."""

    def isOpened(self) -> bool: ...  # OpenCV's spelling

    def read(self) -> tuple[bool, Any]: ...

    def release(self) -> None: ...


CaptureFactory = Callable[[], CaptureLike]


class CameraMissing(EnvironmentFault):
    """No camera (or file, or stream) is there to open."""


class CameraBusy(EnvironmentFault):
    """The camera exists but another program holds it."""


class FrameSequence:
    """Frames played from a list of image files or a video file, paced at `fps`.

    `ended` turns true once the last frame has been read (unless looping), so the
    scanner can tell the end of a recording from an unplugged camera.
    """

    def __init__(self, read_next: Callable[[], Frame | None], rewind: Callable[[], bool],
                 close: Callable[[], None], *, fps: float, loop: bool) -> None:
        self._read_next = read_next
        self._rewind = rewind
        self._close = close
        self.fps = fps
        self._interval = 1.0 / fps if fps > 0 else 0.0
        self._loop = loop
        self._next_due = 0.0
        self._opened = True
        self.ended = False

    def isOpened(self) -> bool:  # OpenCV's spelling
        return self._opened

    def read(self) -> tuple[bool, Frame | None]:
        if not self._opened or self.ended:
            return False, None
        now = time.monotonic()
        if self._next_due > now:
            time.sleep(self._next_due - now)
        self._next_due = max(now, self._next_due) + self._interval
        frame = self._read_next()
        if frame is None and self._loop and self._rewind():
            frame = self._read_next()
        if frame is None:
            self.ended = True
            return False, None
        return True, frame

    def release(self) -> None:
        if self._opened:
            self._opened = False
            self._close()


def image_sequence(paths: Sequence[Path], *, fps: float, loop: bool) -> FrameSequence:
    """A capture that shows each image in turn (unreadable files are skipped)."""
    if not paths:
        raise CameraMissing("The camera picture folder holds no images.")
    position = 0

    def read_next() -> Frame | None:
        nonlocal position
        while position < len(paths):
            frame = cv2.imread(str(paths[position]), cv2.IMREAD_COLOR)
            position += 1
            if frame is not None:
                return np.asarray(frame, dtype=np.uint8)
        return None

    def rewind() -> bool:
        nonlocal position
        position = 0
        return True

    return FrameSequence(read_next, rewind, lambda: None, fps=fps, loop=loop)


def video_file(path: Path, *, fps: float | None, loop: bool) -> FrameSequence:
    """A capture that plays a video file at its own frame rate (or `fps`)."""
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        capture.release()
        raise CameraMissing(f"The camera video {path.name} cannot be played.",
                            detail=f"OpenCV could not open {path}")
    rate = fps or float(capture.get(cv2.CAP_PROP_FPS) or 0.0) or 30.0

    def read_next() -> Frame | None:
        ok, frame = capture.read()
        return np.asarray(frame, dtype=np.uint8) if ok and frame is not None else None

    def rewind() -> bool:
        return bool(capture.set(cv2.CAP_PROP_POS_FRAMES, 0))

    return FrameSequence(read_next, rewind, capture.release, fps=rate, loop=loop)


def list_images(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir()
                  if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def parse_source(source: object) -> int | str:
    """A camera index (int or digit string) or a path/URL string."""
    if isinstance(source, bool):
        raise CameraMissing("The camera source in the configuration is not valid.")
    if isinstance(source, int):
        return source
    text = str(source).strip()
    return int(text) if text.isdigit() else text


def open_source(source: object, *, width: int | None = None, height: int | None = None,
                fps: float | None = None, loop: bool = False) -> CaptureLike:
    """Open a camera index, stream URL, video file, image file or image folder.

    Raises CameraMissing when nothing is there and CameraBusy when a camera device
    exists but cannot be opened (another program holds it).
    """
    parsed = parse_source(source)
    if isinstance(parsed, int):
        return _open_device(parsed, width=width, height=height, fps=fps)
    if parsed.lower().startswith(URL_SCHEMES):
        capture = cv2.VideoCapture(parsed, cv2.CAP_FFMPEG, [
            cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, STREAM_TIMEOUT_MS,
            cv2.CAP_PROP_READ_TIMEOUT_MSEC, STREAM_TIMEOUT_MS,
        ])
        if not capture.isOpened():
            capture.release()
            raise CameraMissing("The camera stream cannot be reached; check the camera and "
                                "its network cable.", detail=f"cannot open {parsed}")
        return capture
    path = Path(parsed)
    if path.is_dir():
        return image_sequence(list_images(path), fps=fps or 30.0, loop=loop)
    if path.is_file():
        if path.suffix.lower() in IMAGE_SUFFIXES:
            # A single picture is a camera looking at a still scene.
            return image_sequence([path], fps=fps or 30.0, loop=True)
        return video_file(path, fps=fps, loop=loop)
    if path.as_posix().startswith("/dev/"):
        return _open_device(path.as_posix(), width=width, height=height, fps=fps)
    raise CameraMissing("The camera source does not exist; check the camera settings.",
                        detail=f"no file, folder or device at {parsed}")


def _open_device(device: int | str, *, width: int | None, height: int | None,
                 fps: float | None) -> CaptureLike:
    node = Path(f"/dev/video{device}") if isinstance(device, int) else Path(device)
    if not node.exists():
        raise CameraMissing("The camera is not connected; plug it in or use the hand scanner.",
                            detail=f"{node} does not exist")
    capture = cv2.VideoCapture(device)
    if not capture.isOpened():
        capture.release()
        raise CameraBusy("The camera cannot be opened; close any other program using it.",
                         detail=f"{node} exists but does not open")
    for prop, value in ((cv2.CAP_PROP_FRAME_WIDTH, width), (cv2.CAP_PROP_FRAME_HEIGHT, height),
                        (cv2.CAP_PROP_FPS, fps)):
        if value:
            capture.set(prop, float(value))
    return capture
