"""The audit trail for supervisors: who signed in and out, what a supervisor approved, reversals, day-ends,
configuration changes; filtered by days, operator and event, and exported (masked) to a CSV file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.offline.audit import AuditRow, Event
from terminal.ui.places import screen_key
from terminal.ui.sentences import sentence
from terminal.ui.supervision_control import SupervisionControl
from terminal.ui.text_table import TextTable


class AuditModel(TextTable):
    def headers(self) -> tuple[str, ...]:
        return (self.tr("Time"), self.tr("Operator"), self.tr("Event"), self.tr("About"), self.tr("Approved by"),
                self.tr("Detail"))

    def show(self, rows: list[AuditRow]) -> None:
        self.set_cells([(r.to_json()["time"], r.operator, r.event, r.subject or "", r.approved_by or "",
                         r.to_json()["detail"]) for r in rows])


class AuditScreen(QWidget):
    def __init__(self, control: SupervisionControl, *, back: Callable[[], None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.control = control
        self._back = back
        today = QDate.currentDate()
        self.first_day, self.last_day = QDateEdit(today.addDays(-6)), QDateEdit(today)
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.operator = QLineEdit()
        self.operator.setMaxLength(10)
        self.operator.returnPressed.connect(self.refresh)
        self.event_kind = QComboBox()
        self.model = AuditModel()
        table = QTableView()
        table.setModel(self.model)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.count = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        self._labels = [QLabel() for _ in range(4)]
        row = QHBoxLayout()
        fields: tuple[QWidget, ...] = (self.first_day, self.last_day, self.operator, self.event_kind)
        for label, widget in zip(self._labels, fields, strict=True):
            row.addWidget(label)
            row.addWidget(widget)
        for name, action in (("refresh", self.refresh), ("export", self.export), ("back", back)):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action)
            row.addWidget(button)
            self.buttons[name] = button
        row.addWidget(self.count)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("title")
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        layout.addWidget(self.message)
        for keys, action in (("F3", self.refresh), ("F6", self.export), ("Escape", back)):
            screen_key(self, keys, action)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Audit trail"))
        for label, text in zip(self._labels, (self.tr("From"), self.tr("to"), self.tr("Operator"),
                                              self.tr("Event")), strict=True):
            label.setText(text)
        self.event_kind.clear()
        self.event_kind.addItem(self.tr("all"), "")
        for event in Event:
            self.event_kind.addItem(event.value, event.value)
        for name, text in (("refresh", self.tr("F3 Show")), ("export", self.tr("F6 Export (masked)")),
                           ("back", self.tr("Esc Back"))):
            self.buttons[name].setText(text)

    def filters(self) -> dict[str, Any]:
        def start(edit: QDateEdit) -> float:
            d = edit.date()
            return datetime.combine(datetime(d.year(), d.month(), d.day()).date(), time()).timestamp()

        out: dict[str, Any] = {"since": start(self.first_day),
                               "until": start(self.last_day) + timedelta(days=1).total_seconds()}
        if self.operator.text().strip():
            out["operator"] = self.operator.text().strip()
        if self.event_kind.currentData():
            out["event"] = str(self.event_kind.currentData())
        return out

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.operator.setFocus()  # the screen's keys work while the focus is inside it

    def opened(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.control.audit_rows(self._shown, self._failed, **self.filters())

    def _shown(self, rows: list[AuditRow]) -> None:
        self.model.show(rows)
        self.count.setText(self.tr("%1 row(s).").replace("%1", str(len(rows))))

    def export(self) -> None:
        self.control.export_audit(self._exported, self._failed, **self.filters())

    def _exported(self, done: tuple[int, Path]) -> None:
        count, path = done
        self.message.setText(self.tr("%1 row(s) exported (names and numbers masked) to %2")
                             .replace("%1", str(count)).replace("%2", str(path)))
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(sentence(exc))
