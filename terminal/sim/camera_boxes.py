"""Drug boxes for the simulated camera: `sim camera --box EAN13:TRACCODE` shows each box in turn.

A box is held up as at the counter: the empty counter for EMPTY_S, then the box's printed side
(its EAN-13 with the traceability code as a Code 128 beside it, and with `data_matrix` the same
code as a Data Matrix too) for HOLD_S, then the next box. The frames are rendered once
(terminal.devices.decoding.synth) and played from memory like a picture folder.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from terminal.barcodes import check_digit_ok
from terminal.devices.camera_sources import Frame, FrameSequence
from terminal.devices.decoding.synth import box_frame, counter_background, render_box_label, still_frame
from terminal.errors import BadInput
from terminal.traceability import is_trac_code

EMPTY_S = 1.0
HOLD_S = 2.0
# Renderings per scene, repeated: a camera sees nearly the same picture frame after frame, and
# the sensor noise differs between them.
VARIANTS = 3
WIDTH, HEIGHT = 1280, 720


def parse_box(spec: str) -> tuple[str, str]:
    """`EAN13:TRACCODE` as (barcode, traceability code), or BadInput naming what is wrong."""
    barcode, sep, trac_code = spec.partition(":")
    if not sep:
        raise BadInput(f"A simulated box is given as EAN13:TRACCODE, not {spec!r}.")
    if len(barcode) != 13 or not barcode.isdigit() or not check_digit_ok(barcode):
        raise BadInput(f"The box's barcode {barcode!r} is not an EAN-13 (13 digits with a valid check digit).")
    if not is_trac_code(trac_code):
        raise BadInput(f"The box's traceability code {trac_code!r} is not 20 digits beginning with 8.")
    return barcode, trac_code


def box_frames(boxes: Sequence[tuple[str, str]], *, fps: float, data_matrix: bool = False,
               seed: int = 0) -> list[Frame]:
    """One pass of the scenes: empty counter, first box, empty counter, second box..."""
    rng = np.random.default_rng(seed)
    background = counter_background(rng, WIDTH, HEIGHT)
    empty = [still_frame(background, rng) for _ in range(VARIANTS)]
    frames: list[Frame] = []
    for barcode, trac_code in boxes:
        frames += [empty[i % VARIANTS] for i in range(max(1, round(EMPTY_S * fps)))]
        label = render_box_label(barcode, trac_code, data_matrix=data_matrix)
        shown = [box_frame(label, rng, width=WIDTH, height=HEIGHT, background=background,
                           angle_deg=float(rng.uniform(-4, 4))) for _ in range(VARIANTS)]
        frames += [shown[i % VARIANTS] for i in range(max(1, round(HOLD_S * fps)))]
    return frames


def box_capture(boxes: Sequence[tuple[str, str]], *, fps: float, loop: bool,
                data_matrix: bool = False) -> FrameSequence:
    """A capture playing `box_frames` at `fps` (held on the last box when not looping)."""
    frames = box_frames(boxes, fps=fps, data_matrix=data_matrix)
    position = 0

    def read_next() -> Frame | None:
        nonlocal position
        if position >= len(frames):
            return None
        position += 1
        return frames[position - 1]

    def rewind() -> bool:
        nonlocal position
        position = 0
        return True

    return FrameSequence(read_next, rewind, lambda: None, fps=fps, loop=loop)
