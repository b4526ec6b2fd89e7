"""`python -m terminal journal migrate [--config FILE] [--db FILE]`: bring the journal up to this version's schema.

Opening a journal migrates it anyway (terminal/offline/schema.py); this command does it at
install time, so the Debian package's upgrade migrates the counter's journal while nobody
sells, checks it whole first, and says what it found: the schema before and after and the
sales still queued for the service (an upgrade keeps them). A journal not there yet is left
to the terminal's first start. The journal is the one the configuration names (offline.journal,
else journal.db in terminal.state_dir), or --db.
"""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from terminal.commands import emit_json
from terminal.offline.journal import Journal
from terminal.offline.schema import SCHEMA_VERSION
from terminal.offline.store import read_only
from terminal.settings import journal_path, load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("journal", help="the journal file itself: migrate it to this version's schema",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="journal_action", required=True, metavar="ACTION")
    migrate = actions.add_parser("migrate", help="apply the schema migrations now (what an upgrade runs)")
    migrate.add_argument("--config", help="the terminal's configuration file (default: TERMINAL_CONFIG)")
    migrate.add_argument("--db", help="the journal file (default: the configuration's)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    path = Path(args.db).expanduser() if args.db else journal_path(settings)
    if not path.exists():
        emit_json({"journal": str(path), "exists": False, "schema": SCHEMA_VERSION,
                   "note": "no journal yet: the terminal creates it at its first start"})
        return 0
    before = schema_of(path)
    with Journal(path, till=settings.terminal.dev_no).start() as journal:
        queued = journal.run(lambda t: len(t.pending()))
    emit_json({"journal": str(path), "exists": True, "schema_before": before, "schema": SCHEMA_VERSION,
               "pending": queued})
    return 0


def schema_of(path: Path) -> int:
    """The journal's PRAGMA user_version, read without writing (a damaged file is refused by the open after)."""
    try:
        with read_only(path) as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return -1
