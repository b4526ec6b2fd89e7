"""`python -m terminal sale`: one pharmacy sale through the journal, online or queued offline.

Settles the sale when the service answers (ec.query for a voucher, 1101, 2101,
2102); when the service cannot be reached it is sold offline within the limits
(offline.* in the configuration) on the engine's estimate and queued for
`forward`. Prints the journal row as JSON: local_id, msgid, state, psn_no,
sale_time, estimate, actual, cash_collected, last_error and more. An outcome
left unknown keeps the row in "sending" (printed), exit 4: `forward` resolves it.
"""

from __future__ import annotations

import argparse

from terminal.commands import emit_json
from terminal.commands._journal import (
    add_journal_options,
    add_service_options,
    client_for,
    open_journal,
    settings_for,
    show_in_doubt,
)
from terminal.errors import BadInput
from terminal.files import read_json_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sale", help="sell through the journal: settle online or queue offline", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    add_journal_options(p)
    add_service_options(p)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--voucher", help="the e-voucher QR text")
    who.add_argument("--card-no", help="social security card number (with --card-sn)")
    p.add_argument("--card-sn", help="the card's 32-character identification code")
    p.add_argument("--basket", required=True, help="the basket JSON, as for `settle`")
    p.add_argument("--acct-used", choices=("0", "1"), default="1", help="pay from the personal account (default 1)")
    p.add_argument("--show-personal-data", action="store_true", help="names and ID numbers in full (technicians)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.client import OutcomeUnknown
    from terminal.offline.checkout import Buyer, Checkout

    if args.card_no and not args.card_sn:
        raise BadInput("--card-sn is required with --card-no (the card's 32-character identification code).")
    settings = settings_for(args)
    basket = read_json_file(args.basket, "basket", exact=True)
    client = client_for(args, settings)
    journal = open_journal(args, settings)
    try:
        checkout = Checkout(journal, client, settings)
        buyer = Buyer(voucher=args.voucher) if args.voucher else Buyer(card_no=args.card_no, card_sn=args.card_sn)
        try:
            row = checkout.sell(buyer, basket, acct_used=args.acct_used == "1")
        except OutcomeUnknown as exc:
            show_in_doubt(journal, exc, args)
            raise
        emit_json(row.to_json(personal_data=args.show_personal_data))
        return 0
    finally:
        journal.close()
        client.close()
