"""`python -m terminal queue --db PATH list|stats|retry ID|export FILE`: the journal's queue.

list    one JSON row per line: the transactions the service has not settled yet (queued,
        forwarding, in doubt, declined, needing attention), oldest first; --all for every row
stats   counts per state, the queued amount and the age of the oldest queued sale, the
        refunds due and amounts owed after forwarding
retry   forward this one again now (ID: its local_id or msgid); a declined sale gets a new msgid
export  every row to FILE with personal data masked (.csv for a spreadsheet, else JSON)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from terminal.client import client_from_settings
from terminal.commands import emit_json
from terminal.commands._journal import add_journal_options, open_journal, settings_for
from terminal.offline.queue_actions import export_all, retry


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("queue", help="list, count, retry or export the journal's queued transactions",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_journal_options(p)
    actions = p.add_subparsers(dest="queue_action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="one JSON row per line")
    listing.add_argument("--all", action="store_true", help="every transaction, not only those pending")
    listing.add_argument("--show-personal-data", action="store_true", help="names and ID numbers in full")
    actions.add_parser("stats", help="counts and amounts")
    retry = actions.add_parser("retry", help="forward one transaction again now")
    retry.add_argument("id", metavar="ID", help="local_id or msgid")
    export = actions.add_parser("export", help="write every row to FILE, personal data masked")
    export.add_argument("file", metavar="FILE")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    journal = open_journal(args, settings)
    try:
        if args.queue_action == "list":
            rows = journal.run(lambda t: t.where("1 ORDER BY sale_time, local_id") if args.all else t.pending())
            for row in rows:
                emit_json(row.to_json(personal_data=args.show_personal_data), compact=True)
        elif args.queue_action == "stats":
            emit_json(journal.run(lambda t: t.stats(time.time())))
        elif args.queue_action == "retry":
            client = client_from_settings(settings)  # only its msgid factory is used: no message is sent here
            try:
                emit_json(retry(journal, client.next_msgid, args.id).to_json())
            finally:
                client.close()
        else:
            path = Path(args.file)
            emit_json({"file": args.file, "rows": journal.run(lambda t: export_all(t, path))})
    finally:
        journal.close()
    return 0
