"""What the camera scanner reports and shows: its events, its preview and its counters.

Kept apart from the scanner (terminal.devices.camera re-exports them) so the scanner module
holds only its threads.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from terminal.devices.camera_sources import Frame
from terminal.devices.decoding import DecodeResult
from terminal.devices.device import StateChanged
from terminal.errors import BadInput


class FrameDecoder(Protocol):
    """What the scanner needs from a decoder (DecoderChain fits): every code in a frame."""

    def decode_all(self, image: object) -> Sequence[DecodeResult]: ...


@dataclass(frozen=True)
class CodeSeen:
    result: DecodeResult
    frame_index: int


@dataclass(frozen=True)
class CodeRejected:
    """A code was read but cannot be used (e.g. too large); reported once while in view."""

    error: BadInput
    frame_index: int


CameraEvent = StateChanged | CodeSeen | CodeRejected


@dataclass(frozen=True)
class Preview:
    """The newest frame and the corners of the (first) code in view (if any); `codes` are
    all of them. A frame the idle gate passed over shows the codes of the last one decoded
    while the scene stays the same.

    The frame is shared, not copied: draw on a copy.
    """

    frame: Frame
    frame_index: int
    points: tuple[tuple[float, float], ...]
    text: str | None
    codes: tuple[DecodeResult, ...] = ()


# Enough frames to average over about two seconds at 30 frames/s.
FPS_WINDOW_FRAMES = 64


@dataclass
class CameraStats:
    frames_captured: int = 0
    frames_decoded: int = 0
    frames_dropped: int = 0
    codes_reported: int = 0
    decode_ms: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    # The same, only for frames in which a code was read (empty frames cost more: every
    # backend gets its try before the frame is given up).
    decode_ms_found: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    # Latency from the capture of a frame to the end of its decode.
    latency_ms: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    decode_thread_ids: set[int] = field(default_factory=set)
    # Frames the idle gate judged not worth decoding, and what judging each frame cost.
    frames_gated: int = 0
    gate_ms: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))
    # When the newest frames were captured (the scanner's clock): the frame rate a technician sees.
    captured_at: deque[float] = field(default_factory=lambda: deque(maxlen=FPS_WINDOW_FRAMES))



@dataclass(frozen=True)
class CameraLive:
    """What the devices panel shows a few times a second: cheap to take under the scanner's lock."""

    fps: float  # frames captured per second, over the newest frames
    decode_ms: float | None  # the last decoded frame's decode time
    frames_captured: int
    frames_decoded: int


def frames_per_second(captured_at: Sequence[float], now: float, *, stale_s: float = 2.0) -> float:
    """The capture rate over the newest frames; 0 when none came within `stale_s` (the camera stopped)."""
    if len(captured_at) < 2 or now - captured_at[-1] > stale_s:
        return 0.0
    span = captured_at[-1] - captured_at[0]
    return (len(captured_at) - 1) / span if span > 0 else 0.0
