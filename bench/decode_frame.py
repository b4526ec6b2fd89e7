"""Decode time of the camera chain on 1280x720 frames holding one e-voucher QR.

    .venv/bin/python bench/decode_frame.py [--frames N] [--json]

Each frame is a real voucher (terminal.voucher.issue_voucher with the demo issuer key)
rendered as a QR code, shown about 300 px wide on a textured, noisy, JPEG-compressed
background, turned by up to 12 degrees and slightly sheared. The chain is the camera
chain from config/devices.json. Frames are generated first; only decoding is timed.
Target: median under 15 ms. Empty frames (no code) are timed too: that is what the
camera costs while nobody shows a code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.config import config_path  # noqa: E402
from terminal.devices.decoding import DecoderChain, chain_from_settings  # noqa: E402
from terminal.devices.decoding.synth import camera_frame, render_qr, rotation_for  # noqa: E402
from terminal.settings import load_device_settings  # noqa: E402
from terminal.voucher import issue_voucher, load_private_key  # noqa: E402

TARGET_MEDIAN_MS = 15.0


def voucher_frames(count: int, seed: int) -> tuple[list[np.ndarray], list[str]]:
    key = load_private_key(config_path("demo-issuer-key.pem"))
    rng = np.random.default_rng(seed)
    frames, texts = [], []
    now = int(time.time())
    for i in range(count):
        text = issue_voucher(key, f"1200000000000000{i % 10000:04d}", now=now,
                             holder=None if i % 3 else f"1200000000000000{i % 7:04d}")
        code = render_qr(text, module_px=4, ec_level="M")
        frames.append(camera_frame(code, rng, code_px=int(rng.uniform(260, 360)),
                                   angle_deg=rotation_for(i)))
        texts.append(text)
    return frames, texts


def time_decodes(chain: DecoderChain, frames: list[np.ndarray],
                 texts: list[str] | None) -> tuple[list[float], int]:
    times, found = [], 0
    for i, frame in enumerate(frames):
        start = time.perf_counter()
        result = chain.decode(frame)
        times.append((time.perf_counter() - start) * 1000.0)
        if result is not None and (texts is None or result.text == texts[i]):
            found += 1
    return times, found


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "max_ms": round(ordered[-1], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=100, help="frames with a voucher")
    parser.add_argument("--empty", type=int, default=30, help="frames without any code")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    chain = chain_from_settings(load_device_settings().decoder, camera=True)
    frames, texts = voucher_frames(args.frames, args.seed)
    empty = [camera_frame(None, np.random.default_rng(args.seed + i)) for i in range(args.empty)]
    time_decodes(chain, frames[:5], texts[:5])  # warm-up: first calls allocate
    times, found = time_decodes(chain, frames, texts)
    empty_times, false_hits = time_decodes(chain, empty, None)

    with_code = summary(times)
    without_code = summary(empty_times)
    print(f"chain: {[b.name for b in chain.backends]} steps {list(chain.steps)}; "
          f"frames 1280x720, voucher text {len(texts[0])} characters")
    print(f"{'frames':<22} {'n':>5} {'read':>5} {'median':>8} {'p95':>8} {'mean':>8} {'max':>8}")
    print(f"{'with a voucher QR':<22} {len(frames):>5} {found:>5} "
          f"{with_code['median_ms']:>8.2f} {with_code['p95_ms']:>8.2f} "
          f"{with_code['mean_ms']:>8.2f} {with_code['max_ms']:>8.2f}")
    print(f"{'without a code':<22} {len(empty):>5} {false_hits:>5} "
          f"{without_code['median_ms']:>8.2f} {without_code['p95_ms']:>8.2f} "
          f"{without_code['mean_ms']:>8.2f} {without_code['max_ms']:>8.2f}")
    verdict = with_code["median_ms"] < TARGET_MEDIAN_MS
    print(f"median {with_code['median_ms']:.2f} ms vs target {TARGET_MEDIAN_MS:.0f} ms: "
          f"{'PASS' if verdict else 'FAIL'}")
    if args.json:
        print(json.dumps({"with_code": {**with_code, "frames": len(frames), "read": found},
                          "without_code": {**without_code, "frames": len(empty),
                                           "false_reads": false_hits},
                          "median_under_target": verdict}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
