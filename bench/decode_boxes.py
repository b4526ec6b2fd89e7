"""Drug boxes' codes on synthetic camera frames: the terminal's chain beside zxing-cpp alone.

    .venv/bin/python bench/decode_boxes.py [--images N] [--seed S] [--json]

Each row is a box label layout and a picture condition; each of its N 1280x720 frames is a
box held up to the counter camera (terminal.devices.decoding.synth.box_frame) with a fresh
EAN-13 and a fresh traceability code (20 digits beginning with 8). Layouts: the traceability
code as a Code 128 beside the EAN-13; as a Data Matrix beside it; and both. Conditions: a
clean frame, out of focus (Gaussian blur sigma in pixels), the box tilted away (perspective:
its far side shrunk by that share), turned, a reflection of a ceiling light (glare strength
0-1), and all of them at once.

Columns, for the terminal's camera chain (devices.decoder as configured, camera steps) and
for zxing-cpp alone (`zxingcpp.read_barcodes` with its default options, asked for Code 128,
Data Matrix and EAN-13) on the same frames in the same run: the share of frames whose
traceability code was read (in any of its symbols), the share whose EAN-13 was read, codes
read that are not on the box (stray), and the median and p95 milliseconds per frame
(grayscale conversion included for both). Frames are generated in code; no files are read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import zxingcpp

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.devices.decoding import chain_from_settings  # noqa: E402
from terminal.devices.decoding.synth import box_frame, counter_background, ean13, render_box_label  # noqa: E402
from terminal.settings import load_device_settings  # noqa: E402

LAYOUTS: dict[str, dict[str, bool]] = {
    "Code 128 + EAN-13": {"code128": True, "data_matrix": False},
    "Data Matrix + EAN-13": {"code128": False, "data_matrix": True},
    "both + EAN-13": {"code128": True, "data_matrix": True},
}
CONDITIONS: dict[str, dict[str, float]] = {
    "clean": {},
    "blur 1.0": {"blur": 1.0},
    "blur 2.0": {"blur": 2.0},
    "perspective 0.2": {"perspective": 0.2},
    "perspective 0.35": {"perspective": 0.35},
    "turned 8 deg": {"angle_deg": 8.0},
    "turned 20 deg": {"angle_deg": 20.0},
    "glare 0.5": {"glare": 0.5},
    "glare 0.9": {"glare": 0.9},
    "blur+persp+glare": {"blur": 1.0, "perspective": 0.2, "glare": 0.5},
}
_ZXING_FORMATS = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.DataMatrix,
                                          zxingcpp.BarcodeFormat.EAN13])


@dataclass
class Tally:
    trac: int = 0
    ean: int = 0
    stray: int = 0
    ms: list[float] = field(default_factory=list)

    def row(self, count: int) -> list[str]:
        ordered = sorted(self.ms)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        return [f"{self.trac / count:5.0%}", f"{self.ean / count:5.0%}", f"{self.stray:3d}",
                f"{statistics.median(ordered):6.1f}", f"{p95:6.1f}"]

    def figures(self, count: int) -> dict[str, Any]:
        ordered = sorted(self.ms)
        return {"trac_rate": self.trac / count, "ean13_rate": self.ean / count, "stray": self.stray,
                "ms_median": statistics.median(ordered),
                "ms_p95": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]}


def zxing_alone(frame: np.ndarray) -> set[str]:
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    return {b.text for b in zxingcpp.read_barcodes(gray, formats=_ZXING_FORMATS) if b.valid}


def tally(reader: Callable[[np.ndarray], set[str]], frame: np.ndarray, barcode: str, trac_code: str,
          into: Tally) -> None:
    start = time.perf_counter()
    texts = reader(frame)
    into.ms.append((time.perf_counter() - start) * 1000.0)
    into.trac += trac_code in texts
    into.ean += barcode in texts
    into.stray += len(texts - {barcode, trac_code})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=12, help="frames per layout and condition")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    decoder = load_device_settings().decoder
    chain = chain_from_settings(decoder, camera=True)

    def terminal_chain(frame: np.ndarray) -> set[str]:
        return {r.text for r in chain.decode_all(frame) if r.text is not None}

    rng = np.random.default_rng(args.seed)
    background = counter_background(rng)
    readers = {"chain": terminal_chain, "zxing-cpp": zxing_alone}
    totals = {name: Tally() for name in readers}
    figures: list[dict[str, Any]] = []
    print(f"drug box codes, 1280x720 frames, {args.images} per row; chain: {', '.join(decoder.order)} "
          f"(camera steps {', '.join(decoder.camera_steps)}; formats {', '.join(decoder.formats)}) "
          f"beside zxing-cpp alone")
    header = f"{'layout':<21} {'condition':<17} | {'trac':>5} {'ean13':>5} {'str':>3} {'p50ms':>6} {'p95ms':>6}"
    print(f"{'':<40}| {'chain':<29}| zxing-cpp alone")
    print(header + " |" + header.split("|")[1])
    print("-" * (len(header) + 31))
    serial = 0
    for layout, label_kw in LAYOUTS.items():
        for condition, frame_kw in CONDITIONS.items():
            row = {name: Tally() for name in readers}
            for _ in range(args.images):
                serial += 1
                barcode = ean13(f"69{int(rng.integers(10**10)):010d}")  # a real one, not mostly zeros
                trac_code = f"8{int(rng.integers(10**9)):09d}{int(rng.integers(10**10)):010d}"
                label = render_box_label(barcode, trac_code, **label_kw)
                frame = box_frame(label, rng, background=background, **frame_kw)
                for name, reader in readers.items():
                    tally(reader, frame, barcode, trac_code, row[name])
            for name in readers:
                totals[name].trac += row[name].trac
                totals[name].ean += row[name].ean
                totals[name].stray += row[name].stray
                totals[name].ms += row[name].ms
            print(f"{layout:<21} {condition:<17} | " + " ".join(row["chain"].row(args.images))
                  + " | " + " ".join(row["zxing-cpp"].row(args.images)))
            figures.append({"layout": layout, "condition": condition,
                            **{name: row[name].figures(args.images) for name in readers}})
    print("-" * (len(header) + 31))
    count = serial
    print(f"{'all':<39} | " + " ".join(totals["chain"].row(count)) + " | "
          + " ".join(totals["zxing-cpp"].row(count)))
    if args.json:
        print(json.dumps({"rows": figures, "all": {name: totals[name].figures(count) for name in readers}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
