"""`python -m terminal doctor [--config FILE] [--json]`: is this counter ready to sell?

Checks, in order: the configuration (as `config check`), the journal (whole,
writable, its queue's oldest sale against offline.max_queue_age_h), the
settlement service (reachable, this terminal's signature accepted, the clocks
agreeing), the card reader (opens, answers STATUS), the serial scanner and the
camera (open; the camera's frame rate), the receipt printer, a Chinese font and
the display. One line per check: ok, warning or failed, what was found and, when
not ok, what to do; --json prints them as a JSON list of {"check", "status",
"detail", "todo"}. Exit 0 when nothing failed (warnings alone included), 1 when
something did. Every check has its own deadline, so a dead port or service
cannot hang the doctor.
"""

from __future__ import annotations

import argparse
import sys

from terminal.commands import emit_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("doctor", help="check this counter: configuration, journal, service, devices, fonts",
                            description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", help="the terminal's configuration file (JSON)")
    parser.add_argument("--json", action="store_true", help="a JSON list of the checks, for machines")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.app.doctor import any_failed, run_all

    findings = run_all(args.config)
    if args.json:
        emit_json([finding.to_json() for finding in findings])
    else:
        for finding in findings:
            sys.stdout.write(finding.line() + "\n")
        sys.stdout.flush()
    return 1 if any_failed(findings) else 0
