"""`python -m terminal ...`: the one command-line entry.

Each module in terminal/commands/ contributes its subcommands through
`register(subparsers)` and, for simulators, `register_sim(sim_subparsers)`. Modules
import their heavy dependencies (OpenCV, the ASGI server) inside the command, so
`python -m terminal split` starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from terminal import commands
from terminal.client import QUERIES, OutcomeUnknown
from terminal.errors import BadInput, TerminalError
from terminal.logs import LEVELS, mask_log

# Commands that run until stopped, under a unit: their info lines are the record of the day.
SERVICES = ("run", "forward", "sim")
ONE_SHOT_SIMULATORS = ("box", "voucher")
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
    # Every command takes the log options, before or after its name (`--log-level debug run`, `run
    # --log-level debug`); SUPPRESS keeps a command's unset option from hiding the top-level one.
    _log_options(parser, None)
    commands_below = [parser]
    while commands_below:
        for action in commands_below.pop()._actions:
            if isinstance(action, argparse._SubParsersAction):
                for command in action.choices.values():
                    if command is not sim:
                        _log_options(command, argparse.SUPPRESS)
                    commands_below.append(command)
    return parser


def _log_options(parser: argparse.ArgumentParser, default: object) -> None:
    group = parser.add_argument_group("logs")
    group.add_argument("--log-level", default=default, choices=LEVELS, type=str.lower,
                       help="lowest level logged (default: logging.level in the configuration, info)")
    group.add_argument("--log-module", action="append", metavar="MODULE=LEVEL",
                       default=default if default is not None else [],
                       help="a level for one module, such as terminal.devices.camera=debug (repeatable; "
                            "`log-level` changes them in running processes)")


def configure_logging(args: argparse.Namespace) -> None:
    """JSON log lines, masked, as the command's configuration says (its defaults when it cannot be read: the
    command itself then says what is wrong with the file)."""
    from terminal.logs import configure
    from terminal.settings import Settings, load

    # Quietly: the command reads the file again and says what it finds, through the handler set up here.
    logging.disable(logging.CRITICAL)
    try:
        settings = load(getattr(args, "config", None)).settings
    except TerminalError:
        settings = Settings()
    finally:
        logging.disable(logging.NOTSET)
    # A service (the counter, forward, a simulator) logs as configured; a command a person runs and reads
    # (doctor, the demo's steps, a sale) shows warnings and errors only, unless asked: the info lines of the
    # devices it opens would bury its own output.
    service = args.command in SERVICES and getattr(args, "sim_command", None) not in ONE_SHOT_SIMULATORS
    level = args.log_level or (None if service else max(settings.logging.level, "warning", key=LEVELS.index))
    configure(settings, level=level, modules=args.log_module)


def main(argv: Sequence[str] | None = None, *, logs: bool = False) -> int:
    """Run one command; `logs` installs the JSON log handler (a process of its own, not a test calling in)."""
    args = build_parser().parse_args(argv)
    try:
        if logs:
            configure_logging(args)
        result = args.run(args)
    except TerminalError as exc:
        # stderr is a unit's log (journald): masked as every log line is.
        print(f"error: {mask_log(exc.cashier_message)}", file=sys.stderr)
        if exc.detail:
            print(f"detail: {mask_log(exc.detail)}", file=sys.stderr)
        for step in exc.next_steps:
            print(f"resolve: {mask_log(step)}", file=sys.stderr)
        if isinstance(exc, OutcomeUnknown) and exc.infno not in QUERIES:
            return EXIT_OUTCOME_UNKNOWN
        return EXIT_BAD_INPUT if isinstance(exc, BadInput) else EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        return 130
    return int(result or 0)
