"""`python -m terminal settle`: one pharmacy sale against a running service.

Runs ec.query (for a voucher), 1101, 2101 and 2102 and prints the settlement.
"""

from __future__ import annotations

import argparse
from typing import Any

from terminal.basket import read_count, read_price
from terminal.catalog import Catalog
from terminal.commands import emit_json
from terminal.domain import CertType
from terminal.errors import BadInput
from terminal.fields import FieldError, Fields
from terminal.files import read_json_file
from terminal.pharmacy_sale import drugdetail_entry, pharmacy_sale_input
from terminal.settings import load_settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("settle", help="settle one pharmacy sale against a running service", description=__doc__)
    p.add_argument("--service", required=True, help="base URL, e.g. http://127.0.0.1:8080")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--voucher", help="the e-voucher QR text")
    who.add_argument("--card-no", help="social security card number (with --card-sn)")
    p.add_argument("--card-sn", help="the card's 32-character identification code")
    p.add_argument("--basket", required=True, help='JSON: [{"med_list_codg" or "barcode", "cnt", "pric"?}] '
                   'or {"items": [...]}; a missing pric takes the catalog price')
    p.add_argument("--acct-used", choices=("0", "1"), default="1", help="pay from the personal account (default 1)")
    p.add_argument("--config", help="terminal configuration override (JSON)")
    p.add_argument("--paasid", help="override the configured x-tif-paasid")
    p.add_argument("--token", help="override the configured signing token")
    p.set_defaults(run=run)


def drugdetail(basket: object, catalog: Catalog, fee_time: str) -> list[dict[str, Any]]:
    """Price the basket's lines from the catalog into 2101/2102 drugdetail entries."""
    entries = basket.get("items") if isinstance(basket, dict) else basket
    lines = Fields({"items": entries}, "basket").items("items")
    out = []
    for n, f in enumerate(lines, start=1):
        code = f.opt_text("med_list_codg", max_len=50)
        item = catalog.get(code) if code else None
        barcode = f.opt_text("barcode", max_len=14)
        if item is None and barcode:
            item = catalog.by_barcode(barcode)
        if item is None:
            raise FieldError(f"{f.where}: {code or barcode or 'the line'} is not in the service's catalog")
        if f.has("pric"):
            pric = read_price(f)
        elif item.pric is not None:
            pric = item.pric
        else:
            raise FieldError(f"{f.where}.pric is required: the catalog has no price for {item.med_list_codg}")
        out.append(drugdetail_entry(n, item, pric, read_count(f), fee_time))
    return out


def run(args: argparse.Namespace) -> int:
    from datetime import datetime

    from terminal.client import OutcomeUnknown, client_from_settings
    from terminal.protocol import fmt_time

    if args.card_no and not args.card_sn:
        raise BadInput("--card-sn is required with --card-no (the card's 32-character identification code).")
    basket = read_json_file(args.basket, "basket")
    client = client_from_settings(load_settings(args.config), url=args.service, paasid=args.paasid, token=args.token)
    try:
        catalog, _policy, _ver = client.download_catalog()
        if args.voucher:
            identity = client.ec_query(args.voucher)
            cert = {"mdtrt_cert_type": CertType.E_VOUCHER.value, "mdtrt_cert_no": identity.ec_token, "card_sn": ""}
        else:
            cert = {"mdtrt_cert_type": CertType.SOCIAL_SECURITY_CARD.value, "mdtrt_cert_no": args.card_no,
                    "card_sn": args.card_sn}
        info = client.person_info(cert)
        fee_time = fmt_time(datetime.now())
        sale = pharmacy_sale_input(
            cert, psn_no=info.output.obj("baseinfo").text("psn_no"),
            insutype=info.output.items("insuinfo")[0].text("insutype"), acct_used=args.acct_used == "1",
            drugdetail=drugdetail(basket, catalog, fee_time), fee_time=fee_time)
        client.settlement("2101", sale, "drugdetail")
        msgid = client.next_msgid()
        try:
            answer, settlement = client.settlement("2102", sale, "drugdetail", msgid=msgid)
        except OutcomeUnknown:
            # Resolve the unknown outcome before anything else: the same msgid
            # returns the first answer if the service got it, or settles once if not.
            answer, settlement = client.settlement("2102", sale, "drugdetail", msgid=msgid)
    finally:
        client.close()
    emit_json({"msgid": answer.msgid, "warn_msg": answer.warn_msg, "setlinfo": settlement.setlinfo,
               "setldetail": [d.to_json() for d in settlement.details],
               "drugdetail": [i.to_json() for i in settlement.items]})
    return 0
