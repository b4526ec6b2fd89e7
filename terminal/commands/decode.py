"""`python -m terminal decode [--backend NAME] IMAGE...`: read the codes in image files.

Prints one JSON line per image: {"path", "backend", "text", "ms"} plus "format", "raw_hex",
"encoding", "points" and "variant" when a code was read (the QR code, else the first box
code: EAN/UPC before Code 128 and Data Matrix), "other_codes" (a list of the same keys) when
the picture holds more than one, such as a box's EAN-13 and traceability code, the formats
being devices.decoder.formats; or "error" when the image or
its code cannot be used, and then exits 1 (an image without a code is fine). `backend`
names the library that read the code (the requested one when nothing was read); `mode`
says what was asked for. A single backend runs alone on the plain grayscale image;
"chain" adds the configured order and pre-processing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from terminal.commands import emit_json

# Mirrors terminal.devices.decoding.BACKEND_NAMES (a test keeps them equal); spelled out
# here so `python -m terminal --help` does not import OpenCV.
BACKEND_CHOICES = ("chain", "zxing-cpp", "pyzbar", "opencv", "opencv-aruco")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decode", help="decode the QR codes and barcodes in image files (one JSON line per image)",
        description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=BACKEND_CHOICES, default="chain",
                        help="decoder to use (default: the configured chain)")
    parser.add_argument("--config", default=None,
                        help="terminal configuration override (JSON) for the decoder section")
    parser.add_argument("images", nargs="+", metavar="IMAGE", help="image files (PNG, JPEG...)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.devices.decoding import DecoderChain, chain_from_settings, load_backend
    from terminal.errors import TerminalError
    from terminal.settings import load_device_settings

    decoder = load_device_settings(args.config).decoder
    if args.backend == "chain":
        chain = chain_from_settings(decoder)
    else:
        chain = DecoderChain([load_backend(args.backend, decoder.formats)], steps=["gray"],
                             max_payload_bytes=decoder.max_payload_bytes)

    from terminal.devices.decoding import load_image

    unusable = False
    for name in args.images:
        line: dict[str, Any] = {"path": name, "backend": args.backend, "text": None, "ms": 0.0,
                                "mode": args.backend}
        start = time.perf_counter()
        try:
            results = chain.decode_all(load_image(Path(name)))
            line["ms"] = round((time.perf_counter() - start) * 1000.0, 3)
            if results:
                line.update({k: v for k, v in results[0].to_json().items() if k != "ms"})
                if len(results) > 1:
                    line["other_codes"] = [{k: v for k, v in r.to_json().items() if k != "ms"}
                                           for r in results[1:]]
                for result in results:
                    result.require_text()  # a binary payload is no use to a cashier
        except TerminalError as exc:
            # Every image that cannot be used, for whatever reason, makes the exit code 1; an image
            # without a code is usable (it simply holds none).
            unusable = True
            line["error"] = exc.cashier_message
            if exc.detail:
                line["detail"] = exc.detail
        emit_json(line, compact=True)
    return 1 if unusable else 0
