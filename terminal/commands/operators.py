"""`python -m terminal operators list|set-pin|unlock`: who may sign in at this counter.

list     every operator: number, name, role, whether a PIN is set, wrong PINs counted
         and any lock; never a hash
set-pin  store a new PIN for --opter N: typed twice without echo, or one line from stdin
         with --pin-stdin (scripts); the operators file is rewritten atomically, every
         other entry kept. With --name and --role a new number is added.
unlock   clear a number's wrong PINs and lock (a supervisor's decision)

The operators file is operators.file of the configuration (--config FILE), or --file.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys
from pathlib import Path
from typing import TextIO

from terminal.commands import emit_json
from terminal.errors import BadInput
from terminal.roles import Role


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("operators", help="list operators, set a PIN, unlock a number", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="operators_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="every operator, without hashes")
    set_pin = actions.add_parser("set-pin", help="store a new PIN for one operator")
    set_pin.add_argument("--opter", required=True, help="the operator number")
    set_pin.add_argument("--pin-stdin", action="store_true", help="read the PIN from the first line of stdin")
    set_pin.add_argument("--name", help="the operator's name (to add a number, or rename)")
    set_pin.add_argument("--role", choices=[r.value for r in Role], help="the operator's role (to add a number)")
    unlock = actions.add_parser("unlock", help="clear a number's wrong PINs and lock")
    unlock.add_argument("--opter", required=True, help="the operator number")
    for action in (listing, set_pin, unlock):
        action.add_argument("--config", help="the terminal's configuration file (JSON)")
        action.add_argument("--file", help="the operators file (default: operators.file of the configuration)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.operators import OperatorBook
    from terminal.settings import load_settings

    settings = load_settings(args.config)
    if args.file:
        settings = dataclasses.replace(settings, operators=dataclasses.replace(
            settings.operators, file=str(Path(args.file).expanduser().absolute())))
    book = OperatorBook.from_settings(settings)
    if args.operators_action == "list":
        emit_json([status.to_json() for status in book.statuses()])
    elif args.operators_action == "set-pin":
        if args.name is None or args.role is None:
            book.get(args.opter)  # a mistyped number fails before anyone types a PIN
        pin = read_pin_line(sys.stdin) if args.pin_stdin else ask_pin_twice()
        op = book.set_pin(args.opter, pin, name=args.name, role=args.role)
        emit_json({"opter": op.opter, "name": op.name, "role": op.role.value, "pin_set": True,
                   "file": str(book.path)})
    else:
        book.unlock(args.opter)
        emit_json({"opter": book.get(args.opter).opter, "unlocked": True})
    return 0


def read_pin_line(stream: TextIO) -> str:
    pin = stream.readline().rstrip("\r\n")
    if not pin:
        raise BadInput("--pin-stdin found no PIN on the first line of its input.")
    return pin


def ask_pin_twice() -> str:
    """The new PIN, typed twice at the terminal without echo."""
    try:
        first = getpass.getpass("New PIN: ")
        second = getpass.getpass("The same PIN again: ")
    except EOFError:
        raise BadInput("No PIN was typed; nothing was changed.") from None
    if first != second:
        raise BadInput("The two PINs differ; nothing was changed. Run the command again.")
    return first
