"""Pharmacy sales through the counter application, against the simulated devices and the real simulated service.

Each test signs in, identifies the person through a simulator (the scanner pty for
an e-voucher, the card reader pty for a card), rings up boxes through the scanner,
pre-settles with F9 and settles with F10, as a cashier does.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import cv2
import numpy as np
from counter_rig import (
    AMOXICILLIN,
    CHILD,
    HOLDER,
    NIFEDIPINE,
    VITAMIN_E,
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
    wait_person,
)
from pytestqt.qtbot import QtBot

from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.devices.camera import CodeSeen
from terminal.devices.decoding.synth import render_qr
from terminal.offline.states import State
from terminal.ui.counter_app import CounterApp


def test_a_sale_by_e_voucher_through_the_scanner(qtbot: QtBot, world: DemoEnvironment,
                                                 make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    assert "张*" in counter.screens.checkout.person.name.text()  # masked on screen
    scan_boxes(qtbot, counter, world, AMOXICILLIN, NIFEDIPINE, VITAMIN_E, AMOXICILLIN)
    assert [(line.item.barcode, line.cnt) for line in counter.till.sale.lines] == [
        (AMOXICILLIN, 2), (NIFEDIPINE, 1), (VITAMIN_E, 1)]
    quote = presettle(qtbot, counter)
    assert money(quote["medfee_sumamt"]) == Decimal("66.40")
    split = counter.screens.checkout.split
    assert split.values["acct_pay"].text() == f"{money(quote['acct_pay']):,.2f}"
    lines = counter.screens.checkout.lines
    assert lines.data(lines.index(1, 2)) == "乙 B" and lines.data(lines.index(1, 7)) == "10%"  # class, self-pay
    assert lines.data(lines.index(2, 2)) == "丙 C" and lines.data(lines.index(2, 7)) == "100%"
    txn = settle(qtbot, counter, tendered="100")
    assert txn.state is State.SETTLED and txn.receipt_no
    cash = money(txn.actual["psn_cash_pay"]) if txn.actual else None
    assert cash is not None and "Change" in split.tender.text()
    folder = Path(str(counter.settings.counter.receipt_pdf_dir))
    assert (folder / f"{txn.receipt_no}.pdf").read_bytes().startswith(b"%PDF")


def test_a_sale_by_e_voucher_through_the_camera(qtbot: QtBot, world: DemoEnvironment,
                                                make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    pictures = tmp_path / "camera"
    pictures.mkdir()
    phone = pictures / "phone.png"
    code = render_qr(world.voucher_text(HOLDER), module_px=4)
    blank = np.full_like(code, 255)

    def in_view(picture: np.ndarray) -> None:  # the camera re-reads the picture every frame
        cv2.imwrite(str(pictures / "next.png"), picture)
        os.replace(pictures / "next.png", phone)

    in_view(blank)
    counter = make_counter(camera=pictures)
    seen: list[CodeSeen] = []
    counter.bridge.device_event.connect(lambda event: seen.append(event) if isinstance(event, CodeSeen) else None)
    sign_in(qtbot, counter)
    qtbot.waitUntil(lambda: counter.station.camera is not None
                    and counter.station.camera.state.value == "ready", timeout=WAIT_MS)
    in_view(code)  # the customer holds up the phone
    wait_person(qtbot, counter, HOLDER)  # read by the real decoder chain, identified at the service
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    in_view(blank)
    qtbot.wait(2500)
    in_view(code)  # the same code again after it left the view: the voucher serves once, not a new sale
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert counter.till.sale.phase is Phase.QUOTED and len(counter.till.sale.lines) == 1
    txn = settle(qtbot, counter)
    assert txn.state is State.SETTLED


def test_a_sale_by_card_through_the_card_reader(qtbot: QtBot, world: DemoEnvironment,
                                                make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    world.insert_card(5)  # 刘洋: employee, empty personal account
    wait_person(qtbot, counter, "12000000000000000005")
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    quote = presettle(qtbot, counter)
    assert money(quote["acct_pay"]) == 0 and money(quote["psn_cash_pay"]) == Decimal("8.50")
    type_text(counter, "5")
    key(counter, "F10")  # less than the cash due: refused, the sale stays pre-settled
    assert "less than" in counter.till.sale.message and counter.till.sale.phase is Phase.QUOTED
    type_text(counter, "10")
    with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS):
        key(counter, "Return")  # Enter on a pre-settled sale settles it, with the cash typed
    txn = counter.till.sale.result
    assert txn.state is State.SETTLED
    assert txn.request["data"]["mdtrt_cert_type"] == "03"  # read from the card, not typed
    assert "1.50" in counter.screens.checkout.split.tender.text()


def test_a_family_members_code_is_paid_by_mutual_aid(qtbot: QtBot, world: DemoEnvironment,
                                                     make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, CHILD, HOLDER)
    assert "holder" in counter.screens.checkout.person.family.text()
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    quote = presettle(qtbot, counter)
    assert money(quote["acct_mulaid_pay"]) == Decimal("8.50") and money(quote["acct_pay"]) == 0
    assert counter.screens.checkout.split.values["acct_mulaid_pay"].text() == "8.50"
    txn = settle(qtbot, counter)
    assert txn.actual is not None and money(txn.actual["acct_mulaid_pay"]) == Decimal("8.50")


def test_the_account_switched_off_for_one_sale(qtbot: QtBot, world: DemoEnvironment,
                                               make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    with_account = presettle(qtbot, counter)
    assert money(with_account["acct_pay"]) > 0
    key(counter, "F8")  # the account off: the quote is gone, F9 quotes again
    assert counter.till.sale.phase is Phase.RINGING and not counter.till.sale.acct_used
    assert "NOT used" in counter.screens.checkout.split.account.text()
    without = presettle(qtbot, counter)
    assert money(without["acct_pay"]) == 0 and money(without["psn_cash_pay"]) == Decimal("8.50")
    txn = settle(qtbot, counter, tendered="20")
    assert txn.request["data"]["acct_used_flag"] == "0"
    assert txn.actual is not None and money(txn.actual["acct_pay"]) == 0


def test_a_held_sale_is_resumed_after_another_customer(qtbot: QtBot, world: DemoEnvironment,
                                                       make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, NIFEDIPINE, NIFEDIPINE)
    key(counter, "F6")  # the first customer looks for their phone
    assert counter.till.sale.phase is Phase.READY and len(counter.till.counter.held) == 1
    assert "(1)" in counter.screens.checkout.buttons["resume"].text()
    world.insert_card(5)
    wait_person(qtbot, counter, "12000000000000000005")
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    settle(qtbot, counter, tendered="10")
    key(counter, "F7")  # the first customer is back
    sale = counter.till.sale
    assert sale.person is not None and sale.person.psn_no == HOLDER
    assert [(line.item.barcode, line.cnt) for line in sale.lines] == [(NIFEDIPINE, 2)]
    presettle(qtbot, counter)
    txn = settle(qtbot, counter)
    assert txn.state is State.SETTLED and money(txn.medfee_sumamt) == Decimal("67.00")


def test_a_double_press_of_settle_settles_once(qtbot: QtBot, world: DemoEnvironment,
                                               make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    presettle(qtbot, counter)
    with qtbot.wait_signal(counter.till.finished, timeout=20_000):
        key(counter, "F10")
        key(counter, "F10")  # the second press while settling is refused with a sentence
        assert counter.till.sale.phase in (Phase.SETTLING, Phase.DONE)
        world.scan(AMOXICILLIN)  # a scan during settlement never changes the sale being settled
    with qtbot.assert_not_emitted(counter.till.finished, wait=1500):
        key(counter, "F10")  # and after it: "already settled"
    settled = [t for t in journal_rows(counter) if t.state is State.SETTLED]
    assert len(settled) == 1
    assert counter.till.sale.phase in (Phase.DONE, Phase.RINGING)
