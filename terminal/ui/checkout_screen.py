"""The pharmacy checkout screen: who is buying, what they buy, what they pay, and the keys.

Hands stay on the keyboard: every action has its F-key, shown on its button;
Enter in the entry field rings up a code or searches; Esc goes back one step and
never loses a sale. The screen shows the till's model and sends keys to it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from terminal.counter import Phase
from terminal.sale_rules import Needed
from terminal.traceability import is_trac_code
from terminal.ui import style
from terminal.ui.language import cashier_text
from terminal.ui.places import screen_key
from terminal.ui.sale_view import LinesModel, PersonPanel, SplitPanel
from terminal.ui.sentences import WARN
from terminal.ui.till import Till


class CheckoutScreen(QWidget):
    def __init__(self, till: Till, *, read_card: Callable[[], None], open_queue: Callable[[], None],
                 search: Callable[[str], list[tuple[str, str]]], reprint: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self._reprint = reprint
        self._read_card = read_card
        self._open_queue = open_queue
        self._search = search
        self.lines = LinesModel()
        self.person = PersonPanel()
        self.split = SplitPanel()
        self.entry = QLineEdit()
        self.entry.setPlaceholderText(self.tr("Scan, or type a code, a name or pinyin initials, then Enter"))
        self.results = QListWidget()
        self.results.hide()
        self.table = QTableView()
        self.table.setModel(self.lines)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setObjectName("headline")
        # What the pharmacy rules still want of this sale (codes, a prescription number, the buyer's ID).
        self.need = QLabel()
        self.need.setWordWrap(True)
        self.need.setObjectName("need")
        self.need.hide()
        self.buttons: dict[str, QPushButton] = {}
        self._layout()
        self._keys()
        self.entry.returnPressed.connect(self._entered)
        self.results.itemActivated.connect(self._chosen)
        till.changed.connect(self.redraw)
        till.message.connect(self.show_message)
        self.redraw()

    def key_table(self) -> tuple[tuple[str, str, str], ...]:
        """(key, label, action name): the key bar, in the order the cashier reads it."""
        return (
            ("F1", self.tr("Help"), "help"),
            ("F2", self.tr("Read card"), "read_card"),
            ("F3", self.tr("Find"), "find"),
            ("F4", self.tr("Quantity"), "quantity"),
            ("F5", self.tr("Void line"), "void_line"),
            ("F6", self.tr("Hold"), "hold"),
            ("F7", self.tr("Resume"), "resume"),
            ("F8", self.tr("Account on/off"), "toggle_account"),
            ("F9", self.tr("Pre-settle"), "presettle"),
            ("F10", self.tr("Settle"), "settle"),
            ("F11", self.tr("Queue"), "queue"),
            ("F12", self.tr("Void sale"), "void_sale"),
            ("Esc", self.tr("Back / next customer"), "back"),
        )

    def _layout(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.person)
        left.addWidget(self.need)
        left.addWidget(self.entry)
        left.addWidget(self.results)
        left.addWidget(self.table, 1)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.split)
        keys = QGridLayout()
        for n, (key, label, action) in enumerate(self.key_table()):
            button = QPushButton(f"{key} {label}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, a=action: self.act(a))
            keys.addWidget(button, n // 7, n % 7)
            self.buttons[action] = button
        outer = QVBoxLayout(self)
        outer.addLayout(top, 1)
        outer.addWidget(self.message)
        outer.addLayout(keys)

    def _keys(self) -> None:
        for key, _label, action in self.key_table():
            screen_key(self, key, partial(self.act, action))
        screen_key(self, "Ctrl+P", lambda: self._reprint())
        for key, step in (("Up", -1), ("Down", 1)):
            screen_key(self, key, partial(self._move, step))

    # ----- actions

    def act(self, action: str) -> None:
        till = self.till
        simple: dict[str, Callable[[], None]] = {
            "read_card": self._read_card, "hold": till.hold, "resume": till.resume,
            "toggle_account": till.toggle_account, "presettle": till.presettle, "queue": self._open_queue,
            "void_sale": till.void_sale, "find": lambda: self._find(self.entry.text()),
            "help": lambda: till.say(self.tr("Scan or find drugs, read the card or scan the e-voucher, F9 to "
                                             "pre-settle, F10 to settle (type the cash received first).")),
        }
        if action in simple:
            simple[action]()
        elif action == "quantity":
            till.set_quantity(self.selected(), self.entry.text() or "1")
            self.entry.clear()
        elif action == "void_line":
            till.void_line(self.selected())
        elif action == "settle":
            self._settle()
        elif action == "back":
            self._back()

    def _settle(self) -> None:
        if self.till.settle_with(self.entry.text()):
            self.entry.clear()

    def _back(self) -> None:
        if self.till.sale.phase is Phase.IN_DOUBT:
            self.till.set_aside()
        elif self.results.isVisible():
            self.results.hide()
        elif self.entry.text():
            self.entry.clear()
        elif self.till.sale.phase is Phase.DONE:
            self.till.next_customer()

    def _entered(self) -> None:
        text = self.entry.text().strip()
        if self.till.confirm(text):  # Enter on a pre-settled sale settles it (the cash received typed)
            self.entry.clear()
            return
        if not text:
            return
        catalog = self.till.catalog
        if catalog is not None and (text in catalog or catalog.by_barcode(text) is not None):
            item = catalog.get(text) or catalog.by_barcode(text)
            if item is not None:
                self.till.add_item(item.med_list_codg)
                self.entry.clear()
                return
        if is_trac_code(text):  # a box's code typed by hand: as if scanned
            self.till.scanned(text)
            self.entry.clear()
            return
        if self.till.rules.answer(text):  # the prescription number or the buyer's ID asked for
            self.entry.clear()
            return
        self._find(text)

    def _find(self, text: str) -> None:
        found = self._search(text.strip()) if text.strip() else []
        self.results.clear()
        if not found:
            self.results.hide()
            self.till.say(self.tr("Nothing in the price list matches that."), WARN)
            return
        for code, label in found:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.results.addItem(item)
        self.results.setCurrentRow(0)
        self.results.show()
        self.results.setFocus()

    def _chosen(self, item: QListWidgetItem) -> None:
        self.till.add_item(str(item.data(Qt.ItemDataRole.UserRole)))
        self.results.hide()
        self.entry.clear()
        self.entry.setFocus()

    def _move(self, step: int) -> None:
        rows = self.lines.rowCount()
        if rows:
            row = max(0, min(rows - 1, self.selected() + step))
            self.table.selectRow(row)
            self.till.rules.chosen = row  # the line the cashier chose takes the next box code

    def selected(self) -> int:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return rows[0].row() if rows else self.lines.rowCount() - 1

    # ----- drawing

    def redraw(self) -> None:
        sale = self.till.sale
        keep = self.till.rules.chosen if self.till.rules.chosen is not None else sale.last_line
        self.lines.show(sale, self.till.policy)
        if self.lines.rowCount():
            self.table.selectRow(min(keep if keep is not None else self.selected(), self.lines.rowCount() - 1))
        self.person.show_person(sale.person)
        self.split.show_sale(sale, self.till.tendered if sale.phase is Phase.DONE else None)
        locked = sale.phase in (Phase.SETTLING, Phase.IN_DOUBT)
        for action in ("settle", "presettle", "void_sale", "hold", "void_line", "quantity"):
            self.buttons[action].setEnabled(not locked)
        self.show_need(sale.requirement() if sale.cash_reason is None and sale.phase is not Phase.DONE else None)
        self.buttons["resume"].setText(f"F7 {self.tr('Resume')} ({len(self.till.counter.held)})")

    def show_need(self, need: Needed | None) -> None:
        """Pre-settle and Settle wait, with the reason on screen, until the pharmacy rules are met."""
        for action in ("settle", "presettle"):
            button = self.buttons[action]
            button.setToolTip(cashier_text(need.cashier_message) if need else "")
            if need is not None:
                button.setEnabled(False)
        if need is None:
            self.need.hide()
            self.entry.setPlaceholderText(self.tr("Scan, or type a code, a name or pinyin initials, then Enter"))
            return
        self.need.setText(cashier_text(need.cashier_message))
        self.need.show()
        prompts = {"rx_no": self.tr("Prescription number, then Enter"),
                   "buyer_id": self.tr("The buyer's ID number (18 characters), then Enter"),
                   "codes": self.tr("Scan the code on each box (20 digits beginning with 8)")}
        self.entry.setPlaceholderText(prompts.get(need.kind, ""))

    def show_message(self, text: str, level: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {style.state_colour(level)};")
