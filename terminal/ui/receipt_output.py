"""The receipts of a counter: a PDF of each, and the printer when one is configured.

Made off the GUI thread (the output worker writes the PDF; the printer has its own
thread), from the journal row (terminal.app.receipts). A fault is a sentence for the
cashier and the receipt stays reprintable (Ctrl+P); the sale itself is never undone
by paper or a disk.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QObject, Signal

from terminal.app.receipts import Receipt, receipt_for
from terminal.app.session import Session
from terminal.app.station import Station
from terminal.catalog import Catalog
from terminal.errors import TerminalError
from terminal.money import ZERO
from terminal.offline.record import Txn
from terminal.receipt import WIDTH_80MM
from terminal.roles import Action
from terminal.settings import Settings, state_dir
from terminal.ui.receipt_pdf import write_pdf
from terminal.ui.sentences import ERROR, WARN, sentence
from terminal.ui.tasks import MainThread, Worker
from terminal.ui.till import Till


class Receipts(QObject):
    pdf_written = Signal(object)  # the PDF's Path
    printed = Signal(object)  # the printer's Printed

    def __init__(self, settings: Settings, station: Station, session: Session, till: Till, output: Worker,
                 main: MainThread) -> None:
        super().__init__()
        self.settings, self.station, self.session, self.till = settings, station, session, till
        self.output, self.main = output, main
        self.last: Txn | None = None
        self._tendered: dict[str, Decimal] = {}

    def sale_done(self, txn: Txn, tendered: Decimal | None) -> None:
        if tendered is not None:
            self._tendered[txn.local_id] = tendered
        self.issue(txn)

    def reprint(self) -> None:
        if not self.till.may(Action.REPRINT):
            return
        if self.last is None:
            self.till.say(self.tr("There is no receipt to print again yet."), WARN)
            return
        self.issue(self.last, reprint=True)

    def issue(self, txn: Txn, *, reprint: bool = False) -> None:
        """The receipt to PDF, and to the printer (with the drawer kick when cash was taken)."""
        self.last = txn
        folder = self.settings.counter.receipt_folder(state_dir(self.settings))
        printer = self.station.printer

        def failed(exc: BaseException) -> None:
            self.till.say(self.tr("The receipt could not be made: %1 The sale is kept; Ctrl+P prints it again.")
                          .replace("%1", sentence(exc)), ERROR)

        self.output.run(lambda: write_pdf(self.receipt_of(txn, reprint=reprint), folder), self.pdf_written.emit,
                        failed)
        if printer is None:
            return
        cash = txn.cash_collected or ZERO
        try:
            lines = self.receipt_of(txn, width=printer.width, reprint=reprint).lines
            printing = printer.print_receipt(lines, open_drawer=cash > ZERO and not reprint)
        except (TerminalError, RuntimeError) as exc:
            self._print_failed(exc)
            return
        self.main.when_done(printing, self.printed.emit, self._print_failed)

    def receipt_of(self, txn: Txn, *, width: int = WIDTH_80MM, reprint: bool = False) -> Receipt:
        """The receipt's lines for this journal row, as printed (pure: any thread)."""
        operator = self.session.operator
        return receipt_for(txn, institution_name=self.settings.terminal.fixmedins_name,
                           catalog=self.till.catalog or Catalog([]), tendered=self._tendered.get(txn.local_id),
                           operator=f"{operator.opter} {operator.name}" if operator else None, reprint=reprint,
                           width=width)

    def _print_failed(self, exc: BaseException) -> None:
        self.till.say(self.tr("The receipt did not print: %1 The sale is kept; Ctrl+P prints it again.")
                      .replace("%1", sentence(exc)), ERROR)
