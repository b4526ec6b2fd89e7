"""What a hospital desk shows: the patient and the visit, the fee list, and the split with the deposit.

Only shows: every value comes from the desk's control (the core's visit read back
from the journal, the pre-settlement, the settlement).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from terminal.domain import CatalogItem
from terminal.fee_list import FeeLine
from terminal.money import ZERO, fmt_amount
from terminal.offline.identity import Identity
from terminal.offline.record import Txn
from terminal.offline.visits import Visit
from terminal.privacy import mask_id, mask_name
from terminal.ui import style
from terminal.ui.sale_view import money
from terminal.ui.text_table import TextTable
from terminal.ui.words import insutype_word

MAX_SHOWN = 2000  # a table of more rows costs a redraw the clerk feels; the total still counts them all


class PatientPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setObjectName("headline")
        self.visit = QLabel()
        self.visit.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("small")
        for label in (self.name, self.visit, self.state):
            layout.addWidget(label)

    def show_patient(self, identity: Identity | None, visit: Visit | None) -> None:
        if identity is None:
            self.name.setText(self.tr("Patient: read the card (F2) or scan the e-voucher"))
        else:
            name = mask_name(identity.psn_name) if identity.psn_name else mask_id(identity.psn_no or "")
            kind = insutype_word(identity.insutype)
            self.name.setText(self.tr("Patient %1").replace("%1", name) + f" · {kind}")
        if visit is None:
            self.visit.setText(self.tr("No open visit.") if identity is not None else "")
            self.state.setText("")
            return
        details = visit.details
        parts = [self.tr("Visit %1").replace("%1", visit.mdtrt_id or "-")]
        parts += [details[k] for k in ("dept_name", "dr_name", "ipt_otp_no", "adm_dept_name", "wardarea_name")
                  if details.get(k)]
        if details.get("adm_bed"):
            parts.append(self.tr("bed %1").replace("%1", details["adm_bed"]))
        if details.get("dscg_maindiag_code"):
            parts.append(f"{details['dscg_maindiag_code']} {details.get('adm_diag_dscr', '')}".strip())
        if visit.deposit:
            parts.append(self.tr("deposit %1").replace("%1", money(visit.deposit)))
        self.visit.setText(" · ".join(parts))
        self.state.setText(self.state_words(visit))
        colour = style.RED if visit.in_doubt else (style.AMBER if visit.cancelled else style.INK)
        self.state.setStyleSheet(f"color: {colour};")

    def state_words(self, visit: Visit) -> str:
        if visit.in_doubt:
            return self.tr("A message's outcome is unknown: F12 asks the service again.")
        if visit.cancelled:
            return self.tr("Cancelled.")
        if visit.settled and not visit.unsettled:
            return self.tr("Settled.")
        words = [self.tr("%n fee(s) uploaded, not settled", "", len(visit.unsettled))]
        if visit.kind == "inpatient":
            words.append(self.tr("discharged") if visit.discharged else self.tr("in hospital"))
        return " · ".join(words)


class FeesModel(TextTable):
    RIGHT = frozenset({3, 4, 5})

    def headers(self) -> tuple[str, ...]:
        return ("#", self.tr("Serial"), self.tr("Item"), self.tr("Qty"), self.tr("Price"), self.tr("Amount"),
                self.tr("State"))

    def show(self, visit: Visit | None, pending: list[FeeLine], name_of: Callable[[str], CatalogItem | None]) -> None:
        rows: list[tuple[str, ...]] = []
        fees = list(visit.fees.values()) if visit is not None else []
        for fee in fees[:MAX_SHOWN]:
            entry = fee.entry
            state = self.tr("settled") if fee.setl_id else self.tr("uploaded")
            if visit is not None and visit.kind == "outpatient":
                state += f" · {fee.batch}"  # outpatient fees are cancelled by batch (Ctrl+F5)
            rows.append(self._row(len(rows) + 1, str(entry["feedetl_sn"]), str(entry["med_list_codg"]),
                                  str(entry["cnt"]), str(entry["pric"]), fee.amount, state, name_of))
        for line in pending[:max(0, MAX_SHOWN - len(rows))]:
            rows.append(self._row(len(rows) + 1, line.feedetl_sn, line.med_list_codg, f"{line.cnt.normalize():f}",
                                  str(line.pric), line.amount, self.tr("waiting to upload"), name_of))
        self.set_cells(rows)

    @staticmethod
    def _row(n: int, serial: str, code: str, cnt: str, pric: str, amount: Decimal, state: str,
             name_of: Callable[[str], CatalogItem | None]) -> tuple[str, ...]:
        item = name_of(code)
        return (str(n), serial, item.name if item else code, cnt, fmt_amount(Decimal(pric)), fmt_amount(amount),
                state)


class DeskSplit(QFrame):
    """The cash due (or the refund) in large type; the split and the deposit beside it."""

    def rows(self) -> tuple[tuple[str, str], ...]:
        return (("medfee_sumamt", self.tr("Medical fees")), ("fund_pay_sumamt", self.tr("Pooled fund")),
                ("acct_pay", self.tr("Personal account")), ("acct_mulaid_pay", self.tr("Family mutual aid")),
                ("psn_cash_pay", self.tr("Patient's part")), ("deposit", self.tr("Deposit paid")))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QGridLayout(self)
        self.title = QLabel()
        self.title.setObjectName("headline")
        self.cash = QLabel("0.00")
        self.cash.setObjectName("money")
        self.cash.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.cash, 1, 0, 1, 2)
        self.values: dict[str, QLabel] = {}
        for row, (key, label) in enumerate(self.rows(), start=2):
            layout.addWidget(QLabel(label), row, 0)
            value = QLabel("-")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            layout.addWidget(value, row, 1)
            self.values[key] = value
        self.account = QLabel()
        self.account.setObjectName("small")
        self.tender = QLabel()
        self.tender.setObjectName("headline")
        end = len(self.rows()) + 2
        layout.addWidget(self.account, end, 0, 1, 2)
        layout.addWidget(self.tender, end + 1, 0, 1, 2)
        layout.setRowStretch(end + 2, 1)
        self.setMinimumWidth(300)
        self.setMaximumWidth(380)

    def show_split(self, visit: Visit | None, quote: Txn | None, result: Txn | None, acct_used: bool,
                   tendered: Decimal | None) -> None:
        info: dict[str, Any] = {}
        if result is not None:
            info = {**(result.estimate or {}), **(result.actual or {})}
        elif quote is not None:
            info = dict(quote.estimate or {})
        deposit = visit.deposit if visit is not None else ZERO
        info.setdefault("deposit", fmt_amount(deposit))
        for key, label in self.values.items():
            label.setText(money(info[key]) if key in info and (key != "deposit" or deposit) else "-")
        if "psn_cash_pay" in info:
            due = Decimal(str(info["psn_cash_pay"])) - deposit
            refund = due < ZERO
            self.title.setText(self.tr("Refund to the patient") if refund else self.tr("Cash due"))
            self.cash.setText(money(abs(due)))
            self.cash.setStyleSheet(f"color: {style.AMBER if refund else style.INK};")
        else:
            unsettled = visit.unsettled_amount if visit is not None else ZERO
            self.title.setText(self.tr("Fees (not pre-settled)"))
            self.cash.setText(money(unsettled))
            self.cash.setStyleSheet(f"color: {style.INK};")
        if result is not None and tendered is not None and "psn_cash_pay" in info:
            change = tendered - max(ZERO, Decimal(str(info["psn_cash_pay"])) - deposit)
            self.tender.setText(self.tr("Received %1   Change %2").replace("%1", money(tendered))
                                .replace("%2", money(change)))
        else:
            self.tender.setText("")
        self.account.setText(self.tr("Personal account used (F8 to turn off)") if acct_used
                             else self.tr("Personal account NOT used (F8 to turn on)"))
