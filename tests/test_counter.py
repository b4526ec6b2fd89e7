"""The sale at the counter: the rules the counter screen shows and never decides itself."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.catalog import load_catalog
from terminal.counter import CannotSettle, Counter, CounterSale, Phase, SaleLocked
from terminal.errors import BadInput

CATALOG = load_catalog().without_pharmacy_rules()  # these sales are not about the pharmacy rules
AMOXICILLIN = CATALOG["XJ01CAA040E001010101000"]  # 8.50
PARACETAMOL = CATALOG["XN02BED019A001010102184"]  # 3.20


def quoted_sale() -> CounterSale:
    sale = CounterSale()
    sale.add(AMOXICILLIN)
    sale.set_person("person")
    version = sale.begin_quote()
    assert sale.quoted(version, "ROW-1", {"psn_cash_pay": "8.50"}, [])
    return sale


def test_the_same_drug_scanned_again_adds_to_its_line() -> None:
    sale = CounterSale()
    sale.add(AMOXICILLIN)
    sale.add(PARACETAMOL)
    sale.add(AMOXICILLIN, Decimal(2))
    assert [(line.item.med_list_codg, line.cnt) for line in sale.lines] == [
        (AMOXICILLIN.med_list_codg, Decimal(3)), (PARACETAMOL.med_list_codg, Decimal(1))]
    assert sale.total == Decimal("28.70") and sale.phase is Phase.RINGING
    assert sale.basket()[0] == {"med_list_codg": AMOXICILLIN.med_list_codg, "cnt": "3", "pric": "8.50"}


def test_a_quote_for_lines_that_changed_meanwhile_is_ignored() -> None:
    sale = CounterSale()
    sale.add(AMOXICILLIN)
    sale.set_person("person")
    version = sale.begin_quote()
    sale.add(PARACETAMOL)  # a scan while the quote was on its way
    assert not sale.quoted(version, "ROW-1", {"psn_cash_pay": "8.50"}, [])
    assert sale.quote is None and sale.phase is Phase.RINGING and sale.row_id == "ROW-1"
    with pytest.raises(CannotSettle, match="Pre-settle first"):
        sale.begin_settle()


def test_settle_needs_drugs_a_person_and_a_quote_of_these_lines() -> None:
    sale = CounterSale()
    with pytest.raises(CannotSettle, match="drugs first"):
        sale.begin_settle()
    sale.add(AMOXICILLIN)
    with pytest.raises(CannotSettle, match="card"):
        sale.begin_settle()
    sale.set_person("person")
    with pytest.raises(CannotSettle, match="Pre-settle"):
        sale.begin_settle()


def test_a_second_press_of_settle_or_a_scan_while_settling_is_refused() -> None:
    sale = quoted_sale()
    sale.begin_settle()
    with pytest.raises(SaleLocked):
        sale.begin_settle()
    with pytest.raises(SaleLocked):
        sale.add(PARACETAMOL)
    with pytest.raises(SaleLocked):
        sale.set_acct_used(False)
    sale.settled("ROW")
    assert sale.phase is Phase.DONE
    with pytest.raises(CannotSettle, match="already settled"):
        sale.begin_settle()


def test_an_unknown_outcome_locks_the_sale_and_a_refusal_frees_it() -> None:
    sale = quoted_sale()
    sale.begin_settle()
    sale.settle_failed("unknown", in_doubt=True)
    assert sale.phase is Phase.IN_DOUBT
    with pytest.raises(SaleLocked):
        sale.add(PARACETAMOL)
    refused = quoted_sale()
    refused.begin_settle()
    refused.settle_failed("the insurance is suspended")
    assert refused.phase is Phase.RINGING and refused.quote is None and refused.message


def test_switching_the_account_off_needs_a_new_quote() -> None:
    sale = quoted_sale()
    sale.set_acct_used(False)
    assert sale.phase is Phase.RINGING and sale.quote is None


@pytest.mark.parametrize("cnt", ["0", "-1", "100001", "1.00001", "NaN"])
def test_a_quantity_out_of_range_is_a_sentence(cnt: str) -> None:
    sale = CounterSale()
    sale.add(AMOXICILLIN)
    with pytest.raises(BadInput, match="quantity"):
        sale.set_quantity(0, Decimal(cnt))
    assert sale.lines[0].cnt == 1


def test_hold_and_resume_a_sale_while_another_customer_is_served() -> None:
    counter = Counter()
    counter.sale.add(AMOXICILLIN)
    counter.sale.set_person("first")
    held = counter.hold()
    assert counter.sale.phase is Phase.READY and counter.held == [held]
    counter.sale.add(PARACETAMOL)
    with pytest.raises(BadInput, match="Finish or hold"):
        counter.resume()
    counter.void()
    resumed = counter.resume()
    assert resumed is held and resumed.person == "first" and counter.held == []


def test_the_next_customer_never_drops_an_unsettled_sale() -> None:
    counter = Counter()
    counter.sale.add(AMOXICILLIN)
    with pytest.raises(BadInput, match="not settled"):
        counter.next_customer()
    counter.sale.set_person("p")
    counter.sale.quoted(counter.sale.begin_quote(), "R", {}, [])
    counter.sale.begin_settle()
    with pytest.raises(SaleLocked):
        counter.next_customer()
    with pytest.raises(SaleLocked):
        counter.void()
    counter.sale.settled("row")
    assert counter.next_customer().phase is Phase.READY


def test_a_line_out_of_range_says_choose_a_line() -> None:
    with pytest.raises(BadInput, match="Choose a line"):
        CounterSale().void_line(0)
