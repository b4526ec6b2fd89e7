"""The keyboard-wedge scanner, told from typing wherever focus is (terminal.devices.wedge decides).

Installed on the application, the filter sees every key press before the focused
widget does. It feeds the classifier the key's character, or a key name ("Enter",
"Tab", "Backspace", "Escape", "F9"...), and holds the press back until the
classifier's verdict: typing is delivered to the widget that had focus, in order
and unchanged; a scan is swallowed whole and emitted as `scanned`, so a code never
lands in the quantity or search field. Modifier keys alone (the Shift a scanner
sends before a capital) are neither fed nor held. A key with Ctrl or Alt is never a
scanner's: it ends the burst and goes through.

Times come from the events (the windowing system stamps each key when it
happens), so a GUI busy for a moment does not make typed keys look like a scan.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from terminal.devices.wedge import VerdictKind, WedgeClassifier, WedgeResult
from terminal.settings import WedgeSettings

MODIFIERS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr,
             Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock}
NAMED = {Qt.Key.Key_Return: "Enter", Qt.Key.Key_Enter: "Enter", Qt.Key.Key_Tab: "Tab",
         Qt.Key.Key_Backtab: "Backtab", Qt.Key.Key_Backspace: "Backspace", Qt.Key.Key_Escape: "Escape",
         Qt.Key.Key_Delete: "Delete", Qt.Key.Key_Up: "Up", Qt.Key.Key_Down: "Down", Qt.Key.Key_Left: "Left",
         Qt.Key.Key_Right: "Right", Qt.Key.Key_Home: "Home", Qt.Key.Key_End: "End",
         Qt.Key.Key_PageUp: "PageUp", Qt.Key.Key_PageDown: "PageDown"}


def key_name(event: QKeyEvent) -> str | None:
    """What the classifier is fed for this press: a character, a key name, or None (a modifier alone)."""
    key = Qt.Key(event.key())
    if key in MODIFIERS:
        return None
    if key in NAMED:
        return NAMED[key]
    ctrl_alt = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    text = event.text()
    if len(text) == 1 and text.isprintable() and not event.modifiers() & ctrl_alt:
        return text
    if Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35:
        return f"F{key - Qt.Key.Key_F1 + 1}"
    # Any other key (a shortcut with Ctrl or Alt, media keys): a named key, so it ends a burst.
    return f"Key{int(key)}"


@dataclass
class _Held:
    receiver: QObject
    event: QKeyEvent


class WedgeFilter(QObject):
    scanned = Signal(str)  # a whole scan, framing stripped
    broken_scan = Signal()  # a burst that began like a scan and was cut off: ask to scan again

    def __init__(self, settings: WedgeSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.classifier = WedgeClassifier(settings)
        self._held: list[_Held] = []
        self._replaying = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._flush)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or not isinstance(watched, QWidget):
            # The window (a QWindow) sees each key before the focused widget: judge it once, there.
            return False
        if event.type() == QEvent.Type.KeyRelease:
            # The release of a key held back is meaningless to the widget; delivery sends its own.
            return bool(self._held)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        name = key_name(event)
        if name is None:
            return bool(self._held)
        receiver = QApplication.focusWidget() or watched
        self._held.append(_Held(receiver, event.clone()))
        self._apply(self.classifier.feed(name, self._now_ms(event)))
        return True

    @staticmethod
    def _now_ms(event: QKeyEvent) -> float:
        stamp = float(event.timestamp())
        return stamp if stamp > 0 else time.monotonic() * 1000.0  # a synthetic event without a time

    def _flush(self) -> None:
        # The timer fires only once no key came for longer than the interval, in real time: whatever
        # clock stamped the keys, the burst is over, so judge it at its deadline.
        deadline = self.classifier.next_deadline_ms()
        if deadline is not None:
            self._apply(self.classifier.flush(deadline + 1))

    def reset(self) -> None:
        """The window lost focus, or a screen changes: deliver what is held as typing."""
        self._apply(self.classifier.reset())

    def _apply(self, result: WedgeResult) -> None:
        for verdict in result.verdicts:
            taken, self._held = self._held[:len(verdict.keys)], self._held[len(verdict.keys):]
            if verdict.kind is VerdictKind.TYPING:
                self._deliver(taken)
            elif verdict.kind is VerdictKind.SCAN:
                self.scanned.emit(verdict.text)
            else:
                self.broken_scan.emit()
        if self.classifier.next_deadline_ms() is None:
            self._timer.stop()
        else:
            self._timer.start(int(self.classifier.settings.max_key_interval_ms) + 5)

    def _deliver(self, keys: list[_Held]) -> None:
        self._replaying = True
        try:
            for held in keys:
                target = held.receiver if _alive(held.receiver) else QApplication.focusWidget()
                if target is None:
                    continue
                QApplication.sendEvent(target, held.event)
                release = QKeyEvent(QEvent.Type.KeyRelease, held.event.key(), held.event.modifiers(),
                                    held.event.text())
                QApplication.sendEvent(target, release)
        finally:
            self._replaying = False


def _alive(obj: QObject) -> bool:
    try:
        obj.objectName()
    except RuntimeError:  # the widget was deleted while its key was held
        return False
    return True
