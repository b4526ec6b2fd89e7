"""The supervisor's screens driven with qtbot against the simulated service: history and reversals with a PIN,
2601 of an unknown outcome, the day-end (agreeing, and finding a sale made behind the terminal's back), the
audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from counter_rig import (
    AMOXICILLIN,
    HOLDER,
    WAIT_MS,
    identify_by_voucher,
    journal_rows,
    key,
    presettle,
    scan_boxes,
    settle,
    sign_in,
    wait_phase,
)
from offline_helpers import CHEAP, card_buyer, till, till_settings
from pytestqt.qtbot import QtBot

from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.offline.states import Kind, State
from terminal.ui.counter_app import CounterApp

SUPERVISOR, PIN = "0002", "2222"


def sell_one(qtbot: QtBot, counter: CounterApp, world: DemoEnvironment) -> str:
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    return settle(qtbot, counter).local_id


def open_history(qtbot: QtBot, counter: CounterApp, local_id: str) -> None:
    counter.screens.open_place("history")
    history = counter.screens.history
    qtbot.waitUntil(lambda: history.shown is not None and history.shown.txn.local_id == local_id, timeout=WAIT_MS)


def approve(qtbot: QtBot, counter: CounterApp, opter: str, pin: str, reason: str = "customer returned it") -> None:
    form = counter.screens.history.form
    assert form.isVisible()
    form.opter.setText(opter)
    form.pin.setText(pin)
    form.reason.setText(reason)
    form.submit()


def test_a_settlement_is_reversed_only_with_a_supervisors_pin(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter, SUPERVISOR, PIN)  # a supervisor sells too
    sold = sell_one(qtbot, counter, world)
    open_history(qtbot, counter, sold)
    history = counter.screens.history
    key(counter, "F8")
    assert history.form.isVisible() and "Reverse" in history.form.what.text()
    approve(qtbot, counter, SUPERVISOR, "")  # no PIN
    qtbot.waitUntil(lambda: "PIN" in history.form.message.text(), timeout=WAIT_MS)
    approve(qtbot, counter, SUPERVISOR, "0000")  # a wrong one
    qtbot.waitUntil(lambda: "wrong" in history.form.message.text().lower(), timeout=WAIT_MS)
    approve(qtbot, counter, "0001", "1111")  # a cashier's
    qtbot.waitUntil(lambda: "may not reverse" in history.form.message.text(), timeout=WAIT_MS)
    assert [r.state for r in journal_rows(counter)] == [State.SETTLED]  # nothing changed
    approve(qtbot, counter, SUPERVISOR, PIN)
    def reversed_() -> None:
        assert "Reversed" in history.message.text(), (history.message.text(), history.form.message.text())

    qtbot.waitUntil(reversed_, timeout=WAIT_MS)
    assert not history.form.isVisible()
    rows = {r.kind: r for r in journal_rows(counter)}
    assert rows[Kind.PHARMACY_SALE].state is State.REVERSED
    assert rows[Kind.REVERSAL].state is State.SETTLED and rows[Kind.REVERSAL].approved_by == SUPERVISOR
    # The audit trail shows the sign-in, the refusals and the approval, newest first.
    counter.screens.open_place("audit")
    audit = counter.screens.audit
    qtbot.waitUntil(lambda: audit.model.rowCount() >= 6, timeout=WAIT_MS)
    events = [audit.model.index(r, 2).data() for r in range(audit.model.rowCount())]
    assert events[:2] == ["reversal", "approval"] and events.count("approval-refused") == 3
    assert events[-1] == "sign-in"
    key(counter, "F6")

    def exported() -> None:
        assert "exported" in audit.message.text(), audit.message.text()

    qtbot.waitUntil(exported, timeout=WAIT_MS)


def test_a_sale_of_unknown_outcome_is_undone_by_2601_from_history(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(retry_min_s=120.0, retry_max_s=120.0)  # the forwarder stays out of it
    sign_in(qtbot, counter, SUPERVISOR, PIN)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    assert world.proxy is not None
    # The service settles each time it is asked; every answer is lost (the forwarder asks again too).
    world.proxy.set_faults("timeout-after=100x@2102")
    key(counter, "F10")
    wait_phase(qtbot, counter, Phase.IN_DOUBT)
    (sale,) = journal_rows(counter)
    assert sale.state in (State.SENDING, State.NEEDS_ATTENTION)
    open_history(qtbot, counter, sale.local_id)
    key(counter, "F8")
    assert "2601" in counter.screens.history.form.what.text()
    approve(qtbot, counter, SUPERVISOR, PIN, "customer left before the answer")
    qtbot.waitUntil(lambda: counter.station.journal.run(lambda t: t.get(sale.local_id)).state is State.REVERSED,
                    timeout=WAIT_MS)
    undo = next(r for r in journal_rows(counter) if r.kind is Kind.REVERSAL)
    assert undo.infno == "2601" and undo.state is State.SETTLED
    qtbot.waitUntil(lambda: counter.till.sale.phase is Phase.READY, timeout=WAIT_MS)  # it left the till


def test_the_day_end_agrees_and_then_finds_a_sale_made_behind_the_terminals_back(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    counter = make_counter()
    sign_in(qtbot, counter, SUPERVISOR, PIN)
    sell_one(qtbot, counter, world)
    counter.screens.open_place("day-end")
    dayend = counter.screens.dayend
    qtbot.waitUntil(lambda: dayend.shift is not None and dayend.shift.sales == 1, timeout=WAIT_MS)
    assert "0002" in dayend.shift_text.toPlainText()
    key(counter, "F9")
    # Other counters of the demo world sold today too: the report is this terminal's own and agrees only
    # when the service's side is of this terminal; the world's service is shared, so look at the mismatches.
    qtbot.waitUntil(lambda: dayend.report is not None, timeout=WAIT_MS)
    report = dayend.report
    assert report is not None
    mine = {m["setl_id"] for m in report["mismatches"] if m["problem"] == "unknown to service"}
    assert not mine  # everything this terminal settled, the service has
    behind = {m["setl_id"] for m in report["mismatches"] if m["problem"] == "missing at terminal"}
    # A sale straight against the service, with this institution's credentials, not through this terminal.
    assert world.service is not None
    with till(tmp_path / "elsewhere.db", world.service.url, till_settings()) as (_journal, other):
        made = other.sell(card_buyer(13), CHEAP)
    assert made.actual is not None
    key(counter, "F9")
    qtbot.waitUntil(lambda: dayend.report is not None and dayend.report is not report, timeout=WAIT_MS)
    again = dayend.report
    assert again is not None and again["agree"] is False
    found = {m["setl_id"] for m in again["mismatches"] if m["problem"] == "missing at terminal"} - behind
    assert found == {made.actual["setl_id"]}
    assert "do not agree" in dayend.verdict.text()
    assert dayend.mismatches.rowCount() == len(again["mismatches"])


def test_closing_the_day_with_a_sale_waiting_needs_a_supervisors_override(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(retry_min_s=120.0, retry_max_s=120.0)
    sign_in(qtbot, counter, SUPERVISOR, PIN)
    world.set_network("offline")
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    queued = settle(qtbot, counter, tendered="10")
    assert queued.state is State.OFFLINE_QUEUED
    counter.screens.open_place("day-end")
    dayend = counter.screens.dayend
    key(counter, "F10")
    qtbot.waitUntil(lambda: dayend.form.isVisible(), timeout=WAIT_MS)
    assert "cannot be closed" in dayend.message.text() and (queued.receipt_no or "") in dayend.message.text()
    dayend.form.opter.setText(SUPERVISOR)
    dayend.form.pin.setText(PIN)
    dayend.form.reason.setText("network down all afternoon")
    dayend.form.submit()
    qtbot.waitUntil(lambda: "is closed" in dayend.message.text(), timeout=WAIT_MS)
    closed = counter.station.journal.run(lambda t: t.file.read("SELECT * FROM day_close"))
    assert closed[0]["approved_by"] == SUPERVISOR and closed[0]["override_reason"] == "network down all afternoon"


def test_a_day_with_an_unresolved_sale_says_which_and_the_shift_report_prints(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(retry_min_s=120.0, retry_max_s=120.0)
    sign_in(qtbot, counter, SUPERVISOR, PIN)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    assert world.proxy is not None
    world.proxy.set_faults("timeout-after=100x@2102")
    key(counter, "F10")
    wait_phase(qtbot, counter, Phase.IN_DOUBT)
    key(counter, "Escape")  # set aside: the next customer
    (sale,) = journal_rows(counter)
    counter.screens.open_place("day-end")
    dayend = counter.screens.dayend
    key(counter, "F9")
    qtbot.waitUntil(lambda: dayend.report is not None, timeout=WAIT_MS)
    assert "still unresolved" in dayend.verdict.text() and sale.local_id in dayend.verdict.text()
    qtbot.waitUntil(lambda: dayend.shift is not None, timeout=WAIT_MS)
    key(counter, "F5")
    qtbot.waitUntil(lambda: "PDF" in dayend.message.text(), timeout=WAIT_MS)
    pdf = Path(dayend.message.text().rsplit(" ", 1)[-1])
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    world.proxy.set_faults("")
