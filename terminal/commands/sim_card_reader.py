"""`python -m terminal sim card-reader --link PATH`: a simulated serial card reader.

Creates a pty whose device end is symlinked at PATH (removed on exit) and behaves
as the reader on it. Point the terminal (or `read-card --port PATH`) at PATH.
While it runs, type control lines on stdin (or send them to --control-port on
127.0.0.1, one per line) to insert and remove cards and change faults.
"""

from __future__ import annotations

import argparse
import signal
import socketserver
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from terminal.sim.card_reader import CardReaderSim


def register_sim(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from terminal.sim.card_reader_help import CONTROL_HELP, FAULT_HELP

    parser = sub.add_parser(
        "card-reader",
        help="simulated serial card reader on a pty",
        description=__doc__,
        epilog=f"{FAULT_HELP}\n\n{CONTROL_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--link", required=True, help="path of the symlink to the pty to create")
    parser.add_argument(
        "--cards",
        help="cards JSON file (default: config/cards.json): a list of objects with the "
        "card keys (region_code, ssn, card_no, card_sn, name, atr, version, issue_date, "
        'expiry_date, terminal_no, device_no), optionally "status": "read-error" or '
        '"auth-failed"; or {"name": ..., "raw_hex": "..."} to send exact bytes',
    )
    parser.add_argument("--faults", default="", help='fault SPEC, e.g. "noise=0.2,drop=0.1"')
    parser.add_argument("--seed", type=int, help="seed of the fault dice, to replay a run")
    parser.add_argument(
        "--insert", metavar="N", help="insert card N (1-based, or its ssn/card_no) at start"
    )
    parser.add_argument("--baudrate", type=int, default=9600, help="pacing baud (default 9600)")
    parser.add_argument(
        "--no-pace", action="store_true", help="write at full speed instead of at the baud rate"
    )
    parser.add_argument(
        "--control-port", type=int, help="also accept control lines on this TCP port of 127.0.0.1"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.sim.card_reader import CardReaderSim
    from terminal.sim.card_reader_cards import default_cards_path, load_cards
    from terminal.sim.card_reader_faults import Faults

    cards = load_cards(args.cards or default_cards_path())
    sim = CardReaderSim(
        args.link,
        cards,
        faults=Faults.parse(args.faults),
        seed=args.seed,
        baudrate=args.baudrate,
        pace=not args.no_pace,
        inserted=args.insert,
        on_log=lambda text: print(text, file=sys.stderr, flush=True),
    )

    def on_signal(signum: int, frame: FrameType | None) -> None:
        sim.request_stop()

    # Ctrl-C, kill and a closed terminal all end the simulator cleanly (link removed).
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    server: socketserver.ThreadingTCPServer | None = None
    sim.start()
    try:
        if args.control_port is not None:
            server = _serve_control(sim, args.control_port)
        threading.Thread(target=_read_stdin, args=(sim,), name="sim stdin", daemon=True).start()
        while not sim.wait_stopped(0.5):
            pass
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
        sim.stop()
    return 0


def _read_stdin(sim: CardReaderSim) -> None:
    # End of stdin (run in the background, </dev/null) only ends the control
    # channel; the simulator keeps running until quit, SIGTERM or Ctrl-C.
    for line in sys.stdin:
        reply = sim.control(line)
        if reply:
            print(reply, flush=True)
        if sim.stopped:
            return


def _serve_control(sim: CardReaderSim, port: int) -> socketserver.ThreadingTCPServer:
    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            for raw in self.rfile:
                reply = sim.control(raw.decode("utf-8", "replace"))
                self.wfile.write((reply + "\n").encode("utf-8"))
                if sim.stopped:
                    return

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="sim control", daemon=True).start()
    print(f"control port 127.0.0.1:{server.server_address[1]}", file=sys.stderr, flush=True)
    return server
