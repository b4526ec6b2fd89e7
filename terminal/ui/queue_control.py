"""The queue's side of the counter: the status bar's count and the queue screen's rows, retry and export.

Read on the journal's thread and coalesced: one read out at a time, and a refresh
asked for meanwhile is read once more when it is back (else a queue screen opened
during a status-only read would stay empty until the next tick).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from terminal.app.status import QueueStatus, queue_status
from terminal.offline.queue_actions import attention_rows, export_all, retry
from terminal.offline.record import Txn
from terminal.settings import state_dir
from terminal.ui.sentences import ERROR, INFO, WARN, sentence

if TYPE_CHECKING:
    from terminal.ui.counter_app import CounterApp


class QueueControl(QObject):
    def __init__(self, app: CounterApp) -> None:
        super().__init__()
        self.app = app
        self.status: QueueStatus | None = None
        self._pending = False
        self._again = False  # asked for while a read was out: read once more when it is back

    def refresh(self) -> None:
        """The status bar's queue and, when open, the queue screen."""
        app = self.app
        if app.station.checkout is None:
            return
        if self._pending:
            self._again = True
            return
        self._pending = True
        with_rows = app.screens.queue_open()

        def read(t: Any) -> tuple[dict[str, Any], list[Txn] | None]:
            return t.stats(time.time()), (attention_rows(t) if with_rows else None)

        app.main.when_done(app.station.journal.submit(read), self._read, self._failed)

    def _read(self, result: tuple[dict[str, Any], list[Txn] | None]) -> None:
        self._pending = False
        stats, rows = result
        self.status = queue_status(stats, self.app.settings.offline)
        self.app.screens.status.show_queue(self.status)
        self.app.screens.show_queue(self.status, rows)
        self._read_again()

    def _failed(self, exc: BaseException) -> None:
        self._pending = False
        self.app.screens.status.showMessage(sentence(exc), 10_000)
        self._read_again()

    def _read_again(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    def retry(self, txn: Txn) -> None:
        station = self.app.station
        self.app.network.run(lambda: retry(station.journal, station.client.next_msgid, txn.local_id),
                             lambda _t: self._say(self.tr("Sent again now."), INFO),
                             lambda exc: self._say(sentence(exc), WARN))
        station.forwarder.wake()

    def export(self) -> None:
        folder = state_dir(self.app.settings) / "exports"
        path = folder / time.strftime("queue-%Y%m%d-%H%M%S.csv")

        def write(t: Any) -> int:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            return export_all(t, path)

        self.app.main.when_done(self.app.station.journal.submit(write),
                                lambda n: self._say(self.tr("%1 rows exported (names and numbers masked) to %2")
                                                    .replace("%1", str(n)).replace("%2", str(path)), INFO),
                                lambda exc: self._say(sentence(exc), ERROR))

    def _say(self, text: str, level: str) -> None:
        self.app.screens.status.showMessage(text, 15_000)
        self.app.till.say(text, level)
        self.refresh()
