"""`python -m terminal sim card-reader --link PATH`: a simulated serial card reader.

Creates a pty whose device end is symlinked at PATH (removed on exit) and behaves
as the reader on it. Point the terminal (or `read-card --port PATH`) at PATH.
While it runs, type control lines on stdin (or send them to --control-port on
127.0.0.1, one per line) to insert and remove cards and change faults.
"""

from __future__ import annotations

import argparse
import sys

from terminal.commands._control import ControlLines, on_termination


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

    on_termination(sim.request_stop)
    sim.start()
    control = ControlLines(sim.control, lambda: sim.stopped, port=args.control_port, name="sim")
    try:
        control.start()
        while not sim.wait_stopped(0.5):
            pass
    finally:
        control.close()
        sim.stop()
    return 0
