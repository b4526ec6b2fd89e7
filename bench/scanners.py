"""Scanner figures: serial line latency over a real pty, wedge and routing cost.

    .venv/bin/python bench/scanners.py [--codes N] [--baudrate B] [--json]

- serial: the simulator plays N codes (alternating a signed e-voucher of ~250 bytes
  and an EAN-13) into a pty at the given baud rate; the reader (SerialScanner, its
  own thread) delivers each line. Latency is from the moment the simulator wrote
  the code's last byte to the moment the line reached the callback. The wire time
  is what the bytes need at the baud rate (10 bits a byte); "total / wire" compares
  the whole run with the time the bytes alone need.
- wedge: microseconds per key event fed to the keyboard-wedge classifier (a mix of
  scans and typing).
- routing: microseconds per route_scan of an EAN-13 and of an e-voucher verified
  with the demo issuer key.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from terminal import voucher  # noqa: E402
from terminal.devices.scan_codes import route_scan  # noqa: E402
from terminal.devices.serial_scanner import ScannedLine, ScannerEvent, serial_scanner_from_settings  # noqa: E402
from terminal.devices.wedge import WedgeClassifier  # noqa: E402
from terminal.settings import SerialScannerSettings  # noqa: E402
from terminal.sim.scanner import Code, ScannerSim  # noqa: E402

CONFIG = REPO / "config"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_serial(count: int, baudrate: int) -> dict[str, Any]:
    key = voucher.load_private_key(CONFIG / "demo-issuer-key.pem")
    now = int(time.time())
    texts = [voucher.issue_voucher(key, f"1200000000000000{i:04d}", now=now) if i % 2 == 0
             else "6901070202353" for i in range(count)]
    sent_at: dict[int, float] = {}
    arrived: list[tuple[float, str]] = []
    done = threading.Event()

    def report(event: dict[str, Any]) -> None:
        if event["event"] == "sent":
            sent_at[event["index"]] = time.perf_counter()

    def on_line(event: ScannerEvent) -> None:
        if isinstance(event, ScannedLine):
            arrived.append((time.perf_counter(), event.text))
            if len(arrived) == count:
                done.set()

    with tempfile.TemporaryDirectory() as tmp:
        link = Path(tmp) / "scanner"
        sim = ScannerSim(link, interval_s=0.0, baudrate=baudrate, report=report, linger_s=2.0)
        with sim:
            reader = serial_scanner_from_settings(
                SerialScannerSettings(port=str(link), baudrate=baudrate, read_timeout_s=0.05), on_event=on_line)
            with reader:
                player = threading.Thread(target=sim.play, args=([Code(t.encode()) for t in texts],))
                start = time.perf_counter()
                player.start()
                done.wait(60)
                total = time.perf_counter() - start
                player.join(10)
    assert [t for _, t in arrived] == texts, "lines arrived wrong or incomplete"
    latencies = [(arrived[i][0] - sent_at[i]) * 1000 for i in range(count)]
    wire_s = sum(len(t) + 1 for t in texts) * 10 / baudrate
    return {
        "codes": count, "baudrate": baudrate,
        "latency_ms_median": statistics.median(latencies),
        "latency_ms_p95": percentile(latencies, 95),
        "latency_ms_max": max(latencies),
        "total_s": total, "wire_s": wire_s, "total_over_wire": total / wire_s,
    }


def bench_wedge(rounds: int = 2000) -> dict[str, Any]:
    clf = WedgeClassifier()
    events: list[tuple[str, int]] = []
    t = 0
    for _ in range(rounds):
        for ch in "6901070202353":
            events.append((ch, t))
            t += 4
        events.append(("Enter", t))
        t += 500
        for ch in "hello":
            events.append((ch, t))
            t += 120
        t += 500
    start = time.perf_counter()
    scans = 0
    for key, when in events:
        scans += len(clf.feed(key, when).scans)
    elapsed = time.perf_counter() - start
    assert scans == rounds
    return {"keys": len(events), "us_per_key": elapsed / len(events) * 1e6}


def bench_routing(rounds: int = 2000) -> dict[str, Any]:
    key = voucher.load_private_key(CONFIG / "demo-issuer-key.pem")
    public = voucher.load_public_key(CONFIG / "demo-issuer-key.pub.pem")
    now = int(time.time())
    text = voucher.issue_voucher(key, "12000000000000000001", now=now)
    start = time.perf_counter()
    for _ in range(rounds):
        route_scan("6901070202353")
    ean13 = (time.perf_counter() - start) / rounds * 1e6
    start = time.perf_counter()
    for _ in range(rounds):
        route_scan(text, public_key=public, now=now)
    verified = (time.perf_counter() - start) / rounds * 1e6
    return {"us_per_ean13": ean13, "us_per_voucher_verified": verified}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--codes", type=int, default=40, help="codes to play over the pty (default 40)")
    parser.add_argument("--baudrate", type=int, default=9600, help="baud rate of the pty line (default 9600)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    figures = {"serial": bench_serial(args.codes, args.baudrate), "wedge": bench_wedge(),
               "routing": bench_routing()}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    s, w, r = figures["serial"], figures["wedge"], figures["routing"]
    print(f"serial scanner over a pty, {s['codes']} codes at {s['baudrate']} baud")
    print(f"  {'latency after last byte, median':34} {s['latency_ms_median']:8.2f} ms")
    print(f"  {'latency after last byte, p95':34} {s['latency_ms_p95']:8.2f} ms")
    print(f"  {'latency after last byte, max':34} {s['latency_ms_max']:8.2f} ms")
    print(f"  {'total time / wire time':34} {s['total_over_wire']:8.3f}  "
          f"({s['total_s']:.2f} s / {s['wire_s']:.2f} s)")
    print("keyboard wedge classifier")
    print(f"  {'per key event':34} {w['us_per_key']:8.2f} us  ({w['keys']} keys)")
    print("routing (route_scan)")
    print(f"  {'EAN-13':34} {r['us_per_ean13']:8.2f} us")
    print(f"  {'e-voucher, signature verified':34} {r['us_per_voucher_verified']:8.2f} us")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
