"""The `settle` and `sale` commands with the pharmacy rules: basket lines carry "drug_trac_codg" and "rx_no".

The service runs on the demo catalog itself (its boxed drugs need codes, amoxicillin a prescription
number), so a line the command lets through must also settle there. A missing, malformed or repeated
code is refused before anything is sent; a code the service holds as sold is refused by it; either way
the command prints one line naming the line (and the code) and exits non-zero.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_helpers import AMOXICILLIN, PERSONS, psn

from terminal.catalog import load_catalog
from terminal.sim.boxes import fresh_codes
from terminal.sim.processes import REPO, ServiceProcess, free_loopback_port, running_settlement_service

IBUPROFEN = "XM01AEB051E002010101037"  # boxed, no prescription
CATALOG = load_catalog()
DOWN = f"http://127.0.0.1:{free_loopback_port()}"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    with running_settlement_service(tmp_path_factory.mktemp("trac") / "service.db") as running:
        yield running


def codes(code: str, n: int) -> list[str]:
    return fresh_codes(CATALOG[code], n)


def run(tmp_path: Path, command: str, url: str, basket: Any, n: int, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "basket.json"
    path.write_text(json.dumps(basket), encoding="utf-8")
    p = PERSONS[psn(n)]
    return subprocess.run([sys.executable, "-m", "terminal", command, "--service", url, "--basket", str(path),
                           "--card-no", p["card_no"], "--card-sn", p["card_sn"], *extra],
                          cwd=REPO, capture_output=True, text=True, timeout=90)


def error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0 and done.stdout == "" and "Traceback" not in done.stderr, done.stderr
    return done.stderr.strip().splitlines()[0]


def settlements(service: ServiceProcess) -> int:
    with sqlite3.connect(service.db) as db:
        return int(db.execute("SELECT count(*) FROM settlement").fetchone()[0])


def sold(service: ServiceProcess) -> set[str]:
    with sqlite3.connect(service.db) as db:
        return {row[0] for row in db.execute("SELECT code FROM sold_code WHERE status = 'settled'")}


def test_settle_with_codes_and_a_prescription_then_the_same_box_again_is_refused_naming_the_line(
        tmp_path: Path, service: ServiceProcess) -> None:
    amox, ibu = codes(AMOXICILLIN, 2), codes(IBUPROFEN, 1)
    basket = [{"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": ibu},
              {"barcode": CATALOG[AMOXICILLIN].barcode, "cnt": "2", "drug_trac_codg": amox, "rx_no": "RX-CLI-1"}]
    done = run(tmp_path, "settle", service.url, basket, 13)
    assert done.returncode == 0, done.stderr
    assert set(amox + ibu) <= sold(service)
    before = settlements(service)
    again = [{"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": codes(IBUPROFEN, 1)},
             {"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": ibu, "pric": "15.00"}]
    said = error_line(run(tmp_path, "settle", service.url, again, 13))
    assert "line 2" in said and ibu[0] in said and "already sold" in said
    assert settlements(service) == before


@pytest.mark.parametrize("line,words", [
    ({"med_list_codg": IBUPROFEN, "cnt": "2", "drug_trac_codg": ["8" + "1" * 19]}, "needs 2 traceability code"),
    ({"med_list_codg": IBUPROFEN, "cnt": "1"}, "needs 1 traceability code"),
    ({"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": ["7" + "1" * 19]}, "is malformed"),
    ({"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": "not a list"}, "malformed"),
    ({"med_list_codg": AMOXICILLIN, "cnt": "1", "drug_trac_codg": ["8" + "2" * 19]}, "prescription number"),
], ids=["too-few", "missing", "malformed", "not-a-list", "no-rx_no"])
def test_settle_refuses_a_line_breaking_a_rule_before_sending_naming_it(
        tmp_path: Path, service: ServiceProcess, line: dict[str, Any], words: str) -> None:
    before = settlements(service)
    first = {"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": codes(IBUPROFEN, 1)}  # a good line
    said = error_line(run(tmp_path, "settle", service.url, [first, line], 13))
    assert "line 2" in said.lower() and words in said, said
    assert settlements(service) == before


def test_sale_queues_offline_with_codes_and_refuses_a_box_its_journal_already_sold(
        tmp_path: Path, service: ServiceProcess) -> None:
    db = tmp_path / "journal.db"
    box = codes(IBUPROFEN, 1)
    basket = [{"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": box}]
    online = run(tmp_path, "sale", service.url, basket, 11, "--db", str(db))
    assert online.returncode == 0, online.stderr
    assert json.loads(online.stdout)["state"] == "settled" and box[0] in sold(service)
    # Offline, the journal alone knows the box was sold here: refused naming the line, nothing queued.
    said = error_line(run(tmp_path, "sale", DOWN, basket, 11, "--db", str(db)))
    assert "line 1" in said and box[0] in said and "already sold at this counter" in said
    other = codes(IBUPROFEN, 1)
    queued = run(tmp_path, "sale", DOWN, [{"med_list_codg": IBUPROFEN, "cnt": "1", "drug_trac_codg": other}], 11,
                 "--db", str(db))
    assert queued.returncode == 0, queued.stderr
    assert json.loads(queued.stdout)["state"] == "offline-queued"


def test_the_basket_help_names_the_pharmacy_keys() -> None:
    for command in ("settle", "sale"):
        done = subprocess.run([sys.executable, "-m", "terminal", command, "--help"], cwd=REPO, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0
        if command == "settle":
            assert "drug_trac_codg" in done.stdout and "rx_no" in done.stdout
