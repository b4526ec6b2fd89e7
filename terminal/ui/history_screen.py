"""History: find a past transaction, see what was asked and what the service said, reprint it, reverse it.

For supervisors (roles: history). The search and the reads run on the journal's
thread, a reversal on the network worker after the supervisor's PIN
(terminal.ui.supervision_control); the screen shows what comes back. Names and ID
numbers are shown masked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
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
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.money import fmt_amount
from terminal.offline.history import Detail, Query
from terminal.offline.record import Txn
from terminal.offline.reversal import REVERSIBLE, UNDO_BY_MSGID
from terminal.offline.states import Kind, State
from terminal.privacy import mask_id, mask_name
from terminal.ui.approval_form import ApprovalForm
from terminal.ui.places import screen_key
from terminal.ui.sentences import sentence
from terminal.ui.supervision_control import SupervisionControl
from terminal.ui.text_table import TextTable
from terminal.ui.words import kind_word, split_word, state_word

SPLIT_FIELDS = ("medfee_sumamt", "fund_pay_sumamt", "acct_pay", "acct_mulaid_pay", "psn_cash_pay")


def person_of(txn: Txn) -> str:
    info = txn.actual or {}
    name = mask_name(str(info.get("psn_name") or ""))
    return f"{name} {mask_id(txn.psn_no)}".strip() if txn.psn_no else name


class HistoryModel(TextTable):
    RIGHT = frozenset({5, 6})

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Txn] = []

    def headers(self) -> tuple[str, ...]:
        return (self.tr("Time"), self.tr("Receipt"), self.tr("Kind"), self.tr("State"), self.tr("Person"),
                self.tr("Fees"), self.tr("Cash"), self.tr("Operator"))

    def show(self, rows: list[Txn]) -> None:
        self.rows = rows
        self.set_cells([(r.sale_time, r.receipt_no or r.local_id, kind_word(r.kind), state_word(r.state), person_of(r),
                         fmt_amount(r.medfee_sumamt), "" if r.cash_collected is None else fmt_amount(r.cash_collected),
                         r.operator + (f" / {r.approved_by}" if r.approved_by else "")) for r in rows])


class HistoryScreen(QWidget):
    def __init__(self, control: SupervisionControl, *, back: Callable[[], None], say: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control = control
        self._back = back
        self._say = say
        self.shown: Detail | None = None
        today = QDate.currentDate()
        self.first_day, self.last_day = QDateEdit(today), QDateEdit(today)
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.person, self.number = QLineEdit(), QLineEdit()
        self.state = QComboBox()
        self.search_button = QPushButton()
        self.search_button.clicked.connect(lambda _checked=False: self.search())
        for field in (self.person, self.number):
            field.returnPressed.connect(self.search)
        self.model = HistoryModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._open(current.row()))
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.count = QLabel()
        self.form = ApprovalForm(confirm=self._reverse)
        self.reprint_button, self.reverse_button, self.back_button = QPushButton(), QPushButton(), QPushButton()
        self.reprint_button.clicked.connect(self.reprint)
        self.reverse_button.clicked.connect(self.ask_reversal)
        self.back_button.clicked.connect(self.escape)
        self._labels = [QLabel() for _ in range(5)]
        # Two rows: the days and the state first (what a supervisor sets most), then who and which number.
        first_row, second_row = QHBoxLayout(), QHBoxLayout()
        firsts: tuple[tuple[QLabel, QWidget], ...] = ((self._labels[0], self.first_day),
                                                     (self._labels[1], self.last_day), (self._labels[4], self.state))
        for label, widget in firsts:
            first_row.addWidget(label)
            first_row.addWidget(widget)
        first_row.addWidget(self.search_button)
        first_row.addWidget(self.count)
        first_row.addStretch(1)
        for label, field in ((self._labels[2], self.person), (self._labels[3], self.number)):
            second_row.addWidget(label)
            second_row.addWidget(field, 1)
        filters = QVBoxLayout()
        filters.addLayout(first_row)
        filters.addLayout(second_row)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QHBoxLayout()
        for button in (self.reprint_button, self.reverse_button, self.back_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("title")
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        for keys, action in (("F3", self.search), ("F5", self.reprint), ("F8", self.ask_reversal),
                             ("Escape", self.escape)):
            screen_key(self, keys, action)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("History: past transactions"))
        for label, text in zip(self._labels, (self.tr("From"), self.tr("to"), self.tr("Person (number, ID or name)"),
                                              self.tr("Receipt or settlement no."), self.tr("State")), strict=True):
            label.setText(text)
        self.state.clear()
        for key, text in (("", self.tr("all")), ("settled", self.tr("settled")), ("reversed", self.tr("reversed")),
                          ("waiting", self.tr("waiting for the service")), ("declined", self.tr("declined")),
                          ("attention", self.tr("needs attention")), ("not-sent", self.tr("not sent"))):
            self.state.addItem(text, key)
        self.search_button.setText(self.tr("F3 Search"))
        self.reprint_button.setText(self.tr("F5 Reprint receipt"))
        self.reverse_button.setText(self.tr("F8 Reverse (supervisor)"))
        self.back_button.setText(self.tr("Esc Back"))

    # ----- what the supervisor does

    def opened(self) -> None:
        self.search()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.number.setFocus()

    def query(self) -> Query:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        return Query(day(self.first_day), day(self.last_day), self.person.text(), self.number.text(),
                     str(self.state.currentData() or ""))

    def search(self, keep: bool = False) -> None:
        """Look up what the filters say; `keep` leaves the last sentence on screen (after a reversal)."""
        if not keep:
            self.message.clear()
        self.control.search(self.query(), self._found, self._failed)

    def _found(self, rows: list[Txn]) -> None:
        self.model.show(rows)
        self.count.setText(self.tr("%1 found.").replace("%1", str(len(rows))))
        if rows:
            self.table.selectRow(0)
        else:
            self.shown = None
            self.detail.clear()

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.control.detail(self.model.rows[row].local_id, self._show_detail, self._failed)

    def _show_detail(self, found: Detail) -> None:
        self.shown = found
        self.detail.setPlainText("\n".join(self.describe(found)))

    def describe(self, found: Detail) -> list[str]:
        txn = found.txn
        lines = [f"{txn.receipt_no or txn.local_id}  {kind_word(txn.kind)}  {state_word(txn.state)}",
                 self.tr("Person: %1").replace("%1", person_of(txn)),
                 self.tr("Operator: %1").replace("%1", txn.operator)]
        if txn.approved_by:
            lines.append(self.tr("Approved by supervisor %1").replace("%1", txn.approved_by))
        for entry in txn.request.get("drugdetail") or txn.request.get("feedetail") or []:
            if isinstance(entry, dict):
                lines.append(f"  {entry.get('med_list_codg', '')} x{entry.get('cnt', '')} "
                             f"{entry.get('det_item_fee_sumamt', '')}")
        lines.append(self.tr("Split: estimate / actual"))
        estimate, actual = txn.estimate or {}, txn.actual or {}
        for key in SPLIT_FIELDS:
            lines.append(f"  {split_word(key)}  {_amount(estimate.get(key))} / {_amount(actual.get(key))}")
        if txn.last_error:
            lines.append(self.tr("Last error: %1").replace("%1", txn.last_error))
        for other in found.related:
            lines.append(f"↳ {other.receipt_no or other.local_id} {kind_word(other.kind)} "
                         f"{state_word(other.state)} {other.last_error or ''}".rstrip())
        lines.append(self.tr("Steps:"))
        lines += [f"  {datetime.fromtimestamp(e['at']).strftime('%H:%M:%S')} {_state(e.get('old_state'))} → "
                  f"{_state(e.get('new_state'))} {e.get('note') or ''}".rstrip() for e in found.events]
        return lines

    def reprint(self) -> None:
        txn = self.shown.txn if self.shown else None
        if txn is None or txn.kind is Kind.REVERSAL or not (txn.actual or txn.estimate):
            self.message.setText(self.tr("Choose a sale with a receipt first."))
            return
        self.control.reprint(txn)
        self.message.setText(self.tr("Receipt %1 printed again.").replace("%1", txn.receipt_no or txn.local_id))

    def ask_reversal(self) -> None:
        txn = self.shown.txn if self.shown else None
        if txn is None or txn.state not in REVERSIBLE | UNDO_BY_MSGID or txn.kind is Kind.REVERSAL:
            self.message.setText(self.tr("Choose a settlement that stands, or a sale whose outcome is unknown."))
            return
        what = (self.tr("Reverse %1 (%2): the settlement is taken back at the service.")
                if txn.state in REVERSIBLE else
                self.tr("Undo %1 (%2) by its message number (2601): its outcome is unknown."))
        self.form.ask(what.replace("%1", txn.receipt_no or txn.local_id).replace("%2", fmt_amount(txn.medfee_sumamt)))

    def _reverse(self, opter: str, pin: str, reason: str) -> None:
        txn = self.shown.txn if self.shown else None
        if txn is None:
            self.form.close_form()
            return
        self.control.reverse(txn, opter, pin, reason, self._reversed, lambda exc: self.form.refused(sentence(exc)))

    def _reversed(self, row: Txn) -> None:
        self.form.close_form()
        if row.state.value == "settled":
            text = self.tr("Reversed: %1, approved by %2.").replace("%1", row.local_id)
        elif row.state.value == "draft":
            text = self.tr("The service refused the reversal: %1").replace("%1", row.last_error or "")
        else:
            text = self.tr("The reversal was sent; its answer has not come: it is resolved automatically (%1).")\
                .replace("%1", row.local_id)
        self.message.setText(text.replace("%2", row.approved_by or ""))
        self._say(self.message.text())
        self.search(keep=True)

    def escape(self) -> None:
        if self.form.isVisible():
            self.form.close_form()
            return
        self._back()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(sentence(exc))

    # A scan while history is on show looks the transaction up; a card is not for this screen.
    def take_scan(self, text: str) -> bool:
        if 4 <= len(text) <= 40 and text.replace("-", "").isalnum():
            self.number.setText(text)
            self.search()
        return True

    def take_card(self, card_no: str, card_sn: str) -> bool:
        return True


def _state(value: Any) -> str:
    try:
        return state_word(State(value))
    except ValueError:
        return "-"


def _amount(value: Any) -> str:
    if value is None:
        return "-"
    try:
        return fmt_amount(Decimal(str(value)))
    except ArithmeticError:
        return str(value)
