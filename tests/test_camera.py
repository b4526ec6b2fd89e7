"""The camera scanner against a scripted capture, and against files as sources."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

import cv2
import numpy as np
import pytest
from camera_frames import FRAME_SHAPE, WAIT_S, Events, chain, frame_with, next_event, states, wait_for

from terminal.devices.camera import (
    BUSY,
    LOST,
    MISSING,
    CameraEvent,
    CameraScanner,
    CodeRejected,
    CodeSeen,
)
from terminal.devices.camera_sources import CameraBusy, CameraMissing
from terminal.devices.decoding import (
    BinaryPayload,
    DecodeResult,
    chain_from_settings,
)
from terminal.devices.decoding.synth import render_qr
from terminal.devices.device import DeviceState, EventLog, StateChanged
from terminal.errors import ConfigError
from terminal.settings import DecoderSettings


class FakeClock:
    """Time that moves only when the scripted camera delivers a frame."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class ScriptedCapture:
    """A VideoCapture-like camera: plays `frames`, then fails reads (unplugged), or holds
    the last frame when `hold` is set. In lockstep mode each read waits until the scanner
    has decoded the previous frame, so the test sees every frame decoded."""

    def __init__(self, frames: Iterable[np.ndarray], *, clock: FakeClock | None = None,
                 frame_s: float = 0.1, hold: bool = False, opened: bool = True,
                 lockstep: Callable[[], None] | None = None) -> None:
        self.frames = deque(frames)
        self.clock = clock
        self.frame_s = frame_s
        self.hold = hold
        self.opened = opened
        self.lockstep = lockstep
        self.released = False
        self.reads = 0
        self.last: np.ndarray | None = None
        self.thread_ids: set[int] = set()

    def isOpened(self) -> bool:  # OpenCV's spelling
        return self.opened

    def read(self) -> tuple[bool, np.ndarray | None]:
        self.thread_ids.add(threading.get_ident())
        if self.lockstep is not None:
            self.lockstep()
        self.reads += 1
        if self.frames:
            self.last = self.frames.popleft()
        elif not (self.hold and self.last is not None):
            time.sleep(0.002)
            return False, None
        else:
            time.sleep(0.005)  # a held camera still delivers at a frame rate
        if self.clock is not None:
            self.clock.now += self.frame_s
        return True, self.last

    def release(self) -> None:
        self.released = True


class ScriptedCamera:
    """The capture factory: each open attempt takes the next entry of the script
    ("missing", "busy", an exception, or a ScriptedCapture)."""

    def __init__(self, script: Iterable[object]) -> None:
        self.script = deque(script)
        self.opens = 0
        self.captures: list[ScriptedCapture] = []

    def __call__(self) -> ScriptedCapture:
        self.opens += 1
        entry = self.script.popleft() if self.script else "missing"
        if entry == "missing":
            raise CameraMissing("The camera is not connected.", detail="scripted")
        if entry == "busy":
            raise CameraBusy("The camera is busy.", detail="scripted")
        if isinstance(entry, BaseException):
            raise entry
        assert isinstance(entry, ScriptedCapture)
        self.captures.append(entry)
        return entry


def lockstep_for(holder: list[CameraScanner]) -> Callable[[], None]:
    """Make each read wait until every frame offered so far has been decoded."""
    def wait() -> None:
        if not holder:
            return
        scanner = holder[0]
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            stats = scanner.stats()
            # A frame the idle gate passed over was handled too.
            if stats.frames_decoded + stats.frames_gated + stats.frames_dropped >= stats.frames_captured:
                return
            time.sleep(0.001)
    return wait


class Recorder:
    """A subscriber that keeps every event, with the thread it was called on, and also
    hands it to an EventLog to wait on."""

    def __init__(self) -> None:
        self.log: Events = EventLog()
        self.calls: list[tuple[str, CameraEvent]] = []

    def __call__(self, event: CameraEvent) -> None:
        self.calls.append((threading.current_thread().name, event))
        self.log(event)

    @property
    def states(self) -> list[tuple[DeviceState, str | None]]:
        return states([event for _, event in self.calls])

    def threads_of(self, kind: type) -> list[str]:
        return [name for name, event in self.calls if isinstance(event, kind)]


def test_code_is_reported_once_while_in_view_and_again_after_it_left() -> None:
    clock = FakeClock()
    holder: list[CameraScanner] = []
    a, blank = frame_with("CODE-A"), frame_with(None)
    # 0.1 s per frame: A for 1 s, gone 0.5 s (< dedup), A 1 s, gone 3 s (> dedup), A again.
    frames = [a] * 10 + [blank] * 5 + [a] * 10 + [blank] * 30 + [a] * 5
    capture = ScriptedCapture(frames, clock=clock, lockstep=lockstep_for(holder))
    events: Events = EventLog()
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), dedup_s=2.0,
                            reopen_interval_s=0.01, clock=clock, on_event=events)
    holder.append(scanner)
    with scanner:
        wait_for(lambda: not capture.frames and scanner.stats().frames_decoded >= len(frames))
    codes = [e for e in events.drain() if isinstance(e, CodeSeen)]
    assert [c.result.text for c in codes] == ["CODE-A", "CODE-A"]
    assert codes[0].frame_index == 1 and codes[1].frame_index == 56
    assert scanner.stats().codes_reported == 2
    assert capture.released


def test_two_codes_in_turn_are_both_reported() -> None:
    clock = FakeClock()
    holder: list[CameraScanner] = []
    frames = [frame_with("FIRST")] * 3 + [frame_with("SECOND")] * 3 + [frame_with("FIRST")] * 3
    capture = ScriptedCapture(frames, clock=clock, lockstep=lockstep_for(holder))
    events: Events = EventLog()
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), dedup_s=2.0, clock=clock,
                            on_event=events)
    holder.append(scanner)
    with scanner:
        wait_for(lambda: scanner.stats().frames_decoded >= len(frames))
    texts = [e.result.text for e in events.drain() if isinstance(e, CodeSeen)]
    assert texts == ["FIRST", "SECOND"]  # FIRST came back within dedup_s: not repeated


def test_preview_holds_the_frame_and_the_code_corners() -> None:
    frame = frame_with("CORNERS", at=(50, 90))
    capture = ScriptedCapture([frame], hold=True)
    events: Events = EventLog()
    with CameraScanner(ScriptedCamera([capture]), chain(), on_event=events) as scanner:
        next_event(events, CodeSeen)
        preview = scanner.preview()
        assert preview is not None
        assert preview.text == "CORNERS"
        assert preview.frame.shape == frame.shape
        xs = [x for x, _ in preview.points]
        ys = [y for _, y in preview.points]
        size = render_qr("CORNERS", module_px=4).shape[0]
        # The corners sit inside the pasted picture (code plus its quiet zone).
        assert len(preview.points) == 4
        assert 90 <= min(xs) < max(xs) <= 90 + size
        assert 50 <= min(ys) < max(ys) <= 50 + size


def test_decoding_happens_on_the_worker_thread_not_the_callers() -> None:
    capture = ScriptedCapture([frame_with("THREAD")], hold=True)
    recorder = Recorder()
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), on_event=recorder)
    with scanner:
        next_event(recorder.log, CodeSeen)
    stats = scanner.stats()
    assert stats.decode_thread_ids and threading.get_ident() not in stats.decode_thread_ids
    assert threading.get_ident() not in capture.thread_ids
    assert stats.decode_thread_ids.isdisjoint(capture.thread_ids)  # capture and decode apart
    assert recorder.threads_of(CodeSeen) == ["camera-decode"]
    assert recorder.threads_of(StateChanged)[1:-1] == ["camera-capture"]  # READY


def test_missing_then_busy_then_plugged_in_recovers() -> None:
    capture = ScriptedCapture([frame_with("BACK")], hold=True)
    camera = ScriptedCamera(["missing", "missing", "busy", capture])
    recorder = Recorder()
    with CameraScanner(camera, chain(), reopen_interval_s=0.01, on_event=recorder):
        code = next_event(recorder.log, CodeSeen)
        assert code.result.text == "BACK"
    # A state is reported when it (or its reason) changes, not on every retry.
    assert recorder.states == [
        (DeviceState.CONNECTING, None), (DeviceState.CONNECTING, MISSING),
        (DeviceState.CONNECTING, BUSY), (DeviceState.READY, None), (DeviceState.CLOSED, None)]
    assert camera.opens == 4


def test_states_in_order_for_an_unplug_and_replug() -> None:
    first = ScriptedCapture([frame_with("ONE")] * 3)  # then reads fail: unplugged
    second = ScriptedCapture([frame_with("TWO")], hold=True)
    camera = ScriptedCamera([first, "missing", "missing", second])
    recorder = Recorder()
    scanner = CameraScanner(camera, chain(), reopen_interval_s=0.01, on_event=recorder)
    with scanner:
        wait_for(lambda: recorder.states.count((DeviceState.READY, None)) == 2)
        assert next_event(recorder.log, CodeSeen).result.text in ("ONE", "TWO")
    # Once frames were delivered, a camera that cannot be opened is lost, not connecting.
    assert recorder.states == [
        (DeviceState.CONNECTING, None), (DeviceState.READY, None), (DeviceState.LOST, LOST),
        (DeviceState.LOST, MISSING), (DeviceState.READY, None), (DeviceState.CLOSED, None)]
    assert all(reason.endswith(".") for _, reason in recorder.states if reason)
    assert first.released and second.released
    assert not camera.script  # the whole script was used


def test_a_camera_that_opens_but_never_delivers_is_busy() -> None:
    silent = ScriptedCapture([])
    camera = ScriptedCamera([silent, ScriptedCapture([frame_with("LATE")], hold=True)])
    recorder = Recorder()
    with CameraScanner(camera, chain(), reopen_interval_s=0.01, on_event=recorder):
        next_event(recorder.log, CodeSeen)
    assert recorder.states[:3] == [(DeviceState.CONNECTING, None), (DeviceState.CONNECTING, BUSY),
                                   (DeviceState.READY, None)]
    assert silent.released


def test_a_capture_that_does_not_open_or_a_driver_error_is_missing() -> None:
    closed = ScriptedCapture([frame_with("X")], opened=False)
    camera = ScriptedCamera([closed, OSError("ioctl failed"), "missing"])
    with CameraScanner(camera, chain(), reopen_interval_s=0.01) as scanner:
        wait_for(lambda: camera.opens >= 4)
        assert (scanner.state, scanner.status.reason) == (DeviceState.CONNECTING, MISSING)
    assert closed.released


def test_a_source_unusable_as_configured_fails_for_good() -> None:
    camera = ScriptedCamera([ConfigError("The camera source in the configuration is not valid.")])
    recorder = Recorder()
    with CameraScanner(camera, chain(), reopen_interval_s=0.01, on_event=recorder) as scanner:
        wait_for(lambda: scanner.state is DeviceState.FAILED and not scanner.running)
    assert camera.opens == 1  # not retried
    assert recorder.states == [(DeviceState.CONNECTING, None),
                               (DeviceState.FAILED, "The camera source in the configuration is not valid."),
                               (DeviceState.CLOSED, None)]


def test_decoder_failures_do_not_stop_the_camera() -> None:
    class FlakyDecoder:
        def __init__(self) -> None:
            self.calls = 0
            self.inner = chain()

        def decode_all(self, image: object) -> list[DecodeResult]:
            self.calls += 1
            if self.calls <= 3:
                raise RuntimeError("decoder bug")
            return self.inner.decode_all(image)

    decoder = FlakyDecoder()
    capture = ScriptedCapture([frame_with("STILL-HERE")], hold=True)
    events: Events = EventLog()
    with CameraScanner(ScriptedCamera([capture]), decoder, on_event=events):
        code = next_event(events, CodeSeen)
    assert code.result.text == "STILL-HERE"
    assert decoder.calls > 3


def test_a_too_large_code_is_rejected_once_with_a_typed_error() -> None:
    big = np.full((700, 700, 3), 255, np.uint8)
    code = cv2.cvtColor(render_qr(b"Z" * 2900, module_px=3, ec_level="L"), cv2.COLOR_GRAY2BGR)
    big[:code.shape[0], :code.shape[1]] = code
    capture = ScriptedCapture([big] * 5, hold=True)
    small_limit = chain_from_settings(DecoderSettings(order=("zxing-cpp",), max_payload_bytes=2048,
                                                      camera_fallbacks_per_frame=None), camera=True)
    events: Events = EventLog()
    with CameraScanner(ScriptedCamera([capture]), small_limit, dedup_s=60,
                       on_event=events) as scanner:
        rejected = next_event(events, CodeRejected)
        wait_for(lambda: scanner.stats().frames_decoded >= 5)
    assert "cannot be used" in rejected.error.cashier_message
    later = events.drain()
    assert not any(isinstance(e, CodeRejected | CodeSeen) for e in later)


def test_a_binary_code_is_rejected_not_seen() -> None:
    frame = np.full((*FRAME_SHAPE, 3), 255, np.uint8)
    code = cv2.cvtColor(render_qr(bytes(range(256)), module_px=3), cv2.COLOR_GRAY2BGR)
    frame[:code.shape[0], :code.shape[1]] = code
    capture = ScriptedCapture([frame], hold=True)
    events: Events = EventLog()
    with CameraScanner(ScriptedCamera([capture]), chain(), on_event=events) as scanner:
        rejected = next_event(events, CodeRejected)
    assert isinstance(rejected.error, BinaryPayload)
    assert scanner.stats().codes_reported == 0


def test_close_stops_both_threads_and_a_listener_bug_is_contained(
        caplog: pytest.LogCaptureFixture) -> None:
    events: Events = EventLog()

    def broken_listener(event: CameraEvent) -> None:
        events(event)
        raise ValueError("listener bug")

    capture = ScriptedCapture([frame_with("LISTEN")], hold=True)
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), on_event=broken_listener)
    scanner.start()
    next_event(events, CodeSeen)
    assert scanner.running  # the bug in every call did not stop the camera
    scanner.close()
    assert "listener bug" in caplog.text
    assert not any(t.name.startswith("camera-") for t in threading.enumerate())
    assert capture.released
    assert scanner.state is DeviceState.CLOSED


def test_close_from_a_listener_on_the_decode_thread() -> None:
    holder: list[CameraScanner] = []
    closed = threading.Event()

    def close_on_code(event: CameraEvent) -> None:
        if isinstance(event, CodeSeen):
            holder[0].close()
            closed.set()

    capture = ScriptedCapture([frame_with("CLOSE-ME")], hold=True)
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), on_event=close_on_code)
    holder.append(scanner)
    scanner.start()
    try:
        assert closed.wait(WAIT_S)
    finally:
        scanner.close()  # from here: waits for both threads
    assert not any(t.name.startswith("camera-") for t in threading.enumerate())
    assert capture.released
