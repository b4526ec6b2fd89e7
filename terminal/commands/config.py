"""`python -m terminal config check|show|doc`: a terminal's configuration, checked and shown.

check  validates this terminal's file (--config FILE, else TERMINAL_CONFIG, else
       the embedded defaults): every key known, typed and in range, and the files
       it names usable. Prints {"ok": true, ...}; a problem is one sentence naming
       the key and the file on stderr, exit 1.
show   prints the effective configuration as JSON (the defaults with the file
       over them), secrets masked.
doc    prints every key with its type, default and help as Markdown
       (docs/configuration.md is this output).
"""

from __future__ import annotations

import argparse
import sys

from terminal.commands import emit_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("config", help="check or show this terminal's configuration", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="config_action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate the configuration file")
    check.add_argument("--config", help="the terminal's configuration file (JSON)")
    check.set_defaults(run=run_check)
    show = actions.add_parser("show", help="print the effective configuration, secrets masked")
    show.add_argument("--config", help="the terminal's configuration file (JSON)")
    show.add_argument("--unmasked", action="store_true", help="show secrets too (for the technician at the counter)")
    show.set_defaults(run=run_show)
    doc = actions.add_parser("doc", help="print every configuration key as Markdown")
    doc.set_defaults(run=run_doc)


def run_check(args: argparse.Namespace) -> int:
    from terminal import settings as declared
    from terminal.voucher import load_public_key

    loaded = declared.load(args.config, strict=True)
    load_public_key(loaded.settings.voucher.issuer_key_path())
    emit_json({"ok": True, "file": loaded.source, "warnings": list(loaded.warnings)})
    return 0


def run_show(args: argparse.Namespace) -> int:
    from terminal.setting_fields import to_json
    from terminal.settings import load

    loaded = load(args.config)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    emit_json(to_json(loaded.settings, mask_secrets=not args.unmasked))
    return 0


def run_doc(args: argparse.Namespace) -> int:
    from terminal.settings_doc import settings_markdown

    sys.stdout.write(settings_markdown())
    return 0
