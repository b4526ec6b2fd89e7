"""The wedge scanner in the app: a scan never lands in the focused field, typing always does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from terminal.settings import WedgeSettings
from terminal.ui.wedge_filter import WedgeFilter

KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab, "\b": Qt.Key.Key_Backspace}


@pytest.fixture
def form(qtbot: QtBot) -> Iterator[tuple[QLineEdit, WedgeFilter]]:
    window = QWidget()
    field = QLineEdit()
    QVBoxLayout(window).addWidget(field)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    field.setFocus()
    wedge = WedgeFilter(WedgeSettings())
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(wedge)
    yield field, wedge
    app.removeEventFilter(wedge)


def press(text: str, stamp_ms: int) -> None:
    """One key as the windowing system delivers it: stamped with the time it happened."""
    widget = QApplication.focusWidget()
    assert widget is not None
    key = KEYS.get(text) or (Qt.Key(ord(text.upper())) if text.isalnum() else Qt.Key.Key_unknown)
    shown = "" if text in KEYS else text
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, shown if text not in KEYS else text)
        event.setTimestamp(stamp_ms)
        QApplication.sendEvent(widget, event)


def test_a_scan_goes_to_the_sale_and_never_into_the_field(qtbot: QtBot, form: tuple[QLineEdit, WedgeFilter]) -> None:
    field, wedge = form
    field.setText("2")
    with qtbot.wait_signal(wedge.scanned, timeout=1000) as scan:
        for n, ch in enumerate("6901070202353\r"):
            press(ch, 10_000 + n * 4)
    assert scan.args == ["6901070202353"]
    assert field.text() == "2"


def test_typing_reaches_the_field_in_order(qtbot: QtBot, form: tuple[QLineEdit, WedgeFilter]) -> None:
    field, wedge = form
    with qtbot.assert_not_emitted(wedge.scanned):
        for n, ch in enumerate("amxl"):
            press(ch, 20_000 + n * 150)
        qtbot.waitUntil(lambda: field.text() == "amxl", timeout=1000)


def test_a_fast_short_burst_is_typing_not_a_scan(qtbot: QtBot, form: tuple[QLineEdit, WedgeFilter]) -> None:
    field, wedge = form
    with qtbot.assert_not_emitted(wedge.scanned):
        for n, ch in enumerate("12\r"):
            press(ch, 30_000 + n * 3)
        qtbot.waitUntil(lambda: field.text() == "12", timeout=1000)


def test_a_burst_without_terminator_is_delivered_once_idle(qtbot: QtBot, form: tuple[QLineEdit, WedgeFilter]) -> None:
    field, wedge = form
    with qtbot.assert_not_emitted(wedge.scanned):
        for n, ch in enumerate("123456"):
            press(ch, 40_000 + n * 3)
        assert field.text() == ""  # held until the burst is judged
        qtbot.waitUntil(lambda: field.text() == "123456", timeout=1000)
