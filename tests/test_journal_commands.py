"""The journal's commands as a technician runs them: sale, queue, forward, reconcile, sim proxy."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from service_helpers import AMOXICILLIN, PARACETAMOL, PERSONS, Raw, psn

from terminal.sim.processes import REPO, ServiceProcess, free_loopback_port

DOWN = f"http://127.0.0.1:{free_loopback_port()}"
ROW_KEYS = {"local_id", "msgid", "state", "psn_no", "sale_time", "estimate", "actual", "cash_collected",
            "last_error"}


def terminal(*args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def card(n: int) -> list[str]:
    p = PERSONS[psn(n)]
    return ["--card-no", p["card_no"], "--card-sn", p["card_sn"]]


@pytest.fixture
def basket(tmp_path: Path) -> str:
    path = tmp_path / "basket.json"
    path.write_text(json.dumps([{"med_list_codg": AMOXICILLIN, "cnt": "1"},
                                {"med_list_codg": PARACETAMOL, "cnt": "2"}]))
    return str(path)


def sale(db: Path, url: str, basket: str, n: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return terminal("sale", "--db", str(db), "--service", url, *card(n), "--basket", basket, *extra)


def row_of(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert done.returncode == 0, done.stderr
    row: dict[str, Any] = json.loads(done.stdout)
    assert set(row) >= ROW_KEYS
    return row


def test_sale_online_then_offline_then_forwarded(tmp_path: Path, settlement_service: ServiceProcess,
                                                 basket: str) -> None:
    db = tmp_path / "j.db"
    online = row_of(sale(db, settlement_service.url, basket, 13))
    assert online["state"] == "settled" and online["actual"]["psn_no"] == psn(13) and online["psn_no"] == psn(13)
    offline = row_of(sale(db, DOWN, basket, 13))
    assert offline["state"] == "offline-queued" and offline["actual"] is None and offline["estimate"]
    assert offline["cash_collected"] == offline["estimate"]["psn_cash_pay"] == "14.90"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600

    listed = terminal("queue", "--db", str(db), "list")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert listed.returncode == 0 and [r["local_id"] for r in rows] == [offline["local_id"]]
    assert rows[0]["psn_no"] == psn(13)  # in full: a technician's list
    stats = json.loads(terminal("queue", "--db", str(db), "stats").stdout)
    assert stats["queued"] == 1 and stats["queued_amount"] == "14.90" and stats["oldest_queued_age_s"] >= 0

    failed = terminal("forward", "--db", str(db), "--service", DOWN, "--once")
    assert failed.returncode == 3 and json.loads(failed.stdout)["unreachable"] is True
    done = terminal("forward", "--db", str(db), "--service", settlement_service.url, "--once")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["settled"] == [offline["local_id"]] and summary["left"] == 0
    forwarded = [json.loads(line) for line in terminal("queue", "--db", str(db), "list", "--all").stdout.splitlines()]
    assert [r["state"] for r in forwarded] == ["settled", "forwarded-settled"]
    assert forwarded[1]["actual"]["setl_id"] and forwarded[1]["refund_due"] == "14.90"  # the account paid

    report = json.loads(terminal("reconcile", "--db", str(db), "--service", settlement_service.url,
                                 "--date", date.today().isoformat()).stdout)
    assert report["agree"] is True and report["settlements"] == 2 and report["mismatches"] == []
    assert report["refunds_due"] == [{"local_id": offline["local_id"], "amount": "14.90"}]


def test_export_masks_and_retry_gives_a_declined_sale_a_new_msgid(tmp_path: Path,
                                                                  settlement_service: ServiceProcess,
                                                                  basket: str) -> None:
    db = tmp_path / "j.db"
    row_of(sale(db, settlement_service.url, basket, 13))
    queued = row_of(sale(db, DOWN, basket, 13))
    export = tmp_path / "queue.json"
    assert terminal("queue", "--db", str(db), "export", str(export)).returncode == 0
    exported = json.loads(export.read_text())
    assert len(exported) == 2 and all("*" in r["psn_no"] for r in exported)
    assert PERSONS[psn(13)]["psn_name"] not in export.read_text()
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    csv_file = tmp_path / "queue.csv"
    assert terminal("queue", "--db", str(db), "export", str(csv_file)).returncode == 0
    assert csv_file.read_text().splitlines()[0].startswith("local_id,")

    from terminal.offline.journal import Journal
    from terminal.offline.states import State

    with Journal(db, till="CT-0001") as journal:  # declined by the service when forwarded, say
        journal.run(lambda t: t.step(queued["local_id"], State.FORWARDING))
        journal.run(lambda t: t.step(queued["local_id"], State.FORWARD_DECLINED, last_error="card blocked"))
    retried = terminal("queue", "--db", str(db), "retry", queued["local_id"])
    assert retried.returncode == 0, retried.stderr
    again = json.loads(retried.stdout)
    assert again["state"] == "offline-queued" and again["msgid"] != queued["msgid"]
    missing = terminal("queue", "--db", str(db), "retry", "NO-SUCH-ID")
    assert missing.returncode == 1 and "no transaction NO-SUCH-ID" in missing.stderr
    settled = terminal("queue", "--db", str(db), "retry", again["local_id"])
    assert settled.returncode == 0


def test_sale_without_a_price_list_copy_offline_says_sell_for_cash(tmp_path: Path, basket: str) -> None:
    done = sale(tmp_path / "j.db", DOWN, basket, 13)
    assert done.returncode == 1 and "sell for cash" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def proxy_process(settlement_service: ServiceProcess) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_loopback_port()
    process = subprocess.Popen([sys.executable, "-m", "terminal", "sim", "proxy", "--listen", str(port),
                                "--target", settlement_service.url, "--faults", "timeout-after=2x@2102"],
                               cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            import socket

            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", process
    process.terminate()
    process.communicate(timeout=10)


def test_an_unknown_outcome_exits_4_and_forward_resolves_it_once(
        tmp_path: Path, settlement_service: ServiceProcess, basket: str,
        proxy_process: tuple[str, subprocess.Popen[str]]) -> None:
    url, _process = proxy_process
    config = tmp_path / "till.json"
    config.write_text(json.dumps({"service": {"read_timeout_s": 1.0}}))
    raw = Raw(settlement_service.url)
    try:
        done = sale(tmp_path / "j.db", url, basket, 13, "--config", str(config))
        assert done.returncode == 4, done.stderr
        row = json.loads(done.stdout)
        assert row["state"] == "sending" and row["msgid"] and "forward" in done.stderr
        assert row["msgid"] in done.stderr
        resolved = terminal("forward", "--db", str(tmp_path / "j.db"), "--service", settlement_service.url,
                            "--once", "--config", str(config))
        assert resolved.returncode == 0, resolved.stderr
        assert json.loads(resolved.stdout)["settled"] == [row["local_id"]]
        detail = raw.ok("3202", {"data": {"stmt_begndate": date.today().isoformat(),
                                          "stmt_enddate": date.today().isoformat()}})["detail"]
        assert [d["medins_setl_id"] for d in detail] == [row["msgid"]]  # settled once
    finally:
        raw.close()


def test_two_forwarders_on_one_journal_one_says_it_is_busy(tmp_path: Path, settlement_service: ServiceProcess,
                                                           basket: str) -> None:
    db = tmp_path / "j.db"
    row_of(sale(db, settlement_service.url, basket, 13))
    long_running = subprocess.Popen([sys.executable, "-m", "terminal", "forward", "--db", str(db), "--service",
                                     DOWN], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            second = terminal("forward", "--db", str(db), "--service", settlement_service.url, "--once")
            if second.returncode == 3 and "Another forwarder" in second.stderr:
                break
            time.sleep(0.2)
        assert "Another forwarder" in second.stderr and str(long_running.pid) in second.stderr
    finally:
        long_running.terminate()
        out, _err = long_running.communicate(timeout=30)
    assert long_running.returncode == 0 and json.loads(out.splitlines()[-1])["state"] == "stopped"


def test_the_proxy_command_refuses_a_bad_spec(tmp_path: Path) -> None:
    done = terminal("sim", "proxy", "--listen", str(free_loopback_port()), "--target", "http://127.0.0.1:1",
                    "--faults", "explode=1")
    assert done.returncode == 1 and "explode" in done.stderr and "Traceback" not in done.stderr
    assert os.path.exists(REPO / "terminal" / "sim" / "proxy.py")
