"""`python -m terminal decode [--backend NAME] IMAGE...`: read QR codes from image files.

Prints one JSON line per image: {"path", "backend", "text", "ms"} plus "raw_hex",
"encoding", "points" and "variant" when a code was read, or "error" when the image or
its code cannot be used. `backend` names the library that read the code (the requested
one when nothing was read); `mode` says what was asked for. A single backend runs alone
on the plain grayscale image; "chain" adds the configured order and pre-processing.
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
        "decode", help="decode the QR code in image files (one JSON line per image)",
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
        chain = DecoderChain([load_backend(args.backend)], steps=["gray"],
                             max_payload_bytes=decoder.max_payload_bytes)

    unusable = False
    for name in args.images:
        path = Path(name)
        line: dict[str, Any] = {"path": name, "backend": args.backend, "text": None, "ms": 0.0,
                                "mode": args.backend}
        if not path.is_file():
            unusable = True
            line["error"] = f"{name} is not a file."
            emit_json(line, compact=True)
            continue
        start = time.perf_counter()
        try:
            from terminal.devices.decoding import load_image

            result = chain.decode(load_image(path))
        except TerminalError as exc:
            line["error"] = exc.cashier_message
            if exc.detail:
                line["detail"] = exc.detail
            result = None
        line["ms"] = round((time.perf_counter() - start) * 1000.0, 3)
        if result is not None:
            line.update({k: v for k, v in result.to_json().items() if k != "ms"})
            if result.text is None:
                try:
                    result.require_text()
                except TerminalError as exc:
                    line["error"] = exc.cashier_message
        emit_json(line, compact=True)
    return 1 if unusable else 0
