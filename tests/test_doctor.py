"""`python -m terminal doctor`: every check ok on the demo's simulators, and a broken counter's failures named
with what to do (the service down, the card reader's port missing, the journal read-only)."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from terminal.app import doctor
from terminal.app.doctor import Check, Context, Finding, Status, any_failed, failed, ok, run_all
from terminal.app.doctor_service import _AnswerTime, _clock_finding
from terminal.demo.environment import DemoEnvironment
from terminal.offline.journal import Journal
from terminal.offline.states import Kind, State
from terminal.setting_fields import to_json
from terminal.settings import Settings

REPO = Path(__file__).resolve().parent.parent
# The display check reads only the environment; a counter PC has one.
WITH_DISPLAY = {"DISPLAY": ":0"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoEnvironment]:
    env = DemoEnvironment(tmp_path_factory.mktemp("doctor-world")).start()
    try:
        yield env
    finally:
        env.stop()


def write_config(settings: Settings, path: Path) -> Path:
    path.write_text(json.dumps(to_json(settings, mask_secrets=False), default=str), encoding="utf-8")
    return path


def demo_settings(world: DemoEnvironment, tmp_path: Path) -> Settings:
    """The demo world's settings with a state folder and journal of this test's own."""
    settings = world.settings()
    state = tmp_path / "state"
    return dataclasses.replace(
        settings, terminal=dataclasses.replace(settings.terminal, state_dir=str(state)),
        offline=dataclasses.replace(settings.offline, journal=str(state / "journal.db")))


def make_journal(settings: Settings, *, queued_since: datetime | None = None) -> Path:
    """The journal created as the counter creates it; with one sale queued offline since `queued_since`."""
    assert settings.offline.journal is not None
    path = Path(settings.offline.journal)
    with Journal(path, till=settings.terminal.dev_no) as journal:
        if queued_since is not None:
            sale_time = queued_since.strftime("%Y-%m-%d %H:%M:%S")

            def queue(t: Any) -> None:
                row = t.create(Kind.PHARMACY_SALE, sale_time=sale_time, operator="0001", request={},
                               medfee=Decimal("12.30"))
                t.step(row.local_id, State.OFFLINE_QUEUED)

            journal.run(queue)
    return path


def by_name(findings: list[Finding]) -> dict[str, Finding]:
    return {f.check: f for f in findings}


def unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


ORDER = ["configuration", "journal.integrity", "journal.permissions", "journal.queue", "service.reachable",
         "service.signature", "service.clock", "card_reader", "serial_scanner", "camera", "printer", "fonts",
         "display"]


def test_the_demo_is_all_ok(world: DemoEnvironment, tmp_path: Path) -> None:
    settings = demo_settings(world, tmp_path)
    make_journal(settings)
    config = write_config(settings, tmp_path / "counter.json")
    findings = run_all(str(config), environ=WITH_DISPLAY)
    assert [f.check for f in findings] == ORDER
    assert [f for f in findings if f.status is not Status.OK] == []
    found = by_name(findings)
    assert "answers STATUS" in found["card_reader"].detail
    assert "accepted" in found["service.signature"].detail
    assert all(f.todo is None for f in findings)


def test_the_command_against_the_demo(world: DemoEnvironment, tmp_path: Path) -> None:
    """The command itself, once, as a technician runs it: --json, exit 0; the text form, one line a check."""
    settings = demo_settings(world, tmp_path)
    make_journal(settings)
    config = write_config(settings, tmp_path / "counter.json")
    env = {**os.environ, **WITH_DISPLAY}
    done = subprocess.run([sys.executable, "-m", "terminal", "doctor", "--config", str(config), "--json"],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = json.loads(done.stdout)
    assert [r["check"] for r in rows] == ORDER
    assert all(set(r) == {"check", "status", "detail", "todo"} and r["status"] == "ok" for r in rows)
    text = subprocess.run([sys.executable, "-m", "terminal", "doctor", "--config", str(config)],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=180)
    assert text.returncode == 0, text.stdout + text.stderr
    lines = text.stdout.splitlines()
    assert len(lines) == len(ORDER) and all(line.startswith("ok ") for line in lines)


def test_a_broken_counter_names_each_failure_and_what_to_do(world: DemoEnvironment, tmp_path: Path) -> None:
    settings = demo_settings(world, tmp_path)
    journal = make_journal(settings)
    broken = dataclasses.replace(
        settings,
        service=dataclasses.replace(settings.service, url=f"http://127.0.0.1:{unused_port()}"),
        devices=dataclasses.replace(settings.devices, card_reader=dataclasses.replace(
            settings.devices.card_reader, port=str(tmp_path / "no-such-reader"))))
    config = write_config(broken, tmp_path / "counter.json")
    # Read-only as someone makes it so (root writes past the mode bits; the doctor still reports it).
    journal.chmod(0o444)
    journal.parent.chmod(0o555)
    try:
        findings = run_all(str(config), environ=WITH_DISPLAY)
    finally:
        journal.parent.chmod(0o700)
        journal.chmod(0o600)
    found = by_name(findings)
    assert any_failed(findings)
    assert [f.check for f in findings] == ORDER
    failures = {f.check for f in findings if f.status is Status.FAILED}
    assert failures == {"journal.permissions", "service.reachable", "card_reader"}
    assert "read-only" in found["journal.permissions"].detail and "chmod" in (found["journal.permissions"].todo or "")
    assert "does not answer" in found["service.reachable"].detail
    assert "service.url" in (found["service.reachable"].todo or "")
    assert "no-such-reader" in found["card_reader"].detail
    assert "devices.card_reader.port" in (found["card_reader"].todo or "")
    # What could not be checked says so, as a warning; the journal is still read.
    assert found["service.signature"].status is Status.WARNING
    assert found["journal.integrity"].status is Status.OK
    assert all(f.todo for f in findings if f.status is not Status.OK)


def test_the_command_exits_1_on_a_failure(tmp_path: Path) -> None:
    config = tmp_path / "counter.json"
    config.write_text(json.dumps({
        "offline": {"journal": str(tmp_path / "state" / "journal.db")},
        "service": {"url": f"http://127.0.0.1:{unused_port()}"},
        "devices": {"card_reader": {"port": None}}}))
    done = subprocess.run([sys.executable, "-m", "terminal", "doctor", "--config", str(config)], cwd=REPO,
                          capture_output=True, text=True, check=False, timeout=180)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = {line.split()[1].rstrip(":"): line for line in done.stdout.splitlines()}
    assert lines["service.reachable"].startswith("failed ") and "To do:" in lines["service.reachable"]
    assert lines["journal.integrity"].startswith("ok ") and "created at first start" in lines[
        "journal.integrity"]
    assert lines["card_reader"].startswith("ok ") and "none configured" in lines["card_reader"]


def test_a_wrong_token_is_named(world: DemoEnvironment, tmp_path: Path) -> None:
    settings = demo_settings(world, tmp_path)
    wrong = dataclasses.replace(settings, service=dataclasses.replace(settings.service, token="not-the-token"))
    findings = by_name(run_all(str(write_config(wrong, tmp_path / "counter.json")), environ=WITH_DISPLAY))
    signature = findings["service.signature"]
    assert signature.status is Status.FAILED
    assert "service.token" in (signature.todo or "") and "paasid" in (signature.todo or "")
    # The refusal still carried the service's time.
    assert findings["service.clock"].status is Status.OK


@pytest.mark.parametrize(("hours_ago", "status"), [(1, Status.OK), (65, Status.WARNING), (80, Status.FAILED)])
def test_the_oldest_queued_sale_against_the_age_limit(world: DemoEnvironment, tmp_path: Path, hours_ago: int,
                                                      status: Status) -> None:
    settings = demo_settings(world, tmp_path)  # offline.max_queue_age_h is 72
    make_journal(settings, queued_since=datetime.now() - timedelta(hours=hours_ago))
    findings = run_all(str(write_config(settings, tmp_path / "c.json")), environ=WITH_DISPLAY,
                       checks=_journal_checks())
    queue = by_name(findings)["journal.queue"]
    assert queue.status is status
    assert "1 sale(s) queued" in queue.detail
    assert (queue.todo is None) == (status is Status.OK)


def _journal_checks() -> list[Check]:
    from terminal.app.doctor import check_configuration
    from terminal.app.doctor_journal import JOURNAL_CHECKS

    return [Check(("configuration",), check_configuration, 15.0, needs_settings=False), *JOURNAL_CHECKS]


def test_a_damaged_journal_fails(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "journal.db").write_bytes(b"this is not an SQLite file at all" * 100)
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"offline": {"journal": str(state / "journal.db")}}))
    integrity = by_name(run_all(str(config), checks=_journal_checks()))["journal.integrity"]
    assert integrity.status is Status.FAILED and "do not delete" in (integrity.todo or "")


def test_a_check_that_raises_or_hangs_does_not_stop_the_others() -> None:
    release = threading.Event()

    def raises(context: Context) -> list[Finding]:
        raise RuntimeError("a bug in this check")

    def hangs(context: Context) -> list[Finding]:
        release.wait()
        return [ok("hangs", "never seen")]

    checks = [Check(("raises",), raises, 5.0, needs_settings=False),
              Check(("hangs",), hangs, 0.2, needs_settings=False),
              Check(("after",), lambda c: [ok("after", "still run")], 5.0, needs_settings=False)]
    try:
        findings = run_all(None, checks=checks)
    finally:
        release.set()
    assert [(f.check, f.status) for f in findings] == [
        ("raises", Status.FAILED), ("hangs", Status.FAILED), ("after", Status.OK)]
    assert "a bug in this check" in findings[0].detail and "given up" in findings[1].detail


def test_a_configuration_that_cannot_be_read_skips_what_needs_it(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "X11_SOCKETS", tmp_path / "no-x11")
    config = tmp_path / "c.json"
    config.write_text("{not json")
    findings = run_all(str(config), environ={})
    found = by_name(findings)
    assert found["configuration"].status is Status.FAILED and "config check" in (found["configuration"].todo or "")
    assert found["card_reader"].status is Status.WARNING and "not checked" in found["card_reader"].detail
    assert found["display"].status is Status.WARNING and "offscreen" in found["display"].detail
    assert [f.check for f in findings] == ORDER


def test_an_unknown_key_fails_the_configuration_but_the_rest_is_checked(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"offline": {"journal": str(tmp_path / "journal.db")}, "no_such_section": {}}))
    found = by_name(run_all(str(config), checks=_journal_checks()))
    assert found["configuration"].status is Status.FAILED and "no_such_section" in found["configuration"].detail
    # Checked, with the lenient reading: the journal the file names is looked for.
    assert found["journal.integrity"].status is Status.OK and str(tmp_path / "journal.db") in found[
        "journal.integrity"].detail


def test_clock_skew_from_the_answer() -> None:
    answer = _AnswerTime()
    answer.respond_time = "2026-01-01 12:00:00"
    at = datetime(2026, 1, 1, 12, 0, 0).timestamp()
    assert _clock_finding(answer, at, at + 0.5).status is Status.OK
    late = _clock_finding(answer, at + 120, at + 120)
    assert late.status is Status.WARNING and "120 s ahead" in late.detail and "timedatectl" in (late.todo or "")
    assert _clock_finding(answer, at - 400, at - 400).status is Status.FAILED
    header_only = _AnswerTime()
    header_only.date_header = "Thu, 01 Jan 2026 04:00:00 GMT"
    stamp = datetime.fromisoformat("2026-01-01T04:00:00+00:00").timestamp()
    found = _clock_finding(header_only, stamp + 90, stamp + 90)
    assert found.status is Status.WARNING and "Date header" in found.detail
    assert _clock_finding(_AnswerTime(), at, at).status is Status.WARNING


def test_json_and_lines() -> None:
    row = failed("printer", "the printer is not ready.", "load paper.")
    assert row.to_json() == {"check": "printer", "status": "failed", "detail": "the printer is not ready.",
                             "todo": "load paper."}
    assert row.line().startswith("failed   printer: the printer is not ready. To do: load paper.")
    assert ok("fonts", "found.").to_json()["todo"] is None


def _device_checks() -> list[Check]:
    from terminal.app.doctor import check_configuration
    from terminal.app.doctor_devices import DEVICE_CHECKS

    return [Check(("configuration",), check_configuration, 15.0, needs_settings=False), *DEVICE_CHECKS]


def test_the_camera_opens_and_its_frame_rate_is_read(tmp_path: Path) -> None:
    import cv2
    import numpy as np

    picture = tmp_path / "counter.png"
    cv2.imwrite(str(picture), np.full((120, 160, 3), 200, dtype=np.uint8))
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"devices": {"card_reader": {"port": None},
                                              "camera": {"enabled": True, "source": str(picture), "fps": 10}}}))
    camera = by_name(run_all(str(config), checks=_device_checks()))["camera"]
    assert camera.status is not Status.FAILED and "frames/s" in camera.detail, camera
    config.write_text(json.dumps({"devices": {"card_reader": {"port": None},
                                              "camera": {"enabled": True, "source": str(tmp_path / "none.mp4")}}}))
    missing = by_name(run_all(str(config), checks=_device_checks()))["camera"]
    assert missing.status is Status.FAILED and "devices.camera.source" in (missing.todo or "")


def test_a_printer_that_is_not_there_fails(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"devices": {"card_reader": {"port": None}, "printer": {
        "kind": "file", "path": str(tmp_path / "lp0")}}}))
    printer = by_name(run_all(str(config), checks=_device_checks()))["printer"]
    assert printer.status is Status.FAILED and "lp0" in printer.detail and printer.todo


def test_a_scanner_port_that_is_not_there_fails(tmp_path: Path) -> None:
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"devices": {"card_reader": {"port": None},
                                              "serial_scanner": {"port": str(tmp_path / "no-scanner")}}}))
    scanner = by_name(run_all(str(config), checks=_device_checks()))["serial_scanner"]
    assert scanner.status is Status.FAILED and "devices.serial_scanner.port" in (scanner.todo or "")


def test_a_service_that_accepts_and_never_answers_does_not_hang_the_doctor(tmp_path: Path) -> None:
    from terminal.app.doctor_service import SERVICE_CHECKS

    with socket.socket() as silent:  # listening, never accepting: connections wait in the backlog
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        config = tmp_path / "c.json"
        config.write_text(json.dumps({"service": {"url": f"http://127.0.0.1:{silent.getsockname()[1]}"}}))
        findings = by_name(run_all(str(config), checks=[_journal_checks()[0], *SERVICE_CHECKS]))
    assert findings["service.reachable"].status is Status.FAILED
    assert findings["service.signature"].status is Status.WARNING


def test_a_fresh_demo_counter_without_a_screen_is_all_ok(world: DemoEnvironment, tmp_path: Path) -> None:
    """Right after installing (no journal yet) and on the headless demo (offscreen by choice): nothing to do."""
    settings = demo_settings(world, tmp_path)
    config = write_config(settings, tmp_path / "counter.json")
    findings = run_all(str(config), environ={"QT_QPA_PLATFORM": "offscreen"})
    assert [(f.check, f.status) for f in findings if f.status is not Status.OK] == []
    found = by_name(findings)
    assert "created at first start" in found["journal.integrity"].detail
    assert "offscreen" in found["display"].detail


def test_a_journal_gone_but_its_wal_left_fails(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "journal.db-wal").write_bytes(b"")
    config = tmp_path / "c.json"
    config.write_text(json.dumps({"offline": {"journal": str(state / "journal.db")},
                                  "service": {"url": f"http://127.0.0.1:{unused_port()}"}}))
    found = by_name(run_all(str(config), environ=WITH_DISPLAY))
    assert found["journal.integrity"].status is Status.FAILED
    assert "journal.db-wal" in found["journal.integrity"].detail and "call IT" in (found["journal.integrity"].todo
                                                                                 or "")


def test_a_display_server_without_display_in_this_shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sockets = tmp_path / "x11"
    sockets.mkdir()
    monkeypatch.setattr(doctor, "X11_SOCKETS", sockets)
    assert doctor.check_display(Context(None, {}))[0].status is Status.WARNING
    (sockets / "X0").write_bytes(b"")
    found = doctor.check_display(Context(None, {}))[0]
    assert found.status is Status.OK and ":0" in found.detail
