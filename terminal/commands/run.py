"""`python -m terminal run [--config FILE]`: the counter application with this till's devices and service."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("run", help="open the counter application", description=__doc__)
    p.add_argument("--config", help="this terminal's configuration file (JSON; default: TERMINAL_CONFIG or the "
                                    "embedded demo terminal)")
    p.add_argument("--kiosk", action="store_true",
                   help="full screen without a window frame, for a dedicated counter PC (the counter-terminal "
                        "service runs it so)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from terminal.settings import load
    from terminal.ui.app import run_counter

    loaded = load(args.config)
    return run_counter(loaded.settings, config_file=Path(loaded.source) if loaded.source else None,
                       kiosk=args.kiosk)
