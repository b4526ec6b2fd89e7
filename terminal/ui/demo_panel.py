"""The demo panel: be the patient and the network while the counter runs on simulators.

"Show e-voucher" sends a freshly signed e-voucher through the simulated serial
scanner, "Insert card" puts the person's social security card in the simulated
reader, a box barcode can be scanned and, with "Code", the traceability code of a
fresh box of that drug, and the network switched online, slow or offline. Every
control goes through the simulators (on the demo worker, never the GUI thread),
so the counter's real drivers read what the panel "does".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from terminal.privacy import mask_name
from terminal.ui.tasks import MainThread, Worker

# A few boxes of the demo catalog to scan: (barcode, label). Rx: a prescription drug; the last is
# restricted (at most 2 per sale, the buyer's ID recorded).
DEMO_BARCODES = (("6901070202353", "阿莫西林 甲 Rx"), ("6904682500077", "硝苯地平 乙 Rx"),
                 ("6950317901184", "连花清瘟 乙"), ("6932119669714", "维生素E 丙"),
                 ("6901158301718", "伪麻黄碱 乙 ≤2"))


class Person(Protocol):
    @property
    def psn_no(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def holder(self) -> str | None: ...

    @property
    def card(self) -> int | None: ...

    @property
    def suspended(self) -> bool: ...


class DemoControls(Protocol):
    """What the demo launcher gives the panel (terminal.demo.environment.DemoEnvironment)."""

    @property
    def people(self) -> Sequence[Person]: ...

    def show_voucher(self, psn_no: str, holder: str | None = None) -> None: ...

    def scan(self, text: str) -> None: ...

    def scan_box_codes(self, barcode: str, count: int = 1) -> list[str]: ...

    def insert_card(self, card: int) -> None: ...

    def remove_card(self) -> None: ...

    def set_network(self, state: str) -> None: ...

    def set_printer(self, state: str) -> None: ...


class DemoPanel(QWidget):
    def __init__(self, controls: DemoControls, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controls = controls
        self.main = MainThread()
        self.worker = Worker("demo", self.main)
        self.setMaximumWidth(300)
        # Each widget's words, again when the language changes at sign-in (the panel outlives the screens).
        self._texts: list[tuple[Callable[[str], None], Callable[[], str]]] = []
        self.person = QComboBox()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("small")
        patient = self._group(lambda: self.tr("The patient"))
        grid = QGridLayout(patient)
        grid.addWidget(self.person, 0, 0, 1, 2)
        self.buttons: dict[str, QPushButton] = {}
        for n, (name, label, action) in enumerate((
                ("voucher", lambda: self.tr("Show e-voucher"), self.show_voucher),
                ("card", lambda: self.tr("Insert card"), self.insert_card),
                ("remove", lambda: self.tr("Remove card"), lambda: self._do(controls.remove_card)))):
            button = QPushButton()
            self._texts.append((button.setText, label))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action)
            grid.addWidget(button, 1 + n // 2, n % 2)
            self.buttons[name] = button
        boxes = self._group(lambda: self.tr("Scan a box"))
        box_layout = QGridLayout(boxes)
        for row, (barcode, box) in enumerate(DEMO_BARCODES):
            button = QPushButton(f"{box}  {barcode[-4:]}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, b=barcode: self._do(lambda: controls.scan(b)))
            box_layout.addWidget(button, row, 0)
            # The box's traceability code (追溯码), a fresh one each time: each box sells once.
            code = QPushButton()
            self._texts.append((code.setText, lambda: self.tr("Code")))
            code.setToolTip(barcode)
            code.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            code.clicked.connect(lambda _c=False, b=barcode: self._do(lambda: self._scan_code(b)))
            box_layout.addWidget(code, row, 1)
        network = self._group(lambda: self.tr("The network"))
        self.network = self._choices(network, "online", (
            ("online", lambda: self.tr("Online")), ("slow", lambda: self.tr("Slow (answers 2 s late)")),
            ("offline", lambda: self.tr("Offline (cable pulled)"))), controls.set_network)
        printer = self._group(lambda: self.tr("The receipt printer"))
        self.printer = self._choices(printer, "ok", (
            ("ok", lambda: self.tr("Paper in")), ("out", lambda: self.tr("Out of paper")),
            ("unplugged", lambda: self.tr("Unplugged"))), controls.set_printer)
        layout = QVBoxLayout(self)
        for widget in (patient, boxes, network, printer, self.note):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.retranslate()

    def _group(self, title: Callable[[], str]) -> QGroupBox:
        group = QGroupBox()
        self._texts.append((group.setTitle, title))
        return group

    def _choices(self, group: QGroupBox, first: str, choices: tuple[tuple[str, Callable[[], str]], ...],
                 choose: Callable[[str], None]) -> QButtonGroup:
        buttons = QButtonGroup(self)
        column = QVBoxLayout(group)
        for state, label in choices:
            radio = QRadioButton()
            self._texts.append((radio.setText, label))
            radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            radio.setChecked(state == first)
            radio.clicked.connect(lambda _c=False, s=state: self._do(lambda: choose(s)))
            buttons.addButton(radio)
            column.addWidget(radio)
        return buttons

    def retranslate(self) -> None:
        for set_text, text in self._texts:
            set_text(text())
        current = self.person.currentIndex()
        self.person.clear()
        for p in self.controls.people:
            label = f"{mask_name(p.name)}  {p.psn_no[-4:]}"
            if p.holder:
                label += "  " + self.tr("(family member)")
            if p.suspended:
                label += "  " + self.tr("(suspended)")
            self.person.addItem(label, p.psn_no)
        self.person.setCurrentIndex(max(0, current))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def chosen(self) -> Person:
        psn_no = str(self.person.currentData())
        return next(p for p in self.controls.people if p.psn_no == psn_no)

    def show_voucher(self) -> None:
        person = self.chosen()
        # A bound member's code is shown on the holder's phone: the voucher names the holder.
        self._do(lambda: self.controls.show_voucher(person.psn_no, person.holder))

    def insert_card(self) -> None:
        person = self.chosen()
        if person.card is None:
            self.note.setText(self.tr("This person has no card in the demo: show the e-voucher."))
            return
        card = person.card
        self._do(lambda: self.controls.insert_card(card))

    def _scan_code(self, barcode: str) -> None:
        self.controls.scan_box_codes(barcode, 1)

    def _do(self, action: Callable[[], None]) -> None:
        self.note.setText("")
        self.worker.run(action, lambda _none: None, lambda exc: self.note.setText(str(exc)))

    def close_worker(self) -> None:
        self.worker.close(wait=True)
