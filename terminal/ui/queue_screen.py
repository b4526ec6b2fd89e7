"""The queue screen (F11): what the service has not settled yet, and what is owed either way after forwarding.

Lists queued, forwarding, in-doubt, declined and needs-attention transactions,
then forwarded sales whose settled cash differs from what the counter collected
(a refund due to the patient, or an amount the patient still owes). F5 retries
the chosen one now, F6 exports the journal (masked) to a file, Esc goes back.
The rows come from the journal's thread (terminal.offline.queue_actions); the
screen only lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.app.status import QueueStatus
from terminal.money import ZERO
from terminal.offline.forwarder import Progress
from terminal.offline.record import Txn
from terminal.offline.states import State
from terminal.privacy import mask_id
from terminal.ui.places import screen_key
from terminal.ui.sale_view import money
from terminal.ui.text_table import TextTable

Index = QModelIndex | QPersistentModelIndex


class QueueModel(TextTable):
    RIGHT = frozenset({3, 4, 5, 6})

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Sale time"), self.tr("State"), self.tr("Person"), self.tr("Fees"), self.tr("Cash collected"),
                self.tr("Refund / owed"), self.tr("Tries"), self.tr("Last error"))

    def state_words(self, state: State, due: Decimal) -> str:
        if state is State.FORWARDED_SETTLED:
            return self.tr("refund due") if due < ZERO else self.tr("patient owes")
        return {
            State.OFFLINE_QUEUED: self.tr("queued"),
            State.FORWARDING: self.tr("forwarding"),
            State.SENDING: self.tr("outcome unknown: checking"),
            State.FORWARD_DECLINED: self.tr("declined"),
            State.NEEDS_ATTENTION: self.tr("needs attention"),
            State.REVERSAL_PENDING: self.tr("reversal pending"),
            State.DRAFT: self.tr("not sent"),
            State.PRE_SETTLED: self.tr("pre-settled, not sent"),
        }.get(state, str(state.value))

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Txn] = []

    def show(self, rows: list[Txn]) -> None:
        self.rows = rows
        self.set_cells([self._cells_of(row) for row in rows])

    def _cells_of(self, row: Txn) -> tuple[str, ...]:
        due = row.amount_due
        return (row.sale_time, self.state_words(row.state, due), mask_id(row.psn_no or ""), money(row.medfee_sumamt),
                money(row.cash_collected) if row.cash_collected is not None else "-",
                money(abs(due)) if due else "", str(row.attempts), row.last_error or "")


class QueueScreen(QWidget):
    def __init__(self, *, retry: Callable[[Txn], None], export: Callable[[], None], back: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._retry, self._export, self._back = retry, export, back
        self.model = QueueModel()
        self.title = QLabel(self.tr("Sales waiting for the settlement service"))
        self.title.setObjectName("headline")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("Forwarding %v of %m"))
        self.progress.hide()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel(self.tr("Nothing is waiting: every sale is settled with the service."))
        self.buttons: dict[str, QPushButton] = {}
        keys = QHBoxLayout()
        for key, label, action in (("F5", self.tr("Retry now"), self.retry_selected),
                                   ("F6", self.tr("Export (masked)"), self._export),
                                   ("Esc", self.tr("Back to the sale"), self._back)):
            button = QPushButton(f"{key} {label}")
            button.clicked.connect(action)
            keys.addWidget(button)
            screen_key(self, key, action)
            self.buttons[key] = button
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(keys)

    def show_rows(self, rows: list[Txn]) -> None:
        keep = self.selected()
        self.model.show(rows)
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        if rows:
            index = next((n for n, r in enumerate(rows) if keep and r.local_id == keep.local_id), 0)
            self.table.selectRow(index)
        self.buttons["F5"].setEnabled(bool(rows))

    def show_status(self, status: QueueStatus | None) -> None:
        if status is None:
            self.summary.setText("")
            return
        parts = [self.tr("%n sale(s) queued", "", status.count) + " · ¥" + money(status.amount)]
        if status.declined:
            parts.append(self.tr("%n declined", "", status.declined))
        if status.needs_attention:
            parts.append(self.tr("%n need(s) attention", "", status.needs_attention))
        if status.refunds_due:
            parts.append(self.tr("refunds due to patients ¥%1").replace("%1", money(status.refunds_due)))
        if status.amounts_owed:
            parts.append(self.tr("owed by patients ¥%1").replace("%1", money(status.amounts_owed)))
        self.summary.setText(" · ".join(parts))

    def show_progress(self, progress: Progress) -> None:
        """A bar while the forwarder sends: how many of this pass's sales are done."""
        if progress.state != "forwarding":
            self.progress.hide()
            return
        self.progress.setRange(0, max(1, progress.done + progress.left))
        self.progress.setValue(progress.done)
        self.progress.show()

    def selected(self) -> Txn | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def retry_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._retry(row)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.setFocus()
