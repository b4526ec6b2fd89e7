"""`python -m terminal visit`: a whole hospital visit through the journal, as the desks do it, headless.

An outpatient visit: 2201 (department, doctor), the fee list uploaded (2204), 2206,
2207. An inpatient stay (`--inpatient`): 2401 (department, ward, bed, diagnosis,
deposit), the fee list uploaded in batches (2301), 2402, 2303, 2304. Every message
is journaled before it leaves, as at the desks; the fee list (CSV or JSON,
docs/counter.md "Fee list files") is checked whole first and nothing is sent while
a row is bad. Prints the settlement's journal row as JSON; with `--no-settle` the
visit as uploaded. An outcome left unknown is printed, exit 4: `forward` resolves it.
"""

from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation

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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("visit", help="a hospital visit through the journal: register or admit, fees, settle",
                       description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_journal_options(p)
    add_service_options(p)
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--voucher", help="the e-voucher QR text")
    who.add_argument("--card-no", help="social security card number (with --card-sn)")
    p.add_argument("--card-sn", help="the card's 32-character identification code")
    p.add_argument("--fees", required=True, help="the fee list, .csv or .json")
    p.add_argument("--inpatient", action="store_true", help="an inpatient stay (default: an outpatient visit)")
    p.add_argument("--department", default="A03 内科", help="code and name (default 'A03 内科')")
    p.add_argument("--doctor", default="D001 医生", help="outpatient: the doctor's code and name")
    p.add_argument("--number", default="", help="the hospital's outpatient or inpatient number (default: a new one)")
    p.add_argument("--ward", default="1", help="inpatient: the ward")
    p.add_argument("--bed", default="1", help="inpatient: the bed")
    p.add_argument("--diagnosis", default="", help="inpatient: the admission diagnosis, ICD-10 (required with "
                                                   "--inpatient)")
    p.add_argument("--deposit", default="0", help="inpatient: the deposit taken, offset at the settlement")
    p.add_argument("--acct-used", choices=("0", "1"), default="1", help="pay from the personal account (default 1)")
    p.add_argument("--no-settle", action="store_true", help="stop once the fees are uploaded")
    p.add_argument("--show-personal-data", action="store_true", help="names and ID numbers in full (technicians)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.client import OutcomeUnknown
    from terminal.fee_list import read_fee_file
    from terminal.offline.checkout import Buyer, Checkout
    from terminal.offline.hospital_desk import HospitalDesk
    from terminal.visit_messages import Admission, Registration

    if args.card_no and not args.card_sn:
        raise BadInput("--card-sn is required with --card-no (the card's 32-character identification code).")
    if args.inpatient and not args.diagnosis:
        raise BadInput("--diagnosis is required with --inpatient (an ICD-10 code such as J18.900).")
    try:
        deposit = Decimal(args.deposit)
    except InvalidOperation:
        raise BadInput(f"--deposit {args.deposit[:20]!r} is not an amount such as 2000 or 500.50.") from None
    settings = settings_for(args)
    client = client_for(args, settings)
    journal = open_journal(args, settings)
    try:
        checkout = Checkout(journal, client, settings)
        desk = HospitalDesk(checkout, journal, client, operator=settings.terminal.opter,
                            batch_size=settings.counter.fee_batch)
        buyer = Buyer(voucher=args.voucher) if args.voucher else Buyer(card_no=args.card_no, card_sn=args.card_sn)
        lines = read_fee_file(args.fees, checkout.prices()[0])  # checked whole before anything is sent
        kind = "inpatient" if args.inpatient else "outpatient"
        identity, _visits = desk.identify(buyer, kind)
        number = args.number or client.next_msgid()[-16:]
        try:
            if args.inpatient:
                visit = desk.admit(identity, Admission(args.department, args.ward, args.bed, args.diagnosis, number,
                                                       deposit))
            else:
                visit = desk.register(identity, Registration(args.department, args.doctor, number))
            visit, _skipped = desk.upload(visit, lines)
            if args.no_settle:
                emit_json({"mdtrt_id": visit.mdtrt_id, "root": visit.root.local_id, "fees": len(visit.fees),
                           "unsettled_amount": str(visit.unsettled_amount)})
                return 0
            if args.inpatient:
                visit = desk.discharge(visit)
            row = desk.settle(visit, desk.presettle(visit, identity, acct_used=args.acct_used == "1"))
        except OutcomeUnknown as exc:
            show_in_doubt(journal, exc, args)
            raise
        emit_json(row.to_json(personal_data=args.show_personal_data))
        return 0
    finally:
        journal.close()
        client.close()
