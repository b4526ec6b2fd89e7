"""`python -m terminal sim scanner --link PATH --codes FILE`: a simulated serial barcode scanner.

Creates a pty whose device end is symlinked at PATH (removed on exit), waits for a
reader to open PATH, then sends the codes of FILE one by one as a serial scanner
does (payload, then the terminator, paced at --baudrate) and exits once the reader
has taken them, or plays them forever with --loop. With --stdin, a technician types
further codes, one per line ("hex:0d0a..." for raw bytes), until end of input.

Point the terminal's devices.serial_scanner.port (or a reader) at PATH. Progress is
printed as one JSON object per line: ready, reader_connected, sent, reader_gone, done.
"""

from __future__ import annotations

import argparse
import itertools
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

from terminal.commands import emit_json
from terminal.errors import BadInput

if TYPE_CHECKING:
    from terminal.sim.scanner import Code


def register_sim(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "scanner",
        help="simulated serial barcode scanner on a pty",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--link", required=True, metavar="PATH",
                        help="path of the symlink to the pty to create")
    parser.add_argument("--codes", metavar="FILE", help="codes file: one code per line, or a JSON list "
                        '(strings, or objects {"text"|"hex"|"base64", "terminator"})')
    parser.add_argument("--interval", type=float, default=0.5, metavar="S",
                        help="seconds before each code (default 0.5)")
    parser.add_argument("--loop", action="store_true", help="play the codes again and again until stopped")
    parser.add_argument("--terminator", choices=["cr", "crlf", "lf", "none"], default="cr",
                        help="line end after each code (default cr)")
    parser.add_argument("--baudrate", type=int, default=9600, metavar="N",
                        help="pace the bytes as on a line at this baud rate; 0 sends at once (default 9600)")
    parser.add_argument("--no-wait", action="store_true",
                        help="do not wait for a reader to open PATH (codes sent meanwhile are lost)")
    parser.add_argument("--stdin", action="store_true",
                        help="after the file's codes, send each line typed on stdin")
    parser.add_argument("--linger", type=float, default=5.0, metavar="S",
                        help="at the end, wait up to S seconds for the reader to take the last code")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.sim.scanner import TERMINATORS, ScannerSim, cycle, line_codes, load_codes

    if not args.codes and not args.stdin:
        raise BadInput("Name a codes file with --codes, or type codes with --stdin.")
    if args.interval < 0 or args.baudrate < 0 or args.linger < 0:
        raise BadInput("--interval, --baudrate and --linger cannot be negative.")
    if args.loop and args.stdin:
        raise BadInput("--loop and --stdin cannot be combined: a loop never reaches the typed codes.")
    codes = load_codes(args.codes) if args.codes else []

    sim = ScannerSim(args.link, interval_s=args.interval, terminator=TERMINATORS[args.terminator],
                     baudrate=args.baudrate, wait_for_reader=not args.no_wait, linger_s=args.linger,
                     report=lambda event: emit_json(event, compact=True))

    def on_signal(signum: int, frame: FrameType | None) -> None:
        sim.stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        with sim:
            played: Iterator[Code] = cycle(codes, args.loop)
            if args.stdin:
                played = itertools.chain(played, line_codes(sys.stdin.fileno(), sim.stop_event))
            sim.play(played)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 0
