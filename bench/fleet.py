"""A chain's load on the service: N simulated counters against one simulated service, through an outage.

    .venv/bin/python bench/fleet.py [--counters 200] [--seconds 60] [--outage-at 20] [--outage-seconds 15]
        [--think 4] [--voucher-share 0.3] [--offline-share 0.1] [--workers 4] [--seed 1] [--json FILE]
        [--probe S] [--no-give-way] [--no-qt]

One simulated settlement service (its own process, loopback, a free port, a fresh
database under /tmp/fleet_*) and N counters, each the real Station of the app
(its own SQLite journal, institution and msgid block, its cashier's client and
its forwarder's, the forwarder giving way to the cashier), as threads in
--workers processes; one more counter is the real Qt app (offscreen) whose event
loop's longest stall is measured. Each cashier sells by card or e-voucher with an
exponential think time (--think seconds on average). Some counters lose their
own network for a few seconds (--offline-share); in the middle the whole chain
loses the service (it is stopped, then started again on the same database and
port), the counters sell offline, and when it is back every forwarder drains its
backlog. Reported: sales/s and messages/s overall and per phase (before, outage,
drain, after), p50/p99 latency per infno, errors by kind, the backlog at the end
of the outage, the drain's time and the service's load then against its
capacity (measured after the run with the drain's message from 50 clients at
once) and against this machine's drain ceiling (as many counters with the same
backlog, forwarders unpaced, no cashiers), the cashier's latency per phase, and the
Qt counter's own sales and stalls. At the end every counter reconciles
with 3201 and 3202; "every sale settled once: PASS" or FAIL (exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _cpu import process_cpu_s  # noqa: E402
from _fleet_figures import Timeline, figures, report, spread  # noqa: E402

from terminal.sim.processes import ServiceProcess, free_loopback_port, start_settlement_service  # noqa: E402

CALIBRATION_CLIENTS = 50
CALIBRATION_S = 8.0


class Worker:
    """A worker process and what it printed: ready, ticks (the backlog), done."""

    def __init__(self, spec: dict[str, Any], folder: Path, name: str, script: str = "_fleet_worker.py") -> None:
        self.spec_path = folder / f"{name}.json"
        self.out = folder / f"{name}.out.json"
        self.spec_path.write_text(json.dumps({**spec, "out": str(self.out)}), encoding="utf-8")
        self.process = subprocess.Popen([sys.executable, str(REPO / "bench" / script),
                                         str(self.spec_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        cwd=REPO, text=True)
        self.ready = threading.Event()
        self.ticks: list[tuple[float, int]] = []  # the backlog of counters without an offline period of their own
        self.all_ticks: list[tuple[float, int]] = []  # every counter's
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                said = json.loads(line)
            except ValueError:
                print(line, end="", file=sys.stderr)
                continue
            if said["kind"] == "ready":
                self.ready.set()
            elif said["kind"] == "tick":
                self.ticks.append((said["t"], said["backlog"]))
                self.all_ticks.append((said["t"], said["all"]))

    def go(self, t0: float) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"go {t0}\n")
        self.process.stdin.flush()

    def result(self) -> dict[str, Any]:
        if self.process.wait() != 0:
            raise SystemExit(f"worker {self.spec_path.name} failed (exit {self.process.returncode})")
        self.reader.join()
        loaded: dict[str, Any] = json.loads(self.out.read_text(encoding="utf-8"))
        return loaded


def start_workers(spec: dict[str, Any], counters: list[int], workers: int, folder: Path, name: str, *,
                  qt: bool = False) -> list[Worker]:
    """The worker processes, each with its share of the counters; with `qt`, one more counter as the Qt app
    (the last worker). Returns when every one is ready."""
    started = [Worker({**spec, "counters": counters[w::workers]}, folder, f"{name}{w}") for w in range(workers)]
    if qt:
        started.append(Worker({**spec, "counters": [len(counters)]}, folder, "qt", "_fleet_qt.py"))
    for worker in started:
        while not worker.ready.wait(1.0):
            if worker.process.poll() is not None:
                raise SystemExit(f"worker {name}{started.index(worker)} exited before it was ready")
    return started


def backlog_at(workers: list[Worker], at: float, *, every: bool = False) -> int:
    """The fleet's backlog at the last tick of each worker before `at` (`every`: with the counters that also lose
    their own network)."""
    total = 0
    for worker in workers:
        seen = [b for t, b in (worker.all_ticks if every else worker.ticks) if t <= at]
        total += seen[-1] if seen else 0
    return total


def drained_after(workers: list[Worker], up: float) -> float | None:
    """The first whole second after `up` at which every worker's last tick showed an empty backlog."""
    times = sorted({round(t) for w in workers for t, _b in w.ticks if t > up})
    for t in times:
        if backlog_at(workers, t + 0.5) == 0:
            return float(t)
    return None


class ProcessCpu:
    """Each of the bench's processes' CPU time, sampled every second (/proc): the service's (one database
    thread answers, so about one core is its ceiling) and the counters' workers', per phase."""

    def __init__(self, service: ServiceProcess, workers: list[Worker]) -> None:
        self.service = service
        self.workers = workers
        self.samples: list[tuple[float, dict[str, tuple[int, float]]]] = []  # wall clock, name -> (pid, CPU s)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _pids(self) -> dict[str, int]:
        pids = {"service": self.service.process.pid}
        for worker in self.workers:
            pids[worker.spec_path.stem] = worker.process.pid
        return pids

    def _sample(self) -> None:
        while not self._stop.wait(1.0 - time.time() % 1.0):
            seen: dict[str, tuple[int, float]] = {}
            for name, pid in self._pids().items():
                try:
                    seen[name] = (pid, process_cpu_s(pid))
                except OSError:
                    continue  # stopped (the service in the outage) or finished
            self.samples.append((time.time(), seen))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def busy(self, timeline: Timeline) -> dict[str, dict[str, float]]:
        """Per process and phase, the share of one core it used."""
        used: dict[str, dict[str, float]] = {}
        for (t1, first), (t2, second) in zip(self.samples, self.samples[1:], strict=False):
            phase = timeline.phase((t1 + t2) / 2)
            for name, (pid, cpu) in second.items():
                if phase is not None and name in first and first[name][0] == pid:
                    used.setdefault(name, {})
                    used[name][phase] = used[name].get(phase, 0.0) + cpu - first[name][1]
        return {name: {phase: secs_used / secs for phase, secs_used in phases.items()
                       if (secs := timeline.seconds(phase))} for name, phases in used.items()}


def stalls(timeline: Timeline, qt: dict[str, Any]) -> dict[str, Any]:
    """The Qt counter's longest event-loop stall in each phase (from the worst of each second), beside the
    longest lateness of a plain thread of the same process in the same phase (the machine's share)."""
    def per_phase(worst_per_second: dict[str, float]) -> dict[str, float]:
        worst: dict[str, float] = {}
        for second, late_ms in worst_per_second.items():
            phase = timeline.phase(int(second) + 0.5)
            if phase is not None:
                worst[phase] = max(worst.get(phase, 0.0), late_ms)
        return worst

    gui, plain = per_phase(qt["worst_per_second"]), per_phase(qt["control_worst_per_second"])
    # The seconds the GUI thread was late by more than 50 ms, and how late the plain thread was then.
    slow = sorted((late, plain_late) for second, late in qt["worst_per_second"].items() if late > 50
                  and timeline.phase(int(second) + 0.5) is not None
                  for plain_late in [qt["control_worst_per_second"].get(second, 0.0)])
    text = ", ".join(f"{phase} {gui[phase]:.1f} ms (plain thread {plain.get(phase, 0.0):.1f} ms)"
                     for phase in ("before", "outage", "drain", "after") if phase in gui)
    # Its sales, in a process of its own as on a counter PC (the fleet's share a process a hundred at a time).
    sale_ms = {phase: spread([sale[2] for sale in qt["sales"] if timeline.phase(sale[1]) == phase])
               for phase in ("before", "outage", "drain", "after")}
    sold = ", ".join(f"{phase} p50 {v['p50_ms']:.0f} max {v['max_ms']:.0f} ms" for phase, v in sale_ms.items()
                     if v["n"])
    return {"longest_stall_ms": gui, "plain_thread_ms": plain, "probe_ticks": qt["ticks"], "sales": len(qt["sales"]),
            "seconds_over_50ms": slow, "sale_latency": sale_ms,
            "summary": f"longest event-loop stall per phase: {text}; {len(slow)} seconds with a stall over 50 ms "
                       f"({qt['ticks']} probe ticks of 2 ms, {len(qt['sales'])} sales at this counter); "
                       f"its sales took {sold}"}


def calibrate(args: argparse.Namespace, base: dict[str, Any], folder: Path) -> float:
    """Answers per second of the drain's message (2102) from 50 clients at once, the middle of an 8 s run."""
    spec = {**base, "calibrate": True, "seconds": CALIBRATION_S}
    workers = start_workers(spec, list(range(10_000, 10_000 + CALIBRATION_CLIENTS)), args.workers, folder, "calib")
    t0 = time.time() + 0.5
    for worker in workers:
        worker.go(t0)
    answered = [t for worker in workers for t in worker.result()["answered"]]
    window = (t0 + 2.0, t0 + CALIBRATION_S - 1.0)  # without the ramp up and the last partial second
    return sum(1 for t in answered if window[0] <= t < window[1]) / (window[1] - window[0])


def drain_ceiling(args: argparse.Namespace, base: dict[str, Any], folder: Path, per_counter: int) -> dict[str, Any]:
    """The fastest this machine drains the run's backlog: as many counters, each with the run's backlog per
    counter queued, forwarders unpaced and no cashier selling. The service's capacity is measured with light
    clients; this is what two hundred real forwarders, sharing the service's two cores, can send it."""
    spec = {**base, "ceiling": True, "backlog": per_counter}
    workers = start_workers(spec, list(range(20_000, 20_000 + args.counters)), args.workers, folder, "ceiling")
    t0 = time.time() + 0.5
    for worker in workers:
        worker.go(t0)
    results = [worker.result() for worker in workers]
    seconds = max(r["drained_at"] for r in results) - t0
    forwarded = [t for r in results for t in r["forwarded"]]
    return {"queued": sum(r["queued"] for r in results), "left": sum(r["left"] for r in results),
            "seconds": seconds, "msgs_per_s": len(forwarded) / seconds if seconds > 0 else 0.0,
            "peak": max(Counter(int(t) for t in forwarded).values(), default=0)}


def outage(service: ServiceProcess, port: int, db: Path, at: float, seconds: float) -> tuple[ServiceProcess, float,
                                                                                                float]:
    """The service stopped at `at` (wall clock) and started again `seconds` later; the times it went and came."""
    time.sleep(max(0.0, at - time.time()))
    service.stop()
    down = time.time()
    time.sleep(max(0.0, at + seconds - time.time()))
    back = start_settlement_service(db, port=port, plain_catalog=True, log=db.with_suffix(".log"))
    return back, down, time.time()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counters", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--outage-at", type=float, default=20.0, help="seconds into the run the service goes")
    parser.add_argument("--outage-seconds", type=float, default=15.0)
    parser.add_argument("--think", type=float, default=4.0, help="mean seconds between a counter's sales")
    parser.add_argument("--voucher-share", type=float, default=0.3, help="share of sales by e-voucher")
    parser.add_argument("--offline-share", type=float, default=0.1,
                        help="share of counters that lose their own network for a few seconds")
    # 4 rather than 2: fifty counters' threads to an interpreter instead of a hundred spend less of each
    # message's CPU queueing for the GIL. Run B of docs/operations.md drained at 44% of the service's capacity
    # with 2 (the workers at 1.21 cores for 577 msgs/s) and 66-71% with 4 (1.24 cores for 702-761 msgs/s).
    parser.add_argument("--workers", type=int, default=4, help="processes the counters run in, as threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    parser.add_argument("--no-give-way", action="store_true",
                        help="the forwarders neither give way to their cashier nor pace themselves (comparison)")
    parser.add_argument("--no-qt", action="store_true", help="without the real Qt counter")
    parser.add_argument("--probe", type=float, default=None,
                        help="offline.probe_interval_s of every counter (default: the product's, 3 s): how soon a "
                             "forwarder whose cashier is not selling learns that the service is back")
    parser.add_argument("--final-drain", type=float, default=120.0, help="seconds allowed to drain after the run")
    parser.add_argument("--counter-disk", default="/dev/shm" if os.path.isdir("/dev/shm") else "",
                        help="folder the counters' journals go in (default /dev/shm, a RAM disk; '' puts them beside "
                             "the service's database): in the field each counter PC syncs its journal to a disk of "
                             "its own, and two hundred journals syncing to this machine's one disk would measure "
                             "that disk, not the service")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fleet_", dir="/tmp"))
    counters_folder = Path(tempfile.mkdtemp(prefix="fleet_counters_", dir=args.counter_disk)) if args.counter_disk \
        else folder
    db = folder / "service.db"
    port = free_loopback_port()
    service = start_settlement_service(db, port=port, plain_catalog=True)
    rng = random.Random(args.seed)
    offline: dict[int, tuple[float, float]] = {}
    for n in rng.sample(range(args.counters), round(args.counters * args.offline_share)):
        offline[n] = (rng.uniform(2.0, max(2.0, args.seconds - 10.0)), rng.uniform(3.0, 8.0))
    base = {"url": service.url, "down_url": f"http://127.0.0.1:{free_loopback_port()}",
            "folder": str(counters_folder),
            "think_s": args.think, "voucher_share": args.voucher_share, "seed": args.seed,
            "give_way": not args.no_give_way, "probe_s": args.probe, "seconds": args.seconds,
            "final_drain_s": args.final_drain}
    qt = None
    try:
        print(f"opening {args.counters} counters in {args.workers} processes ({folder})", flush=True)
        workers = start_workers({**base, "offline_periods": {str(n): p for n, p in offline.items()}},
                                list(range(args.counters)), args.workers, folder, "worker", qt=not args.no_qt)
        t0 = time.time() + 1.0
        for worker in workers:
            worker.go(t0)
        print(f"selling for {args.seconds:g} s; the service goes at {args.outage_at:g} s for "
              f"{args.outage_seconds:g} s", flush=True)
        cpu = ProcessCpu(service, workers)
        load_before = os.getloadavg()[0]
        cpu.service, down, up = outage(service, port, db, t0 + args.outage_at, args.outage_seconds)
        service = cpu.service
        results = [worker.result() for worker in workers]
        cpu.stop()
        load_after = os.getloadavg()[0]
        end = t0 + args.seconds
        fleet_workers = workers[:args.workers]  # the Qt counter's backlog is not in the ticks: it has no ticker
        timeline = Timeline(t0, down, up, drained_after(fleet_workers, up), end)
        if not args.no_qt:
            qt = stalls(timeline, results[-1])
        print(f"verified; measuring the service's capacity ({CALIBRATION_CLIENTS} clients, {CALIBRATION_S:g} s)",
              flush=True)
        capacity = calibrate(args, base, folder)
        backlog = backlog_at(fleet_workers, up + 0.5, every=True)
        print(f"measuring how fast this machine drains {backlog} queued sales with nothing else to do", flush=True)
        ceiling = drain_ceiling(args, base, folder, max(1, round(backlog / args.counters)))
    finally:
        service.stop()
    sales = [s for r in results for s in r["sales"]]
    calls = [c for r in results for c in r["calls"]]
    checks = [c for r in results for c in r["checks"]]
    out = figures(timeline, sales, calls, capacity, backlog, checks)
    out["ceiling"] = ceiling
    out["gave_way"] = sum(r["gave_way"] for r in results)
    out["gave_way_s"] = sum(r["gave_way_s"] for r in results)
    out["backlog_left_after_final_drain"] = sum(r["backlog_left"] for r in results)
    out["qt"] = qt
    out["cpu"] = cpu.busy(timeline)
    out["load_average"] = (load_before, load_after)
    out["args"] = {k: str(v) for k, v in vars(args).items()}
    for line in report(out, args, qt):
        print(line)
    if args.json is not None:
        args.json.write_text(json.dumps(out, indent=2, default=str), encoding="utf-8")
    if not os.environ.get("FLEET_KEEP"):
        subprocess.run(["rm", "-rf", str(folder), str(counters_folder)], check=False)
    return 0 if out["verdict"]["pass"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
