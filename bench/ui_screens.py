"""How fast the counter opens, and how fast each screen opens.

    .venv/bin/python bench/ui_screens.py [--runs 5]

- start-up: a fresh `python` process (as `python -m terminal run` starts) until the
  sign-in screen has painted, measured by the process itself from its first line;
  the journal opens and the devices start after that, on the network worker
  (target under 1.5 s);
- each screen: from the key (or the event) that opens it until it has painted:
  sign-in to checkout, F11 queue, Esc back, the lock screen, the language switch
  at sign-in (which builds every widget again), the customer display (target
  under 100 ms each).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STARTUP_TARGET_S = 1.5
SCREEN_TARGET_MS = 100.0

# Run in a child process: the clock starts before anything is imported.
CHILD = r"""
import time
T0 = time.perf_counter()
import dataclasses, json, os, sys, tempfile
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from terminal.settings import load_settings
from terminal.ui.app import open_counter

class Painted(QObject):
    def __init__(self):
        super().__init__()
        self.at = None
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False

def until_painted(app, widget, action):
    spy = Painted()
    widget.installEventFilter(spy)
    start = time.perf_counter()
    action()
    while spy.at is None and time.perf_counter() - start < 5:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    widget.removeEventFilter(spy)
    return ((spy.at or time.perf_counter()) - start) * 1000

state = tempfile.mkdtemp(prefix="ui-screens-")
os.environ["TERMINAL_STATE_DIR"] = state
base = load_settings()
settings = dataclasses.replace(
    base, service=dataclasses.replace(base.service, url="http://127.0.0.1:9"),  # nothing listens: offline
    devices=dataclasses.replace(base.devices, card_reader=dataclasses.replace(base.devices.card_reader, port=None)),
    offline=dataclasses.replace(base.offline, journal=state + "/journal.db"),
    counter=dataclasses.replace(base.counter, customer_display="off"))
spy = Painted()
from terminal.ui.app import qt_application
app = qt_application()
counter = open_counter(settings)
signin = counter.screens.signin
signin.installEventFilter(spy)
while spy.at is None and time.perf_counter() - T0 < 10:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
startup = spy.at - T0
while counter.station.checkout is None and time.perf_counter() - T0 < 20:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
screens = counter.screens
counter.session.operator = counter.session.book.get("0001")  # signed in (the PIN check is its own worker's)
times = {}
times["sign-in to checkout"] = until_painted(app, screens.checkout, screens.open_checkout)
times["F11 queue"] = until_painted(app, screens.queue, lambda: QTest.keyClick(screens.checkout.entry, Qt.Key.Key_F11))
times["Esc back to checkout"] = until_painted(
    app, screens.checkout, lambda: QTest.keyClick(screens.queue.table, Qt.Key.Key_Escape))
times["lock screen"] = until_painted(app, screens.signin, counter.lock)
start = time.perf_counter()
counter.set_language("en")
new = counter.screens
p = Painted(); new.signin.installEventFilter(p)
while p.at is None and time.perf_counter() - start < 5:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
times["language switch (every widget again)"] = ((p.at or time.perf_counter()) - start) * 1000
from terminal.ui.customer_display import CustomerDisplay
start = time.perf_counter()
display = CustomerDisplay(counter.till)
p2 = Painted(); display.installEventFilter(p2)
display.place(None)
while p2.at is None and time.perf_counter() - start < 5:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
times["customer display"] = ((p2.at or time.perf_counter()) - start) * 1000
display.close()
counter.close()
print(json.dumps({"startup_s": startup, "screens_ms": times}))
os._exit(0)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    startups: list[float] = []
    screens: dict[str, list[float]] = {}
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, "-c", CHILD, str(REPO)], capture_output=True, text=True,
                              timeout=120, check=False, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if done.returncode != 0 or not lines:
            print(done.stdout, done.stderr, file=sys.stderr)
            return 1
        result = json.loads(lines[-1])
        startups.append(result["startup_s"])
        for name, ms in result["screens_ms"].items():
            screens.setdefault(name, []).append(ms)
    ok = max(startups) < STARTUP_TARGET_S
    print(f"start-up to a painted sign-in screen: median {statistics.median(startups):.2f} s, "
          f"max {max(startups):.2f} s over {args.runs} starts (target < {STARTUP_TARGET_S:g} s)")
    for name, values in screens.items():
        ok = ok and max(values) < SCREEN_TARGET_MS
        print(f"  {name:<40} median {statistics.median(values):6.1f} ms, max {max(values):6.1f} ms")
    print(f"slowest screen {max(max(v) for v in screens.values()):.1f} ms (target < {SCREEN_TARGET_MS:g} ms): "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
