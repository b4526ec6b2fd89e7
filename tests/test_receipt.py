"""The one receipt rendering: a settlement, an offline estimate, a reprint; every line fits the paper."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terminal.answers import Settlement, settlement_from_output
from terminal.catalog import Catalog, load_catalog
from terminal.fields import FieldError, Fields
from terminal.offline.estimate import Person, estimate
from terminal.pharmacy_sale import basket_lines, drugdetail_entry
from terminal.policy import load_policy
from terminal.receipt import (
    WIDTH_58MM,
    WIDTH_80MM,
    ReceiptSale,
    Tender,
    display_width,
    render_receipt,
    wrap,
)
from terminal.split import SplitContext, split

AMOXICILLIN = "XJ01CAA040E001010101000"  # Class A
LIANHUA = "ZA01AAL0344010010101370"  # 连花清瘟胶囊, Class B
SALE_TIME = "2026-11-30 14:05:02"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def drugdetail(catalog: Catalog) -> list[dict[str, Any]]:
    return [drugdetail_entry(1, catalog[AMOXICILLIN], Decimal("8.60"), Decimal(2), SALE_TIME),
            drugdetail_entry(2, catalog[LIANHUA], Decimal("14.80"), Decimal(1), SALE_TIME)]


def settled(catalog: Catalog) -> Settlement:
    """What the service answers for the sale: the engine's split with a person's balance."""
    ctx = SplitContext(med_type="41", insutype="310", psn_type="11", acct_used=True, balc=Decimal("20.00"),
                       holder_balc=None, dedc_used=Decimal("800.00"), fund_used=Decimal(0))
    result = split(basket_lines(drugdetail(catalog), catalog), ctx, load_policy())
    info = {**result.totals.to_json(), "setl_id": "S20261130000123", "psn_name": "张小明",
            "certno": "12010120150621105X", "setl_time": SALE_TIME}
    output = {"setlinfo": info, "setldetail": [], "drugdetail": [i.to_json() for i in result.items]}
    return settlement_from_output(Fields(output, "output"), "drugdetail")


def value_of(lines: list[str], label: str) -> str:
    found = [line for line in lines if line.startswith(label)]
    assert len(found) == 1, (label, lines)
    return found[0].split()[-1]


@pytest.mark.parametrize("width", [WIDTH_58MM, WIDTH_80MM])
def test_a_settlement_receipt_carries_number_operator_split_and_masks_the_person(catalog: Catalog,
                                                                                width: int) -> None:
    sale = settled(catalog)
    lines = render_receipt(sale, institution_name="和平路药房 Heping Street Pharmacy", catalog=catalog,
                           tender=Tender(Decimal("50.00")), width=width, receipt_no="CT-0001-R20261130-00001",
                           operator="0001 王芳")
    assert all(display_width(line) <= width for line in lines)
    assert value_of(lines, "收据号") == "CT-0001-R20261130-00001"
    assert next(line for line in lines if line.startswith("收银员")).endswith("0001 王芳")
    assert value_of(lines, "结算号") == "S20261130000123"
    assert value_of(lines, "姓名") == "张*明" and value_of(lines, "证件") == "120101********105X"
    assert not any("小明" in line or "20150621" in line for line in lines)
    t = sale.totals
    assert value_of(lines, "医疗费总额") == "32.00" == f"{t.medfee_sumamt:.2f}"
    assert value_of(lines, "统筹支付") == f"{t.fund_pay_sumamt:.2f}"
    assert value_of(lines, "个人账户") == f"{t.acct_pay:.2f}" != "0.00"
    assert value_of(lines, "现金支付") == f"{t.psn_cash_pay:.2f}"
    assert value_of(lines, "找零") == f"{Decimal('50.00') - t.psn_cash_pay:.2f}"
    assert value_of(lines, "账户余额") == f"{t.balc:.2f}"
    assert "阿莫西林胶囊 0.25g*24粒" in lines and any(line.startswith("  乙 1 x 14.80") for line in lines)
    assert not any("ESTIMATE" in line or "REPRINT" in line or "~" in line for line in lines)


def test_an_offline_sale_prints_the_estimate_marked(catalog: Catalog) -> None:
    lines_in = drugdetail(catalog)
    info = estimate(basket_lines(lines_in, catalog), Person("P0001", None, None), load_policy())
    sale = ReceiptSale.from_setlinfo(info, lines_in)  # the journal's estimate and request drugdetail
    assert sale.estimate and sale.time == SALE_TIME
    lines = render_receipt(sale, institution_name="Heping Street Pharmacy", catalog=catalog,
                           tender=Tender(Decimal(info["psn_cash_pay"])), width=WIDTH_80MM,
                           receipt_no="CT-0001-R20261130-00002", operator="0001 王芳")
    assert "*** 离线预估 ESTIMATE ***" in lines[2]
    assert value_of(lines, "结算号") == "pending"
    assert value_of(lines, "医疗费总额") == "32.00"  # the bill is known; only the split is estimated
    for label in ("统筹支付", "个人账户", "家庭共济", "现金支付"):
        assert value_of(lines, label).startswith("~")
    assert value_of(lines, "现金支付") == "~" + info["psn_cash_pay"]
    assert value_of(lines, "账户余额") == "-"  # no one asked the account
    assert value_of(lines, "找零") == "0.00"
    assert not any(line.startswith(("姓名", "证件")) for line in lines)  # not known offline
    assert any(line.startswith("~ 预估金额") for line in lines) and any("~ Estimated" in line for line in lines)


def test_a_settlement_flagged_offline_or_estimate_is_an_estimate(catalog: Catalog) -> None:
    sale = settled(catalog)
    flagged = render_receipt(sale, institution_name="P", catalog=catalog, offline=True)
    assert "*** 离线预估 ESTIMATE ***" in flagged[2] and value_of(flagged, "现金支付").startswith("~")
    as_dict = ReceiptSale.from_setlinfo({**sale.setlinfo, "estimate": True}, sale.items)
    assert as_dict.estimate and not ReceiptSale.from_setlinfo(sale.setlinfo, sale.items).estimate


def test_a_reprint_says_so_at_the_top_and_the_bottom(catalog: Catalog) -> None:
    lines = render_receipt(settled(catalog), institution_name="P", catalog=catalog, reprint=True,
                           width=WIDTH_58MM)
    assert "*** 重印 REPRINT ***" in lines[2] and "*** 重印 REPRINT ***" in lines[-1]
    plain = render_receipt(settled(catalog), institution_name="P", catalog=catalog, width=WIDTH_58MM)
    assert len(lines) == len(plain) + 2


def test_every_form_of_items_gives_the_same_receipt(catalog: Catalog) -> None:
    sale = settled(catalog)
    from_settlement = ReceiptSale.from_settlement(sale)
    from_items = ReceiptSale.from_setlinfo(sale.setlinfo, sale.items)
    from_lines = ReceiptSale.from_setlinfo(sale.setlinfo, [i.line for i in sale.items])
    from_json = ReceiptSale.from_setlinfo(sale.setlinfo, [i.to_json() for i in sale.items])
    assert from_settlement == from_items == from_lines == from_json
    render = [render_receipt(s, institution_name="P", catalog=catalog) for s in (sale, from_json)]
    assert render[0] == render[1]


def test_a_malformed_setlinfo_or_item_is_named(catalog: Catalog) -> None:
    sale = settled(catalog)
    with pytest.raises(FieldError, match=r"setlinfo\.psn_cash_pay"):
        ReceiptSale.from_setlinfo({**sale.setlinfo, "psn_cash_pay": "lots"}, sale.items)
    with pytest.raises(FieldError, match=r"items\[1\]\.cnt"):
        ReceiptSale.from_setlinfo(sale.setlinfo, [drugdetail(catalog)[0], {"med_list_codg": LIANHUA,
                                                                            "pric": "1.00"}])


def test_wrapping_breaks_english_between_words_and_never_starts_with_a_comma() -> None:
    assert wrap("the insurance settlement is final", 14) == ["the insurance", "settlement is", "final"]
    chinese = wrap("~ 预估金额：联网后以医保结算为准，差额多退少补。", 32)
    assert all(display_width(line) <= 32 for line in chinese)
    assert not any(line.startswith(("，", "。")) for line in chinese)
    assert "".join(chinese) == "~ 预估金额：联网后以医保结算为准，差额多退少补。"
