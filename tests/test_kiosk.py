"""`run --kiosk`: the counter PC's mode, the whole screen without a window frame (the counter-terminal service)."""

from __future__ import annotations

from pathlib import Path

from counter_rig import WAIT_MS, counter_settings
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from terminal.commands.entry import build_parser
from terminal.demo.environment import DemoEnvironment
from terminal.ui.app import open_counter


def test_run_takes_kiosk() -> None:
    assert build_parser().parse_args(["run", "--kiosk"]).kiosk is True
    assert build_parser().parse_args(["run"]).kiosk is False


def test_a_kiosk_counter_fills_the_screen_without_a_frame(world: DemoEnvironment, qtbot: QtBot,
                                                           tmp_path: Path) -> None:
    counter = open_counter(counter_settings(world, tmp_path / "state"), kiosk=True)
    try:
        window = counter.screens.window
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: counter.station.checkout is not None, timeout=WAIT_MS)
        assert window.isFullScreen()
        assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
        assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        counter.screens.rebuild()  # a language switch builds the window again: still the kiosk's
        assert counter.screens.window.isFullScreen()
    finally:
        counter.close()


def test_a_desk_counter_is_a_window(world: DemoEnvironment, qtbot: QtBot, tmp_path: Path) -> None:
    counter = open_counter(counter_settings(world, tmp_path / "state"))
    try:
        qtbot.addWidget(counter.screens.window)
        qtbot.waitUntil(lambda: counter.station.checkout is not None, timeout=WAIT_MS)
        assert not counter.screens.window.isFullScreen()
        assert not counter.screens.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    finally:
        counter.close()
