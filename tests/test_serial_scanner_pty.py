"""The serial scanner reader against the real simulator over real ptys, and over socat pairs.

Each test starts `python -m terminal sim scanner` (or socat) itself and stops it, so the
driver, the command line and the pty plumbing are exercised exactly as a technician
would use them.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import serial
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from device_helpers import wait_state

from terminal import voucher
from terminal.devices.device import DeviceState, EventLog, StateChanged
from terminal.devices.scan_codes import (
    BarcodeMisread,
    DrugBarcodeScan,
    NotAVoucherCode,
    ScanTooLong,
    TraceabilityScan,
    UnreadableScan,
    VoucherScan,
    route_scan,
)
from terminal.devices.serial_scanner import (
    ScannedLine,
    ScannerEvent,
    ScanRejected,
    serial_scanner_from_settings,
)
from terminal.errors import TerminalError
from terminal.settings import SerialScannerSettings

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
NOW = int(time.time())


class SimProcess:
    """`python -m terminal sim scanner ...` as a child process with its JSON progress lines."""

    def __init__(self, *args: str, stdin: bool = False) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sim", "scanner", *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        )
        self._buffer = b""

    def next_event(self, timeout: float = 10) -> dict[str, Any]:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [], max(0.0, left))
            if not ready:
                raise AssertionError("the simulator printed nothing in time")
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise AssertionError("the simulator ended without printing its progress")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        event: dict[str, Any] = json.loads(line)
        return event

    def wait_for(self, name: str, timeout: float = 10) -> dict[str, Any]:
        while True:
            event = self.next_event(timeout)
            if event["event"] == name:
                return event

    def close_stdin(self) -> None:
        """End of typed input (communicate() would trip over a stdin closed by hand)."""
        if self.proc.stdin is not None:
            self.proc.stdin.close()
            self.proc.stdin = None

    def wait_exit(self, timeout: float = 10) -> tuple[int, str]:
        """Its exit status and stderr once it ends by itself."""
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            raise AssertionError("the simulator did not end by itself") from None
        return self.proc.returncode, err.decode("utf-8", "replace")

    def stop(self, timeout: float = 10) -> tuple[int, str]:
        """Stop it as a technician would (SIGTERM), and return its exit status and stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return self.proc.returncode, err.decode("utf-8", "replace")


@contextmanager
def simulator(*args: str, stdin: bool = False) -> Iterator[SimProcess]:
    sim = SimProcess(*args, stdin=stdin)
    try:
        yield sim
    finally:
        sim.stop()


@contextmanager
def reader(link: Path, **settings: Any) -> Iterator[EventLog[Any]]:
    events: EventLog[Any] = EventLog()
    config = SerialScannerSettings(port=str(link), reconnect_interval_s=0.05, **settings)
    scanner = serial_scanner_from_settings(config, on_event=events)
    scanner.start()
    try:
        yield events
    finally:
        scanner.close()
        assert not scanner.running


def take(events: EventLog[Any], count: int, timeout: float = 15) -> list[ScannerEvent]:
    """The next `count` lines or rejected scans, past any state changes."""
    out: list[ScannerEvent] = []
    while len(out) < count:
        event = events.next(timeout)
        assert event is not None, f"only {len(out)} of {count} scans came"
        if not isinstance(event, StateChanged):
            out.append(event)
    return out


def rejected(event: ScannerEvent) -> type[TerminalError] | None:
    """The type of a rejected scan's error; None for anything else."""
    return type(event.error) if isinstance(event, ScanRejected) else None


def write_codes(tmp_path: Path, codes: list[Any]) -> Path:
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(codes, ensure_ascii=False), encoding="utf-8")
    return path


def test_codes_of_every_kind_end_to_end_over_a_pty(tmp_path: Path) -> None:
    key = voucher.load_private_key(CONFIG / "demo-issuer-key.pem")
    public = voucher.load_public_key(CONFIG / "demo-issuer-key.pub.pem")
    good = voucher.issue_voucher(key, "12000000000000000001", now=NOW)
    expired = voucher.issue_voucher(key, "12000000000000000002", now=NOW - 3600)
    forged = voucher.issue_voucher(Ed25519PrivateKey.generate(), "12000000000000000003", now=NOW)
    codes = [
        good,
        "6901070202353",
        {"text": "中文条码", "encoding": "gbk", "terminator": "crlf"},
        "https://example.com/not-a-voucher",
        "A" * 3072,
        {"hex": "fffe00c0c1f5ff", "terminator": "lf"},
        {"hex": "0102030405"},
        expired,
        forged,
        "6901070202354",
    ]
    link = tmp_path / "scanner"
    with simulator("--link", str(link), "--codes", str(write_codes(tmp_path, codes)), "--interval", "0.05",
                   "--baudrate", "115200") as sim:
        sim.wait_for("ready")
        with reader(link) as events:
            got = take(events, len(codes))
            assert sim.wait_for("done")["sent"] == len(codes)
            # The simulator has exited: the reader sees an unplugged port.
            lost = wait_state(events, DeviceState.LOST)
        assert sim.wait_exit() == (0, "")
    assert lost.reason is not None and "check the cable" in lost.reason
    assert not link.exists()

    def routed(event: ScannerEvent) -> object:
        if isinstance(event, ScanRejected):
            return type(event.error)
        assert isinstance(event, ScannedLine)
        try:
            return route_scan(event.text, public_key=public, now=NOW)
        except TerminalError as exc:
            return type(exc)

    results = [routed(e) for e in got]
    assert isinstance(results[0], VoucherScan) and results[0].claims.psn_no == "12000000000000000001"
    assert results[1] == DrugBarcodeScan("6901070202353", "EAN-13", "6901070202353")
    assert got[2] == ScannedLine("中文条码", "中文条码".encode("gbk"), "gbk")
    assert results[3] is NotAVoucherCode
    assert results[4] is ScanTooLong
    assert results[5] is UnreadableScan and isinstance(got[5], ScanRejected)
    assert isinstance(got[5].error, UnreadableScan) and got[5].error.raw == bytes.fromhex("fffe00c0c1f5ff")
    assert results[6] is UnreadableScan
    assert results[7] is voucher.VoucherExpired
    assert results[8] is voucher.VoucherForged
    assert results[9] is BarcodeMisread
    assert all(e.error.cashier_message for e in got if isinstance(e, ScanRejected))


def test_the_codes_sim_box_prints_play_through_the_scanner_simulator(tmp_path: Path) -> None:
    # The README's pipeline: sim box ... > codes.txt; sim scanner --link ... --codes codes.txt
    codes_file = tmp_path / "codes.txt"
    with codes_file.open("w") as out:
        subprocess.run([sys.executable, "-m", "terminal", "sim", "box", "--med-list-codg", "XJ01CAA040E001010101000",
                        "--count", "3"], cwd=ROOT, stdout=out, check=True, timeout=60)
    printed = codes_file.read_text().split()
    link = tmp_path / "scanner"
    with simulator("--link", str(link), "--codes", str(codes_file), "--interval", "0.05") as sim:
        sim.wait_for("ready")
        with reader(link) as events:
            got = take(events, 3)
            assert sim.wait_for("done")["sent"] == 3
    assert [route_scan(e.text) for e in got if isinstance(e, ScannedLine)] == [TraceabilityScan(c) for c in printed]


def test_unplug_and_replug_of_the_simulator_at_the_same_path(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    first = write_codes(tmp_path, ["FIRST-0001"])
    with reader(link) as events:
        with simulator("--link", str(link), "--codes", str(first), "--interval", "0") as sim:
            wait_state(events, DeviceState.READY)
            sim.wait_for("done")
        got = take(events, 1)
        assert isinstance(got[0], ScannedLine) and got[0].text == "FIRST-0001"
        wait_state(events, DeviceState.LOST)
        second = tmp_path / "second.txt"
        second.write_text("SECOND-0002\n6901070202353\n", encoding="utf-8")
        with simulator("--link", str(link), "--codes", str(second), "--interval", "0.05",
                       "--terminator", "crlf") as sim:
            wait_state(events, DeviceState.READY)
            got = take(events, 2)
            sim.wait_for("done")
    assert [e.text for e in got if isinstance(e, ScannedLine)] == ["SECOND-0002", "6901070202353"]


def test_loop_plays_until_stopped_and_cleans_up(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    codes = tmp_path / "codes.txt"
    codes.write_bytes(b"LOOP-A\r\nLOOP-B\n\n")
    with simulator("--link", str(link), "--codes", str(codes), "--interval", "0", "--loop",
                   "--terminator", "lf") as sim:
        sim.wait_for("ready")
        with reader(link) as events:
            got = take(events, 5)
        status = sim.stop()
    assert [e.text for e in got if isinstance(e, ScannedLine)] == ["LOOP-A", "LOOP-B"] * 2 + ["LOOP-A"]
    assert status == (0, "")
    assert not link.exists()


def test_stdin_lines_are_sent_as_typed(tmp_path: Path) -> None:
    link = tmp_path / "scanner"
    with simulator("--link", str(link), "--stdin", "--interval", "0", stdin=True) as sim:
        sim.wait_for("ready")
        with reader(link) as events:
            wait_state(events, DeviceState.READY)
            sim.wait_for("reader_connected")
            assert sim.proc.stdin is not None
            sim.proc.stdin.write(b"6901070202353\nhex:ff00ff\n")
            sim.proc.stdin.flush()
            got = take(events, 2)
            sim.close_stdin()
            sim.wait_for("done")
    assert got[0] == ScannedLine("6901070202353", b"6901070202353", "utf-8")
    assert isinstance(got[1], ScanRejected) and isinstance(got[1].error, UnreadableScan)
    assert got[1].error.raw == b"\xff\x00\xff"


@pytest.mark.parametrize(("args", "message"), [
    ([], "Name a codes file"),
    (["--codes", "/nonexistent/codes.txt"], "does not exist"),
    (["--codes", "EMPTY"], "holds no codes"),
    (["--codes", "BADHEX"], "cannot be turned into bytes"),
])
def test_command_line_mistakes_exit_non_zero_with_a_sentence(tmp_path: Path, args: list[str],
                                                            message: str) -> None:
    (tmp_path / "EMPTY").write_text("\n\n", encoding="utf-8")
    (tmp_path / "BADHEX").write_text('[{"hex": "zz"}]', encoding="utf-8")
    args = [str(tmp_path / a) if a in ("EMPTY", "BADHEX") else a for a in args]
    with simulator("--link", str(tmp_path / "scanner"), *args) as sim:
        status, err = sim.wait_exit()
    assert status == 1
    assert message in err
    assert not (tmp_path / "scanner").exists()


socat = shutil.which("socat")


@contextmanager
def socat_pair(a: Path, b: Path) -> Iterator[subprocess.Popen[bytes]]:
    assert socat is not None
    proc = subprocess.Popen([socat, f"pty,raw,echo=0,link={a}", f"pty,raw,echo=0,link={b}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not (a.exists() and b.exists()):
            assert time.monotonic() < deadline, "socat made no ptys"
            time.sleep(0.01)
        yield proc
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.mark.skipif(socat is None, reason="socat is not installed")
def test_socat_unplug_and_replug(tmp_path: Path) -> None:
    """A scanner on one end of a socat pair; killing socat is pulling the cable."""
    host, device = tmp_path / "host", tmp_path / "device"
    with reader(host) as events:
        with socat_pair(host, device):
            wait_state(events, DeviceState.READY)
            with serial.serial_for_url(str(device), timeout=1) as scanner:
                scanner.write(b"BEFORE-1\r\n")
                got = take(events, 1)
        wait_state(events, DeviceState.LOST)
        with socat_pair(host, device):
            wait_state(events, DeviceState.READY)
            with serial.serial_for_url(str(device), timeout=1) as scanner:
                # Split writes: the reader assembles the line across reads.
                scanner.write(b"AFT")
                scanner.flush()
                time.sleep(0.05)
                scanner.write(b"ER-2\r")
                got += take(events, 1)
    assert [e.text for e in got if isinstance(e, ScannedLine)] == ["BEFORE-1", "AFTER-2"]


@pytest.mark.skipif(socat is None, reason="socat is not installed")
def test_socat_garbage_bytes_reach_the_caller_as_typed_errors(tmp_path: Path) -> None:
    host, device = tmp_path / "host", tmp_path / "device"
    with socat_pair(host, device), reader(host) as events:
        wait_state(events, DeviceState.READY)
        garbage = bytes(b for b in range(256) if b not in b"\r\n")
        with serial.serial_for_url(str(device), timeout=1) as scanner:
            scanner.write(garbage * 13 + b"\r")  # 3 KB of every byte value but the line ends
            scanner.write(b"\x80\x81\xfe\xff\r" + garbage[:20] + b"\n6901070202353\r")
            got = take(events, 4)
    assert [rejected(e) for e in got] == [ScanTooLong, UnreadableScan, UnreadableScan, None]
    assert isinstance(got[1], ScanRejected) and isinstance(got[1].error, UnreadableScan)
    assert got[1].error.raw == b"\x80\x81\xfe\xff"
    assert isinstance(got[3], ScannedLine) and got[3].text == "6901070202353"


@pytest.mark.hardware
def test_real_serial_scanner_reads_one_code(scanner_port: str) -> None:
    print(f"\nScan any barcode with the scanner on {scanner_port} within 30 seconds...")
    events: EventLog[Any] = EventLog()
    scanner = serial_scanner_from_settings(SerialScannerSettings(port=scanner_port), on_event=events)
    with scanner:
        wait_state(events, DeviceState.READY, timeout_s=10)
        line = events.next(30, ScannedLine)
    assert isinstance(line, ScannedLine), events.drain()
    assert line.text.strip()
