"""The parts of the checkout screen that show the sale: the person, the lines and the split.

They only show: every value comes from the sale model (terminal.counter), the
identity the checkout found, or the engine's per-item split (the same engine the
service runs, so the class, self-pay share and over-limit of a line are known
before the service is asked).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from terminal.counter import CounterSale, Phase
from terminal.domain import BasketLine, ChargeClass
from terminal.money import ZERO, fmt_amount
from terminal.offline.identity import Identity
from terminal.policy import Policy
from terminal.privacy import mask_id, mask_name
from terminal.split import split_item
from terminal.traceability import codes_needed
from terminal.ui import style
from terminal.ui.text_table import TextTable
from terminal.ui.words import insutype_word

CLASS_LABELS = {ChargeClass.A: "甲 A", ChargeClass.B: "乙 B", ChargeClass.C: "丙 C"}
Index = QModelIndex | QPersistentModelIndex


def money(value: Any) -> str:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return "-"
    return f"{amount:,.2f}"


class PersonPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setObjectName("headline")
        self.details = QLabel()
        self.family = QLabel()
        self.family.setObjectName("small")
        for label in (self.name, self.details, self.family):
            layout.addWidget(label)
        self.show_person(None)

    def show_person(self, identity: Identity | None) -> None:
        if identity is None:
            self.name.setText(self.tr("Insured person: read the card (F2) or scan the e-voucher"))
            self.details.setText("")
            self.family.setText("")
            return
        name = mask_name(identity.psn_name) if identity.psn_name else mask_id(identity.psn_no or "") or "-"
        self.name.setText(self.tr("Insured person %1").replace("%1", name))
        parts = [insutype_word(identity.insutype), self.psn_type_label(identity.psn_type),
                 identity.insuplc_admdvs]
        if identity.balc is not None:
            parts.append(self.tr("balance %1").replace("%1", money(identity.balc)))
        if not identity.online:
            parts.append(self.tr("offline: as last known"))
        if identity.suspended:
            parts.append(self.tr("insurance suspended"))
        self.details.setText(" · ".join(p for p in parts if p))
        if identity.holder_psn_no:
            holder = mask_name(identity.holder_name) if identity.holder_name else identity.holder_psn_no
            balance = f" ({money(identity.holder_balc)})" if identity.holder_balc is not None else ""
            self.family.setText(self.tr("Family mutual aid: holder %1").replace("%1", holder + balance))
        else:
            self.family.setText("")

    def psn_type_label(self, psn_type: str | None) -> str:
        return {"11": self.tr("in service"), "12": self.tr("retired")}.get(psn_type or "", psn_type or "")


class LinesModel(TextTable):
    """The sale's lines: each line's class, the box codes it has of those it needs, its self-pay share and
    over-limit amount; a prescription drug and a restricted drug say so beside their name."""

    RIGHT = frozenset({3, 4, 5, 6, 7, 8})
    CODES = 4  # the column of the box codes

    def headers(self) -> tuple[str, ...]:
        return ("#", self.tr("Drug / spec"), self.tr("Class"), self.tr("Qty"), self.tr("Codes"), self.tr("Price"),
                self.tr("Amount"), self.tr("Self-pay"), self.tr("Over limit"))

    def __init__(self) -> None:
        super().__init__()
        self.sale: CounterSale | None = None
        self.policy: Policy | None = None

    def show(self, sale: CounterSale, policy: Policy | None) -> None:
        self.sale, self.policy = sale, policy
        self.set_cells([self._row(n, line) for n, line in enumerate(sale.lines, start=1)])

    def _row(self, n: int, line: Any) -> tuple[str, ...]:
        item = line.item
        selfpay, over = "", ""
        if self.policy is not None:
            split = split_item(BasketLine(item.med_list_codg, line.pric, line.cnt, item.chrgitm_lv,
                                          item.selfpay_prop, item.pric_uplmt_amt), self.policy.class_b_selfpay_prop)
            selfpay = f"{split.selfpay_prop * 100:.0f}%" if item.chrgitm_lv is not ChargeClass.A else ""
            over = fmt_amount(split.overlmt_amt) if split.overlmt_amt > ZERO else ""
        # The marks first: a narrow column cuts the end of the text, and the pharmacist must see them. The
        # prescription number follows the name (the sentence above the entry asks for a missing one).
        marks = []
        if item.rx_flag:
            marks.append("Rx")
        if item.max_cnt_per_sale is not None:
            marks.append(self.tr("limit %1").replace("%1", f"{item.max_cnt_per_sale.normalize():f}"))
        name = " ".join([*marks, item.name])
        if line.rx_no:
            name += "  " + self.tr("Rx %1").replace("%1", line.rx_no)
        name = f"{name}  {item.spec}".strip()
        needed = codes_needed(item, line.cnt)
        codes = (f"{len(line.codes)}/{needed}" + (" ✓" if len(line.codes) >= needed else "")) if needed else ""
        return (str(n), name, CLASS_LABELS.get(item.chrgitm_lv, ""), f"{line.cnt.normalize():f}", codes,
                fmt_amount(line.pric), fmt_amount(line.amount), selfpay, over)


class SplitPanel(QFrame):
    """Cash due in large type, never scrolled away; the split beside it; ESTIMATE when offline."""

    def rows(self) -> tuple[tuple[str, str], ...]:
        return (("medfee_sumamt", self.tr("Medical fees")), ("fund_pay_sumamt", self.tr("Pooled fund")),
                ("acct_pay", self.tr("Personal account")), ("acct_mulaid_pay", self.tr("Family mutual aid")),
                ("psn_cash_pay", self.tr("Cash")))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel")
        layout = QGridLayout(self)
        self.title = QLabel(self.tr("Cash due"))
        self.title.setObjectName("headline")
        self.cash = QLabel("0.00")
        self.cash.setObjectName("money")
        self.cash.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.estimate = QLabel()
        self.estimate.setObjectName("estimate")
        self.estimate.setWordWrap(True)
        self.account = QLabel()
        self.account.setObjectName("small")
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.cash, 1, 0, 1, 2)
        layout.addWidget(self.estimate, 2, 0, 1, 2)
        self.values: dict[str, QLabel] = {}
        rows = self.rows()
        for row, (key, label) in enumerate(rows, start=3):
            layout.addWidget(QLabel(label), row, 0)
            value = QLabel("-")
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            layout.addWidget(value, row, 1)
            self.values[key] = value
        self.tender = QLabel()
        self.tender.setObjectName("headline")
        layout.addWidget(self.account, len(rows) + 3, 0, 1, 2)
        layout.addWidget(self.tender, len(rows) + 4, 0, 1, 2)
        layout.setRowStretch(len(rows) + 5, 1)
        self.setMinimumWidth(300)
        self.setMaximumWidth(380)

    def show_sale(self, sale: CounterSale, tendered: Decimal | None) -> None:
        quote = sale.quote or {}
        done = sale.result
        info = (done.actual or done.estimate) if done is not None else quote
        info = info or {}
        for key, label in self.values.items():
            label.setText(money(info[key]) if key in info else "-")
        if info:
            self.cash.setText(money(info.get("psn_cash_pay", "0")))
        else:
            self.cash.setText(money(sale.total) if sale.lines else "0.00")
        self.title.setText(self.tr("Cash due") if info else self.tr("Total (not pre-settled)"))
        self.estimate.setText(self.tr("ESTIMATE: sold offline, the service confirms it later")
                              if info.get("estimate") else "")
        if sale.phase is Phase.DONE and tendered is not None and info:
            change = tendered - Decimal(str(info.get("psn_cash_pay", "0")))
            self.tender.setText(self.tr("Received %1   Change %2").replace("%1", money(tendered))
                                .replace("%2", money(change)))
        else:
            self.tender.setText("")
        self.account.setText(self.tr("Personal account used (F8 to turn off)") if sale.acct_used
                             else self.tr("Personal account NOT used for this sale (F8 to turn on)"))
        colour = style.AMBER if info.get("estimate") else style.INK
        self.cash.setStyleSheet(f"color: {colour};")
