"""Crash safety: a till process selling and forwarding, SIGKILLed at random points, again and again.

The simulated service runs in its own process and is never killed. A worker
process (this file with `worker`) sells to a few persons, some sales online and
some offline (through an address where nothing listens), and forwards; the
harness kills it with SIGKILL after a random time, restarts it, and so on. At
the end one last worker resolves what is in doubt and forwards the rest, and the
harness compares the service with the journal:

- every settlement at the service is one journal row that says settled, and
  every row that says settled is exactly that settlement (none lost, none doubled);
- nothing is left in doubt, and nothing that never settled is charged;
- each person's account at the service moved by exactly the journal's account payments;
- 3201 agrees with the journal's totals for the day.

    python tests/crash_harness.py [--kills N] [--seed S]     (long mode: --kills 200)
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]

# Persons with their own account and no family binding, so balances are theirs alone.
PERSONS = ["12000000000000000013", "12000000000000000002", "12000000000000000011", "12000000000000000006",
           "12000000000000000008"]
CODES = ["XJ01CAA040E001010101000", "XN02BED019A001010102184", "XM01AEB051E002010101037"]


def worker(db: Path, service: str, dead: str, seed: int, sales: int) -> None:
    """One life of the till: resolve what a killed predecessor left, then sell and forward."""
    from offline_helpers import till_settings

    from terminal.client import client_from_settings
    from terminal.errors import TerminalError
    from terminal.offline.checkout import Buyer, Checkout
    from terminal.offline.forwarder import Forwarder
    from terminal.offline.journal import Journal

    persons = {p["psn_no"]: p for p in json.loads((REPO / "config" / "persons.json").read_text())}
    settings = till_settings(read_timeout_s=2.0, retry_min_s=0.01, retry_max_s=0.05)
    rng = random.Random(seed)
    journal = Journal(db, till="CT-0001").start()
    online = Checkout(journal, client_from_settings(settings, url=service), settings)
    offline = Checkout(journal, client_from_settings(settings, url=dead), settings)
    forwarder = Forwarder(journal, client_from_settings(settings, url=service), settings.offline, seed=seed)
    forwarder.run_once(now=True)
    for n in range(sales):
        person = persons[rng.choice(PERSONS)]
        buyer = Buyer(card_no=person["card_no"], card_sn=person["card_sn"])
        basket = [{"med_list_codg": rng.choice(CODES), "cnt": str(rng.randint(1, 3))}]
        with contextlib.suppress(TerminalError):  # refused, or in doubt: the journal says which
            (offline if rng.random() < 0.3 else online).sell(buyer, basket, acct_used=rng.random() < 0.8)
        if n % 4 == 3:
            forwarder.run_once(now=True)
    forwarder.close()
    journal.close()


def run(kills: int, seed: int, workdir: Path, say: Any = print) -> dict[str, Any]:
    from offline_helpers import till_settings
    from service_helpers import Raw

    from terminal.client import Institution, SettlementClient
    from terminal.offline.dayend import reconcile_day
    from terminal.offline.journal import Journal
    from terminal.offline.states import State
    from terminal.sim.processes import free_loopback_port, start_settlement_service

    rng = random.Random(seed)
    service = start_settlement_service(workdir / "service.db", plain_catalog=True)
    dead = f"http://127.0.0.1:{free_loopback_port()}"
    db = workdir / "journal.db"
    env = {**os.environ, "TERMINAL_STATE_DIR": str(workdir / "state"), "PYTHONPATH": str(REPO)}
    raw = Raw(service.url)
    try:
        start_balances = {p: raw.balance(int(p[-2:])) for p in PERSONS}
        killed = 0
        for life in range(kills):
            process = subprocess.Popen([sys.executable, __file__, "worker", "--db", str(db), "--service",
                                        service.url, "--dead", dead, "--seed", str(seed * 1000 + life),
                                        "--sales", "1000"], env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.4, 2.0))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            _out, err = process.communicate(timeout=60)
            if process.returncode not in (0, -signal.SIGKILL):
                raise AssertionError(f"worker failed: {err.decode(errors='replace')[-2000:]}")
        last = subprocess.run([sys.executable, __file__, "worker", "--db", str(db), "--service", service.url,
                               "--dead", dead, "--seed", "0", "--sales", "0"], env=env, capture_output=True,
                              timeout=300, check=False)
        assert last.returncode == 0, last.stderr.decode(errors="replace")[-2000:]

        journal = Journal(db, till="CT-0001").start()
        # The auditor's own terminal (its own dev_no and msgid block), not the till's.
        settings = till_settings()
        auditor = dataclasses.replace(settings.terminal, dev_no="CT-AUDIT", msgid_block=98)
        client = SettlementClient(dataclasses.replace(settings.service, url=service.url),
                                  Institution.from_settings(auditor))
        try:
            rows = journal.run(lambda t: t.where("1"))
            report = reconcile_day(journal, client, time.strftime("%Y-%m-%d"))
        finally:
            journal.close()
            client.close()
        detail = [d for d in raw.ok("3202", {"data": {"stmt_begndate": time.strftime("%Y-%m-%d"),
                                                      "stmt_enddate": time.strftime("%Y-%m-%d")}})["detail"]
                  if d["refd_setl_flag"] == "0"]
        at_service = Counter(d["medins_setl_id"] for d in detail)
        settled = {r.msgid: r for r in rows if r.state in (State.SETTLED, State.FORWARDED_SETTLED)}
        states = Counter(r.state.value for r in rows)
        assert all(count == 1 for count in at_service.values()), "a msgid settled twice"
        assert set(at_service) == set(settled), (
            f"service only: {sorted(set(at_service) - set(settled))[:5]}, "
            f"journal only: {sorted(set(settled) - set(at_service))[:5]}")
        by_msgid = {d["medins_setl_id"]: d for d in detail}
        for msgid, row in settled.items():
            assert row.actual and row.actual["setl_id"] == by_msgid[msgid]["setl_id"], msgid
        in_doubt = [r.local_id for r in rows if r.state in (State.SENDING, State.FORWARDING,
                                                            State.OFFLINE_QUEUED, State.NEEDS_ATTENTION)]
        assert not in_doubt, f"left in doubt or queued: {in_doubt[:5]}"
        for psn_no, before in start_balances.items():
            paid = sum((Decimal(r.actual["acct_pay"]) for r in settled.values()
                        if r.actual and r.psn_no == psn_no), Decimal("0.00"))
            assert raw.balance(int(psn_no[-2:])) == before - paid, psn_no
        assert report["agree"], report
        result = {"kills": killed, "lives": kills + 1, "journal_rows": len(rows), "states": dict(states),
                  "settled_at_service": len(at_service), "agree": report["agree"]}
        say(json.dumps(result))
        return result
    finally:
        raw.close()
        service.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode")
    w = sub.add_parser("worker")
    w.add_argument("--db", type=Path, required=True)
    w.add_argument("--service", required=True)
    w.add_argument("--dead", required=True)
    w.add_argument("--seed", type=int, default=0)
    w.add_argument("--sales", type=int, default=40)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.mode == "worker":
        worker(args.db, args.service, args.dead, args.seed, args.sales)
        return 0
    with tempfile.TemporaryDirectory(prefix="crash-harness-") as tmp:
        run(args.kills, args.seed, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
