"""The pharmacy rules at the counter, driven as a cashier would with qtbot: box codes, prescriptions, limits.

The world here sells from the demo catalog itself (its boxed drugs trac_required, prescription drugs,
a restricted pseudoephedrine), so the simulated service enforces every rule too: what the counter lets
through must also settle there, and a code sold elsewhere is refused when an offline sale is forwarded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from counter_rig import (
    HOLDER,
    WAIT_MS,
    identify_by_voucher,
    journal_rows,
    key,
    money,
    presettle,
    scan_boxes,
    settle,
    sign_in,
    type_text,
    wait_phase,
)
from offline_helpers import card_buyer, till, till_settings
from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.offline.record import Txn
from terminal.offline.states import State
from terminal.ui.counter_app import CounterApp

IBUPROFEN = "6902401589532"  # boxed, no prescription
VITAMIN_E = "6932119669714"  # boxed, no prescription
AMOXICILLIN = "6901070202353"  # boxed, a prescription drug
PSEUDOEPHEDRINE = "6901158301718"  # boxed, restricted: at most 2 per sale
INSULIN = "6970243958984"  # boxed, a prescription drug, 358.50
WANG_FANG = "12000000000000000002"
ZHAO_MIN = "12000000000000000008"  # a resident (390): a lower deductible
WANG_FANG_ID = "120101195609031029"


@pytest.fixture(scope="module")
def world() -> Iterator[DemoEnvironment]:
    """Overrides counter_rig's world: the demo catalog with its pharmacy rules."""
    env = DemoEnvironment().start()
    try:
        yield env
    finally:
        env.stop()


def codes_on(counter: CounterApp) -> int:
    sale = counter.till.sale
    return sum(len(line.codes) for line in sale.lines) + len(sale.pending_codes)


def scan_codes(qtbot: QtBot, counter: CounterApp, world: DemoEnvironment, *codes: str) -> None:
    """Each code through the scanner simulator, waiting until the sale holds one more."""
    for code in codes:
        before = codes_on(counter)
        world.scan(code)
        qtbot.waitUntil(lambda before=before: codes_on(counter) == before + 1, timeout=WAIT_MS)


def wait_message(qtbot: QtBot, counter: CounterApp, words: str) -> str:
    def said() -> None:
        assert words in counter.screens.checkout.message.text(), counter.screens.checkout.message.text()

    qtbot.waitUntil(said, timeout=WAIT_MS)
    return counter.screens.checkout.message.text()


def blocked(counter: CounterApp) -> str:
    """The reason Pre-settle and Settle are disabled, as the screen shows it (the same in both tooltips)."""
    screen = counter.screens.checkout
    presettle_button, settle_button = screen.buttons["presettle"], screen.buttons["settle"]
    assert not presettle_button.isEnabled() and not settle_button.isEnabled()
    assert screen.need.isVisible() and presettle_button.toolTip() == screen.need.text()
    return screen.need.text()


def cell(model: QAbstractItemModel, row: int, column: int) -> str:
    return str(model.data(model.index(row, column)))


def rows_of(model: QAbstractItemModel) -> list[list[str]]:
    return [[cell(model, r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def codes_cell(counter: CounterApp, row: int = 0) -> str:
    return cell(counter.screens.checkout.lines, row, 4)


def name_cell(counter: CounterApp, row: int = 0) -> str:
    return cell(counter.screens.checkout.lines, row, 1)


def sold_at_service(world: DemoEnvironment, txn: Txn) -> list[str]:
    """The codes the service recorded as sold by this row's settlement."""
    assert world.service is not None and txn.answer is not None
    setl_id = txn.answer["setlinfo"]["setl_id"]
    with sqlite3.connect(world.service.db) as db:
        rows = db.execute("SELECT code FROM sold_code WHERE setl_id = ? AND status = 'settled' ORDER BY code",
                          (setl_id,)).fetchall()
    return [row[0] for row in rows]


def test_two_boxes_scanned_then_their_two_codes_settle_with_the_codes_at_the_service(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, IBUPROFEN, IBUPROFEN)
    assert counter.till.sale.lines[0].cnt == 2 and codes_cell(counter) == "0/2"
    assert "Line 1" in blocked(counter) and "2" in blocked(counter)
    key(counter, "F9")  # disabled: nothing is sent
    assert counter.till.sale.phase is not Phase.QUOTING and counter.till.sale.quote is None
    codes = world.box_codes(IBUPROFEN, 2)
    scan_codes(qtbot, counter, world, codes[0])
    assert codes_cell(counter) == "1/2"
    assert "Line 1" in blocked(counter)
    scan_codes(qtbot, counter, world, codes[1])
    qtbot.waitUntil(lambda: counter.screens.checkout.buttons["presettle"].isEnabled(), timeout=WAIT_MS)
    assert codes_cell(counter) == "2/2 ✓" and not counter.screens.checkout.need.isVisible()
    presettle(qtbot, counter)
    txn = settle(qtbot, counter)
    assert txn.state is State.SETTLED
    assert txn.request["drugdetail"][0]["drug_trac_codg"] == ",".join(codes)
    assert sold_at_service(world, txn) == sorted(codes)
    receipt = "\n".join(counter.receipt_of(txn).lines)
    assert f"{codes[0]} {codes[1]}" in receipt


def test_a_code_from_the_keyboard_wedge_goes_on_the_line_and_never_into_the_entry(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    counter.screens.window.show()
    qtbot.waitExposed(counter.screens.window)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, IBUPROFEN)
    type_text(counter, "")
    code = world.box_codes(IBUPROFEN, 1)[0]
    entry = counter.screens.checkout.entry
    with qtbot.wait_signal(counter.wedge.scanned, timeout=WAIT_MS) as scan:
        for n, ch in enumerate(code + "\r"):  # a scanner types every few milliseconds, then Enter
            key_code = Qt.Key.Key_Return if ch == "\r" else Qt.Key(ord(ch))
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, key_code, Qt.KeyboardModifier.NoModifier, ch)
                event.setTimestamp(50_000 + n * 4)
                QApplication.sendEvent(entry, event)
    assert scan.args == [code]  # told from typing by its pace: it never reached the entry
    qtbot.waitUntil(lambda: counter.till.sale.lines[0].codes == [code], timeout=WAIT_MS)
    assert entry.text() == ""


def test_codes_first_then_the_boxes_barcodes(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    codes = world.box_codes(VITAMIN_E, 2)
    scan_codes(qtbot, counter, world, *codes)
    assert counter.till.sale.pending_codes == codes and not counter.till.sale.lines
    wait_message(qtbot, counter, "waits for its box")
    assert "wait for their box" in blocked(counter)
    scan_boxes(qtbot, counter, world, VITAMIN_E)
    wait_message(qtbot, counter, "1 waiting box code(s) went to line 1")
    scan_boxes(qtbot, counter, world, VITAMIN_E)
    assert counter.till.sale.lines[0].codes == codes and not counter.till.sale.pending_codes
    assert codes_cell(counter) == "2/2 ✓"
    presettle(qtbot, counter)
    txn = settle(qtbot, counter)
    assert sold_at_service(world, txn) == sorted(codes)


def test_a_code_scanned_twice_sold_here_before_or_malformed_is_refused_at_once(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, IBUPROFEN, IBUPROFEN)
    code = world.box_codes(IBUPROFEN, 1)[0]
    scan_codes(qtbot, counter, world, code)
    world.scan(code)  # the same box again
    said = wait_message(qtbot, counter, "is already on line 1: each box is scanned once")
    assert code[-6:] in said and codes_on(counter) == 1 and codes_cell(counter) == "1/2"
    world.scan("8" + "1" * 18)  # 19 digits: a code cut short
    wait_message(qtbot, counter, "has 19 digits, not 20")
    assert codes_on(counter) == 1
    second = world.box_codes(IBUPROFEN, 1)[0]
    scan_codes(qtbot, counter, world, second)
    presettle(qtbot, counter)
    sold = settle(qtbot, counter)
    # The next customer shows a box this counter sold: the journal knows it, no message is sent.
    identify_by_voucher(qtbot, counter, world, WANG_FANG)
    scan_boxes(qtbot, counter, world, IBUPROFEN)
    world.scan(code)
    said = wait_message(qtbot, counter, "already sold at this counter")
    assert sold.receipt_no is not None and sold.receipt_no in said
    assert codes_on(counter) == 0 and "Line 1" in blocked(counter)


def test_a_prescription_drug_asks_for_the_prescription_number(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    scan_codes(qtbot, counter, world, *world.box_codes(AMOXICILLIN, 1))
    screen = counter.screens.checkout
    assert "prescription" in blocked(counter) and "Prescription number" in screen.entry.placeholderText()
    assert name_cell(counter).startswith("Rx 阿莫西林胶囊")
    type_text(counter, "RX/1")  # not a prescription number
    key(counter, "Return")
    wait_message(qtbot, counter, "A prescription number is 1 to")
    assert counter.till.sale.lines[0].rx_no is None
    type_text(counter, "RX-2026-0042")
    key(counter, "Return")
    qtbot.waitUntil(lambda: screen.buttons["presettle"].isEnabled(), timeout=WAIT_MS)
    assert "Rx RX-2026-0042" in name_cell(counter)
    presettle(qtbot, counter)
    txn = settle(qtbot, counter)
    assert txn.request["drugdetail"][0]["rx_no"] == "RX-2026-0042"
    assert any("RX-2026-0042" in line for line in counter.receipt_of(txn).lines)


def test_a_restricted_drug_is_refused_over_its_limit_and_records_the_buyer_masked(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, WANG_FANG)
    scan_boxes(qtbot, counter, world, PSEUDOEPHEDRINE, PSEUDOEPHEDRINE)
    screen = counter.screens.checkout
    assert name_cell(counter).startswith("limit 2 复方盐酸伪麻黄碱")
    world.scan(PSEUDOEPHEDRINE)  # a third box
    wait_message(qtbot, counter, "at most 2 per person per sale")
    assert counter.till.sale.lines[0].cnt == 2
    scan_codes(qtbot, counter, world, *world.box_codes(PSEUDOEPHEDRINE, 2))
    assert "ID" in blocked(counter) and "ID" in screen.entry.placeholderText()
    type_text(counter, "120101195609031028")  # the check character is wrong
    key(counter, "Return")
    wait_message(qtbot, counter, "ID number")
    assert counter.till.sale.buyer_id is None
    type_text(counter, WANG_FANG_ID)
    key(counter, "Return")
    qtbot.waitUntil(lambda: screen.buttons["presettle"].isEnabled(), timeout=WAIT_MS)
    presettle(qtbot, counter)
    txn = settle(qtbot, counter)
    assert txn.buyer_id is not None and WANG_FANG_ID not in str(txn.to_json(masked=True))
    assert txn.to_json(masked=True, personal_data=True)["buyer_id"] == "120101********1029"
    receipt = "\n".join(counter.receipt_of(txn).lines)
    assert "120101********1029" in receipt and WANG_FANG_ID not in receipt
    assert WANG_FANG_ID not in screen.message.text() + screen.need.text()


def test_an_offline_sale_whose_code_was_sold_elsewhere_is_declined_when_forwarded(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    assert world.service is not None and world.proxy is not None
    code = world.box_codes(INSULIN, 1)[0]
    insulin = world.catalog.by_barcode(INSULIN)
    assert insulin is not None
    # Another till of the chain sells the box first (its journal is not this counter's).
    with till(tmp_path / "other-till.db", world.service.url, till_settings()) as (_journal, other):
        elsewhere = other.sell(card_buyer(2), [{"med_list_codg": insulin.med_list_codg, "cnt": "1",
                                                "drug_trac_codg": [code], "rx_no": "RX-ELSEWHERE"}])
    assert elsewhere.state is State.SETTLED
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, ZHAO_MIN)  # online: her insurance (a resident's) is known
    world.set_network("offline")  # then the cable is pulled
    scan_boxes(qtbot, counter, world, INSULIN)
    scan_codes(qtbot, counter, world, code)  # offline, only this counter's journal can be asked: it passes
    type_text(counter, "RX-2026-0077")
    key(counter, "Return")
    qtbot.waitUntil(lambda: counter.screens.checkout.buttons["presettle"].isEnabled(), timeout=WAIT_MS)
    quote = presettle(qtbot, counter)
    # Past the resident's deductible the pooled fund pays part of the estimate: that part is owed if declined.
    assert quote["estimate"] is True and money(quote["fund_pay_sumamt"]) > 0
    txn = settle(qtbot, counter, tendered=quote["psn_cash_pay"])
    assert txn.state is State.OFFLINE_QUEUED
    world.set_network("online")
    counter.station.forwarder.wake()
    declined = None

    def forwarded() -> None:
        nonlocal declined
        declined = counter.station.journal.run(lambda t: t.get(txn.local_id))
        assert declined.state is State.FORWARD_DECLINED, declined.state

    qtbot.waitUntil(forwarded, timeout=60_000)
    assert declined is not None and declined.last_error is not None
    assert code in declined.last_error and "already sold" in declined.last_error and "line 1" in declined.last_error
    collect = declined.medfee_sumamt - money(txn.cash_collected)
    assert collect > 0 and declined.amount_due == collect
    key(counter, "F11")
    queue = counter.screens.queue
    qtbot.waitUntil(lambda: counter.screens.window.current is queue, timeout=WAIT_MS)

    def listed() -> None:
        cells = [row for row in rows_of(queue.model) if row[1] == "declined"]
        assert cells and code in cells[0][7] and cells[0][5] == f"{collect:.2f}", rows_of(queue.model)

    qtbot.waitUntil(listed, timeout=WAIT_MS)
    assert [r.state for r in journal_rows(counter)] == [State.FORWARD_DECLINED]
    wait_phase(qtbot, counter, Phase.DONE)
