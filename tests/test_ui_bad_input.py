"""Bad input anywhere gets a sentence, never a traceback, a frozen window or a lost sale."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from counter_rig import (
    AMOXICILLIN,
    HOLDER,
    WAIT_MS,
    identify_by_voucher,
    key,
    presettle,
    scan_boxes,
    sign_in,
    type_text,
)
from fs_helpers import fill, tiny_filesystem
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.ui.counter_app import CounterApp


def test_a_code_that_is_not_a_voucher_is_told_and_changes_nothing(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    for text in ("https://example.com/not-a-voucher", "\x00\x01garbage", "1234"):
        world.scan(text)
        qtbot.waitUntil(lambda: counter.till.sale.message != "", timeout=WAIT_MS)
        assert counter.till.sale.person is None and not counter.till.sale.lines
        counter.till.sale.message = ""


def test_garbage_in_the_quantity_field_gets_a_sentence(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    for garbage in ("abc", "-1", "1e9", "0", "NaN", "2.00001", "9" * 400):
        type_text(counter, garbage)
        key(counter, "F4")
        assert counter.till.sale.lines[0].cnt == 1, garbage
        assert "quantity" in counter.till.sale.message.lower(), (garbage, counter.till.sale.message)
    type_text(counter, "3")
    key(counter, "F4")
    assert counter.till.sale.lines[0].cnt == 3


def test_a_wedge_scan_goes_to_the_sale_not_into_the_field_with_focus(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    entry = counter.screens.checkout.entry
    type_text(counter, "2")
    for n, ch in enumerate(AMOXICILLIN + "\r"):
        keycode = Qt.Key.Key_Return if ch == "\r" else Qt.Key(ord(ch))
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, keycode, Qt.KeyboardModifier.NoModifier, ch)
            event.setTimestamp(1_000_000 + n * 3)
            QApplication.sendEvent(entry, event)
    qtbot.waitUntil(lambda: len(counter.till.sale.lines) == 1, timeout=WAIT_MS)
    assert entry.text() == "2"


def test_a_scan_or_card_while_locked_is_refused_and_the_sale_is_kept(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    counter.session.idle_lock_s = 0.2  # idle for a moment: the screen locks by itself
    qtbot.waitUntil(lambda: counter.screens.window.current is counter.screens.signin, timeout=WAIT_MS)
    assert counter.session.locked
    world.scan(AMOXICILLIN)
    qtbot.waitUntil(lambda: "Sign in first" in counter.screens.signin.message.text(), timeout=WAIT_MS)
    assert len(counter.till.sale.lines) == 1 and counter.till.sale.lines[0].cnt == 1
    counter.session.idle_lock_s = 300.0
    counter.screens.signin.pin.setText("1111")
    counter.screens.signin.submit()
    qtbot.waitUntil(lambda: counter.screens.window.current is counter.screens.checkout, timeout=WAIT_MS)
    assert counter.till.sale.person is not None and counter.till.sale.person.psn_no == HOLDER


def test_wrong_pins_say_how_many_tries_are_left_then_lock_the_number(
        qtbot: QtBot, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    signin = counter.screens.signin
    try:
        for _ in range(4):
            signin.opter.setText("0003")
            signin.pin.setText("9999")
            signin.submit()
            qtbot.waitUntil(lambda: signin.button.isEnabled(), timeout=WAIT_MS)
            assert "wrong" in signin.message.text()
        signin.pin.setText("9999")
        signin.submit()
        qtbot.waitUntil(lambda: "locked" in signin.message.text(), timeout=WAIT_MS)
        signin.pin.setText("3333")
        signin.submit()
        qtbot.waitUntil(lambda: signin.button.isEnabled(), timeout=WAIT_MS)
        assert "locked" in signin.message.text() and counter.session.operator is None
    finally:
        counter.session.book.unlock("0003")  # the counts live in the session's state folder


def test_a_card_pulled_mid_read_never_settles_and_never_crashes(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    for _ in range(3):
        world.insert_card(5)
        world.remove_card()
    qtbot.wait(1500)
    assert counter.till.sale.phase in (Phase.READY, Phase.RINGING)
    assert counter.till.sale.result is None


def test_finding_a_drug_by_pinyin_initials(qtbot: QtBot, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    qtbot.waitUntil(lambda: counter.search_index is not None, timeout=WAIT_MS)
    screen = counter.screens.checkout
    type_text(counter, "amxl")
    key(counter, "Return")
    assert screen.results.isVisible() and "阿莫西林" in screen.results.item(0).text()
    screen.results.itemActivated.emit(screen.results.item(0))
    assert counter.till.sale.lines[0].item.barcode == AMOXICILLIN


def test_a_full_disk_for_receipts_keeps_the_sale_and_the_receipt_reprints(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "small") as small:
        counter = make_counter()
        counter.settings = counter.receipts.settings = dataclasses.replace(
            counter.settings, counter=dataclasses.replace(counter.settings.counter,
                                                          receipt_pdf_dir=str(small / "receipts")))
        filler = fill(small)
        sign_in(qtbot, counter)
        identify_by_voucher(qtbot, counter, world, HOLDER)
        scan_boxes(qtbot, counter, world, AMOXICILLIN)
        presettle(qtbot, counter)
        key(counter, "F10")
        qtbot.waitUntil(lambda: "receipt could not be made" in counter.till.sale.message, timeout=WAIT_MS)
        assert counter.till.sale.phase is Phase.DONE  # the sale stands; only its paper failed
        assert "full" in counter.till.sale.message
        filler.unlink()
        with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS) as done:
            counter.reprint()
        assert Path(done.args[0]).name.endswith("-reprint.pdf")
        assert counter.till.sale.result is not None and counter.till.sale.result.medfee_sumamt == Decimal("8.50")
        counter.close()


NASTY = ("", " ", "abc", "-1", "0", "1e309", "NaN", "Infinity", "１２", "9" * 500, "' OR 1=1 --", "\u202e12",
         "\x00", "中文", "😀", "1,5", "0.00001", "  3  ", "%s%s%n", "<b>x</b>")


def test_garbage_in_every_field_and_key_gets_a_sentence_never_an_exception(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    signin = counter.screens.signin
    for text in NASTY:  # pytest-qt fails the test on any exception raised inside a Qt callback
        signin.opter.setText(text)
        signin.pin.setText(text)
        signin.submit()
        qtbot.waitUntil(lambda: signin.button.isEnabled(), timeout=WAIT_MS)
        assert signin.message.text() and counter.session.operator is None, text
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    for text in NASTY:
        for action in ("Return", "F3", "F4", "F10", "F5", "F9"):
            type_text(counter, text)
            counter.till.sale.message = ""
            key(counter, action)
            qtbot.wait(5)
        counter.screens.checkout.results.hide()
        qtbot.waitUntil(lambda: counter.till.sale.phase not in (Phase.QUOTING, Phase.SETTLING), timeout=WAIT_MS)
    assert counter.till.sale.phase is not Phase.IN_DOUBT


def test_a_full_disk_under_the_journal_stops_the_sale_with_a_sentence(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    with tiny_filesystem(tmp_path / "small", size="8m") as small:
        counter = make_counter(journal=str(small / "journal.db"))
        sign_in(qtbot, counter)
        identify_by_voucher(qtbot, counter, world, HOLDER)
        scan_boxes(qtbot, counter, world, AMOXICILLIN)
        filler = fill(small)
        key(counter, "F9")
        qtbot.waitUntil(lambda: "full" in counter.till.sale.message, timeout=WAIT_MS)
        assert counter.till.sale.phase is Phase.RINGING  # nothing half done: pre-settle again later
        filler.unlink()
        key(counter, "F9")
        qtbot.waitUntil(lambda: counter.till.sale.phase is Phase.QUOTED, timeout=WAIT_MS)
        counter.close()
