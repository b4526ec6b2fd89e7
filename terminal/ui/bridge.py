"""The one edge where the core's threads meet Qt: events re-emitted as signals.

Devices, the journal and the forwarder call their one subscriber on their own
threads; the subscriber here only emits a signal. Qt queues it to the GUI thread
(the receiving widgets live there), so no widget is ever touched from another
thread and nothing in the core knows Qt exists.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Bridge(QObject):
    device_event = Signal(object)  # any device's event: StateChanged, CardInserted, ScannedLine, CodeSeen...
    journal_changed = Signal(object)  # a Txn whose step was committed
    forwarder_progress = Signal(object)  # the forwarder's Progress
    service_state = Signal(object)  # the service's health, as terminal.offline.health says

    def on_device_event(self, event: object) -> None:
        self.device_event.emit(event)

    def on_journal_change(self, txn: object) -> None:
        self.journal_changed.emit(txn)

    def on_forwarder_progress(self, progress: object) -> None:
        self.forwarder_progress.emit(progress)

    def on_service_health(self, health: object) -> None:
        self.service_state.emit(health)
