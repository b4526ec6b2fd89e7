"""The customer-facing window: what they buy, the total, and who pays what.

Shown full screen on a second screen when one is connected (counter.customer_display
"auto"), or as a window of its own ("on"). It shows the same sale model as the
cashier's screen, in large type, and nothing the customer should not see: the name
masked, no operator keys, no queue.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from terminal.counter import Phase
from terminal.ui.sale_view import LinesModel, SplitPanel
from terminal.ui.till import Till


class CustomerDisplay(QWidget):
    def __init__(self, till: Till, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.till = till
        self.setWindowTitle(self.tr("Your purchase"))
        # The cashier's keys and scans must never land here: it never takes the focus.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowFlag(Qt.WindowType.WindowDoesNotAcceptFocus)
        self.welcome = QLabel()
        self.welcome.setObjectName("headline")
        self.lines = LinesModel()
        self.table = QTableView()
        self.table.setModel(self.lines)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 4, 5, 8):  # the customer needs the drug, the quantity, the amount and the share they pay
            self.table.hideColumn(column)
        self.split = SplitPanel()
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addWidget(self.split, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.welcome)
        layout.addLayout(body, 1)
        till.changed.connect(self.redraw)
        self.redraw()

    def redraw(self) -> None:
        sale = self.till.sale
        self.lines.show(sale, self.till.policy)
        self.split.show_sale(sale, self.till.tendered if sale.phase is Phase.DONE else None)
        if sale.phase is Phase.DONE:
            self.welcome.setText(self.tr("Thank you. Keep your receipt."))
        elif sale.lines:
            self.welcome.setText(self.tr("Your purchase"))
        else:
            self.welcome.setText(self.tr("Welcome"))

    def place(self, screen: QScreen | None) -> None:
        """Full screen on the customer's screen, or a window beside the counter's when there is none."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.resize(800, 600)
            self.show()
