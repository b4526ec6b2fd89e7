"""The journal's history search, shift report, closing of the day, and the audit trail's rows (real SQLite)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from terminal.errors import BadInput
from terminal.offline import audit
from terminal.offline.history import Query, detail, search
from terminal.offline.journal import Journal
from terminal.offline.shift import DayClosed, DayNotClear, close_day, closed, report_lines, shift_report
from terminal.offline.states import Kind, State
from terminal.offline.transactions import Transactions

DAY = "2026-11-30"
ID = "120101198204171019"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal(tmp_path / "journal.db", till="CT-T") as opened:
        yield opened


def sale(t: Transactions, operator: str, medfee: str, cash: str, to: State, *, time: str = "10:00:00",
         setl_id: str = "S1", name: str = "张伟") -> str:
    row = t.create(Kind.PHARMACY_SALE, sale_time=f"{DAY} {time}", operator=operator, request={"data": {}},
                   medfee=Decimal(medfee), psn_no="12000000000000000001")
    answer = {"setlinfo": {"setl_id": setl_id, "psn_name": name, "certno": ID}}
    if to is State.SETTLED:
        t.step(row.local_id, State.SENDING, msgid=f"M{setl_id}")
        t.step(row.local_id, State.SETTLED, answer=answer, cash_collected=Decimal(cash), receipt=True)
    elif to is State.OFFLINE_QUEUED:
        t.step(row.local_id, State.OFFLINE_QUEUED, msgid=f"M{setl_id}", cash_collected=Decimal(cash), receipt=True)
    return row.local_id


def test_the_history_finds_by_number_person_and_state(journal: Journal) -> None:
    first = journal.run(lambda t: sale(t, "0001", "20.00", "5.00", State.SETTLED, setl_id="S100"))
    queued = journal.run(lambda t: sale(t, "0001", "8.50", "8.50", State.OFFLINE_QUEUED, setl_id="S200",
                                        time="11:00:00"))
    day = date.fromisoformat(DAY)

    def found(**query: str) -> list[str]:
        return [r.local_id for r in journal.run(lambda t: search(t, Query(day, day, **query)))]

    assert found() == [queued, first]  # newest first
    assert found(number="S100") == [first]
    receipt = journal.run(lambda t: t.get(first)).receipt_no
    assert receipt is not None and found(number=receipt) == [first]
    assert found(person=ID.lower()) == [first] and found(person="张伟") == [first]
    assert found(state="waiting") == [queued] and found(state="settled") == [first]
    with pytest.raises(BadInput, match="last day is before"):
        journal.run(lambda t: search(t, Query(day, date(2026, 11, 1))))
    with pytest.raises(BadInput, match="letters, digits or dashes"):
        found(number="S1'; DROP TABLE txn")
    assert journal.run(lambda t: detail(t, first)).events[-1]["new_state"] == "settled"


def test_the_shift_report_counts_per_operator_and_the_day_closes_once(journal: Journal) -> None:
    journal.run(lambda t: sale(t, "0001", "20.00", "5.00", State.SETTLED, setl_id="S1"))
    journal.run(lambda t: sale(t, "0002", "30.00", "30.00", State.SETTLED, setl_id="S2"))
    queued = journal.run(lambda t: sale(t, "0001", "8.50", "8.50", State.OFFLINE_QUEUED, setl_id="S3"))
    report = journal.run(lambda t: shift_report(t, DAY))
    assert [(o.opter, o.sales, o.cash_taken) for o in report.operators] == [
        ("0001", 2, Decimal("13.50")), ("0002", 1, Decimal("30.00"))]
    assert report.cash_net == Decimal("43.50") and report.queued_amount == Decimal("8.50")
    lines = report_lines(report, institution_name="P", width=42)
    assert any("43.50" in line for line in lines) and all(len(line) <= 42 for line in lines[2:])
    with pytest.raises(DayNotClear, match="1 transaction") as refused:
        journal.run(lambda t: close_day(t, DAY, operator="0002"))
    receipt = journal.run(lambda t: t.get(queued)).receipt_no
    assert receipt is not None and receipt in refused.value.cashier_message
    assert journal.run(lambda t: closed(t, DAY)) is None
    journal.run(lambda t: close_day(t, DAY, operator="0001", approved_by="0002", override_reason="network down"))
    row = journal.run(lambda t: closed(t, DAY))
    assert row is not None and row["approved_by"] == "0002" and row["override_reason"] == "network down"
    with pytest.raises(DayClosed):
        journal.run(lambda t: close_day(t, DAY, operator="0002", approved_by="0002", override_reason="again"))


def test_the_audit_trail_masks_personal_data_and_exports(journal: Journal, tmp_path: Path) -> None:
    journal.run(lambda t: audit.record(t, audit.Event.SIGN_IN, "0001", detail={"role": "cashier"}))
    journal.run(lambda t: audit.record(t, audit.Event.APPROVAL, "0001", subject="CT-T-1", approved_by="0002",
                                       detail={"psn_name": "张伟", "why": f"customer {ID} returned it"}))
    rows = journal.run(lambda t: audit.rows(t))
    assert [r.event for r in rows] == ["approval", "sign-in"]
    assert rows[0].detail == {"psn_name": "张*", "why": "customer 120101********1019 returned it"}
    assert [r.event for r in journal.run(lambda t: audit.rows(t, operator="0001", event="sign-in"))] == ["sign-in"]
    path = tmp_path / "audit.csv"
    assert journal.run(lambda t: audit.export_rows(t, path)) == 2
    text = path.read_text(encoding="utf-8")
    assert ID not in text and "张伟" not in text
    assert [r["event"] for r in csv.DictReader(text.splitlines())] == ["approval", "sign-in"]
