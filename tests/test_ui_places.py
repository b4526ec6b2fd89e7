"""The places beyond checkout and queue: the header's menu and keys by role, and scans for the screen on show."""

from __future__ import annotations

from collections.abc import Callable

from counter_rig import AMOXICILLIN, WAIT_MS, sign_in
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from terminal.demo.environment import DemoEnvironment
from terminal.roles import Action
from terminal.ui.counter_app import CounterApp
from terminal.ui.places import Place


class Desk(QWidget):
    """A screen that takes scans and cards itself, as a hospital desk or the devices panel does."""

    def __init__(self) -> None:
        super().__init__()
        self.scans: list[str] = []
        self.cards: list[str] = []
        self.opened_count = 0

    def take_scan(self, text: str) -> bool:
        self.scans.append(text)
        return True

    def take_card(self, card_no: str, card_sn: str) -> bool:
        self.cards.append(card_no)
        return True

    def opened(self) -> None:
        self.opened_count += 1


def with_desk(counter: CounterApp) -> Desk:
    desk = Desk()
    counter.screens.register(Place("test-desk", lambda: "Test desk", "Ctrl+Shift+F12", Action.HISTORY, desk))
    return desk


def menu_titles(counter: CounterApp) -> list[str]:
    menu = counter.screens.window.menu
    menu.aboutToShow.emit()
    return [action.text() for action in menu.actions()]


def test_a_place_is_in_the_menu_and_on_its_key_for_a_role_that_may_open_it(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    desk = with_desk(counter)
    sign_in(qtbot, counter, "0002", "2222")  # a supervisor may look up past sales
    assert menu_titles(counter) == ["History", "Day-end", "Audit trail", "Test desk"]
    counter.screens.open_place("test-desk")
    assert counter.screens.window.current is desk and desk.opened_count == 1
    world.scan(AMOXICILLIN)  # the screen on show takes the scan; nothing is rung up
    qtbot.waitUntil(lambda: desk.scans == [AMOXICILLIN], timeout=WAIT_MS)
    assert not counter.till.sale.lines and counter.screens.window.current is desk
    counter.screens.back()
    assert counter.screens.window.current is counter.screens.checkout


def test_a_role_that_may_not_gets_the_sentence_and_stays(
        qtbot: QtBot, world: DemoEnvironment, make_counter: Callable[..., CounterApp]) -> None:
    counter = make_counter()
    desk = with_desk(counter)
    sign_in(qtbot, counter)  # a cashier
    assert menu_titles(counter) == ["(nothing more for this role)"]
    counter.screens.open_place("test-desk")
    assert counter.screens.window.current is counter.screens.checkout
    assert "may not look up past sales" in counter.screens.status.currentMessage()
    world.scan(AMOXICILLIN)  # on checkout, scans ring up as always
    qtbot.waitUntil(lambda: len(counter.till.sale.lines) == 1, timeout=WAIT_MS)
    assert desk.scans == [] and QApplication.instance() is not None
