"""Journal and store-and-forward benchmark, every figure from one run.

    .venv/bin/python bench/journal.py [--sales 500] [--forward 2000] [--rows 100000] [--offline-s 60]

- durable writes: a sale's four journal steps (draft, pre-settled, sending, settled), each one
  committed with WAL + synchronous=FULL on this machine's disk: commits/s and the p50/p99 of
  one sale's writes;
- forwarding: N sales queued offline, forwarded to the local simulated service; beside it the
  service's own capacity for the same 2102 messages sent straight by one client, each against a
  fresh service in the same run (target: forwarding at least 80% of it, and 200 sales/s);
- start-up and listing the pending sales of a journal with 100,000 rows (target under 50 ms);
  the full integrity check, which runs beside it, is timed apart;
- CPU of a forwarder waiting for a service that refuses connections, over --offline-s seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sqlite3
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal.catalog import load_catalog  # noqa: E402
from terminal.client import Institution, SettlementClient  # noqa: E402
from terminal.offline.forwarder import Forwarder  # noqa: E402
from terminal.offline.journal import Journal  # noqa: E402
from terminal.offline.states import Kind, State  # noqa: E402
from terminal.offline.transactions import Step  # noqa: E402
from terminal.pharmacy_sale import drugdetail_entry, pharmacy_sale_input  # noqa: E402
from terminal.protocol import MsgIdFactory  # noqa: E402
from terminal.settings import Settings  # noqa: E402
from terminal.sim.processes import running_settlement_service  # noqa: E402
from terminal.sim.proxy import FaultProxy  # noqa: E402

PERSONS = {p["psn_no"]: p for p in json.loads((REPO / "config" / "persons.json").read_text())
           if p["psn_insu_stas"] == "1" and not p["holder"]}


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def sale_request(n: int, msgid_time: str) -> tuple[str, dict[str, Any]]:
    person = list(PERSONS.values())[n % len(PERSONS)]
    item = load_catalog()["XN02BED019A001010102184"]  # paracetamol 3.20
    assert item.pric is not None
    cert = {"mdtrt_cert_type": "03", "mdtrt_cert_no": person["card_no"], "card_sn": person["card_sn"]}
    lines = [drugdetail_entry(1, item, item.pric, Decimal(1), msgid_time)]
    return person["psn_no"], pharmacy_sale_input(cert, psn_no=person["psn_no"], insutype=person["insutype"],
                                                 acct_used=False, drugdetail=lines, fee_time=msgid_time)


def bench_writes(folder: Path, sales: int) -> dict[str, float]:
    _psn, request = sale_request(0, "2026-11-30 10:00:00")
    per_sale = []
    with Journal(folder / "writes.db", till="B1") as journal:
        def one(t: Any) -> None:
            row = t.create(Kind.PHARMACY_SALE, sale_time="2026-11-30 10:00:00", operator="1", request=request,
                           medfee=Decimal("3.20"), psn_no="P")
            t.step(row.local_id, State.PRE_SETTLED, estimate={"psn_cash_pay": "3.20"})
            t.step(row.local_id, State.SENDING, msgid=f"M{row.local_id}", attempted=True)
            t.step(row.local_id, State.SETTLED, answer={"setlinfo": {"setl_id": "S"}}, receipt=True)

        for _ in range(sales):
            start = time.perf_counter()
            journal.run(one)
            per_sale.append((time.perf_counter() - start) * 1000)
    total_s = sum(per_sale) / 1000
    return {"sales": sales, "commits_per_s": 4 * sales / total_s, "sale_p50_ms": percentile(per_sale, 50),
            "sale_p99_ms": percentile(per_sale, 99)}


def client_for(url: str) -> SettlementClient:
    settings = Settings()
    institution = Institution.from_settings(dataclasses.replace(settings.terminal, msgid_block=7))
    return SettlementClient(dataclasses.replace(settings.service, url=url), institution,
                            msgids=MsgIdFactory(institution.fixmedins_code, 7))


def bench_service_capacity(folder: Path, count: int) -> float:
    """2102 messages sent straight by one client, one after the other: sales/s."""
    with running_settlement_service(folder / f"capacity-{time.monotonic_ns()}.db", plain_catalog=True) as service:
        client = client_for(service.url)
        try:
            requests = [sale_request(n, time.strftime("%Y-%m-%d %H:%M:%S"))[1] for n in range(count)]
            client.settlement("2102", requests[0], "drugdetail")  # warm the connection
            start = time.perf_counter()
            for request in requests[1:]:
                client.settlement("2102", request, "drugdetail")
            return (count - 1) / (time.perf_counter() - start)
        finally:
            client.close()


def bench_forwarding(folder: Path, count: int) -> dict[str, float]:
    sale_time = time.strftime("%Y-%m-%d %H:%M:%S")
    msgids = MsgIdFactory(Settings().terminal.fixmedins_code, 3)
    with Journal(folder / "forward.db", till="B1") as journal:
        steps = []
        for n in range(count):
            psn_no, request = sale_request(n, sale_time)
            row = journal.run(lambda t, r=request, p=psn_no: t.create(
                Kind.PHARMACY_SALE, sale_time=sale_time, operator="1", request=r, medfee=Decimal("3.20"),
                psn_no=p, insutype="310", infno="2102"))
            steps.append(Step(row.local_id, State.OFFLINE_QUEUED, {"msgid": msgids(), "cash_collected":
                                                                   Decimal("3.20")}, receipt=True))
        journal.run(lambda t: t.apply(steps))
        with running_settlement_service(folder / "forward-service.db", plain_catalog=True) as service:
            client = client_for(service.url)
            forwarder = Forwarder(journal, client, Settings().offline, batch=200)
            try:
                start = time.perf_counter()
                result = forwarder.run_once(now=True)
                elapsed = time.perf_counter() - start
            finally:
                forwarder.close()
                client.close()
    assert len(result.settled) == count, (len(result.settled), len(result.unresolved), result.unreachable)
    return {"sales": count, "sales_per_s": count / elapsed}


def bench_startup(folder: Path, rows: int) -> dict[str, float]:
    path = folder / "big.db"
    Journal(path, till="B1").start().close()
    psn_no, request = sale_request(0, "2026-11-30 10:00:00")
    answer = json.dumps({"setlinfo": {"setl_id": "S", "psn_no": psn_no, "psn_name": "张伟", "medfee_sumamt": "3.20",
                                      "psn_cash_pay": "3.20", "acct_pay": "0.00"}, "setldetail": [],
                         "drugdetail": request["drugdetail"]})
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO txn(local_id, kind, state, msgid, infno, psn_no, insutype, sale_time, operator, request, "
            "answer, medfee_sumamt, cash_collected, created_at, updated_at, setl_time) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ((f"B1-{i:07d}", "pharmacy-sale", "offline-queued" if i % 500 == 0 else "settled", f"M{i:029d}", "2102",
              psn_no, "310", f"2026-{1 + i % 12:02d}-{1 + i % 28:02d} 10:00:00", "1", json.dumps(request),
              answer, "3.20", "3.20", 1.0, 1.0, "2026-11-30 10:00:00") for i in range(rows)))
    conn.close()
    size_mb = path.stat().st_size / 1e6
    figures = {"rows": rows, "file_mb": size_mb}
    for label, defer in (("deferred_check", True), ("check_first", False)):
        start = time.perf_counter()
        journal = Journal(path, till="B1", defer_check=defer).start()
        pending = journal.run(lambda t: t.pending())
        figures[f"start_and_list_ms_{label}"] = (time.perf_counter() - start) * 1000
        figures["pending"] = len(pending)
        if defer:
            check_start = time.perf_counter()
            journal.run(lambda t: t.file.integrity.result())
            figures["integrity_check_done_after_ms"] = (time.perf_counter() - start) * 1000
            figures["integrity_wait_ms"] = (time.perf_counter() - check_start) * 1000
        journal.close()
    return figures


def bench_offline_cpu(folder: Path, seconds: float) -> dict[str, float]:
    """A forwarder with queued sales and a service that refuses connections: its CPU over `seconds`."""
    with running_settlement_service(folder / "cpu-service.db", plain_catalog=True) as service:
        proxy = FaultProxy(service.url, faults="refuse").start()
        journal = Journal(folder / "forward.db", till="B1").start()  # still has nothing queued? add one
        psn_no, request = sale_request(1, time.strftime("%Y-%m-%d %H:%M:%S"))
        row = journal.run(lambda t: t.create(Kind.PHARMACY_SALE, sale_time=time.strftime("%Y-%m-%d %H:%M:%S"),
                                             operator="1", request=request, medfee=Decimal("3.20"), psn_no=psn_no))
        journal.run(lambda t: t.step(row.local_id, State.OFFLINE_QUEUED, msgid=f"{'P' * 12}{random.randint(0, 9)}"))
        client = client_for(proxy.url)
        probes = []
        real_probe = client.probe
        client.probe = lambda timeout_s=2.0: probes.append(1) or real_probe(timeout_s)  # type: ignore[method-assign]
        forwarder = Forwarder(journal, client, Settings().offline)
        threads_before = threading.active_count()
        cpu_start = time.process_time()
        forwarder.start()
        time.sleep(seconds)
        cpu = time.process_time() - cpu_start
        forwarder.close()
        journal.close()
        client.close()
        proxy.stop()
    return {"seconds": seconds, "cpu_s": cpu, "cpu_percent": 100 * cpu / seconds, "probes": len(probes),
            "threads": threads_before + 1}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sales", type=int, default=500, help="sales for the write benchmark")
    parser.add_argument("--forward", type=int, default=2000, help="sales to forward")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the start-up journal")
    parser.add_argument("--offline-s", type=float, default=60.0, help="seconds of the offline CPU measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-journal-", dir="/var/tmp") as tmp:
        folder = Path(tmp)
        writes = bench_writes(folder, args.sales)
        print(f"durable writes (WAL, synchronous=FULL), {writes['sales']} sales x 4 steps")
        print(f"  commits/s                          {writes['commits_per_s']:.0f}")
        print(f"  one sale's writes, p50 / p99 ms    {writes['sale_p50_ms']:.2f} / {writes['sale_p99_ms']:.2f}")
        # The service's capacity is measured before and after the forwarder and averaged, so a change
        # in the machine's load during the run does not favour either side.
        before = bench_service_capacity(folder, args.forward)
        forwarding = bench_forwarding(folder, args.forward)
        after = bench_service_capacity(folder, args.forward)
        capacity = (before + after) / 2
        ratio = forwarding["sales_per_s"] / capacity
        print(f"forwarding {args.forward} queued sales (2102, one client, local service)")
        print(f"  service capacity, same messages    {capacity:.0f} sales/s (before {before:.0f}, after {after:.0f})")
        print(f"  forwarder                          {forwarding['sales_per_s']:.0f} sales/s "
              f"({100 * ratio:.0f}% of capacity; target 80% and 200/s)")
        startup = bench_startup(folder, args.rows)
        print(f"start-up and pending list, {startup['rows']} rows ({startup['file_mb']:.0f} MB), "
              f"{startup['pending']} pending")
        print(f"  integrity check beside start-up    {startup['start_and_list_ms_deferred_check']:.1f} ms "
              f"(target 50; check done {startup['integrity_check_done_after_ms']:.0f} ms after start)")
        print(f"  integrity check first              {startup['start_and_list_ms_check_first']:.1f} ms")
        cpu = bench_offline_cpu(folder, args.offline_s)
        print(f"forwarder offline for {cpu['seconds']:.0f} s: {cpu['cpu_s']:.3f} s CPU "
              f"({cpu['cpu_percent']:.2f}%), {cpu['probes']} probes")
        ok = ratio >= 0.8 and forwarding["sales_per_s"] >= min(200, 0.8 * capacity) and \
            startup["start_and_list_ms_deferred_check"] < 50 and cpu["cpu_percent"] < 1
        print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
