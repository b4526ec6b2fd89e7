"""Running simulators as child processes on loopback (demo, benchmarks, tests)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent.parent
PLAIN_CATALOG_NAME = "plain-catalog.json"


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServiceProcess:
    url: str
    db: Path
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as in a power cut."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def plain_catalog_file(folder: Path) -> Path:
    """The demo catalog without the pharmacy rules, written as `folder`/plain-catalog.json; its path.

    A catalog made before the rules has no rx_flag, trac_required or max_cnt_per_sale, and the service
    then settles as it always did. Tests and benchmarks that are not about the rules start the service
    on this file (`--catalog`, or `plain_catalog=True` below), so their sales need no traceability codes
    or prescription numbers; prices, classes and barcodes are the demo catalog's.
    """
    from terminal.catalog import load_catalog

    path = folder / PLAIN_CATALOG_NAME
    entries = load_catalog().without_pharmacy_rules().to_json()
    # Written whole then renamed: a service starting beside another never reads half a file.
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def start_settlement_service(db: Path, *extra: str, port: int | None = None, log: Path | None = None,
                             startup_timeout_s: float = 20.0, plain_catalog: bool = False) -> ServiceProcess:
    """Start `python -m terminal sim settlement` on 127.0.0.1 and wait until it answers.

    `plain_catalog`: on the demo catalog without the pharmacy rules (plain_catalog_file, beside `db`). The
    service loads its catalog at every start, so a restart on the same database passes it again.
    """
    if plain_catalog:
        extra = ("--catalog", str(plain_catalog_file(db.parent)), *extra)
    port = port or free_loopback_port()
    log = log or db.with_suffix(".log")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sim", "settlement", "--host", "127.0.0.1", "--port", str(port),
             "--db", str(db), *extra],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
            # Its JSON log lines in its own log too (appended, as its output is), whatever the caller's are.
            env={**os.environ, "PYTHONUNBUFFERED": "1", "TERMINAL_LOG_FILE": str(log)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"settlement service exited: {log.read_text(errors='replace')}")
        with contextlib.suppress(requests.RequestException, ValueError):
            if requests.get(url + "/health", timeout=1).json().get("status") == "ok":
                return ServiceProcess(url, db, process, log)
        time.sleep(0.05)
    process.kill()
    process.wait(timeout=10)
    raise RuntimeError(f"settlement service did not start: {log.read_text(errors='replace')}")


@contextlib.contextmanager
def running_settlement_service(db: Path, *extra: str, plain_catalog: bool = False) -> Iterator[ServiceProcess]:
    service = start_settlement_service(db, *extra, plain_catalog=plain_catalog)
    try:
        yield service
    finally:
        service.stop()
