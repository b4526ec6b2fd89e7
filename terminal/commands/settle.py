"""`python -m terminal settle`: one pharmacy sale against a running service.

Runs ec.query (for a voucher), 1101, 2101 and 2102 and prints the settlement, with
the person's name and ID number masked unless --show-personal-data. When the
settlement's answer is lost (twice), the outcome is unknown: the message is kept
under the terminal's state folder, its msgid and the two commands that resolve it
(--resend: the same message again, which the service settles at most once;
--reverse: 2601, which makes sure it never settles) go to stderr, and the exit
code is 4.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from terminal.client import OutcomeUnknown, SettlementClient, client_from_settings
from terminal.commands import emit_json
from terminal.domain import CertType
from terminal.errors import BadInput, TerminalError
from terminal.faults import state_folder_fault
from terminal.fields import Fields
from terminal.files import read_json_file
from terminal.pharmacy_sale import pharmacy_sale_input, price_basket
from terminal.privacy import mask_fields, redact
from terminal.settings import http_url_problem, load_settings, state_dir


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("settle", help="settle one pharmacy sale against a running service", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--service", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--voucher", help="the e-voucher QR text")
    who.add_argument("--card-no", help="social security card number (with --card-sn)")
    who.add_argument("--resend", metavar="FILE", help="send a message whose outcome was unknown again")
    who.add_argument("--reverse", metavar="FILE", help="reverse (2601) a message whose outcome was unknown")
    p.add_argument("--card-sn", help="the card's 32-character identification code")
    p.add_argument("--basket", help='JSON: [{"med_list_codg" or "barcode", "cnt", "pric"?, "drug_trac_codg"?, '
                   '"rx_no"?}] or {"items": [...]}; a missing pric takes the catalog price; drug_trac_codg lists '
                   'the traceability codes of the boxes (one per whole box of a drug the catalog marks '
                   'trac_required), rx_no is the prescription number of a prescription drug')
    p.add_argument("--acct-used", choices=("0", "1"), default="1", help="pay from the personal account (default 1)")
    p.add_argument("--config", help="terminal configuration override (JSON)")
    p.add_argument("--paasid", help="override the configured x-tif-paasid")
    p.add_argument("--token", help="override the configured signing token")
    p.add_argument("--show-personal-data", action="store_true",
                   help="print names and ID numbers in full (technicians only; masked by default)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    problem = http_url_problem(args.service)
    if problem:
        raise BadInput(f"--service must be {problem}.", detail=f"got {args.service!r}")
    if args.card_no and not args.card_sn:
        raise BadInput("--card-sn is required with --card-no (the card's 32-character identification code).")
    if not (args.resend or args.reverse or args.basket):
        raise BadInput("--basket is required to settle a sale.")
    settings = load_settings(args.config)
    client = client_from_settings(settings, url=args.service, paasid=args.paasid, token=args.token)
    try:
        if args.resend or args.reverse:
            return resolve(client, Path(args.resend or args.reverse), reverse=bool(args.reverse))
        basket = read_json_file(args.basket, "basket", exact=True)
        return sell(client, args, basket, state_dir(settings) / "unresolved")
    finally:
        client.close()


def sell(client: SettlementClient, args: argparse.Namespace, basket: object, unresolved: Path) -> int:
    from datetime import datetime

    from terminal.protocol import fmt_time

    catalog, _policy, _ver = client.download_catalog()
    expect_certno = None
    if args.voucher:
        identity = client.ec_query(args.voucher)
        cert = {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": identity.ec_token, "card_sn": ""}
        expect_certno = identity.id_no
    else:
        cert = {"mdtrt_cert_type": CertType.SOCIAL_SECURITY_CARD.value, "mdtrt_cert_no": args.card_no,
                "card_sn": args.card_sn}
    info = client.person_info(cert, expect_certno=expect_certno)
    base = info.output.obj("baseinfo")
    names, ids = [str(base.raw("psn_name") or "")], [str(base.raw("certno") or ""), args.card_no or ""]
    try:
        fee_time = fmt_time(datetime.now())
        sale = pharmacy_sale_input(
            cert, psn_no=base.text("psn_no"), insutype=info.output.items("insuinfo")[0].text("insutype"),
            acct_used=args.acct_used == "1", drugdetail=price_basket(basket, catalog, fee_time), fee_time=fee_time)
        client.settlement("2101", sale, "drugdetail")
        msgid = client.next_msgid()
        try:
            answer, settlement = client.settlement("2102", sale, "drugdetail", msgid=msgid)
        except OutcomeUnknown:
            # Resolve the unknown outcome before anything else: the same msgid returns the first
            # answer if the service got it, or settles once if not.
            try:
                answer, settlement = client.settlement("2102", sale, "drugdetail", msgid=msgid)
            except OutcomeUnknown as exc:
                exc.next_steps = keep_unresolved(unresolved, msgid, "2102", sale, args.service)
                raise
    except TerminalError as exc:
        if args.show_personal_data:
            raise
        # Refusals may name the person (a suspended insurance, a card of someone else).
        exc.cashier_message = redact(exc.cashier_message, names, ids)
        exc.detail = redact(exc.detail, names, ids) if exc.detail else exc.detail
        exc.args = (redact(str(exc), names, ids),)
        raise
    result = {"msgid": answer.msgid, "warn_msg": answer.warn_msg, "setlinfo": settlement.setlinfo,
              "setldetail": [d.to_json() for d in settlement.details],
              "drugdetail": [i.to_json() for i in settlement.items]}
    emit_json(result if args.show_personal_data else mask_fields(result))
    return 0


def keep_unresolved(folder: Path, msgid: str, infno: str, input_: dict[str, Any], service: str
                    ) -> tuple[str, ...]:
    """Keep the message whose outcome is unknown; the two commands that resolve it."""
    import json

    path = folder / f"{msgid}.json"
    record = {"infno": infno, "msgid": msgid, "input": input_, "service": service}
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Owner-only: the message holds the person's certificate.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise state_folder_fault(exc, path) from None
    return (f"python -m terminal settle --service {service} --resend {path}"
            f"   (sends message {msgid} again; the service settles it at most once)",
            f"python -m terminal settle --service {service} --reverse {path}"
            f"   (2601: makes sure message {msgid} never settles)")


def resolve(client: SettlementClient, path: Path, *, reverse: bool) -> int:
    """Resend (same msgid, same body) or reverse (2601) a kept message; forget it once resolved."""
    record = Fields(read_json_file(path, "unresolved message", exact=True), str(path))
    infno, msgid = record.text("infno", max_len=8), record.text("msgid", max_len=30)
    input_ = record.raw("input")
    if not isinstance(input_, dict):
        raise BadInput(f"The unresolved message file {path} has no message input.")
    if reverse:
        psn_no = Fields(input_.get("data"), "input.data").text("psn_no", max_len=30)
        answer = client.call("2601", {"data": {"psn_no": psn_no, "omsgid": msgid, "oinfno": infno}})
        result: dict[str, Any] = {"msgid": answer.msgid, "reversed": msgid, "output": answer.output.data}
    else:
        answer, settlement = client.settlement(infno, input_, "drugdetail", msgid=msgid)
        result = {"msgid": answer.msgid, "warn_msg": answer.warn_msg, "setlinfo": settlement.setlinfo,
                  "setldetail": [d.to_json() for d in settlement.details],
                  "drugdetail": [i.to_json() for i in settlement.items]}
    path.unlink(missing_ok=True)
    emit_json(mask_fields(result))
    return 0
