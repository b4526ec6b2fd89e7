"""Running the real simulated settlement service for tests: a subprocess on a free loopback port."""

from __future__ import annotations

import contextlib
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

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
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


def start_service(db: Path, *extra: str, port: int | None = None, log: Path | None = None) -> ServiceProcess:
    port = port or free_port()
    log = log or db.with_suffix(".log")
    out = log.open("ab")
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sim", "settlement", "--host", "127.0.0.1", "--port", str(port),
             "--db", str(db), *extra],
            cwd=REPO, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    finally:
        out.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"settlement service exited: {log.read_text(errors='replace')}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url + "/health", timeout=1).json().get("status") == "ok":
                return ServiceProcess(url, db, process, log)
        time.sleep(0.05)
    process.kill()
    process.wait(timeout=10)
    raise RuntimeError(f"settlement service did not start: {log.read_text(errors='replace')}")


def stop_service(service: ServiceProcess) -> None:
    if service.process.poll() is None:
        service.process.terminate()
        try:
            service.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.process.kill()
            service.process.wait(timeout=10)


@contextlib.contextmanager
def running_service(db: Path, *extra: str) -> Iterator[ServiceProcess]:
    service = start_service(db, *extra)
    try:
        yield service
    finally:
        stop_service(service)
