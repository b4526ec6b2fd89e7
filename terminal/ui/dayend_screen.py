"""Day-end: reconcile the day with the service, count the drawer against the shift report, close the day.

For supervisors (roles: day-end). F9 reconciles (3201 per insutype and clearing
type from the journal, 3202 to find the transactions that differ), F5 prints the
shift report (PDF and printer), F10 closes the day; while sales still wait for the
service the close is refused naming them, and a supervisor may override it with a
reason. The work runs off the GUI thread (terminal.ui.supervision_control).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.offline.shift import DayNotClear, ShiftReport, report_lines
from terminal.ui.approval_form import ApprovalForm
from terminal.ui.places import screen_key
from terminal.ui.sentences import sentence
from terminal.ui.style import MONO_FAMILIES, pick_family
from terminal.ui.supervision_control import SupervisionControl
from terminal.ui.text_table import TextTable


class GroupsModel(TextTable):
    RIGHT = frozenset({3, 4, 5, 6})

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Insurance type"), self.tr("Clearing type"), self.tr("Clearing region"), self.tr("Fees"),
                self.tr("Pooled fund"), self.tr("Personal account"), self.tr("Count"), self.tr("Service says"))


class MismatchModel(TextTable):
    def headers(self) -> tuple[str, ...]:
        return (self.tr("Settlement no."), self.tr("Reversal"), self.tr("Problem"))


class DayEndScreen(QWidget):
    def __init__(self, control: SupervisionControl, *, institution: str, back: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control = control
        self.institution = institution
        self._back = back
        self.report: dict[str, Any] | None = None
        self.shift: ShiftReport | None = None
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.dateChanged.connect(lambda _d: self.opened())
        self.verdict = QLabel()
        self.verdict.setObjectName("title")
        self.verdict.setWordWrap(True)
        self.groups, self.mismatches = GroupsModel(), MismatchModel()
        tables = QHBoxLayout()
        for model in (self.groups, self.mismatches):
            view = QTableView()
            view.setModel(model)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            view.horizontalHeader().setStretchLastSection(True)
            tables.addWidget(view, 3 if model is self.groups else 2)
        self.dues = QLabel()
        self.dues.setWordWrap(True)
        self.shift_text = QPlainTextEdit()
        self.shift_text.setReadOnly(True)
        self.shift_text.setFont(QFont(pick_family(MONO_FAMILIES)))  # the report's columns, as on paper
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.form = ApprovalForm(confirm=self._override)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        self.day_label = QLabel()
        row.addWidget(self.day_label)
        row.addWidget(self.day)
        for name, action in (("reconcile", self.reconcile), ("print", self.print_shift), ("close", self.close_day),
                             ("back", self.escape)):
            button = QPushButton()
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action)
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("title")
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addLayout(tables, 2)
        layout.addWidget(self.dues)
        layout.addWidget(self.shift_text, 2)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        for keys, action in (("F9", self.reconcile), ("F5", self.print_shift), ("F10", self.close_day),
                             ("Escape", self.escape)):
            screen_key(self, keys, action)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Day-end: reconciliation, shift report, closing the day"))
        self.day_label.setText(self.tr("Day"))
        for name, text in (("reconcile", self.tr("F9 Reconcile with the service")),
                           ("print", self.tr("F5 Print shift report")), ("close", self.tr("F10 Close the day")),
                           ("back", self.tr("Esc Back"))):
            self.buttons[name].setText(text)

    @property
    def chosen_day(self) -> str:
        return self.day.date().toString("yyyy-MM-dd")

    # ----- what the supervisor does

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.day.setFocus()  # the screen's keys work while the focus is inside it

    def opened(self) -> None:
        """The shift report of the day at once (the journal only); the service is asked on F9."""
        self.report = None
        self.verdict.setText(self.tr("Press F9 to reconcile %1 with the service.").replace("%1", self.chosen_day))
        self.groups.set_cells([])
        self.mismatches.set_cells([])
        self.dues.clear()
        self.control.shift(self.chosen_day, self._shift_read, self._failed)

    def reconcile(self) -> None:
        self.message.setText(self.tr("Asking the service…"))
        self.buttons["reconcile"].setEnabled(False)
        self.control.reconcile(self.chosen_day, self._reconciled, self._reconcile_failed)

    def _reconciled(self, report: dict[str, Any]) -> None:
        self.buttons["reconcile"].setEnabled(True)
        self.message.clear()
        self.report = report
        unresolved = report.get("unresolved") or []
        if unresolved:
            names = ", ".join(f"{u.get('receipt_no') or u['local_id']} ({u['state']})" for u in unresolved[:5])
            self.verdict.setText(self.tr("Not finished: %1 transaction(s) still unresolved: %2")
                                 .replace("%1", str(len(unresolved))).replace("%2", names))
        elif report["agree"]:
            self.verdict.setText(self.tr("The totals agree with the service: %1 settlement(s) and reversal(s).")
                                 .replace("%1", str(report["settlements"])))
        else:
            self.verdict.setText(self.tr("The totals do not agree with the service: see the transactions "
                                         "listed on the right."))
        self.groups.set_cells([(g["insutype"], g["clr_type"], g["setl_optins"], g["terminal"]["medfee_sumamt"],
                                g["terminal"]["fund_pay_sumamt"], g["terminal"]["acct_pay"],
                                str(g["terminal"]["fixmedins_setl_cnt"]),
                                f"{g['service'].get('stmt_rslt', '')} {g['service'].get('stmt_rslt_dscr', '')}")
                               for g in report["groups"]])
        self.mismatches.set_cells([(m["setl_id"], m["refd_setl_flag"], m["problem"]) for m in report["mismatches"]])
        refunds = ", ".join(f"{d['local_id']} {d['amount']}" for d in report["refunds_due"]) or "-"
        owed = ", ".join(f"{d['local_id']} {d['amount']}" for d in report["amounts_owed"]) or "-"
        self.dues.setText(self.tr("Refunds due: %1\nAmounts owed: %2").replace("%1", refunds).replace("%2", owed))

    def _reconcile_failed(self, exc: BaseException) -> None:
        self.buttons["reconcile"].setEnabled(True)
        self._failed(exc)

    def _shift_read(self, shift: ShiftReport) -> None:
        self.shift = shift
        self.shift_text.setPlainText("\n".join(report_lines(shift, institution_name=self.institution, width=48)))

    def print_shift(self) -> None:
        if self.shift is None:
            return
        self.control.print_shift(self.shift, self._printed, self._failed)

    def _printed(self, path: Path) -> None:
        self.message.setText(self.tr("Shift report printed; its PDF is %1").replace("%1", str(path)))

    def close_day(self) -> None:
        self.message.clear()
        self.control.close_day(self.chosen_day, None, self._closed, self._close_refused)

    def _close_refused(self, exc: BaseException) -> None:
        if isinstance(exc, DayNotClear):
            self.message.setText(sentence(exc))
            self.form.ask(self.tr("Close %1 although %2 transaction(s) still wait for the service?")
                          .replace("%1", self.chosen_day).replace("%2", str(len(exc.rows))))
            return
        self._failed(exc)

    def _override(self, opter: str, pin: str, reason: str) -> None:
        self.control.close_day(self.chosen_day, (opter, pin, reason), self._closed,
                               lambda exc: self.form.refused(sentence(exc)))

    def _closed(self, shift: ShiftReport) -> None:
        self.form.close_form()
        self._shift_read(shift)
        self.message.setText(self.tr("The day %1 is closed.").replace("%1", shift.day))

    def escape(self) -> None:
        if self.form.isVisible():
            self.form.close_form()
            return
        self._back()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(sentence(exc))
