"""A worker process of bench/fleet.py: its share of the counters, as threads; or the service's calibration.

    python bench/_fleet_worker.py SPEC.json      (started by bench/fleet.py)

Talks to the driver by lines: it prints "ready" once its counters are open (journal,
forwarder, price list, customers known), waits for "go T0" on stdin, prints a
"tick" JSON line every second (each counter's backlog summed, sales so far), and
after the run drains every backlog, reconciles each counter with 3201 and 3202
(terminal.offline.dayend, as the day-end command does) and writes its results
to the spec's "out" file. With "calibrate" in the spec it only sends the
forwarder's message (2102 of a known person) from many threads as fast as the
service answers, and writes the answer count per second.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _fleet_counter import FleetCounter, Sale, demo_persons  # noqa: E402

from terminal.app.station import Station  # noqa: E402
from terminal.client import SettlementClient  # noqa: E402
from terminal.offline.dayend import reconcile_day  # noqa: E402
from terminal.offline.states import State  # noqa: E402

SETTLED = frozenset({State.SETTLED, State.FORWARDED_SETTLED})


def say(kind: str, **fields: Any) -> None:
    print(json.dumps({"kind": kind, **fields}), flush=True)


def ticker(counters: list[FleetCounter], own: set[int], stop: threading.Event) -> None:
    """Every second: the backlog of the counters that only lose the service with the chain (the drain's end is
    read from them), of all, and the sales so far."""
    while not stop.wait(1.0 - time.time() % 1.0):
        say("tick", t=time.time(), backlog=sum(c.backlog for c in counters if c.n not in own),
            all=sum(c.backlog for c in counters), sales=sum(len(c.record.sales) for c in counters))


def verify(counter: FleetCounter, day: str) -> dict[str, Any]:
    return verify_station(counter.n, counter.station, counter.cashier_client, counter.record.sales, day)


def verify_station(n: int, station: Station, client: SettlementClient, sales: list[Sale], day: str) -> dict[str, Any]:
    """3201 and 3202 for the counter's day, and what its journal says against what the service recorded."""
    journal = station.journal
    report = reconcile_day(journal, client, day)
    rows = journal.run(lambda t: t.where("kind = 'pharmacy-sale' ORDER BY created_at"))
    settled = [r for r in rows if r.state in SETTLED]
    detail = client.call("3202", {"data": {"stmt_begndate": day, "stmt_enddate": day}}).output.raw("detail") or []
    service_ids = [d["setl_id"] for d in detail if d.get("refd_setl_flag") == "0"]
    journal_ids = [(r.actual or {}).get("setl_id") for r in settled]
    msgids = [r.msgid for r in rows if r.msgid]
    sold = {s.local_id for s in sales if s.local_id and s.outcome in ("settled", "offline-queued")}
    states: dict[str, int] = {}
    for r in rows:
        states[r.state.value] = states.get(r.state.value, 0) + 1
    return {
        "counter": n, "agree": report["agree"], "groups": len(report["groups"]),
        "mismatches": report["mismatches"][:5], "unresolved": len(report["unresolved"]),
        "journal_settled": len(settled), "service_settlements": len(service_ids),
        "service_duplicates": len(service_ids) - len(set(service_ids)),
        "journal_missing_at_service": len(set(journal_ids) - set(service_ids)),
        "service_unknown_to_journal": len(set(service_ids) - set(journal_ids)),
        "msgid_duplicates": len(msgids) - len(set(msgids)),
        "sold_not_settled": len(sold - {r.local_id for r in settled}),
        "offline_sold": sum(1 for s in sales if s.outcome == "offline-queued"),
        "states": states,
        "medfee": str(sum((r.medfee_sumamt for r in settled), start=0)),
    }


def run_counters(spec: dict[str, Any]) -> dict[str, Any]:
    persons = demo_persons()
    folder = Path(spec["folder"])
    counters = [FleetCounter(n, folder / f"counter{n:04d}", spec["url"], spec["down_url"], persons,
                             think_s=spec["think_s"], voucher_share=spec["voucher_share"], seed=spec["seed"],
                             give_way=spec["give_way"], probe_s=spec.get("probe_s")) for n in spec["counters"]]
    with ThreadPoolExecutor(8) as pool:  # opening is I/O: a few at a time, not a hundred
        list(pool.map(lambda c: c.open(), counters))
    say("ready")
    t0 = float(sys.stdin.readline().split()[1])
    end = t0 + spec["seconds"]
    stop = threading.Event()
    tick = threading.Thread(target=ticker, args=(counters, {int(k) for k in spec["offline_periods"]}, stop),
                            daemon=True)
    tick.start()
    # Each counter's own offline period: (start, length) seconds into the run, made wall-clock times here.
    offline = {int(k): (t0 + v[0], t0 + v[0] + v[1]) for k, v in spec["offline_periods"].items()}
    time.sleep(max(0.0, t0 - time.time()))
    cashiers = [threading.Thread(target=c.sell_until, args=(end, offline.get(c.n)), name=f"cashier-{c.n}")
                for c in counters]
    for thread in cashiers:
        thread.start()
    for thread in cashiers:
        thread.join()
    say("sold", t=time.time())
    # The final drain: whatever is still queued (a counter whose last sales were offline) goes now.
    deadline = time.time() + spec["final_drain_s"]
    while any(c.backlog for c in counters) and time.time() < deadline:
        for c in counters:
            if c.backlog:
                c.station.forwarder.wake()
        time.sleep(0.5)
    stop.set()
    drained_at = time.time()
    day = date.today().isoformat()
    checks = [verify(c, day) for c in counters]
    result = {
        "drained_at": drained_at, "backlog_left": sum(c.backlog for c in counters), "checks": checks,
        "sales": [[c.n, *asdict(s).values()] for c in counters for s in c.record.sales],
        "calls": [[c.n, *call] for c in counters for call in c.record.calls],
        "gave_way": sum(c.right_of_way.gave_way for c in counters),
        "gave_way_s": sum(c.right_of_way.waited_s for c in counters),
    }
    for c in counters:
        c.close()
    return result


def calibrate(spec: dict[str, Any]) -> dict[str, Any]:
    """The service's capacity for the drain's message: 2102 of known persons, from `threads` clients at once."""
    persons = demo_persons()
    folder = Path(spec["folder"])
    counters = [FleetCounter(n, folder / f"calib{n:04d}", spec["url"], spec["down_url"], persons, think_s=1.0,
                             voucher_share=0.0, seed=spec["seed"], give_way=False) for n in spec["counters"]]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda c: c.open(), counters))
    say("ready")
    t0 = float(sys.stdin.readline().split()[1])
    end = t0 + spec["seconds"]
    answered: list[float] = []

    def hammer(counter: FleetCounter) -> None:
        from terminal.offline.identity import identify_online
        from terminal.pharmacy_sale import pharmacy_sale_input, price_basket
        from terminal.protocol import fmt_time

        checkout = counter.station.checkout
        assert checkout is not None
        identity = identify_online(counter.cashier_client, counter.station.journal, counter.card, None)
        catalog, _policy, _fresh = checkout.prices()
        time.sleep(max(0.0, t0 - time.time()))
        while time.time() < end:
            now = fmt_time(datetime.now())
            sale = pharmacy_sale_input(identity.cert, psn_no=identity.psn_no or "", insutype=identity.insutype or "",
                                       acct_used=False, drugdetail=price_basket(counter.basket(), catalog, now),
                                       fee_time=now)
            counter.forward_client.settlement("2102", sale, "drugdetail")
            answered.append(time.time())

    threads = [threading.Thread(target=hammer, args=(c,)) for c in counters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for c in counters:
        c.close()
    return {"answered": answered}


def ceiling(spec: dict[str, Any]) -> dict[str, Any]:
    """How fast this machine drains a chain's backlog with nothing else to do: every counter sells
    `backlog` sales offline, then at the go every forwarder finds the service and sends them, unpaced and
    with no cashier to give way to. The run's own drain is compared with this."""
    persons = demo_persons()
    folder = Path(spec["folder"])
    counters = [FleetCounter(n, folder / f"ceiling{n:04d}", spec["url"], spec["down_url"], persons, think_s=1.0,
                             voucher_share=0.0, seed=spec["seed"], give_way=False, probe_s=3600.0)
                for n in spec["counters"]]

    def queue(counter: FleetCounter) -> None:
        counter.open()
        counter.queue_offline(spec["backlog"])

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(queue, counters))
    queued = sum(c.backlog for c in counters)
    say("ready")
    t0 = float(sys.stdin.readline().split()[1])
    time.sleep(max(0.0, t0 - time.time()))
    for counter in counters:
        counter._network(up=True)  # the service is back: each forwarder probes it at once and drains
    deadline = time.time() + spec["final_drain_s"]
    while any(c.backlog for c in counters) and time.time() < deadline:
        time.sleep(0.02)
    drained_at = time.time()
    forwarded = [call[0] + call[1] for c in counters for who, infno, *call in c.record.calls
                 if who == "forwarder" and infno == "2102" and call[2] == "answered"]
    for c in counters:
        c.close()
    return {"queued": queued, "drained_at": drained_at, "forwarded": forwarded,
            "left": sum(c.backlog for c in counters)}


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    result = (calibrate(spec) if spec.get("calibrate") else ceiling(spec) if spec.get("ceiling")
              else run_counters(spec))
    Path(spec["out"]).write_text(json.dumps(result), encoding="utf-8")
    say("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
