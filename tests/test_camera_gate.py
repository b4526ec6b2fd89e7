"""The camera's idle gate (terminal.devices.camera_gate): which frames get the full decoder chain.

The gate's logic only, frame by frame with a made-up clock at 30 frames/s; what it saves in CPU
is bench/camera_pipeline.py's to report.
"""

from __future__ import annotations

import itertools

import numpy as np
from camera_frames import wait_for
from test_camera import FakeClock, ScriptedCamera, ScriptedCapture, lockstep_for

from terminal.devices.camera import CameraScanner, CodeSeen
from terminal.devices.camera_gate import FrameGate, Verdict
from terminal.devices.decoding import chain_from_settings
from terminal.devices.decoding.synth import (
    box_frame,
    camera_frame,
    counter_background,
    render_box_label,
    render_qr,
    still_frame,
)
from terminal.devices.device import EventLog
from terminal.devices.scan_codes import DrugBarcodeScan, TraceabilityScan, route_scan
from terminal.settings import DecoderSettings

FRAME_S = 1 / 30
SIZE = {"width": 640, "height": 480}
EAN13 = "6901234567892"
TRAC_CODE = "81234560000000000017"


def judge_all(gate: FrameGate, frames: list[np.ndarray], start: float = 100.0) -> list[Verdict]:
    return [gate.judge(frame, start + i * FRAME_S) for i, frame in enumerate(frames)]


def empty_frames(background: np.ndarray, rng: np.random.Generator, count: int) -> list[np.ndarray]:
    return [still_frame(background, rng) for _ in range(count)]


def box(background: np.ndarray, rng: np.random.Generator, **kwargs: float) -> np.ndarray:
    label = render_box_label(EAN13, TRAC_CODE, data_matrix=False)
    return box_frame(label, rng, background=background, label_px=560, **kwargs, **SIZE)


def test_an_unchanged_empty_scene_is_decoded_only_now_and_then() -> None:
    rng = np.random.default_rng(1)
    background = counter_background(rng, **SIZE)
    gate = FrameGate(change_window_s=1.0, idle_decode_interval_s=1.0)
    verdicts = judge_all(gate, empty_frames(background, rng, 150))  # 5 s at 30 frames/s
    decoded = [i for i, v in enumerate(verdicts) if v is Verdict.DECODE]
    assert decoded[0] == 0  # nothing to compare the first frame with
    # Once the first frame's change_window_s has passed, one a second: sensor noise and
    # JPEG are not a change.
    settled = [i for i in decoded if i > 30]
    assert 3 <= len(settled) <= 4, decoded
    assert all(b - a >= 29 for a, b in itertools.pairwise(settled)), decoded


def test_a_code_that_appears_is_decoded_on_the_next_frame() -> None:
    rng = np.random.default_rng(2)
    background = counter_background(rng, **SIZE)
    qr = render_qr("NHSAEC1.appears", module_px=4)
    for shown in (box(background, rng), box(background, rng, blur=1.0, perspective=0.2),
                  camera_frame(qr, rng, code_px=220, **SIZE)):
        gate = FrameGate(change_window_s=1.0, idle_decode_interval_s=5.0)
        quiet = judge_all(gate, empty_frames(background, rng, 60))  # 2 s: the window has passed
        assert Verdict.DECODE not in quiet[31:]
        # The first frame in which it shows is decoded, and so is the one after (a code
        # held still: sharper now), while the counter stays quiet between codes.
        assert judge_all(gate, [shown, shown], start=110.0) == [Verdict.DECODE, Verdict.DECODE]


def test_a_slowly_drifting_scene_still_gets_a_periodic_decode() -> None:
    rng = np.random.default_rng(3)
    background = counter_background(rng, **SIZE)
    gate = FrameGate(change_window_s=1.0, idle_decode_interval_s=1.0)
    # The daylight changes by a gray level every few seconds: never a change from one
    # frame to the next, yet the scene the last decode saw is not the scene now.
    frames = []
    for i in range(240):  # 8 s
        lit = np.clip(background.astype(np.int16) + i // 90, 0, 255).astype(np.uint8)
        frames.append(still_frame(lit, rng))
    verdicts = judge_all(gate, frames)
    decoded = [i for i, v in enumerate(verdicts) if v is Verdict.DECODE]
    gaps = [b - a for a, b in zip([0, *decoded], [*decoded, len(frames)], strict=False)]
    assert max(gaps) <= 31, decoded  # never more than idle_decode_interval_s without a decode
    assert len([i for i in decoded if i > 30]) <= 9, decoded  # and not every frame once settled


def test_a_code_creeping_in_too_slowly_to_count_as_a_change_is_read_within_the_interval() -> None:
    rng = np.random.default_rng(4)
    background = counter_background(rng, **SIZE)
    gate = FrameGate(change_window_s=0.5, idle_decode_interval_s=1.0)
    judge_all(gate, empty_frames(background, rng, 30))
    shown = box(background, rng)
    # Faded in over 3 s, a few gray levels a frame, then held.
    frames = [still_frame(np.clip(background * (1 - k / 90) + shown * (k / 90), 0, 255).astype(np.uint8), rng)
              for k in range(91)] + [shown] * 31
    verdicts = judge_all(gate, frames, start=101.0)
    decoded_after_shown = [i for i, v in enumerate(verdicts) if v is Verdict.DECODE and i >= 90]
    assert decoded_after_shown and decoded_after_shown[0] <= 90 + 30


def test_frames_without_a_code_during_movement_are_skipped_but_checked_often() -> None:
    rng = np.random.default_rng(5)
    background = counter_background(rng, **SIZE)
    gate = FrameGate(change_window_s=1.0, idle_decode_interval_s=5.0)
    judge_all(gate, empty_frames(background, rng, 45))
    # A hand (a smooth blob) moving across the counter: a change every frame, no code.
    frames = []
    for i in range(30):
        moved = background.copy()
        x = 60 + i * 15
        moved[150:330, x:x + 120] = (150, 170, 200)
        frames.append(still_frame(moved, rng))
    verdicts = judge_all(gate, frames, start=110.0)
    decoded = [i for i, v in enumerate(verdicts) if v is Verdict.DECODE]
    assert decoded[0] == 0  # the first change after a quiet spell
    assert Verdict.SKIP in verdicts
    assert len(decoded) < len(frames) // 2
    # At least every MOVING_DECODE_INTERVAL_S (0.1 s, three frames) in case the texture test missed.
    assert all(b - a <= 4 for a, b in itertools.pairwise(decoded)), decoded


def test_the_gated_scanner_reads_a_box_as_a_drug_barcode_and_a_traceability_code() -> None:
    rng = np.random.default_rng(6)
    background = counter_background(rng, **SIZE)
    clock = FakeClock()
    holder: list[CameraScanner] = []
    shown = box(background, rng)
    frames = empty_frames(background, rng, 60) + [shown] * 20 + empty_frames(background, rng, 20)
    capture = ScriptedCapture(frames, clock=clock, frame_s=FRAME_S, lockstep=lockstep_for(holder))
    events: EventLog[CodeSeen] = EventLog()
    decoder = chain_from_settings(DecoderSettings(), camera=True)
    scanner = CameraScanner(ScriptedCamera([capture]), decoder, dedup_s=2.0, clock=clock,
                            gate=FrameGate(), on_event=lambda e: events(e) if isinstance(e, CodeSeen) else None)
    holder.append(scanner)
    with scanner:
        wait_for(lambda: scanner.stats().frames_decoded + scanner.stats().frames_gated >= len(frames))
    seen = events.drain()
    # Read in the first frame that showed it, the drug before its traceability code.
    assert [(e.result.format, e.result.text, e.frame_index) for e in seen] == [
        ("ean13", EAN13, 61), ("code128", TRAC_CODE, 61)]
    routed = [route_scan(e.result.require_text()) for e in seen]
    assert isinstance(routed[0], DrugBarcodeScan) and routed[0].code == EAN13
    assert routed[1] == TraceabilityScan(TRAC_CODE)
    stats = scanner.stats()
    assert stats.frames_gated > stats.frames_decoded
    assert stats.codes_reported == 2
