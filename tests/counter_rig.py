"""The counter application on the demo world, for GUI tests that drive whole flows with qtbot.

One demo world (the simulated settlement service behind the fault proxy, the card
reader simulator and the scanner pty) serves a test module; each test gets its own
counter with a fresh state folder (journal, msgid sequence, wrong-PIN counts).
Everything runs on loopback and ptys; the world is stopped after the module.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from terminal.app.station import Station
from terminal.counter import Phase
from terminal.demo.environment import DemoEnvironment
from terminal.devices.printer_links import PrinterLink
from terminal.offline.record import Txn
from terminal.settings import Settings
from terminal.ui.app import open_counter
from terminal.ui.counter_app import CounterApp

HOLDER, CHILD = "12000000000000000001", "12000000000000000003"
SUSPENDED = "12000000000000000007"
AMOXICILLIN, NIFEDIPINE, VITAMIN_E = "6901070202353", "6904682500077", "6932119669714"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def world() -> Iterator[DemoEnvironment]:
    # The catalog without the pharmacy rules: these flows are not about box codes or prescriptions.
    # tests/test_ui_pharmacy.py overrides this fixture with the demo catalog itself.
    env = DemoEnvironment(plain_catalog=True).start()
    try:
        yield env
    finally:
        env.stop()


def counter_settings(env: DemoEnvironment, state: Path, *, desk: str = "pharmacy", **offline: Any) -> Settings:
    base = env.settings()
    terminal = dataclasses.replace(base.terminal, state_dir=str(state))
    service = dataclasses.replace(base.service, read_timeout_s=2.0)
    limits = dataclasses.replace(base.offline, **{"journal": str(state / "journal.db"), **offline})
    counter = dataclasses.replace(base.counter, language="en", customer_display="off",
                                  receipt_pdf_dir=str(state / "receipts"), desk=desk)
    return dataclasses.replace(base, terminal=terminal, service=service, offline=limits, counter=counter)


@pytest.fixture
def make_counter(world: DemoEnvironment, qtbot: QtBot, tmp_path: Path,
                 caplog: pytest.LogCaptureFixture) -> Iterator[Callable[..., CounterApp]]:
    """A started counter on the demo world; keyword arguments change offline limits. A bug the app caught
    and logged (so the event loop goes on) still fails the test."""
    made: list[CounterApp] = []

    def make(*, printer: PrinterLink | None = None, camera: Path | None = None, started: bool = True,
             network: str = "online", desk: str = "pharmacy", **offline: Any) -> CounterApp:
        world.set_network(network)
        settings = counter_settings(world, tmp_path / f"state{len(made)}", desk=desk, **offline)
        if camera is not None:  # a folder of pictures played as the camera's frames
            devices = dataclasses.replace(settings.devices, camera=dataclasses.replace(
                settings.devices.camera, enabled=True, source=str(camera), loop=True, fps=5))
            settings = dataclasses.replace(settings, devices=devices)
        station = Station.from_settings(settings, printer_link=printer) if printer is not None else None
        counter = open_counter(settings, station=station)
        made.append(counter)
        qtbot.addWidget(counter.screens.window)
        if started:
            qtbot.waitUntil(lambda: counter.station.checkout is not None, timeout=WAIT_MS)
        return counter

    yield make
    for counter in made:
        counter.close()
    world.set_network("online")
    world.remove_card()
    bugs = [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]
    assert not bugs, bugs


def sign_in(qtbot: QtBot, counter: CounterApp, opter: str = "0001", pin: str = "1111") -> None:
    signin = counter.screens.signin
    signin.opter.setText(opter)
    signin.pin.setText(pin)
    signin.submit()
    qtbot.waitUntil(lambda: counter.screens.window.current is counter.screens.checkout, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: counter.till.catalog is not None, timeout=WAIT_MS)


def key(counter: CounterApp, name: str) -> None:
    """A key as the cashier presses it, to whatever has focus (F-keys reach the screen's shortcuts)."""
    target = QApplication.focusWidget() or counter.screens.window
    QTest.keyClick(target, getattr(Qt.Key, f"Key_{name}"))


def type_text(counter: CounterApp, text: str) -> None:
    counter.screens.checkout.entry.setFocus()
    counter.screens.checkout.entry.setText(text)


def wait_phase(qtbot: QtBot, counter: CounterApp, phase: Phase) -> None:
    def reached() -> None:
        assert counter.till.sale.phase is phase, (counter.till.sale.phase, counter.till.sale.message)

    qtbot.waitUntil(reached, timeout=WAIT_MS)


def identify_by_voucher(qtbot: QtBot, counter: CounterApp, world: DemoEnvironment, psn_no: str,
                        holder: str | None = None) -> None:
    world.show_voucher(psn_no, holder)
    wait_person(qtbot, counter, psn_no)


def wait_person(qtbot: QtBot, counter: CounterApp, psn_no: str) -> None:
    def identified() -> None:
        person = counter.till.sale.person
        assert person is not None and person.psn_no == psn_no, counter.till.sale.message

    qtbot.waitUntil(identified, timeout=WAIT_MS)


def scan_boxes(qtbot: QtBot, counter: CounterApp, world: DemoEnvironment, *barcodes: str) -> None:
    """Each box through the scanner simulator, waiting until the sale counts one more."""
    def items() -> Decimal:
        return sum((line.cnt for line in counter.till.sale.lines), Decimal(0))

    for code in barcodes:
        before = items()
        world.scan(code)
        qtbot.waitUntil(lambda before=before: items() == before + 1, timeout=WAIT_MS)


def presettle(qtbot: QtBot, counter: CounterApp) -> dict[str, Any]:
    key(counter, "F9")
    wait_phase(qtbot, counter, Phase.QUOTED)
    assert counter.till.sale.quote is not None
    return counter.till.sale.quote


def settle(qtbot: QtBot, counter: CounterApp, tendered: str | None = None) -> Txn:
    """F10 (with the cash received typed first); the sale's journal row once its receipt PDF is written."""
    if tendered is not None:
        type_text(counter, tendered)
    with qtbot.wait_signal(counter.receipt_done, timeout=WAIT_MS):
        key(counter, "F10")
    wait_phase(qtbot, counter, Phase.DONE)
    result = counter.till.sale.result
    assert isinstance(result, Txn)
    return result


def journal_rows(counter: CounterApp) -> list[Txn]:
    return counter.station.journal.run(lambda t: t.where("1 ORDER BY created_at"))


def money(value: Any) -> Decimal:
    return Decimal(str(value))
