"""`python -m terminal log-level [MODULE=LEVEL ...]`: change log levels in running counters, no restart.

Writes the levels file (`logging.levels_file`, else log-levels.json in the state folder), which every
running process of this terminal (the counter, `forward`, the simulators) re-reads within seconds, or at
once on SIGHUP (`systemctl reload counter-terminal`). Without arguments it shows what the file says.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("log-level", help="change the log level of modules in running processes",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("switches", nargs="*", metavar="MODULE=LEVEL",
                   help="such as terminal.devices.camera=debug or terminal=warning (a module and those under it)")
    p.add_argument("--unset", action="append", default=[], metavar="MODULE",
                   help="drop a module's switch: it logs as configured again (repeatable)")
    p.add_argument("--reset", action="store_true", help="drop every switch")
    p.add_argument("--config", help="this terminal's configuration file (default: TERMINAL_CONFIG or the "
                                    "built-in defaults)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.errors import BadInput
    from terminal.logs import levels_path, parse_switch, read_levels, write_levels
    from terminal.settings import load

    path = levels_path(load(args.config).settings)
    changes = dict(parse_switch(s) for s in args.switches)
    levels = {} if args.reset else read_levels(path)
    unknown = [m for m in args.unset if m not in levels and m not in changes]
    if unknown:
        raise BadInput(f"No switch is set for {', '.join(unknown)} in {path}; nothing was changed.")
    if changes or args.unset or args.reset:
        levels = {m: lvl for m, lvl in {**levels, **changes}.items() if m not in args.unset}
        write_levels(path, levels)
        print(f"{path}: written; running processes of this terminal apply it within seconds.")
    for module, level in sorted(levels.items()):
        print(f"{module}={level}")
    if not levels:
        print("no switches: every module logs as configured (logging.level, logging.modules).")
    return 0
