"""A technician's bench as the package sets it up: the four simulator units and terminal-bench.json.

The simulators are started with the very command lines of their units (paths and ports moved to this
test's own), and `doctor` on the bench configuration (moved the same way) reports every check ok.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from test_packaging import unit

from terminal.sim.processes import free_loopback_port

REPO = Path(__file__).resolve().parent.parent
SIMULATORS = ("counter-settlement-sim", "counter-card-reader-sim", "counter-scanner-sim", "counter-camera-sim")


def moved(text: str, places: dict[str, str]) -> str:
    for old, new in places.items():
        text = text.replace(old, new)
    return text


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[dict[str, str]]:
    places = {
        "/opt/counter-terminal/venv/bin/python": sys.executable,
        "/run/counter-sim": str(tmp_path / "run"),
        "/var/lib/counter-settlement-sim": str(tmp_path / "service"),
        "/var/lib/counter-terminal": str(tmp_path / "state"),
        "/usr/share/counter-terminal/sim/scanner-codes.txt": str(REPO / "packaging/deb/scanner-codes.txt"),
        "127.0.0.1:8080": f"127.0.0.1:{free_loopback_port()}",
        "127.0.0.1:8554": f"127.0.0.1:{free_loopback_port()}",
    }
    # The units' port options, moved with the addresses above.
    service_port, camera_port = (places[k].rsplit(":", 1)[1] for k in ("127.0.0.1:8080", "127.0.0.1:8554"))
    places["--port 8080"] = f"--port {service_port}"
    places["--port 8554"] = f"--port {camera_port}"
    places["--control-port 8765"] = f"--control-port {free_loopback_port()}"
    for folder in ("run", "service", "state"):
        (tmp_path / folder).mkdir()
    processes = []
    try:
        for name in SIMULATORS:
            (command,) = unit(name)["ExecStart"]
            processes.append(subprocess.Popen(shlex.split(moved(command, places)), cwd=tmp_path,
                                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL))
        config = tmp_path / "terminal.json"
        config.write_text(moved((REPO / "packaging/deb/terminal-bench.json").read_text(encoding="utf-8"), places))
        ready = {"service": f"http://127.0.0.1:{service_port}/health", "card reader": tmp_path / "run/card-reader",
                 "scanner": tmp_path / "run/scanner", "camera": f"http://127.0.0.1:{camera_port}/"}
        deadline = time.monotonic() + 60
        while not all(_up(what) for what in ready.values()):
            assert time.monotonic() < deadline, "the simulators did not come up"
            assert all(p.poll() is None for p in processes), "a simulator exited"
            time.sleep(0.2)
        yield {"config": str(config), "state": str(tmp_path / "state")}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _up(what: Path | str) -> bool:
    if isinstance(what, Path):
        return what.exists()
    try:
        # The camera streams without end: the headers are enough.
        requests.get(what, timeout=1, stream=True).close()
    except requests.RequestException:
        return False
    return True


@pytest.mark.slow
def test_doctor_on_the_simulator_units_reports_every_check_ok(bench: dict[str, str]) -> None:
    env = {**os.environ, "TERMINAL_STATE_DIR": bench["state"], "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "terminal", "doctor", "--config", bench["config"], "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = json.loads(done.stdout)
    assert [(r["check"], r["status"]) for r in rows if r["status"] != "ok"] == [], rows
    found = {r["check"]: r["detail"] for r in rows}
    assert "answers STATUS" in found["card_reader"] and "accepted" in found["service.signature"]
    assert "frames/s" in found["camera"] and "opens" in found["serial_scanner"]
