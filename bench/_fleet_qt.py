"""One counter of bench/fleet.py as the real Qt app (offscreen), to measure its event loop through the outage.

    python bench/_fleet_qt.py SPEC.json      (started by bench/fleet.py)

The app is opened on the fleet counter's own Station (open_counter(station=...)),
the operator signs in through the sign-in screen (9001), and the counter sits on
its checkout screen while a cashier thread sells through the station's checkout
with the fleet's mix and four times their pace (not by keys: the sale's own screens are
bench/ui_stall.py's subject; here the GUI thread hears what the outage and the
drain make: every journal change, the forwarder's progress, the service light).
A timer on the GUI thread fires every 2 ms; how late each firing comes is the
stall at that moment, kept as the worst per second for the driver's phases.
Same protocol as _fleet_worker.py: "ready", then "go T0", then its out file.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from _fleet_counter import FleetCounter, demo_persons  # noqa: E402
from _fleet_worker import say, verify_station  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from ui_stall import Probe  # noqa: E402

from terminal.ui.app import open_counter, qt_application  # noqa: E402

PROBE_MS = 2
# The Qt counter is the chain's busiest (four times the others' sales), so its screens hear a drain of some
# size, not the handful of sales an average counter queues in the outage.
QT_BUSIER = 4.0


class SecondProbe(Probe):
    """The probe, keeping the worst lateness of each wall-clock second (the driver cuts them into phases)."""

    def __init__(self, interval_ms: int) -> None:
        self.worst: dict[int, float] = {}
        super().__init__(interval_ms)

    def _fired(self) -> None:
        super()._fired()
        second = int(time.time())
        self.worst[second] = max(self.worst.get(second, 0.0), self.lateness_ms[-1])


def control_probe(worst: dict[int, float], stop: threading.Event) -> None:
    """A plain thread of the same process sleeping PROBE_MS at a time: how late it wakes is what the machine
    (2 shared cores) and the interpreter's lock cost any thread then. A stall of the GUI thread that this
    thread shares was no work of the GUI's."""
    while not stop.is_set():
        before = time.perf_counter()
        time.sleep(PROBE_MS / 1000)
        late = max(0.0, (time.perf_counter() - before) * 1000 - PROBE_MS)
        second = int(time.time())
        worst[second] = max(worst.get(second, 0.0), late)


def spin(app: QApplication, until: Any, timeout_s: float, what: str) -> None:
    """Run the event loop until `until()` holds, checked every 50 ms: the loop blocks between events as the
    app's own does (a processEvents spin would burn a core the fleet needs)."""
    deadline = time.monotonic() + timeout_s
    loop = QEventLoop()
    check = QTimer()

    def checked() -> None:
        if until() or time.monotonic() > deadline:
            loop.quit()

    check.timeout.connect(checked)
    check.start(50)
    if not until():
        loop.exec()
    check.stop()
    if not until():
        raise SystemExit(f"Qt counter: timed out waiting for {what}")


def main() -> int:
    spec = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    n = spec["counters"][0]
    persons = demo_persons()
    fleet = FleetCounter(n, Path(spec["folder"]) / f"qt{n:04d}", spec["url"], spec["down_url"], persons,
                         think_s=spec["think_s"] / QT_BUSIER, voucher_share=spec["voucher_share"], seed=spec["seed"],
                         give_way=spec["give_way"], probe_s=spec.get("probe_s"))
    app = qt_application()
    counter = open_counter(fleet.settings, station=fleet.station)
    spin(app, lambda: fleet.station.checkout is not None, 60, "the journal")
    signin = counter.screens.signin
    signin.opter.setText("0001")
    signin.pin.setText("1111")
    signin.submit()
    spin(app, lambda: counter.screens.window.current is counter.screens.checkout, 60, "the sign-in")
    spin(app, lambda: counter.till.catalog is not None, 60, "the price list")
    learnt = threading.Thread(target=fleet.learn)
    learnt.start()
    spin(app, lambda: not learnt.is_alive(), 60, "the customers")
    say("ready")
    t0 = float(sys.stdin.readline().split()[1])
    end = t0 + spec["seconds"]
    probe = SecondProbe(PROBE_MS)
    cashier = threading.Thread(target=fleet.sell_until, args=(end, None), name="qt-cashier")
    spin(app, lambda: time.time() >= t0, 60, "the start")
    control: dict[int, float] = {}
    stop_control = threading.Event()
    threading.Thread(target=control_probe, args=(control, stop_control), daemon=True).start()
    probe.start()
    cashier.start()
    spin(app, lambda: not cashier.is_alive(), spec["seconds"] + 120, "the cashier")

    def left() -> int:
        rows = fleet.station.journal.run(lambda t: t.where("state IN ('offline-queued', 'forwarding')"))
        return len(rows)

    deadline = time.time() + spec["final_drain_s"]
    while left() and time.time() < deadline:
        fleet.station.forwarder.wake()
        pause = time.monotonic() + 0.5
        spin(app, lambda pause=pause: time.monotonic() >= pause, 5, "a pause")
    probe.stop()
    stop_control.set()
    checks = [verify_station(n, fleet.station, fleet.cashier_client, fleet.record.sales, date.today().isoformat())]
    result = {"worst_per_second": probe.worst, "control_worst_per_second": control, "ticks": len(probe.lateness_ms),
              "checks": checks,
              "sales": [[n, s.started, s.seconds, s.kind, s.outcome, s.local_id] for s in fleet.record.sales],
              "calls": [[n, *call] for call in fleet.record.calls], "gave_way": fleet.right_of_way.gave_way,
              "gave_way_s": fleet.right_of_way.waited_s, "drained_at": time.time(), "backlog_left": left()}
    counter.close()
    Path(spec["out"]).write_text(json.dumps(result), encoding="utf-8")
    say("done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
