"""End to end: the `settle` command (ec.query, 1101, 2101, 2102) as a subprocess against the real service."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from service_helpers import (
    AMOXICILLIN,
    CATALOG,
    NIFEDIPINE,
    PERSONS,
    VITAMIN_C,
    Raw,
    check_settlement,
    expect,
    lines,
    psn,
    voucher,
)

from terminal.sim.processes import REPO, ServiceProcess, free_loopback_port


# One service per test, so each test's settlements are its own.
@pytest.fixture
def service(settlement_service: ServiceProcess) -> ServiceProcess:
    return settlement_service


@pytest.fixture
def raw(service: ServiceProcess) -> Iterator[Raw]:
    r = Raw(service.url)
    yield r
    r.close()


def settle(tmp_path: Path, url: str, basket: Any, *who: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "basket.json"
    path.write_text(json.dumps(basket), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "terminal", "settle", "--service", url, "--basket", str(path),
                           *who], cwd=REPO, capture_output=True, text=True, timeout=60)


def by_card(n: int) -> tuple[str, ...]:
    p = PERSONS[psn(n)]
    return ("--card-no", p["card_no"], "--card-sn", p["card_sn"])


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The one "error:" line a cashier reads (cli.main may add "detail:" lines for IT staff)."""
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr, result.stderr
    err_lines = result.stderr.strip().splitlines()
    assert err_lines[0].startswith("error: ") and len(err_lines[0]) > 20, result.stderr
    assert all(extra.startswith("detail: ") for extra in err_lines[1:]), result.stderr
    return err_lines[0]


# By hand for 013 (deductible 800 left, balc 8000.00): AMOXICILLIN 8.50 x 2 = 17.00 (A, under its cap),
# NIFEDIPINE 33.50 (B, cap 31.20): overlmt 2.30, preselfpay round(31.20*0.10)=3.12, inscp 28.08,
# VITAMIN_C 23.80 (C). medfee 74.30; inscp 45.08 all to the deductible; the account pays 74.30.
BASKET = [{"barcode": CATALOG[AMOXICILLIN]["barcode"], "cnt": "2"}, {"med_list_codg": NIFEDIPINE, "cnt": "1"},
          {"barcode": CATALOG[VITAMIN_C]["barcode"], "cnt": "1"}]


def test_settle_by_card(tmp_path: Path, service: ServiceProcess, raw: Raw) -> None:
    result = settle(tmp_path, service.url, BASKET, *by_card(13))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"setlinfo", "setldetail", "drugdetail"} <= set(out)
    s = check_settlement(out, lines((AMOXICILLIN, "2"), (NIFEDIPINE, "1"), (VITAMIN_C, "1")))
    expect(s, medfee_sumamt="74.30", fulamt_ownpay_amt="23.80", overlmt_selfpay="2.30", preselfpay_amt="3.12",
           inscp_scp_amt="45.08", act_pay_dedc="45.08", hifp_pay="0.00", acct_pay="74.30", psn_cash_pay="0.00",
           balc="7925.70")
    assert out["setlinfo"]["setl_id"] and out["setlinfo"]["mdtrt_cert_type"] == "03"
    assert raw.balance(13) == Decimal("7925.70")
    assert {d["fund_pay_type"] for d in out["setldetail"]} == {"310100", "310200"}


def test_settle_by_voucher_without_the_account(tmp_path: Path, service: ServiceProcess, raw: Raw) -> None:
    # 009: retiree, deductible met, ratio 0.70: inscp 45.08 -> hifp round(31.556)=31.56; psn_part 42.74,
    # all cash with --acct-used 0.
    result = settle(tmp_path, service.url, {"items": BASKET}, "--voucher", voucher(9), "--acct-used", "0")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    s = check_settlement(out, lines((AMOXICILLIN, "2"), (NIFEDIPINE, "1"), (VITAMIN_C, "1")))
    expect(s, hifp_pay="31.56", psn_part_amt="42.74", acct_pay="0.00", psn_cash_pay="42.74", balc="5400.00")
    assert out["setlinfo"]["mdtrt_cert_type"] == "01" and out["setlinfo"]["psn_no"] == psn(9)


def test_settle_for_a_family_member_by_the_holders_voucher(tmp_path: Path, service: ServiceProcess,
                                                           raw: Raw) -> None:
    before = raw.balance(1)
    assert before == Decimal("1500.00")
    result = settle(tmp_path, service.url, [{"med_list_codg": AMOXICILLIN, "cnt": "1"}],
                    "--voucher", voucher(3, holder=1))
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)["setlinfo"]
    assert info["psn_no"] == psn(3) and info["acct_mulaid_pay"] == "8.50"
    assert raw.balance(1) == before - Decimal("8.50")


def test_suspended_person_exits_non_zero_with_one_line(tmp_path: Path, service: ServiceProcess, raw: Raw) -> None:
    line = one_line_error(settle(tmp_path, service.url, BASKET, *by_card(7)))
    assert "suspended" in line
    assert raw.balance(7) == Decimal("860.00")


def test_unknown_barcode_exits_non_zero_with_one_line(tmp_path: Path, service: ServiceProcess, raw: Raw) -> None:
    before = raw.totals()
    line = one_line_error(settle(tmp_path, service.url, [{"barcode": "6900000000000", "cnt": "1"}],
                                 *by_card(13)))
    assert "6900000000000" in line
    assert raw.totals() == before


@pytest.mark.parametrize("case", ["expired voucher", "forged card_sn", "missing card_sn", "bad basket",
                                  "no service"])
def test_other_failures_exit_non_zero_with_one_line(tmp_path: Path, service: ServiceProcess, raw: Raw,
                                                    case: str) -> None:
    url, basket, who, expected = service.url, BASKET, by_card(13), ""
    if case == "expired voucher":
        who, expected = ("--voucher", voucher(13, ttl_s=-5)), "expired"
    elif case == "forged card_sn":
        who, expected = (*by_card(13)[:3], PERSONS[psn(9)]["card_sn"]), "card_sn"
    elif case == "missing card_sn":
        who, expected = by_card(13)[:2], "card-sn"
    elif case == "bad basket":
        basket, expected = [{"med_list_codg": AMOXICILLIN, "cnt": "-1"}], "cnt"
    else:
        url, expected = f"http://127.0.0.1:{free_loopback_port()}", "cannot be reached"
    before = raw.totals()
    line = one_line_error(settle(tmp_path, url, basket, *who))
    assert expected in line
    assert raw.totals() == before


def settle_at_once(tmp_path: Path, url: str, persons: list[int]) -> list[subprocess.CompletedProcess[str]]:
    """Several `settle` runs started together, just after a second boundary (as on busy tills)."""
    while time.time() % 1 > 0.05:
        time.sleep(0.01)
    runs = []
    for n in persons:
        path = tmp_path / f"basket{n}.json"
        path.write_text(json.dumps([{"med_list_codg": AMOXICILLIN, "cnt": "1"}]), encoding="utf-8")
        runs.append(subprocess.Popen([sys.executable, "-m", "terminal", "settle", "--service", url,
                                      "--basket", str(path), *by_card(n)], cwd=REPO, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    results = []
    for run in runs:
        out, err = run.communicate(timeout=60)
        results.append(subprocess.CompletedProcess(run.args, run.returncode, out, err))
    return results


def test_settle_runs_in_the_same_second_each_settle_their_own_sale(tmp_path: Path, service: ServiceProcess,
                                                                   raw: Raw) -> None:
    persons = [13, 2, 11, 9]
    results = settle_at_once(tmp_path, service.url, persons)
    for n, result in zip(persons, results, strict=True):
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["setlinfo"]["psn_no"] == psn(n)
    assert raw.totals()["fixmedins_setl_cnt"] == str(len(persons))
