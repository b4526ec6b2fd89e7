"""`python -m terminal split --input FILE [--policy FILE]`, run as a real subprocess.

Expected answers are worked out by hand from DESIGN.md (arithmetic in the comments);
bad inputs must end with a non-zero exit and a one-line message naming the field.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
AMOUNT = re.compile(r"^\d+\.\d{2}$")
SETLINFO_MONEY = (
    "medfee_sumamt", "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
    "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay",
    "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay", "psn_cash_pay", "hosp_part_amt",
    "balc", "acct_mulaid_pay")
ITEM_MONEY = ("det_item_fee_sumamt", "fulamt_ownpay_amt", "overlmt_amt", "preselfpay_amt",
              "inscp_scp_amt")

# The example input of issue 2, verbatim.
ISSUE_EXAMPLE: dict[str, Any] = {
    "med_type": "41", "acct_used_flag": "1", "insutype": "310", "psn_type": "11",
    "balc": "1500.00", "holder_balc": None, "dedc_used": "0.00", "fund_used": "0.00",
    "items": [{"med_list_codg": "...", "pric": "12.3400", "cnt": "2", "chrgitm_lv": "02",
               "selfpay_prop": None, "pric_uplmt_amt": None}],
}


def run_split(tmp_path: Path, data: Any, *extra: str, raw: bytes | None = None
              ) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "input.json"
    path.write_bytes(raw if raw is not None else json.dumps(data).encode())
    return run_cli("split", "--input", str(path), *extra)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "terminal", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)


def answer(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.returncode == 0, proc.stderr
    out: dict[str, Any] = json.loads(proc.stdout)
    for name in SETLINFO_MONEY:
        assert AMOUNT.match(out["setlinfo"][name]), (name, out["setlinfo"][name])
    for item in out["items"]:
        for name in ITEM_MONEY:
            assert AMOUNT.match(item[name]), (name, item[name])
    return out


def money(out: dict[str, Any]) -> dict[str, str]:
    return {name: out["setlinfo"][name] for name in SETLINFO_MONEY}


def item_view(item: dict[str, Any]) -> dict[str, Any]:
    keys = ("med_list_codg", "pric", "cnt", "chrgitm_lv", "selfpay_prop", "pric_uplmt_amt",
            *ITEM_MONEY)
    return {k: item[k] for k in keys}


def test_issue_example(tmp_path: Path) -> None:
    # det = round(12.3400 * 2) = 24.68; Class B default prop 0.10:
    #   preselfpay = round(24.68 * 0.10) = round(2.468) = 2.47; inscp = 24.68 - 2.47 = 22.21
    # 310/11 outpatient: deductible_left 800.00 -> act_pay_dedc = min(22.21, 800.00) = 22.21
    # hifp = round(0.00 * 0.50) = 0.00; psn_part = 24.68; acct_pay = min(1500.00, 24.68) = 24.68
    # cash 0.00; balc = 1500.00 - 24.68 = 1475.32
    out = answer(run_split(tmp_path, ISSUE_EXAMPLE))
    assert money(out) == {
        "medfee_sumamt": "24.68", "fulamt_ownpay_amt": "0.00", "overlmt_selfpay": "0.00",
        "preselfpay_amt": "2.47", "inscp_scp_amt": "22.21", "act_pay_dedc": "22.21",
        "hifp_pay": "0.00", "cvlserv_pay": "0.00", "hifes_pay": "0.00", "hifmi_pay": "0.00",
        "hifob_pay": "0.00", "maf_pay": "0.00", "oth_pay": "0.00", "fund_pay_sumamt": "0.00",
        "psn_part_amt": "24.68", "acct_pay": "24.68", "psn_cash_pay": "0.00",
        "hosp_part_amt": "0.00", "balc": "1475.32", "acct_mulaid_pay": "0.00"}
    setlinfo = out["setlinfo"]
    assert setlinfo["pool_prop_selfpay"] == "0.50"
    assert (setlinfo["med_type"], setlinfo["insutype"], setlinfo["psn_type"]) == ("41", "310", "11")
    assert [item_view(i) for i in out["items"]] == [{
        "med_list_codg": "...", "pric": "12.3400", "cnt": "2", "chrgitm_lv": "02",
        "selfpay_prop": "0.10", "pric_uplmt_amt": None, "det_item_fee_sumamt": "24.68",
        "fulamt_ownpay_amt": "0.00", "overlmt_amt": "0.00", "preselfpay_amt": "2.47",
        "inscp_scp_amt": "22.21"}]
    assert out["setldetail"] == [
        {"fund_pay_type": "310100", "inscp_scp_amt": "22.21", "crt_payb_lmt_amt": "10000.00",
         "fund_payamt": "0.00"},
        {"fund_pay_type": "310200", "inscp_scp_amt": "22.21", "crt_payb_lmt_amt": "1500.00",
         "fund_payamt": "24.68"},
    ]


def test_bound_resident_three_classes_deductible_crossed(tmp_path: Path) -> None:
    # A: det = round(40.0000 * 2) = 80.00, inscp 80.00
    # C: det = round(9.9900 * 1) = 9.99, fulamt 9.99
    # B (prop 0.30, cap 18.0000): det = round(20.0000 * 1.5) = 30.00;
    #    overlmt = round((20 - 18) * 1.5) = 3.00; preselfpay = round((30.00 - 3.00) * 0.30) = 8.10
    #    inscp = 30.00 - 3.00 - 8.10 = 18.90
    # medfee = 80.00 + 9.99 + 30.00 = 119.99; inscp = 80.00 + 18.90 = 98.90
    #   (9.99 + 3.00 + 8.10 + 98.90 = 119.99)
    # 390 outpatient: deductible_left = 200.00 - 150.00 = 50.00 -> act_pay_dedc 50.00
    # hifp = round((98.90 - 50.00) * 0.50) = round(24.45) = 24.45; psn_part = 119.99 - 24.45 = 95.54
    # acct_pay = min(0.00, 95.54) = 0.00; mulaid = min(30.00, 95.54) = 30.00; cash = 65.54
    data = {
        "med_type": "11", "acct_used_flag": "1", "insutype": "390", "psn_type": "21",
        "balc": "0.00", "holder_balc": "30.00", "dedc_used": "150.00", "fund_used": "0.00",
        "items": [
            {"med_list_codg": "A1", "pric": "40.0000", "cnt": "2", "chrgitm_lv": "01"},
            {"med_list_codg": "C1", "pric": "9.9900", "cnt": "1", "chrgitm_lv": "03",
             "selfpay_prop": None, "pric_uplmt_amt": None},
            {"med_list_codg": "B1", "pric": "20.0000", "cnt": "1.5", "chrgitm_lv": "02",
             "selfpay_prop": "0.30", "pric_uplmt_amt": "18.0000"},
        ],
    }
    out = answer(run_split(tmp_path, data))
    assert money(out) == {
        "medfee_sumamt": "119.99", "fulamt_ownpay_amt": "9.99", "overlmt_selfpay": "3.00",
        "preselfpay_amt": "8.10", "inscp_scp_amt": "98.90", "act_pay_dedc": "50.00",
        "hifp_pay": "24.45", "cvlserv_pay": "0.00", "hifes_pay": "0.00", "hifmi_pay": "0.00",
        "hifob_pay": "0.00", "maf_pay": "0.00", "oth_pay": "0.00", "fund_pay_sumamt": "24.45",
        "psn_part_amt": "95.54", "acct_pay": "0.00", "psn_cash_pay": "65.54",
        "hosp_part_amt": "0.00", "balc": "0.00", "acct_mulaid_pay": "30.00"}
    assert [(i["med_list_codg"], i["det_item_fee_sumamt"], i["fulamt_ownpay_amt"],
             i["overlmt_amt"], i["preselfpay_amt"], i["inscp_scp_amt"]) for i in out["items"]] == [
        ("A1", "80.00", "0.00", "0.00", "0.00", "80.00"),
        ("C1", "9.99", "9.99", "0.00", "0.00", "0.00"),
        ("B1", "30.00", "0.00", "3.00", "8.10", "18.90"),
    ]
    assert out["items"][2]["selfpay_prop"] == "0.30"
    assert out["items"][2]["pric_uplmt_amt"] == "18.0000"
    assert out["setldetail"] == [
        {"fund_pay_type": "310100", "inscp_scp_amt": "98.90", "crt_payb_lmt_amt": "3000.00",
         "fund_payamt": "24.45"}]


CUSTOM_POLICY = {
    "region": "990000",
    "name": "test policy",
    "class_b_selfpay_prop": "0.10",
    "med_type_buckets": {"41": "outpatient", "11": "outpatient", "21": "inpatient"},
    "account_insutypes": ["310"],
    "rules": [
        {"insutype": "310", "psn_type": "11", "bucket": "outpatient", "deductible": "0.00",
         "ratio": "0.80", "cap": "10000.00"},
    ],
}


def test_policy_option_changes_the_ratio(tmp_path: Path) -> None:
    # Same bill as the issue example, under a policy with no deductible and ratio 0.80:
    # inscp 22.21 (det 24.68, preselfpay 2.47); act_pay_dedc = min(22.21, 0.00) = 0.00
    # hifp = round(22.21 * 0.80) = round(17.768) = 17.77; psn_part = 24.68 - 17.77 = 6.91
    # acct_pay = min(1500.00, 6.91) = 6.91; balc = 1500.00 - 6.91 = 1493.09
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(CUSTOM_POLICY))
    out = answer(run_split(tmp_path, ISSUE_EXAMPLE, "--policy", str(policy)))
    setlinfo = out["setlinfo"]
    assert setlinfo["pool_prop_selfpay"] == "0.80"
    assert (setlinfo["act_pay_dedc"], setlinfo["hifp_pay"], setlinfo["fund_pay_sumamt"],
            setlinfo["psn_part_amt"], setlinfo["acct_pay"], setlinfo["psn_cash_pay"],
            setlinfo["balc"]) == ("0.00", "17.77", "17.77", "6.91", "6.91", "0.00", "1493.09")


def test_policy_option_class_b_default(tmp_path: Path) -> None:
    # A policy whose Class B default is 0.25: preselfpay = round(24.68 * 0.25) = round(6.17) = 6.17
    # inscp = 24.68 - 6.17 = 18.51; hifp = round(18.51 * 0.80) = round(14.808) = 14.81
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({**CUSTOM_POLICY, "class_b_selfpay_prop": "0.25"}))
    out = answer(run_split(tmp_path, ISSUE_EXAMPLE, "--policy", str(policy)))
    assert out["items"][0]["selfpay_prop"] == "0.25"
    assert (out["setlinfo"]["preselfpay_amt"], out["setlinfo"]["inscp_scp_amt"],
            out["setlinfo"]["hifp_pay"]) == ("6.17", "18.51", "14.81")


def assert_clear_error(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    """Non-zero exit, nothing on stdout, no traceback, one `error:` line naming the problem.

    A second `detail:` line for technicians is allowed; nothing else.
    """
    assert proc.returncode != 0, proc.stdout
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines, "nothing on stderr"
    assert lines[0].startswith("error: "), proc.stderr
    assert all(extra.startswith("detail: ") for extra in lines[1:]), proc.stderr
    assert len(lines) <= 2, proc.stderr
    for word in words:
        assert word in lines[0], (word, proc.stderr)


def with_item(**changes: Any) -> dict[str, Any]:
    item = {**ISSUE_EXAMPLE["items"][0], **changes}
    return {**ISSUE_EXAMPLE, "items": [item]}


def without(name: str) -> dict[str, Any]:
    return {k: v for k, v in ISSUE_EXAMPLE.items() if k != name}


BAD_INPUTS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("items not a list", {**ISSUE_EXAMPLE, "items": {"pric": "1"}}, ("items", "list")),
    ("items empty", {**ISSUE_EXAMPLE, "items": []}, ("items",)),
    ("item not an object", {**ISSUE_EXAMPLE, "items": ["x"]}, ("items[0]",)),
    ("input a list", [ISSUE_EXAMPLE], ("input",)),
    ("negative price", with_item(pric="-1.00"), ("items[0].pric",)),
    ("float price", with_item(pric=12.34), ("items[0].pric", "float")),
    ("five-place price", with_item(pric="12.34567"), ("items[0].pric",)),
    ("price not a number", with_item(pric="12,34"), ("items[0].pric",)),
    ("NaN price", with_item(pric="NaN"), ("items[0].pric",)),
    ("absurd price", with_item(pric="1e30"), ("items[0].pric",)),
    ("missing price", with_item(pric=None), ("items[0].pric",)),
    ("cnt 0", with_item(cnt="0"), ("items[0].cnt",)),
    ("negative cnt", with_item(cnt="-2"), ("items[0].cnt",)),
    ("absurd cnt", with_item(cnt="1e9"), ("items[0].cnt",)),
    ("float cnt", with_item(cnt=2.5), ("items[0].cnt", "float")),
    ("unknown chrgitm_lv", with_item(chrgitm_lv="04"), ("items[0].chrgitm_lv",)),
    ("selfpay_prop above 1", with_item(selfpay_prop="1.5"), ("items[0].selfpay_prop",)),
    ("negative price cap", with_item(pric_uplmt_amt="-3"), ("items[0].pric_uplmt_amt",)),
    ("missing med_list_codg", with_item(med_list_codg=None), ("items[0].med_list_codg",)),
    ("missing med_type", without("med_type"), ("med_type",)),
    ("unknown med_type", {**ISSUE_EXAMPLE, "med_type": "99"}, ("99",)),
    ("no rule for insutype", {**ISSUE_EXAMPLE, "insutype": "320"}, ("320",)),
    ("bad acct_used_flag", {**ISSUE_EXAMPLE, "acct_used_flag": "2"}, ("acct_used_flag",)),
    ("missing balc", without("balc"), ("balc",)),
    ("negative balc", {**ISSUE_EXAMPLE, "balc": "-5.00"}, ("balc",)),
    ("three-place balc", {**ISSUE_EXAMPLE, "balc": "5.005"}, ("balc",)),
    ("float balc", {**ISSUE_EXAMPLE, "balc": 1500.0}, ("balc", "float")),
    ("negative holder_balc", {**ISSUE_EXAMPLE, "holder_balc": "-1.00"}, ("holder_balc",)),
    ("missing dedc_used", without("dedc_used"), ("dedc_used",)),
    ("negative fund_used", {**ISSUE_EXAMPLE, "fund_used": "-0.01"}, ("fund_used",)),
]


@pytest.mark.parametrize(("data", "words"), [(d, w) for _, d, w in BAD_INPUTS],
                         ids=[name for name, _, _ in BAD_INPUTS])
def test_bad_input_is_refused_clearly(tmp_path: Path, data: Any, words: tuple[str, ...]) -> None:
    assert_clear_error(run_split(tmp_path, data), *words)


def test_missing_input_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    assert_clear_error(run_cli("split", "--input", str(missing)), str(missing))


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe\x00garbage"],
                         ids=["broken", "empty", "not utf-8"])
def test_input_not_json(tmp_path: Path, raw: bytes) -> None:
    assert_clear_error(run_split(tmp_path, None, raw=raw), "input.json")


def test_deeply_nested_json_is_refused_clearly(tmp_path: Path) -> None:
    # 100000 nested lists: valid JSON that the decoder cannot read without deep recursion.
    assert_clear_error(run_split(tmp_path, None, raw=b"[" * 100_000), "input.json")


def test_missing_policy_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-policy.json"
    assert_clear_error(run_split(tmp_path, ISSUE_EXAMPLE, "--policy", str(missing)), str(missing))


def test_malformed_policy_file(tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({**CUSTOM_POLICY, "rules": [{"insutype": "310"}]}))
    assert_clear_error(run_split(tmp_path, ISSUE_EXAMPLE, "--policy", str(policy)), "policy")


def test_negative_zero_price_gives_no_negative_amounts(tmp_path: Path) -> None:
    # "-0.00" is zero: det = round(-0.00 * 2) is shown as "0.00", never "-0.00".
    proc = run_split(tmp_path, with_item(pric="-0.00"))
    assert proc.returncode == 0, proc.stderr
    item = json.loads(proc.stdout)["items"][0]
    assert [item[name] for name in ITEM_MONEY] == ["0.00"] * 5


def test_exponent_notation_is_refused(tmp_path: Path) -> None:
    # Prices travel as plain decimal strings; "1E+1" is refused with the field named.
    assert_clear_error(run_split(tmp_path, with_item(pric="1E+1", chrgitm_lv="01")), "items[0].pric")
