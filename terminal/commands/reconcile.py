"""`python -m terminal reconcile --db PATH --service URL --date D`: the day's totals, terminal against service.

Computes the terminal's totals per insutype, clearing type and clearing region
from the answers in the journal, asks the service 3201 for each and 3202 with
the terminal's list, and prints the report as JSON ("agree", the groups, every
settlement only one side knows, refunds due and amounts owed for sales made
offline). Exit 0 when it ran; "agree" says whether the totals matched.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from terminal.commands import emit_json
from terminal.commands._journal import add_journal_options, add_service_options, client_for, open_journal, settings_for
from terminal.errors import BadInput


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("reconcile", help="reconcile a day's totals with the service (3201, 3202)",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_journal_options(p)
    add_service_options(p)
    p.add_argument("--date", default=None, help="the day, yyyy-MM-dd (default: today)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.offline.dayend import reconcile_day

    day = args.date or date.today().isoformat()
    try:
        datetime.strptime(day, "%Y-%m-%d")
    except ValueError:
        raise BadInput(f"--date must be a day written yyyy-MM-dd, such as {date.today().isoformat()}.",
                       detail=f"got {day!r}") from None
    settings = settings_for(args)
    client = client_for(args, settings)
    journal = open_journal(args, settings)
    try:
        emit_json(reconcile_day(journal, client, day))
    finally:
        journal.close()
        client.close()
    return 0
