"""Files and devices as camera sources: a picture folder, a video, a single picture, what is not there."""

from __future__ import annotations

from pathlib import Path

import cv2
import pytest
from camera_frames import DECODER, FRAME_SHAPE, WAIT_S, Events, chain, frame_with, next_event, states, wait_for

from terminal.devices.camera import ENDED, CameraScanner, CodeSeen, camera_scanner_from_settings
from terminal.devices.camera_sources import CameraMissing, open_source
from terminal.devices.device import DeviceState, EventLog, StateChanged
from terminal.settings import CameraSettings


def write_pictures(folder: Path, texts: list[str | None]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(texts):
        cv2.imwrite(str(folder / f"{i:03d}.png"), frame_with(text))


def test_image_folder_as_source_plays_and_ends(tmp_path: Path) -> None:
    write_pictures(tmp_path / "pics", [None, *["FOLDER-1"] * 4, None, *["FOLDER-2"] * 4])
    (tmp_path / "pics" / "notes.txt").write_text("not a picture")
    events: Events = EventLog()
    camera = CameraSettings(source=str(tmp_path / "pics"), fps=25)
    with camera_scanner_from_settings(camera, DECODER, on_event=events) as scanner:
        wait_for(lambda: scanner.state is DeviceState.FAILED)
    got = events.drain()
    # Each code stays in view for 4 frames (160 ms): a decode of a 320x240 picture takes
    # a few ms, so even with dropped frames each code is seen, and reported once.
    assert [e.result.text for e in got if isinstance(e, CodeSeen)] == ["FOLDER-1", "FOLDER-2"]
    # FAILED (the recording ended) only once its last frames are decoded and reported.
    assert states(got) == [(DeviceState.CONNECTING, None), (DeviceState.READY, None),
                           (DeviceState.FAILED, ENDED), (DeviceState.CLOSED, None)]
    assert isinstance(got[-2], StateChanged) and isinstance(got[-3], CodeSeen)


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
        events: Events = EventLog()
        with CameraScanner(factory, chain(), on_event=events):
            code = next_event(events, CodeSeen)
        assert code.result.text == text


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
    events: Events = EventLog()
    source = int(camera_source) if camera_source.isdigit() else camera_source
    with camera_scanner_from_settings(CameraSettings(source=source), DECODER,
                                      on_event=events) as scanner:
        ready = events.next(WAIT_S, StateChanged)
        while ready is not None and ready.state is not DeviceState.READY:
            ready = events.next(WAIT_S, StateChanged)
        assert ready is not None, scanner.status
        wait_for(lambda: scanner.preview() is not None)
