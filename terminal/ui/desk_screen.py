"""A hospital desk's screen: the patient, the visit's form, the fee list, the split, and the keys.

The outpatient and inpatient desks (outpatient_screen.py, inpatient_screen.py)
differ in their form and a few keys; the rest is here. Hands stay on the
keyboard: one entry line takes a fee (code and quantity), a fee list's path, the
cash received or what a cancel names, and each action has its key on its button.
A cancel (Ctrl+F-key) is pressed twice: the first press says what it will undo.
A scan or a card while the desk is on show identifies its patient (ScanSink).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.devices.scan_codes import VoucherScan
from terminal.domain import CatalogItem
from terminal.errors import TerminalError
from terminal.money import parse_cash
from terminal.offline.record import Txn
from terminal.pharmacy_sale import Buyer
from terminal.ui import style
from terminal.ui.approval_form import ApprovalForm
from terminal.ui.desk_control import DeskControl
from terminal.ui.desk_view import DeskSplit, FeesModel, PatientPanel
from terminal.ui.places import screen_key
from terminal.ui.sentences import INFO, WARN, sentence

Key = tuple[str, str, Callable[[], None]]  # key, label, action


class DeskScreen(QWidget):
    def __init__(self, control: DeskControl, *, read_card: Callable[[], None], back: Callable[[], None],
                 receipt: Callable[[Txn, Decimal | None], None], item_of: Callable[[str], CatalogItem | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control, self._read_card, self._back, self._receipt, self._item_of = (
            control, read_card, back, receipt, item_of)
        self.tendered: Decimal | None = None
        self._armed: str | None = None  # the cancel pressed once, waiting for its second press
        self._last_voucher: str | None = None
        self.patient = PatientPanel()
        self.fees = FeesModel()
        self.split = DeskSplit()
        self.table = QTableView()
        self.table.setModel(self.fees)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.table.horizontalHeader()
        # Fixed widths: sizing the columns to their contents measures every row, which for a stay of a
        # thousand fees held the GUI thread for a quarter of a second (bench/ui_stall.py).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((50, 90, 0, 60, 80, 90, 130)):
            if width:
                self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(self.tr("A fee: code and quantity (F5) · a fee list's path (F6) · "
                                              "the cash received (F10)"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("headline")
        self.bar = QProgressBar()
        self.bar.setFormat(self.tr("Uploading fees: %v of %m"))
        self.bar.hide()
        # A settlement's cancel is a reversal: a supervisor's number, PIN and reason, typed here.
        self.approval = ApprovalForm(confirm=self._cancel_settlement)
        self.buttons: dict[str, QPushButton] = {}
        self._layout()
        control.changed.connect(self.redraw)
        control.message.connect(self.show_message)
        control.progress.connect(self.show_progress)
        control.settled.connect(self._settled)
        self.entry.returnPressed.connect(self._entered)
        self.redraw()

    # ----- what a desk adds (its form, its own keys)

    def form(self) -> QWidget:
        raise NotImplementedError

    def form_value(self) -> object:
        raise NotImplementedError

    def desk_keys(self) -> list[Key]:
        return []

    def title(self) -> str:
        raise NotImplementedError

    @staticmethod
    def form_grid(rows: list[tuple[str, QWidget]]) -> QWidget:
        """The form's fields two to a row: the fee list keeps the height (a stay has many fees)."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, (label, field) in enumerate(rows):
            grid.addWidget(QLabel(label), n // 2, (n % 2) * 2)
            grid.addWidget(field, n // 2, (n % 2) * 2 + 1)
        return box

    # ----- layout and keys

    def key_table(self) -> list[Key]:
        c = self.control
        keys: list[Key] = [
            ("F1", self.tr("Help"), self.help),
            ("F2", self.tr("Read card"), self._read_card),
            ("F4", self.tr("Register") if c.kind == "outpatient" else self.tr("Admit"), self.open_visit),
            ("F5", self.tr("Add fee"), self.add_fee),
            ("F6", self.tr("Import fee list"), self.import_file),
            ("F7", self.tr("Upload fees"), c.upload),
            ("F8", self.tr("Account on/off"), c.toggle_account),
            ("F9", self.tr("Pre-settle"), c.presettle),
            ("F10", self.tr("Settle"), self.settle),
            ("F12", self.tr("Ask again"), c.check_again),
            ("Esc", self.tr("Next patient"), self.next_patient),
            ("Ctrl+F5", self.tr("Cancel fees"), lambda: self.cancel("fees")),
            ("Ctrl+F10", self.tr("Cancel settlement"), lambda: self.cancel("settlement")),
            ("Ctrl+F4", self.tr("Cancel registration") if c.kind == "outpatient" else self.tr("Cancel admission"),
             lambda: self.cancel("visit")),
        ]
        return keys + self.desk_keys()

    def _layout(self) -> None:
        heading = QLabel(self.title())
        heading.setObjectName("headline")
        left = QVBoxLayout()
        left.addWidget(heading)
        left.addWidget(self.patient)
        left.addWidget(self.form())
        left.addWidget(self.table, 1)
        left.addWidget(self.bar)
        left.addWidget(self.entry)
        left.addWidget(self.approval)
        left.addWidget(self.message)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.split)
        grid = QGridLayout()
        for n, (key, label, action) in enumerate(self.key_table()):
            button = QPushButton(f"{key} {label}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, a=action, k=key: self._act(a, k))
            grid.addWidget(button, n // 7, n % 7)
            self.buttons[key] = button
            screen_key(self, key, partial(self._act, action, key))
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(grid)

    def _act(self, action: Callable[[], None], key: str) -> None:
        if not key.startswith("Ctrl+"):
            self._armed = None  # any other key disarms a cancel pressed once
        try:
            action()
        except TerminalError as exc:
            self.show_message(sentence(exc), WARN)

    # ----- ScanSink and Opened (terminal.ui.places)

    def take_scan(self, text: str) -> bool:
        try:
            scan = self.control.station.router.route(text)
        except TerminalError as exc:
            self.show_message(sentence(exc), WARN)
            return True
        if isinstance(scan, VoucherScan):
            if scan.text == self._last_voucher and self.control.identity is not None:
                return True  # the camera sees the code still in view: the same patient, not a new one
            self._last_voucher = scan.text
            self.control.identify(Buyer(voucher=scan.text))
        else:
            self.show_message(self.tr("That is not an e-voucher: at this desk, scan the patient's e-voucher."), WARN)
        return True  # never to the pharmacy sale from a desk

    def take_card(self, card_no: str, card_sn: str) -> bool:
        self.control.identify(Buyer(card_no=card_no, card_sn=card_sn))
        return True

    def opened(self) -> None:
        self.entry.setFocus()
        self.control.refresh()

    # ----- actions

    def help(self) -> None:
        self.show_message(self.tr("Read the card or scan the e-voucher; F4 opens the visit; F5/F6 enter or import "
                                  "fees and F7 uploads them; F9 pre-settles, F10 settles."), INFO)

    def open_visit(self) -> None:
        self.control.open_visit(self.form_value())

    def add_fee(self) -> None:
        text = self.entry.text().replace("*", " ").split()
        if not text:
            self.show_message(self.tr("Type the fee's code and quantity (such as 001102000010000 2), then F5."),
                              WARN)
            return
        self.control.add_fee(text[0], text[1] if len(text) > 1 else "1")
        self.entry.clear()

    def import_file(self) -> None:
        path = self.entry.text().strip()
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, self.tr("Fee list"), "",
                                                        self.tr("Fee lists (*.csv *.json)"))
        if path:
            self.control.import_file(path)
            self.entry.clear()

    def settle(self) -> None:
        text = self.entry.text().strip()
        self.tendered = None
        if text:
            self.tendered = parse_cash(text)
            if self.tendered is None:
                self.show_message(self.tr("Type the cash received as an amount, such as 100 or 52.50, then F10."),
                                  WARN)
                return
        self.control.settle()
        self.entry.clear()

    def next_patient(self) -> None:
        if self.approval.isVisible():
            self.approval.close_form()
            return
        if self.entry.text():
            self.entry.clear()
            return
        if self.control.identity is None:
            self._back()
            return
        self._last_voucher = None
        self.control.clear()

    def cancel(self, what: str) -> None:
        """A cancel, pressed twice: the first press says what it undoes, the second sends it. A settlement's
        asks for a supervisor's approval instead (it is a reversal)."""
        if what == "settlement":
            self._armed = None
            if self.control.visit is None or not self.control.visit.settlements:
                self.show_message(self.tr("This visit has no settlement to cancel."), WARN)
                return
            self.approval.ask(self.cancel_words(what))
            return
        if self._armed != what:
            self._armed = what
            self.show_message(self.cancel_words(what), WARN)
            return
        self._armed = None
        c = self.control
        selector = self.entry.text().strip() or "0000"
        self.entry.clear()
        if what == "fees":
            c.step(self.tr("Cancelling fees…"), lambda d, v: d.cancel_fees(v, selector), self.tr("Fees cancelled."))
        elif what == "visit":
            c.step(self.tr("Cancelling…"), lambda d, v: d.cancel_visit(v), self.tr("The visit is cancelled."))
        elif what == "discharge":
            c.step(self.tr("Cancelling the discharge…"), lambda d, v: d.cancel_discharge(v),
                   self.tr("Discharge cancelled: the patient is in hospital again."))

    def cancel_words(self, what: str) -> str:
        return {
            "fees": self.tr("Press Ctrl+F5 again to cancel the unsettled fees (all, or the batch or serial typed)."),
            "settlement": self.tr("Cancel the settlement: the insurance payment is reversed and the cash goes "
                                  "back to the patient. A supervisor approves it."),
            "visit": self.tr("Press Ctrl+F4 again to cancel the whole visit."),
            "discharge": self.tr("Press Ctrl+F3 again to cancel the discharge."),
        }[what]

    def _cancel_settlement(self, opter: str, pin: str, reason: str) -> None:
        self.control.cancel_settlement(opter, pin, reason, self._cancelled,
                                       lambda exc: self.approval.refused(sentence(exc)))

    def _cancelled(self, row: Txn) -> None:
        self.approval.close_form()
        if row.state.value == "settled":
            self.show_message(self.tr("Settlement cancelled, approved by %1: its fees are unsettled again.")
                              .replace("%1", row.approved_by or ""), INFO)
        elif row.state.value == "draft":
            self.show_message(self.tr("The service refused the cancel: %1").replace("%1", row.last_error or ""),
                              WARN)
        else:
            self.show_message(self.tr("The cancel was sent; its answer has not come: it is resolved "
                                      "automatically."), WARN)

    def _entered(self) -> None:
        """Enter: settle after a pre-settlement (the cash typed), else add the fee typed."""
        if self.control.quote is not None:
            self.settle()
        elif self.entry.text().strip():
            self.add_fee()

    def _settled(self, txn: Txn) -> None:
        self._receipt(txn, self.tendered)

    # ----- drawing

    def redraw(self) -> None:
        c = self.control
        self.patient.show_patient(c.identity, c.visit)
        self.fees.show(c.visit, c.pending, self._item_of)
        self.split.show_split(c.visit, c.quote, c.result, c.acct_used, self.tendered)

    def show_message(self, text: str, level: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {style.state_colour(level)};")

    def show_progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.bar.setVisible(done < total)
