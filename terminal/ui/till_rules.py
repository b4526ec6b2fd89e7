"""The till's part of the pharmacy rules: codes scanned, prescription numbers and the buyer's ID typed.

The rules are the core's (terminal.sale_rules, through the sale model); here a
scanned traceability code is first looked up in the journal on its thread (a box
this counter already sold is refused at once), then placed on the sale; what the
cashier types at a prompt fills the prescription number or the buyer's ID the sale
still needs. The Till owns one and hands it the codes scanned and the text typed at a prompt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from terminal.errors import TerminalError
from terminal.sale_rules import Needed, short, sold_here
from terminal.ui.sentences import sentence

if TYPE_CHECKING:
    from terminal.ui.till import Till


class TillRules:
    def __init__(self, till: Till) -> None:
        self.till = till
        # The line the cashier chose with the arrow keys (where the next code goes), None when not chosen.
        self.chosen: int | None = None

    def code_scanned(self, code: str) -> None:
        till = self.till
        sale = till.sale
        for line in sale.lines:
            if code in line.codes:
                till.do(lambda: sale.add_code(code, self.chosen))  # refused by the sale, with its sentence
                return
        if till.station.checkout is None:
            till.do(lambda: sale.add_code(code, self.chosen))
            return

        def looked_up(sold: dict[str, str]) -> None:
            if sold:
                till.say(sentence(sold_here(code, sold[code])), "warn")
                return
            if till.sale is not sale:
                return  # the sale changed meanwhile (next customer): the code is not this one's
            try:
                placed = sale.add_code(code, self.chosen)
            except TerminalError as exc:
                till.say(sentence(exc), "warn")
                return
            if placed.line is None:
                till.say(QCoreApplication.translate("TillRules", "Code %1 waits for its box: scan the box's "
                                                    "barcode (EAN-13).")
                         .replace("%1", short(code)), "info")
            else:
                till.say(QCoreApplication.translate("TillRules", "Code %1 on line %2.").replace("%1", short(code))
                         .replace("%2", str(placed.line + 1)), "info")
            till.changed.emit()

        till.network.main.when_done(till.station.journal.submit(lambda t: t.codes_sold([code])), looked_up,
                                    till.failed)

    def took_waiting(self, before: int) -> None:
        """A box's barcode took codes scanned before it: say where they went (the sentence that they were
        waiting is otherwise still on screen)."""
        sale = self.till.sale
        taken = before - len(sale.pending_codes)
        if taken > 0 and sale.last_line is not None:
            self.till.say(QCoreApplication.translate("TillRules", "%1 waiting box code(s) went to line %2.")
                          .replace("%1", str(taken)).replace("%2", str(sale.last_line + 1)), "info")

    def answer(self, text: str) -> bool:
        """Enter at a prompt: the prescription number or the buyer's ID the sale still needs. False when the
        sale asks for neither (the text is then a code or a search)."""
        till = self.till
        need = till.sale.requirement()
        if not isinstance(need, Needed) or need.kind not in ("rx_no", "buyer_id"):
            return False
        if need.kind == "rx_no":
            till.do(lambda: till.sale.set_prescription(text))
        else:
            till.do(lambda: till.sale.set_buyer_id(text))
        return True
