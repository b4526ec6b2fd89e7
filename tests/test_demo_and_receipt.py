"""The receipt renderer and the headless demo (the README's first command)."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal

from terminal.answers import settlement_from_output
from terminal.fields import Fields
from terminal.privacy import mask_id, mask_name
from terminal.receipt import Tender, display_width, render_receipt
from terminal.sim.processes import REPO


def test_personal_data_is_masked() -> None:
    assert mask_name("张小明") == "张*明"
    assert mask_name("刘洋") == "刘*"
    assert mask_id("12010120150621105X") == "120101********105X"


def test_receipt_columns_line_up_with_wide_characters() -> None:
    info = {name: "0.00" for name in (
        "fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "act_pay_dedc", "hifp_pay", "cvlserv_pay",
        "hifes_pay", "hifmi_pay", "hifob_pay", "maf_pay", "oth_pay", "fund_pay_sumamt", "hosp_part_amt",
        "acct_mulaid_pay", "acct_pay", "balc")}
    info.update(medfee_sumamt="17.00", inscp_scp_amt="17.00", pool_prop_selfpay="0.50", psn_part_amt="17.00",
                psn_cash_pay="17.00", setl_id="S1", psn_name="刘洋", certno="120101199001081093",
                setl_time="2026-11-23 09:00:00")
    item = {"med_list_codg": "X1", "pric": "8.5000", "cnt": "2", "chrgitm_lv": "01", "selfpay_prop": "0.00",
            "pric_uplmt_amt": None, "det_item_fee_sumamt": "17.00", "fulamt_ownpay_amt": "0.00",
            "overlmt_amt": "0.00", "preselfpay_amt": "0.00", "inscp_scp_amt": "17.00"}
    settlement = settlement_from_output(Fields({"setlinfo": info, "setldetail": [], "drugdetail": [item]}, ""),
                                        "drugdetail")
    lines = render_receipt(settlement, institution_name="测试药房", catalog={}, tender=Tender(Decimal("20.00")),
                           width=32)
    assert all(display_width(line) <= 32 for line in lines)
    amounts = [line for line in lines if line.endswith(("17.00", "20.00", "3.00"))]
    assert amounts and all(display_width(line) == 32 for line in amounts)
    assert any("找零 Change" in line and line.endswith("3.00") for line in lines)
    assert not any("刘洋" in line or "199001081093" in line for line in lines)


def test_demo_runs_the_whole_chain_and_stops_everything() -> None:
    done = subprocess.run([sys.executable, "-m", "terminal", "demo", "--walkthrough"], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "card read: T10234628" in out
    assert "现金支付 Cash                        48.70" in out
    assert "家庭共济 Family mutual aid            8.50" in out  # the child's sale, paid from the holder
    assert "insurance of 杨磊 is suspended" in out
    # The pharmacy rules: each box's code on its line, the prescription number, and a box sold twice refused.
    codes = re.search(r"line 1 阿莫西林胶囊 x2: box codes (8\d{19}) (8\d{19}), prescription RX\d{12}\n", out)
    assert codes is not None, out
    assert re.search(r"line 3 维生素E软胶囊 x1: box codes 8\d{19}\n", out)
    assert f"The traceability code {codes[1]} of line 1 (阿莫西林胶囊) was already sold" in out
    assert out.count("stmt_rslt 0 (totals agree)") == 2
