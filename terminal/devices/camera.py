"""The camera scanner: frames from a capture, codes decoded off the caller's thread.

The scanner is a Device (terminal.devices.device). Its owner thread is the capture
thread: it opens the capture, reads it, releases it and reopens it after a failure,
and keeps only the newest frame. A decode worker (a helper thread the owner starts
and joins) takes the newest frame whenever it is free, asks the idle gate
(terminal.devices.camera_gate) whether it is worth decoding and decodes it, so a slow
decode drops stale frames instead of falling behind. Each code a frame holds (an
e-voucher's QR code; a box's EAN-13 and traceability code) is reported once while it
stays in view. Events (CameraEvent) go to the one subscriber, on those threads, never
two at once (a Qt adapter re-emits them as signals). The preview and stats getters
are thread-safe.

States, with the sentence the cashier sees as the reason: READY when frames flow;
CONNECTING while nothing opens (missing) or the device opens but does not deliver
(busy), or LOST for the same once it had delivered frames; LOST when it stops
delivering mid-stream; FAILED when a video file or picture folder has ended (after
its last frames are decoded) or the source is unusable as configured; CLOSED.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from terminal.devices.camera_events import (
    CameraEvent,
    CameraLive,
    CameraStats,
    CodeRejected,
    CodeSeen,
    FrameDecoder,
    Preview,
    frames_per_second,
)
from terminal.devices.camera_gate import FrameGate, Verdict
from terminal.devices.camera_sources import (
    CameraBusy,
    CameraMissing,
    CaptureFactory,
    CaptureLike,
    Frame,
    open_source,
)
from terminal.devices.decoding import DecodeResult, UnreadableImage, chain_from_settings
from terminal.devices.device import JOIN_TIMEOUT_S, Device, DeviceState, DeviceThread
from terminal.errors import BadInput, EnvironmentFault, TerminalError
from terminal.settings import CameraSettings, DecoderSettings

log = logging.getLogger(__name__)

# A camera sometimes drops a single frame; only this many failed reads in a row mean
# the camera is gone.
FAILED_READS_BEFORE_LOST = 3

MISSING = "The camera is not connected; plug it in or use the hand scanner."
BUSY = "The camera is in use by another program; close it or use the hand scanner."
LOST = ("The camera stopped sending pictures; check its cable, it will be used again as soon "
        "as it is back.")
ENDED = "The camera recording has ended."


def camera_scanner_from_settings(camera: CameraSettings, decoder: DecoderSettings,
                                 **kwargs: Any) -> CameraScanner:
    """A (not yet started) CameraScanner on the configured source and decoder chain;
    `kwargs` go to CameraScanner (on_event, name, clock)."""

    def factory() -> CaptureLike:
        return open_source(camera.source, width=camera.width, height=camera.height,
                           fps=camera.fps, loop=camera.loop)

    gate = FrameGate(change_window_s=camera.change_window_s,
                     idle_decode_interval_s=camera.idle_decode_interval_s) if camera.idle_gate else None
    return CameraScanner(factory, chain_from_settings(decoder, camera=True),
                         dedup_s=camera.dedup_s, reopen_interval_s=camera.reopen_interval_s,
                         gate=gate, **kwargs)


# The defaults are the settings' (declared once, in terminal.settings).
_DEFAULTS = CameraSettings()


class CameraScanner(DeviceThread[CodeSeen | CodeRejected]):
    """Reads codes from a camera; see the module docstring. Without a `gate` every frame
    is decoded."""

    def __init__(
        self,
        capture_factory: CaptureFactory,
        decoder: FrameDecoder,
        *,
        name: str = "camera",
        dedup_s: float = _DEFAULTS.dedup_s,
        reopen_interval_s: float = _DEFAULTS.reopen_interval_s,
        clock: Callable[[], float] = time.monotonic,
        gate: FrameGate | None = None,
        on_event: Callable[[CameraEvent], None] | None = None,
    ) -> None:
        super().__init__(name, on_event=on_event, thread_name="camera-capture")
        self._factory = capture_factory
        self._decoder = decoder
        self._gate = gate
        self._dedup_s = dedup_s
        self._reopen_interval_s = reopen_interval_s
        self._clock = clock

        self._lock = threading.Lock()
        self._frame_ready = threading.Condition(self._lock)
        # Guarded by _lock:
        self._pending: tuple[Frame, int, float] | None = None
        self._preview: Preview | None = None
        self._stats = CameraStats()
        self._last_seen: dict[bytes, float] = {}
        # The keys of what the last decoded frame held: still in view while the gate
        # finds the scene unchanged.
        self._in_view: tuple[bytes, ...] = ()
        self._capture_done = False
        # Capture thread only: frames were delivered once, so trouble now is a loss.
        self._delivered = False

    # -- thread-safe getters ---------------------------------------------------------

    def preview(self) -> Preview | None:
        with self._lock:
            return self._preview

    def stats(self) -> CameraStats:
        """A snapshot of the counters (copied under the lock)."""
        with self._lock:
            s = self._stats
            return dataclasses.replace(
                s, decode_ms=deque(s.decode_ms), decode_ms_found=deque(s.decode_ms_found),
                latency_ms=deque(s.latency_ms), decode_thread_ids=set(s.decode_thread_ids),
                gate_ms=deque(s.gate_ms), captured_at=deque(s.captured_at, maxlen=s.captured_at.maxlen))

    def live(self) -> CameraLive:
        """The frame rate and the last decode time, without copying the long counters (the devices panel
        polls this a few times a second)."""
        now = self._clock()
        with self._lock:
            s = self._stats
            return CameraLive(fps=frames_per_second(s.captured_at, now),
                              decode_ms=s.decode_ms[-1] if s.decode_ms else None,
                              frames_captured=s.frames_captured, frames_decoded=s.frames_decoded)

    # -- capture thread --------------------------------------------------------------

    def _wake(self) -> None:
        with self._frame_ready:
            self._frame_ready.notify_all()

    def _run(self) -> None:
        worker = threading.Thread(target=self._decode_loop, name="camera-decode", daemon=True)
        worker.start()
        ended = False
        try:
            while not self._closing.is_set():
                capture = self._open()
                if capture is None:
                    if self.state is DeviceState.FAILED or self._closing.wait(self._reopen_interval_s):
                        break
                    continue
                try:
                    outcome = self._read_frames(capture)
                finally:
                    _release(capture)
                if outcome == "ended":
                    ended = True
                    break
                if outcome == "failed" and self._closing.wait(self._reopen_interval_s):
                    break
        finally:
            with self._frame_ready:
                self._capture_done = True
                self._frame_ready.notify_all()
            # The worker decodes the frame it holds, then ends (at once when closing).
            worker.join(JOIN_TIMEOUT_S)
        if ended and not self._closing.is_set():
            # Only now: every frame of the recording has been decoded and reported.
            self._set_state(DeviceState.FAILED, ENDED)

    def _trouble(self, reason: str, detail: str | None) -> None:
        """Nothing to read: still connecting, or lost if frames were delivered before."""
        self._set_state(DeviceState.LOST if self._delivered else DeviceState.CONNECTING, reason, detail)

    def _open(self) -> CaptureLike | None:
        try:
            capture = self._factory()
        except CameraBusy as exc:
            self._trouble(BUSY, exc.detail)
            return None
        except EnvironmentFault as exc:
            self._trouble(MISSING, exc.detail)
            return None
        except BadInput as exc:  # the source as configured cannot be used: retrying will not help
            self._set_state(DeviceState.FAILED, exc.cashier_message, exc.detail)
            return None
        except Exception as exc:  # a driver's own failure: still only "no camera"
            self._trouble(MISSING, f"{type(exc).__name__}: {exc}")
            return None
        try:
            opened = bool(capture.isOpened())
        except Exception as exc:  # a broken capture object is a missing camera
            _release(capture)
            self._trouble(MISSING, f"{type(exc).__name__}: {exc}")
            return None
        if not opened:
            _release(capture)
            self._trouble(MISSING, "the capture did not open")
            return None
        return capture

    def _read_frames(self, capture: CaptureLike) -> str | None:
        """Read until closing (None), the capture fails ("failed") or a file ends ("ended")."""
        delivering = False
        failures = 0
        while not self._closing.is_set():
            try:
                ok, frame = capture.read()
            except Exception as exc:  # OpenCV backends can raise on an unplugged device
                log.info("camera read raised: %s", exc)
                ok, frame = False, None
            if not ok or frame is None or getattr(frame, "size", 0) == 0:
                if getattr(capture, "ended", False):
                    return "ended"
                failures += 1
                if failures < FAILED_READS_BEFORE_LOST:
                    continue
                detail = f"{failures} reads in a row failed"
                if delivering:
                    self._set_state(DeviceState.LOST, LOST, detail)
                else:
                    self._trouble(BUSY, detail)
                return "failed"
            failures = 0
            if not delivering:
                delivering = self._delivered = True
                self._set_state(DeviceState.READY)
            self._offer(frame)
        return None
    def _offer(self, frame: Frame) -> None:
        with self._frame_ready:
            self._stats.frames_captured += 1
            self._stats.captured_at.append(self._clock())
            if self._pending is not None:
                self._stats.frames_dropped += 1
            self._pending = (frame, self._stats.frames_captured, self._clock())
            self._frame_ready.notify()

    # -- decode thread ---------------------------------------------------------------

    def _decode_loop(self) -> None:
        while True:
            with self._frame_ready:
                while self._pending is None and not self._closing.is_set() \
                        and not self._capture_done:
                    self._frame_ready.wait(0.5)
                if self._closing.is_set() or self._pending is None:
                    return
                frame, index, captured_at = self._pending
                self._pending = None
            self._decode_one(frame, index, captured_at)

    def _decode_one(self, frame: Frame, index: int, captured_at: float) -> None:
        start = time.perf_counter()
        if self._gate is not None:
            verdict = self._gate.judge(frame, self._clock())
            if verdict is not Verdict.DECODE:
                self._pass_over(frame, index, verdict, start)
                return
        found: Sequence[DecodeResult] = ()
        rejected: list[BadInput] = []
        try:
            found = self._decoder.decode_all(frame)
        except BadInput as exc:  # too large a payload, an odd frame
            rejected.append(exc)
        except TerminalError as exc:
            log.info("camera frame not decoded: %s", exc)
        except Exception:  # a decoder bug must not stop the camera
            log.exception("camera frame decoder failed")
        results: list[DecodeResult] = []
        for result in found:
            try:
                result.require_text()  # a binary payload is rejected, not "seen"
            except BadInput as exc:
                rejected.append(exc)
            else:
                results.append(result)
        elapsed_ms = (time.perf_counter() - start) * 1000.0
        now = self._clock()
        seen: list[tuple[bytes, CodeSeen | CodeRejected]] = [
            (b"code:" + r.raw, CodeSeen(r, index)) for r in results]
        # an odd frame is the camera's business, not the cashier's; a bad code is
        seen += [(b"rejected:" + str(e).encode("utf-8", "replace"), CodeRejected(e, index))
                 for e in rejected if not isinstance(e, UnreadableImage)]
        with self._lock:
            stats = self._stats
            stats.frames_decoded += 1
            stats.decode_ms.append(elapsed_ms)
            if seen:
                stats.decode_ms_found.append(elapsed_ms)
            stats.latency_ms.append((now - captured_at) * 1000.0)
            stats.decode_thread_ids.add(threading.get_ident())
            self._preview = Preview(frame=frame, frame_index=index,
                                    points=results[0].points if results else (),
                                    text=results[0].text if results else None,
                                    codes=tuple(results))
            self._in_view = tuple(key for key, _ in seen)
            report = [event for key, event in seen if self._is_new(key, now)]
            stats.codes_reported += sum(isinstance(event, CodeSeen) for event in report)
        for event in report:
            self._emit(event)

    def _pass_over(self, frame: Frame, index: int, verdict: Verdict, start: float) -> None:
        """A frame the gate judged not worth decoding: what was in view still is (STILL),
        or the scene changed to one without a code (SKIP)."""
        now = self._clock()
        with self._lock:
            self._stats.frames_gated += 1
            self._stats.gate_ms.append((time.perf_counter() - start) * 1000.0)
            last = self._preview
            if verdict is Verdict.STILL:
                for key in self._in_view:
                    self._last_seen[key] = now
            else:
                self._in_view = ()
            if verdict is Verdict.STILL and last is not None:
                self._preview = dataclasses.replace(last, frame=frame, frame_index=index)
            else:
                self._preview = Preview(frame=frame, frame_index=index, points=(), text=None)

    def _is_new(self, key: bytes, now: float) -> bool:
        """True if `key` was not seen within dedup_s; either way, it is seen now."""
        last = self._last_seen.get(key)
        self._last_seen[key] = now
        if len(self._last_seen) > 256:  # forget codes long out of view
            cutoff = now - self._dedup_s
            self._last_seen = {k: t for k, t in self._last_seen.items() if t >= cutoff}
        return last is None or now - last > self._dedup_s


def _release(capture: CaptureLike) -> None:
    try:
        capture.release()
    except Exception as exc:  # releasing an unplugged device may fail; nothing to do
        log.info("camera release failed: %s", exc)

if TYPE_CHECKING:  # mypy checks that CameraScanner is a Device; nothing runs
    _IS_A_DEVICE: type[Device[CameraEvent]] = CameraScanner


__all__ = [
    "BUSY",
    "ENDED",
    "LOST",
    "MISSING",
    "CameraBusy",
    "CameraEvent",
    "CameraLive",
    "CameraMissing",
    "CameraScanner",
    "CameraStats",
    "CodeRejected",
    "CodeSeen",
    "FrameDecoder",
    "Preview",
    "camera_scanner_from_settings",
]
