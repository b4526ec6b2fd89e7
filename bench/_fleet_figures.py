"""The figures of bench/fleet.py from what its workers recorded: phases, throughput, latencies, the verdict."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

PHASES = ("before", "outage", "drain", "after")


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def spread(samples: list[float]) -> dict[str, float]:
    """p50, p99 and max in milliseconds, and how many."""
    return {"n": len(samples), "p50_ms": percentile(samples, 50) * 1000, "p99_ms": percentile(samples, 99) * 1000,
            "max_ms": max(samples, default=float("nan")) * 1000}


@dataclass(frozen=True)
class Timeline:
    t0: float
    down: float  # the service stopped
    up: float  # it answered again
    drained: float | None  # every counter's backlog empty again after `up` (None: not within the run)
    end: float  # the cashiers stopped

    def phase(self, at: float) -> str | None:
        if at < self.t0 or at >= self.end:
            return None
        if at < self.down:
            return "before"
        if at < self.up:
            return "outage"
        if self.drained is None or at < self.drained:
            return "drain"
        return "after"

    def seconds(self, phase: str) -> float:
        drained = self.drained if self.drained is not None else self.end
        bounds = {"before": (self.t0, self.down), "outage": (self.down, self.up), "drain": (self.up, drained),
                  "after": (drained, self.end)}[phase]
        return max(0.0, min(bounds[1], self.end) - bounds[0])


def figures(timeline: Timeline, sales: list[list[Any]], calls: list[list[Any]], capacity: float,
            backlog_at_up: int, checks: list[dict[str, Any]]) -> dict[str, Any]:
    """sales: [counter, started, seconds, kind, outcome, local_id]; calls: [counter, who, infno, at, s, outcome]."""
    out: dict[str, Any] = {"capacity_msgs_per_s": capacity, "backlog_at_end_of_outage": backlog_at_up}
    out["drain_s"] = (timeline.drained - timeline.up) if timeline.drained is not None else None
    answered = [c for c in calls if c[5] == "answered"]
    forwarded = [c for c in answered if c[1] == "forwarder" and c[2] == "2102"]
    phases: dict[str, Any] = {}
    for phase in PHASES:
        secs = timeline.seconds(phase)
        in_phase = [s for s in sales if timeline.phase(s[1]) == phase]
        msgs = [c for c in answered if timeline.phase(c[3] + c[4]) == phase]
        fwd = [c for c in forwarded if timeline.phase(c[3] + c[4]) == phase]
        cashier_calls = [c[4] for c in answered if c[1] == "cashier" and timeline.phase(c[3]) == phase]
        phases[phase] = {
            "seconds": secs, "sales": len(in_phase),
            "sales_per_s": len(in_phase) / secs if secs else 0.0,
            "messages_per_s": len(msgs) / secs if secs else 0.0,
            "forwarded_per_s": len(fwd) / secs if secs else 0.0,
            "sale_latency": spread([s[2] for s in in_phase]),
            "cashier_call_latency": spread(cashier_calls),
        }
    out["phases"] = phases
    total_s = timeline.end - timeline.t0
    out["overall"] = {"seconds": total_s, "sales": len(sales), "sales_per_s": len(sales) / total_s,
                      "messages_per_s": len([c for c in answered if timeline.t0 <= c[3] < timeline.end]) / total_s}
    drain = phases["drain"]
    out["drain_vs_capacity"] = drain["messages_per_s"] / capacity if capacity else None
    # The busiest whole second of the drain: how close the service came to its capacity at the drain's peak.
    per_second = Counter(int(c[3] + c[4]) for c in answered if timeline.phase(c[3] + c[4]) == "drain")
    out["drain_peak_msgs_per_s"] = max(per_second.values(), default=0)
    # Second by second from the moment the service answered again: the ramp while forwarders find it (their
    # probe, their cashier's first call), the middle, and the tail of the last backlogs.
    if timeline.drained is not None:
        bins = int(timeline.drained - timeline.up) + 1
        msgs_at, fwd_at = [0] * bins, [0] * bins
        for c in answered:
            at = c[3] + c[4] - timeline.up
            if 0 <= at < bins and timeline.phase(c[3] + c[4]) == "drain":
                msgs_at[int(at)] += 1
                fwd_at[int(at)] += c[1] == "forwarder" and c[2] == "2102"
        out["drain_timeline"] = [{"second": i, "messages": m, "forwarded": f} for i, (m, f)
                                 in enumerate(zip(msgs_at, fwd_at, strict=True))]
    per_infno: dict[str, Any] = {}
    for who in ("cashier", "forwarder"):
        by: dict[str, list[float]] = {}
        for c in answered:
            if c[1] == who:
                by.setdefault(c[2], []).append(c[4])
        per_infno[who] = {infno: spread(samples) for infno, samples in sorted(by.items())}
    out["latency_per_infno"] = per_infno
    out["sale_outcomes"] = dict(Counter(s[4] for s in sales))
    out["sales_by_kind"] = dict(Counter(s[3] for s in sales))
    out["call_errors"] = dict(Counter(f"{c[1]} {c[2]} {c[5]}" for c in calls if c[5] != "answered"))
    out["verdict"] = verdict(checks)
    return out


def verdict(checks: list[dict[str, Any]]) -> dict[str, Any]:
    """Every sale settled once: each counter's 3201/3202 agree, nothing left unsettled, nothing doubled."""
    bad = [c for c in checks if not c["agree"] or c["unresolved"] or c["service_duplicates"]
           or c["journal_missing_at_service"] or c["service_unknown_to_journal"] or c["msgid_duplicates"]
           or c["sold_not_settled"] or c["journal_settled"] != c["service_settlements"]]
    return {
        "counters": len(checks), "counters_failing": len(bad), "failing": bad[:5],
        "journal_settled": sum(c["journal_settled"] for c in checks),
        "service_settlements": sum(c["service_settlements"] for c in checks),
        "offline_sold": sum(c["offline_sold"] for c in checks),
        "duplicates": sum(c["service_duplicates"] for c in checks),
        "unresolved": sum(c["unresolved"] for c in checks),
        "sold_not_settled": sum(c["sold_not_settled"] for c in checks),
        "pass": not bad and bool(checks),
    }


def report(f: dict[str, Any], args: Any, qt: dict[str, Any] | None) -> list[str]:
    lines = [f"fleet: {args.counters} counters, {args.seconds:g} s, think {args.think:g} s, vouchers "
             f"{args.voucher_share:.0%}, own offline periods on {args.offline_share:.0%} of counters, chain-wide "
             f"outage at {args.outage_at:g} s for {args.outage_seconds:g} s, right of way and pacing "
             f"{'on' if not args.no_give_way else 'OFF'}, forwarder probe "
             f"{'every ' + format(args.probe, 'g') + ' s' if args.probe else 'as configured (3 s)'}, "
             f"counters' journals on {args.counter_disk or 'the disk of the service'}"]
    o = f["overall"]
    lines.append(f"  overall           {o['sales']} sales, {o['sales_per_s']:.1f} sales/s, "
                 f"{o['messages_per_s']:.0f} messages/s")
    lines.append(f"  service capacity  {f['capacity_msgs_per_s']:.0f} messages/s (2102 from 50 clients at once, "
                 "same service after the run)")
    lines.append(f"  machine           {os.cpu_count()} cores shared with whatever else runs: 1-min load average "
                 f"{f['load_average'][0]:.1f} when the sales started, {f['load_average'][1]:.1f} after")
    for name, phases in f["cpu"].items():
        lines.append(f"  CPU {name:<13} " + ", ".join(f"{phase} {share:.0%}" for phase, share in phases.items())
                     + " of one core")
    for phase, p in f["phases"].items():
        s, c = p["sale_latency"], p["cashier_call_latency"]
        lines.append(f"  {phase:<7} {p['seconds']:5.1f} s  {p['sales_per_s']:5.1f} sales/s  "
                     f"{p['messages_per_s']:5.0f} msgs/s (forwarded {p['forwarded_per_s']:4.0f}/s)  "
                     f"sale p50 {s['p50_ms']:6.0f} p99 {s['p99_ms']:6.0f} max {s['max_ms']:6.0f} ms; "
                     f"cashier call p50 {c['p50_ms']:5.1f} p99 {c['p99_ms']:6.1f} max {c['max_ms']:6.1f} ms")
    drain_s = f["drain_s"]
    ratio = f["drain_vs_capacity"]
    lines.append(f"  backlog at the end of the outage {f['backlog_at_end_of_outage']} sales; drained in "
                 + (f"{drain_s:.1f} s" if drain_s is not None else "(not within the run)")
                 + (f"; service at {ratio:.0%} of capacity while draining" if ratio is not None else "")
                 + f", {f['drain_peak_msgs_per_s']} msgs in its busiest second "
                 f"({f['drain_peak_msgs_per_s'] / f['capacity_msgs_per_s']:.0%})")
    if f.get("drain_timeline"):
        lines.append("  drain by second   messages (forwarded) in each second after the service answered again, "
                     "against capacity: " + ", ".join(
                         f"{b['messages']} ({b['forwarded']}) {b['messages'] / f['capacity_msgs_per_s']:.0%}"
                         for b in f["drain_timeline"]))
    ceiling = f.get("ceiling")
    if ceiling:
        drain = f["phases"]["drain"]
        lines.append(f"  drain ceiling     {ceiling['queued']} sales queued on {args.counters} counters, sent by "
                     f"unpaced forwarders with no cashier: {ceiling['seconds']:.1f} s, {ceiling['msgs_per_s']:.0f} "
                     f"msgs/s (busiest second {ceiling['peak']}); the run's drain moved {drain['messages_per_s']:.0f}"
                     f" msgs/s, {drain['messages_per_s'] / ceiling['msgs_per_s']:.0%} of that, cashiers included")
    for who, table in f["latency_per_infno"].items():
        lines.append(f"  {who} latency per infno: " + ", ".join(
            f"{infno} p50 {v['p50_ms']:.1f} p99 {v['p99_ms']:.1f} ms (n={v['n']})" for infno, v in table.items()))
    lines.append(f"  sale outcomes {f['sale_outcomes']}; by kind {f['sales_by_kind']}")
    lines.append(f"  call errors {f['call_errors'] or 'none'}")
    lines.append(f"  forwarder gave way {f.get('gave_way', 0)} times, {f.get('gave_way_s', 0.0):.1f} s in all")
    if qt is not None:
        lines.append("  Qt counter (offscreen, one of the fleet's): " + qt.get("summary", str(qt)))
    v = f["verdict"]
    lines.append(f"  3201/3202 per counter: {v['counters'] - v['counters_failing']}/{v['counters']} agree; "
                 f"{v['journal_settled']} settled in the journals, {v['service_settlements']} at the service "
                 f"({v['offline_sold']} sold offline), duplicates {v['duplicates']}, unresolved {v['unresolved']}, "
                 f"sold but not settled {v['sold_not_settled']}")
    for bad in v["failing"]:
        lines.append(f"  FAILING {bad}")
    lines.append(f"every sale settled once: {'PASS' if v['pass'] else 'FAIL'}")
    return lines
