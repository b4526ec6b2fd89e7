"""Several tills of one pharmacy against one service: every sale settles once, with its own answer.

Each till is its own process with its own configuration (dev_no and msgid block) and its own
state folder, as on real counters. Before msgid blocks, two tills selling in the same second made
the same msgid and the second till was shown the first till's customer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from service_helpers import AMOXICILLIN, PARACETAMOL, PERSONS, Raw, psn

from terminal.sim.processes import REPO, ServiceProcess


def till(tmp_path: Path, number: int) -> dict[str, str]:
    """The environment of till `number`: its configuration file and its own state folder."""
    config = tmp_path / f"till-{number}.json"
    config.write_text(json.dumps({"terminal": {"dev_no": f"CT-{number:04d}", "msgid_block": number}}))
    state = tmp_path / f"state-{number}"
    return {**os.environ, "TERMINAL_CONFIG": str(config), "TERMINAL_STATE_DIR": str(state)}


def start_settle(env: dict[str, str], url: str, basket: Path, n: int) -> subprocess.Popen[str]:
    p = PERSONS[psn(n)]
    return subprocess.Popen([sys.executable, "-m", "terminal", "settle", "--service", url, "--basket", str(basket),
                             "--card-no", p["card_no"], "--card-sn", p["card_sn"]], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(run: subprocess.Popen[str]) -> dict[str, object]:
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, err
    result: dict[str, object] = json.loads(out)
    return result


def test_two_tills_selling_in_the_same_second_each_settle_their_own_sale(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    basket = tmp_path / "basket.json"
    basket.write_text(json.dumps([{"med_list_codg": AMOXICILLIN, "cnt": "1"}]))
    raw = Raw(settlement_service.url)
    try:
        for _round in range(3):
            while time.time() % 1 > 0.05:  # both start just after a second boundary
                time.sleep(0.005)
            runs = {n: start_settle(till(tmp_path, t), settlement_service.url, basket, n)
                    for t, n in ((1, 13), (2, 2))}
            results = {n: finish(run) for n, run in runs.items()}
            for n, result in results.items():
                assert result["setlinfo"]["psn_no"] == psn(n)  # type: ignore[index]
            msgids = {str(r["msgid"]) for r in results.values()}
            assert len(msgids) == 2 and {m[26:28] for m in msgids} == {"01", "02"}
        assert raw.totals()["fixmedins_setl_cnt"] == "6"
    finally:
        raw.close()


def test_four_tills_selling_at_once_settle_every_sale_once(tmp_path: Path, settlement_service: ServiceProcess) -> None:
    basket = tmp_path / "basket.json"
    basket.write_text(json.dumps([{"med_list_codg": PARACETAMOL, "cnt": "1"}]))
    persons = {1: 13, 2: 2, 3: 11, 4: 9}
    raw = Raw(settlement_service.url)
    try:
        before = {n: raw.balance(n) for n in persons.values()}
        sales_per_till = 4
        seen: set[str] = set()
        for _sale in range(sales_per_till):
            runs = {t: start_settle(till(tmp_path, t), settlement_service.url, basket, n)
                    for t, n in persons.items()}
            for t, run in runs.items():
                result = finish(run)
                assert result["setlinfo"]["psn_no"] == psn(persons[t])  # type: ignore[index]
                assert str(result["msgid"])[26:28] == f"{t:02d}"
                seen.add(str(result["msgid"]))
        assert len(seen) == len(persons) * sales_per_till
        assert raw.totals()["fixmedins_setl_cnt"] == str(len(seen))
        detail = raw.ok("3202", {"data": {"stmt_begndate": time.strftime("%Y-%m-%d"),
                                          "stmt_enddate": time.strftime("%Y-%m-%d")}})["detail"]
        assert sorted(row["medins_setl_id"] for row in detail) == sorted(seen)
        for n, was in before.items():
            assert raw.balance(n) <= was  # each paid only for their own sales
    finally:
        raw.close()


def test_two_tills_misconfigured_with_one_block_are_refused_never_mixed_up(
        tmp_path: Path, settlement_service: ServiceProcess) -> None:
    # CT-0001 claims block 1 first; CT-0002 configured with the same block is refused by the service
    # and never shown CT-0001's customer, even when both make the same msgid in the same second.
    basket = tmp_path / "basket.json"
    basket.write_text(json.dumps([{"med_list_codg": AMOXICILLIN, "cnt": "1"}]))
    first = till(tmp_path, 1)
    second = {**till(tmp_path, 2)}
    wrong = tmp_path / "till-2-wrong.json"
    wrong.write_text(json.dumps({"terminal": {"dev_no": "CT-0002", "msgid_block": 1}}))
    second["TERMINAL_CONFIG"] = str(wrong)
    assert finish(start_settle(first, settlement_service.url, basket, 13))["setlinfo"]["psn_no"] == psn(13)  # type: ignore[index]
    refused = start_settle(second, settlement_service.url, basket, 2)
    out, err = refused.communicate(timeout=120)
    assert refused.returncode == 1 and out == ""
    assert "block" in err and "CT-0001" in err and "Traceback" not in err
    assert psn(13) not in err
