"""Decode the ZXing QR photo corpus with each backend alone and with the chain.

    .venv/bin/python bench/decode_corpus.py [--corpus DIR] [--json] [--steps a,b] [--order a,b]

Each NAME.png/.jpg is decoded at 0, 90, 180 and 270 degrees. An image counts as decoded
only when the code's bytes, or its text, equal NAME.txt exactly (read as bytes; see
`matches`). Single backends run alone on the plain grayscale image, asked for QR codes
only; the chain runs the configured order, pre-processing steps and formats (box codes
too: config/devices.json, or --order/--steps).
Prints a table per folder and rotation with ZXing's own required counts (NOTICE) beside
ours, then mean and p95 milliseconds per image.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.devices.decoding import (  # noqa: E402
    DecoderChain,
    DecodeResult,
    chain_from_settings,
    load_backend,
    load_image,
)
from terminal.devices.decoding.preprocess import STEPS, to_gray  # noqa: E402
from terminal.errors import TerminalError  # noqa: E402
from terminal.settings import load_device_settings  # noqa: E402

ROTATIONS = (0, 90, 180, 270)
SINGLE_BACKENDS = ("zxing-cpp", "pyzbar", "opencv", "opencv-aruco")
# Each library alone looks for what the corpus holds, QR codes; the chain column reads every
# configured format (devices.decoder.formats), as at the counter.
QR_ONLY = ("qr",)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")


def matches(result: DecodeResult | None, expected: bytes) -> bool:
    """True when the decoded code says exactly what NAME.txt says.

    The payload bytes are compared first (the .txt may hold the code's own bytes, e.g.
    Shift_JIS). Otherwise the text is compared with the .txt read as UTF-8, then as the
    charset the decoder found in the code, then as the other charsets a QR code is
    written in, so a text file kept in the code's own charset still counts.
    """
    if result is None:
        return False
    if result.raw == expected:
        return True
    if result.text is None:
        return False
    if result.text.encode("utf-8") == expected:
        return True
    for encoding in (result.encoding, "shift_jis", "gb18030", "iso-8859-1"):
        if not encoding:
            continue
        try:
            if expected.decode(encoding) == result.text:
                return True
        except (UnicodeDecodeError, LookupError):
            continue
    return False


@dataclass
class Tally:
    decoded: dict[tuple[str, int], int] = field(default_factory=dict)
    ms: list[float] = field(default_factory=list)
    # Only the images whose code was read: what reading a QR code costs, apart from what
    # searching an image without a readable one costs (which box codes add to).
    ms_read: list[float] = field(default_factory=list)

    def add(self, folder: str, rotation: int, ok: bool, ms: float) -> None:
        key = (folder, rotation)
        self.decoded[key] = self.decoded.get(key, 0) + int(ok)
        self.ms.append(ms)
        if ok:
            self.ms_read.append(ms)

    @property
    def total(self) -> int:
        return sum(self.decoded.values())


def reference_counts(corpus: Path) -> dict[tuple[str, int], int]:
    """ZXing's required counts per folder and rotation, parsed from NOTICE."""
    counts: dict[tuple[str, int], int] = {}
    notice = corpus / "NOTICE"
    if not notice.is_file():
        return counts
    for folder, numbers in re.findall(r"(qrcode-\d+):\s*((?:\d+\s*){4})",
                                      notice.read_text(encoding="utf-8", errors="replace")):
        for rotation, n in zip(ROTATIONS, numbers.split(), strict=True):
            counts[(folder, rotation)] = int(n)
    return counts


def corpus_images(corpus: Path) -> list[tuple[str, Path, bytes]]:
    items = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        for image in sorted(folder.iterdir()):
            if image.suffix.lower() not in IMAGE_SUFFIXES:
                continue
            expected = image.with_suffix(".txt")
            if expected.is_file():
                items.append((folder.name, image, expected.read_bytes()))
    return items


def timed_decode(decoder: DecoderChain, image: np.ndarray) -> tuple[DecodeResult | None, float]:
    start = time.perf_counter()
    try:
        result = decoder.decode(image)
    except TerminalError:
        result = None
    return result, (time.perf_counter() - start) * 1000.0


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared/data/zxing-qrcode",
                        help="corpus folder (default: ../shared/data/zxing-qrcode)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--order", help="chain backend order, comma-separated")
    parser.add_argument("--steps", help="chain pre-processing steps, comma-separated")
    parser.add_argument("--backends", default=",".join(SINGLE_BACKENDS),
                        help="single backends to measure, comma-separated")
    parser.add_argument("--failures", action="store_true",
                        help="list the image-rotations the chain missed")
    parser.add_argument("--explore", action="store_true",
                        help="instead: measure every pre-processing step with every backend "
                             "(slow, ~2 min) to choose the chain's steps")
    args = parser.parse_args()

    corpus = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    if args.explore:
        return explore(corpus, args.backends.split(","))
    decoder = load_device_settings().decoder
    if args.order:
        decoder = dataclasses.replace(decoder, order=tuple(args.order.split(",")))
    if args.steps:
        decoder = dataclasses.replace(decoder, still_steps=tuple(args.steps.split(",")))
    deciders: dict[str, DecoderChain] = {}
    for name in args.backends.split(","):
        try:
            deciders[name] = DecoderChain([load_backend(name, QR_ONLY)], steps=["gray"],
                                          max_payload_bytes=1 << 20)
        except TerminalError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    # The corpus is not about size limits.
    deciders["chain"] = chain_from_settings(dataclasses.replace(decoder, max_payload_bytes=1 << 20))
    names = list(deciders)
    tallies = {name: Tally() for name in names}
    failures: list[str] = []
    won_by: dict[str, int] = {}

    items = corpus_images(corpus)
    for folder, path, expected in items:
        try:
            upright = load_image(path)
        except TerminalError as exc:
            print(f"unreadable {path}: {exc}", file=sys.stderr)
            continue
        for rotation in ROTATIONS:
            # np.rot90 turns counter-clockwise; k=-1 is a clockwise quarter turn.
            image = np.ascontiguousarray(np.rot90(upright, k=-rotation // 90))
            for name in names:
                result, ms = timed_decode(deciders[name], image)
                ok = matches(result, expected)
                tallies[name].add(folder, rotation, ok, ms)
                if name == "chain":
                    if ok and result is not None:
                        tag = f"{result.variant}/{result.backend}"
                        won_by[tag] = won_by.get(tag, 0) + 1
                    else:
                        failures.append(f"{path.relative_to(corpus)} @{rotation}")

    reference = reference_counts(corpus)
    print_table(items, names, tallies, reference)
    chain = deciders["chain"]
    print(f"\nchain: order {[b.name for b in chain.backends]}, steps {list(chain.steps)}")
    print("chain codes won by step/backend: "
          + ", ".join(f"{k} {v}" for k, v in sorted(won_by.items(), key=lambda kv: -kv[1])))
    best_single = max((tallies[n].total for n in names if n != "chain"), default=0)
    ref_total = sum(reference.values())
    verdict = tallies["chain"].total > max(best_single, ref_total)
    print(f"chain {tallies['chain'].total} vs best single backend {best_single} vs ZXing "
          f"reference {ref_total}: {'PASS' if verdict else 'FAIL'}")
    if args.failures:
        print("\nchain missed:\n  " + "\n  ".join(failures))
    if args.json:
        print(json.dumps({
            "images": len(items),
            "image_rotations": len(items) * len(ROTATIONS),
            "reference_total": ref_total,
            "totals": {n: tallies[n].total for n in names},
            "mean_ms": {n: round(float(np.mean(tallies[n].ms)), 2) for n in names},
            "p95_ms": {n: round(percentile(tallies[n].ms, 95), 2) for n in names},
            "read_mean_ms": {n: round(float(np.mean(tallies[n].ms_read)), 2) for n in names},
            "read_p95_ms": {n: round(percentile(tallies[n].ms_read, 95), 2) for n in names},
            "per_folder_rotation": {
                f"{folder}@{rotation}": {n: tallies[n].decoded.get((folder, rotation), 0)
                                         for n in names}
                for folder, rotation in sorted(tallies["chain"].decoded)},
            "chain_beats_reference_and_best_single": verdict,
        }))
    return 0


def explore(corpus: Path, backend_names: list[str]) -> int:
    """Codes each (step, backend) pair reads alone, and how many of them the plain
    grayscale image (with any backend) does not read: a step worth keeping has some."""
    backends = {}
    for name in backend_names:
        try:
            backends[name] = DecoderChain([load_backend(name, QR_ONLY)], steps=["gray"],
                                          max_payload_bytes=1 << 20)
        except TerminalError as exc:
            print(f"skipping {name}: {exc}", file=sys.stderr)
    wins: dict[tuple[str, str], set[tuple[str, int]]] = {}
    ms: dict[tuple[str, str], list[float]] = {}
    for folder, path, expected in corpus_images(corpus):
        upright = to_gray(load_image(path))
        for rotation in ROTATIONS:
            image = np.ascontiguousarray(np.rot90(upright, k=-rotation // 90))
            for step, prepare in STEPS.items():
                prepared, _ = prepare(image)
                for name, decoder in backends.items():
                    result, took = timed_decode(decoder, prepared)
                    key = (step, name)
                    ms.setdefault(key, []).append(took)
                    if matches(result, expected):
                        wins.setdefault(key, set()).add((f"{folder}/{path.name}", rotation))
    plain: set[tuple[str, int]] = set().union(*(wins.get(("gray", n), set()) for n in backends))
    print(f"{'step':<8} {'backend':<13} {'read':>5} {'not by plain':>13} {'mean ms':>8}")
    for (step, name), times in ms.items():
        won = wins.get((step, name), set())
        print(f"{step:<8} {name:<13} {len(won):>5} {len(won - plain):>13} "
              f"{np.mean(times):>8.2f}")
    every = set().union(*wins.values()) if wins else set()
    print(f"plain image, any backend: {len(plain)}; any step and backend: {len(every)}")
    return 0


def print_table(items: list[tuple[str, Path, bytes]], names: list[str],
                tallies: dict[str, Tally], reference: dict[tuple[str, int], int]) -> None:
    per_folder: dict[str, int] = {}
    for folder, _, _ in items:
        per_folder[folder] = per_folder.get(folder, 0) + 1
    header = f"{'folder':<10} {'rot':>4} {'images':>6} {'ZXing ref':>9}" + "".join(
        f" {n:>12}" for n in names)
    print(header)
    print("-" * len(header))
    for folder in sorted(per_folder):
        for rotation in ROTATIONS:
            ref = reference.get((folder, rotation))
            row = f"{folder:<10} {rotation:>4} {per_folder[folder]:>6} " \
                  f"{'' if ref is None else ref:>9}"
            row += "".join(f" {tallies[n].decoded.get((folder, rotation), 0):>12}"
                           for n in names)
            print(row)
    print("-" * len(header))
    total_images = sum(per_folder.values()) * len(ROTATIONS)
    ref_total = sum(reference.values())
    print(f"{'total':<10} {'':>4} {total_images:>6} {ref_total:>9}"
          + "".join(f" {tallies[n].total:>12}" for n in names))
    print(f"{'mean ms':<10} {'':>4} {'':>6} {'':>9}"
          + "".join(f" {np.mean(tallies[n].ms):>12.2f}" for n in names))
    print(f"{'p95 ms':<10} {'':>4} {'':>6} {'':>9}"
          + "".join(f" {percentile(tallies[n].ms, 95):>12.2f}" for n in names))
    print(f"{'read: mean':<21} {'':>9}"
          + "".join(f" {np.mean(tallies[n].ms_read):>12.2f}" for n in names))
    print(f"{'read: p95':<21} {'':>9}"
          + "".join(f" {percentile(tallies[n].ms_read, 95):>12.2f}" for n in names))


if __name__ == "__main__":
    raise SystemExit(main())
