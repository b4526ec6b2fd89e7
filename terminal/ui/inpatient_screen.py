"""The inpatient desks: admission (2401) with department, ward, bed, diagnosis and the deposit taken; fees
from a fee list file or entered, uploaded in batches (2301) with a progress bar, cancelled (2302);
discharge (2402); pre-settlement (2303) and settlement (2304) with the split, the deposit offset and the
cash due or the refund; the cancels (2404 admission, 2405 discharge, 2305 settlement). The shared screen is
terminal.ui.desk_screen."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLineEdit, QWidget

from terminal.money import parse_cash
from terminal.ui.desk_screen import DeskScreen, Key
from terminal.visit_messages import Admission, BadEntry


class InpatientScreen(DeskScreen):
    def title(self) -> str:
        return self.tr("Inpatient desk: admission and discharge")

    def form(self) -> QWidget:
        self.department = QLineEdit()
        self.department.setPlaceholderText(self.tr("code and name, such as A03 内科"))
        self.ward = QLineEdit()
        self.bed = QLineEdit()
        self.diagnosis = QLineEdit()
        self.diagnosis.setPlaceholderText(self.tr("ICD-10 code and name, such as J18.900 肺炎"))
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("the hospital's inpatient number"))
        self.deposit = QLineEdit()
        self.deposit.setPlaceholderText(self.tr("cash taken as deposit, such as 2000"))
        return self.form_grid([(self.tr("Department"), self.department), (self.tr("Diagnosis"), self.diagnosis),
                               (self.tr("Ward"), self.ward), (self.tr("Bed"), self.bed),
                               (self.tr("Inpatient no."), self.number), (self.tr("Deposit"), self.deposit)])

    def form_value(self) -> Admission:
        text = self.deposit.text().strip()
        deposit = parse_cash(text) if text else Decimal(0)
        if deposit is None:
            raise BadEntry("Deposit", "type an amount, such as 2000 or 500.50.")
        return Admission(self.department.text(), self.ward.text(), self.bed.text(), self.diagnosis.text(),
                         self.number.text(), deposit)

    def desk_keys(self) -> list[Key]:
        c = self.control
        return [
            ("F3", self.tr("Discharge"), lambda: c.step(self.tr("Discharging…"), lambda d, v: d.discharge(v),
                                                         self.tr("Discharged: F9 pre-settles the stay."))),
            ("Ctrl+F3", self.tr("Cancel discharge"), lambda: self.cancel("discharge")),
        ]
