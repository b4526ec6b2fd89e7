"""The journal knows the boxes this counter sold: a traceability code sold here is refused at once, offline
too; the buyer of a restricted drug is recorded and masked like any ID."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from offline_helpers import till_settings

from terminal.client import client_from_settings
from terminal.offline.checkout import Checkout, CodeAlreadySold
from terminal.offline.journal import Journal
from terminal.offline.states import Kind, State
from terminal.offline.transactions import Transactions

C1, C2, C3 = (f"8{n:019d}" for n in (21, 22, 23))


def request(*codes: str) -> dict[str, object]:
    return {"data": {"medfee_sumamt": "8.50"}, "drugdetail": [
        {"feedetl_sn": "0001", "med_list_codg": "X", "drug_trac_codg": ",".join(codes)}]}


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.db", till="CT-T") as opened:
        yield opened


def sale(t: Transactions, *codes: str, to: State | None = None) -> str:
    row = t.create(Kind.PHARMACY_SALE, sale_time="2026-11-30 10:00:00", operator="0001", request=request(*codes),
                   medfee=Decimal("8.50"))
    if to is not None:
        t.step(row.local_id, to, msgid="M1")
    return row.local_id


def test_a_code_counts_as_sold_from_the_moment_its_message_may_leave_until_a_reversal(journal: Journal) -> None:
    draft = journal.run(lambda t: sale(t, C1))
    queued = journal.run(lambda t: sale(t, C2, to=State.OFFLINE_QUEUED))
    assert journal.run(lambda t: t.codes_sold([C1, C2, C3])) == {C2: queued}  # a draft reserves nothing
    assert journal.run(lambda t: t.codes_sold([C2], besides=queued)) == {}
    journal.run(lambda t: t.step(draft, State.SENDING, msgid="M2"))
    assert journal.run(lambda t: t.codes_sold([C1])) == {C1: draft}


def test_a_sale_quoted_again_with_other_boxes_holds_only_its_new_codes(journal: Journal) -> None:
    local_id = journal.run(lambda t: sale(t, C1, C2))
    journal.run(lambda t: t.step(local_id, State.DRAFT, request=request(C3)))
    journal.run(lambda t: t.step(local_id, State.SENDING, msgid="M3"))
    assert journal.run(lambda t: t.codes_sold([C1, C2, C3])) == {C3: local_id}


def test_the_checkout_refuses_a_box_this_counter_already_sold_naming_the_line(journal: Journal) -> None:
    sold = journal.run(lambda t: sale(t, C2, to=State.OFFLINE_QUEUED))
    settings = till_settings()
    client = client_from_settings(settings, url="http://127.0.0.1:9")
    try:
        checkout = Checkout(journal, client, settings)
        lines = [{"drug_trac_codg": C1}, {"drug_trac_codg": f"{C3},{C2}"}]
        with pytest.raises(CodeAlreadySold, match=f"{C2} on line 2 was already sold at this counter") as refused:
            checkout.check_codes(lines, None)
        assert sold in refused.value.cashier_message and refused.value.line == 2
        checkout.check_codes([{"drug_trac_codg": C1}], None)
    finally:
        client.close()


def test_the_buyer_of_a_restricted_drug_is_recorded_and_masked(journal: Journal) -> None:
    local_id = journal.run(lambda t: sale(t, C1))
    row = journal.run(lambda t: t.step(local_id, State.DRAFT, buyer_id="120101198204171019"))
    assert row.buyer_id == "120101198204171019"
    assert row.to_json()["buyer_id"] != "120101198204171019"  # masked unless personal data is asked for
    assert row.to_json(personal_data=True)["buyer_id"] == "120101198204171019"
    journal.run(lambda t: t.step(local_id, State.SENDING, msgid="M4"))
    journal.run(lambda t: t.step(local_id, State.SETTLED))
    journal.run(lambda t: t.mask_personal_data(finished_before=1e12))
    assert journal.run(lambda t: t.get(local_id)).buyer_id == "120101********1019"
