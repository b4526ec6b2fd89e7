"""`read-card` and `sim card-reader` as a technician runs them: real subprocesses."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from terminal.sim.pty_link import wait_for_path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ["region_code", "ssn", "card_no", "card_sn", "name", "atr", "version",
        "issue_date", "expiry_date", "terminal_no", "device_no"]
PERSONS = json.loads((ROOT / "config" / "persons.json").read_text(encoding="utf-8"))


def terminal(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=timeout)


class SimProcess:
    def __init__(self, link: Path, *extra: str) -> None:
        self.link = link
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "terminal", "sim", "card-reader", "--link", str(link), *extra],
            cwd=ROOT, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        if not wait_for_path(link, 20):
            self.stop()
            raise AssertionError(f"the simulator did not create {link}")

    def send(self, line: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def stop(self) -> int:
        self.proc.terminate()
        try:
            code = self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(10)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimProcess]:
    s = SimProcess(tmp_path / "reader", "--insert", "1")
    yield s
    assert s.stop() == 0
    assert not s.link.exists(), "the simulator must remove its link on exit"


def test_read_card_prints_the_card_as_json(sim: SimProcess) -> None:
    done = terminal("read-card", "--port", str(sim.link), "--timeout", "3")
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert list(card) == KEYS
    first = PERSONS[0]
    assert (card["name"], card["ssn"], card["card_no"], card["card_sn"]) == (
        first["psn_name"], first["certno"], first["card_no"], first["card_sn"])
    assert card["region_code"] == "120000"


def test_no_card_is_a_clear_error(sim: SimProcess) -> None:
    assert sim.send("remove") == "ok removed"
    done = terminal("read-card", "--port", str(sim.link), "--timeout", "0.3")
    assert done.returncode == 1
    assert "error: No card in the reader: insert the social security card chip first." in (
        done.stderr)
    assert done.stdout == ""


def test_waits_for_the_card_to_be_inserted(sim: SimProcess) -> None:
    assert sim.send("remove") == "ok removed"
    reading = subprocess.Popen(
        [sys.executable, "-m", "terminal", "read-card", "--port", str(sim.link),
         "--timeout", "15"], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # Insert only once the reader has answered "no card", so read-card waits.
        deadline = time.monotonic() + 20
        while " frames=0 " in sim.send("status") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sim.send("insert 2").startswith("ok inserted 2")
        out, err = reading.communicate(timeout=30)
    finally:
        if reading.poll() is None:
            reading.kill()
            reading.communicate()
    assert reading.returncode == 0, err
    assert json.loads(out)["card_no"] == PERSONS[1]["card_no"]


def test_expired_card_is_refused(sim: SimProcess) -> None:
    cards = json.loads((ROOT / "config" / "cards.json").read_text(encoding="utf-8"))
    assert sim.send(f"insert {len(cards)}").startswith("ok inserted")
    done = terminal("read-card", "--port", str(sim.link), "--timeout", "1")
    assert done.returncode == 1
    assert "expired on" in done.stderr
    allowed = terminal("read-card", "--port", str(sim.link), "--allow-expired")
    assert allowed.returncode == 0, allowed.stderr
    assert json.loads(allowed.stdout)["expiry_date"] < "20260101"


def test_control_lines_on_stdin(sim: SimProcess) -> None:
    assert sim.send("insert 999").startswith("error: There is no card")
    assert sim.send("fault slow 1:50ms").startswith("ok faults")
    assert sim.send("status").startswith("card=1 ")
    done = terminal("read-card", "--port", str(sim.link), "--timeout", "3")
    assert done.returncode == 0, done.stderr


def test_missing_port_fails_fast_with_a_sentence(tmp_path: Path) -> None:
    done = terminal("read-card", "--port", str(tmp_path / "nowhere"), "--timeout", "20")
    assert done.returncode == 3
    assert "error: The card reader is not connected" in done.stderr


def test_silent_port_is_a_timeout(tmp_path: Path) -> None:
    # A simulator that drops every answer is a reader that stopped answering.
    s = SimProcess(tmp_path / "mute", "--insert", "1", "--faults", "drop=1")
    override = tmp_path / "terminal.json"
    override.write_text('{"devices": {"card_reader": {"answer_timeout_s": 0.2, "retries": 1}}}')
    try:
        done = terminal("read-card", "--port", str(s.link), "--timeout", "1",
                        "--config", str(override))
    finally:
        assert s.stop() == 0
    assert done.returncode == 3
    assert "error: The card reader does not answer" in done.stderr


def test_bad_fault_spec_is_refused(tmp_path: Path) -> None:
    done = terminal("sim", "card-reader", "--link", str(tmp_path / "x"), "--faults", "teleport=1")
    assert done.returncode == 1
    assert "no simulator fault called 'teleport'" in done.stderr
    assert not (tmp_path / "x").exists()


def test_help_documents_faults_and_control_lines() -> None:
    done = terminal("sim", "card-reader", "--help")
    assert done.returncode == 0
    for word in ("disconnect-after", "bad-bcc", "insert N", "fault KIND VALUE"):
        assert word in done.stdout


def test_tcp_control_port(tmp_path: Path) -> None:
    s = SimProcess(tmp_path / "reader", "--control-port", "0")
    try:
        assert s.proc.stderr is not None
        line = ""
        while not line.startswith("control port"):
            line = s.proc.stderr.readline()
            assert line, "the simulator ended before opening its control port"
        port = int(line.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            stream = conn.makefile("rw", encoding="utf-8")
            stream.write("insert 3\n")
            stream.flush()
            assert stream.readline().startswith("ok inserted 3")
            stream.close()
        done = terminal("read-card", "--port", str(s.link), "--timeout", "3")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["card_no"] == PERSONS[2]["card_no"]
    finally:
        assert s.stop() == 0


def test_bad_configuration_is_named(tmp_path: Path) -> None:
    override = tmp_path / "terminal.json"
    override.write_text('{"devices": {"card_reader": {"answer_timeout_s": "fast"}}}')
    done = terminal("read-card", "--port", "loop://", "--config", str(override))
    assert done.returncode == 1
    assert "devices.card_reader.answer_timeout_s" in done.stderr


def test_port_taken_from_the_configuration(sim: SimProcess, tmp_path: Path) -> None:
    # Simulated and real readers differ only by configuration.
    override = tmp_path / "terminal.json"
    override.write_text(json.dumps({"devices": {"card_reader": {"port": str(sim.link)}}}))
    done = terminal("read-card", "--config", str(override), "--timeout", "3")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["card_no"] == PERSONS[0]["card_no"]
