"""`python -m terminal ...`: the one command-line entry.

Each module in terminal/commands/ contributes its subcommands through
`register(subparsers)` and, for simulators, `register_sim(sim_subparsers)`. Modules
import their heavy dependencies (OpenCV, the ASGI server) inside the command, so
`python -m terminal split` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from terminal import commands
from terminal.client import QUERIES, OutcomeUnknown
from terminal.errors import BadInput, TerminalError

EXIT_BAD_INPUT = 1
EXIT_ENVIRONMENT = 3
# A settling message whose answer was lost: it may or may not have settled; resolve it first.
EXIT_OUTCOME_UNKNOWN = 4


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m terminal", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sim = sub.add_parser("sim", help="simulated devices and settlement service")
    sim_sub = sim.add_subparsers(dest="sim_command", required=True, metavar="SIMULATOR")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(sub)
        if hasattr(module, "register_sim"):
            module.register_sim(sim_sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.run(args)
    except TerminalError as exc:
        print(f"error: {exc.cashier_message}", file=sys.stderr)
        if exc.detail:
            print(f"detail: {exc.detail}", file=sys.stderr)
        for step in exc.next_steps:
            print(f"resolve: {step}", file=sys.stderr)
        if isinstance(exc, OutcomeUnknown) and exc.infno not in QUERIES:
            return EXIT_OUTCOME_UNKNOWN
        return EXIT_BAD_INPUT if isinstance(exc, BadInput) else EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        return 130
    return int(result or 0)
