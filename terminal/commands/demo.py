"""`python -m terminal demo`: the counter application on simulated devices and service.

Without options it opens the counter window with a demo panel (insert a demo
card, show a demo e-voucher, scan a box, switch the network off). With `--script
FILE --screenshot DIR` it runs a scripted session unattended, saves a PNG of each
screen and exits 0 (non-zero, with the step that failed, otherwise).
`--walkthrough` prints the headless walkthrough of the chain instead (no Qt).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="open the counter application on simulated devices and service",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--script", help="run this demo script unattended (config/demo-script.json is the shipped one)")
    p.add_argument("--screenshot", metavar="DIR", help="folder for a PNG of each screen (with --script)")
    p.add_argument("--config", help="terminal configuration over the embedded defaults")
    p.add_argument("--walkthrough", action="store_true",
                   help="print the headless walkthrough (card sale, family e-voucher, refusal, day-end) instead")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.walkthrough:
        from terminal.demo.walkthrough import run_demo

        return run_demo()
    from terminal.demo.app import run_demo_app

    if args.screenshot and not args.script:
        print("--screenshot is for a scripted session: give --script FILE too.", file=sys.stderr)
        return 1
    return run_demo_app(config=args.config, script=shipped_script(args.script) if args.script else None,
                        screenshots=Path(args.screenshot) if args.screenshot else None,
                        say=lambda text: print(text, flush=True))


def shipped_script(name: str) -> Path:
    """`name` as given, or, when no such file is here, the shipped script of that name: an installed terminal
    has no config/ folder beside it, so `--script config/demo-script.json` finds the copy in the package."""
    from terminal.config import config_path

    path = Path(name)
    if not path.exists() and config_path(path.name).exists():
        return config_path(path.name)
    return path
