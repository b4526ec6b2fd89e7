"""The counter around the sale: the service sign-in and sign-out, the language, the customer display, `run`."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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
from pytestqt.qtbot import QtBot

from terminal.demo.environment import DemoEnvironment
from terminal.ui import language
from terminal.ui.counter_app import CounterApp
from terminal.ui.customer_display import CustomerDisplay

REPO = Path(__file__).resolve().parent.parent


def test_sign_in_signs_in_to_the_service_and_sign_out_signs_out(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter, "0002", "2222")
    client = counter.station.client
    assert client.sign_no and client.institution.opter == "0002" and client.institution.opter_name == "李明"
    assert counter.station.forward_client.sign_no == client.sign_no  # the forwarder's messages carry it too
    assert "李明" in counter.screens.window.operator.text()
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN)
    counter.sign_out()  # a sale in progress: refused with a sentence, nothing lost
    assert counter.session.operator is not None and "sign" in counter.till.sale.message.lower()
    key(counter, "F12")  # void it
    counter.sign_out()
    # The session ends on the network worker and the sign-in screen follows on the GUI thread: wait for both.
    qtbot.waitUntil(lambda: counter.session.operator is None
                    and counter.screens.window.current is counter.screens.signin, timeout=WAIT_MS)
    assert client.sign_no == ""


def test_the_language_switches_at_sign_in_and_the_core_sentences_follow(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    try:
        counter.screens.signin.language_buttons["zh_CN"].click()
        assert language.current() == "zh_CN"
        assert counter.screens.signin.button.text().startswith("登录")
        sign_in(qtbot, counter)
        world.scan("https://example.com/not-a-voucher")
        qtbot.waitUntil(lambda: counter.till.sale.message != "", timeout=WAIT_MS)
        message = counter.till.sale.message
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # the core's sentence, in Chinese
        assert counter.screens.checkout.buttons["settle"].text() == "F10 结算"
    finally:
        counter.set_language("en")
    assert counter.screens.checkout.buttons["settle"].text() == "F10 Settle"


def test_the_customer_display_shows_the_lines_the_total_and_the_split(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    counter.settings = dataclasses.replace(counter.settings, counter=dataclasses.replace(
        counter.settings.counter, customer_display="on"))
    counter.screens.rebuild()
    display = counter.screens.customer
    assert isinstance(display, CustomerDisplay) and display.isVisible()
    assert not display.isActiveWindow()  # the cashier's keys never go there
    sign_in(qtbot, counter)
    identify_by_voucher(qtbot, counter, world, HOLDER)
    scan_boxes(qtbot, counter, world, AMOXICILLIN, AMOXICILLIN)
    assert display.lines.rowCount() == 1 and display.split.cash.text() == "17.00"
    presettle(qtbot, counter)
    assert display.split.values["acct_pay"].text() == counter.screens.checkout.split.values["acct_pay"].text()
    settle(qtbot, counter)
    assert "Thank you" in display.welcome.text()


def test_run_opens_the_counter_with_a_configuration_and_closes_on_sigterm(
        tmp_path: Path, world: DemoEnvironment) -> None:
    settings = world.settings()
    config = tmp_path / "till.json"
    config.write_text(json.dumps({
        "terminal": {"state_dir": str(tmp_path / "state")},
        "service": {"url": settings.service.url},
        "devices": {"card_reader": {"port": None}, "printer": {"kind": "dummy"}},
        "offline": {"journal": str(tmp_path / "journal.db")}}))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TERMINAL_STATE_DIR": str(tmp_path / "state")}
    process = subprocess.Popen([sys.executable, "-m", "terminal", "run", "--config", str(config)], cwd=REPO,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not (tmp_path / "journal.db").exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.1)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err and (tmp_path / "journal.db").exists()


def test_run_with_a_broken_configuration_says_which_key_and_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "till.json"
    config.write_text(json.dumps({"counter": {"language": "fr"}}))
    done = subprocess.run([sys.executable, "-m", "terminal", "run", "--config", str(config)], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 1 and "counter.language" in done.stderr and "Traceback" not in done.stderr


def test_closing_the_counter_signs_out_at_the_service(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    sign_in(qtbot, counter)
    client = counter.station.client
    assert client.sign_no
    counter.close()
    assert client.sign_no == ""  # 9002 went out before the network worker stopped


def test_a_damaged_journal_is_said_at_sign_in_and_nothing_is_sold(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp], tmp_path: Path) -> None:
    journal = tmp_path / "damaged.db"
    journal.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    counter = make_counter(journal=str(journal), started=False)
    signin = counter.screens.signin
    qtbot.waitUntil(lambda: counter.start_error is not None, timeout=WAIT_MS)
    assert "journal" in signin.message.text().lower()
    signin.opter.setText("0001")
    signin.pin.setText("1111")
    signin.submit()
    assert counter.session.operator is None and "journal" in signin.message.text().lower()


def test_a_technician_lands_on_the_devices_panel_and_sells_nothing(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    signin = counter.screens.signin
    signin.opter.setText("0003")
    signin.pin.setText("3333")
    signin.submit()
    panel = counter.screens.devices
    qtbot.waitUntil(lambda: counter.screens.window.current is panel, timeout=WAIT_MS)
    assert panel is not None
    world.scan(AMOXICILLIN)  # on the devices panel a scan is the scanner test's
    qtbot.waitUntil(lambda: len(panel.scan_model.checks) == 1, timeout=WAIT_MS)
    assert not counter.till.sale.lines
    counter.screens.back()  # Esc: the queue, a technician's other screen
    assert counter.screens.window.current is counter.screens.queue
    world.scan(AMOXICILLIN)
    qtbot.waitUntil(lambda: "may not sell" in counter.screens.status.currentMessage(), timeout=WAIT_MS)
    assert not counter.till.sale.lines and counter.screens.window.current is counter.screens.queue
    counter.reprint()
    assert "may not reprint" in counter.till.sale.message
