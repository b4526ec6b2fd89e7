"""Traceability codes and the pharmacy rules on a sale's lines: the catalog's fields, the scan router, the
basket's codes and prescription numbers, each refusal naming the line and the code."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest

from terminal.catalog import Catalog, catalog_item_from_json, catalog_item_to_json, load_catalog
from terminal.devices.scan_codes import MalformedTraceabilityCode, TraceabilityScan, route_scan
from terminal.errors import ConfigError
from terminal.fields import Fields
from terminal.pharmacy_sale import drugdetail_entry, price_basket
from terminal.sim.processes import plain_catalog_file
from terminal.traceability import LineRuleBroken, check_line, codes_needed, is_trac_code

# 阿莫西林胶囊 8.50, as an older catalog has it (the demo catalog marks it a boxed prescription drug)
PLAIN = load_catalog().without_pharmacy_rules()["XJ01CAA040E001010101000"]
BOXED = dataclasses.replace(PLAIN, trac_required=True)
RX = dataclasses.replace(BOXED, rx_flag=True)
RESTRICTED = dataclasses.replace(PLAIN, med_list_codg="XR05XAR001A001010109999", name="复方盐酸伪麻黄碱缓释胶囊",
                                 barcode=None, trac_required=True, max_cnt_per_sale=Decimal(2))
CODE_A, CODE_B, CODE_C = "81234567890123456789", "81234567890123456790", "81234567890123456791"
FEE_TIME = "2026-11-30 10:00:00"


def test_a_traceability_code_is_20_digits_beginning_with_8() -> None:
    assert is_trac_code(CODE_A)
    for bad in ("71234567890123456789", "8123456789012345678", "812345678901234567890", "8123456789012345678x",
                "８1234567890123456789", ""):
        assert not is_trac_code(bad), bad


def test_the_scan_router_knows_a_traceability_code_and_names_a_cut_one() -> None:
    assert route_scan(CODE_A) == TraceabilityScan(CODE_A)
    assert route_scan(f"  {CODE_A}\r\n") == TraceabilityScan(CODE_A)
    with pytest.raises(MalformedTraceabilityCode, match="19 digits, not 20"):
        route_scan(CODE_A[:19])
    assert route_scan("6901070202353").code == "6901070202353"  # an EAN-13 is still a box barcode


def test_the_catalog_reads_and_writes_the_rules_and_an_older_catalog_is_unchanged() -> None:
    plain = catalog_item_to_json(PLAIN)
    assert "rx_flag" not in plain and "trac_required" not in plain and "max_cnt_per_sale" not in plain
    assert catalog_item_from_json(Fields(plain, "c")) == PLAIN
    ruled = {**plain, "rx_flag": "1", "trac_required": True, "max_cnt_per_sale": 2}
    item = catalog_item_from_json(Fields(ruled, "c"))
    assert (item.rx_flag, item.trac_required, item.max_cnt_per_sale) == (True, True, Decimal(2))
    assert catalog_item_to_json(item) == ruled
    assert catalog_item_from_json(Fields({**plain, "max_cnt_per_sale": "3"}, "c")).max_cnt_per_sale == 3
    for bad in ({"trac_required": "yes"}, {"rx_flag": "2"}, {"max_cnt_per_sale": 0}, {"max_cnt_per_sale": 1.5}):
        with pytest.raises(ConfigError):
            Catalog.from_json([{**plain, **bad}])


def test_one_code_per_whole_box() -> None:
    assert codes_needed(BOXED, Decimal(2)) == 2
    assert codes_needed(BOXED, Decimal("2.5")) == 2
    assert codes_needed(BOXED, Decimal("0.5")) == 0  # a part box carries none
    assert codes_needed(PLAIN, Decimal(3)) == 0


@pytest.mark.parametrize(("item", "cnt", "codes", "rx_no", "words"), [
    (BOXED, Decimal(2), [CODE_A], None, "needs 2 traceability code"),
    (BOXED, Decimal(1), [CODE_A, CODE_B], None, "carries 2 traceability codes for 1"),
    (BOXED, Decimal(2), [CODE_A, CODE_A], None, f"{CODE_A} is given twice"),
    (BOXED, Decimal(1), ["8123"], None, "malformed"),
    (PLAIN, Decimal(1), [CODE_A], None, "takes no traceability codes"),
    (RX, Decimal(1), [CODE_A], None, "prescription number"),
    (RX, Decimal(1), [CODE_A], "RX 1", "prescription number of line 3"),
    (RESTRICTED, Decimal(3), [CODE_A, CODE_B, CODE_C], None, "at most 2 per person per sale"),
])
def test_each_rule_names_the_line(item: object, cnt: Decimal, codes: list[str], rx_no: str | None,
                                  words: str) -> None:
    with pytest.raises(LineRuleBroken, match=words) as refused:
        check_line(3, item, cnt, codes, rx_no)  # type: ignore[arg-type]
    assert "line 3" in refused.value.cashier_message and refused.value.line == 3


def test_a_line_that_keeps_every_rule_passes() -> None:
    check_line(1, RX, Decimal(2), [CODE_A, CODE_B], "RX-2026-001")
    check_line(2, BOXED, Decimal("0.5"), [], None)
    check_line(3, RESTRICTED, Decimal(2), [CODE_A, CODE_B], None)


def test_drugdetail_carries_the_codes_comma_joined_and_the_rx_no() -> None:
    entry = drugdetail_entry(1, RX, Decimal("8.50"), Decimal(2), FEE_TIME, trac_codes=[CODE_A, CODE_B],
                             rx_no="RX-1")
    assert entry["drug_trac_codg"] == f"{CODE_A},{CODE_B}" and entry["rx_no"] == "RX-1"
    plain = drugdetail_entry(1, PLAIN, Decimal("8.50"), Decimal(2), FEE_TIME)
    assert "drug_trac_codg" not in plain and "rx_no" not in plain


def test_a_basket_file_takes_codes_and_rx_no_and_names_the_line_that_breaks_a_rule() -> None:
    catalog = Catalog([RX, RESTRICTED])
    lines = price_basket([{"med_list_codg": RX.med_list_codg, "cnt": "2", "drug_trac_codg": [CODE_A, CODE_B],
                           "rx_no": "RX-7"}], catalog, FEE_TIME)
    assert lines[0]["drug_trac_codg"] == f"{CODE_A},{CODE_B}" and lines[0]["rx_no"] == "RX-7"
    with pytest.raises(LineRuleBroken, match="line 2"):
        price_basket([{"med_list_codg": RX.med_list_codg, "cnt": "1", "drug_trac_codg": [CODE_A], "rx_no": "R"},
                      {"med_list_codg": RX.med_list_codg, "cnt": "1", "rx_no": "R"}], catalog, FEE_TIME)
    with pytest.raises(LineRuleBroken, match=f"{CODE_A} is given on line 1 and again on line 2"):
        price_basket([{"med_list_codg": RX.med_list_codg, "cnt": "1", "drug_trac_codg": [CODE_A], "rx_no": "R"},
                      {"med_list_codg": RX.med_list_codg, "cnt": "1", "drug_trac_codg": [CODE_A], "rx_no": "R"}],
                     catalog, FEE_TIME)
    with pytest.raises(LineRuleBroken, match="at most 2 per person per sale, 3 in this sale"):
        price_basket([{"med_list_codg": RESTRICTED.med_list_codg, "cnt": "2", "drug_trac_codg": [CODE_A, CODE_B]},
                      {"med_list_codg": RESTRICTED.med_list_codg, "cnt": "1", "drug_trac_codg": [CODE_C]}],
                     catalog, FEE_TIME)


def test_the_receipt_lists_each_lines_codes_compactly_the_prescription_and_the_masked_buyer() -> None:
    from terminal.receipt import WIDTH_58MM, WIDTH_80MM, ReceiptSale, display_width, render_receipt

    setlinfo = {k: "0.00" for k in ("fulamt_ownpay_amt", "overlmt_selfpay", "preselfpay_amt", "inscp_scp_amt",
                                    "act_pay_dedc", "hifp_pay", "cvlserv_pay", "hifes_pay", "hifmi_pay", "hifob_pay",
                                    "maf_pay", "oth_pay", "fund_pay_sumamt", "psn_part_amt", "acct_pay",
                                    "hosp_part_amt", "balc", "acct_mulaid_pay")}
    setlinfo.update(medfee_sumamt="25.50", psn_cash_pay="25.50", pool_prop_selfpay="0", setl_time=FEE_TIME)
    entry = drugdetail_entry(1, RX, Decimal("8.50"), Decimal(3), FEE_TIME, trac_codes=[CODE_A, CODE_B, CODE_C],
                             rx_no="RX-2026-9")
    sale = ReceiptSale.from_setlinfo(setlinfo, [entry])
    wide = render_receipt(sale, institution_name="P", catalog=Catalog([RX]), buyer_id="120101198204171019")
    assert f" {CODE_A} {CODE_B}" in wide and f" {CODE_C}" in wide  # two codes to a line on 80 mm paper
    assert any("RX-2026-9" in line for line in wide)
    assert any("120101********1019" in line for line in wide) and not any("198204171019" in x for x in wide)
    narrow = render_receipt(sale, institution_name="P", catalog=Catalog([RX]), width=WIDTH_58MM)
    assert f" {CODE_A}" in narrow and all(display_width(line) <= WIDTH_58MM for line in narrow)
    assert all(display_width(line) <= WIDTH_80MM for line in wide)


def test_the_demo_catalog_marks_its_boxed_prescription_and_restricted_drugs() -> None:
    catalog = load_catalog()
    boxed = {i.med_list_codg for i in catalog.values() if i.list_type == "drug" and i.barcode}
    assert {i.med_list_codg for i in catalog.values() if i.trac_required} == boxed
    names = {i.name for i in catalog.values() if i.rx_flag}
    assert {"阿莫西林胶囊", "硝苯地平控释片", "甘精胰岛素注射液", "布地奈德福莫特罗吸入粉雾剂"} <= names
    assert not {"布洛芬缓释胶囊", "对乙酰氨基酚片", "感冒灵颗粒", "连花清瘟胶囊", "维生素C泡腾片"} & names
    restricted = [i for i in catalog.values() if i.max_cnt_per_sale is not None]
    assert [(i.name, i.max_cnt_per_sale, i.rx_flag, i.trac_required) for i in restricted] == [
        ("复方盐酸伪麻黄碱缓释胶囊", Decimal(2), False, True)]
    assert catalog.by_barcode("6901158301718") == restricted[0]


def test_the_plain_catalog_is_the_demo_catalog_without_the_rules(tmp_path: Path) -> None:
    path = plain_catalog_file(tmp_path)
    assert path == tmp_path / "plain-catalog.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert not any({"rx_flag", "trac_required", "max_cnt_per_sale"} & set(e) for e in entries)
    plain, demo = load_catalog(path), load_catalog()
    assert list(plain) == list(demo)
    for code, item in demo.items():
        assert plain[code] == dataclasses.replace(item, rx_flag=False, trac_required=False, max_cnt_per_sale=None)
