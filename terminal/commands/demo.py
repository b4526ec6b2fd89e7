"""`python -m terminal demo`: the counter chain end to end on simulated devices and service."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="run the headless demo on simulated devices and service",
                       description="Ring up demo sales on the simulated card reader, scanner codes and settlement "
                                   "service; print receipts and the day's reconciliation. No hardware, no network.")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from terminal.demo.walkthrough import run_demo

    return run_demo()
