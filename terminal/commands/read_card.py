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
import time

from terminal.commands import emit_json
from terminal.config import load_config, section
from terminal.errors import ConfigError

DEFAULT_TIMEOUT_S = 5.0


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
    from terminal.devices.cardreader.driver import CardReader, serial_port_factory

    cfg = section(load_config(args.config), "devices", "card_reader")
    port = args.port or cfg.get("port")
    if not port:
        raise ConfigError("No card reader port is configured: give --port or set it in the "
                          "devices.card_reader.port setting.")
    baudrate = int(args.baudrate or cfg.get("baudrate", 9600))
    timeout_s = max(0.0, float(args.timeout))
    deadline = time.monotonic() + timeout_s
    reader = CardReader(
        serial_port_factory(str(port), baudrate=baudrate),
        port_label=str(port),
        answer_timeout_s=float(cfg.get("answer_timeout_s", 1.0)),
        retries=int(cfg.get("retries", 2)),
        reconnect_interval_s=min(float(cfg.get("reconnect_interval_s", 1.0)), 0.5),
    )
    with reader:
        # A port that cannot be opened at all fails at once: a wrong --port should
        # not make the technician wait.
        reader.wait_connected(max(timeout_s, 0.5), fail_fast=True)
        record = reader.read_card(
            wait_s=max(0.0, deadline - time.monotonic()), allow_expired=args.allow_expired
        )
    emit_json(record.to_json())
    return 0
