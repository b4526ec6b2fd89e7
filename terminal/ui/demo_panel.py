"""The demo panel: be the patient and the network while the counter runs on simulators.

"Show e-voucher" sends a freshly signed e-voucher through the simulated serial
scanner, "Insert card" puts the person's social security card in the simulated
reader, a box barcode can be scanned, and the network switched online, slow or
offline. Every control goes through the simulators (on the demo worker, never
the GUI thread), so the counter's real drivers read what the panel "does".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import Qt
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

# A few boxes of the demo catalog to scan: (barcode, label).
DEMO_BARCODES = (("6901070202353", "阿莫西林胶囊 甲"), ("6904682500077", "硝苯地平控释片 乙"),
                 ("6950317901184", "连花清瘟胶囊 乙"), ("6932119669714", "维生素E软胶囊 丙"))


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
        self.person = QComboBox()
        for p in controls.people:
            label = f"{mask_name(p.name)}  {p.psn_no[-4:]}"
            if p.holder:
                label += "  " + self.tr("(family member)")
            if p.suspended:
                label += "  " + self.tr("(suspended)")
            self.person.addItem(label, p.psn_no)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("small")
        patient = QGroupBox(self.tr("The patient"))
        grid = QGridLayout(patient)
        grid.addWidget(self.person, 0, 0, 1, 2)
        self.buttons: dict[str, QPushButton] = {}
        for n, (name, label, action) in enumerate((
                ("voucher", self.tr("Show e-voucher"), self.show_voucher),
                ("card", self.tr("Insert card"), self.insert_card),
                ("remove", self.tr("Remove card"), lambda: self._do(controls.remove_card)))):
            button = QPushButton(label)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(action)
            grid.addWidget(button, 1 + n // 2, n % 2)
            self.buttons[name] = button
        boxes = QGroupBox(self.tr("Scan a box"))
        box_layout = QVBoxLayout(boxes)
        for barcode, label in DEMO_BARCODES:
            button = QPushButton(f"{label}  {barcode[-4:]}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, b=barcode: self._do(lambda: controls.scan(b)))
            box_layout.addWidget(button)
        network = QGroupBox(self.tr("The network"))
        net_layout = QVBoxLayout(network)
        self.network = QButtonGroup(self)
        for state, label in (("online", self.tr("Online")), ("slow", self.tr("Slow (answers 2 s late)")),
                             ("offline", self.tr("Offline (cable pulled)"))):
            radio = QRadioButton(label)
            radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            radio.setChecked(state == "online")
            radio.clicked.connect(lambda _c=False, s=state: self._do(lambda: controls.set_network(s)))
            self.network.addButton(radio)
            net_layout.addWidget(radio)
        printer = QGroupBox(self.tr("The receipt printer"))
        printer_layout = QVBoxLayout(printer)
        self.printer = QButtonGroup(self)
        for state, label in (("ok", self.tr("Paper in")), ("out", self.tr("Out of paper")),
                             ("unplugged", self.tr("Unplugged"))):
            radio = QRadioButton(label)
            radio.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            radio.setChecked(state == "ok")
            radio.clicked.connect(lambda _c=False, s=state: self._do(lambda: controls.set_printer(s)))
            self.printer.addButton(radio)
            printer_layout.addWidget(radio)
        layout = QVBoxLayout(self)
        layout.addWidget(patient)
        layout.addWidget(boxes)
        layout.addWidget(network)
        layout.addWidget(printer)
        layout.addWidget(self.note)
        layout.addStretch(1)

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

    def _do(self, action: Callable[[], None]) -> None:
        self.note.setText("")
        self.worker.run(action, lambda _none: None, lambda exc: self.note.setText(str(exc)))

    def close_worker(self) -> None:
        self.worker.close(wait=True)
