"""The counter's Prometheus endpoint, scraped and parsed as Prometheus would, against the demo world."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from log_scan import SCAN
from offline_helpers import CHEAP, card_buyer
from prometheus_client.parser import text_string_to_metric_families

from terminal.app.station import Station
from terminal.demo.environment import DemoEnvironment
from terminal.offline.states import State
from terminal.settings import Settings
from terminal.sim.processes import free_loopback_port


def counter_settings(world: DemoEnvironment, tmp_path: Path, port: int) -> Settings:
    base = world.settings()
    return dataclasses.replace(
        base,
        terminal=dataclasses.replace(base.terminal, state_dir=str(tmp_path / "state")),
        offline=dataclasses.replace(base.offline, journal=str(tmp_path / "state" / "journal.db")),
        metrics=dataclasses.replace(base.metrics, port=port))


@pytest.fixture
def station(world: DemoEnvironment, tmp_path: Path) -> Iterator[Station]:
    counter = Station.from_settings(counter_settings(world, tmp_path, free_loopback_port()))
    counter.start()
    try:
        yield counter
    finally:
        counter.close()
        world.set_network("online")


def scrape(station: Station) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    assert station.metrics is not None and station.metrics.port is not None
    text = requests.get(f"http://127.0.0.1:{station.metrics.port}/metrics", timeout=5).text
    SCAN.check(text, "metrics scrape")  # and the session scans it for personal data (tests/log_scan.py)
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


def test_a_sale_and_an_offline_one_are_seen_by_the_scrape(world: DemoEnvironment, station: Station) -> None:
    assert station.checkout is not None
    sold = station.checkout.sell(card_buyer(11), CHEAP)
    assert sold.state is State.SETTLED
    samples = scrape(station)
    assert value(samples, "counter_service_state", state="online") == 1.0
    assert value(samples, "counter_service_state", state="offline") == 0.0
    assert value(samples, "counter_request_seconds_count", infno="2102", outcome="answered") == 1.0
    assert value(samples, "counter_queue_sales") == 0.0 and value(samples, "counter_journal_readable") == 1.0
    assert value(samples, "counter_journal_bytes") > 0
    assert value(samples, "counter_device_state", device="card reader", state="ready") == 1.0

    world.set_network("offline")  # the cable pulled: the next sale is queued
    queued = station.checkout.sell(card_buyer(11), CHEAP)
    assert queued.state is State.OFFLINE_QUEUED
    samples = scrape(station)
    assert value(samples, "counter_queue_sales") == 1.0
    assert value(samples, "counter_queue_amount_yuan") == float(queued.medfee_sumamt)
    assert value(samples, "counter_service_state", state="offline") == 1.0
    unreachable = [v for (name, pairs), v in samples.items()
                   if name == "counter_request_seconds_count" and ("outcome", "unreachable") in pairs]
    assert sum(unreachable) >= 1.0


def test_no_label_carries_personal_data(world: DemoEnvironment, station: Station) -> None:
    assert station.checkout is not None
    station.checkout.sell(card_buyer(12), CHEAP)
    samples = scrape(station)
    labels = {v for _name, pairs in samples for _k, v in pairs}
    # No ID number, person number, card number, msgid or receipt (long digit runs), no name (Chinese characters).
    assert not [v for v in labels if re.search(r"\d{6,}", v) or re.search(r"[\u4e00-\u9fff]", v)], labels


def test_the_shipped_alerts_and_dashboard_use_metrics_the_counter_serves(world: DemoEnvironment,
                                                                         station: Station) -> None:
    import json

    import yaml

    assert station.checkout is not None
    station.checkout.sell(card_buyer(13), CHEAP)  # so the latency histogram has its series
    served = {name for name, _labels in scrape(station)}
    folder = Path(__file__).resolve().parent.parent / "packaging" / "monitoring"
    rules = yaml.safe_load((folder / "counter-alerts.yml").read_text(encoding="utf-8"))
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    assert {rule["alert"] for group in rules["groups"] for rule in group["rules"]} == {
        "CounterOffline", "CounterQueueOld", "CounterNeedsAttention"}
    dashboard = json.loads((folder / "grafana-dashboard.json").read_text(encoding="utf-8"))
    exprs += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    used = {name for expr in exprs for name in re.findall(r"\bcounter_[a-z_]+", expr)}
    assert used and used <= served, used - served
    config = yaml.safe_load((folder / "prometheus.yml").read_text(encoding="utf-8"))
    assert config["rule_files"] == ["counter-alerts.yml"]


def test_forward_run_as_a_service_serves_the_queue_metrics(world: DemoEnvironment, tmp_path: Path) -> None:
    import time

    from terminal.sim.processes import REPO

    port = free_loopback_port()
    config = tmp_path / "forwarder.json"
    config.write_text(json.dumps({"metrics": {"port": port}}), encoding="utf-8")
    assert world.proxy is not None
    forward = subprocess.Popen([sys.executable, "-m", "terminal", "forward", "--db", str(tmp_path / "j.db"),
                                "--service", world.proxy.url, "--config", str(config)], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        text = ""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "counter_queue_sales" not in text:
            try:
                text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
                SCAN.check(text, "metrics scrape of forward")
            except requests.ConnectionError:
                time.sleep(0.1)
        families = {family.name for family in text_string_to_metric_families(text)}
        assert {"counter_queue_sales", "counter_journal_bytes", "counter_service_state"} <= families, families
    finally:
        forward.terminate()
        _out, err = forward.communicate(timeout=20)
    assert forward.returncode == 0 and "Traceback" not in err, err


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port somebody else already listens on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield int(other.getsockname()[1])


def test_a_counter_whose_metrics_port_is_taken_sells_on_and_says_why(
        world: DemoEnvironment, tmp_path: Path, taken_port: int, caplog: pytest.LogCaptureFixture) -> None:
    counter = Station.from_settings(counter_settings(world, tmp_path, taken_port))
    try:
        with caplog.at_level(logging.ERROR, logger="terminal.app.metrics"):
            counter.start()
        assert counter.metrics is None
        assert any(f"metrics endpoint 127.0.0.1:{taken_port} not served" in r.getMessage() for r in caplog.records)
        checkout = counter.checkout
        assert checkout is not None
        assert checkout.sell(card_buyer(11), CHEAP).state is State.SETTLED
    finally:
        counter.close()


def test_forward_whose_metrics_port_is_taken_forwards_on_and_says_why(world: DemoEnvironment, tmp_path: Path,
                                                                     taken_port: int) -> None:
    from terminal.sim.processes import REPO

    config = tmp_path / "forwarder.json"
    config.write_text(json.dumps({"metrics": {"port": taken_port}}), encoding="utf-8")
    log_file = tmp_path / "forward.log"  # its JSON log lines (the session's personal-data scan reads it too)
    assert world.proxy is not None
    forward = subprocess.Popen([sys.executable, "-m", "terminal", "forward", "--db", str(tmp_path / "j.db"),
                                "--service", world.proxy.url, "--config", str(config)], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "TERMINAL_LOG_FILE": str(log_file)})
    try:
        assert forward.stdout is not None
        progress = json.loads(forward.stdout.readline())  # it runs: its first progress line
        assert progress["state"] in ("idle", "forwarding"), progress
    finally:
        forward.terminate()
        _out, err = forward.communicate(timeout=20)
    assert forward.returncode == 0 and "Traceback" not in err, err
    logged = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    assert any(r["level"] == "error" and f"metrics endpoint 127.0.0.1:{taken_port} not served" in r["msg"]
               for r in logged), logged
