"""The camera scanner: frames from a capture, QR codes decoded off the caller's thread.

Two threads own the work. The capture thread owns the capture object (opens it, reads
it, releases it, reopens it after a failure); it keeps only the newest frame. The decode
thread takes the newest frame whenever it is free and decodes it, so a slow decode
drops stale frames instead of falling behind. Results leave through callbacks (called
on those threads: a Qt adapter re-emits them as signals) and through the `events`
queue. The preview getter is thread-safe.

Statuses: ok (frames flowing), missing (nothing to open), busy (the device exists but
does not deliver), lost (it stopped delivering mid-stream), recovered (frames flow again
after one of those), ended (a video file or picture folder reached its end), stopped.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

from terminal.devices.camera_sources import (
    CameraBusy,
    CameraMissing,
    CaptureFactory,
    CaptureLike,
    Frame,
    open_source,
)
from terminal.devices.decoding import DecodeResult, UnreadableImage, chain_from_config
from terminal.errors import BadInput, EnvironmentFault, TerminalError

log = logging.getLogger(__name__)

# A camera sometimes drops a single frame; only this many failed reads in a row mean
# the camera is gone.
FAILED_READS_BEFORE_LOST = 3
JOIN_TIMEOUT_S = 5.0


class CameraStatus(Enum):
    OK = "ok"
    MISSING = "missing"
    BUSY = "busy"
    LOST = "lost"
    RECOVERED = "recovered"
    ENDED = "ended"
    STOPPED = "stopped"


STATUS_MESSAGES = {
    CameraStatus.OK: "The camera is ready; hold the code up to it.",
    CameraStatus.MISSING: "The camera is not connected; plug it in or use the hand scanner.",
    CameraStatus.BUSY: "The camera is in use by another program; close it or use the hand "
                       "scanner.",
    CameraStatus.LOST: "The camera stopped sending pictures; check its cable, it will be used "
                       "again as soon as it is back.",
    CameraStatus.RECOVERED: "The camera is working again.",
    CameraStatus.ENDED: "The camera recording has ended.",
    CameraStatus.STOPPED: "The camera is switched off.",
}


class FrameDecoder(Protocol):
    """What the scanner needs from a decoder (DecoderChain fits)."""

    def decode(self, image: object) -> DecodeResult | None: ...


@dataclass(frozen=True)
class CodeSeen:
    result: DecodeResult
    frame_index: int


@dataclass(frozen=True)
class CodeRejected:
    """A code was read but cannot be used (e.g. too large); reported once while in view."""

    error: BadInput
    frame_index: int


@dataclass(frozen=True)
class StatusChanged:
    status: CameraStatus
    message: str
    detail: str | None = None


CameraEvent = CodeSeen | CodeRejected | StatusChanged


@dataclass(frozen=True)
class Preview:
    """The newest decoded frame and the corners of the code found in it (if any).

    The frame is shared, not copied: draw on a copy.
    """

    frame: Frame
    frame_index: int
    points: tuple[tuple[float, float], ...]
    text: str | None


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


class CameraScanner:
    """Reads QR codes from a camera; see the module docstring."""

    def __init__(
        self,
        capture_factory: CaptureFactory,
        decoder: FrameDecoder,
        *,
        dedup_s: float = 2.0,
        reopen_interval_s: float = 1.0,
        on_code: Callable[[CodeSeen], None] | None = None,
        on_status: Callable[[StatusChanged], None] | None = None,
        on_rejected: Callable[[CodeRejected], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = capture_factory
        self._decoder = decoder
        self._dedup_s = dedup_s
        self._reopen_interval_s = reopen_interval_s
        self._on_code = on_code
        self._on_status = on_status
        self._on_rejected = on_rejected
        self._clock = clock
        self.events: queue.Queue[CameraEvent] = queue.Queue()

        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._frame_ready = threading.Condition(self._lock)
        # Guarded by _lock:
        self._pending: tuple[Frame, int, float] | None = None
        self._preview: Preview | None = None
        self._status: CameraStatus | None = None
        self._stats = CameraStats()
        self._last_seen: dict[bytes, float] = {}
        self._capture_done = False

        self._capture_thread: threading.Thread | None = None
        self._decode_thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Start the capture and decode threads (once: a closed scanner stays closed)."""
        if self._capture_thread is not None:
            return
        self._capture_thread = threading.Thread(target=self._capture_loop,
                                                name="camera-capture", daemon=True)
        self._decode_thread = threading.Thread(target=self._decode_loop,
                                               name="camera-decode", daemon=True)
        self._capture_thread.start()
        self._decode_thread.start()

    def close(self) -> None:
        """Stop both threads (joined with a timeout) and release the camera."""
        self._stop.set()
        with self._frame_ready:
            self._frame_ready.notify_all()
        for thread in (self._capture_thread, self._decode_thread):
            # close() may come from a listener running on one of our own threads.
            if thread is not None and thread is not threading.current_thread():
                thread.join(JOIN_TIMEOUT_S)
                if thread.is_alive():
                    log.warning("camera thread %s did not stop in time", thread.name)
        if self._status is not CameraStatus.STOPPED:
            self._set_status(CameraStatus.STOPPED)

    def __enter__(self) -> CameraScanner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- thread-safe getters ---------------------------------------------------------

    def preview(self) -> Preview | None:
        with self._lock:
            return self._preview

    @property
    def status(self) -> CameraStatus | None:
        with self._lock:
            return self._status

    def stats(self) -> CameraStats:
        """A snapshot of the counters (copied under the lock)."""
        with self._lock:
            s = self._stats
            return CameraStats(s.frames_captured, s.frames_decoded, s.frames_dropped,
                               s.codes_reported, deque(s.decode_ms), deque(s.decode_ms_found),
                               deque(s.latency_ms), set(s.decode_thread_ids))

    # -- capture thread --------------------------------------------------------------

    def _capture_loop(self) -> None:
        trouble = False  # a failure was reported; the next good frame is a recovery
        while not self._stop.is_set():
            capture = self._open(trouble)
            if capture is None:
                trouble = True
                self._stop.wait(self._reopen_interval_s)
                continue
            try:
                outcome = self._read_frames(capture, trouble)
            finally:
                _release(capture)
            if outcome is CameraStatus.ENDED:
                break
            if outcome is not None:
                trouble = True
                self._stop.wait(self._reopen_interval_s)
        with self._frame_ready:
            self._capture_done = True
            self._frame_ready.notify_all()

    def _open(self, trouble: bool) -> CaptureLike | None:
        try:
            capture = self._factory()
        except CameraBusy as exc:
            self._set_status(CameraStatus.BUSY, exc.detail)
            return None
        except EnvironmentFault as exc:
            self._set_status(CameraStatus.MISSING, exc.detail)
            return None
        except Exception as exc:  # a driver's own failure: still only "no camera"
            self._set_status(CameraStatus.MISSING, f"{type(exc).__name__}: {exc}")
            return None
        try:
            opened = bool(capture.isOpened())
        except Exception as exc:  # a broken capture object is a missing camera
            _release(capture)
            self._set_status(CameraStatus.MISSING, f"{type(exc).__name__}: {exc}")
            return None
        if not opened:
            _release(capture)
            self._set_status(CameraStatus.MISSING, "the capture did not open")
            return None
        return capture

    def _read_frames(self, capture: CaptureLike, trouble: bool) -> CameraStatus | None:
        """Read until stopped (None) or the capture fails (the status reported)."""
        delivered = False
        failures = 0
        while not self._stop.is_set():
            try:
                ok, frame = capture.read()
            except Exception as exc:  # OpenCV backends can raise on an unplugged device
                log.info("camera read raised: %s", exc)
                ok, frame = False, None
            if not ok or frame is None or getattr(frame, "size", 0) == 0:
                if getattr(capture, "ended", False):
                    self._set_status(CameraStatus.ENDED)
                    return CameraStatus.ENDED
                failures += 1
                if failures < FAILED_READS_BEFORE_LOST:
                    continue
                status = CameraStatus.LOST if delivered else CameraStatus.BUSY
                self._set_status(status, f"{failures} reads in a row failed")
                return status
            failures = 0
            if not delivered:
                delivered = True
                self._set_status(CameraStatus.RECOVERED if trouble else CameraStatus.OK)
            self._offer(frame)
        return None

    def _offer(self, frame: Frame) -> None:
        with self._frame_ready:
            self._stats.frames_captured += 1
            if self._pending is not None:
                self._stats.frames_dropped += 1
            self._pending = (frame, self._stats.frames_captured, self._clock())
            self._frame_ready.notify()

    # -- decode thread ---------------------------------------------------------------

    def _decode_loop(self) -> None:
        while True:
            with self._frame_ready:
                while self._pending is None and not self._stop.is_set() \
                        and not self._capture_done:
                    self._frame_ready.wait(0.5)
                if self._stop.is_set() or self._pending is None:
                    return
                frame, index, captured_at = self._pending
                self._pending = None
            self._decode_one(frame, index, captured_at)

    def _decode_one(self, frame: Frame, index: int, captured_at: float) -> None:
        start = time.perf_counter()
        result: DecodeResult | None = None
        rejected: BadInput | None = None
        try:
            result = self._decoder.decode(frame)
            if result is not None:
                result.require_text()  # a binary payload is rejected, not "seen"
        except BadInput as exc:  # too large a payload, binary data, an odd frame
            result = None
            rejected = exc
        except TerminalError as exc:
            log.info("camera frame not decoded: %s", exc)
        except Exception:  # a decoder bug must not stop the camera
            log.exception("camera frame decoder failed")
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        now = self._clock()
        with self._lock:
            stats = self._stats
            stats.frames_decoded += 1
            stats.decode_ms.append(elapsed_ms)
            if result is not None or rejected is not None:
                stats.decode_ms_found.append(elapsed_ms)
            stats.latency_ms.append((now - captured_at) * 1000.0)
            stats.decode_thread_ids.add(threading.get_ident())
            self._preview = Preview(frame=frame, frame_index=index,
                                    points=result.points if result else (),
                                    text=result.text if result else None)
            key = None
            if result is not None:
                key = b"code:" + result.raw
            elif rejected is not None and not isinstance(rejected, UnreadableImage):
                # an odd frame is the camera's business, not the cashier's; a bad code is
                key = b"rejected:" + str(rejected).encode("utf-8", "replace")
            report = key is not None and self._is_new(key, now)
            if report and result is not None:
                stats.codes_reported += 1
        if not report:
            return
        if result is not None:
            self._emit_code(CodeSeen(result, index))
        elif rejected is not None:
            self._emit_rejected(CodeRejected(rejected, index))

    def _is_new(self, key: bytes, now: float) -> bool:
        """True if `key` was not seen within dedup_s; either way, it is seen now."""
        last = self._last_seen.get(key)
        self._last_seen[key] = now
        if len(self._last_seen) > 256:  # forget codes long out of view
            cutoff = now - self._dedup_s
            self._last_seen = {k: t for k, t in self._last_seen.items() if t >= cutoff}
        return last is None or now - last > self._dedup_s

    # -- events ----------------------------------------------------------------------

    def _set_status(self, status: CameraStatus, detail: str | None = None) -> None:
        with self._lock:
            if self._status is status:
                return
            self._status = status
        event = StatusChanged(status, STATUS_MESSAGES[status], detail)
        log.info("camera %s%s", status.value, f" ({detail})" if detail else "")
        self.events.put(event)
        _call(self._on_status, event)

    def _emit_code(self, event: CodeSeen) -> None:
        self.events.put(event)
        _call(self._on_code, event)

    def _emit_rejected(self, event: CodeRejected) -> None:
        self.events.put(event)
        _call(self._on_rejected, event)


def _call(callback: Callable[[Any], None] | None, event: object) -> None:
    if callback is None:
        return
    try:
        callback(event)
    except Exception:  # a listener's bug must not kill the camera threads
        log.exception("camera event listener failed")


def _release(capture: CaptureLike) -> None:
    try:
        capture.release()
    except Exception as exc:  # releasing an unplugged device may fail; nothing to do
        log.info("camera release failed: %s", exc)


def scanner_from_config(config: Mapping[str, Any], **kwargs: Any) -> CameraScanner:
    """A CameraScanner built from the "devices" configuration (camera and decoder)."""
    camera = config.get("devices", {}).get("camera", {})
    decoder = config.get("devices", {}).get("decoder", {})
    source = camera.get("source", 0)
    width, height = camera.get("width"), camera.get("height")
    fps, loop = camera.get("fps"), bool(camera.get("loop", False))

    def factory() -> CaptureLike:
        return open_source(source, width=width, height=height, fps=fps, loop=loop)

    return CameraScanner(factory, chain_from_config(decoder, camera=True),
                         dedup_s=float(camera.get("dedup_s", 2.0)),
                         reopen_interval_s=float(camera.get("reopen_interval_s", 1.0)),
                         **kwargs)


__all__ = [
    "CameraBusy",
    "CameraEvent",
    "CameraMissing",
    "CameraScanner",
    "CameraStats",
    "CameraStatus",
    "CodeRejected",
    "CodeSeen",
    "Preview",
    "StatusChanged",
    "scanner_from_config",
]
