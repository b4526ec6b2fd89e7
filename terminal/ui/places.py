"""The screens beyond checkout and queue, and how an operator reaches them: the header's menu and a key each.

A place is a screen (history, day-end, the devices panel, the hospital desks,
the audit trail...) with its title, its key and the action its role needs
(terminal.roles): the menu lists the places the signed-in operator may open, the
keys work for them only. Screens are built once with the window, so opening one is
a switch of the stacked widget.

A screen that takes scans or cards itself (the devices panel shows what a scanner
read, a hospital desk identifies its patient) implements `ScanSink`: while it is
on screen, a scan or a card goes to it instead of the pharmacy sale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from terminal.app.scan_check import ScanSource
from terminal.errors import TerminalError
from terminal.roles import Action


@runtime_checkable
class ScanSink(Protocol):
    def take_scan(self, text: str) -> bool:
        """A code from any scanner or the camera; False leaves it to the pharmacy sale."""

    def take_card(self, card_no: str, card_sn: str) -> bool:
        """A social security card read by the reader; False leaves it to the pharmacy sale."""


@runtime_checkable
class ScanTestSink(Protocol):
    """A screen that tests the scanners (the devices panel): told which scanner read each code, and given
    what a device refused (a cut-off line, an unusable code, a card that could not be read), which the
    pharmacy sale would only have said in a sentence. Preferred to `ScanSink.take_scan` when implemented."""

    def take_scan_from(self, text: str, source: ScanSource) -> bool: ...

    def take_refused(self, error: TerminalError, source: ScanSource | None) -> bool:
        """A device refused what it read; `source` None is the card reader."""


@runtime_checkable
class Opened(Protocol):
    def opened(self) -> None:
        """The screen was switched to: read what it shows (on a worker, never here)."""


@dataclass(frozen=True)
class Place:
    name: str  # its key in Screens.places and in the demo script's {"screen": ...}
    title: Callable[[], str]  # translated when the menu is drawn
    keys: str  # the shortcut, as QKeySequence reads it
    action: Action  # what the operator's role must allow
    widget: QWidget


def screen_key(screen: QWidget, keys: str, action: Callable[[], object]) -> QShortcut:
    """A key of one screen: it acts while the focus is inside that screen, so two screens of the stacked
    window may give the same key (F5, Esc) different meanings."""
    shortcut = QShortcut(QKeySequence(keys), screen)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(action)
    return shortcut
