"""`python -m terminal read-card --port URL [--timeout S]`: read the card in the reader.

Prints the card record as JSON (keys: region_code, ssn, card_no, card_sn, name, atr,
version, issue_date, expiry_date, terminal_no, device_no). If no card is in the
reader it waits up to --timeout seconds for one to be inserted. Any failure (no
card, expired card, unreadable data, silent or garbled reader, missing port) is
one sentence on stderr and a non-zero exit: 1 for a card problem, 3 for a reader
or port problem.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

from terminal.commands import emit_json

DEFAULT_TIMEOUT_S = 5.0
# The command-line user is waiting: retry opening a vanished port often.
CLI_RECONNECT_INTERVAL_S = 0.5


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "read-card",
        help="read the social security card in the serial card reader",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--port",
        help="serial port or pyserial URL: /dev/ttyUSB0, a simulator's pty link, loop://, "
        "socket://HOST:PORT, rfc2217://HOST:PORT (default: devices.card_reader.port)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        help="seconds to wait for the port and for a card to be inserted (default %(default)s)",
    )
    parser.add_argument("--baudrate", type=int, help="baud rate (default: configured, 9600)")
    parser.add_argument(
        "--allow-expired",
        action="store_true",
        help="print an expired card instead of refusing it (for technicians)",
    )
    parser.add_argument("--config", help="per-terminal configuration override (JSON)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.devices.cardreader.driver import card_reader_from_settings
    from terminal.settings import load_device_settings

    settings = load_device_settings(args.config).card_reader
    settings = dataclasses.replace(
        settings,
        baudrate=args.baudrate or settings.baudrate,
        reconnect_interval_s=min(settings.reconnect_interval_s, CLI_RECONNECT_INTERVAL_S),
    )
    timeout_s = max(0.0, float(args.timeout))
    deadline = time.monotonic() + timeout_s
    with card_reader_from_settings(settings, port=args.port) as reader:
        # A port that cannot be opened at all fails at once: a wrong --port should
        # not make the technician wait.
        reader.wait_connected(max(timeout_s, 0.5), fail_fast=True)
        record = reader.read_card(
            wait_s=max(0.0, deadline - time.monotonic()), allow_expired=args.allow_expired
        )
    emit_json(record.to_json())
    return 0
