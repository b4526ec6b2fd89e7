"""The counter when the network fails: offline sales and their forwarding, the limits, an unknown outcome.

The demo world's fault proxy is the network: refused connections (the cable
pulled), or an answer lost after the service acted on the message.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from counter_rig import (
    AMOXICILLIN,
    HOLDER,
    NIFEDIPINE,
    WAIT_MS,
    identify_by_voucher,
    journal_rows,
    key,
    money,
    presettle,
    scan_boxes,
    settle,
    sign_in,
    wait_phase,
)
from pytestqt.qtbot import QtBot

from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.offline.health import ServiceState
from terminal.offline.states import Kind, State
from terminal.ui.counter_app import CounterApp


def test_an_offline_sale_is_marked_an_estimate_and_forwarded_when_the_service_returns(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    world.set_network("offline")
    identify_by_voucher(qtbot, counter, world, HOLDER)
    assert not counter.till.sale.person.online
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    quote = presettle(qtbot, counter)
    assert quote["estimate"] is True
    assert "ESTIMATE" in counter.screens.checkout.split.estimate.text()
    qtbot.waitUntil(lambda: counter.station.health.health.state is ServiceState.OFFLINE, timeout=WAIT_MS)
    assert "offline" in counter.screens.status.service.text()
    txn = settle(qtbot, counter, tendered="10")
    assert txn.state is State.OFFLINE_QUEUED and txn.receipt_no
    qtbot.waitUntil(lambda: counter.queue_status is not None and counter.queue_status.count == 1, timeout=WAIT_MS)
    assert "1 sale" in counter.screens.status.queue.text()
    world.set_network("online")
    counter.station.forwarder.wake()
    qtbot.waitUntil(lambda: counter.queue_status is not None and counter.queue_status.count == 0, timeout=60_000)
    forwarded = counter.station.journal.run(lambda t: t.get(txn.local_id))
    assert forwarded.state is State.FORWARDED_SETTLED and forwarded.actual is not None


def test_beyond_the_offline_limits_the_screen_names_the_limit_and_sells_for_cash(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(max_sale_amount=Decimal("20.00"))
    sign_in(qtbot, counter)
    world.set_network("offline")
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, NIFEDIPINE)  # 33.50, above the 20.00 allowed offline
    quote = presettle(qtbot, counter)
    sale = counter.till.sale
    assert sale.cash_reason is not None and "above the offline limit" in sale.cash_reason
    assert "for cash" in counter.screens.checkout.message.text()
    assert money(quote["psn_cash_pay"]) == Decimal("33.50") and counter.screens.checkout.split.cash.text() == "33.50"
    txn = settle(qtbot, counter, tendered="50")
    assert txn.kind is Kind.CASH_SALE and txn.state is State.SETTLED and txn.receipt_no
    assert txn.cash_collected == Decimal("33.50")
    assert counter.station.journal.run(lambda t: t.outstanding()).count == 0  # nothing to forward


def test_the_service_failing_mid_sale_is_resolved_without_a_second_settlement(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(retry_min_s=0.2, retry_max_s=0.5)
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    assert world.proxy is not None
    world.proxy.set_faults("timeout-after=2x@2102")  # the service settles; its answer is lost
    with qtbot.wait_signal(counter.receipt_done, timeout=60_000):
        key(counter, "F10")
        wait_phase(qtbot, counter, Phase.IN_DOUBT)
        assert "unknown" in counter.till.sale.message.lower() or counter.till.sale.message
        key(counter, "F10")  # refused: the sale is locked while its outcome is unknown
        assert counter.till.sale.phase is Phase.IN_DOUBT
    # The forwarder sent the same message again; the service answered it from its record.
    wait_phase(qtbot, counter, Phase.DONE)
    rows = [t for t in journal_rows(counter) if t.state is State.SETTLED]
    assert len(rows) == 1 and rows[0].actual is not None


def test_a_sale_in_doubt_can_be_set_aside_for_the_next_customer(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(retry_min_s=5.0, retry_max_s=5.0)
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    assert world.proxy is not None
    world.proxy.set_faults("timeout-after=2x@2102")
    key(counter, "F10")
    wait_phase(qtbot, counter, Phase.IN_DOUBT)
    key(counter, "Escape")
    assert counter.till.sale.phase is Phase.READY and len(counter.till.counter.aside) == 1
    with qtbot.wait_signal(counter.receipt_done, timeout=60_000):
        counter.station.forwarder.wake()
    assert not counter.till.counter.aside


def test_a_counter_started_offline_without_a_price_list_gets_one_when_the_service_returns(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter(network="offline")
    signin = counter.screens.signin
    signin.opter.setText("0001")
    signin.pin.setText("1111")
    signin.submit()
    qtbot.waitUntil(lambda: counter.screens.window.current is counter.screens.checkout, timeout=WAIT_MS)
    assert counter.till.catalog is None  # no copy in a new journal, and the service cannot be reached
    world.scan(AMOXICILLIN)
    qtbot.waitUntil(lambda: "price list" in counter.till.sale.message, timeout=WAIT_MS)  # no copy: cash only
    world.set_network("online")
    world.scan(AMOXICILLIN)  # asks for the price list again
    qtbot.waitUntil(lambda: counter.till.catalog is not None, timeout=WAIT_MS)
    world.scan(AMOXICILLIN)
    qtbot.waitUntil(lambda: len(counter.till.sale.lines) == 1, timeout=WAIT_MS)


def test_the_queue_opened_while_a_status_read_is_out_still_lists_its_sales(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    world.set_network("offline")
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    settle(qtbot, counter, tendered="10")
    qtbot.waitUntil(lambda: counter.queue_status is not None and counter.queue_status.count == 1, timeout=WAIT_MS)
    # A status read for the status bar alone goes out; the queue is opened before it is back (both on this
    # thread, so the read cannot be back first). The screen must not wait for the next tick (30 s) to list.
    counter.refresh_queue()
    key(counter, "F11")
    queue = counter.screens.queue
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=10_000)
