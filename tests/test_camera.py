"""The camera scanner against a scripted capture, and against files as sources."""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

import cv2
import numpy as np
import pytest

from terminal.devices.camera import (
    CameraScanner,
    CameraStatus,
    CodeRejected,
    CodeSeen,
    StatusChanged,
    scanner_from_config,
)
from terminal.devices.camera_sources import CameraBusy, CameraMissing, open_source
from terminal.devices.decoding import (
    BinaryPayload,
    DecoderChain,
    DecodeResult,
    chain_from_config,
)
from terminal.devices.decoding.synth import render_qr

WAIT_S = 10.0  # generous upper bound for anything to happen; never a timing assertion
FRAME_SHAPE = (240, 320)


def frame_with(text: str | None, *, at: tuple[int, int] = (60, 40)) -> np.ndarray:
    frame = np.full((*FRAME_SHAPE, 3), 200, np.uint8)
    if text is not None:
        code = cv2.cvtColor(render_qr(text, module_px=4), cv2.COLOR_GRAY2BGR)
        y, x = at
        frame[y:y + code.shape[0], x:x + code.shape[1]] = code
    return frame


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


def chain() -> DecoderChain:
    return chain_from_config({"order": ["zxing-cpp", "pyzbar", "opencv"]}, camera=True)


def next_event(scanner: CameraScanner, kind: type) -> object:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        try:
            event = scanner.events.get(timeout=0.1)
        except queue.Empty:
            continue
        if isinstance(event, kind):
            return event
    raise AssertionError(f"no {kind.__name__} event")


def drain(scanner: CameraScanner) -> list[object]:
    events: list[object] = []
    while True:
        try:
            events.append(scanner.events.get_nowait())
        except queue.Empty:
            return events


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def lockstep_for(holder: list[CameraScanner]) -> Callable[[], None]:
    """Make each read wait until every frame offered so far has been decoded."""
    def wait() -> None:
        if not holder:
            return
        scanner = holder[0]
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            stats = scanner.stats()
            if stats.frames_decoded + stats.frames_dropped >= stats.frames_captured:
                return
            time.sleep(0.001)
    return wait


def statuses(events: list[object]) -> list[CameraStatus]:
    return [e.status for e in events if isinstance(e, StatusChanged)]


def test_code_is_reported_once_while_in_view_and_again_after_it_left() -> None:
    clock = FakeClock()
    holder: list[CameraScanner] = []
    a, blank = frame_with("CODE-A"), frame_with(None)
    # 0.1 s per frame: A for 1 s, gone 0.5 s (< dedup), A 1 s, gone 3 s (> dedup), A again.
    frames = [a] * 10 + [blank] * 5 + [a] * 10 + [blank] * 30 + [a] * 5
    capture = ScriptedCapture(frames, clock=clock, lockstep=lockstep_for(holder))
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), dedup_s=2.0,
                            reopen_interval_s=0.01, clock=clock)
    holder.append(scanner)
    with scanner:
        wait_for(lambda: not capture.frames and scanner.stats().frames_decoded >= len(frames))
    events = drain(scanner)
    codes = [e for e in events if isinstance(e, CodeSeen)]
    assert [c.result.text for c in codes] == ["CODE-A", "CODE-A"]
    assert codes[0].frame_index == 1 and codes[1].frame_index == 56
    assert scanner.stats().codes_reported == 2
    assert capture.released


def test_two_codes_in_turn_are_both_reported() -> None:
    clock = FakeClock()
    holder: list[CameraScanner] = []
    frames = [frame_with("FIRST")] * 3 + [frame_with("SECOND")] * 3 + [frame_with("FIRST")] * 3
    capture = ScriptedCapture(frames, clock=clock, lockstep=lockstep_for(holder))
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), dedup_s=2.0, clock=clock)
    holder.append(scanner)
    with scanner:
        wait_for(lambda: scanner.stats().frames_decoded >= len(frames))
    texts = [e.result.text for e in drain(scanner) if isinstance(e, CodeSeen)]
    assert texts == ["FIRST", "SECOND"]  # FIRST came back within dedup_s: not repeated


def test_preview_holds_the_frame_and_the_code_corners() -> None:
    frame = frame_with("CORNERS", at=(50, 90))
    capture = ScriptedCapture([frame], hold=True)
    with CameraScanner(ScriptedCamera([capture]), chain()) as scanner:
        next_event(scanner, CodeSeen)
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
    seen_on: list[str] = []
    capture = ScriptedCapture([frame_with("THREAD")], hold=True)
    scanner = CameraScanner(ScriptedCamera([capture]), chain(),
                            on_code=lambda e: seen_on.append(threading.current_thread().name))
    with scanner:
        next_event(scanner, CodeSeen)
    stats = scanner.stats()
    assert stats.decode_thread_ids and threading.get_ident() not in stats.decode_thread_ids
    assert threading.get_ident() not in capture.thread_ids
    assert stats.decode_thread_ids.isdisjoint(capture.thread_ids)  # capture and decode apart
    assert seen_on == ["camera-decode"]


def test_missing_then_busy_then_plugged_in_recovers() -> None:
    capture = ScriptedCapture([frame_with("BACK")], hold=True)
    camera = ScriptedCamera(["missing", "missing", "busy", capture])
    reported: list[StatusChanged] = []
    with CameraScanner(camera, chain(), reopen_interval_s=0.01,
                       on_status=reported.append) as scanner:
        code = next_event(scanner, CodeSeen)
        assert isinstance(code, CodeSeen) and code.result.text == "BACK"
    # A status is reported when it changes, not on every retry.
    assert [s.status for s in reported] == [CameraStatus.MISSING, CameraStatus.BUSY,
                                           CameraStatus.RECOVERED, CameraStatus.STOPPED]
    assert camera.opens == 4


def test_status_events_in_order_for_an_unplug_and_replug() -> None:
    first = ScriptedCapture([frame_with("ONE")] * 3)  # then reads fail: unplugged
    second = ScriptedCapture([frame_with("TWO")], hold=True)
    camera = ScriptedCamera([first, "missing", "missing", second])
    reported: list[StatusChanged] = []
    scanner = CameraScanner(camera, chain(), reopen_interval_s=0.01, on_status=reported.append)
    with scanner:
        wait_for(lambda: CameraStatus.RECOVERED in [s.status for s in reported])
        next_event(scanner, CodeSeen)
    assert [s.status for s in reported] == [
        CameraStatus.OK, CameraStatus.LOST, CameraStatus.MISSING, CameraStatus.RECOVERED,
        CameraStatus.STOPPED]
    assert all(s.message.endswith(".") for s in reported)
    assert first.released and second.released
    assert not camera.script  # the whole script was used


def test_a_camera_that_opens_but_never_delivers_is_busy() -> None:
    silent = ScriptedCapture([])
    camera = ScriptedCamera([silent, ScriptedCapture([frame_with("LATE")], hold=True)])
    reported: list[StatusChanged] = []
    with CameraScanner(camera, chain(), reopen_interval_s=0.01,
                       on_status=reported.append) as scanner:
        next_event(scanner, CodeSeen)
    assert [s.status for s in reported][:2] == [CameraStatus.BUSY, CameraStatus.RECOVERED]
    assert silent.released


def test_a_capture_that_does_not_open_or_a_driver_error_is_missing() -> None:
    closed = ScriptedCapture([frame_with("X")], opened=False)
    camera = ScriptedCamera([closed, OSError("ioctl failed"), "missing"])
    with CameraScanner(camera, chain(), reopen_interval_s=0.01) as scanner:
        wait_for(lambda: camera.opens >= 4)
        assert scanner.status is CameraStatus.MISSING
    assert closed.released


def test_decoder_failures_do_not_stop_the_camera() -> None:
    class FlakyDecoder:
        def __init__(self) -> None:
            self.calls = 0
            self.inner = chain()

        def decode(self, image: object) -> DecodeResult | None:
            self.calls += 1
            if self.calls <= 3:
                raise RuntimeError("decoder bug")
            return self.inner.decode(image)

    decoder = FlakyDecoder()
    capture = ScriptedCapture([frame_with("STILL-HERE")], hold=True)
    with CameraScanner(ScriptedCamera([capture]), decoder) as scanner:
        code = next_event(scanner, CodeSeen)
    assert isinstance(code, CodeSeen) and code.result.text == "STILL-HERE"
    assert decoder.calls > 3


def test_a_too_large_code_is_rejected_once_with_a_typed_error() -> None:
    big = np.full((700, 700, 3), 255, np.uint8)
    code = cv2.cvtColor(render_qr(b"Z" * 2900, module_px=3, ec_level="L"), cv2.COLOR_GRAY2BGR)
    big[:code.shape[0], :code.shape[1]] = code
    capture = ScriptedCapture([big] * 5, hold=True)
    small_limit = chain_from_config({"order": ["zxing-cpp"], "max_payload_bytes": 2048},
                                    camera=True)
    with CameraScanner(ScriptedCamera([capture]), small_limit, dedup_s=60) as scanner:
        rejected = next_event(scanner, CodeRejected)
        wait_for(lambda: scanner.stats().frames_decoded >= 5)
    assert isinstance(rejected, CodeRejected)
    assert "cannot be used" in rejected.error.cashier_message
    later = drain(scanner)
    assert not any(isinstance(e, CodeRejected | CodeSeen) for e in later)


def test_a_binary_code_is_rejected_not_seen() -> None:
    frame = np.full((*FRAME_SHAPE, 3), 255, np.uint8)
    code = cv2.cvtColor(render_qr(bytes(range(256)), module_px=3), cv2.COLOR_GRAY2BGR)
    frame[:code.shape[0], :code.shape[1]] = code
    capture = ScriptedCapture([frame], hold=True)
    with CameraScanner(ScriptedCamera([capture]), chain()) as scanner:
        rejected = next_event(scanner, CodeRejected)
    assert isinstance(rejected, CodeRejected) and isinstance(rejected.error, BinaryPayload)
    assert scanner.stats().codes_reported == 0


def test_close_stops_both_threads_and_a_listener_bug_is_contained() -> None:
    def broken_listener(event: object) -> None:
        raise ValueError("listener bug")

    capture = ScriptedCapture([frame_with("LISTEN")], hold=True)
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), on_code=broken_listener,
                            on_status=broken_listener)
    scanner.start()
    next_event(scanner, CodeSeen)
    scanner.close()
    assert not any(t.name.startswith("camera-") for t in threading.enumerate())
    assert capture.released
    assert scanner.status is CameraStatus.STOPPED


def test_close_from_a_listener_on_the_decode_thread() -> None:
    holder: list[CameraScanner] = []
    closed = threading.Event()

    def close_on_code(event: CodeSeen) -> None:
        holder[0].close()
        closed.set()

    capture = ScriptedCapture([frame_with("CLOSE-ME")], hold=True)
    scanner = CameraScanner(ScriptedCamera([capture]), chain(), on_code=close_on_code)
    holder.append(scanner)
    scanner.start()
    try:
        assert closed.wait(WAIT_S)
    finally:
        scanner.close()
    assert not any(t.name.startswith("camera-") for t in threading.enumerate())
    assert capture.released


def write_pictures(folder: Path, texts: list[str | None]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        cv2.imwrite(str(folder / f"{i:03d}.png"), frame_with(text))


def test_image_folder_as_source_plays_and_ends(tmp_path: Path) -> None:
    write_pictures(tmp_path / "pics", [None, *["FOLDER-1"] * 4, None, *["FOLDER-2"] * 4])
    (tmp_path / "pics" / "notes.txt").write_text("not a picture")
    config = {"devices": {"camera": {"source": str(tmp_path / "pics"), "fps": 25},
                          "decoder": {"order": ["zxing-cpp", "pyzbar", "opencv"]}}}
    with scanner_from_config(config) as scanner:
        wait_for(lambda: scanner.status is CameraStatus.ENDED)
    events = drain(scanner)
    # Each code stays in view for 4 frames (160 ms): a decode of a 320x240 picture takes
    # a few ms, so even with dropped frames each code is seen, and reported once.
    assert [e.result.text for e in events if isinstance(e, CodeSeen)] == ["FOLDER-1",
                                                                          "FOLDER-2"]
    assert statuses(events)[0] is CameraStatus.OK
    assert CameraStatus.ENDED in statuses(events)


def test_video_file_and_single_picture_as_sources(tmp_path: Path) -> None:
    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter.fourcc(*"MJPG"), 25.0,
                             (FRAME_SHAPE[1], FRAME_SHAPE[0]))
    assert writer.isOpened()
    for i in range(20):
        writer.write(frame_with("VIDEO" if i >= 5 else None))
    writer.release()
    picture = tmp_path / "still.png"
    cv2.imwrite(str(picture), frame_with("STILL"))
    for source, text in ((video, "VIDEO"), (picture, "STILL")):
        capture = open_source(str(source), fps=100)
        assert capture.isOpened()
        capture.release()
        factory = lambda src=source: open_source(str(src), fps=100, loop=True)  # noqa: E731
        with CameraScanner(factory, chain()) as scanner:
            code = next_event(scanner, CodeSeen)
        assert isinstance(code, CodeSeen) and code.result.text == text


def test_sources_that_are_not_there_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(CameraMissing):
        open_source(str(tmp_path / "nothing-here"))
    with pytest.raises(CameraMissing):
        open_source(str(tmp_path))  # an empty folder
    with pytest.raises(CameraMissing):
        open_source(99)  # /dev/video99
    with pytest.raises(CameraMissing):
        open_source(True)
    not_video = tmp_path / "clip.mp4"
    not_video.write_bytes(b"\x00" * 100)
    with pytest.raises(CameraMissing):
        open_source(str(not_video))


def test_real_camera_when_named(camera_source: str) -> None:
    config = {"devices": {"camera": {"source": camera_source},
                          "decoder": {"order": ["zxing-cpp", "pyzbar", "opencv"]}}}
    with scanner_from_config(config) as scanner:
        wait_for(lambda: scanner.status is not None)
        assert scanner.status in (CameraStatus.OK, CameraStatus.RECOVERED)
        wait_for(lambda: scanner.preview() is not None)
