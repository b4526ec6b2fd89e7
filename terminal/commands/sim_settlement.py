"""`python -m terminal sim settlement ...` and `python -m terminal sim voucher ...`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from terminal.config import config_path


def register_sim(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("settlement", help="run the simulated settlement service",
                       description="Run the simulated settlement service (HTTP, DESIGN.md protocol).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--db", required=True, type=Path, help="SQLite file holding the service's state")
    p.add_argument("--persons", type=Path, help="persons JSON (default: config/persons.json)")
    p.add_argument("--catalog", type=Path, help="catalog JSON (default: config/catalog.json)")
    p.add_argument("--policy", type=Path, help="policy JSON (default: config/policy.json)")
    p.add_argument("--issuer-key", type=Path, help="Ed25519 PKCS8 PEM for e-vouchers (created when missing; "
                   "default: config/demo-issuer-key.pem)")
    p.add_argument("--paasid", help="x-tif-paasid the service accepts (default from config/terminal.json)")
    p.add_argument("--token", help="signing token (default from config/terminal.json)")
    p.add_argument("--require-sign-in", action="store_true",
                   help="refuse messages whose sign_no is not from a live 9001 sign-in")
    p.set_defaults(run=run_settlement)

    v = sub.add_parser("voucher", help="print a fresh e-voucher QR text",
                       description="Print a fresh e-voucher QR text signed by the simulated issuer.")
    v.add_argument("--issuer-key", type=Path, default=config_path("demo-issuer-key.pem"))
    v.add_argument("--psn-no", required=True)
    v.add_argument("--holder", help="psn_no of the family holder showing the code for a bound member")
    v.add_argument("--ttl", type=int, default=120, help="seconds the code lives (negative: already expired)")
    v.add_argument("--admdvs", default="120000")
    v.set_defaults(run=run_voucher)


def run_settlement(args: argparse.Namespace) -> int:
    import logging

    from terminal.sim.settlement.server import ServiceFiles, serve

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    files = ServiceFiles(db=args.db, persons=args.persons, catalog=args.catalog, policy=args.policy,
                         issuer_key=args.issuer_key, paasid=args.paasid, token=args.token,
                         require_sign_in=args.require_sign_in)
    serve(files, args.host, args.port, on_ready=lambda: print(
        f"settlement service on http://{args.host}:{args.port} (state in {args.db})", file=sys.stderr))
    return 0


def run_voucher(args: argparse.Namespace) -> int:
    from terminal.voucher import issue_voucher, load_private_key

    key = load_private_key(args.issuer_key, create=True)
    print(issue_voucher(key, args.psn_no, now=int(time.time()), admdvs=args.admdvs, ttl_s=args.ttl,
                        holder=args.holder))
    return 0
