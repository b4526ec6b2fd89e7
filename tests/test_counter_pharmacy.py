"""The pharmacy rules on the counter's sale: codes scanned in any order, prescriptions, restricted drugs."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from terminal.catalog import load_catalog
from terminal.counter import CounterSale, Phase
from terminal.errors import BadInput
from terminal.sale_rules import CodeRefused, Needed, check_resident_id

CATALOG = load_catalog()
AMOX = dataclasses.replace(CATALOG["XJ01CAA040E001010101000"], trac_required=True, rx_flag=True)  # 8.50
IBU = dataclasses.replace(CATALOG["XM01AEB051E002010101037"], trac_required=True)  # 15.80
PSEUDO = dataclasses.replace(CATALOG["ZA01BAG0137010010101407"], trac_required=True, max_cnt_per_sale=Decimal(2))
C1, C2, C3, C4 = (f"8{n:019d}" for n in (11, 12, 13, 14))
BUYER = "120101198204171019"  # a valid resident ID (the demo person 张伟's)


def with_person() -> CounterSale:
    sale = CounterSale()
    sale.set_person("person")
    return sale


def test_the_box_barcode_then_its_codes() -> None:
    sale = with_person()
    sale.add(IBU, Decimal(2))
    assert isinstance(sale.requirement(), Needed) and sale.requirement().line == 1  # type: ignore[union-attr]
    sale.add_code(C1)
    sale.add_code(C2)
    assert sale.lines[0].codes == [C1, C2] and sale.requirement() is None
    assert sale.basket()[0]["drug_trac_codg"] == [C1, C2]


def test_codes_first_then_the_box_barcode() -> None:
    sale = with_person()
    assert sale.add_code(C1).line is None and sale.add_code(C2).line is None  # they wait for their box
    assert "wait for their box" in str(sale.requirement())
    sale.add(IBU)
    sale.add(IBU)
    assert sale.lines[0].codes == [C1, C2] and not sale.pending_codes and sale.requirement() is None


def test_a_code_goes_to_the_drug_scanned_last_or_the_line_chosen() -> None:
    sale = with_person()
    sale.add(IBU)
    sale.add(AMOX)
    sale.add_code(C1)  # the drug scanned last
    assert sale.lines[1].codes == [C1]
    sale.add_code(C2, chosen=0)
    assert sale.lines[0].codes == [C2]


def test_a_code_scanned_twice_or_malformed_is_refused_at_once() -> None:
    sale = with_person()
    sale.add(IBU, Decimal(2))
    sale.add_code(C1)
    with pytest.raises(CodeRefused, match="already on line 1"):
        sale.add_code(C1)
    with pytest.raises(CodeRefused, match="not a traceability code"):
        sale.add_code("8123")
    assert sale.lines[0].codes == [C1]


def test_with_two_lines_short_of_codes_the_cashier_chooses() -> None:
    sale = with_person()
    sale.add(IBU)
    sale.add(AMOX)
    sale.void_line(1)
    sale.add(AMOX)
    sale.last_line = None
    with pytest.raises(CodeRefused, match="choose the line"):
        sale.add_code(C1)


def test_fewer_boxes_drop_their_codes() -> None:
    sale = with_person()
    sale.add(IBU, Decimal(3))
    for code in (C1, C2, C3):
        sale.add_code(code)
    assert sale.set_quantity(0, Decimal(1)) == [C2, C3] and sale.lines[0].codes == [C1]


def test_pre_settle_waits_for_codes_then_the_prescription_then_the_buyer() -> None:
    sale = with_person()
    sale.add(AMOX)
    sale.add(PSEUDO)
    with pytest.raises(Needed, match="Line 1") as need:
        sale.begin_quote()
    assert need.value.kind == "codes"
    sale.add_code(C1, chosen=0)
    sale.add_code(C2, chosen=1)
    with pytest.raises(Needed) as need:
        sale.begin_quote()
    assert need.value.kind == "rx_no" and need.value.line == 1
    sale.set_rx_no(0, "RX-2026-001")
    with pytest.raises(Needed) as need:
        sale.begin_quote()
    assert need.value.kind == "buyer_id"
    sale.set_buyer_id(BUYER.lower())
    assert sale.begin_quote() and sale.phase is Phase.QUOTING
    assert sale.basket()[0]["rx_no"] == "RX-2026-001"


def test_one_prescription_number_fills_every_prescription_line_still_without_one() -> None:
    nifedipine = dataclasses.replace(CATALOG["XC08CAX089A010010101111"], rx_flag=True)
    sale = with_person()
    sale.add(nifedipine)
    sale.add(IBU)
    sale.add(AMOX)
    sale.add_code(C1, chosen=1)
    sale.add_code(C2, chosen=2)
    sale.add_code(C3, chosen=0)
    sale.set_rx_no(0, "RX-1")
    assert sale.set_prescription(" RX-2 ") == [2]  # the ibuprofen needs none; the nifedipine kept RX-1
    assert [line.rx_no for line in sale.lines] == ["RX-1", None, "RX-2"] and sale.requirement() is None
    with pytest.raises(BadInput, match="prescription number"):
        sale.set_prescription("RX 2/3")


def test_a_restricted_drug_is_refused_over_its_limit_across_lines() -> None:
    sale = with_person()
    sale.add(PSEUDO, Decimal(2))
    with pytest.raises(BadInput, match="at most 2 per person per sale"):
        sale.add(PSEUDO, Decimal(1), pric=Decimal("1.00"))  # another line of it, at another price
    with pytest.raises(BadInput, match="at most 2"):
        sale.set_quantity(0, Decimal(3))
    assert sale.lines[0].cnt == 2


def test_a_cash_sale_needs_no_codes() -> None:
    sale = with_person()
    sale.add(IBU)
    with pytest.raises(Needed):
        sale.begin_quote()
    assert sale.offer_cash(sale.version, "the insurance cannot pay")
    sale.begin_settle()
    assert sale.phase is Phase.SETTLING


@pytest.mark.parametrize("text", ["12010119820417101", "120101198204171018", "1201011982041710190", "abc"])
def test_a_buyer_id_that_does_not_add_up_is_refused(text: str) -> None:
    with pytest.raises(BadInput):
        check_resident_id(text)
    assert check_resident_id(" 12010120150621105x ") == "12010120150621105X"
