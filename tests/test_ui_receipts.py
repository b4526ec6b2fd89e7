"""Receipts from the counter: on the ESC/POS printer (escpos' Dummy keeps the bytes), the drawer kick, and
a printer fault that never undoes the sale and leaves the receipt reprintable."""

from __future__ import annotations

from collections.abc import Callable

from counter_rig import (
    AMOXICILLIN,
    HOLDER,
    WAIT_MS,
    identify_by_voucher,
    key,
    presettle,
    scan_boxes,
    settle,
    sign_in,
)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.devices.printer import drawer_kick
from terminal.devices.printer_links import DummyPrinterLink, Paper
from terminal.offline.states import State
from terminal.ui.counter_app import CounterApp


def test_the_receipt_prints_in_gbk_with_the_drawer_kick_when_cash_was_taken(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    link = DummyPrinterLink("test printer")
    counter = make_counter(printer=link)
    sign_in(qtbot, counter)
    world.insert_card(5)  # 刘洋 pays cash: the drawer opens
    qtbot.waitUntil(lambda: counter.till.sale.person is not None, timeout=WAIT_MS)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    with qtbot.wait_signal(counter.receipt_printed, timeout=WAIT_MS):
        settle(qtbot, counter, tendered="10")
    printed = link.output
    assert "阿莫西林胶囊".encode("gbk") in printed and "刘*".encode("gbk") in printed
    assert "刘洋".encode("gbk") not in printed  # the name is masked on paper too
    assert drawer_kick(counter.settings.devices.printer.drawer_pin) in printed


def test_a_printer_out_of_paper_is_a_sentence_and_the_receipt_reprints(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    link = DummyPrinterLink("test printer")
    counter = make_counter(printer=link)
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    link.paper_state = Paper.OUT
    key(counter, "F10")
    qtbot.waitUntil(lambda: "did not print" in counter.till.sale.message, timeout=WAIT_MS)
    assert "paper" in counter.till.sale.message
    sale = counter.till.sale
    assert sale.phase is Phase.DONE and sale.result.state is State.SETTLED  # the sale stands
    assert "阿莫西林".encode("gbk") not in link.output
    link.paper_state = Paper.OK
    qtbot.waitUntil(lambda: counter.station.printer is not None
                    and counter.station.printer.state.value == "ready", timeout=WAIT_MS)
    with qtbot.wait_signal(counter.receipt_printed, timeout=WAIT_MS):
        QTest.keyClick(counter.screens.checkout.entry, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "重印 REPRINT".encode("gbk") in link.output and "阿莫西林".encode("gbk") in link.output


def test_an_offline_receipt_says_it_is_an_estimate(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    link = DummyPrinterLink("test printer")
    counter = make_counter(printer=link)
    sign_in(qtbot, counter)
    world.set_network("offline")
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    with qtbot.wait_signal(counter.receipt_printed, timeout=WAIT_MS):
        settle(qtbot, counter, tendered="10")
    assert "离线预估 ESTIMATE".encode("gbk") in link.output
