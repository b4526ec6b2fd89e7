"""The hospital desks through the counter application, against the simulated service and devices: a clerk
signs in at a counter configured as a desk (counter.desk), identifies the patient by e-voucher or card, and
works the visit with the keys on the buttons.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from counter_rig import WAIT_MS, key
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from terminal.config import config_path
from terminal.demo.environment import DemoEnvironment
from terminal.offline.hospital_desk import HospitalDesk
from terminal.offline.journal import JournalClosed
from terminal.offline.record import Txn
from terminal.offline.states import Kind, State
from terminal.offline.visits import Visit
from terminal.ui.counter_app import CounterApp
from terminal.ui.desk_screen import DeskScreen

PATIENT = "12000000000000000006"


def desk_signed_in(qtbot: QtBot, counter: CounterApp, name: str) -> DeskScreen:
    signin = counter.screens.signin
    signin.opter.setText("0001")
    signin.pin.setText("1111")
    signin.submit()
    screen = counter.screens.desks.screens[name]
    qtbot.waitUntil(lambda: counter.screens.window.current is screen, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: counter.till.catalog is not None, timeout=WAIT_MS)
    screen.entry.setFocus()
    return screen


def press(qtbot: QtBot, counter: CounterApp, screen: DeskScreen, name: str, typed: str = "") -> None:
    """A key on the desk, with `typed` in the entry first; waits until the service answered."""
    screen.entry.setFocus()
    screen.entry.setText(typed)
    key(counter, name)
    qtbot.waitUntil(lambda: not screen.control.busy, timeout=WAIT_MS)


def pre_settled_visit(qtbot: QtBot, counter: CounterApp, world: DemoEnvironment, psn_no: str,
                      fee_code: str) -> DeskScreen:
    """An outpatient visit registered, one fee uploaded and pre-settled: F10 settles it."""
    screen = desk_signed_in(qtbot, counter, "outpatient")
    control = screen.control
    world.show_voucher(psn_no)
    qtbot.waitUntil(lambda: control.identity is not None and control.identity.psn_no == psn_no
                    and not control.busy, timeout=WAIT_MS)
    screen.department.setText("A03 内科")
    screen.doctor.setText("D012 李医生")
    screen.number.setText("MZ20261130002")
    press(qtbot, counter, screen, "F4")
    press(qtbot, counter, screen, "F5", f"{fee_code} 1")
    press(qtbot, counter, screen, "F7")
    press(qtbot, counter, screen, "F9")
    assert control.quote is not None, control.last_message
    return screen


def test_an_outpatient_registration_and_settlement(qtbot: QtBot, world: DemoEnvironment,
                                                   make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(desk="outpatient")
    screen = desk_signed_in(qtbot, counter, "outpatient")
    control = screen.control
    world.show_voucher(PATIENT)  # the scanner: the desk takes it, not the pharmacy sale
    qtbot.waitUntil(lambda: control.identity is not None and control.identity.psn_no == PATIENT, timeout=WAIT_MS)
    assert counter.screens.window.current is screen and "陈*" in screen.patient.name.text()
    screen.department.setText("A03 内科")
    screen.doctor.setText("D012 李医生")
    screen.number.setText("MZ20261130001")
    press(qtbot, counter, screen, "F4")
    assert control.visit is not None and control.visit.mdtrt_id, control.last_message
    press(qtbot, counter, screen, "F5", "001102000020000 1")  # a consultation, typed
    press(qtbot, counter, screen, "F5", "002501010150000 2")  # two blood counts
    assert len(control.pending) == 2 and screen.fees.rowCount() == 2
    press(qtbot, counter, screen, "F7")
    assert control.visit is not None and len(control.visit.fees) == 2 and control.pending == []
    assert control.visit.unsettled_amount == Decimal("70.00")
    press(qtbot, counter, screen, "F9")
    assert control.quote is not None and control.quote.estimate is not None, control.last_message
    assert screen.split.values["medfee_sumamt"].text() == "70.00"
    cash = Decimal(control.quote.estimate["psn_cash_pay"])
    assert screen.split.cash.text() == f"{cash:,.2f}"
    # The visit shows its settlement by the time the receipt starts: a Ctrl+F10 pressed at once finds it.
    seen_at_settled: list[list[str]] = []
    control.settled.connect(lambda row: seen_at_settled.append(
        [s.local_id for s in control.visit.settlements] if control.visit is not None else []))
    with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS) as receipt:
        press(qtbot, counter, screen, "F10", "100")
    result = control.result
    assert result is not None and result.state is State.SETTLED and result.kind is Kind.OUTPATIENT_SETTLEMENT
    assert seen_at_settled == [[result.local_id]]
    assert result.msgid and result.receipt_no and result.cash_collected == cash
    assert "Change" in screen.split.tender.text()
    pdf = Path(str(receipt.args[0]))
    assert pdf.name == f"{result.receipt_no}.pdf" and pdf.read_bytes().startswith(b"%PDF")
    printed = counter.receipt_of(result).lines
    assert any("诊查费" in line for line in printed)
    # Cancelling the settlement is a reversal: Ctrl+F10 asks for a supervisor's number, PIN and reason.
    QTest.keyClick(screen.entry, Qt.Key.Key_F10, Qt.KeyboardModifier.ControlModifier)
    form = screen.approval
    assert form.isVisible() and control.visit is not None and control.visit.settlements
    form.opter.setText("0001")  # the clerk's own PIN is not a supervisor's: nothing changes
    form.pin.setText("1111")
    form.reason.setText("the patient was charged twice")
    form.submit()
    qtbot.waitUntil(lambda: "may not reverse" in form.message.text(), timeout=WAIT_MS)
    assert counter.station.journal.run(lambda t: t.get(result.local_id)).state is State.SETTLED
    form.opter.setText("0002")
    form.pin.setText("2222")
    form.submit()
    qtbot.waitUntil(lambda: not form.isVisible() and control.visit is not None and not control.visit.settlements,
                    timeout=WAIT_MS)
    assert "approved by 0002" in screen.message.text()
    assert counter.station.journal.run(lambda t: t.get(result.local_id)).state is State.REVERSED
    assert len(control.visit.unsettled) == 2


def test_a_bad_fee_list_is_named_row_by_row_and_nothing_is_uploaded(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    counter = make_counter(desk="inpatient")
    screen = desk_signed_in(qtbot, counter, "inpatient")
    control = screen.control
    world.show_voucher("12000000000000000013")
    qtbot.waitUntil(lambda: control.identity is not None and not control.busy, timeout=WAIT_MS)
    for field, text in ((screen.department, "A03 内科"), (screen.ward, "2病区"), (screen.bed, "3"),
                        (screen.diagnosis, "pneumonia"), (screen.number, "ZY3")):
        field.setText(text)
    press(qtbot, counter, screen, "F4")  # the diagnosis is no ICD-10 code: said, nothing sent
    assert control.visit is None and "Diagnosis" in control.last_message
    screen.diagnosis.setText("I10 高血压")
    press(qtbot, counter, screen, "F4")
    assert control.visit is not None and control.visit.mdtrt_id
    bad = tmp_path / "stay.csv"
    bad.write_text("feedetl_sn,med_list_codg,cnt\nB1,001109000010000,1\nB2,001109000010000,-1\n", encoding="utf-8")
    press(qtbot, counter, screen, "F6", str(bad))
    assert "row 2, cnt" in control.last_message and control.pending == []
    press(qtbot, counter, screen, "F7")
    assert control.visit.fees == {} and "No fees are waiting" in control.last_message
    uploads = counter.station.journal.run(lambda t: t.where("kind = 'fee-upload'"))
    assert uploads == []


def test_an_admission_fee_upload_discharge_and_settlement(qtbot: QtBot, world: DemoEnvironment,
                                                          make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(desk="inpatient")
    screen = desk_signed_in(qtbot, counter, "inpatient")
    control = screen.control
    world.insert_card(2)  # the card reader: read at once, identified at the desk
    qtbot.waitUntil(lambda: control.identity is not None and not control.busy, timeout=WAIT_MS)
    assert control.identity is not None and control.identity.psn_no
    screen.department.setText("A03 内科")
    screen.ward.setText("3病区")
    screen.bed.setText("12")
    screen.diagnosis.setText("J18.900 肺炎")
    screen.number.setText("ZY20261130001")
    screen.deposit.setText("500")
    press(qtbot, counter, screen, "F4")
    visit = control.visit
    assert visit is not None and visit.mdtrt_id and visit.deposit == Decimal("500"), control.last_message
    assert "12" in screen.patient.visit.text()
    press(qtbot, counter, screen, "F6", str(config_path("sample-stay.csv")))
    assert len(control.pending) == 16
    press(qtbot, counter, screen, "F7")
    assert control.visit is not None and len(control.visit.fees) == 16 and screen.fees.rowCount() == 16
    assert control.visit.unsettled_amount == Decimal("1492.80")
    assert not screen.bar.isVisible()
    press(qtbot, counter, screen, "F9")  # not discharged yet: refused with a sentence
    assert control.quote is None and "discharge" in control.last_message
    press(qtbot, counter, screen, "F3")
    assert control.visit is not None and control.visit.discharged
    press(qtbot, counter, screen, "F9")
    quote = control.quote
    assert quote is not None and quote.estimate is not None, control.last_message
    due = Decimal(quote.estimate["psn_cash_pay"]) - Decimal("500")
    assert screen.split.values["deposit"].text() == "500.00"
    assert screen.split.title.text() == ("Refund to the patient" if due < 0 else "Cash due")
    assert screen.split.cash.text() == f"{abs(due):,.2f}"
    with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS):
        press(qtbot, counter, screen, "F10")
    result = control.result
    assert result is not None and result.kind is Kind.DISCHARGE_SETTLEMENT and result.state is State.SETTLED
    assert result.cash_collected == due
    printed = counter.receipt_of(result).lines
    assert any("押金 Deposit" in line and "500.00" in line for line in printed)
    assert any(("补缴" if due >= 0 else "退款") in line for line in printed)
    qtbot.waitUntil(lambda: control.visit is not None and not control.visit.open, timeout=WAIT_MS)


def test_a_settlement_whose_answer_is_lost_is_asked_again_and_printed_once(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(desk="outpatient")
    screen = pre_settled_visit(qtbot, counter, world, "12000000000000000011", "001102000010000")
    control = screen.control
    assert world.proxy is not None
    world.proxy.set_faults("timeout-after=2x@2207")  # the service settles; both answers are lost
    with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS * 2):
        press(qtbot, counter, screen, "F10")
        assert "F12" in control.last_message, control.last_message
        qtbot.waitUntil(lambda: (control.visit is not None and control.visit.in_doubt != []) or
                        control.result is not None, timeout=WAIT_MS)
        if control.result is None:
            press(qtbot, counter, screen, "F12")  # the same msgid again: the service's first answer
    result = control.result
    assert result is not None and result.state is State.SETTLED and result.attempts >= 2
    rows = counter.station.journal.run(lambda t: t.where("infno = '2207'"))
    assert [row.local_id for row in rows] == [result.local_id]  # one message, one settlement


def test_a_settlement_is_printed_even_when_the_visit_cannot_be_read_back(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The service settled: the receipt prints and the clerk is told why the visit is not shown as settled."""
    counter = make_counter(desk="outpatient")
    screen = pre_settled_visit(qtbot, counter, world, PATIENT, "001102000020000")
    control = screen.control
    settle, reload, settled = HospitalDesk.settle, HospitalDesk.reload, []

    def settle_then_lose_the_journal(self: HospitalDesk, visit: Visit, row: Txn) -> Txn:
        settled.append(settle(self, visit, row))
        return settled[-1]

    def unreadable_once_settled(self: HospitalDesk, visit: Visit) -> Visit:
        if settled:
            raise JournalClosed()
        return reload(self, visit)

    monkeypatch.setattr(HospitalDesk, "settle", settle_then_lose_the_journal)
    monkeypatch.setattr(HospitalDesk, "reload", unreadable_once_settled)
    with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS):
        press(qtbot, counter, screen, "F10", "100")
    result = control.result
    assert result is not None and result.state is State.SETTLED
    qtbot.waitUntil(lambda: "journal is closed" in control.last_message, timeout=WAIT_MS)
