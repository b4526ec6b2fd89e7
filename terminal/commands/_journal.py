"""What the journal commands share: opening the journal and a client as this till is configured."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from terminal.client import OutcomeUnknown, SettlementClient, client_from_settings
from terminal.commands import emit_json
from terminal.errors import BadInput
from terminal.offline.journal import Journal
from terminal.settings import Settings, http_url_problem, journal_path, load_settings


def add_service_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--service", required=required,
                        help="base URL of the settlement service" + ("" if required else " (default: service.url)"))
    parser.add_argument("--paasid", help="x-tif-paasid (default: the configuration's)")
    parser.add_argument("--token", help="signing token (default: the configuration's)")


def add_journal_options(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--db", required=required, help="the journal file (created when missing)"
                        + ("" if required else "; default: offline.journal, else journal.db in the state folder"))
    parser.add_argument("--config", help="terminal configuration override (JSON)")


def configured_defaults(args: argparse.Namespace) -> None:
    """--db and --service left out: the configuration's journal and service, as the counter itself uses them
    (the forwarder run as a service next to the counter, counter-forward.service)."""
    if args.db is None or args.service is None:
        settings = load_settings(args.config)
        args.db = args.db or str(journal_path(settings))
        args.service = args.service or settings.service.url


def settings_for(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    return dataclasses.replace(settings, offline=dataclasses.replace(settings.offline, journal=str(args.db)))


def open_journal(args: argparse.Namespace, settings: Settings) -> Journal:
    return Journal(Path(args.db).expanduser(), till=settings.terminal.dev_no).start()


def client_for(args: argparse.Namespace, settings: Settings) -> SettlementClient:
    problem = http_url_problem(args.service)
    if problem:
        raise BadInput(f"--service must be {problem}.", detail=f"got {args.service!r}")
    return client_from_settings(settings, url=args.service, paasid=args.paasid, token=args.token)


def show_in_doubt(journal: Journal, exc: OutcomeUnknown, args: argparse.Namespace) -> None:
    """A message whose outcome stayed unknown: its journal row printed, and how to resolve it (exc's next steps)."""
    msgid = exc.msgid
    stuck = journal.run(lambda t: t.where("msgid = ?", (msgid,)))
    if stuck:
        emit_json(stuck[0].to_json(personal_data=args.show_personal_data))
        exc.next_steps = (f"python -m terminal forward --db {args.db} --service {args.service} --once"
                          "   (resends the same message; the service acts on it at most once)",)
