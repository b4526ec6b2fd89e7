"""The scripted-capture camera tests' shared pieces: frames with a code, the chain, waiting for events."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import cv2
import numpy as np

from terminal.devices.camera import CameraEvent
from terminal.devices.decoding import DecoderChain, chain_from_settings
from terminal.devices.decoding.synth import render_qr
from terminal.devices.device import DeviceState, EventLog, StateChanged
from terminal.settings import DecoderSettings

WAIT_S = 10.0  # generous upper bound for anything to happen; never a timing assertion
FRAME_SHAPE = (240, 320)
# Every backend on every frame, as the tests were written for (the shipped setting is 1).
DECODER = DecoderSettings(order=("zxing-cpp", "pyzbar", "opencv"), camera_fallbacks_per_frame=None)
E = TypeVar("E")
Events = EventLog[CameraEvent]


def frame_with(text: str | None, *, at: tuple[int, int] = (60, 40)) -> np.ndarray:
    frame = np.full((*FRAME_SHAPE, 3), 200, np.uint8)
    if text is not None:
        code = cv2.cvtColor(render_qr(text, module_px=4), cv2.COLOR_GRAY2BGR)
        y, x = at
        frame[y:y + code.shape[0], x:x + code.shape[1]] = code
    return frame


def chain() -> DecoderChain:
    return chain_from_settings(DECODER, camera=True)


def next_event(events: Events, kind: type[E]) -> E:
    event = events.next(WAIT_S, kind)
    assert event is not None, f"no {kind.__name__} event"
    return event


def wait_for(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def states(events: list[CameraEvent]) -> list[tuple[DeviceState, str | None]]:
    return [(e.state, e.reason) for e in events if isinstance(e, StateChanged)]
