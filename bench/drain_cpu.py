"""What one forwarded sale costs in CPU: on the counter's side and on the service's.

    .venv/bin/python bench/drain_cpu.py [--sales 190] [--runs 3]

One counter (the app's real Station, its journal on /dev/shm as in bench/fleet.py)
sells --sales sales while the service cannot be reached, so they queue; then the
service is reachable and the forwarder, unpaced and with no cashier to give way to,
sends the whole backlog in one pass. The counter process's CPU time (every thread:
the forwarder, the journal's thread, the client) and the service process's (from
/proc) over that pass, divided by the sales settled, are the CPU per forwarded sale
on each side. The median of --runs runs is printed.

Why it matters: bench/fleet.py runs the whole chain and the service on one machine.
When the counters' CPU per message is about the service's, the service can have at
most about half of the machine's cores while the backlog drains, and a single-process
service (about one core) is the drain's ceiling only on a machine with enough cores
beside it for the counters. This prints that share for this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _cpu import process_cpu_s  # noqa: E402
from _fleet_counter import FleetCounter, demo_persons  # noqa: E402

from terminal.offline.forwarder import Forwarder  # noqa: E402
from terminal.sim.processes import free_loopback_port, start_settlement_service  # noqa: E402


def one_run(sales: int, folder: Path, seed: int) -> tuple[int, float, float, float]:
    """(settled, seconds, counter CPU s, service CPU s) for one drain of `sales` queued sales."""
    port = free_loopback_port()
    service = start_settlement_service(folder / "service.db", port=port, plain_catalog=True)
    url, down = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{free_loopback_port()}"
    counter = FleetCounter(1, folder / "counter", url, down, demo_persons(), think_s=1.0, voucher_share=0.0,
                           seed=seed, give_way=False)
    try:
        counter.open()
        counter.station.forwarder.close()  # the station's forwarder thread stops; one pass is run here, alone
        counter.queue_offline(sales)
        counter.cashier_client.base_url = counter.forward_client.base_url = url
        forwarder = Forwarder(counter.station.journal, counter.forward_client, counter.settings.offline, pace=0.0)
        service_before, counter_before, started = process_cpu_s(service.process.pid), time.process_time(), \
            time.monotonic()
        result = forwarder.run_once(now=True)
        seconds = time.monotonic() - started
        counter_cpu = time.process_time() - counter_before
        service_cpu = process_cpu_s(service.process.pid) - service_before
        return len(result.settled), seconds, counter_cpu, service_cpu
    finally:
        counter.close()
        service.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=190,
                        help="sales queued offline (default 190; the product's offline.max_queued_sales is 200)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    disk = "/dev/shm" if os.path.isdir("/dev/shm") else None
    rows = []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="drain_cpu_", dir=disk) as folder:
            settled, seconds, counter_cpu, service_cpu = one_run(args.sales, Path(folder), seed=run + 1)
        if settled != args.sales:
            print(f"run {run + 1}: only {settled} of {args.sales} queued sales were settled", file=sys.stderr)
            return 1
        rows.append((settled / seconds, 1000 * counter_cpu / settled, 1000 * service_cpu / settled))
        print(f"run {run + 1}: {settled} sales in {seconds:.2f} s ({rows[-1][0]:.0f}/s); CPU per sale: counter "
              f"{rows[-1][1]:.2f} ms, service {rows[-1][2]:.2f} ms")
    rate, counter_ms, service_ms = (statistics.median(r[i] for r in rows) for i in range(3))
    cores = os.cpu_count() or 1
    share = service_ms / (counter_ms + service_ms)
    print(f"median: one forwarder alone {rate:.0f} sales/s; CPU per forwarded sale: counter {counter_ms:.2f} ms, "
          f"service {service_ms:.2f} ms (counter/service {counter_ms / service_ms:.2f})")
    print(f"with the counters and the service on this machine's {cores} cores, the service gets at most "
          f"{share:.0%} of them while a backlog drains: {share * cores:.2f} cores, "
          f"{share * cores * 1000 / service_ms:.0f} sales/s if nothing else ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
