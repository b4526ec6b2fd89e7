"""Settlement benchmark: service round trips and engine speed, measured in one run.

    .venv/bin/python bench/settlement.py [--rounds 300] [--splits 5000] [--json]

Round trip = 1101 + 2101 + 2102 for one sale, through SettlementClient against
the real simulated service started on a free loopback port with a fresh database.
Targets (issue 2): p99 round trip under 20 ms; engine over 5,000 splits/s for a
30-line basket.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dataclasses import replace  # noqa: E402

from terminal.catalog import load_catalog  # noqa: E402
from terminal.client import Institution, SettlementClient  # noqa: E402
from terminal.domain import BasketLine  # noqa: E402
from terminal.pharmacy_sale import drugdetail_entry, pharmacy_sale_input  # noqa: E402
from terminal.policy import load_policy  # noqa: E402
from terminal.settings import Settings  # noqa: E402
from terminal.sim.processes import running_settlement_service as running_service  # noqa: E402
from terminal.split import SplitContext, split  # noqa: E402

# Employees and retirees with card numbers; the sale pays from the pooled fund
# and cash only, so hundreds of rounds never run an account dry.
PERSONS = ["12000000000000000001", "12000000000000000002", "12000000000000000011", "12000000000000000013"]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def engine_bench(n: int) -> dict[str, float]:
    policy = load_policy()
    items = [item for item in load_catalog().values() if item.pric is not None][:30]
    lines = [BasketLine(i.med_list_codg, i.pric or Decimal(1), Decimal(k % 3 + 1), i.chrgitm_lv, i.selfpay_prop,
                        i.pric_uplmt_amt) for k, i in enumerate(items)]
    ctx = SplitContext("41", "310", "11", True, Decimal("1500.00"), Decimal("300.00"), Decimal("650.00"),
                       Decimal("0.00"))
    split(lines, ctx, policy)
    start = time.perf_counter()
    for _ in range(n):
        split(lines, ctx, policy)
    elapsed = time.perf_counter() - start
    return {"lines": len(lines), "splits": n, "splits_per_s": n / elapsed}


def service_bench(rounds: int) -> dict[str, float]:
    settings = Settings()
    persons = {p["psn_no"]: p for p in json.loads((REPO / "config/persons.json").read_text())}
    catalog = [i for i in load_catalog().values() if i.pric is not None and i.list_type == "drug"][:3]
    with tempfile.TemporaryDirectory() as tmp, running_service(Path(tmp) / "bench.db", plain_catalog=True) as service:
        client = SettlementClient(replace(settings.service, url=service.url),
                                  Institution.from_settings(settings.terminal))
        latencies = []
        try:
            for n in range(rounds + 10):
                person = persons[PERSONS[n % len(PERSONS)]]
                cert = {"mdtrt_cert_type": "03", "mdtrt_cert_no": person["card_no"], "card_sn": person["card_sn"]}
                now = time.strftime("%Y-%m-%d %H:%M:%S")
                items = [drugdetail_entry(k, i, i.pric or Decimal(0), Decimal(1), now)
                         for k, i in enumerate(catalog, 1)]
                sale = pharmacy_sale_input(cert, psn_no=person["psn_no"], insutype=person["insutype"],
                                           acct_used=False, drugdetail=items, fee_time=now)
                start = time.perf_counter()
                client.person_info(cert)
                client.settlement("2101", sale, "drugdetail")
                client.settlement("2102", sale, "drugdetail")
                if n >= 10:  # the first rounds warm up connections and caches
                    latencies.append((time.perf_counter() - start) * 1000)
        finally:
            client.close()
    total_s = sum(latencies) / 1000
    return {"rounds": rounds, "round_trips_per_s": rounds / total_s, "p50_ms": statistics.median(latencies),
            "p99_ms": percentile(latencies, 99), "max_ms": max(latencies)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--splits", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    service = service_bench(args.rounds)
    engine = engine_bench(args.splits)
    if args.json:
        print(json.dumps({"service": service, "engine": engine}, indent=2))
        return 0
    print("settlement round trip (1101 + 2101 + 2102, loopback, fresh DB, WAL + synchronous=FULL)")
    print(f"  rounds             {service['rounds']}")
    print(f"  round trips/s      {service['round_trips_per_s']:.0f}")
    print(f"  p50 latency        {service['p50_ms']:.2f} ms")
    print(f"  p99 latency        {service['p99_ms']:.2f} ms   (target < 20 ms)")
    print(f"  max latency        {service['max_ms']:.2f} ms")
    print(f"engine split, {engine['lines']}-line basket")
    print(f"  splits/s           {engine['splits_per_s']:.0f}   (target > 5000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
